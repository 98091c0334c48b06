#include "shared/office.hpp"

#include <array>
#include <cmath>
#include <cstdio>

#include "shared/rng.hpp"
#include "shared/store_history.hpp"
#include "shared/store_refresh.hpp"
#include "shared/text_check.hpp"

namespace csc {

namespace {
// Monte Carlo paths per forecast: enough for stable 10/50/90% quantiles (docs/FORECAST.md),
// few enough for ≤ 5 ms at the tap (docs/PERFORMANCE.md).
constexpr int kForecastPaths = 240;

bool is_open_status(TicketStatus s) {
    return is_waiting(s) || s == TicketStatus::Called || s == TicketStatus::Serving;
}

// Whether a counter closed at `closed` and reopened at `reopened` within one of its planned
// windows of that day (an outage, as opposed to a planned end of shift).
bool within_planned_window(const SiteConfig& config, int counter, Millis closed, Millis reopened) {
    const LocalTime a = config.timezone.to_local(closed), b = config.timezone.to_local(reopened);
    if (a.date.key() != b.date.key()) return false;
    const CounterConfig* cc = nullptr;
    for (const auto& c : config.counters)
        if (c.number == counter) cc = &c;
    const auto& ranges = cc && !cc->staffed.empty() ? cc->staffed : config.hours.weekly[static_cast<std::size_t>(a.weekday)];
    for (const auto& r : ranges)
        if (r.begin <= a.minute_of_day() && b.minute_of_day() < r.end) return true;
    return false;
}

// A forecast's inputs, copied under the office lock; the Monte Carlo runs after the lock is
// released (run_forecast), so counters and other taps do not wait for it.
struct ForecastJob {
    QueueSnapshot snapshot;
    int target = -1;
    ForecastParams params;
    std::uint64_t seed = 0;
};

ForecastJob prepare_forecast(const OfficeState& state, const SiteConfig& config, const ForecastLearner& learner, Millis now,
                             const QueueTarget& target) {
    ForecastJob job;
    job.snapshot = snapshot_of(state, now, booked_today(state, config, now));
    job.target = find_target(job.snapshot, config, target);
    const LocalTime lt = config.timezone.to_local(now);
    job.params = learner.params(lt.date.key(), lt.minute_of_day(), ForecastLearner::running_in(job.snapshot));
    const std::string key = target.ticket_id.empty() ? target.sector + "@" + std::to_string(now) : target.ticket_id;
    job.seed = Rng::seed_of(key.c_str());
    return job;
}

// The forecast of a walk-in about to be recorded as `id`: the snapshot holds it as the state
// will once it is recorded (issued now, presence unknown, that id, seeded by it), so the
// forecast printed is the one forecast_for(id) gives right after.
ForecastJob prepare_new_ticket_forecast(const OfficeState& state, const SiteConfig& config, const ForecastLearner& learner,
                                        Millis now, const std::string& sector, const std::string& priority,
                                        const std::string& id) {
    ForecastJob job;
    job.snapshot = snapshot_of(state, now, booked_today(state, config, now));
    QueueSnapshot::Item it;
    it.sector = -1;
    for (std::size_t i = 0; i < config.sectors.size(); ++i)
        if (config.sectors[i].id == sector) it.sector = static_cast<int>(i);
    if (it.sector < 0) return job;
    it.priority = !priority.empty();
    it.issued_at = now;
    it.id = id;
    job.snapshot.waiting.push_back(std::move(it));
    job.target = static_cast<int>(job.snapshot.waiting.size()) - 1;
    const LocalTime lt = config.timezone.to_local(now);
    job.params = learner.params(lt.date.key(), lt.minute_of_day(), ForecastLearner::running_in(job.snapshot));
    job.seed = Rng::seed_of(id.c_str());
    return job;
}

WaitForecast run_forecast(const ForecastJob& job) {
    return forecast_wait(job.snapshot, job.target, job.params, kForecastPaths, job.seed);
}
}  // namespace

std::string describe_next_opening(const SiteConfig& config, Millis now) {
    static constexpr std::array<const char*, 7> kDays{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                      "Friday", "Saturday", "Sunday"};
    const LocalTime lt = config.timezone.to_local(now);
    const auto next = config.hours.next_opening(lt);
    if (!next) return "";
    char hm[16];
    std::snprintf(hm, sizeof hm, "%02d:%02d", next->second / 60, next->second % 60);
    const long today = days_from_civil(lt.date.year, lt.date.month, lt.date.day);
    const long day = days_from_civil(next->first.year, next->first.month, next->first.day);
    if (day == today) return std::string("today at ") + hm;
    if (day == today + 1) return std::string("tomorrow at ") + hm;
    const auto wd = static_cast<std::size_t>(((day % 7) + 7 + 3) % 7);
    if (day - today < 7) return std::string(kDays[wd]) + " at " + hm;
    return std::string(kDays[wd]) + " " + next->first.iso() + " at " + hm;
}

Office::Office(std::unique_ptr<SiteConfig> config, std::unique_ptr<Store> store, const Clock& clock, std::string device)
    : config_(std::move(config)),
      store_(std::move(store)),
      clock_(clock),
      device_(std::move(device)),
      state_(*config_),
      learner_(*config_) {}

Result<std::unique_ptr<Office>> Office::open(SiteConfig config, const std::filesystem::path& data_dir,
                                             const Clock& clock, std::string device, StoreAccess access) {
    auto store = Store::open(data_dir, access);
    if (!store) return store.error();
    const auto kept = (*store)->meta("device");
    if (device.empty()) device = kept.value_or("kiosk-1");
    if (!valid_device_name(device))
        return fail_as("input", "invalid device name \"" + device + "\": use 1-40 lowercase letters, digits, '-', '_' or '.'");
    // The store remembers its first device name; --device NAME on one command does not change it.
    if (!kept && access == StoreAccess::ReadWrite)
        if (auto r = (*store)->set_meta("device", device); !r) return r.error();

    auto cfg = std::make_unique<SiteConfig>(std::move(config));
    std::unique_ptr<Office> office(new Office(std::move(cfg), std::move(*store), clock, device));
    office->next_seq_ = office->store_->last_device_seq(device) + 1;

    // The forecast learns from this office's own history (the last weeks of outcomes).
    const auto& tz = office->config_->timezone;
    const int from_day = tz.day_key(clock.now() - static_cast<Millis>(kForecastHistoryDays) * 86'400'000);
    auto outcomes = load_outcomes(*office->store_, from_day);
    if (!outcomes) return outcomes.error();
    for (const auto& o : *outcomes) office->learner_.observe(o);
    auto times = load_counter_time(*office->store_, from_day);
    if (!times) return times.error();
    for (const auto& t : *times) {
        if (t.kind == "pause") office->learner_.observe_pause(t.minutes);
        else if (t.kind == "outage") office->learner_.observe_outage(t.minutes);
        else office->learner_.observe_open_time(t.minutes);
    }
    // Events set aside earlier (stamped by a clock that was ahead) stay out for good.
    auto set_aside = office->store_->quarantine_list();
    if (!set_aside) return set_aside.error();
    for (auto& q : *set_aside) {
        office->quarantined_ids_.insert(q.id);
        office->future_events_.push_back(std::move(q));
    }

    // Staff records outlive the day: every staff event stored, whichever day it was made.
    auto staff_events = office->store_->events_of_kind("staff.");
    if (!staff_events) return staff_events.error();
    for (const auto& se : *staff_events)
        if (!office->quarantined_ids_.count(se.event.id)) office->staff_.apply(se.event);

    // Today's state is derived from today's events: replay them from local midnight. Events
    // other processes append from here on are applied by refresh() (office_refresh.cpp).
    std::lock_guard lock(office->mutex_);
    if (auto r = office->replay_today_locked(); !r) return r.error();
    // The agenda's ended days teach the forecast each sector's show rate and arrival offsets.
    office->learn_bookings_locked(office->state_, office->config_->timezone.day_key(clock.now()));
    return office;
}

Result<void> Office::replay_today_locked() {
    const bool first = applied_position_ == 0 && state_.tickets().empty() && state_.counters().empty();
    state_ = OfficeState(*config_);
    opened_at_.clear();
    const Millis now = clock_.now();
    applied_position_ = last_event_position(*store_);
    // The agenda outlives the day: the booking events of the days it still keeps come first.
    const Millis today = config_->timezone.start_of_day(now);
    auto agenda_events = store_->agenda_events_between(agenda_history_start(*config_, now), today);
    if (!agenda_events) return agenda_events.error();
    for (const auto& se : *agenda_events)
        if (!quarantined_ids_.count(se.event.id)) (void)state_.apply(se.event);
    auto events = store_->events_since(today);
    if (!events) return events.error();
    for (const auto& se : *events) {
        applied_position_ = std::max(applied_position_, se.position);
        // Another program under this device's name may have appended since next_seq_ was read.
        if (se.event.device == device_) next_seq_ = std::max(next_seq_, se.event.seq + 1);
        if (reject_from_future_locked(se.event, now)) continue;
        // The forecast learned these events already when this program first replayed them.
        const StateBefore before = first ? before_of(state_, se.event) : StateBefore{};
        const ApplyResult applied = state_.apply(se.event);
        if (applied.applied && first) learn_locked(se.event, before, state_, applied, LearnFrom::Replay);
    }
    ++version_;
    bus_.publish_reset();
    changed_.notify_all();
    return {};
}

bool Office::reject_from_future_locked(const Event& e, Millis reference) {
    if (quarantined_ids_.count(e.id)) return true;
    const auto& tz = config_->timezone;
    // A later day is believed only from a clock a little ahead just before midnight: stamped at
    // most kClockTolerance after `reference`. (Comparing days of `reference + kClockTolerance`
    // alone let a clock a whole day ahead in through the last minutes before midnight.)
    if (tz.day_key(e.time) <= tz.day_key(reference) || e.time <= reference + kClockTolerance) return false;
    const LocalTime at = tz.to_local(e.time);
    char when[40];
    std::snprintf(when, sizeof when, "%s %02d:%02d", at.date.iso().c_str(), at.hour, at.minute);
    QuarantinedEvent q{0, e.id,
                       "stamped " + std::string(when) + ", a later day than the office's clock allowed (a device clock that was ahead)"};
    quarantined_ids_.insert(e.id);
    // Kept out for good, also once its day comes (best effort: a read-only store cannot).
    (void)store_->add_to_quarantine(q, clock_.now());
    future_events_.push_back(std::move(q));
    return true;
}

std::string Office::clock_alarm() const {
    std::lock_guard lock(mutex_);
    return clock_alarm_locked();
}

std::string Office::clock_alarm_locked() const {
    const Millis now = clock_.now();
    auto local = [&](Millis t) {
        const LocalTime at = config_->timezone.to_local(t);
        char b[40];
        std::snprintf(b, sizeof b, "%s %02d:%02d", at.date.iso().c_str(), at.hour, at.minute);
        return std::string(b);
    };
    if (now < kEarliestPlausibleTime)
        return "clock alarm: this device's clock reads " + local(now) +
               ", which cannot be right; set the date and time (NTP) — nothing is recorded until then";
    if (server_skew_ && (*server_skew_ > kClockTolerance || *server_skew_ < -kClockTolerance)) {
        const long minutes = static_cast<long>(*server_skew_ / 60'000);
        return "clock alarm: this device's clock reads " + local(now) + ", " + std::to_string(minutes < 0 ? -minutes : minutes) +
               " min " + (minutes < 0 ? "behind" : "ahead of") +
               " the office servers; set the date and time (NTP) — nothing is recorded until then";
    }
    return {};
}

void Office::note_server_time(Millis server_time, Millis local_time) {
    std::lock_guard lock(mutex_);
    const bool was = !clock_alarm_locked().empty();
    server_skew_ = local_time - server_time;
    if (was != !clock_alarm_locked().empty()) {
        ++version_;
        changed_.notify_all();
    }
}

std::vector<QuarantinedEvent> Office::quarantined() const {
    std::lock_guard lock(mutex_);
    std::vector<QuarantinedEvent> out = store_->quarantined();
    out.insert(out.end(), future_events_.begin(), future_events_.end());
    return out;
}

Office::StateBefore Office::before_of(const OfficeState& state, const Event& e) {
    StateBefore before;
    before.day = state.day();
    before.counters = state.counters();
    if (std::holds_alternative<DayClosed>(e.body))
        for (const auto& t : state.tickets())
            if (is_open_status(t.status)) before.open_tickets.push_back(t.id);
    return before;
}

void Office::learn_bookings_locked(const OfficeState& state, int before_day) {
    // Each ended day once: whether its booked citizens came, and how early or late.
    std::map<int, std::vector<const Booking*>> by_day;
    for (const auto& b : state.agenda().bookings()) {
        const int d = config_->timezone.day_key(b.slot);
        if (d < before_day && !learned_booking_days_.count(d)) by_day[d].push_back(&b);
    }
    for (const auto& [d, list] : by_day) {
        learned_booking_days_.insert(d);
        for (const Booking* b : list) learner_.observe_booking(*b);
    }
}

void Office::learn_locked(const Event& e, const StateBefore& before, const OfficeState& after, const ApplyResult& applied,
                          LearnFrom from) {
    const int day = after.day();
    if (before.day != 0 && before.day < day) learn_bookings_locked(after, day);
    if (const auto* issued = std::get_if<TicketIssued>(&e.body)) {
        learner_.observe_issue(day, issued->sector, config_->timezone.to_local(e.time).hour,
                               issued->appointment_at.has_value() || (!issued->booking.empty() && !issued->walk_in));
        return;
    }
    auto counter_before = [&](int number) -> const CounterState* {
        for (const auto& c : before.counters)
            if (c.number == number) return &c;
        return nullptr;
    };
    if (from == LearnFrom::Replay) {
        // Counter time still has to know when each counter opened.
        for (const auto& c : after.counters())
            if (const CounterState* was = counter_before(c.number); was && was->status == CounterStatus::Closed && c.status != CounterStatus::Closed)
                opened_at_[c.number] = e.time;
        return;
    }
    const bool save = from == LearnFrom::Recorded;
    // Tickets that ended with this event: the one it acted on (open before it) or, for
    // day.closed, every one that was open. The first event of a new day ends none of today's.
    auto ended = [&](std::string_view id) {
        const Ticket* t = after.find_ticket(id);
        if (!t || is_open_status(t->status)) return;
        if (auto o = outcome_of(*t, day)) {
            if (!save) {
                learner_.observe(*o);
                return;
            }
            // Counted once per ticket, even when LAN mode sees an outcome again from the stream.
            const bool counted = outcome_saved(*store_, o->id);
            (void)save_outcome(*store_, *o);  // derived data: a failed save only weakens the forecast
            if (!counted) learner_.observe(*o);
        }
    };
    if (before.day == day) {
        if (std::holds_alternative<DayClosed>(e.body))
            for (const auto& id : before.open_tickets) ended(id);
        else if (!applied.ticket_id.empty())
            ended(applied.ticket_id);
    }
    // Counter time: pauses that ended, open time of counters that closed.
    for (const auto& c : after.counters()) {
        const CounterState* was = counter_before(c.number);
        if (!was || was->status == c.status) continue;
        if (was->status == CounterStatus::Closed) {
            opened_at_[c.number] = e.time;
            if (was->since > 0 && within_planned_window(*config_, c.number, was->since, e.time)) {
                const double minutes = static_cast<double>(e.time - was->since) / 60'000.0;
                learner_.observe_outage(minutes);
                if (save) (void)save_counter_time(*store_, {day, c.number, "outage", minutes});
            }
        }
        if (was->status == CounterStatus::Paused) {
            const double minutes = static_cast<double>(e.time - was->since) / 60'000.0;
            learner_.observe_pause(minutes);
            if (save) (void)save_counter_time(*store_, {day, c.number, "pause", minutes});
        }
        if (c.status == CounterStatus::Closed && opened_at_.count(c.number)) {
            const double minutes = static_cast<double>(e.time - opened_at_[c.number]) / 60'000.0;
            learner_.observe_open_time(minutes);
            if (save) (void)save_counter_time(*store_, {day, c.number, "open", minutes});
            opened_at_.erase(c.number);
        }
    }
}

Result<ApplyResult> Office::record_locked(EventBody body, const std::string& by) {
    if (store_->read_only()) return fail_as("store.readonly", store_->path().string() + ": opened read-only; nothing can be recorded");
    // A clock that cannot be right stamps nothing (it could move the office into another day).
    if (auto alarm = clock_alarm_locked(); !alarm.empty()) return fail_as("clock", alarm);
    // Single machine: other processes on this store may have appended; judge the action on the
    // state that includes their events (office_refresh.cpp).
    if (!confirmed_)
        if (auto r = refresh_locked(); !r) return r.error();
    // LAN mode: another process on this store (same device) may have recorded since; number
    // after its events (office_lan.cpp).
    if (confirmed_) {
        if (auto r = refresh_lan_locked(); !r) return r.error();
        // Whatever another program of this device stored, this event comes after it.
        next_seq_ = std::max(next_seq_, store_->last_device_seq(device_) + 1);
    }
    Event e;
    e.device = device_;
    e.seq = next_seq_;
    e.id = make_event_id(device_, e.seq);
    e.time = clock_.now();
    e.by = by;
    e.body = std::move(body);
    // Whatever is appended can be read back (the decoder's rules), checked before anything else.
    if (auto v = validate_event(e); !v) return fail_as("input", v.error().message);
    // Judged first (check() changes nothing): an action that does not apply is an error and
    // writes nothing.
    const ApplyResult verdict = view_locked().check(e);
    if (!verdict.applied && confirmed_ && verdict.reason.rfind("duplicate event ", 0) == 0) {
        // LAN: the view already holds this id (another program of this device used it): the
        // action itself is fine, only its number is taken — take the next one (the view holds
        // finitely many ids, so this ends).
        ++next_seq_;
        return record_locked(std::move(e.body), by);
    }
    if (!verdict.applied) return refused(verdict);  // code "refused" or "refused.<why>" (office_state.hpp)
    // Durable first: the state only ever reflects what is on disk.
    if (confirmed_) {
        auto written = append_own_lan_locked(e);
        if (!written) return written.error();
        if (!*written) return record_locked(std::move(e.body), by);  // its seq was taken meanwhile: again
    } else {
        auto position = append_in_order_locked(e);
        if (!position) return position.error();
        if (*position == 0) return record_locked(std::move(e.body), by);  // another process appended first: again
    }
    ++next_seq_;
    ++version_;
    if (confirmed_) note_own_event_locked(e);  // LAN mode: to publish (docs/SYNC.md)
    // Applied in place: the state has not changed since check(), so neither has the verdict.
    const StateBefore before = before_of(state_, e);
    const ApplyResult applied = state_.apply(e);
    if (state_.day() != before.day) opened_at_.clear();
    learn_locked(e, before, state_, applied, LearnFrom::Recorded);
    staff_.apply(e);
    if (applied.applied) bus_.publish(e, applied);
    return applied;
}

Result<ApplyResult> Office::record(EventBody body, const std::string& by) {
    std::lock_guard lock(mutex_);
    return record_locked(std::move(body), by);
}

Result<ApplyResult> Office::record_agenda(EventBody body, const std::string& by) {
    if (!Agenda::handles(body)) return fail_as("input", "not an agenda event: " + std::string(event_type(body)));
    {
        std::lock_guard lock(mutex_);
        if (confirmed_ && !(uplink_ && uplink_->online()))
            return fail_as("offline", "the office network cannot be reached: bookings can be made, moved or cancelled only "
                                      "online (the agenda shown may miss the latest changes)");
        // Judged on an agenda that misses bookings older than the stream, a booking could take
        // a place the office gave away already (docs/BOOKING.md, "Bookings older than the stream").
        if (confirmed_ && !agenda_complete_locked())
            return fail_as("booking.agenda_incomplete",
                           "this device does not have the bookings made before the oldest message the office stream "
                           "keeps: it can book once it has the agenda snapshot that a device publishes when the day opens; "
                           "book at another device meanwhile");
    }
    auto r = record_confirmed(std::move(body), by);
    // Refused by the agenda here (single machine, or judged on this device's view first): the
    // same answer as a refusal decided by the stream.
    if (!r && r.error().code.rfind("refused", 0) == 0) {
        const std::string& code = r.error().code;  // "refused.booking.full" → "booking.full"
        return ApplyResult{false, r.error().message, {}, code.size() > 8 ? code.substr(8) : std::string(), r.error().args};
    }
    if (!r && (r.error().code.empty() || r.error().code == "lan.unconfirmed")) return fail_as("booking", r.error().message);
    return r;
}

Result<IssueRequest> Office::booking_ticket_request(const std::string& code, const std::string& lang, bool walk_in) const {
    std::lock_guard lock(mutex_);
    const OfficeState& view = view_locked();
    const Booking* b = view.agenda().find(code);
    if (!b) return fail_as("booking.unknown", "no booking has the code " + code, {{"code", code}});
    const BookableService* bs = config_->booking.find(b->service);
    // Judged as the state machine will judge it, with this device's clock as "now".
    const auto why = walk_in ? view.agenda().walk_in_problem(code, b->sector, clock_.now(), *config_)
                             : view.agenda().check_in_problem(code, b->sector, clock_.now(), *config_);
    if (!why.empty()) return fail_as(why.code.empty() ? "booking" : why.code, why.reason, why.args);
    IssueRequest request;
    request.sector = b->sector;
    request.service = bs ? bs->service : std::string();
    request.lang = lang.empty() ? b->lang : lang;
    request.booking = code;
    return request;
}

Result<IssuedTicket> Office::issue_for_booking(const IssueRequest& request) {
    auto issued = issue(request);
    // Refused in the stream's order (LAN: another device checked it in first): the agenda's code.
    if (!issued && issued.error().code.rfind("refused.booking.", 0) == 0)
        return fail_as(issued.error().code.substr(8), issued.error().message, issued.error().args);
    return issued;
}

Result<IssuedTicket> Office::check_in(const std::string& code, const std::string& lang, const std::string& channel,
                                     const std::string& by) {
    auto request = booking_ticket_request(code, lang, false);
    if (!request) return request.error();
    request->channel = channel;
    request->by = by;  // staff checking a citizen in (the Info Point); "" = the citizen at the kiosk
    request->allow_when_closed = true;  // the office set the slot up: it is served then
    return issue_for_booking(*request);
}

Result<IssuedTicket> Office::walk_in_late_booking(const std::string& code, const std::string& lang, const std::string& by) {
    if (by.empty()) return fail_as("booking.staff_only", "only staff can turn a late booking into a walk-in ticket", {{"code", code}});
    auto request = booking_ticket_request(code, lang, true);
    if (!request) return request.error();
    request->channel = "assisted";
    request->by = by;
    request->walk_in = true;
    return issue_for_booking(*request);  // a walk-in like any other: only while the office is open
}

std::vector<StaffMember> Office::staff() const {
    std::lock_guard lock(mutex_);
    return staff_.members();
}

std::optional<StaffMember> Office::find_staff(std::string_view name) const {
    std::lock_guard lock(mutex_);
    return staff_.find(name);
}

std::optional<Millis> Office::sign_in_locked_until(std::string_view name) const {
    std::lock_guard lock(mutex_);
    return staff_.locked_until(name, clock_.now());
}

int Office::wrong_pins_in_a_row(std::string_view name) const {
    std::lock_guard lock(mutex_);
    return staff_.wrong_in_a_row(name);
}

bool Office::is_open_now(std::string* when_opens) const {
    const Millis now = clock_.now();
    const bool open = config_->hours.is_open(config_->timezone.to_local(now));
    if (!open && when_opens) *when_opens = describe_next_opening(*config_, now);
    return open;
}

Result<IssuedTicket> Office::issue(const IssueRequest& request) {
    const Sector* sector = config_->find_sector(request.sector);
    // Echoed names are cut and made printable: the message itself must be safe to show.
    auto shown = [](const std::string& s) { return utf8_from_terminal(s.substr(0, 60)) + (s.size() > 60 ? "…" : ""); };
    if (!sector) return fail_as("input", "unknown sector \"" + shown(request.sector) + "\"");
    if (!request.service.empty() && !sector->find_service(request.service))
        return fail_as("input", "unknown service \"" + shown(request.service) + "\" in sector \"" + request.sector + "\"");
    if (request.service.empty() && !sector->services.empty())
        return fail_as("input", "sector \"" + request.sector + "\" has several services: choose one with --service");
    if (!request.priority.empty() && !config_->find_priority(request.priority))
        return fail_as("input", "unknown priority class \"" + shown(request.priority) + "\"");
    // A clock that cannot be right is the real problem, not the hours it reads (2000-01-01 is a holiday).
    if (auto alarm = clock_alarm(); !alarm.empty()) return fail_as("clock", "ticket not issued: " + alarm);
    if (!request.allow_when_closed) {
        std::string opens;
        if (!is_open_now(&opens))
            return fail(opens.empty() ? "office closed" : "office closed; opens " + opens);
    }
    TicketIssued body;
    body.sector = request.sector;
    body.service = request.service;
    body.priority = request.priority;
    body.lang = request.lang.empty() ? config_->languages.front() : request.lang;
    body.channel = request.channel;
    body.appointment_at = request.appointment_at;
    body.booking = request.booking;
    body.walk_in = request.walk_in;
    auto token = new_ticket_token();  // the phone page's key (/t/TOKEN, docs/WEB.md)
    if (!token) return token.error();
    body.token = std::move(*token);

    // A walk-in's promise is recorded with its ticket (statistics: the forecast's accuracy in
    // production), so it is forecast before recording — on a snapshot taken under the lock with
    // the ticket as it will be recorded (the id its event is about to get), run outside it — and
    // that forecast is the one printed. An appointment's place depends on its slot: forecast
    // after recording, as before, and no promise recorded.
    std::optional<WaitForecast> promise;
    if (!body.appointment_at && body.booking.empty()) {
        std::unique_lock lock(mutex_);
        const Millis now = clock_.now();
        // The learner as it will be once the ticket is recorded (learn_locked counts its arrival):
        // the same parameters forecast_for(id) uses right after.
        ForecastLearner with_arrival = learner_;
        const LocalTime lt = config_->timezone.to_local(now);
        with_arrival.observe_issue(lt.date.key(), request.sector, lt.hour, false);
        const ForecastJob job = prepare_new_ticket_forecast(view_locked(), *config_, with_arrival, now, request.sector,
                                                            request.priority, make_event_id(device_, next_seq_));
        lock.unlock();
        if (job.target >= 0) {
            promise = run_forecast(job);
            const ToldWait told = told_wait(*promise);
            body.promised_low_min = std::min(told.low_min, 24 * 60);
            body.promised_high_min = std::min(told.high_min, 24 * 60);
        }
    }

    std::unique_lock lock(mutex_);
    // LAN mode: the ticket is numbered by the stream order, or offline (office_lan.cpp).
    auto applied = confirmed_ ? issue_lan_locked(lock, body, request.by) : record_locked(body, request.by);
    if (!applied) {
        Error e = applied.error();  // the code stays (clock, input, store.full, …)
        e.message = "ticket not issued: " + e.message;
        return e;
    }
    IssuedTicket out;
    out.ticket = *view_locked().find_ticket(applied->ticket_id);
    for (const Ticket* t : view_locked().queue(request.sector)) {
        if (t->id == out.ticket.id) break;
        ++out.people_ahead;
    }
    if (promise) {
        out.forecast = promise;
        return out;
    }
    // The ticket is recorded; its forecast is computed on a snapshot, outside the lock.
    const ForecastJob job = prepare_forecast(view_locked(), *config_, learner_, clock_.now(), QueueTarget{out.ticket.id, {}, {}});
    lock.unlock();
    out.forecast = run_forecast(job);
    return out;
}

WaitForecast Office::forecast_locked(const QueueTarget& target) const {
    return run_forecast(prepare_forecast(view_locked(), *config_, learner_, clock_.now(), target));
}

std::vector<SectorOutlook> Office::sector_outlook() const {
    std::unique_lock lock(mutex_);
    const Millis now = clock_.now();
    const bool open = config_->hours.is_open(config_->timezone.to_local(now));
    const QueueSnapshot base = snapshot_of(view_locked(), now, booked_today(view_locked(), *config_, now));
    const LocalTime lt = config_->timezone.to_local(now);
    const ForecastParams params = learner_.params(lt.date.key(), lt.minute_of_day(), ForecastLearner::running_in(base));
    std::vector<SectorOutlook> out;
    std::vector<std::size_t> to_forecast;
    for (const auto& sec : config_->sectors) {
        SectorOutlook o;
        o.sector = sec.id;
        o.waiting = view_locked().waiting(sec.id);
        o.last_number = view_locked().last_number(sec.id);
        for (const auto& cc : config_->counters) {
            const CounterState* cs = view_locked().find_counter(cc.number);
            if (cs && cs->status != CounterStatus::Closed &&
                std::find(cc.sectors.begin(), cc.sectors.end(), sec.id) != cc.sectors.end())
                ++o.open_counters;
        }
        if (open) to_forecast.push_back(out.size());
        out.push_back(std::move(o));
    }
    lock.unlock();  // the forecasts run on the snapshot, outside the lock
    for (std::size_t i : to_forecast) {
        QueueSnapshot snap = base;
        const int idx = find_target(snap, *config_, QueueTarget{{}, out[i].sector, {}});
        const std::string key = out[i].sector + "@" + std::to_string(now);
        out[i].forecast = forecast_wait(snap, idx, params, kForecastPaths, Rng::seed_of(key.c_str()));
    }
    return out;
}

std::optional<WaitForecast> Office::forecast_for(std::string_view ticket_id) const {
    std::unique_lock lock(mutex_);
    const Ticket* t = view_locked().find_ticket(ticket_id);
    if (!t || !is_waiting(t->status)) return std::nullopt;
    const ForecastJob job = prepare_forecast(view_locked(), *config_, learner_, clock_.now(), QueueTarget{std::string(ticket_id), {}, {}});
    lock.unlock();
    return run_forecast(job);
}

Result<std::string> Office::resolve_ticket_locked(std::string_view label_or_id) const {
    if (const Ticket* t = view_locked().find_ticket(label_or_id)) return t->id;
    if (const Ticket* t = view_locked().find_label(label_or_id)) return t->id;
    const std::string shown = utf8_from_terminal(label_or_id.substr(0, 64));
    return fail_as("input", "unknown ticket \"" + shown + (label_or_id.size() > 64 ? "…" : "") + "\"");
}

Result<CounterOutcome> Office::counter_action(int counter, EventBody body, const std::string& by) {
    std::lock_guard lock(mutex_);
    auto applied = record_locked(std::move(body), by);
    if (!applied) return applied.error();
    CounterOutcome out;
    if (const CounterState* c = view_locked().find_counter(counter)) out.counter = *c;
    if (!applied->ticket_id.empty())
        if (const Ticket* t = view_locked().find_ticket(applied->ticket_id)) out.ticket = *t;
    return out;
}

Result<CounterOutcome> Office::open_counter(int counter) { return counter_action(counter, CounterOpened{counter}); }
Result<CounterOutcome> Office::call_next(int counter) { return counter_action(counter, TicketCalled{counter, {}}); }
Result<CounterOutcome> Office::call_ticket(int counter, std::string_view label_or_id, const std::string& by) {
    std::string id;
    {
        std::lock_guard lock(mutex_);
        auto r = resolve_ticket_locked(label_or_id);
        if (!r) return r.error();
        id = *r;
    }
    return counter_action(counter, TicketCalled{counter, id}, by);
}
Result<CounterOutcome> Office::recall(int counter) { return counter_action(counter, TicketRecalled{counter}); }
Result<CounterOutcome> Office::start_service(int counter) { return counter_action(counter, ServiceStarted{counter}); }
Result<CounterOutcome> Office::finish_service(int counter, const std::string& service) {
    return counter_action(counter, ServiceFinished{counter, service});
}
Result<CounterOutcome> Office::mark_no_show(int counter) { return counter_action(counter, TicketNoShow{counter}); }
Result<CounterOutcome> Office::transfer(int counter, const std::string& to_sector, std::optional<int> to_counter) {
    return counter_action(counter, TicketTransferred{counter, to_sector, to_counter});
}
Result<CounterOutcome> Office::pause_counter(int counter, const std::string& reason) {
    return counter_action(counter, CounterPaused{counter, reason});
}
Result<CounterOutcome> Office::resume_counter(int counter) { return counter_action(counter, CounterResumed{counter}); }
Result<CounterOutcome> Office::close_counter(int counter) { return counter_action(counter, CounterClosed{counter}); }

Result<Ticket> Office::cancel_ticket(std::string_view label_or_id, const std::string& by, const std::string& reason) {
    std::lock_guard lock(mutex_);
    auto id = resolve_ticket_locked(label_or_id);
    if (!id) return id.error();
    auto applied = record_locked(TicketCancelled{*id, reason}, by);
    if (!applied) return applied.error();
    return *view_locked().find_ticket(*id);
}

Result<void> Office::close_day() {
    std::lock_guard lock(mutex_);
    auto applied = record_locked(DayClosed{});
    if (!applied) return applied.error();
    return {};
}

Result<bool> Office::close_day_if_over() {
    const Millis now = clock_.now();
    const LocalTime lt = config_->timezone.to_local(now);
    const auto& ranges = config_->hours.weekly[static_cast<std::size_t>(lt.weekday)];
    if (!ranges.empty() && lt.minute_of_day() < ranges.back().end) return false;
    {
        std::lock_guard lock(mutex_);
        if (view_locked().day() != lt.date.key()) return false;
        bool anything_open = false;
        for (const auto& t : view_locked().tickets()) anything_open = anything_open || is_open_status(t.status);
        for (const auto& c : view_locked().counters()) anything_open = anything_open || c.status != CounterStatus::Closed;
        if (!anything_open) return false;
    }
    if (auto r = close_day(); !r) return r.error();
    return true;
}

void Office::read(const std::function<void(const OfficeState&)>& reader) const {
    std::lock_guard lock(mutex_);
    reader(view_locked());
}

std::shared_ptr<EventFeed> Office::subscribe(std::function<void()> notify) {
    return bus_.subscribe(std::move(notify));
}

std::uint64_t Office::version() const {
    std::lock_guard lock(mutex_);
    return version_;
}

}  // namespace csc
