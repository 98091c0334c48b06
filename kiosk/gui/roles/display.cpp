// The queue display's controller: notices calls and recalls in the office state, keeps the
// board's order, drives the highlight blink, and has the sound worker announce each call.
#include "kiosk/gui/roles/display.hpp"
#include "kiosk/gui/roles/board_sectors.hpp"
#include "kiosk/app/office_rules.hpp"
#include "shared/office_time.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <set>

namespace csc::gui {

namespace {

using namespace std::chrono_literals;

constexpr auto kBlink = 500ms;        // highlight phase: colours swap twice a second
constexpr auto kTickerPage = 10s;     // a ticker too long for one line turns a page this often
constexpr std::size_t kRemembered = 50;  // calls kept in order (more than any board shows)

double ms_between(SteadyTime a, SteadyTime b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

}  // namespace

Result<std::unique_ptr<Role>> make_display_role(RoleEnv& env) {
    if (!env.ctx.office) return fail("the display role needs the office store");
    if (env.ctx.config.sectors.empty())
        std::cerr << "kiosk: display: the site configuration has no sector: calls are shown, waiting counts are not\n";
    return std::unique_ptr<Role>(new DisplayRole(env));
}

WindowDefaults display_window_defaults(const SiteConfig& config) {
    WindowDefaults d;
    d.orientation = "landscape";
    d.fullscreen = config.display.fullscreen;
    return d;
}

DisplayRole::DisplayRole(RoleEnv& env)
    : env_(env), office_(*env.ctx.office), config_(env.ctx.config),
      panel_player_(std::chrono::seconds(std::max(1, env.ctx.config.totem.page_seconds))) {
    lang_ = config_.languages.front();  // never empty: the configuration requires one
    if (!env.lang.empty() && env.ctx.translator.find(env.lang)) lang_ = env.lang;
    view_.town = config_.town;
    view_.office = config_.office_name;
    view_.ticker = config_.display.ticker.get(lang_);
    default_ticker_ = view_.ticker.empty();
    view_.sectors = board_sectors(config_, lang_, env_.icon_map);
    const auto now = std::chrono::steady_clock::now();
    ticker_since_ = now;
    // What was called before the display started is shown in order, never announced; what is
    // applied from here on comes through the feed (subscribed first: nothing falls between).
    feed_ = office_.subscribe(env_.wake);
    scan_calls(now, false);
    refresh_clock(now);

    if (default_ticker_ || config_.display.side_panel) {
        content_ = std::make_unique<app::ContentSource>(
            config_, env.ctx.data_dir / "content-cache", env.ctx.clock,
            [this](app::ContentUpdate u) {
                outlook_worker_.post([this, u = std::make_shared<app::ContentUpdate>(std::move(u))] {
                    content_items_ = std::move(u->items);
                    rebuild_ticker();
                    if (config_.display.side_panel) {
                        panel_player_.set_items(content_items_, config_.timezone.to_local(env_.ctx.clock.now()),
                                                std::chrono::steady_clock::now());
                        panel_cards_.clear();
                        panel_cards_.set_images(std::move(u->images));
                        show_panel_item();
                    }
                });
            },
            [](std::string e) { std::cerr << "kiosk: display: " << e << '\n'; }, config_.display.side_panel);
    }
    if (env_.sound_file.empty() && (config_.display.chime || config_.display.voice))
        player_ = std::make_unique<audio::AudioPlayer>(config_.display.sound_device);
    ask_outlook();
}

DisplayRole::~DisplayRole() {
    content_.reset();
    outlook_worker_.stop();
    sound_worker_.stop();  // the sound being made is finished, the rest dropped
    player_.reset();
}

// ---- Calls.

void DisplayRole::scan_calls(SteadyTime now, bool announce) {
    std::vector<Noticed> noticed;
    std::map<std::string, Seen> seen;
    office_.read([&](const OfficeState& st) {
        for (const Ticket& t : st.tickets()) {
            if (t.called_at <= 0 || t.counter <= 0) continue;
            const Seen now_seen{t.called_at, t.counter, t.recalls};
            const auto before = seen_.find(t.id);
            const bool fresh = before == seen_.end() || before->second.called_at != t.called_at ||
                               before->second.counter != t.counter;
            const bool recall = !fresh && t.recalls > before->second.recalls;
            if ((fresh || recall) && (t.status == TicketStatus::Called || !announce || fresh))
                noticed.push_back({t.called_at, t.id, t.label, t.lang, t.counter, recall});
            seen.emplace(t.id, now_seen);
        }
    });
    seen_ = std::move(seen);  // tickets of a past day drop out here
    std::stable_sort(noticed.begin(), noticed.end(), [](const Noticed& a, const Noticed& b) {
        return a.recall == b.recall ? a.at < b.at : !a.recall;
    });
    show_calls(noticed, now, announce);
}

void DisplayRole::take_calls(const std::vector<FeedItem>& items, SteadyTime now) {
    std::vector<Noticed> noticed;
    office_.read([&](const OfficeState& st) {
        for (const auto& item : items) {
            const bool call = std::holds_alternative<TicketCalled>(item.event.body);
            if (!call && !std::holds_alternative<TicketRecalled>(item.event.body)) continue;
            // The ticket as it is now (a later event of the same batch may have moved it on).
            const Ticket* t = st.find_ticket(item.result.ticket_id);
            if (!t || t->called_at <= 0 || t->counter <= 0) continue;
            noticed.push_back({t->called_at, t->id, t->label, t->lang, t->counter, !call});
            seen_[t->id] = Seen{t->called_at, t->counter, t->recalls};  // for a reset's comparison
        }
    });
    show_calls(noticed, now, true);
}

void DisplayRole::show_calls(const std::vector<Noticed>& noticed, SteadyTime now, bool announce) {
    for (const auto& n : noticed) {
        std::erase_if(shown_, [&](const ShownCall& c) { return c.ticket_id == n.id; });
        shown_.insert(shown_.begin(), ShownCall{n.id, n.recall});
        if (!announce) continue;
        ++calls_noticed_;
        highlight_start_ = now;
        announce_call({n.label, n.counter, n.lang, now});
    }
    if (shown_.size() > kRemembered) shown_.resize(kRemembered);
    rebuild_calls();
}

void DisplayRole::rebuild_calls() {
    std::vector<CallView> calls;
    const auto limit = static_cast<std::size_t>(std::max(1, config_.display.calls_shown));
    office_.read([&](const OfficeState& st) {
        for (const auto& sc : shown_) {
            if (calls.size() >= limit) break;
            const Ticket* t = st.find_ticket(sc.ticket_id);
            // Gone (another day) or back in a queue (transferred): its call no longer holds.
            if (!t || is_waiting(t->status) || t->counter <= 0) continue;
            calls.push_back(call_view(*t, sc.recalled, config_, lang_, env_.icon_map));
        }
        for (auto& s : view_.sectors) s.waiting = st.waiting(s.id);  // at once; the forecast follows
    });
    view_.calls = std::move(calls);
}

// ---- Frame.

void DisplayRole::update(SteadyTime now) {
    view_.link_flag = link_flag(env_);
    outlook_worker_.apply_posted();
    sound_worker_.apply_posted();

    // The office's event bus: calls and recalls as they are applied, here or in another
    // program on the store (refresh) or on the LAN. A reset (the state was rebuilt) is
    // compared with what was seen, as a display without the bus would.
    auto batch = feed_->take();
    if (batch.reset) scan_calls(now, true);
    else if (!batch.items.empty()) take_calls(batch.items, now);
    if (batch.reset || !batch.items.empty()) ask_outlook();
    refresh_clock(now);

    const auto highlight = std::chrono::seconds(std::max(0, config_.display.highlight_seconds));
    view_.highlight = highlight_start_ && now - *highlight_start_ < highlight;
    view_.highlight_inverted = view_.highlight && ((now - *highlight_start_) / kBlink) % 2 == 0;
    if (!view_.highlight) highlight_start_.reset();
    if (config_.display.side_panel) {
        // A call pre-empts the page: its time starts again when the call is over.
        if (view_.highlight) panel_player_.restart_page(now);
        else if (panel_player_.turn_if_due(config_.timezone.to_local(env_.ctx.clock.now()), now)) show_panel_item();
    }
    view_.ticker_page = board_.ticker_pages() > 1 ? static_cast<int>((now - ticker_since_) / kTickerPage) : 0;
}

void DisplayRole::refresh_clock(SteadyTime) {
    const LocalTime local = config_.timezone.to_local(env_.ctx.clock.now());
    view_.time = two_digits(local.hour) + ":" + two_digits(local.minute);
    view_.weekday = local.weekday;
    view_.day = local.date.day;
    view_.month = local.date.month;
    view_.open = config_.hours.is_open(local);
    const int minute = local.minute_of_day();
    if (minute != last_minute_) {
        // The forecasts move with the clock (staffing, closing time) even when nobody acts.
        if (last_minute_ >= 0) ask_outlook();
        last_minute_ = minute;
        rebuild_ticker();  // the day's hours, the items' windows: both move with the clock
        if (config_.display.side_panel) {
            panel_player_.replan(local, std::chrono::steady_clock::now());
            show_panel_item();
        }
    }
}

void DisplayRole::show_panel_item() {
    view_.panel_item.reset();
    if (const auto* item = panel_player_.current()) view_.panel_item = panel_cards_.view(*item, env_.ctx.translator, lang_);
}

void DisplayRole::rebuild_ticker() {
    if (!default_ticker_) return;
    const Translator& tr = env_.ctx.translator;
    const Millis wall = env_.ctx.clock.now();
    // None on a holiday or a closure (app::hours_today), written one way everywhere.
    const std::string hours = OpeningHours::text_of(app::hours_today(config_, wall));
    std::string text = hours.empty() ? tr.tr(lang_, "display.ticker.closed_today")
                                     : tr.tr(lang_, "display.ticker.hours", {{"hours", hours}});
    // What the totem plays now, as one line of titles (an urgent notice alone; the fallback loop
    // is filler, not news).
    const auto plan = content::playlist_at(content_items_, config_.timezone.to_local(wall));
    std::string titles;
    if (!plan.fallback)
        for (const auto* item : plan.items) {
            std::string piece = item->title.get(lang_);
            if (const auto when = app::when_text(*item, tr, lang_); !when.empty()) piece += " (" + when + ")";
            titles += (titles.empty() ? "" : "   ·   ") + piece;
        }
    if (plan.urgent) text = titles;
    else if (!titles.empty()) text += "   ·   " + titles;
    view_.ticker = text;
}

std::optional<SteadyTime> DisplayRole::next_deadline(SteadyTime now) const {
    const Millis wall = env_.ctx.clock.now();
    SteadyTime next = now + std::chrono::milliseconds(60000 - (wall % 60000) + 20);  // the clock's next minute
    if (highlight_start_) {
        // Only while the highlight runs: its next blink phase, then its end.
        const auto since = now - *highlight_start_;
        next = std::min(next, *highlight_start_ + (since / kBlink + 1) * kBlink);
    }
    if (board_.ticker_pages() > 1) {
        const auto since = now - ticker_since_;
        next = std::min(next, ticker_since_ + (since / kTickerPage + 1) * kTickerPage);
    }
    if (config_.display.side_panel && !highlight_start_)
        if (const auto turn = panel_player_.next_turn()) next = std::min(next, *turn);
    return next;
}

std::string DisplayRole::state_key() const {
    std::string key = "board";
    for (std::size_t i = 0; i < view_.calls.size() && i < 3; ++i)
        key += '/' + view_.calls[i].label + '-' + std::to_string(view_.calls[i].counter);
    if (view_.highlight) key += "/highlight";
    key += "/s" + std::to_string(sounds_done_);
    key += "/t" + std::to_string(std::hash<std::string>{}(view_.ticker) % 10000 + view_.ticker_page * 10000);
    if (!view_.link_flag.empty()) key += '/' + view_.link_flag;
    if (view_.panel_item) key += "/p-" + view_.panel_item->id;
    return key;
}

nlohmann::json DisplayRole::describe() const {
    nlohmann::json calls = nlohmann::json::array();
    for (const auto& c : view_.calls)
        calls.push_back({{"label", c.label}, {"counter", c.counter}, {"recalled", c.recalled}});
    nlohmann::json waiting = nlohmann::json::object();
    for (const auto& s : view_.sectors) waiting[s.id] = s.waiting;
    return {{"role", "display"},       {"screen", "board"},        {"lang", lang_},
            {"calls", calls},          {"highlight", view_.highlight}, {"waiting", waiting},
            {"calls_noticed", calls_noticed_}, {"sounds", sounds_done_}, {"last_sound_seconds", last_sound_seconds_},
            {"sound_note", last_sound_note_}, {"last_sound_ms", last_sound_ms_}, {"link", link_state(env_)},
            {"ticker", view_.ticker},
            {"panel", {{"item", view_.panel_item && !view_.highlight ? view_.panel_item->id : std::string()},
                       {"page", panel_player_.page()}, {"pages", panel_player_.pages()}}}};
}

// ---- Work off the UI thread.

void DisplayRole::ask_outlook() {
    outlook_worker_.run_coalesced([this]() -> app::RoleWorker::Apply {
        return [this, o = office_.sector_outlook()] { take_outlook(o); };
    });
}

void DisplayRole::take_outlook(const std::vector<SectorOutlook>& outlook) { apply_outlook(view_.sectors, outlook); }

void DisplayRole::announce_call(const Announcement& a) {
    sound_worker_.run([this, a]() -> app::RoleWorker::Apply {
        return [this, d = sound(a)] { take_sound(d); };
    });
}

void DisplayRole::take_sound(const SoundDone& d) {
    ++sounds_done_;
    last_sound_seconds_ = d.seconds;
    last_sound_ms_ = d.noticed_to_sound_ms;
    if (!d.note.empty() && d.note != last_sound_note_) std::cerr << "kiosk: display: " << d.note << '\n';
    last_sound_note_ = d.note;
}

Result<audio::Pcm> DisplayRole::synthesize(const Announcement& a, std::vector<std::string>& notes) const {
    const Translator& tr = env_.ctx.translator;
    // The office's first language always, then the citizen's own if it is another one.
    const std::string& office_lang = config_.languages.front();
    std::vector<std::pair<std::string, std::string>> parts;
    parts.emplace_back(office_lang, audio::call_ssml(tr.tr(office_lang, "call.voice"), a.label, a.counter));
    if (!a.lang.empty() && a.lang != office_lang) {
        if (tr.find(a.lang)) parts.emplace_back(a.lang, audio::call_ssml(tr.tr(a.lang, "call.voice"), a.label, a.counter));
        else notes.push_back("no texts for language \"" + a.lang + "\": the call is spoken in the office's language only");
    }
    const audio::CallSound what{config_.display.chime, config_.display.voice};
    auto pcm = audio::make_call_announcement(what, parts, &notes);
    if (!pcm && what.chime) {
        // No voice at all (espeak-ng data missing): the chime still calls attention to the screen.
        notes.push_back(pcm.error().message + ": chime only");
        return audio::make_call_announcement({true, false}, {}, &notes);
    }
    return pcm;
}

DisplayRole::SoundDone DisplayRole::sound(const Announcement& a) {
    SoundDone done;
    done.label = a.label;
    std::vector<std::string> notes;
    if (!config_.display.chime && !config_.display.voice) {
        done.note = "chime and voice are off ([display] chime, voice)";
    } else if (auto pcm = synthesize(a, notes); !pcm) {
        done.failed = true;
        done.note = "call " + a.label + " not announced: " + pcm.error().message;
    } else {
        done.seconds = pcm->seconds();
        done.noticed_to_sound_ms = ms_between(a.noticed, std::chrono::steady_clock::now());
        if (!env_.sound_file.empty()) {
            if (auto w = audio::write_wav(*pcm, env_.sound_file); !w) notes.push_back(w.error().message);
        } else if (player_) {
            if (const auto e = player_->last_error(); !e.empty()) notes.push_back(e);
            player_->play(std::move(*pcm));
        }
        for (const auto& n : notes) done.note += (done.note.empty() ? "" : "; ") + n;
    }
    return done;
}

}  // namespace csc::gui
