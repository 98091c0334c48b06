#include "shared/store_refresh.hpp"

#include <sqlite3.h>

namespace csc {

namespace {

std::int64_t max_position(sqlite3* db) {
    sqlite3_stmt* st = nullptr;
    std::int64_t out = -1;
    if (sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(position), 0) FROM events", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return out;
}

Result<void> exec(sqlite3* db, const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return fail(std::string(sql) + ": " + sqlite3_errmsg(db));
    return {};
}

}  // namespace

std::int64_t last_event_position(const Store& store) { return std::max<std::int64_t>(0, max_position(store.handle())); }

Result<std::int64_t> append_at_end(Store& store, const Event& e, std::int64_t expected_last) {
    sqlite3* db = store.handle();
    // IMMEDIATE takes the write lock first (waiting up to the store's busy timeout), so no other
    // process can append between the check and the insert.
    if (auto r = exec(db, "BEGIN IMMEDIATE"); !r) return fail(store.path().string() + ": " + r.error().message);
    const std::int64_t last = max_position(db);
    if (last != expected_last) {
        (void)exec(db, "ROLLBACK");
        if (last < 0) return fail(store.path().string() + ": cannot read the event log (" + sqlite3_errmsg(db) + ")");
        return std::int64_t{0};
    }
    if (auto r = store.append(e); !r) {
        (void)exec(db, "ROLLBACK");
        return r.error();
    }
    const std::int64_t position = sqlite3_last_insert_rowid(db);
    if (auto r = exec(db, "COMMIT"); !r) {
        (void)exec(db, "ROLLBACK");
        return fail(store.path().string() + ": " + r.error().message);
    }
    return position;
}

}  // namespace csc
