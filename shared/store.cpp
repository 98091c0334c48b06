#include "shared/store.hpp"
#include "shared/store_sql.hpp"

#include <sqlite3.h>

#include <array>
#include <system_error>

namespace csc {

namespace {

constexpr std::array kMigrationList{
    Migration{1, "event log and device settings",
              R"sql(
CREATE TABLE events (
    position   INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    device     TEXT NOT NULL,
    device_seq INTEGER NOT NULL,
    time       INTEGER NOT NULL,
    type       TEXT NOT NULL,
    encoded    TEXT NOT NULL
);
CREATE INDEX events_time ON events(time);
CREATE INDEX events_device ON events(device, device_seq);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql"},
    // LAN sync (shared/sync): where each event sits in the office's JetStream stream. NULL = not
    // seen in the stream yet (an own event still to publish, or a single-machine office).
    Migration{2, "stream sequence of replicated events",
              R"sql(
ALTER TABLE events ADD COLUMN stream_seq INTEGER;
CREATE UNIQUE INDEX events_stream_seq ON events(stream_seq);
)sql"},
    // Forecast history (shared/store_history.cpp): derived from the log, kept for learning.
    Migration{3, "ticket outcomes and counter time (forecast history)",
              R"sql(
CREATE TABLE ticket_outcomes (
    id          TEXT PRIMARY KEY,
    day         INTEGER NOT NULL,
    sector      TEXT NOT NULL,
    service     TEXT NOT NULL,
    priority    INTEGER NOT NULL,
    appointment INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    issued_at   INTEGER NOT NULL,
    called_at   INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL
);
CREATE INDEX ticket_outcomes_day ON ticket_outcomes(day);
CREATE TABLE counter_time (
    day         INTEGER NOT NULL,
    counter     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    minutes     REAL NOT NULL
);
CREATE INDEX counter_time_day ON counter_time(day);
)sql"},
};

using sql::Stmt;

Error sql_error(sqlite3* db, const std::string& what) { return fail(what + ": " + sqlite3_errmsg(db)); }

Result<void> exec(sqlite3* db, const char* sql, const std::string& what) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string m = msg ? msg : sqlite3_errmsg(db);
        sqlite3_free(msg);
        return fail(what + ": " + m);
    }
    return {};
}

Result<std::vector<StoredEvent>> read_events(Stmt& st, const std::string& where) {
    std::vector<StoredEvent> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        auto ev = decode_event(st.text(1));
        if (!ev) return fail(where + ": stored event at position " + std::to_string(st.int64(0)) + " is unreadable (" + ev.error().message + ")");
        out.push_back({st.int64(0), std::move(*ev)});
    }
    if (rc != SQLITE_DONE) return fail(where + ": reading events failed (" + sqlite3_errstr(rc) + ")");
    return out;
}

}  // namespace

std::span<const Migration> store_migrations() { return kMigrationList; }

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& data_dir) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return fail(data_dir.string() + ": cannot create the data directory (" + ec.message() + ")");
    const auto path = data_dir / "office.db";
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string m = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return fail(path.string() + ": cannot open the store (" + m + ")");
    }
    std::unique_ptr<Store> store(new Store(db, path));
    sqlite3_busy_timeout(db, 5000);
    // The integrity check comes first: a damaged file is reported, never rebuilt.
    {
        Stmt check(db, "PRAGMA quick_check");
        if (!check.ok())
            return fail(path.string() + ": the store is not a valid SQLite database (" + sqlite3_errmsg(db) +
                        "); it was left untouched — restore it from a backup or move it away");
        std::string verdict;
        int r;
        while ((r = check.step()) == SQLITE_ROW) verdict += (verdict.empty() ? "" : "; ") + check.text(0);
        if (r != SQLITE_DONE || verdict != "ok")
            return fail(path.string() + ": the store is corrupt (" + (verdict.empty() ? sqlite3_errmsg(db) : verdict) +
                        "); it was left untouched — restore it from a backup or move it away");
    }
    if (auto r = exec(db, "PRAGMA journal_mode=WAL", path.string() + ": cannot switch to WAL"); !r) return r.error();
    if (auto r = exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", path.string()); !r) return r.error();
    if (auto r = store->migrate(); !r) return r.error();
    return store;
}

Store::~Store() { sqlite3_close(db_); }

int Store::schema_version() const {
    Stmt st(db_, "PRAGMA user_version");
    return st.step() == SQLITE_ROW ? static_cast<int>(st.int64(0)) : -1;
}

Result<void> Store::migrate() {
    const int current = schema_version();
    const int latest = static_cast<int>(kMigrationList.size());
    if (current > latest)
        return fail(path_.string() + ": the store has schema version " + std::to_string(current) +
                    ", newer than this program knows (" + std::to_string(latest) + "); upgrade the program");
    for (const auto& m : kMigrationList) {
        if (m.version <= current) continue;
        const std::string what = path_.string() + ": migration " + std::to_string(m.version) + " (" + m.description + ")";
        if (auto r = exec(db_, "BEGIN IMMEDIATE", what); !r) return r;
        // Several programs may open a new store at once (tools/start-office.sh): under the
        // write lock, skip what another one applied meanwhile.
        if (schema_version() >= m.version) {
            if (auto c = exec(db_, "COMMIT", what); !c) return c;
            continue;
        }
        auto r = exec(db_, m.sql, what);
        if (r) r = exec(db_, ("PRAGMA user_version=" + std::to_string(m.version)).c_str(), what);
        if (!r) {
            (void)exec(db_, "ROLLBACK", what);
            return r;
        }
        if (auto c = exec(db_, "COMMIT", what); !c) return c;
    }
    return {};
}

Result<void> Store::append(const Event& e) {
    Stmt st(db_, "INSERT INTO events(id, device, device_seq, time, type, encoded) VALUES(?,?,?,?,?,?)");
    if (!st.ok()) return sql_error(db_, path_.string() + ": append");
    st.bind(1, e.id);
    st.bind(2, e.device);
    st.bind(3, e.seq);
    st.bind(4, e.time);
    st.bind(5, event_type(e.body));
    st.bind(6, encode_event(e));
    const int rc = st.step();
    if (rc == SQLITE_CONSTRAINT) return fail("event " + e.id + " is already in the store");
    if (rc != SQLITE_DONE) return sql_error(db_, path_.string() + ": append of " + e.id + " failed");
    return {};
}

bool Store::contains(std::string_view event_id) const {
    Stmt st(db_, "SELECT 1 FROM events WHERE id = ?");
    st.bind(1, event_id);
    return st.step() == SQLITE_ROW;
}

Result<std::vector<StoredEvent>> Store::events_since(Millis since) const {
    Stmt st(db_, "SELECT position, encoded FROM events WHERE time >= ? ORDER BY position");
    if (!st.ok()) return sql_error(db_, path_.string());
    st.bind(1, since);
    return read_events(st, path_.string());
}

Result<std::vector<StoredEvent>> Store::events_after(std::int64_t position, int limit) const {
    Stmt st(db_, "SELECT position, encoded FROM events WHERE position > ? ORDER BY position LIMIT ?");
    if (!st.ok()) return sql_error(db_, path_.string());
    st.bind(1, position);
    st.bind(2, static_cast<std::int64_t>(limit));
    return read_events(st, path_.string());
}

std::int64_t Store::last_device_seq(std::string_view device) const {
    Stmt st(db_, "SELECT COALESCE(MAX(device_seq), 0) FROM events WHERE device = ?");
    st.bind(1, device);
    return st.step() == SQLITE_ROW ? st.int64(0) : 0;
}

std::int64_t Store::event_count() const {
    Stmt st(db_, "SELECT COUNT(*) FROM events");
    return st.step() == SQLITE_ROW ? st.int64(0) : 0;
}

std::optional<std::string> Store::meta(std::string_view key) const {
    Stmt st(db_, "SELECT value FROM meta WHERE key = ?");
    st.bind(1, key);
    if (st.step() == SQLITE_ROW) return st.text(0);
    return std::nullopt;
}

Result<void> Store::set_meta(std::string_view key, std::string_view value) {
    Stmt st(db_, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st.bind(1, key);
    st.bind(2, value);
    if (st.step() != SQLITE_DONE) return sql_error(db_, path_.string() + ": set " + std::string(key));
    return {};
}

}  // namespace csc
