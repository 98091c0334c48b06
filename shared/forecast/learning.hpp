// learning.hpp — what the forecast learns from the events the office applies: how tickets
// ended, how long counters were open, paused or out, how each day's tickets arrived, whether
// booked citizens came.
//
// Contents: LearnFrom, StateBefore, state_before(), LearningRecord, StoreHistoryRecord,
// OfficeLearning.
// Contract: OfficeLearning is fed every event applied to the state read() shows (or, LAN, the
// confirmed state), once, in order, with what learning needs of the state before it
// (StateBefore: not a copy of the state) and the state after it. What it learns goes to its
// ForecastLearner at once and, for events this program recorded, to a LearningRecord (the
// store's history: derived data, a failed save only weakens the forecast). Not thread-safe:
// the Office calls it under its lock. No clock: times are the events'.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "shared/config.hpp"
#include "shared/events.hpp"
#include "shared/forecast.hpp"
#include "shared/office_state.hpp"
#include "shared/result.hpp"
#include "shared/store_history.hpp"

namespace csc {

/// Where an applied event comes from: replayed from today's log at start (its outcomes are in
/// the stored history already), recorded by this program or confirmed by the LAN stream (save
/// the outcomes and learn them, once), or seen in the store after another program on it
/// recorded and saved it (learn only).
enum class LearnFrom { Replay, Recorded, Seen };

/// What learning needs of the state before an event: its day, the counters (a few) and, for
/// day.closed, the tickets it ends. The state machine's contract says an event ends at most
/// the ticket it acts on, or for day.closed every open one (office_state.hpp).
struct StateBefore {
    int day = 0;
    std::vector<CounterState> counters;
    std::vector<std::string> open_tickets;  ///< day.closed only
};
/// What learning needs of `state`, taken just before `e` is applied to it.
[[nodiscard]] StateBefore state_before(const OfficeState& state, const Event& e);

/// Where learned history is kept (the store's ticket_outcomes and counter_time; a test's memory).
class LearningRecord {
public:
    virtual ~LearningRecord() = default;
    /// Whether the outcome of this ticket is kept already (LAN: own and replicated events feed one history).
    [[nodiscard]] virtual bool outcome_saved(std::string_view ticket_id) const = 0;
    /// Keeps a ticket's outcome (a second one of the same ticket replaces the first).
    virtual void save_outcome(const TicketOutcome& outcome) = 0;
    /// Keeps a span of counter time.
    virtual void save_counter_time(const CounterTime& time) = 0;
};

/// The store's history tables as a LearningRecord (shared/store_history.hpp; failed saves ignored).
class StoreHistoryRecord final : public LearningRecord {
public:
    /// Saves to `store` (kept by reference: it must outlive this).
    explicit StoreHistoryRecord(Store& store) : store_(store) {}
    [[nodiscard]] bool outcome_saved(std::string_view ticket_id) const override;
    void save_outcome(const TicketOutcome& outcome) override;
    void save_counter_time(const CounterTime& time) override;

private:
    Store& store_;
};

/// The office's learning: a ForecastLearner fed from the stored history and the applied events.
class OfficeLearning {
public:
    /// Learns for `config` (kept by reference: it must outlive this).
    explicit OfficeLearning(const SiteConfig& config);
    /// Learns the stored history of the kForecastHistoryDays office days before `now`.
    Result<void> load_history(const Store& store, Millis now);
    /// The learned parameters' source, for forecasts.
    [[nodiscard]] const ForecastLearner& learner() const { return learner_; }
    /// Learns from `e`, just applied (`applied`) to a state that was `before` and is `after`.
    /// Replay: only notes when counters opened. Recorded: saves the outcomes it ends and the
    /// counter time to `record`, and learns each outcome once. Seen: learns without saving.
    /// A later day than before.day first teaches the agenda's ended days (learn_bookings).
    void learn(const Event& e, const StateBefore& before, const OfficeState& after, const ApplyResult& applied,
               LearnFrom from, LearningRecord& record);
    /// Learns whether booked citizens came, from the agenda's days before `before_day`, each day once.
    void learn_bookings(const OfficeState& state, int before_day);
    /// Forgets when counters opened (a new office day, or today's state rebuilt).
    void forget_openings() { opened_at_.clear(); }

private:
    const SiteConfig& config_;
    ForecastLearner learner_;
    std::map<int, Millis> opened_at_;     // counter → when it last went from closed to open (today)
    std::set<int> learned_booking_days_;  // days whose bookings the forecast has learned from
};

}  // namespace csc
