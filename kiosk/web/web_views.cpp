#include "kiosk/web/web_views.hpp"

#include <algorithm>

#include "kiosk/app/wait_words.hpp"

namespace csc::web {

namespace {

using nlohmann::json;

std::string clock_text(const LocalTime& t) { return two_digits(t.hour) + ":" + two_digits(t.minute); }

json wait_json(const Translator& tr, const std::string& lang, const std::optional<WaitForecast>& f) {
    if (!f) return nullptr;
    const ToldWait w = told_wait(*f);
    const std::string text = app::wait_words(tr, lang, w);  // the screens' words
    const char* form = w.form == ToldWait::Form::Short ? "short" : w.form == ToldWait::Form::About ? "about" : "range";
    json j{{"form", form}, {"low", w.low_min}, {"high", w.high_min}, {"about", w.about_min}, {"text", text}};
    if (w.after_closing) j["after_closing"] = tr.tr(lang, "forecast.after_closing");
    return j;
}

json sector_json(const Sector& s, const std::string& lang) {
    return {{"id", s.id},
            {"name", s.name.get(lang)},
            {"letter", s.letter},
            {"colour", s.colour.hex()},
            {"text_colour", s.text_colour.hex()}};
}

}  // namespace

json waits_json(const SiteConfig& config, const Translator& tr, const std::string& lang, const WaitsInput& in) {
    json j;
    j["lang"] = lang;
    j["office"] = config.office_name;
    j["town"] = config.town;
    j["updated"] = clock_text(in.now);
    const bool open = config.hours.is_open(in.now);
    j["open"] = open;
    j["status"] = tr.tr(lang, "web.waits.open");
    if (!open) {
        j["status"] = tr.tr(lang, "home.closed");
        if (const auto& r = in.reopening) {
            const std::string day = r->days_ahead == 0   ? tr.tr(lang, "day.today")
                                    : r->days_ahead == 1 ? tr.tr(lang, "day.tomorrow")
                                                         : tr.tr(lang, "weekday." + std::to_string(r->weekday));
            j["status"] = tr.tr(lang, "home.closed") + " · " +
                          tr.tr(lang, "home.opens_at", {{"day", day}, {"time", two_digits(r->minute / 60) + ":" + two_digits(r->minute % 60)}});
        }
    }
    // Today and the next six days: the hours as the office keeps them (holidays and closures included).
    json week = json::array();
    const long today = days_from_civil(in.now.date.year, in.now.date.month, in.now.date.day);
    for (int i = 0; i < 7; ++i) {
        const Date d = civil_from_days(today + i);
        const int weekday = (in.now.weekday + i) % 7;
        const std::string hours = OpeningHours::text_of(config.hours.ranges_on(d, weekday));
        week.push_back({{"date", d.iso()},
                        {"day", tr.tr(lang, "weekday." + std::to_string(weekday))},
                        {"hours", hours.empty() ? tr.tr(lang, "web.hours.closed") : hours},
                        {"closed", hours.empty()}});
    }
    j["today"] = week[0]["hours"];
    j["week"] = std::move(week);
    json sectors = json::array();
    for (const auto& o : in.outlook) {
        const Sector* s = config.find_sector(o.sector);
        if (!s) continue;
        json sj = sector_json(*s, lang);
        sj["waiting"] = o.waiting;
        sj["waiting_text"] = o.waiting <= 0 ? tr.tr(lang, "home.waiting.none") : tr.tr_count(lang, "home.waiting", o.waiting);
        sj["counters_open"] = o.open_counters;
        sj["wait"] = open ? wait_json(tr, lang, o.forecast) : json(nullptr);
        sectors.push_back(std::move(sj));
    }
    j["sectors"] = std::move(sectors);
    return j;
}

json ticket_json(const SiteConfig& config, const Translator& tr, const TicketInput& in) {
    const Ticket& t = in.ticket;
    const std::string lang = tr.find(t.lang) ? t.lang : config.languages.front();
    json j;
    j["lang"] = lang;
    j["label"] = t.label;
    if (const Sector* s = config.find_sector(t.sector)) j["sector"] = sector_json(*s, lang);
    j["updated"] = clock_text(in.now);
    j["title"] = tr.tr(lang, "web.ticket.title");
    j["counter"] = t.counter;
    j["ahead"] = 0;
    j["wait"] = nullptr;
    const std::string counter = std::to_string(t.counter);
    if (is_waiting(t.status)) {
        j["state"] = "waiting";
        j["ahead"] = in.ahead;
        j["message"] = in.ahead == 0 ? tr.tr(lang, "web.ticket.next") : tr.tr_count(lang, "web.ticket.ahead", in.ahead);
        j["wait"] = wait_json(tr, lang, in.forecast);
    } else if (t.status == TicketStatus::Called) {
        j["state"] = "called";
        j["message"] = tr.tr(lang, "web.ticket.called", {{"counter", counter}});
    } else if (t.status == TicketStatus::Serving) {
        j["state"] = "serving";
        j["message"] = tr.tr(lang, "web.ticket.serving", {{"counter", counter}});
    } else if (t.status == TicketStatus::Served) {
        j["state"] = "done";
        j["message"] = tr.tr(lang, "web.ticket.done");
        // Satisfaction: asked once the service is over, until the citizen (or the screen beside
        // the counter) answered.
        j["feedback"] = t.feedback.empty() ? "open" : "given";
    } else {
        // No-show, cancelled, not served at closing: no longer in a queue.
        j["state"] = "gone";
        j["message"] = tr.tr(lang, "web.ticket.gone");
    }
    return j;
}

const Ticket* find_ticket_by_token(const OfficeState& state, std::string_view token) {
    if (!is_ticket_token(token)) return nullptr;
    // The latest with that token: tokens are random, but a device that replays an old event or
    // a defect must never make a citizen's valid ticket look withdrawn.
    const auto& tickets = state.tickets();
    const auto it = std::find_if(tickets.rbegin(), tickets.rend(), [&](const Ticket& t) { return t.token == token; });
    return it == tickets.rend() ? nullptr : &*it;
}

}  // namespace csc::web
