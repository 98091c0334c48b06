// statistics.cpp — the statistics of a date range from the store (see statistics.hpp).
#include "kiosk/app/statistics.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "shared/booking/agenda.hpp"
#include "shared/store_stats.hpp"

namespace csc::app {

namespace {

Result<Date> parse_day(std::string_view text, const char* option) {
    if (text.empty()) return fail_as("input", std::string(option) + " is empty: give a date as YYYY-MM-DD");
    auto d = Date::parse(text);
    if (!d) return fail_as("input", std::string(option) + ": " + d.error().message);
    return *d;
}

long day_number(const Date& d) { return days_from_civil(d.year, d.month, d.day); }
// An office day's key (YYYYMMDD) as a Date.
Date key_date(int key) { return Date{key / 10000, key / 100 % 100, key % 100}; }

}  // namespace

Result<StatsRange> parse_stats_range(std::string_view from, std::string_view to) {
    auto f = parse_day(from, "--from");
    if (!f) return f.error();
    auto t = parse_day(to, "--to");
    if (!t) return t.error();
    if (*t < *f) return fail_as("input", "--to " + t->iso() + " is before --from " + f->iso() + ": the range would be empty");
    if (day_number(*t) - day_number(*f) + 1 > kMaxStatsRangeDays)
        return fail_as("input", "the range " + f->iso() + " … " + t->iso() + " is longer than " +
                                    std::to_string(kMaxStatsRangeDays) + " days: ask for a shorter one");
    return StatsRange{*f, *t};
}

Result<StatsRange> parse_stats_month(std::string_view month) {
    const std::string m(month);
    if (m.empty()) return fail_as("input", "--month is empty: give a month as YYYY-MM");
    auto first = Date::parse(m + "-01");
    if (m.size() != 7 || !first) return fail_as("input", "--month: expected a month as YYYY-MM, got \"" + m.substr(0, 40) + "\"");
    const Date next = first->month == 12 ? Date{first->year + 1, 1, 1} : Date{first->year, first->month + 1, 1};
    return StatsRange{*first, civil_from_days(day_number(next) - 1)};
}

namespace {

Date shifted(Date d, bool by_month, bool forward) {
    if (!by_month) return civil_from_days(day_number(d) + (forward ? 1 : -1));
    int y = d.year, m = d.month + (forward ? 1 : -1);
    if (m == 0) m = 12, --y;
    if (m == 13) m = 1, ++y;
    const Date next = m == 12 ? Date{y + 1, 1, 1} : Date{y, m + 1, 1};
    const int last = civil_from_days(day_number(next) - 1).day;
    return Date{y, m, std::min(d.day, last)};
}

}  // namespace

StatsRange step_stats_range(StatsRange range, bool from_end, bool by_month, bool forward, Date today) {
    constexpr long kSpan = kMaxChosenRangeDays - 1;
    if (from_end) {
        range.from = std::min(shifted(range.from, by_month, forward), today);
        if (range.to < range.from) range.to = range.from;
        if (day_number(range.to) - day_number(range.from) > kSpan) range.to = civil_from_days(day_number(range.from) + kSpan);
    } else {
        range.to = std::min(shifted(range.to, by_month, forward), today);
        if (range.to < range.from) range.from = range.to;
        if (day_number(range.to) - day_number(range.from) > kSpan) range.from = civil_from_days(day_number(range.to) - kSpan);
    }
    return range;
}

Result<stats::StatsLog> read_stats_log(const Store& store, const SiteConfig& config, const StatsRange& range, Millis now) {
    const Millis begin = config.timezone.from_local(range.from, 0);
    const Millis end = config.timezone.from_local(civil_from_days(day_number(range.to) + 1), 0);
    std::set<std::string, std::less<>> set_aside;
    if (auto q = store.quarantine_list(); q)
        for (const auto& e : *q) set_aside.insert(e.id);
    stats::StatsCollector collector(config);
    // Bookings made before the range for slots in it: the agenda's history first, as the office
    // itself replays it at start-up.
    auto agenda = store.agenda_events_between(agenda_history_start(config, begin), begin);
    if (!agenda) return agenda.error();
    for (const auto& se : *agenda)
        if (!set_aside.count(se.event.id)) collector.add(se.event);
    // Day by day, each in log order: an event that reached a day after later days were logged
    // (a LAN device catching up) is folded with its own day, as when that day is read alone.
    for (long d = day_number(range.from); d <= day_number(range.to); ++d) {
        const Millis day_begin = config.timezone.from_local(civil_from_days(d), 0);
        const Millis day_end = config.timezone.from_local(civil_from_days(d + 1), 0);
        auto each = store.each_event_between(day_begin, day_end, [&](const StoredEvent& se) {
            if (!set_aside.count(se.event.id)) collector.add(se.event);
        });
        if (!each) return each.error();
    }
    return collector.finish(std::min(now, end));
}

namespace {

// Appends the records of `from` whose day is in [lo, hi] to `into`.
void append_days(stats::StatsLog& into, stats::StatsLog&& from, int lo, int hi) {
    auto in = [&](int day) { return day >= lo && day <= hi; };
    for (auto& r : from.visits) if (in(r.day)) into.visits.push_back(std::move(r));
    for (auto& r : from.pauses) if (in(r.day)) into.pauses.push_back(std::move(r));
    for (auto& r : from.idle) if (in(r.day)) into.idle.push_back(std::move(r));
    for (auto& r : from.bookings) if (in(r.day)) into.bookings.push_back(std::move(r));
    for (auto& r : from.feedback) if (in(r.day)) into.feedback.push_back(std::move(r));
}

Date day_before(const Date& d) { return civil_from_days(day_number(d) - 1); }

}  // namespace

Result<stats::StatsLog> read_stats_log_saving(Store& store, bool may_save, const SiteConfig& config, const StatsRange& range,
                                              Millis now) {
    stats::StatsLog out;
    const Date today = config.timezone.to_local(now).date;
    // Days that are over: saved records while their mark is the log's; the others folded (runs
    // of consecutive days at once) and saved for next time.
    const Date past_to = std::min(range.to, day_before(today));
    if (!(past_to < range.from)) {
        auto marks = event_marks_by_day(store, config.timezone, range.from, past_to);
        if (!marks) return marks.error();
        auto saved = saved_stats_marks(store, range.from.key(), past_to.key());
        if (!saved) return saved.error();
        std::vector<int> valid;
        std::vector<std::vector<StatsDayMark>> runs;
        long last_stale = -1;  // day number of the last stale day seen
        for (const auto& m : *marks) {
            auto it = saved->find(m.day);
            // A compacted day's records are its figures for good (its queue events are gone).
            if (it != saved->end() && (it->second.compacted || it->second == m)) {
                valid.push_back(m.day);
                continue;
            }
            const long n = days_from_civil(m.day / 10000, m.day / 100 % 100, m.day % 100);
            if (n != last_stale + 1) runs.emplace_back();  // a new run of consecutive days
            runs.back().push_back(m);
            last_stale = n;
        }
        if (auto r = load_saved_stats(store, valid, out); !r) return r.error();
        for (const auto& run : runs) {
            const StatsRange part{key_date(run.front().day), key_date(run.back().day)};
            auto folded = read_stats_log(store, config, part, now);
            if (!folded) return folded.error();
            // Saving is a help, not the task: a store that cannot take it (read-only, full) still answers.
            if (may_save) (void)save_stats_days(store, *folded, run);
            append_days(out, std::move(*folded), run.front().day, run.back().day);
        }
    }
    // Today and later: always from the events.
    const Date live_from = std::max(range.from, today);
    if (!(range.to < live_from)) {
        auto live = read_stats_log(store, config, StatsRange{live_from, range.to}, now);
        if (!live) return live.error();
        append_days(out, std::move(*live), live_from.key(), range.to.key());
    }
    return out;
}

Result<stats::StatsLog> office_stats_log(const Context& ctx, const StatsRange& range) {
    // Read-write when the store allows it, so the records of days that are over are kept for the
    // next time; read-only otherwise (a read-only store or file system still answers). Not the
    // whole-file check: half of a year's statistics went to it (docs/PERFORMANCE.md,
    // "Statistics"); every page read is still checked, and a damaged one is "store.corrupt".
    bool may_save = true;
    // Root (the USB export helper) only reads a store another user owns: a file it made there
    // (the WAL, the shared memory) would be root's, and the office could no longer write.
    struct stat owner{};
    if (::geteuid() == 0 && ::stat((ctx.data_dir / "office.db").c_str(), &owner) == 0 && owner.st_uid != 0) {
        auto readonly = Store::open(ctx.data_dir, StoreAccess::ReadOnly, StoreCheck::OnRead);
        if (!readonly) return readonly.error();
        return read_stats_log_saving(**readonly, false, ctx.config, range, ctx.clock.now());
    }
    auto store = Store::open(ctx.data_dir, StoreAccess::ReadWrite, StoreCheck::OnRead);
    if (!store && (store.error().code == "store.readonly" || store.error().code == "store.permission")) {
        may_save = false;
        store = Store::open(ctx.data_dir, StoreAccess::ReadOnly, StoreCheck::OnRead);
    }
    if (!store) return store.error();
    return read_stats_log_saving(**store, may_save, ctx.config, range, ctx.clock.now());
}

Result<CompactionReport> compact_old_events(Store& store, const SiteConfig& config, Millis now, int max_days) {
    CompactionReport report;
    const int keep = config.statistics.compact_after_days;
    if (keep <= 0 || store.read_only()) return report;
    const Date today = config.timezone.to_local(now).date;
    const Date last = civil_from_days(day_number(today) - keep - 1);  // the newest day to compact
    // From the first day after the last compacted one, the oldest with a queue event.
    auto done = last_compacted_day(store);
    if (!done) return done.error();
    Millis from = 0;
    if (*done) from = config.timezone.from_local(civil_from_days(day_number(key_date(**done)) + 1), 0);
    auto first = first_event_to_compact(store, from);
    if (!first) return first.error();
    if (!*first) return report;
    const Date start = config.timezone.to_local(**first).date;
    if (last < start) return report;
    const Date end = std::min(last, civil_from_days(day_number(start) + std::max(1, max_days) - 1));
    // Records saved for every day of the stretch (folded where missing or stale), then each day compacted.
    if (auto saved = read_stats_log_saving(store, true, config, StatsRange{start, end}, now); !saved) return saved.error();
    auto marks = saved_stats_marks(store, start.key(), end.key());
    if (!marks) return marks.error();
    auto last_events = last_event_of_each_device(store);
    if (!last_events) return last_events.error();
    for (long d = day_number(start); d <= day_number(end); ++d) {
        const Date day = civil_from_days(d);
        const auto it = marks->find(day.key());
        if (it == marks->end()) return fail("day " + day.iso() + ": its statistics records could not be saved; nothing compacted from it");
        if (it->second.compacted) continue;
        const Millis begin = config.timezone.from_local(day, 0), stop = config.timezone.from_local(civil_from_days(d + 1), 0);
        auto deleted = compact_stats_day(store, it->second, begin, stop, *last_events, !config.sync.servers.empty());
        if (!deleted) return deleted.error();
        ++report.days;
        report.events += *deleted;
        report.through = day;
    }
    return report;
}

Result<CompactionReport> compact_office_events(const Context& ctx, int max_days) {
    if (ctx.config.statistics.compact_after_days <= 0) return CompactionReport{};
    auto store = Store::open(ctx.data_dir, StoreAccess::ReadWrite, StoreCheck::OnRead);
    if (!store) return store.error();
    return compact_old_events(**store, ctx.config, ctx.clock.now(), max_days);
}

Result<stats::StatsTable> office_statistics(const Context& ctx, const StatsRange& range, stats::Grouping by) {
    auto log = office_stats_log(ctx, range);
    if (!log) return log.error();
    return stats::compute_stats(*log, ctx.config, by, range.from.key(), range.to.key());
}

std::vector<std::string> stats_headers(const Context& ctx, const std::string& lang, stats::Grouping by) {
    std::vector<std::string> out;
    out.push_back(ctx.translator.tr(lang, "stats.by." + std::string(stats::to_string(by))));
    out.push_back(ctx.translator.tr(lang, "stats.column.name"));
    for (std::string_view key : stats::kStatsColumns)
        if (key != "key") out.push_back(ctx.translator.tr(lang, "stats.column." + std::string(key)));
    return out;
}

std::string stats_service_name(const SiteConfig& config, const std::string& key, const std::string& lang) {
    // "sector/service", or a sector without services by its id (stats_table.cpp).
    const auto slash = key.find('/');
    const Sector* s = config.find_sector(key.substr(0, slash));
    if (!s) return key;
    if (slash == std::string::npos) return s->name.get(lang);
    const Service* v = s->find_service(key.substr(slash + 1));
    return v ? v->name.get(lang) : key;
}

std::vector<std::string> stats_row_names(const Context& ctx, const std::string& lang, const stats::StatsTable& table) {
    std::vector<std::string> out;
    for (const auto& row : table.rows) {
        std::string name = row.key;
        if (row.key.empty()) {
            name = ctx.translator.tr(lang, "stats.none");
        } else if (table.grouping == stats::Grouping::Sector) {
            if (const Sector* s = ctx.config.find_sector(row.key)) name = s->name.get(lang);
        } else if (table.grouping == stats::Grouping::Service) {
            name = stats_service_name(ctx.config, row.key, lang);
        } else if (table.grouping == stats::Grouping::Counter) {
            const CounterConfig* c = ctx.config.find_counter(std::atoi(row.key.c_str()));
            const std::string own = c ? c->name.get(lang) : std::string();
            name = own.empty() ? ctx.translator.tr(lang, "counter.title", {{"counter", row.key}}) : own;
        } else if (table.grouping == stats::Grouping::Hour) {
            name = row.key + ":00–" + two_digits(std::atoi(row.key.c_str()) + 1) + ":00";
        }
        out.push_back(std::move(name));
    }
    out.push_back(ctx.translator.tr(lang, "stats.total"));
    return out;
}

}  // namespace csc::app
