// The counter terminal's controller: sign-in, the operator's actions as office events, and the
// view of this counter and its sectors' queues.
#include "kiosk/gui/roles/counter.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <iostream>

#include "kiosk/app/office_rules.hpp"
#include "kiosk/app/staff.hpp"

namespace csc::gui {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t kQueueShown = 8;  // labels listed per sector
// The desk's buttons are the application layer's actions, in its order.
static_assert(kCounterActionCount == app::kCounterActionKinds);
static_assert(static_cast<int>(CounterAction::Close) == static_cast<int>(app::CounterActionKind::Close));
static_assert(static_cast<int>(CounterAction::Transfer) == static_cast<int>(app::CounterActionKind::Transfer));


}  // namespace

Result<std::unique_ptr<Role>> make_counter_role(RoleEnv& env) {
    if (!env.ctx.office) return fail("the counter role needs the office store");
    const auto& counters = env.ctx.config.counters;
    std::string list;
    for (const auto& c : counters) list += (list.empty() ? "" : ", ") + std::to_string(c.number);
    if (env.counter <= 0)
        return fail("the counter role needs --counter N (this office's counters: " + (list.empty() ? "none" : list) + ")");
    if (!env.ctx.config.find_counter(env.counter))
        return fail("counter " + std::to_string(env.counter) + " does not exist in " + env.ctx.config.source.string() +
                    " (counters: " + (list.empty() ? "none" : list) + ")");
    return std::unique_ptr<Role>(new CounterRole(env, env.counter));
}

WindowDefaults counter_window_defaults(const SiteConfig&) {
    WindowDefaults d;
    d.orientation = "landscape";
    d.fullscreen = false;
    d.width = 1280;
    d.height = 800;
    return d;
}

CounterRole::CounterRole(RoleEnv& env, int counter)
    : env_(env), office_(*env.ctx.office), config_(env.ctx.config), counter_(*config_.find_counter(counter)) {
    lang_ = config_.languages.front();  // never empty: the configuration requires one
    if (!env.lang.empty() && env.ctx.translator.find(env.lang)) lang_ = env.lang;
    const Translator& tr = env.ctx.translator;
    view_.counter = counter;
    view_.counter_title = counter_.name.get(lang_);
    if (view_.counter_title.empty()) view_.counter_title = tr.tr(lang_, "counter.title", {{"counter", std::to_string(counter)}});
    for (const auto& sid : counter_.sectors)
        if (const Sector* s = config_.find_sector(sid))
            view_.sectors_line += (view_.sectors_line.empty() ? "" : ", ") + s->name.get(lang_);
    for (const auto& s : config_.sectors) view_.transfer_targets.emplace_back(s.id, s.name.get(lang_));
    for (const char* k : {"counter.pause.break", "counter.pause.back_office", "counter.pause.phone", "counter.pause.meeting"})
        view_.pause_reasons.emplace_back(k, tr.tr(lang_, k));  // the key is recorded, each screen translates it
    // Subscribed before the first read: nothing applied falls between the two. LAN: with the
    // stream's confirmations of this device's own events ("calling…" ends on one).
    feed_ = office_.subscribe(env_.wake, OwnConfirmations::Include);
    refresh_operators();
}

CounterRole::~CounterRole() { worker_.stop(); }  // a sign-in or action queued is finished (the PIN wiped)

// ---- Intents (UI thread).

void CounterRole::submit(ActionJob job) {
    worker_.run([this, job = std::move(job)]() -> app::RoleWorker::Apply {
        auto r = run(job);
        return [this, ok = r.ok(), error = r.ok() ? Error{} : r.error()] {
            view_.busy = false;
            view_.error = error;
            if (!ok)  // the screen shows it translated; the log keeps the English
                std::cerr << "kiosk: counter " << view_.counter << ": not done: " << error.message << '\n';
            ++actions_done_;
            office_due_ = true;  // show the outcome at once
        };
    });
}

void CounterRole::sign_in(const std::string& name, const std::string& pin) {
    if (view_.login.checking_pin || locked_until_) return;
    view_.login.checking_pin = true;
    view_.login.wrong_pin = false;
    // The staff directory is the store's (LAN-wide): a member added or a PIN changed on another
    // machine a minute ago works here, and so does a lock set there.
    worker_.run([this, name, secret = pin]() mutable -> app::RoleWorker::Apply {
        auto r = app::sign_in(office_, name, secret, "counter", "counter " + std::to_string(counter_.number));
        wipe_secret(secret);
        return [this, name, r = std::move(r)] { signed_in(name, r); };
    });
}

void CounterRole::signed_in(const std::string& name, const Result<app::SignInResult>& r) {
    view_.login.checking_pin = false;
    ++sign_in_attempts_;
    if (!r) {
        std::cerr << "kiosk: counter " << view_.counter << ": sign-in not recorded: " << r.error().message << '\n';
        view_.login.wrong_pin = true;
        return;
    }
    if (r->ok) {
        view_.operator_name = name;
        view_.login.wrong_pin = false;
        locked_until_.reset();
        std::cerr << "kiosk: counter " << view_.counter << ": operator \"" << name << "\" signed in\n";
    } else {
        view_.login.wrong_pin = true;
        locked_until_ = r->locked_until;
        std::cerr << "kiosk: counter " << view_.counter << ": sign-in refused for \"" << name << "\""
                  << (r->locked_until ? " (locked after too many wrong PINs)" : " (wrong PIN)") << '\n';
    }
}

void CounterRole::sign_out() {
    // Audited like the sign-in (recorded on the worker: an fsync); the screen changes at once.
    if (!view_.operator_name.empty())
        worker_.run_only([this, who = view_.operator_name] {
            if (auto r = office_.record(StaffSignedOut{who, "counter " + std::to_string(counter_.number)}, who); !r)
                std::cerr << "kiosk: counter " << counter_.number << ": sign-out not recorded: " << r.error().message << '\n';
        });
    view_.operator_name.clear();
    view_.modal = CounterModal::None;
    view_.error = {};
}

void CounterRole::act(CounterAction action) {
    if (view_.operator_name.empty() || view_.busy) return;
    if (action == CounterAction::Pause) {
        view_.modal = CounterModal::Pause;
        return;
    }
    if (action == CounterAction::Transfer) {
        view_.modal = CounterModal::Transfer;
        return;
    }
    view_.busy = true;
    view_.error = {};
    submit(ActionJob{action, {}, view_.operator_name});
}

void CounterRole::pause_with(const std::string& reason) {
    if (view_.busy) return;
    view_.modal = CounterModal::None;
    view_.busy = true;
    view_.error = {};
    submit(ActionJob{CounterAction::Pause, reason, view_.operator_name});
}

void CounterRole::transfer_to(const std::string& sector) {
    if (view_.busy) return;
    view_.modal = CounterModal::None;
    view_.busy = true;
    view_.error = {};
    submit(ActionJob{CounterAction::Transfer, sector, view_.operator_name});
}

void CounterRole::close_modal() { view_.modal = CounterModal::None; }

// ---- Worker.

Result<CounterOutcome> CounterRole::run(const ActionJob& job) {
    const int n = counter_.number;
    const std::string& by = job.by;  // every action records who made it
    switch (job.action) {
        case CounterAction::Call:
            if (office_.lan_mode()) {
                // LAN: the stream decides which ticket this call gets (docs/SYNC.md); the
                // desk shows "calling…" until then (refresh_office).
                auto r = office_.record_confirmed(TicketCalled{n, {}}, by);
                // Not decided yet (code "lan.unconfirmed"), or the call does not apply (closed counter, …).
                if (!r) return r.error();
                if (!r->applied) return refused(*r);
                return CounterOutcome{};
            }
            return office_.counter_action(n, TicketCalled{n, {}}, by);
        case CounterAction::Recall: return office_.counter_action(n, TicketRecalled{n}, by);
        case CounterAction::Start: return office_.counter_action(n, ServiceStarted{n}, by);
        case CounterAction::Finish: return office_.counter_action(n, ServiceFinished{n, {}}, by);
        case CounterAction::NoShow: return office_.counter_action(n, TicketNoShow{n}, by);
        case CounterAction::Transfer: return office_.counter_action(n, TicketTransferred{n, job.argument, std::nullopt}, by);
        case CounterAction::Pause: return office_.counter_action(n, CounterPaused{n, job.argument}, by);
        case CounterAction::Resume: return office_.counter_action(n, CounterResumed{n}, by);
        case CounterAction::Open: return office_.counter_action(n, CounterOpened{n}, by);
        case CounterAction::Close: return office_.counter_action(n, CounterClosed{n}, by);
    }
    return fail("unknown action");
}

// ---- Frame.

void CounterRole::update(SteadyTime now) {
    view_.link_flag = link_flag(env_);
    worker_.apply_posted();
    if (locked_until_ && env_.ctx.clock.now() >= *locked_until_) locked_until_.reset();
    take_feed();
    refresh_view(now);
}

void CounterRole::take_feed() {
    auto batch = feed_->take();
    if (batch.reset) office_due_ = operators_due_ = true;
    for (const auto& item : batch.items) {
        if (item.own_confirmed) {
            // LAN: the stream ordered an own event. The view read() shows did not change (it
            // applied the event when recording it); the confirmed state did. While this desk
            // shows "calling…" (its view ahead of the confirmed state) that may end it: read again.
            if (view_.calling) office_due_ = true;
            continue;
        }
        if (!item.result.applied) continue;
        const app::EventTouches t = app::touches(item.event.body);
        operators_due_ = operators_due_ || t.staff;
        // Any queue change may concern this desk (a ticket issued in its sectors, another
        // counter calling from them, a transfer to it): cheap to read again, only when it happens.
        office_due_ = office_due_ || t.queues || t.counters;
    }
}

void CounterRole::refresh_view(SteadyTime) {
    const Millis wall = env_.ctx.clock.now();
    view_.login.locked_seconds = locked_until_ ? static_cast<int>((*locked_until_ - wall + 999) / 1000) : 0;
    const LocalTime local = config_.timezone.to_local(wall);
    char b[8];
    std::snprintf(b, sizeof b, "%02d:%02d", local.hour, local.minute);
    view_.time = b;
    view_.login.title = view_.counter_title;
    view_.login.time = view_.time;
    view_.login.link_flag = view_.link_flag;
    // The queue order moves with the clock (appointments fall due) even when nobody acts.
    const int minute = local.minute_of_day();
    if (minute != last_minute_) {
        last_minute_ = minute;
        office_due_ = true;
    }
    if (office_due_) {
        office_due_ = false;
        refresh_office();
    }
    if (operators_due_) {
        operators_due_ = false;
        refresh_operators();  // staff added or removed anywhere (`kiosk operator add`, the LAN)
    }
}

void CounterRole::refresh_operators() {
    view_.login.operators.clear();
    for (const auto& m : office_.staff())
        if (m.has_role("counter")) view_.login.operators.push_back(m.name);
}

void CounterRole::refresh_office() {
    const Millis now = env_.ctx.clock.now();
    // LAN: the counter's ticket in the stream's order (read first: read() holds the same lock).
    const bool lan = office_.lan_mode();
    std::string confirmed_current;
    if (lan)
        office_.read_confirmed([&](const OfficeState& c) {
            if (const CounterState* cc = c.find_counter(counter_.number)) confirmed_current = cc->current;
        });
    office_.read([&](const OfficeState& st) {
        const CounterState* cs = st.find_counter(counter_.number);
        view_.status = cs ? cs->status : CounterStatus::Closed;
        view_.pause_reason = cs ? env_.ctx.translator.tr_or_text(lang_, cs->pause_reason) : std::string();
        view_.current.reset();
        view_.calling = false;
        // LAN: a call shows only once the stream decided it. A ticket this counter holds in
        // its own view but not in the confirmed state is its own call still on its way.
        if (cs && !cs->current.empty() && lan) {
            if (confirmed_current != cs->current) {
                view_.calling = true;
                cs = nullptr;
            }
        }
        if (cs && !cs->current.empty())
            if (const Ticket* t = st.find_ticket(cs->current)) {
                CounterTicketView c;
                c.label = t->label;
                c.serving = t->status == TicketStatus::Serving;
                c.since = local_hhmm(config_, c.serving ? t->started_at : t->called_at);
                c.recalls = t->recalls;
                if (const Sector* s = config_.find_sector(t->sector)) {
                    c.sector_name = s->name.get(lang_);
                    c.colour = s->colour;
                    c.text = s->text_colour;
                    if (const Service* sv = s->find_service(t->service)) c.service_name = sv->name.get(lang_);
                } else {
                    c.sector_name = t->sector;
                    c.colour = {0x0B, 0x3D, 0x73};
                    c.text = {0xFF, 0xFF, 0xFF};
                }
                if (const PriorityClass* p = config_.find_priority(t->priority)) c.priority_name = p->name.get(lang_);
                view_.current = std::move(c);
            }
        const Ticket* next = st.next_for(counter_.number, now);
        view_.next_label = next ? next->label : std::string();
        view_.queues.clear();
        for (const auto& sid : counter_.sectors) {
            const Sector* s = config_.find_sector(sid);
            if (!s) continue;
            CounterQueueView q;
            q.id = s->id;
            q.name = s->name.get(lang_);
            q.colour = s->colour;
            q.text = s->text_colour;
            if (auto code = env_.icon_map.find(s->icon)) q.icon = utf8_of(*code);
            q.waiting = st.waiting(sid);
            for (const Ticket* t : st.queue(sid, now)) {
                if (q.first.size() >= kQueueShown) break;
                q.first.emplace_back(t->label, st.goes_first(*t, now));
            }
            view_.queues.push_back(std::move(q));
        }
    });
    // What each action can do now: the state machine's own verdict on it (app layer), on the
    // state as shown; while the LAN has not ordered this desk's call yet, nothing.
    std::array<bool, app::kCounterActionKinds> allowed{};
    if (!view_.calling) office_.read([&](const OfficeState& st) { allowed = app::counter_actions_allowed(st, counter_.number, now); });
    for (int i = 0; i < kCounterActionCount; ++i) view_.enabled[i] = allowed[std::size_t(i)];
}

Screen& CounterRole::screen() {
    if (view_.operator_name.empty()) return sign_in_;
    return desk_;
}

std::optional<SteadyTime> CounterRole::next_deadline(SteadyTime now) const {
    const Millis wall = env_.ctx.clock.now();
    SteadyTime next = now + std::chrono::milliseconds(60000 - (wall % 60000) + 20);
    if (locked_until_) next = std::min(next, now + 1s);  // the lock's countdown
    // A job on the worker: its answer's wake (glfwPostEmptyEvent) can be lost (GLFW 3.3, X11).
    if (view_.login.checking_pin || view_.busy) next = std::min(next, now + 100ms);
    return next;
}

std::string CounterRole::state_key() const {
    std::string key(const_cast<CounterRole*>(this)->screen().name());
    key += '/' + std::string(to_string(view_.status));
    if (view_.current) key += '/' + view_.current->label + (view_.current->serving ? "-serving" : "-called");
    key += "/next-" + view_.next_label;
    if (view_.modal == CounterModal::Pause) key += "/pause-dialog";
    if (view_.modal == CounterModal::Transfer) key += "/transfer-dialog";
    if (view_.busy) key += "/busy";
    if (view_.login.checking_pin) key += "/checking";
    if (view_.calling) key += "/calling";
    if (view_.login.wrong_pin) key += "/wrong-pin";
    if (view_.login.locked_seconds > 0) key += "/locked";
    key += "/s" + std::to_string(sign_in_attempts_);
    if (!view_.error.message.empty()) key += "/error";
    key += "/a" + std::to_string(actions_done_);
    if (!view_.link_flag.empty()) key += '/' + view_.link_flag;
    return key;
}

nlohmann::json CounterRole::describe() const {
    nlohmann::json j{{"role", "counter"},
                     {"screen", std::string(const_cast<CounterRole*>(this)->screen().name())},
                     {"counter", view_.counter},
                     {"operator", view_.operator_name},
                     {"status", std::string(to_string(view_.status))},
                     {"pause_reason", view_.pause_reason},
                     {"next", view_.next_label},
                     {"busy", view_.busy},
                     {"message", view_.error.message},
                     {"error_code", view_.error.code},
                     {"actions_done", actions_done_},
                     {"wrong_pin", view_.login.wrong_pin},
                     {"calling", view_.calling},
                     {"sign_in_attempts", sign_in_attempts_},
                     {"locked_seconds", view_.login.locked_seconds},
                     {"link", link_state(env_)}};
    if (view_.current) j["current"] = {{"label", view_.current->label}, {"serving", view_.current->serving}};
    nlohmann::json waiting = nlohmann::json::object();
    for (const auto& q : view_.queues) waiting[q.id] = q.waiting;
    j["waiting"] = waiting;
    nlohmann::json enabled = nlohmann::json::array();
    for (int i = 0; i < kCounterActionCount; ++i)
        if (view_.enabled[i]) enabled.push_back(action_id(static_cast<CounterAction>(i)));
    j["enabled"] = enabled;
    return j;
}

}  // namespace csc::gui
