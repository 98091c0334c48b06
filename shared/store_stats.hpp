// store_stats.hpp — the statistics records of days that are over, kept in the store so a year's
// statistics need not replay a year of events (docs/STATISTICS.md, "Speed").
//
// Contents: kStatsRecordFormat, StatsDayMark, event_marks_by_day(), saved_stats_marks(),
// load_saved_stats(), save_stats_days(), kCompactedEventTypes, first_event_to_compact(), last_compacted_day(),
// last_event_of_each_device(), compact_stats_day().
// Contract: derived data — the event log stays the source of truth. A day's saved records are
// used only while its mark (how many events of that day the log holds and the last log position
// among them, and the record format) is the log's own; otherwise the day is folded again from its
// events. Compaction (issue 14): once a day's records are saved, its queue events may be
// deleted; the day is then marked compacted and its records are its figures for good, whatever
// the log holds for it later. The SQL lives in store_stats.cpp (migrations 6–9 make the tables).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
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
    bool compacted = false;          ///< the day's queue events are gone: its records are its figures
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

/// The queue's event types compaction deletes: tickets, counters, print jobs, ratings — all in
/// the statistics records. Staff, bookings, closures, CRS PIN releases, forms, agenda snapshots,
/// maintenance and device hellos stay (the audit, the agenda's history, the LAN's devices).
inline constexpr std::array<std::string_view, 18> kCompactedEventTypes{
    "ticket.issued", "counter.opened", "ticket.called", "ticket.recalled", "service.started", "service.finished",
    "ticket.no_show", "ticket.transferred", "counter.paused", "counter.resumed", "counter.closed", "ticket.cancelled",
    "day.closed", "print.requested", "print.claimed", "print.finished", "ticket.reprinted", "feedback.given"};

/// The time of the oldest event of a kCompactedEventTypes type stamped at or after `from`
/// (nullopt = none): where compaction goes on from.
[[nodiscard]] Result<std::optional<Millis>> first_event_to_compact(const Store& store, Millis from);
/// The last local day compacted (YYYYMMDD; nullopt = no day compacted yet).
[[nodiscard]] Result<std::optional<int>> last_compacted_day(const Store& store);

/// Each device's highest sequence number in the log (device → device_seq).
[[nodiscard]] Result<std::map<std::string, std::int64_t>> last_event_of_each_device(const Store& store);
/// In one transaction, for the local day `mark.day` = [begin, end): checks that its saved mark is
/// still `mark` and in the current format (else Error: its records are stale, missing or old;
/// nothing is deleted), deletes its events of kCompactedEventTypes that decode — but those set
/// aside (quarantine), each device's last event, `keep` (last_event_of_each_device(): its
/// numbering goes on from it), and with `keep_unsent` (a LAN office) own events the stream has
/// not confirmed — and marks the day compacted. Returns the events deleted.
[[nodiscard]] Result<std::int64_t> compact_stats_day(Store& store, const StatsDayMark& mark, Millis begin, Millis end,
                                                     const std::map<std::string, std::int64_t>& keep, bool keep_unsent);

}  // namespace csc
