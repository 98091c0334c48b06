// store_stats.cpp — the SQL of the saved statistics records (see store_stats.hpp).
#include "shared/store_stats.hpp"

#include <algorithm>
#include <set>

#include "shared/events.hpp"
#include "shared/store_sql.hpp"

namespace csc {

namespace {

using sql::Stmt;

Error stats_sql_error(const Store& store, const std::string& what) {
    return fail(store.path().string() + ": " + what + ": " + sqlite3_errmsg(store.handle()));
}

stats::VisitOutcome outcome_named(std::int64_t n) {
    switch (n) {
        case 0: return stats::VisitOutcome::Served;
        case 1: return stats::VisitOutcome::LeftBeforeCall;
        case 2: return stats::VisitOutcome::CalledAbsent;
        case 3: return stats::VisitOutcome::LeftDuringService;
        default: return stats::VisitOutcome::Open;
    }
}
std::int64_t outcome_number(stats::VisitOutcome o) {
    switch (o) {
        case stats::VisitOutcome::Served: return 0;
        case stats::VisitOutcome::LeftBeforeCall: return 1;
        case stats::VisitOutcome::CalledAbsent: return 2;
        case stats::VisitOutcome::LeftDuringService: return 3;
        case stats::VisitOutcome::Open: return 4;
    }
    return 4;
}

// Days as a comma-free list bound one at a time would mean one query per day; a temporary
// range [min, max] with the set checked in C++ reads each table once.
template <class F>
Result<void> each_row_between(const Store& store, const char* sql, int from_day, int to_day, F&& row) {
    Stmt st(store.handle(), sql);
    if (!st.ok()) return stats_sql_error(store, "reading saved statistics");
    st.bind(1, static_cast<std::int64_t>(from_day));
    st.bind(2, static_cast<std::int64_t>(to_day));
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) row(st);
    if (rc != SQLITE_DONE) return stats_sql_error(store, "reading saved statistics");
    return {};
}

}  // namespace

Result<std::vector<StatsDayMark>> event_marks_by_day(const Store& store, const OfficeTimeZone& zone, Date from, Date to) {
    std::vector<StatsDayMark> out;
    // One aggregate per local day on the time index: SQLite counts inside, no row comes out.
    Stmt st(store.handle(), "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM events WHERE time >= ? AND time < ?");
    if (!st.ok()) return stats_sql_error(store, "reading event marks");
    const long first = days_from_civil(from.year, from.month, from.day), last = days_from_civil(to.year, to.month, to.day);
    Millis begin = zone.from_local(civil_from_days(first), 0);
    for (long d = first; d <= last; ++d) {
        const Millis end = zone.from_local(civil_from_days(d + 1), 0);
        st.bind(1, begin);
        st.bind(2, end);
        if (st.step() != SQLITE_ROW) return stats_sql_error(store, "reading event marks");
        out.push_back({civil_from_days(d).key(), st.int64(0), st.int64(1), kStatsRecordFormat});
        sqlite3_reset(st.get());
        begin = end;
    }
    return out;
}

Result<std::map<int, StatsDayMark>> saved_stats_marks(const Store& store, int from_day, int to_day) {
    std::map<int, StatsDayMark> out;
    auto r = each_row_between(store, "SELECT day, events, last_position, format, compacted FROM stats_days WHERE day >= ? AND day <= ?",
                              from_day, to_day, [&](Stmt& st) {
                                  const int day = static_cast<int>(st.int64(0));
                                  out[day] = {day, st.int64(1), st.int64(2), static_cast<int>(st.int64(3)), st.int64(4) != 0};
                              });
    if (!r) return r.error();
    return out;
}

Result<void> load_saved_stats(const Store& store, const std::vector<int>& days, stats::StatsLog& into) {
    if (days.empty()) return {};
    const std::set<int> wanted(days.begin(), days.end());
    const int lo = *wanted.begin(), hi = *wanted.rbegin();
    // A year is ~250,000 visits: room made once, not by doubling.
    {
        Stmt count(store.handle(), "SELECT COUNT(*) FROM stats_visits WHERE day >= ? AND day <= ?");
        count.bind(1, static_cast<std::int64_t>(lo));
        count.bind(2, static_cast<std::int64_t>(hi));
        if (count.ok() && count.step() == SQLITE_ROW) into.visits.reserve(into.visits.size() + static_cast<std::size_t>(count.int64(0)));
    }
    auto visits = each_row_between(
        store,
        "SELECT day, hour, sector, service, priority, booking, counter, staff, outcome, issued_at, first_called_at, "
        "called_at, started_at, finished_at, promised_low, promised_high, ended_at FROM stats_visits WHERE day >= ? AND day <= ?",
        lo, hi, [&](Stmt& st) {
            const int day = static_cast<int>(st.int64(0));
            if (!wanted.count(day)) return;
            stats::VisitRecord v;
            v.day = day;
            v.hour = static_cast<int>(st.int64(1));
            v.sector = st.text(2);
            v.service = st.text(3);
            v.priority = st.int64(4) != 0;
            v.booking = st.int64(5) != 0;
            v.counter = static_cast<int>(st.int64(6));
            v.staff = st.text(7);
            v.outcome = outcome_named(st.int64(8));
            v.issued_at = st.int64(9);
            v.first_called_at = st.int64(10);
            v.called_at = st.int64(11);
            v.started_at = st.int64(12);
            v.finished_at = st.int64(13);
            if (sqlite3_column_type(st.get(), 14) != SQLITE_NULL && sqlite3_column_type(st.get(), 15) != SQLITE_NULL) {
                v.promised_low_min = static_cast<int>(st.int64(14));
                v.promised_high_min = static_cast<int>(st.int64(15));
            }
            v.ended_at = st.int64(16);
            into.visits.push_back(std::move(v));
        });
    if (!visits) return visits;
    auto pauses = each_row_between(store, "SELECT day, hour, counter, staff, reason, minutes FROM stats_pauses WHERE day >= ? AND day <= ?",
                                   lo, hi, [&](Stmt& st) {
                                       const int day = static_cast<int>(st.int64(0));
                                       if (!wanted.count(day)) return;
                                       into.pauses.push_back({day, static_cast<int>(st.int64(1)), static_cast<int>(st.int64(2)),
                                                              st.text(3), st.text(4), st.real(5)});
                                   });
    if (!pauses) return pauses;
    auto idle = each_row_between(store, "SELECT day, hour, counter, staff, minutes FROM stats_idle WHERE day >= ? AND day <= ?", lo, hi,
                                 [&](Stmt& st) {
                                     const int day = static_cast<int>(st.int64(0));
                                     if (!wanted.count(day)) return;
                                     into.idle.push_back({day, static_cast<int>(st.int64(1)), static_cast<int>(st.int64(2)),
                                                          st.text(3), st.real(4)});
                                 });
    if (!idle) return idle;
    auto bookings = each_row_between(store, "SELECT code, day, hour, sector, service, came FROM stats_bookings WHERE day >= ? AND day <= ?", lo, hi,
                            [&](Stmt& st) {
                                const int day = static_cast<int>(st.int64(1));
                                if (!wanted.count(day)) return;
                                into.bookings.push_back({st.text(0), day, static_cast<int>(st.int64(2)), st.text(3), st.text(4),
                                                         st.int64(5) != 0});
                            });
    if (!bookings) return bookings;
    return each_row_between(store,
                            "SELECT day, hour, sector, service, counter, rating, reason FROM stats_feedback WHERE day >= ? AND day <= ?",
                            lo, hi, [&](Stmt& st) {
                                const int day = static_cast<int>(st.int64(0));
                                if (!wanted.count(day)) return;
                                into.feedback.push_back({day, static_cast<int>(st.int64(1)), st.text(2), st.text(3),
                                                         static_cast<int>(st.int64(4)), st.text(5), st.text(6)});
                            });
}

Result<void> save_stats_days(Store& store, const stats::StatsLog& log, const std::vector<StatsDayMark>& marks) {
    if (marks.empty()) return {};
    sqlite3* db = store.handle();
    std::set<int> days;
    for (const auto& m : marks) days.insert(m.day);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return store.error_of(sqlite3_errcode(db), "saving statistics");
    auto rollback = [&](const std::string& what) {
        Error e = store.error_of(sqlite3_extended_errcode(db), what);
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return e;
    };
    for (const char* table : {"stats_visits", "stats_pauses", "stats_idle", "stats_bookings", "stats_feedback", "stats_days"}) {
        Stmt del(db, (std::string("DELETE FROM ") + table + " WHERE day = ?").c_str());
        if (!del.ok()) return rollback("saving statistics");
        for (int d : days) {
            del.bind(1, static_cast<std::int64_t>(d));
            if (del.step() != SQLITE_DONE) return rollback("saving statistics");
            sqlite3_reset(del.get());
        }
    }
    Stmt v(db, "INSERT INTO stats_visits(day, hour, sector, service, priority, booking, counter, staff, outcome, issued_at, "
               "first_called_at, called_at, started_at, finished_at, promised_low, promised_high, ended_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Stmt p(db, "INSERT INTO stats_pauses(day, hour, counter, staff, reason, minutes) VALUES(?,?,?,?,?,?)");
    Stmt i(db, "INSERT INTO stats_idle(day, hour, counter, staff, minutes) VALUES(?,?,?,?,?)");
    Stmt b(db, "INSERT INTO stats_bookings(code, day, hour, sector, service, came) VALUES(?,?,?,?,?,?)");
    Stmt f(db, "INSERT INTO stats_feedback(day, hour, sector, service, counter, rating, reason) VALUES(?,?,?,?,?,?,?)");
    Stmt m(db, "INSERT INTO stats_days(day, events, last_position, format, compacted) VALUES(?,?,?,?,?)");
    if (!v.ok() || !p.ok() || !i.ok() || !b.ok() || !f.ok() || !m.ok()) return rollback("saving statistics");
    auto i64 = [](auto x) { return static_cast<std::int64_t>(x); };
    for (const auto& r : log.visits) {
        if (!days.count(r.day)) continue;
        v.bind(1, i64(r.day)); v.bind(2, i64(r.hour)); v.bind(3, r.sector); v.bind(4, r.service);
        v.bind(5, i64(r.priority)); v.bind(6, i64(r.booking)); v.bind(7, i64(r.counter)); v.bind(8, r.staff);
        v.bind(9, outcome_number(r.outcome)); v.bind(10, r.issued_at); v.bind(11, r.first_called_at);
        v.bind(12, r.called_at); v.bind(13, r.started_at); v.bind(14, r.finished_at);
        if (r.promised_low_min && r.promised_high_min) {
            v.bind(15, i64(*r.promised_low_min));
            v.bind(16, i64(*r.promised_high_min));
        } else {
            sqlite3_bind_null(v.get(), 15);
            sqlite3_bind_null(v.get(), 16);
        }
        v.bind(17, r.ended_at);
        if (v.step() != SQLITE_DONE) return rollback("saving statistics");
        sqlite3_reset(v.get());
    }
    for (const auto& r : log.pauses) {
        if (!days.count(r.day)) continue;
        p.bind(1, i64(r.day)); p.bind(2, i64(r.hour)); p.bind(3, i64(r.counter)); p.bind(4, r.staff); p.bind(5, r.reason);
        p.bind(6, r.minutes);
        if (p.step() != SQLITE_DONE) return rollback("saving statistics");
        sqlite3_reset(p.get());
    }
    for (const auto& r : log.idle) {
        if (!days.count(r.day)) continue;
        i.bind(1, i64(r.day)); i.bind(2, i64(r.hour)); i.bind(3, i64(r.counter)); i.bind(4, r.staff); i.bind(5, r.minutes);
        if (i.step() != SQLITE_DONE) return rollback("saving statistics");
        sqlite3_reset(i.get());
    }
    for (const auto& r : log.bookings) {
        if (!days.count(r.day)) continue;
        b.bind(1, r.code); b.bind(2, i64(r.day)); b.bind(3, i64(r.hour)); b.bind(4, r.sector); b.bind(5, r.service);
        b.bind(6, i64(r.came));
        if (b.step() != SQLITE_DONE) return rollback("saving statistics");
        sqlite3_reset(b.get());
    }
    for (const auto& r : log.feedback) {
        if (!days.count(r.day)) continue;
        f.bind(1, i64(r.day)); f.bind(2, i64(r.hour)); f.bind(3, r.sector); f.bind(4, r.service); f.bind(5, i64(r.counter));
        f.bind(6, r.rating); f.bind(7, r.reason);
        if (f.step() != SQLITE_DONE) return rollback("saving statistics");
        sqlite3_reset(f.get());
    }
    for (const auto& mk : marks) {
        m.bind(1, i64(mk.day)); m.bind(2, mk.events); m.bind(3, mk.last_position); m.bind(4, i64(mk.format)); m.bind(5, i64(mk.compacted));
        if (m.step() != SQLITE_DONE) return rollback("saving statistics");
        sqlite3_reset(m.get());
    }
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return rollback("saving statistics");
    return {};
}

namespace {

// "+type IN ('ticket.issued', …)": the list is the constants above, never input. The unary +
// keeps SQLite on the time index: with the type index it read every event of those types for
// each day (a year's compaction took 130 s instead of seconds: docs/PERFORMANCE.md).
std::string compacted_types_sql() {
    std::string in = "+type IN (";
    for (std::size_t i = 0; i < kCompactedEventTypes.size(); ++i) in += (i ? ",'" : "'") + std::string(kCompactedEventTypes[i]) + "'";
    return in + ")";
}

}  // namespace

Result<std::optional<Millis>> first_event_to_compact(const Store& store, Millis from) {
    Stmt st(store.handle(), ("SELECT MIN(time) FROM events WHERE time >= ? AND " + compacted_types_sql()).c_str());
    if (!st.ok()) return stats_sql_error(store, "looking for events to compact");
    st.bind(1, from);
    if (st.step() != SQLITE_ROW) return stats_sql_error(store, "looking for events to compact");
    if (sqlite3_column_type(st.get(), 0) == SQLITE_NULL) return std::optional<Millis>{};
    return std::optional<Millis>{st.int64(0)};
}

Result<std::optional<int>> last_compacted_day(const Store& store) {
    Stmt st(store.handle(), "SELECT MAX(day) FROM stats_days WHERE compacted = 1");
    if (!st.ok() || st.step() != SQLITE_ROW) return stats_sql_error(store, "reading compacted days");
    if (sqlite3_column_type(st.get(), 0) == SQLITE_NULL) return std::optional<int>{};
    return std::optional<int>{static_cast<int>(st.int64(0))};
}

Result<std::map<std::string, std::int64_t>> last_event_of_each_device(const Store& store) {
    std::map<std::string, std::int64_t> out;
    Stmt st(store.handle(), "SELECT device, MAX(device_seq) FROM events GROUP BY device");
    if (!st.ok()) return stats_sql_error(store, "reading each device's last event");
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) out[st.text(0)] = st.int64(1);
    if (rc != SQLITE_DONE) return stats_sql_error(store, "reading each device's last event");
    return out;
}

Result<std::int64_t> compact_stats_day(Store& store, const StatsDayMark& mark, Millis begin, Millis end,
                                       const std::map<std::string, std::int64_t>& keep, bool keep_unsent) {
    sqlite3* db = store.handle();
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return store.error_of(sqlite3_errcode(db), "compacting events");
    auto rollback = [&](const std::string& what) {
        Error e = store.error_of(sqlite3_extended_errcode(db), what);
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return e;
    };
    // The records must still be the day's own, under the write lock: another program may have
    // appended to the day since they were checked.
    {
        Stmt saved(db, "SELECT events, last_position, format, compacted FROM stats_days WHERE day = ?");
        if (!saved.ok()) return rollback("compacting events");
        saved.bind(1, static_cast<std::int64_t>(mark.day));
        const int rc = saved.step();
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rollback("compacting events");
        // Records of an older format are never made final: the day is folded and saved again first.
        const bool same = rc == SQLITE_ROW && saved.int64(0) == mark.events && saved.int64(1) == mark.last_position &&
                          saved.int64(2) == mark.format && mark.format == kStatsRecordFormat;
        const bool done = rc == SQLITE_ROW && saved.int64(3) != 0;
        if (done) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            return std::int64_t{0};
        }
        Stmt now(db, "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM events WHERE time >= ? AND time < ?");
        now.bind(1, begin);
        now.bind(2, end);
        if (!now.ok() || now.step() != SQLITE_ROW) return rollback("compacting events");
        if (!same || now.int64(0) != mark.events || now.int64(1) != mark.last_position) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            return fail(store.path().string() + ": day " + std::to_string(mark.day) +
                        " not compacted: its statistics records are not those of its events (saved again first)");
        }
    }
    // The candidates: the day's queue events but those set aside, each device's last event (named
    // one by one: a GROUP BY over the whole log for every day made compaction ~20 times slower)
    // and, in a LAN office, own events the stream has not confirmed yet.
    std::string keep_sql;
    for (std::size_t i = 0; i < keep.size(); ++i) keep_sql += " AND NOT (device = ? AND device_seq = ?)";
    if (keep_unsent) keep_sql += " AND stream_seq IS NOT NULL";
    Stmt cand(db, ("SELECT position, encoded FROM events WHERE time >= ? AND time < ? AND " + compacted_types_sql() +
                   " AND id NOT IN (SELECT id FROM quarantine)" + keep_sql)
                      .c_str());
    if (!cand.ok()) return rollback("compacting events");
    cand.bind(1, begin);
    cand.bind(2, end);
    int arg = 3;
    for (const auto& [device, seq] : keep) {
        cand.bind(arg++, std::string_view(device));
        cand.bind(arg++, seq);
    }
    // Only what this program can read goes: an event it cannot decode (a newer program's) was
    // never in the records, so it stays for a program that can.
    std::vector<std::int64_t> positions;
    int rc;
    while ((rc = cand.step()) == SQLITE_ROW)
        if (decode_event(cand.text(1))) positions.push_back(cand.int64(0));
    if (rc != SQLITE_DONE) return rollback("compacting events");
    Stmt del(db, "DELETE FROM events WHERE position = ?");
    if (!del.ok()) return rollback("compacting events");
    for (const std::int64_t position : positions) {
        del.bind(1, position);
        if (del.step() != SQLITE_DONE) return rollback("compacting events");
        sqlite3_reset(del.get());
    }
    const auto deleted = static_cast<std::int64_t>(positions.size());
    Stmt left(db, "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM events WHERE time >= ? AND time < ?");
    left.bind(1, begin);
    left.bind(2, end);
    if (!left.ok() || left.step() != SQLITE_ROW) return rollback("compacting events");
    Stmt mark_it(db, "UPDATE stats_days SET compacted = 1, events = ?, last_position = ? WHERE day = ?");
    if (!mark_it.ok()) return rollback("compacting events");
    mark_it.bind(1, left.int64(0));
    mark_it.bind(2, left.int64(1));
    mark_it.bind(3, static_cast<std::int64_t>(mark.day));
    if (mark_it.step() != SQLITE_DONE) return rollback("compacting events");
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return rollback("compacting events");
    return deleted;
}

}  // namespace csc
