// store.hpp — the office's durable store: SQLite (WAL, synchronous=FULL) holding the event log.
//
// Contents: Migration, kMigrations, StoredEvent, Store.
// Contract: all SQL of the project lives in shared/store*.cpp. open() applies the numbered
// migrations (each in its own transaction) and refuses — with a message naming the file — a
// store that is not a database, is corrupt, or is newer than this program; it never replaces
// one with a fresh empty store. append() returns only once the event is durable.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "shared/events.hpp"
#include "shared/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace csc {

/// One numbered schema revision.
struct Migration {
    int version;
    const char* description;
    const char* sql;
};
/// Every migration, in order; version N is kMigrations[N-1].
[[nodiscard]] std::span<const Migration> store_migrations();

/// An event as stored, with its position in this store's log.
struct StoredEvent {
    std::int64_t position = 0;  ///< order in which this device applied it (1, 2, …)
    Event event;
};

/// The SQLite store in DATA_DIR/office.db.
class Store {
public:
    /// Opens (or creates, when the file does not exist yet) the store in `data_dir`.
    static Result<std::unique_ptr<Store>> open(const std::filesystem::path& data_dir);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// The database file.
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    /// Current schema version.
    [[nodiscard]] int schema_version() const;

    /// Appends an event; an id already present is an Error (nothing written).
    Result<void> append(const Event& e);
    /// True if an event with this id is stored.
    [[nodiscard]] bool contains(std::string_view event_id) const;
    /// Events with time >= since, in log order.
    [[nodiscard]] Result<std::vector<StoredEvent>> events_since(Millis since) const;
    /// Events after a log position, at most `limit`, in log order.
    [[nodiscard]] Result<std::vector<StoredEvent>> events_after(std::int64_t position, int limit) const;
    /// Highest per-device sequence stored for `device` (0 if none).
    [[nodiscard]] std::int64_t last_device_seq(std::string_view device) const;
    /// Number of events stored.
    [[nodiscard]] std::int64_t event_count() const;

    /// Small persistent settings of this device (device name, …).
    [[nodiscard]] std::optional<std::string> meta(std::string_view key) const;
    Result<void> set_meta(std::string_view key, std::string_view value);

    /// Raw handle for the store's own extensions (store_*.cpp files only).
    [[nodiscard]] sqlite3* handle() const { return db_; }

private:
    Store(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
    Result<void> migrate();
    sqlite3* db_;
    std::filesystem::path path_;
};

}  // namespace csc
