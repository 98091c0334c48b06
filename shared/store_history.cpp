#include "shared/store_history.hpp"
#include "shared/store_sql.hpp"

#include <sqlite3.h>

namespace csc {

namespace {

using sql::Stmt;

Error sql_error(const Store& store, const std::string& what) {
    return fail(store.path().string() + ": " + what + ": " + sqlite3_errmsg(store.handle()));
}

TicketOutcome::Kind kind_of(const std::string& s) {
    if (s == "no-show") return TicketOutcome::Kind::NoShow;
    if (s == "cancelled") return TicketOutcome::Kind::Cancelled;
    if (s == "not-served") return TicketOutcome::Kind::NotServed;
    return TicketOutcome::Kind::Served;
}

}  // namespace

Result<void> save_outcome(Store& store, const TicketOutcome& o) {
    Stmt st(store,
            "INSERT OR REPLACE INTO ticket_outcomes(id, day, sector, service, priority, appointment, kind, issued_at, "
            "called_at, started_at, finished_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    if (!st.ok()) return sql_error(store, "save outcome");
    st.bind(1, o.id);
    st.bind(2, static_cast<std::int64_t>(o.day));
    st.bind(3, o.sector);
    st.bind(4, o.service);
    st.bind(5, static_cast<std::int64_t>(o.priority));
    st.bind(6, static_cast<std::int64_t>(o.appointment));
    st.bind(7, to_string(o.kind));
    st.bind(8, o.issued_at);
    st.bind(9, o.called_at);
    st.bind(10, o.started_at);
    st.bind(11, o.finished_at);
    if (st.step() != SQLITE_DONE) return sql_error(store, "save outcome of " + o.id);
    return {};
}

bool outcome_saved(const Store& store, std::string_view ticket_id) {
    Stmt st(store, "SELECT 1 FROM ticket_outcomes WHERE id = ?");
    if (!st.ok()) return false;
    st.bind(1, ticket_id);
    return st.step() == SQLITE_ROW;
}

Result<void> save_counter_time(Store& store, const CounterTime& t) {
    Stmt st(store, "INSERT INTO counter_time(day, counter, kind, minutes) VALUES(?,?,?,?)");
    if (!st.ok()) return sql_error(store, "save counter time");
    st.bind(1, static_cast<std::int64_t>(t.day));
    st.bind(2, static_cast<std::int64_t>(t.counter));
    st.bind(3, t.kind);
    st.bind(4, t.minutes);
    if (st.step() != SQLITE_DONE) return sql_error(store, "save counter time");
    return {};
}

Result<std::vector<TicketOutcome>> load_outcomes(const Store& store, int from_day) {
    Stmt st(store.handle(),
            "SELECT id, day, sector, service, priority, appointment, kind, issued_at, called_at, started_at, finished_at "
            "FROM ticket_outcomes WHERE day >= ? ORDER BY day, finished_at, id");
    if (!st.ok()) return sql_error(store, "load outcomes");
    st.bind(1, static_cast<std::int64_t>(from_day));
    std::vector<TicketOutcome> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        TicketOutcome o;
        o.id = st.text(0);
        o.day = static_cast<int>(st.int64(1));
        o.sector = st.text(2);
        o.service = st.text(3);
        o.priority = st.int64(4) != 0;
        o.appointment = st.int64(5) != 0;
        o.kind = kind_of(st.text(6));
        o.issued_at = st.int64(7);
        o.called_at = st.int64(8);
        o.started_at = st.int64(9);
        o.finished_at = st.int64(10);
        out.push_back(std::move(o));
    }
    if (rc != SQLITE_DONE) return sql_error(store, "load outcomes");
    return out;
}

Result<std::vector<CounterTime>> load_counter_time(const Store& store, int from_day) {
    Stmt st(store.handle(), "SELECT day, counter, kind, minutes FROM counter_time WHERE day >= ? ORDER BY rowid");
    if (!st.ok()) return sql_error(store, "load counter time");
    st.bind(1, static_cast<std::int64_t>(from_day));
    std::vector<CounterTime> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        out.push_back({static_cast<int>(st.int64(0)), static_cast<int>(st.int64(1)), st.text(2), st.real(3)});
    if (rc != SQLITE_DONE) return sql_error(store, "load counter time");
    return out;
}

}  // namespace csc
