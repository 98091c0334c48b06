// Several processes on one store: every process applies the events in the store's log order,
// its own included, so all of them derive the same state (the state machine is deterministic
// in the order of events, not in who made them).
#include "shared/office.hpp"
#include "shared/store_refresh.hpp"

namespace csc {

namespace {
constexpr int kBatch = 500;  // events read per query while catching up
}

Result<bool> Office::refresh() {
    std::lock_guard lock(mutex_);
    if (lan_) return refresh_lan_locked();  // LAN mode: the stream orders events (office_lan.cpp)
    return refresh_locked();
}

Result<bool> Office::refresh_locked() {
    bool changed = false;
    // The clock went back behind the state's day (it had been ahead, and NTP fixed it): today's
    // state is rebuilt without the events from the future, which are quarantined.
    const Millis now = clock_.now();
    if (clock_went_back(config_->timezone, state_.day(), state_.last_event_time(), now)) {  // shared/hours/clock_check.hpp
        if (auto r = replay_today_locked(); !r) return r.error();
        changed = true;
    }
    for (;;) {
        if (last_event_position(*store_) <= applied_position_) return changed;
        auto events = store_->events_after(applied_position_, kBatch);
        if (!events) return events.error();
        if (events->empty()) return changed;
        for (const auto& se : *events) {
            applied_position_ = se.position;
            const Event& e = se.event;
            // Another process running under this device's name (a CLI command) used sequence
            // numbers: continue after them.
            if (e.device == device_ && e.seq >= next_seq_) next_seq_ = e.seq + 1;
            if (reject_from_future_locked(e, now)) continue;
            staff_.apply(e);  // a staff record of any day (idempotent)
            const StateBefore before = before_of(state_, e);
            const ApplyResult applied = state_.apply(e);  // in place; a refusal changes nothing
            if (!applied.applied) continue;               // refused the same way everywhere: a no-op
            if (state_.day() != before.day) learning_.forget_openings();
            learn_locked(e, before, state_, applied, LearnFrom::Seen);  // the program that made it saved the outcomes
            bus_.publish(e, applied);
            ++version_;
            changed = true;
        }
        changed_.notify_all();
    }
}

Result<std::int64_t> Office::append_in_order_locked(const Event& e) {
    auto position = append_at_end(*store_, e, applied_position_);
    if (position && *position > 0) applied_position_ = *position;
    return position;
}

}  // namespace csc
