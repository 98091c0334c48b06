// statistics.hpp — the office's statistics for every front end: `kiosk stats` and `kiosk
// report` today, the service menu's charts and the web later.
//
// Contents: StatsRange, parse_stats_range(), parse_stats_month(), read_stats_log(),
// read_stats_log_saving(), kMaxChosenRangeDays, step_stats_range(), CompactionReport, compact_old_events(),
// compact_office_events(), office_statistics(), office_stats_log(), stats_headers(), stats_service_name(), stats_row_names().
// Contract: the event log is only read; the records of days that are over are kept in the store
// (derived data, shared/store_stats.hpp) when it can be written, and a read-only store still
// answers. Every figure comes from shared/stats (a pure fold of the event log); this layer picks
// the events of the range, and translates headers and names.
// Errors are values whose message says what is wrong with the argument ("input").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/app/context.hpp"
#include "shared/office_time.hpp"
#include "shared/stats/stats_log.hpp"
#include "shared/stats/stats_table.hpp"
#include "shared/store.hpp"

namespace csc::app {

/// Office days from `from` to `to`, both included.
struct StatsRange {
    Date from, to;
};

/// Longest range read at once (days): ten years.
inline constexpr long kMaxStatsRangeDays = 3660;

/// --from and --to as given ("YYYY-MM-DD"): an empty or malformed date, a day that does not
/// exist, to before from or a range over kMaxStatsRangeDays is an "input" Error saying so.
[[nodiscard]] Result<StatsRange> parse_stats_range(std::string_view from, std::string_view to);
/// Longest range the service menu lets one choose (days, both ends included): a year.
inline constexpr long kMaxChosenRangeDays = 366;
/// The service menu's chosen range with one end (`from_end`, else `to`) moved a day or a
/// month (`by_month`: the same day of the next or previous month, or its last day), back or
/// `forward`; the other end follows so that from ≤ to ≤ `today` and at most kMaxChosenRangeDays.
[[nodiscard]] StatsRange step_stats_range(StatsRange range, bool from_end, bool by_month, bool forward, Date today);
/// A month "YYYY-MM" as the range of its days.
[[nodiscard]] Result<StatsRange> parse_stats_month(std::string_view month);

/// The statistics records of the range's days from `store`: the agenda's history before the
/// range (so check-ins and no-shows of bookings made earlier are known), then every event of
/// the range in log order, folded; events set aside (quarantine) are left out. Bookings whose
/// day is over at `now` are judged.
[[nodiscard]] Result<stats::StatsLog> read_stats_log(const Store& store, const SiteConfig& config, const StatsRange& range,
                                                     Millis now);

/// read_stats_log() with the records of days that are over kept in the store (shared/store_stats.hpp):
/// a day whose saved mark is the log's is read from them, the others folded (and saved when
/// `may_save`; a failure to save is ignored: the figures are still right); today is always folded.
[[nodiscard]] Result<stats::StatsLog> read_stats_log_saving(Store& store, bool may_save, const SiteConfig& config,
                                                            const StatsRange& range, Millis now);

/// The table of the range, grouped, from the context's store (read-write when it may keep the
/// records of past days, else read-only).
[[nodiscard]] Result<stats::StatsTable> office_statistics(const Context& ctx, const StatsRange& range, stats::Grouping by);
/// The records of the range from the context's store, as office_statistics() opens it (the report draws several tables from one read).
[[nodiscard]] Result<stats::StatsLog> office_stats_log(const Context& ctx, const StatsRange& range);

/// What a compaction did.
struct CompactionReport {
    int days = 0;                 ///< days compacted now
    std::int64_t events = 0;      ///< events deleted
    std::optional<Date> through;  ///< the last day compacted now (nullopt = none)
};

/// Compacts the queue's events of every day older than [statistics] compact_after_days (from
/// the first day not compacted yet, at most `max_days` of them): each day's statistics records
/// saved first (folded from its events when missing or stale), then its queue events deleted
/// (compact_stats_day). The figures of every day stay what they were. Nothing when the setting
/// is 0. Blocking: a follower's thread or the CLI.
[[nodiscard]] Result<CompactionReport> compact_old_events(Store& store, const SiteConfig& config, Millis now, int max_days = 400);
/// compact_old_events() on the context's store (opened read-write for it).
[[nodiscard]] Result<CompactionReport> compact_office_events(const Context& ctx, int max_days = 400);

/// CSV headers in `lang`: the key column (named after the grouping), "name", then every figure
/// ("stats.column.<key>").
[[nodiscard]] std::vector<std::string> stats_headers(const Context& ctx, const std::string& lang, stats::Grouping by);
/// What each row (and the total, last) is called in `lang`: a sector's or service's configured
/// name, "Sportello 3", a day or hour as written, a staff name; "—" for none.
/// The name of a `--by service` row's key ("sector/service", or a sector without services by
/// its id) in `lang`; the key itself when the configuration no longer has it.
[[nodiscard]] std::string stats_service_name(const SiteConfig& config, const std::string& key, const std::string& lang);
[[nodiscard]] std::vector<std::string> stats_row_names(const Context& ctx, const std::string& lang,
                                                       const stats::StatsTable& table);

}  // namespace csc::app
