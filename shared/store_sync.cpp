#include "shared/store_sync.hpp"
#include "shared/store_sql.hpp"

#include <sqlite3.h>

namespace csc {

namespace {

constexpr const char* kAppliedKey = "sync.applied_seq";

using sql::Stmt;

std::string column_text(sqlite3_stmt* s, int col) {
    const auto* p = sqlite3_column_text(s, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, col))) : std::string();
}

// Rows: encoded, id, position. An undecodable event is skipped and quarantined (Store).
Result<std::vector<Event>> read_all(const Store& store, sqlite3* db, sqlite3_stmt* s, const std::string& where) {
    std::vector<Event> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        auto ev = decode_event(column_text(s, 0));
        if (!ev) {
            store.quarantine({sqlite3_column_int64(s, 2), column_text(s, 1), ev.error().message});
            continue;
        }
        out.push_back(std::move(*ev));
    }
    if (rc != SQLITE_DONE) return fail(where + ": reading events failed (" + sqlite3_errmsg(db) + ")");
    return out;
}

}  // namespace

Result<void> record_stream_batch(Store& store, std::span<const StreamedEvent> batch, std::uint64_t applied_seq) {
    sqlite3* db = store.handle();
    const std::string where = store.path().string() + ": recording replicated events";
    auto exec = [&](const char* sql) -> Result<void> {
        if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return fail(where + ": " + sqlite3_errmsg(db));
        return {};
    };
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
    // One statement per event: insert, or — for an event already stored (our own, or a
    // duplicate in the stream) — keep the FIRST stream position it was seen at.
    Stmt ins(db,
             "INSERT INTO events(id, device, device_seq, time, type, encoded, stream_seq) VALUES(?,?,?,?,?,?,?) "
             "ON CONFLICT(id) DO UPDATE SET stream_seq = COALESCE(events.stream_seq, excluded.stream_seq)");
    Stmt meta(db, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    bool ok = ins.ok() && meta.ok();
    for (std::size_t i = 0; ok && i < batch.size(); ++i) {
        const Event& e = batch[i].event;
        sqlite3_reset(ins.get());
        ins.bind(1, e.id);
        ins.bind(2, e.device);
        ins.bind(3, e.seq);
        ins.bind(4, e.time);
        ins.bind(5, event_type(e.body));
        ins.bind(6, encode_event(e));
        ins.bind(7, static_cast<std::int64_t>(batch[i].stream_seq));
        ok = ins.step() == SQLITE_DONE;
    }
    if (ok) {
        meta.bind(1, std::string_view(kAppliedKey));
        meta.bind(2, std::to_string(applied_seq));
        ok = meta.step() == SQLITE_DONE;
    }
    if (!ok) {
        const std::string msg = sqlite3_errmsg(db);
        (void)exec("ROLLBACK");
        return fail(where + ": " + msg);
    }
    return exec("COMMIT");
}

Result<std::vector<Event>> stream_events_since(const Store& store, Millis since) {
    Stmt st(store.handle(), "SELECT encoded, id, position FROM events WHERE stream_seq IS NOT NULL AND time >= ? ORDER BY stream_seq");
    if (!st.ok()) return fail(store.path().string() + ": " + sqlite3_errmsg(store.handle()));
    st.bind(1, since);
    return read_all(store, store.handle(), st.get(), store.path().string());
}

Result<std::vector<Event>> unconfirmed_events(const Store& store, std::string_view device) {
    Stmt st(store.handle(), "SELECT encoded, id, position FROM events WHERE stream_seq IS NULL AND device = ? ORDER BY device_seq");
    if (!st.ok()) return fail(store.path().string() + ": " + sqlite3_errmsg(store.handle()));
    st.bind(1, device);
    return read_all(store, store.handle(), st.get(), store.path().string());
}

std::uint64_t applied_stream_seq(const Store& store) {
    const auto v = store.meta(kAppliedKey);
    if (!v) return 0;
    try {
        return std::stoull(*v);
    } catch (...) {
        return 0;
    }
}

}  // namespace csc
