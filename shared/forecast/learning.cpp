#include "shared/forecast/learning.hpp"

#include "shared/hours/office_hours.hpp"
#include "shared/queue/queue_queries.hpp"

namespace csc {

StateBefore state_before(const OfficeState& state, const Event& e) {
    StateBefore before;
    before.day = state.day();
    before.counters = state.counters();
    if (std::holds_alternative<DayClosed>(e.body))
        for (const auto& t : state.tickets())
            if (is_open_status(t.status)) before.open_tickets.push_back(t.id);
    return before;
}

bool StoreHistoryRecord::outcome_saved(std::string_view ticket_id) const { return csc::outcome_saved(store_, ticket_id); }
void StoreHistoryRecord::save_outcome(const TicketOutcome& outcome) { (void)csc::save_outcome(store_, outcome); }
void StoreHistoryRecord::save_counter_time(const CounterTime& time) { (void)csc::save_counter_time(store_, time); }

OfficeLearning::OfficeLearning(const SiteConfig& config) : config_(config), learner_(config) {}

Result<void> OfficeLearning::load_history(const Store& store, Millis now) {
    const int from_day = config_.timezone.day_key(now - static_cast<Millis>(kForecastHistoryDays) * 86'400'000);
    auto outcomes = load_outcomes(store, from_day);
    if (!outcomes) return outcomes.error();
    for (const auto& o : *outcomes) learner_.observe(o);
    auto times = load_counter_time(store, from_day);
    if (!times) return times.error();
    for (const auto& t : *times) {
        if (t.kind == "pause") learner_.observe_pause(t.minutes);
        else if (t.kind == "outage") learner_.observe_outage(t.minutes);
        else learner_.observe_open_time(t.minutes);
    }
    return {};
}

void OfficeLearning::learn_bookings(const OfficeState& state, int before_day) {
    // Each ended day once: whether its booked citizens came, and how early or late.
    std::map<int, std::vector<const Booking*>> by_day;
    for (const auto& b : state.agenda().bookings()) {
        const int d = config_.timezone.day_key(b.slot);
        if (d < before_day && !learned_booking_days_.count(d)) by_day[d].push_back(&b);
    }
    for (const auto& [d, list] : by_day) {
        learned_booking_days_.insert(d);
        for (const Booking* b : list) learner_.observe_booking(*b);
    }
}

void OfficeLearning::learn(const Event& e, const StateBefore& before, const OfficeState& after, const ApplyResult& applied,
                           LearnFrom from, LearningRecord& record) {
    const int day = after.day();
    if (before.day != 0 && before.day < day) learn_bookings(after, day);
    // Today's bookings whose check-in has closed, learned now (not from an event whose clock
    // reads another day: it would settle the wrong ones).
    if (config_.timezone.day_key(e.time) == day) learner_.observe_settled_bookings(after.agenda(), e.time);
    if (const auto* issued = std::get_if<TicketIssued>(&e.body)) {
        learner_.observe_issue(day, issued->sector, config_.timezone.to_local(e.time).hour,
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
            const bool counted = record.outcome_saved(o->id);
            record.save_outcome(*o);  // derived data: a failed save only weakens the forecast
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
            if (was->since > 0 && within_planned_window(config_, c.number, was->since, e.time)) {
                const double minutes = static_cast<double>(e.time - was->since) / 60'000.0;
                learner_.observe_outage(minutes);
                if (save) record.save_counter_time({day, c.number, "outage", minutes});
            }
        }
        if (was->status == CounterStatus::Paused) {
            const double minutes = static_cast<double>(e.time - was->since) / 60'000.0;
            learner_.observe_pause(minutes);
            if (save) record.save_counter_time({day, c.number, "pause", minutes});
        }
        if (c.status == CounterStatus::Closed && opened_at_.count(c.number)) {
            const double minutes = static_cast<double>(e.time - opened_at_[c.number]) / 60'000.0;
            learner_.observe_open_time(minutes);
            if (save) record.save_counter_time({day, c.number, "open", minutes});
            opened_at_.erase(c.number);
        }
    }
}

}  // namespace csc
