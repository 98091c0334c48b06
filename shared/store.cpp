#include "shared/store.hpp"
#include "shared/store_sql.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
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
    // Events the office does not apply (shared/office.cpp): stamped by a clock that was ahead.
    // The row stays in `events` (nothing is deleted); this list keeps it out of every replay.
    Migration{4, "quarantined events",
              R"sql(
CREATE TABLE quarantine (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    reason   TEXT NOT NULL,
    found_at INTEGER NOT NULL
);
)sql"},
    // Staff records outlive the office day (shared/staff): read by kind at every start.
    Migration{5, "index of events by kind (staff records of every day)",
              R"sql(
CREATE INDEX events_type ON events(type);
)sql"},
    // Statistics (shared/store_stats.cpp): the records of days that are over, derived from the
    // log and used while each day's mark (its events' count and last position) still matches.
    Migration{6, "statistics records of past days",
              R"sql(
CREATE TABLE stats_days (
    day           INTEGER PRIMARY KEY,
    events        INTEGER NOT NULL,
    last_position INTEGER NOT NULL,
    format        INTEGER NOT NULL
);
CREATE TABLE stats_visits (
    day INTEGER NOT NULL, hour INTEGER NOT NULL, sector TEXT NOT NULL, service TEXT NOT NULL,
    priority INTEGER NOT NULL, booking INTEGER NOT NULL, counter INTEGER NOT NULL, staff TEXT NOT NULL,
    outcome INTEGER NOT NULL, issued_at INTEGER NOT NULL, first_called_at INTEGER NOT NULL,
    called_at INTEGER NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL,
    promised_low INTEGER, promised_high INTEGER
);
CREATE INDEX stats_visits_day ON stats_visits(day);
CREATE TABLE stats_pauses (
    day INTEGER NOT NULL, hour INTEGER NOT NULL, counter INTEGER NOT NULL, staff TEXT NOT NULL,
    reason TEXT NOT NULL, minutes REAL NOT NULL
);
CREATE INDEX stats_pauses_day ON stats_pauses(day);
CREATE TABLE stats_idle (
    day INTEGER NOT NULL, hour INTEGER NOT NULL, counter INTEGER NOT NULL, staff TEXT NOT NULL,
    minutes REAL NOT NULL
);
CREATE INDEX stats_idle_day ON stats_idle(day);
CREATE TABLE stats_bookings (
    code TEXT NOT NULL, day INTEGER NOT NULL, hour INTEGER NOT NULL, sector TEXT NOT NULL,
    service TEXT NOT NULL, came INTEGER NOT NULL
);
CREATE INDEX stats_bookings_day ON stats_bookings(day);
)sql"},
    // Satisfaction (feedback.given, issue 15): the anonymous ratings of past days, saved with
    // the other statistics records (no ticket, no token, no staff member).
    Migration{7, "statistics: satisfaction ratings of past days",
              R"sql(
CREATE TABLE stats_feedback (
    day INTEGER NOT NULL, hour INTEGER NOT NULL, sector TEXT NOT NULL, service TEXT NOT NULL,
    counter INTEGER NOT NULL, rating TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE INDEX stats_feedback_day ON stats_feedback(day);
)sql"},
    // The queue's length over a day (issue 14, the service menu's line): when a ticket never
    // called stopped waiting. Days saved before are folded again (kStatsRecordFormat 3).
    Migration{8, "statistics: when each ticket ended",
              R"sql(
ALTER TABLE stats_visits ADD COLUMN ended_at INTEGER NOT NULL DEFAULT 0;
)sql"},
    // Compaction (issue 14): a day whose queue events were deleted keeps its records for good.
    Migration{9, "statistics: days compacted into their records",
              R"sql(
ALTER TABLE stats_days ADD COLUMN compacted INTEGER NOT NULL DEFAULT 0;
)sql"},
};

using sql::Stmt;

// The cause of a failed SQLite call, as an Error whose code a program can act on and whose
// message says what is really wrong (a full disk is not a corrupt store).
Error classify(sqlite3* db, int rc, const std::filesystem::path& path, const std::string& what) {
    const int primary = rc & 0xFF;
    const int sys = db ? sqlite3_system_errno(db) : 0;
    const std::string detail = std::string(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) +
                               (sys ? std::string(", ") + std::strerror(sys) : std::string());
    const std::string head = path.string() + ": " + what + " failed (" + detail + ")";
    if (primary == SQLITE_FULL || sys == ENOSPC || sys == EDQUOT)
        return fail_as("store.full", head + ": the disk is full; free some space — the store itself is intact");
    if (primary == SQLITE_READONLY || sys == EROFS)
        return fail_as("store.readonly", head + ": the store or its folder is read-only (file permissions, or a file system mounted read-only)");
    if (primary == SQLITE_PERM || primary == SQLITE_AUTH || sys == EACCES || sys == EPERM)
        return fail_as("store.permission", head + ": permission denied — run as the office's user or fix the owner of " +
                                               path.parent_path().string());
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return fail_as("store.locked", head + ": another program kept the store locked for too long; try again");
    if (primary == SQLITE_NOTADB)
        return fail_as("store.corrupt", head + ": this file is not an office store (corrupt, or another file); it was left untouched — move it away or restore it from a backup");
    if (primary == SQLITE_CORRUPT)
        return fail_as("store.corrupt", head + ": the store is corrupt; it was left untouched — restore it from a backup or move it away");
    if (primary == SQLITE_CANTOPEN)
        return fail_as("store.io", head + ": cannot open the store's files (check that the folder exists and is writable)");
    return fail_as("store.io", head);
}

Error sql_error(sqlite3* db, const std::filesystem::path& path, const std::string& what) {
    return classify(db, sqlite3_extended_errcode(db), path, what);
}

// Least privilege: the office's data is for the office's programs only. New folders 0700, new
// files 0600; existing ones lose the permissions for others (group access is kept, for a site
// that runs its programs under one group).
void restrict_permissions(const std::filesystem::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0 || st.st_uid != ::geteuid()) return;
    if (st.st_mode & S_IRWXO) (void)::chmod(p.c_str(), st.st_mode & 07770);
}

Result<void> exec(sqlite3* db, const char* sql, const std::string& what) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string m = msg ? msg : sqlite3_errmsg(db);
        sqlite3_free(msg);
        return fail(what + ": " + m);
    }
    return {};
}

// Rows: position, encoded, id. An undecodable event is skipped and quarantined: the rest of
// the log still replays, and status/logs report it.
Result<std::vector<StoredEvent>> read_events(const Store& store, Stmt& st) {
    std::vector<StoredEvent> out;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        auto ev = decode_event(st.text(1));
        if (!ev) {
            store.quarantine({st.int64(0), st.text(2), ev.error().message});
            continue;
        }
        out.push_back({st.int64(0), std::move(*ev)});
    }
    if (rc != SQLITE_DONE) return store.error_of(rc, "reading events");
    return out;
}

}  // namespace

std::span<const Migration> store_migrations() { return kMigrationList; }

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& data_dir, StoreAccess access, StoreCheck integrity) {
    const bool read_only = access == StoreAccess::ReadOnly;
    const auto path = data_dir / "office.db";
    std::error_code ec;
    if (read_only) {
        if (!std::filesystem::exists(path, ec))
            return fail_as("store.missing", path.string() + ": there is no office store here yet (nothing was ever recorded in " +
                                                data_dir.string() + ")");
    } else {
        if (!std::filesystem::exists(data_dir, ec)) {
            std::filesystem::create_directories(data_dir, ec);
            if (ec) {
                const bool denied = ec == std::errc::permission_denied || ec == std::errc::operation_not_permitted;
                const bool rofs = ec == std::errc::read_only_file_system;
                return fail_as(denied ? "store.permission" : rofs ? "store.readonly" : "store.io",
                               data_dir.string() + ": cannot create the data directory (" + ec.message() + ")");
            }
            (void)::chmod(data_dir.c_str(), 0700);
        }
        restrict_permissions(data_dir);
        // A new store is created 0600 (SQLite gives its -wal and -shm files the same mode).
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
        for (const char* suffix : {"", "-wal", "-shm"}) restrict_permissions(path.string() + suffix);
    }
    sqlite3* db = nullptr;
    const int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_FULLMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error e = classify(db, sqlite3_extended_errcode(db) ? sqlite3_extended_errcode(db) : rc, path, "opening the store");
        sqlite3_close(db);
        return e;
    }
    sqlite3_extended_result_codes(db, 1);
    std::unique_ptr<Store> store(new Store(db, path, read_only));
    sqlite3_busy_timeout(db, 5000);
    // The integrity check comes first: a damaged file is reported, never rebuilt. A failure to
    // READ it (permission, locked, I/O) is not corruption and says so. A short reader may leave
    // it to SQLite's check of each page it reads (StoreCheck::OnRead): what it reads is checked,
    // and the office's own programs check the whole file each time they start.
    // A store about to be migrated is checked whole whatever the caller asked: migrating writes.
    if (integrity == StoreCheck::Whole || store->schema_version() < static_cast<int>(kMigrationList.size())) {
        Stmt check(db, "PRAGMA quick_check");
        if (!check.ok()) return sql_error(db, path, "checking the store");
        std::string verdict;
        int r;
        while ((r = check.step()) == SQLITE_ROW) verdict += (verdict.empty() ? "" : "; ") + check.text(0);
        if (r != SQLITE_DONE) return sql_error(db, path, "checking the store");
        if (verdict != "ok")
            return fail_as("store.corrupt", path.string() + ": the store is corrupt (" + verdict +
                                                "); it was left untouched — restore it from a backup or move it away");
    }
    // A store written by a newer program is refused before anything is changed in it.
    const int version = store->schema_version();
    const int latest = static_cast<int>(kMigrationList.size());
    if (version > latest)
        return fail_as("store.newer", path.string() + ": the store has schema version " + std::to_string(version) +
                                          ", newer than this program knows (" + std::to_string(latest) +
                                          "); it was left untouched — upgrade the program");
    if (read_only) {
        if (version < latest)
            return fail_as("store.older", path.string() + ": the store has schema version " + std::to_string(version) +
                                              " and this program reads " + std::to_string(latest) +
                                              "; run any command that records (e.g. start the kiosk) once to upgrade it");
        return store;
    }
    if (auto r = exec(db, "PRAGMA journal_mode=WAL", "switching to WAL"); !r) return sql_error(db, path, "switching to WAL");
    if (auto r = exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", "settings"); !r) return sql_error(db, path, "settings");
    if (auto r = store->migrate(); !r) return r.error();
    for (const char* suffix : {"-wal", "-shm"}) restrict_permissions(path.string() + suffix);
    return store;
}

Store::~Store() {
    for (auto& [sql, st] : idle_statements_) sqlite3_finalize(st);
    sqlite3_close(db_);
}

// Compiling a statement costs more than running a small one (an INSERT of one row: ~3x), and
// a catch-up runs the same few thousands of times: each is compiled once per connection. A
// statement is leased to one caller at a time (threads may share this connection).
sqlite3_stmt* Store::lease_statement(const char* sql, int& rc) const {
    {
        std::lock_guard lock(statements_mutex_);
        for (auto it = idle_statements_.begin(); it != idle_statements_.end(); ++it)
            if (it->first == sql) {
                sqlite3_stmt* st = it->second;
                idle_statements_.erase(it);
                rc = SQLITE_OK;
                return st;
            }
    }
    sqlite3_stmt* st = nullptr;
    rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return nullptr;
    }
    return st;
}

void Store::give_back_statement(const char* sql, sqlite3_stmt* st) const {
    if (!st) return;
    // A SELECT stopped before its end would keep its read snapshot open: reset ends it.
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    constexpr std::size_t kKeptStatements = 64;  // the store's files have fewer distinct ones
    std::lock_guard lock(statements_mutex_);
    if (idle_statements_.size() >= kKeptStatements) {
        sqlite3_finalize(st);
        return;
    }
    idle_statements_.emplace_back(sql, st);
}

int Store::schema_version() const {
    Stmt st(db_, "PRAGMA user_version");
    return st.step() == SQLITE_ROW ? static_cast<int>(st.int64(0)) : -1;
}

Result<void> Store::migrate() {
    const int current = schema_version();
    for (const auto& m : kMigrationList) {
        if (m.version <= current) continue;
        const std::string what = path_.string() + ": migration " + std::to_string(m.version) + " (" + m.description + ")";
        if (auto r = exec(db_, "BEGIN IMMEDIATE", what); !r) return sql_error(db_, path_, "migration " + std::to_string(m.version));
        // Several programs may open a new store at once (tools/start-office.sh): under the
        // write lock, skip what another one applied meanwhile.
        if (schema_version() >= m.version) {
            if (auto c = exec(db_, "COMMIT", what); !c) return c;
            continue;
        }
        auto r = exec(db_, m.sql, what);
        if (r) r = exec(db_, ("PRAGMA user_version=" + std::to_string(m.version)).c_str(), what);
        if (!r) {
            Error e = sql_error(db_, path_, "migration " + std::to_string(m.version) + " (" + m.description + ")");
            (void)exec(db_, "ROLLBACK", what);
            return e;
        }
        if (auto c = exec(db_, "COMMIT", what); !c) return sql_error(db_, path_, "migration " + std::to_string(m.version));
    }
    return {};
}

Result<void> Store::append(const Event& e) {
    // Whatever is appended can be read back: the decoder's rules, before a byte is written.
    if (auto v = validate_event(e); !v) return fail_as("input", v.error().message + "; nothing was recorded");
    Stmt st(*this, "INSERT INTO events(id, device, device_seq, time, type, encoded) VALUES(?,?,?,?,?,?)");
    if (!st.ok()) return sql_error(db_, path_, "appending an event");
    sql::bind_event_row(st, e);
    const int rc = st.step();
    if ((rc & 0xFF) == SQLITE_CONSTRAINT) return fail("event " + e.id + " is already in the store");
    if (rc != SQLITE_DONE) return error_of(rc, "recording event " + e.id);
    return {};
}

bool Store::contains(std::string_view event_id) const {
    Stmt st(*this, "SELECT 1 FROM events WHERE id = ?");
    st.bind(1, event_id);
    return st.step() == SQLITE_ROW;
}

Result<std::vector<StoredEvent>> Store::events_since(Millis since) const {
    Stmt st(db_, "SELECT position, encoded, id FROM events WHERE time >= ? ORDER BY position");
    if (!st.ok()) return sql_error(db_, path_, "reading events");
    st.bind(1, since);
    return read_events(*this, st);
}

Result<void> Store::each_event_between(Millis from, Millis to, const std::function<void(const StoredEvent&)>& visit) const {
    Stmt st(db_, "SELECT position, encoded, id FROM events WHERE time >= ? AND time < ? ORDER BY position");
    if (!st.ok()) return sql_error(db_, path_, "reading events");
    st.bind(1, from);
    st.bind(2, to);
    int rc;
    StoredEvent se;
    while ((rc = st.step()) == SQLITE_ROW) {
        auto ev = decode_event(st.text(1));
        if (!ev) {
            quarantine({st.int64(0), st.text(2), ev.error().message});
            continue;
        }
        se.position = st.int64(0);
        se.event = std::move(*ev);
        visit(se);
    }
    if (rc != SQLITE_DONE) return error_of(rc, "reading events");
    return {};
}

Result<std::vector<StoredEvent>> Store::events_of_kind(std::string_view type_prefix) const {
    // A range on the indexed column: "staff." ≤ type < "staff/" ('/' follows '.').
    std::string upper(type_prefix);
    if (!upper.empty()) upper.back() = static_cast<char>(upper.back() + 1);
    Stmt st(db_, "SELECT position, encoded, id FROM events WHERE type >= ? AND type < ? ORDER BY position");
    if (!st.ok()) return sql_error(db_, path_, "reading events");
    st.bind(1, type_prefix);
    st.bind(2, std::string_view(upper));
    return read_events(*this, st);
}

Result<std::vector<StoredEvent>> Store::agenda_events_between(Millis from, Millis to) const {
    Stmt st(db_, "SELECT position, encoded, id FROM events WHERE time >= ? AND time < ? AND "
                 "((type >= 'booking.' AND type < 'booking/') OR (type >= 'closure.' AND type < 'closure/') OR "
                 "(type = 'ticket.issued' AND encoded LIKE '%\"booking\":%')) ORDER BY position");
    if (!st.ok()) return sql_error(db_, path_, "reading booking events");
    st.bind(1, from);
    st.bind(2, to);
    return read_events(*this, st);
}

Result<std::vector<StoredEvent>> Store::events_after(std::int64_t position, int limit) const {
    Stmt st(*this, "SELECT position, encoded, id FROM events WHERE position > ? ORDER BY position LIMIT ?");
    if (!st.ok()) return sql_error(db_, path_, "reading events");
    st.bind(1, position);
    st.bind(2, static_cast<std::int64_t>(limit));
    return read_events(*this, st);
}

std::int64_t Store::last_device_seq(std::string_view device) const {
    Stmt st(*this, "SELECT COALESCE(MAX(device_seq), 0) FROM events WHERE device = ?");
    st.bind(1, device);
    return st.step() == SQLITE_ROW ? st.int64(0) : 0;
}

std::int64_t Store::event_count() const {
    Stmt st(db_, "SELECT COUNT(*) FROM events");
    return st.step() == SQLITE_ROW ? st.int64(0) : 0;
}

std::optional<std::string> Store::meta(std::string_view key) const {
    Stmt st(*this, "SELECT value FROM meta WHERE key = ?");
    st.bind(1, key);
    if (st.step() == SQLITE_ROW) return st.text(0);
    return std::nullopt;
}

Result<void> Store::set_meta(std::string_view key, std::string_view value) {
    Stmt st(*this, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st.bind(1, key);
    st.bind(2, value);
    if (const int rc = st.step(); rc != SQLITE_DONE) return error_of(rc, "saving setting " + std::string(key));
    return {};
}

Result<std::vector<QuarantinedEvent>> Store::quarantine_list() const {
    std::vector<QuarantinedEvent> out;
    Stmt st(db_, "SELECT position, id, reason FROM quarantine ORDER BY found_at, id");
    if (!st.ok()) return sql_error(db_, path_, "reading the quarantine list");
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) out.push_back({st.int64(0), st.text(1), st.text(2)});
    if (rc != SQLITE_DONE) return error_of(rc, "reading the quarantine list");
    return out;
}

Result<void> Store::add_to_quarantine(const QuarantinedEvent& q, Millis found_at) {
    if (read_only_) return {};
    Stmt st(db_, "INSERT INTO quarantine(id, position, reason, found_at) VALUES(?,?,?,?) ON CONFLICT(id) DO NOTHING");
    if (!st.ok()) return sql_error(db_, path_, "quarantining event " + q.id);
    st.bind(1, q.id);
    st.bind(2, q.position);
    st.bind(3, q.reason);
    st.bind(4, found_at);
    if (const int rc = st.step(); rc != SQLITE_DONE) return error_of(rc, "quarantining event " + q.id);
    return {};
}

std::vector<QuarantinedEvent> Store::quarantined() const {
    std::lock_guard lock(quarantine_mutex_);
    return quarantined_;
}

void Store::quarantine(QuarantinedEvent q) const {
    std::lock_guard lock(quarantine_mutex_);
    for (const auto& known : quarantined_)
        if (known.id == q.id && known.position == q.position) return;
    quarantined_.push_back(std::move(q));
}

Error Store::error_of(int rc, const std::string& what) const {
    const int ext = sqlite3_extended_errcode(db_);
    return classify(db_, (ext & 0xFF) == (rc & 0xFF) ? ext : rc, path_, what);
}

}  // namespace csc
