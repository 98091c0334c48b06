#include "shared/office.hpp"

#include "shared/store_refresh.hpp"

namespace csc {

Office::Office(std::unique_ptr<SiteConfig> config, std::unique_ptr<Store> store, const Clock& clock, std::string device)
    : config_(std::move(config)),
      store_(std::move(store)),
      clock_(clock),
      device_(std::move(device)),
      state_(*config_),
      learning_(*config_) {}

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
    if (auto r = office->learning_.load_history(*office->store_, clock.now()); !r) return r.error();
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
    office->learning_.learn_bookings(office->state_, office->config_->timezone.day_key(clock.now()));
    return office;
}

Result<void> Office::replay_today_locked() {
    const bool first = applied_position_ == 0 && state_.tickets().empty() && state_.counters().empty();
    state_ = OfficeState(*config_);
    learning_.forget_openings();
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
    auto why = from_future_reason(config_->timezone, e.time, reference);
    if (!why) return false;
    QuarantinedEvent q{0, e.id, std::move(*why)};
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

std::string Office::clock_alarm_locked() const { return clock_alarm_reason(config_->timezone, clock_.now(), server_skew_); }

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

void Office::learn_locked(const Event& e, const StateBefore& before, const OfficeState& after, const ApplyResult& applied,
                          LearnFrom from) {
    StoreHistoryRecord history(*store_);
    learning_.learn(e, before, after, applied, from, history);
}

Result<ApplyResult> Office::record_locked(EventBody body, const std::string& by) {
    if (store_->read_only()) return fail_as("store.readonly", store_->path().string() + ": opened read-only; nothing can be recorded");
    // A clock that cannot be right stamps nothing (it could move the office into another day).
    if (auto alarm = clock_alarm_locked(); !alarm.empty()) return fail_as("clock", alarm);
    // Single machine: other processes on this store may have appended; judge the action on the
    // state that includes their events (office_refresh.cpp).
    if (!lan_)
        if (auto r = refresh_locked(); !r) return r.error();
    // LAN mode: another process on this store (same device) may have recorded since; number
    // after its events (office_lan.cpp).
    if (lan_) {
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
    if (!verdict.applied && lan_ && verdict.reason.rfind("duplicate event ", 0) == 0) {
        // LAN: the view already holds this id (another program of this device used it): the
        // action itself is fine, only its number is taken — take the next one (the view holds
        // finitely many ids, so this ends).
        ++next_seq_;
        return record_locked(std::move(e.body), by);
    }
    if (!verdict.applied) return refused(verdict);  // code "refused" or "refused.<why>" (office_state.hpp)
    // Durable first: the state only ever reflects what is on disk.
    if (lan_) {
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
    changed_.notify_all();  // wait_for_change() (a live web page in this program) sees own events at once
    // Applied in place: the state has not changed since check(), so neither has the verdict.
    // LAN mode: lan_ keeps it pending until the stream shows it, and the uplink publishes it.
    const StateBefore before = before_of(view_locked(), e);
    const ApplyResult applied = lan_ ? lan_->add_own(e) : state_.apply(e);
    if (lan_ && uplink_) uplink_->publish_soon();  // docs/SYNC.md
    const OfficeState& after = view_locked();
    if (after.day() != before.day) learning_.forget_openings();
    learn_locked(e, before, after, applied, LearnFrom::Recorded);
    staff_.apply(e);
    if (applied.applied) bus_.publish(e, applied);
    return applied;
}

Result<ApplyResult> Office::record(EventBody body, const std::string& by) {
    std::lock_guard lock(mutex_);
    return record_locked(std::move(body), by);
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
    const bool open = is_open_at(*config_, now);
    if (!open && when_opens) *when_opens = describe_next_opening(*config_, now);
    return open;
}

Result<IssuedTicket> Office::issue(const IssueRequest& request) {
    auto body = ticket_issued_of(request, *config_);  // shared/queue/issue_request.hpp
    if (!body) return body.error();
    // A clock that cannot be right is the real problem, not the hours it reads (2000-01-01 is a holiday).
    if (auto alarm = clock_alarm(); !alarm.empty()) return fail_as("clock", "ticket not issued: " + alarm);
    if (!request.allow_when_closed) {
        std::string opens;
        if (!is_open_now(&opens))
            return fail(opens.empty() ? "office closed" : "office closed; opens " + opens);
    }
    auto token = new_ticket_token();  // the phone page's key (/t/TOKEN, docs/WEB.md)
    if (!token) return token.error();
    body->token = std::move(*token);

    // A walk-in's promise is recorded with its ticket (statistics: the forecast's accuracy in
    // production), so it is forecast before recording — on a snapshot taken under the lock with
    // the ticket as it will be recorded (the id its event is about to get), run outside it — and
    // that forecast is the one printed. An appointment's place depends on its slot: forecast
    // after recording, as before, and no promise recorded.
    std::optional<WaitForecast> promise;
    if (!body->appointment_at && body->booking.empty()) {
        std::unique_lock lock(mutex_);
        // Others' events first (another program on this store, the stream), as recording will:
        // the promise is made on the queue the ticket joins. A failure here is reported by
        // recording, which refreshes again.
        (void)(lan_ ? refresh_lan_locked() : refresh_locked());
        const Millis now = clock_.now();
        // The learner as it will be once the ticket is recorded (learn_locked counts its arrival):
        // the same parameters forecast_for(id) uses right after.
        ForecastLearner with_arrival = learning_.learner();
        const LocalTime lt = config_->timezone.to_local(now);
        with_arrival.observe_issue(lt.date.key(), request.sector, lt.hour, false);
        const ForecastJob job = prepare_new_ticket_forecast(view_locked(), *config_, with_arrival, now, request.sector,
                                                            request.priority, make_event_id(device_, next_seq_));
        lock.unlock();
        if (job.target >= 0) {
            promise = run_forecast(job);
            const ToldWait told = told_wait(*promise);
            body->promised_low_min = std::min(told.low_min, 24 * 60);
            body->promised_high_min = std::min(told.high_min, 24 * 60);
        }
    }

    std::unique_lock lock(mutex_);
    // LAN mode: the ticket is numbered by the stream order, or offline (office_lan.cpp).
    auto applied = lan_ ? issue_lan_locked(lock, *body, request.by) : record_locked(*body, request.by);
    if (!applied) {
        Error e = applied.error();  // the code stays (clock, input, store.full, …)
        e.message = "ticket not issued: " + e.message;
        return e;
    }
    IssuedTicket out;
    out.ticket = *view_locked().find_ticket(applied->ticket_id);
    out.people_ahead = people_ahead(view_locked(), request.sector, out.ticket.id);
    if (promise) {
        out.forecast = promise;
        return out;
    }
    // The ticket is recorded; its forecast is computed on a snapshot, outside the lock.
    const ForecastJob job =
        prepare_forecast(view_locked(), *config_, learning_.learner(), clock_.now(), QueueTarget{out.ticket.id, {}, {}});
    lock.unlock();
    out.forecast = run_forecast(job);
    return out;
}

std::vector<SectorOutlook> Office::sector_outlook() const {
    std::unique_lock lock(mutex_);
    OutlookJob job = prepare_sector_outlook(view_locked(), *config_, learning_.learner(), clock_.now());
    lock.unlock();  // the forecasts run on the snapshot, outside the lock
    return run_sector_outlook(std::move(job), *config_);
}

std::optional<WaitForecast> Office::forecast_for(std::string_view ticket_id) const {
    std::unique_lock lock(mutex_);
    const Ticket* t = view_locked().find_ticket(ticket_id);
    if (!t || !is_waiting(t->status)) return std::nullopt;
    const ForecastJob job =
        prepare_forecast(view_locked(), *config_, learning_.learner(), clock_.now(), QueueTarget{std::string(ticket_id), {}, {}});
    lock.unlock();
    return run_forecast(job);
}

std::map<std::string, WaitForecast> Office::forecasts_for_sector(std::string_view sector) const {
    std::unique_lock lock(mutex_);
    const ForecastJob job = prepare_sector_forecasts(view_locked(), *config_, learning_.learner(), clock_.now(), std::string(sector));
    lock.unlock();
    return run_sector_forecasts(job);
}

Result<CounterOutcome> Office::counter_action(int counter, EventBody body, const std::string& by) {
    std::lock_guard lock(mutex_);
    auto applied = record_locked(std::move(body), by);
    if (!applied) return applied.error();
    return counter_outcome(view_locked(), counter, applied->ticket_id);
}

Result<CounterOutcome> Office::open_counter(int counter) { return counter_action(counter, CounterOpened{counter}); }
Result<CounterOutcome> Office::call_next(int counter) { return counter_action(counter, TicketCalled{counter, {}}); }
Result<CounterOutcome> Office::call_ticket(int counter, std::string_view label_or_id, const std::string& by) {
    std::string id;
    {
        std::lock_guard lock(mutex_);
        auto r = resolve_ticket(view_locked(), label_or_id);
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
    auto id = resolve_ticket(view_locked(), label_or_id);
    if (!id) return id.error();
    auto applied = record_locked(TicketCancelled{*id, reason}, by);
    if (!applied) return applied.error();
    return *view_locked().find_ticket(*id);
}

Result<void> Office::close_day(const std::string& by) {
    std::lock_guard lock(mutex_);
    auto applied = record_locked(DayClosed{}, by);
    if (!applied) return applied.error();
    return {};
}

Result<bool> Office::close_day_if_over() {
    const Millis now = clock_.now();
    if (!day_is_over(*config_, now)) return false;
    {
        std::lock_guard lock(mutex_);
        if (view_locked().day() != config_->timezone.day_key(now) || !anything_open(view_locked())) return false;
    }
    if (auto r = close_day(); !r) return r.error();
    return true;
}

void Office::read(const std::function<void(const OfficeState&)>& reader) const {
    std::lock_guard lock(mutex_);
    reader(view_locked());
}

std::shared_ptr<EventFeed> Office::subscribe(std::function<void()> notify, OwnConfirmations own) {
    return bus_.subscribe(std::move(notify), 10'000, own);
}

std::uint64_t Office::version() const {
    std::lock_guard lock(mutex_);
    return version_;
}

}  // namespace csc
