// store_stats.hpp — the statistics records of days that are over, kept in the store so a year's
// statistics need not replay a year of events (docs/STATISTICS.md, "Speed").
//
// Contents: kStatsRecordFormat, StatsDayMark, event_marks_by_day(), saved_stats_marks(),
// load_saved_stats(), save_stats_days().
// Contract: derived data — the event log stays the source of truth. A day's saved records are
// used only while its mark (how many events of that day the log holds and the last log position
// among them, and the record format) is the log's own; otherwise the day is folded again from its
// events. The SQL lives in store_stats.cpp (migrations 6 and 7 create the tables).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "shared/office_time.hpp"
#include "shared/stats/stats_log.hpp"
#include "shared/store.hpp"

namespace csc {

/// Version of the saved records; a day saved in another format is folded again (2: with the
/// satisfaction ratings, stats_feedback; 3: with each ticket's end, stats_visits.ended_at).
inline constexpr int kStatsRecordFormat = 3;

/// What a day's saved records were made from.
struct StatsDayMark {
    int day = 0;                     ///< YYYYMMDD
    std::int64_t events = 0;         ///< events of that local day in the log
    std::int64_t last_position = 0;  ///< the highest log position among them (0 = none)
    int format = kStatsRecordFormat;
    bool operator==(const StatsDayMark&) const = default;
};

/// The log's mark of every day from `from` to `to` (local days of `zone`), in order.
[[nodiscard]] Result<std::vector<StatsDayMark>> event_marks_by_day(const Store& store, const OfficeTimeZone& zone, Date from,
                                                                   Date to);
/// The marks saved with records, by day, for days in [from_day, to_day].
[[nodiscard]] Result<std::map<int, StatsDayMark>> saved_stats_marks(const Store& store, int from_day, int to_day);
/// Appends the saved records of the days listed to `into`.
[[nodiscard]] Result<void> load_saved_stats(const Store& store, const std::vector<int>& days, stats::StatsLog& into);
/// In one transaction: replaces the saved records of each day in `marks` with those of `log`
/// whose day it is, and saves the marks. Records of other days in `log` are ignored.
Result<void> save_stats_days(Store& store, const stats::StatsLog& log, const std::vector<StatsDayMark>& marks);

}  // namespace csc
