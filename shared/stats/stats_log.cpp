// stats_log.cpp — the fold from events to statistics records (see stats_log.hpp).
#include "shared/stats/stats_log.hpp"

#include <algorithm>

namespace csc::stats {

std::string_view to_string(VisitOutcome o) {
    switch (o) {
        case VisitOutcome::Served: return "served";
        case VisitOutcome::LeftBeforeCall: return "left-before-call";
        case VisitOutcome::CalledAbsent: return "called-absent";
        case VisitOutcome::LeftDuringService: return "left-during-service";
        case VisitOutcome::Open: return "open";
    }
    return "open";
}

namespace {

bool is_open_ticket(TicketStatus s) {
    return is_waiting(s) || s == TicketStatus::Called || s == TicketStatus::Serving;
}

double minutes_between(Millis from, Millis to) { return to > from ? static_cast<double>(to - from) / 60'000.0 : 0.0; }

}  // namespace

StatsCollector::StatsCollector(const SiteConfig& config) : config_(&config), state_(config) {
    for (const auto& c : config.counters) counter_sectors_.push_back(c.sectors);
}

void StatsCollector::add(const Event& e) {
    // The first event of a later office day closes the previous one and drops its tickets: what
    // was still open is read before, and ended at the old day's last event.
    const int day_before = state_.day();
    std::vector<std::pair<std::string, TicketStatus>> open_before;
    Millis last_before = state_.last_event_time();
    const bool closes_day = std::holds_alternative<DayClosed>(e.body);
    const bool may_roll = day_before != 0 && e.time >= next_day_start_;
    if (may_roll || closes_day)
        for (const Ticket& t : state_.tickets())
            if (is_open_ticket(t.status)) open_before.emplace_back(t.id, t.status);
    std::vector<Ticket> dropped;
    if (may_roll)
        for (const Ticket& t : state_.tickets())
            if (is_open_ticket(t.status)) dropped.push_back(t);

    const ApplyResult r = state_.apply(e);

    if (state_.day() != day_before) {
        if (day_before != 0) {
            end_all_stretches(last_before);
            for (Ticket& t : dropped) {
                const TicketStatus before = t.status;
                t.status = TicketStatus::NotServed;
                end_ticket(t, before, last_before);
            }
            waiting_in_.clear();
            waiting_count_.clear();
        }
        next_day_start_ = config_->timezone.start_of_day(e.time) + 36LL * 3'600'000;  // a day of 23–25 h:
        next_day_start_ = config_->timezone.start_of_day(next_day_start_);              // the next midnight
        judge_bookings(config_->timezone.start_of_day(e.time));
    }
    if (!r.applied) return;

    if (const auto* issued = std::get_if<TicketIssued>(&e.body)) {
        if (issued->promised_low_min && issued->promised_high_min)
            promised_[r.ticket_id] = {*issued->promised_low_min, *issued->promised_high_min};
    } else if (std::holds_alternative<TicketCalled>(e.body)) {
        first_call_.try_emplace(r.ticket_id, e.time);
    } else if (const auto* rated = std::get_if<FeedbackGiven>(&e.body)) {
        // The rating names its ticket only to be given once: the record keeps none of it.
        if (const Ticket* t = state_.find_ticket(rated->ticket)) {
            const LocalTime lt = config_->timezone.to_local(t->issued_at);
            log_.feedback.push_back({lt.date.key(), lt.hour, t->sector,
                                     t->performed_service.empty() ? t->service : t->performed_service, t->counter,
                                     rated->rating, rated->reason});
        }
        update_counters(e.time);
        return;
    }
    if (closes_day) {
        for (const auto& [id, before] : open_before)
            if (const Ticket* t = state_.find_ticket(id)) end_ticket(*t, before, e.time);
        waiting_in_.clear();
        waiting_count_.clear();
    } else if (!r.ticket_id.empty()) {
        if (const Ticket* t = state_.find_ticket(r.ticket_id)) {
            track_waiting(*t);
            if (!is_open_ticket(t->status)) end_ticket(*t, t->status, e.time);
        }
    }
    update_counters(e.time);
}

void StatsCollector::track_waiting(const Ticket& t) {
    auto it = waiting_in_.find(t.id);
    if (it != waiting_in_.end()) {
        --waiting_count_[it->second];
        waiting_in_.erase(it);
    }
    if (is_waiting(t.status)) {
        waiting_in_.emplace(t.id, t.sector);
        ++waiting_count_[t.sector];
    }
}

void StatsCollector::end_ticket(const Ticket& t, TicketStatus before, Millis at) {
    if (auto it = waiting_in_.find(t.id); it != waiting_in_.end()) {
        --waiting_count_[it->second];
        waiting_in_.erase(it);
    }
    VisitRecord v;
    v.id = t.id;
    const LocalTime lt = config_->timezone.to_local(t.issued_at);
    v.day = lt.date.key();
    v.hour = lt.hour;
    v.sector = t.sector;
    v.service = t.performed_service.empty() ? t.service : t.performed_service;
    v.priority = !t.priority.empty();
    v.booking = !t.booking.empty();
    v.counter = t.counter;
    v.staff = t.called_by;
    v.issued_at = t.issued_at;
    if (auto it = first_call_.find(t.id); it != first_call_.end()) {
        v.first_called_at = it->second;
        first_call_.erase(it);
    }
    v.called_at = v.first_called_at ? t.called_at : 0;
    v.ended_at = at;
    switch (t.status) {
        case TicketStatus::Served:
            v.outcome = VisitOutcome::Served;
            v.started_at = t.started_at;
            v.finished_at = t.finished_at;
            break;
        case TicketStatus::NoShow: v.outcome = VisitOutcome::CalledAbsent; break;
        default:  // cancelled, or not served when the day closed: by the stage it had reached
            v.outcome = before == TicketStatus::Serving  ? VisitOutcome::LeftDuringService
                        : before == TicketStatus::Called ? VisitOutcome::CalledAbsent
                        : v.first_called_at             ? VisitOutcome::CalledAbsent
                                                         : VisitOutcome::LeftBeforeCall;
            if (before == TicketStatus::Serving) v.started_at = t.started_at;
            break;
    }
    if (auto it = promised_.find(t.id); it != promised_.end()) {
        v.promised_low_min = it->second.first;
        v.promised_high_min = it->second.second;
        promised_.erase(it);
    }
    log_.visits.push_back(std::move(v));
}

void StatsCollector::update_counters(Millis now) {
    const auto& counters = state_.counters();
    for (std::size_t i = 0; i < counters.size(); ++i) {
        const CounterState& c = counters[i];
        const bool paused = c.status == CounterStatus::Paused;
        if (paused && !pause_.count(c.number)) pause_[c.number] = {now, c.staff, c.pause_reason};
        if (!paused && pause_.count(c.number)) end_stretch(pause_, c.number, now, true);
        bool someone_waits = false;
        if (c.status == CounterStatus::Open && c.current.empty() && i < counter_sectors_.size())
            for (const auto& s : counter_sectors_[i])
                if (auto w = waiting_count_.find(s); w != waiting_count_.end() && w->second > 0) someone_waits = true;
        if (someone_waits && !idle_.count(c.number)) idle_[c.number] = {now, c.staff, {}};
        if (!someone_waits && idle_.count(c.number)) end_stretch(idle_, c.number, now, false);
    }
}

void StatsCollector::end_stretch(std::map<int, OpenStretch>& running, int counter, Millis now, bool pause) {
    auto it = running.find(counter);
    if (it == running.end()) return;
    const LocalTime lt = config_->timezone.to_local(it->second.since);
    const double minutes = minutes_between(it->second.since, now);
    if (pause)
        log_.pauses.push_back({lt.date.key(), lt.hour, counter, it->second.staff, it->second.reason, minutes});
    else if (minutes > 0)
        log_.idle.push_back({lt.date.key(), lt.hour, counter, it->second.staff, minutes});
    running.erase(it);
}

void StatsCollector::end_all_stretches(Millis now) {
    while (!pause_.empty()) end_stretch(pause_, pause_.begin()->first, now, true);
    while (!idle_.empty()) end_stretch(idle_, idle_.begin()->first, now, false);
}

void StatsCollector::judge_bookings(Millis now) {
    const int today = config_->timezone.day_key(now);
    for (const Booking& b : state_.agenda().bookings()) {
        const LocalTime slot = config_->timezone.to_local(b.slot);
        if (slot.date.key() >= today || bookings_judged_.count(b.code)) continue;
        bookings_judged_.insert(b.code);
        const BookingStatus s = status_at(b, now, *config_);
        if (s == BookingStatus::CancelledByCitizen || s == BookingStatus::CancelledByOffice) continue;
        log_.bookings.push_back({b.code, slot.date.key(), slot.hour, b.sector, b.service,
                                 s == BookingStatus::CheckedIn || s == BookingStatus::WalkedIn});
    }
}

StatsLog StatsCollector::finish(Millis now) {
    end_all_stretches(state_.last_event_time());
    // A day that is over at `now` ended its open tickets (as the next day's first event would).
    if (state_.day() != 0 && config_->timezone.day_key(now) > state_.day()) {
        for (const Ticket& t : state_.tickets()) {
            if (!is_open_ticket(t.status)) continue;
            Ticket ended = t;
            ended.status = TicketStatus::NotServed;
            end_ticket(ended, t.status, state_.last_event_time());
        }
        judge_bookings(now);
        return std::move(log_);
    }
    for (const Ticket& t : state_.tickets()) {
        if (!is_open_ticket(t.status)) continue;
        VisitRecord v;
        v.id = t.id;
        const LocalTime lt = config_->timezone.to_local(t.issued_at);
        v.day = lt.date.key();
        v.hour = lt.hour;
        v.sector = t.sector;
        v.service = t.service;
        v.priority = !t.priority.empty();
        v.booking = !t.booking.empty();
        v.counter = t.counter;
        v.staff = t.called_by;
        v.issued_at = t.issued_at;
        if (auto it = first_call_.find(t.id); it != first_call_.end()) v.first_called_at = it->second;
        v.called_at = v.first_called_at ? t.called_at : 0;
        v.outcome = VisitOutcome::Open;
        if (auto it = promised_.find(t.id); it != promised_.end()) {
            v.promised_low_min = it->second.first;
            v.promised_high_min = it->second.second;
        }
        log_.visits.push_back(std::move(v));
    }
    judge_bookings(now);
    return std::move(log_);
}

}  // namespace csc::stats
