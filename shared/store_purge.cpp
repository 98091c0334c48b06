#include "shared/store_purge.hpp"

#include <sqlite3.h>

#include "shared/booking/personal_data.hpp"
#include "shared/store_sql.hpp"

namespace csc {

using sql::Stmt;

namespace {
Result<void> exec(const Store& store, const char* sql, const char* what) {
    const int rc = sqlite3_exec(store.handle(), sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return store.error_of(rc, what);
    return {};
}

// The events of a query's rows (position, encoded, id); one that does not decode is quarantined.
Result<std::vector<Event>> decoded_rows(const Store& store, Stmt& st, const char* what) {
    std::vector<Event> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        auto ev = decode_event(st.text(1));
        if (!ev) {
            store.quarantine({st.int64(0), st.text(2), ev.error().message});
            continue;
        }
        out.push_back(std::move(*ev));
    }
    if (rc != SQLITE_DONE) return store.error_of(rc, what);
    return out;
}
}  // namespace

bool truncate_wal(Store& store) {
    // The old pages are still in the WAL until a checkpoint copies the new ones over them in
    // the file; TRUNCATE then empties the WAL (old frames would otherwise stay in its bytes).
    // On a connection of its own with no busy timeout: the store's connection is serialized
    // (FULLMUTEX), so a checkpoint waiting on it for another program's reader would hold every
    // thread's statements that long. PASSIVE first, which never waits; TRUNCATE only once the
    // whole WAL is in the file, so it has nothing left to wait for but the truncation.
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(store.path().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return false;
    }
    sqlite3_busy_timeout(db, 0);
    bool emptied = false;
    {
        Stmt passive(db, "PRAGMA wal_checkpoint(PASSIVE)");
        const bool all_copied = passive.ok() && passive.step() == SQLITE_ROW && passive.int64(0) == 0 &&
                                passive.int64(1) >= 0 && passive.int64(1) == passive.int64(2);
        if (all_copied) {
            Stmt truncate(db, "PRAGMA wal_checkpoint(TRUNCATE)");
            emptied = truncate.ok() && truncate.step() == SQLITE_ROW && truncate.int64(0) == 0;
        }
    }
    sqlite3_close(db);
    return emptied;
}

Result<std::vector<Event>> booking_made_to_purge(const Store& store, Millis before) {
    // Already purged: the name is kPurgedName, no contact, and the person key is a token or
    // none. The encoder writes compact JSON ("name":"(purged)"), so LIKE finds them.
    Stmt st(store.handle(),
            "SELECT position, encoded, id FROM events WHERE type = 'booking.made' AND time < ? AND NOT ("
            "encoded LIKE '%\"name\":\"(purged)\"%' AND encoded LIKE '%\"contact\":\"\"%' AND "
            "(encoded LIKE '%\"person\":\"~%' OR encoded LIKE '%\"person\":\"\"%')) ORDER BY position");
    if (!st.ok()) return store.error_of(sqlite3_errcode(store.handle()), "reading booking events to purge");
    st.bind(1, before);
    return decoded_rows(store, st, "reading booking events to purge");
}

Result<std::vector<Event>> snapshots_to_purge(const Store& store) {
    Stmt st(store.handle(), "SELECT position, encoded, id FROM events WHERE type = 'agenda.snapshot' ORDER BY position");
    if (!st.ok()) return store.error_of(sqlite3_errcode(store.handle()), "reading agenda snapshots to purge");
    return decoded_rows(store, st, "reading agenda snapshots to purge");
}

Result<int> rewrite_booking_events(Store& store, const std::vector<Event>& events) {
    if (store.read_only()) return fail_as("store.readonly", store.path().string() + ": opened read-only; nothing can be purged");
    int out = 0;
    for (const Event& e : events) {
        if (!std::holds_alternative<BookingMade>(e.body) && !std::holds_alternative<AgendaSnapshot>(e.body))
            return fail_as("input", "event " + e.id + " is neither a booking.made nor an agenda.snapshot");
        if (auto v = validate_event(e); !v) return fail_as("input", "event " + e.id + ": " + v.error().message);
    }
    if (events.empty()) return out;
    // Zero what the old rows leave behind (freed cells, pages of the freelist), in this file.
    if (auto r = exec(store, "PRAGMA secure_delete=ON", "purge: secure_delete"); !r) return r.error();
    if (auto r = exec(store, "BEGIN IMMEDIATE", "purge: begin"); !r) return r.error();
    for (const Event& e : events) {
        Stmt st(store.handle(), "UPDATE events SET encoded = ? WHERE id = ? AND type = ?");
        if (!st.ok()) {
            (void)exec(store, "ROLLBACK", "purge: rollback");
            return store.error_of(sqlite3_errcode(store.handle()), "purge: preparing");
        }
        st.bind(1, encode_event(e));
        st.bind(2, e.id);
        st.bind(3, std::string_view(std::holds_alternative<BookingMade>(e.body) ? BookingMade::kType : AgendaSnapshot::kType));
        const int rc = st.step();
        if (rc != SQLITE_DONE || sqlite3_changes(store.handle()) != 1) {
            (void)exec(store, "ROLLBACK", "purge: rollback");
            if (rc != SQLITE_DONE) return store.error_of(rc, "purge: rewriting event " + e.id);
            return fail("purge: event " + e.id + " is not stored with that type; nothing was purged");
        }
        ++out;
    }
    if (auto r = exec(store, "COMMIT", "purge: commit"); !r) {
        (void)exec(store, "ROLLBACK", "purge: rollback");
        return r.error();
    }
    return out;
}

}  // namespace csc
