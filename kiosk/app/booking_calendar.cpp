#include "kiosk/app/booking_calendar.hpp"

#include <cstdlib>
#include <memory>

#include <libical/ical.h>

#include "shared/booking/booking_code.hpp"

namespace csc::app {

namespace {

using Component = std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)>;

// libical's own text of a component; the library allocates it, we free it.
std::string ical_text(icalcomponent* c) {
    char* raw = icalcomponent_as_ical_string_r(c);
    if (!raw) return {};
    std::string text(raw);
    std::free(raw);
    return text;
}

icaltimetype utc(Millis t) {
    return icaltime_from_timet_with_zone(static_cast<time_t>(t / 1000), 0, icaltimezone_get_utc_timezone());
}

// Folded lines ("\r\n " + rest) joined again: a QR holds one logical line per property, which
// every phone reader takes, and the fold bytes would only enlarge the code.
std::string unfold(std::string text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "\r\n ") == 0) {
            i += 2;
            continue;
        }
        out += text[i];
    }
    return out;
}

std::string lang_of(const SiteConfig& config, const Booking& b) {
    if (!b.lang.empty()) return b.lang;
    return config.languages.empty() ? std::string("it") : config.languages.front();
}

icalcomponent* make_vevent(const SiteConfig& config, const Translator& tr, const Booking& b, const CalendarOptions& o) {
    const std::string lang = lang_of(config, b);
    const BookableService* bs = config.booking.find(b.service);
    const Sector* sector = config.find_sector(b.sector);
    const Service* service = sector && bs ? sector->find_service(bs->service) : nullptr;
    const std::string what = service ? service->name.get(lang) : sector ? sector->name.get(lang) : b.service;
    const int minutes = bs ? bs->slot_minutes : 20;

    icalcomponent* ev = icalcomponent_new_vevent();
    icalcomponent_add_property(ev, icalproperty_new_uid((b.code + "@" + office_calendar_id(config)).c_str()));
    Millis stamp = b.slot;
    int moves = 0;
    for (const auto& step : b.history) {
        stamp = step.time;
        if (step.what == "moved") ++moves;
    }
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc(stamp)));
    icalcomponent_add_property(ev, icalproperty_new_dtstart(utc(b.slot)));
    icalcomponent_add_property(ev, icalproperty_new_dtend(utc(b.slot + static_cast<Millis>(minutes) * 60'000)));
    if (moves > 0) icalcomponent_add_property(ev, icalproperty_new_sequence(moves));
    const std::string summary = what + " - " + config.office_name;
    icalcomponent_add_property(ev, icalproperty_new_summary(summary.c_str()));

    std::string where = config.office_name;
    if (!config.town.empty()) where += ", " + config.town;
    if (bs && !bs->counters.empty()) {
        std::string list;
        for (int c : bs->counters) list += (list.empty() ? "" : ", ") + std::to_string(c);
        where += " - " + tr.tr(lang, "booking.receipt.counters", {{"list", list}});
    }
    icalcomponent_add_property(ev, icalproperty_new_location(where.c_str()));

    std::string about = tr.tr(lang, "booking.receipt.code") + ": " + format_booking_code(b.code);
    if (o.documents && bs && !bs->documents.get(lang).empty())
        about += "\n" + tr.tr(lang, "booking.receipt.bring") + " " + bs->documents.get(lang);
    if (o.with_names) {
        about += "\n" + b.name;
        if (!b.contact.empty()) about += " - " + b.contact;
    }
    icalcomponent_add_property(ev, icalproperty_new_description(about.c_str()));
    const bool cancelled = b.status == BookingStatus::CancelledByCitizen || b.status == BookingStatus::CancelledByOffice;
    icalcomponent_add_property(ev, icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));

    if (o.alarm && !cancelled) {
        icalcomponent* alarm = icalcomponent_new_valarm();
        icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
        icaltriggertype trigger{};
        trigger.time = icaltime_null_time();
        trigger.duration = icaldurationtype_from_int(-24 * 3600);
        icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
        icalcomponent_add_property(alarm, icalproperty_new_description(summary.c_str()));
        icalcomponent_add_component(ev, alarm);
    }
    return ev;
}

}  // namespace

std::string office_calendar_id(const SiteConfig& config) {
    // Accented Latin letters (UTF-8 C3 xx) folded to their base letter, so "Forlì" stays "forli".
    static constexpr const char* kLatin1 =  // C3 80 … C3 BF
        "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
        "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
    std::string out;
    auto add = [&](std::string_view text) {
        bool dash = !out.empty();
        for (std::size_t i = 0; i < text.size(); ++i) {
            char c = text[i];
            const auto u = static_cast<unsigned char>(c);
            if (u == 0xC3 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
                c = kLatin1[static_cast<unsigned char>(text[++i]) - 0x80];
            } else if (u >= 0x80) {
                continue;
            }
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!keep) {
                dash = !out.empty();
                continue;
            }
            if (dash && !out.empty() && out.back() != '.') out += '-';
            dash = false;
            out += c;
        }
    };
    add(config.town);
    if (!out.empty()) out += '.';
    add(config.office_name);
    if (!out.empty() && out.back() == '.') out.pop_back();
    return out.empty() ? std::string("csc-kiosk") : out;
}

std::string booking_event(const SiteConfig& config, const Translator& tr, const Booking& booking,
                          const CalendarOptions& options) {
    Component ev(make_vevent(config, tr, booking, options), &icalcomponent_free);
    return unfold(ical_text(ev.get()));
}

std::string bookings_calendar(const SiteConfig& config, const Translator& tr, const std::vector<Booking>& bookings,
                              const CalendarOptions& options) {
    Component cal(icalcomponent_new_vcalendar(), &icalcomponent_free);
    icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//csc-kiosk//Appointments//EN"));
    icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
    for (const auto& b : bookings) icalcomponent_add_component(cal.get(), make_vevent(config, tr, b, options));
    return ical_text(cal.get());
}

}  // namespace csc::app
