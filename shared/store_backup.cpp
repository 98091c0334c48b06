#include "shared/store_backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>

#include "shared/store.hpp"

namespace csc {

namespace {

// A connection that closes itself.
struct BackupDb {
    sqlite3* db = nullptr;
    ~BackupDb() { sqlite3_close_v2(db); }
};

std::string backup_sqlite_detail(sqlite3* db, int rc) {
    return db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
}

Error backup_failure(const char* code, const std::filesystem::path& path, const std::string& what, sqlite3* db, int rc) {
    return fail_as(code, path.string() + ": " + what + " failed (" + backup_sqlite_detail(db, rc) + ")");
}

// One text value of a statement's first row ("" when there is none).
Result<std::string> backup_scalar(sqlite3* db, const char* sql, const std::filesystem::path& path, const char* code) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    std::string out;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const auto* p = sqlite3_column_text(st, 0);
            out = p ? reinterpret_cast<const char*>(p) : "";
            // integrity_check gives one row per problem: all of them.
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                const auto* q = sqlite3_column_text(st, 0);
                out += std::string("; ") + (q ? reinterpret_cast<const char*>(q) : "");
            }
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return backup_failure(code, path, std::string("reading (") + sql + ")", db, rc);
    return out;
}

// The facts of an open store: integrity, schema version, that it is an office store, its events.
Result<BackupReport> backup_facts(sqlite3* db, const std::filesystem::path& path, const char* damaged_code) {
    auto verdict = backup_scalar(db, "PRAGMA integrity_check", path, damaged_code);
    if (!verdict) return verdict.error();
    if (*verdict != "ok") return fail_as(damaged_code, path.string() + ": the copy is damaged (" + *verdict + ")");
    auto tables = backup_scalar(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('events','meta')", path,
                                damaged_code);
    if (!tables) return tables.error();
    if (*tables != "2")
        return fail_as("backup.not_a_store", path.string() + ": this is an SQLite file but not an office store (no event log)");
    BackupReport r;
    r.file = path;
    auto version = backup_scalar(db, "PRAGMA user_version", path, damaged_code);
    if (!version) return version.error();
    r.schema_version = std::stoi(*version);
    auto events = backup_scalar(db, "SELECT count(*) FROM events", path, damaged_code);
    if (!events) return events.error();
    r.events = std::stoll(*events);
    std::error_code ec;
    r.bytes = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
    return r;
}

// Copies every page of `from` into `to` (both "main") in one step.
Result<void> backup_copy(sqlite3* from, sqlite3* to, const std::filesystem::path& target, const char* code) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) return backup_failure(code, target, "starting the copy", to, sqlite3_errcode(to));
    const int step = sqlite3_backup_step(b, -1);
    const int done = sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) return fail_as(code, target.string() + ": the copy failed (" + sqlite3_errstr(step) + ")");
    if (done != SQLITE_OK) return backup_failure(code, target, "finishing the copy", to, done);
    return {};
}

bool backup_sync_file(const std::filesystem::path& p) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

Result<BackupReport> backup_store(const std::filesystem::path& data_dir, const std::filesystem::path& output) {
    namespace fs = std::filesystem;
    const fs::path store = data_dir / "office.db";
    std::error_code ec;
    if (!fs::exists(store, ec))
        return fail_as("store.missing", store.string() + ": there is no office store here to back up");
    if (fs::exists(output, ec))
        return fail_as("backup.exists", output.string() + ": a file of that name exists; choose another name (a backup never overwrites)");
    const fs::path part = output.string() + ".part";
    fs::remove(part, ec);
    {
        BackupDb src;
        int rc = sqlite3_open_v2(store.c_str(), &src.db, SQLITE_OPEN_READONLY, nullptr);
        if (rc != SQLITE_OK) return backup_failure("store.io", store, "opening the store", src.db, rc);
        sqlite3_busy_timeout(src.db, 5000);
        // Created 0600 before SQLite opens it: the copy holds citizens' data.
        const int fd = ::open(part.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) return fail_as("backup.io", part.string() + ": cannot create the backup file (" + std::strerror(errno) + ")");
        ::close(fd);
        BackupDb dst;
        rc = sqlite3_open_v2(part.c_str(), &dst.db, SQLITE_OPEN_READWRITE, nullptr);
        if (rc != SQLITE_OK) {
            fs::remove(part, ec);
            return backup_failure("backup.io", part, "creating the backup", dst.db, rc);
        }
        // One step = one read transaction on the store: a consistent copy while others record.
        if (auto copied = backup_copy(src.db, dst.db, part, "backup.io"); !copied) {
            fs::remove(part, ec);
            return copied.error();
        }
        // The copy is a plain single file (no WAL beside it).
        sqlite3_exec(dst.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
        auto facts = backup_facts(dst.db, part, "backup.io");
        if (!facts) {
            fs::remove(part, ec);
            return facts.error();
        }
    }
    if (!backup_sync_file(part)) {
        fs::remove(part, ec);
        return fail_as("backup.io", part.string() + ": could not be written to disk (" + std::strerror(errno) + ")");
    }
    // link() fails if `output` appeared meanwhile: never overwrites.
    if (::link(part.c_str(), output.c_str()) != 0) {
        const int err = errno;
        fs::remove(part, ec);
        return fail_as(err == EEXIST ? "backup.exists" : "backup.io",
                       output.string() + ": cannot put the backup in place (" + std::strerror(err) + ")");
    }
    fs::remove(part, ec);
    (void)backup_sync_file(output.parent_path().empty() ? fs::path(".") : output.parent_path());
    auto report = check_backup(output);
    if (!report) return report.error();
    return report;
}

Result<BackupReport> check_backup(const std::filesystem::path& file) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return fail_as("backup.missing", file.string() + ": no such backup file");
    BackupDb db;
    // Read-only and immutable: nothing (not even a -wal or -shm) is created beside it.
    const std::string uri = "file:" + file.string() + "?immutable=1";
    int rc = sqlite3_open_v2(uri.c_str(), &db.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    if (rc != SQLITE_OK) return backup_failure("backup.damaged", file, "opening the backup", db.db, rc);
    auto facts = backup_facts(db.db, file, "backup.damaged");
    if (!facts) {
        // "file is not a database" is damage (or another kind of file), said as such.
        Error e = facts.error();
        if (e.code == "backup.damaged" && e.message.find("not a database") != std::string::npos)
            e.message = file.string() + ": not an office backup (not an SQLite database, or damaged)";
        return e;
    }
    const int latest = static_cast<int>(store_migrations().size());
    if (facts->schema_version > latest)
        return fail_as("backup.newer", file.string() + ": the backup has schema version " + std::to_string(facts->schema_version) +
                                           ", newer than this program knows (" + std::to_string(latest) +
                                           "); restore it with the program that made it, or upgrade this one");
    return facts;
}

Result<RestoreReport> restore_store(const std::filesystem::path& data_dir, const std::filesystem::path& backup,
                                    const std::string& stamp) {
    namespace fs = std::filesystem;
    auto checked = check_backup(backup);
    if (!checked) return checked.error();
    std::error_code ec;
    if (!fs::exists(data_dir, ec)) {
        fs::create_directories(data_dir, ec);
        if (ec) return fail_as("store.io", data_dir.string() + ": cannot create the data directory (" + ec.message() + ")");
        (void)::chmod(data_dir.c_str(), 0700);
    }
    const fs::path store = data_dir / "office.db";
    const bool had_store = fs::exists(store, ec) && fs::file_size(store, ec) > 0;
    if (!fs::exists(store, ec)) {
        const int fd = ::open(store.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
    }
    BackupDb live;
    // Exclusive for as long as this connection lives: an open connection of any other program
    // (even an idle one) makes this fail, and none can open the store until the restore is done.
    const auto open_exclusive = [&]() -> int {
        int r = sqlite3_open_v2(store.c_str(), &live.db, SQLITE_OPEN_READWRITE, nullptr);
        if (r != SQLITE_OK) return r;
        sqlite3_extended_result_codes(live.db, 0);
        sqlite3_exec(live.db, "PRAGMA locking_mode=EXCLUSIVE", nullptr, nullptr, nullptr);
        return sqlite3_exec(live.db, "BEGIN EXCLUSIVE; COMMIT", nullptr, nullptr, nullptr);
    };
    int rc = open_exclusive();
    RestoreReport out;
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
        // Not a database any more (no program can open it either): its files are moved aside
        // as they are, and the backup goes into a new one.
        sqlite3_close_v2(live.db);
        live.db = nullptr;
        out.kept_aside = data_dir / ("office.db.before-restore-" + stamp);
        if (fs::exists(out.kept_aside, ec))
            return fail_as("store.io", out.kept_aside.string() + ": exists already; nothing was changed");
        for (const char* suffix : {"", "-wal", "-shm"}) {
            const fs::path from = store.string() + suffix;
            if (fs::exists(from, ec)) fs::rename(from, out.kept_aside.string() + suffix, ec);
            if (ec) return fail_as("store.io", from.string() + ": cannot move the damaged store aside (" + ec.message() + ")");
        }
        const int fd = ::open(store.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
        rc = open_exclusive();
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return fail_as("store.in_use", store.string() +
                                           ": a program has the store open (a kiosk role, kiosk serve, kiosk sync): stop them all, "
                                           "then restore; nothing was changed");
    if (rc != SQLITE_OK) return backup_failure("store.io", store, "locking the store", live.db, rc);
    if (had_store && out.kept_aside.empty()) {
        // The store being replaced, kept beside it (a copy of a damaged store is kept as it is).
        out.kept_aside = data_dir / ("office.db.before-restore-" + stamp);
        const int fd = ::open(out.kept_aside.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            return fail_as("store.io", out.kept_aside.string() + ": cannot keep the current store aside (" + std::strerror(errno) +
                                           "); nothing was changed");
        ::close(fd);
        BackupDb aside;
        rc = sqlite3_open_v2(out.kept_aside.c_str(), &aside.db, SQLITE_OPEN_READWRITE, nullptr);
        Result<void> kept = rc == SQLITE_OK ? backup_copy(live.db, aside.db, out.kept_aside, "store.io")
                                            : Result<void>(backup_failure("store.io", out.kept_aside, "opening", aside.db, rc));
        if (kept) sqlite3_exec(aside.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
        if (!kept || !backup_sync_file(out.kept_aside)) {
            fs::remove(out.kept_aside, ec);
            return fail_as("store.io", out.kept_aside.string() + ": cannot keep the current store aside (" +
                                           (kept ? std::string(std::strerror(errno)) : kept.error().message) + "); nothing was changed");
        }
    }
    BackupDb src;
    const std::string uri = "file:" + backup.string() + "?immutable=1";
    rc = sqlite3_open_v2(uri.c_str(), &src.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    if (rc != SQLITE_OK) return backup_failure("backup.damaged", backup, "opening the backup", src.db, rc);
    if (auto copied = backup_copy(src.db, live.db, store, "store.io"); !copied) return copied.error();
    auto facts = backup_facts(live.db, store, "store.io");
    if (!facts) return facts.error();
    out.restored = *checked;
    return out;
}

}  // namespace csc
