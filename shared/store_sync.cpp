#include "shared/store_sync.hpp"

#include <sqlite3.h>

namespace csc {

namespace {

constexpr const char* kAppliedKey = "sync.applied_seq";

// Finalizes on scope exit; the store's own Stmt is private to store.cpp.
struct Statement {
    sqlite3_stmt* s = nullptr;
    Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
    ~Statement() { sqlite3_finalize(s); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
};

std::string column_text(sqlite3_stmt* s, int col) {
    const auto* p = sqlite3_column_text(s, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, col))) : std::string();
}

Result<std::vector<Event>> read_all(sqlite3* db, sqlite3_stmt* s, const std::string& where) {
    std::vector<Event> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        auto ev = decode_event(column_text(s, 0));
        if (!ev) return fail(where + ": a stored event is unreadable (" + ev.error().message + ")");
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
    Statement ins(db,
                  "INSERT INTO events(id, device, device_seq, time, type, encoded, stream_seq) VALUES(?,?,?,?,?,?,?) "
                  "ON CONFLICT(id) DO UPDATE SET stream_seq = COALESCE(events.stream_seq, excluded.stream_seq)");
    Statement meta(db, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    bool ok = ins.s && meta.s;
    for (std::size_t i = 0; ok && i < batch.size(); ++i) {
        const Event& e = batch[i].event;
        const std::string encoded = encode_event(e);
        const auto type = event_type(e.body);
        sqlite3_reset(ins.s);
        sqlite3_bind_text(ins.s, 1, e.id.data(), static_cast<int>(e.id.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.s, 2, e.device.data(), static_cast<int>(e.device.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins.s, 3, e.seq);
        sqlite3_bind_int64(ins.s, 4, e.time);
        sqlite3_bind_text(ins.s, 5, type.data(), static_cast<int>(type.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.s, 6, encoded.data(), static_cast<int>(encoded.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins.s, 7, static_cast<sqlite3_int64>(batch[i].stream_seq));
        ok = sqlite3_step(ins.s) == SQLITE_DONE;
    }
    if (ok) {
        const std::string v = std::to_string(applied_seq);
        sqlite3_bind_text(meta.s, 1, kAppliedKey, -1, SQLITE_STATIC);
        sqlite3_bind_text(meta.s, 2, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        ok = sqlite3_step(meta.s) == SQLITE_DONE;
    }
    if (!ok) {
        const std::string msg = sqlite3_errmsg(db);
        (void)exec("ROLLBACK");
        return fail(where + ": " + msg);
    }
    return exec("COMMIT");
}

Result<std::vector<Event>> stream_events_since(const Store& store, Millis since) {
    Statement st(store.handle(), "SELECT encoded FROM events WHERE stream_seq IS NOT NULL AND time >= ? ORDER BY stream_seq");
    if (!st.s) return fail(store.path().string() + ": " + sqlite3_errmsg(store.handle()));
    sqlite3_bind_int64(st.s, 1, since);
    return read_all(store.handle(), st.s, store.path().string());
}

Result<std::vector<Event>> unconfirmed_events(const Store& store, std::string_view device) {
    Statement st(store.handle(), "SELECT encoded FROM events WHERE stream_seq IS NULL AND device = ? ORDER BY device_seq");
    if (!st.s) return fail(store.path().string() + ": " + sqlite3_errmsg(store.handle()));
    sqlite3_bind_text(st.s, 1, device.data(), static_cast<int>(device.size()), SQLITE_TRANSIENT);
    return read_all(store.handle(), st.s, store.path().string());
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
