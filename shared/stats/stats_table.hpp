// stats_table.hpp — the office's figures over a date range, grouped by hour, day, sector,
// service, counter or operator: a pure function from statistics records to a table.
//
// Contents: Grouping, grouping_named(), to_string(Grouping), StatsRow, PauseReasonRow,
// StatsTable, compute_stats(), percentile_nearest_rank(), kStatsColumns, stats_cell().
// Contract: compute_stats() reads only its arguments (the CLI, the report and the service
// menu's charts draw from the same table). A figure with nothing to measure is NaN ("no data":
// an empty CSV cell, null in JSON), never 0. Definitions: docs/STATISTICS.md.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/config.hpp"
#include "shared/stats/stats_log.hpp"

namespace csc::stats {

/// What the rows are.
enum class Grouping { Hour, Day, Sector, Service, Counter, Operator };
/// "hour" | "day" | "sector" | "service" | "counter" | "operator" → Grouping; nullopt otherwise.
[[nodiscard]] std::optional<Grouping> grouping_named(std::string_view name);
/// The name grouping_named() reads.
[[nodiscard]] std::string_view to_string(Grouping g);

/// The figures of one group (or of the whole range).
struct StatsRow {
    std::string key;             ///< "2026-03-04", "09", a sector or service id, "3", a staff name; "" = none (never called, …)
    int issued = 0;              ///< tickets issued
    int served = 0;              ///< tickets whose service finished
    int left_before_call = 0;    ///< abandoned before being called (cancelled or not served at the day's end)
    int called_absent = 0;       ///< called, never came (no-show, or not served after a call)
    int left_during_service = 0; ///< service started and never finished
    int still_open = 0;          ///< not ended when the range was read (today)
    int called = 0;              ///< tickets with a first call (the waits measured)
    double wait_mean_min = 0, wait_p90_min = 0;        ///< issue → first call
    double walk_mean_min = 0;                          ///< call → service start
    double service_mean_min = 0, service_p90_min = 0;  ///< start → finish
    double visit_mean_min = 0;                         ///< issue → finish (served)
    double within_target_share = 0;  ///< share of called tickets called within their sector's target wait (0…1)
    int bookings = 0;                ///< bookings whose slot falls in the group
    int booking_no_shows = 0;
    int pauses = 0;
    double pause_min = 0;            ///< minutes paused
    double idle_with_waiting_min = 0;  ///< minutes open, free, with someone waiting
    int promised = 0;                ///< tickets with a printed promise and a first call
    double forecast_mae_min = 0;     ///< mean |actual wait − middle of the printed range|
    double forecast_inside_share = 0;  ///< share whose wait fell inside the printed range (0…1)
    int feedback = 0;                ///< ratings given (feedback.given)
    int feedback_good = 0, feedback_so_so = 0, feedback_bad = 0;  ///< by rating
    /// "bad" ratings by reason (a bad one without a reason is in none of them).
    int feedback_bad_waiting = 0, feedback_bad_staff = 0, feedback_bad_came_back = 0, feedback_bad_outcome = 0;
};

/// Pauses by reason (over the whole range).
struct PauseReasonRow {
    std::string reason;  ///< as stored (a catalogue key or text)
    int pauses = 0;
    double minutes = 0;
};

/// The figures of a range.
struct StatsTable {
    Grouping grouping = Grouping::Day;
    int from_day = 0, to_day = 0;  ///< YYYYMMDD, inclusive
    std::vector<StatsRow> rows;    ///< in key order (hours and days ascending, counters by number)
    StatsRow total;                ///< the whole range (key "")
    std::vector<PauseReasonRow> pause_reasons;  ///< longest first
    int target_share = 85;         ///< the office's goal for within_target_share, in percent
};

/// The figures of the records whose day is in [from_day, to_day], grouped.
[[nodiscard]] StatsTable compute_stats(const StatsLog& log, const SiteConfig& config, Grouping grouping, int from_day,
                                       int to_day);

/// The p-th percentile (0 < p ≤ 1) by nearest rank: the smallest value with at least p of the
/// values at or below it; NaN for none. Sorts `values`.
[[nodiscard]] double percentile_nearest_rank(std::vector<double>& values, double p);

/// Column keys of a table, in order (JSON keys; CSV headers translate "stats.column.<key>").
inline constexpr std::array<std::string_view, 31> kStatsColumns{
    "key", "issued", "served", "left_before_call", "called_absent", "left_during_service", "open", "called",
    "wait_mean_min", "wait_p90_min", "walk_mean_min", "service_mean_min", "service_p90_min", "visit_mean_min",
    "within_target_share", "bookings", "booking_no_shows", "pauses", "pause_min", "idle_with_waiting_min",
    "promised", "forecast_mae_min", "forecast_inside_share", "feedback", "feedback_good", "feedback_so_so", "feedback_bad",
    "feedback_bad_waiting", "feedback_bad_staff", "feedback_bad_came_back", "feedback_bad_outcome"};
/// A row's value for a column key: a count, a figure (NaN = no data) or the key text.
struct StatsCell {
    std::optional<double> number;  ///< nullopt with text
    std::string text;
    bool whole = false;            ///< a count (no decimals)
};
/// The cell of `row` under column `key` (one of kStatsColumns).
[[nodiscard]] StatsCell stats_cell(const StatsRow& row, std::string_view key);

}  // namespace csc::stats
