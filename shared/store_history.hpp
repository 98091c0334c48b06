// store_history.hpp — the forecast's history in the store: how each ticket ended and how long
// counters were open or paused. Derived data (the event log remains the source of truth); the
// SQL lives in store_history.cpp (migration 3 creates the tables).
#pragma once

#include <vector>

#include "shared/forecast.hpp"
#include "shared/store.hpp"

namespace csc {

/// Counter time of one day: kind "open" (minutes open or paused) or "pause" (one pause).
struct CounterTime {
    int day = 0;
    int counter = 0;
    std::string kind;
    double minutes = 0;
};

/// Saves a ticket's outcome (a second save of the same ticket replaces the first).
Result<void> save_outcome(Store& store, const TicketOutcome& outcome);
/// Whether an outcome of this ticket is saved (LAN: own and replicated events feed one history).
[[nodiscard]] bool outcome_saved(const Store& store, std::string_view ticket_id);
/// Saves counter time.
Result<void> save_counter_time(Store& store, const CounterTime& time);
/// Outcomes of days >= from_day, oldest first.
[[nodiscard]] Result<std::vector<TicketOutcome>> load_outcomes(const Store& store, int from_day);
/// Counter time of days >= from_day.
[[nodiscard]] Result<std::vector<CounterTime>> load_counter_time(const Store& store, int from_day);

}  // namespace csc
