// store.hpp — the office's durable store: SQLite (WAL, synchronous=FULL) holding the event log.
//
// Contents: Migration, kMigrations, StoredEvent, QuarantinedEvent, StoreAccess, Store.
// Contract: all SQL of the project lives in shared/store*.cpp. open() applies the numbered
// migrations (each in its own transaction) and refuses — with a message naming the file and an
// Error::code — a store that is not a database or is corrupt ("store.corrupt": only then is
// restoring a backup advised), is newer than this program ("store.newer", refused before a byte
// is changed), is read-only, not permitted, locked, or on a full disk; it never replaces one
// with a fresh empty store. append() validates the event (validate_event) and returns only once
// it is durable. An event that is stored but cannot be decoded (an older bug, a bit flip) does
// not stop the office: readers skip it and list it in quarantined(). The data directory is
// created 0700 and the store 0600; existing ones lose any permission for others.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
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

/// A stored event that readers skip because it cannot be decoded.
struct QuarantinedEvent {
    std::int64_t position = 0;  ///< its place in the log (0 when read by stream order)
    std::string id;             ///< as stored in the row ("" if unknown)
    std::string reason;         ///< why it cannot be read
};

/// How a program opens the store: to change it, or only to read it (status, statistics).
enum class StoreAccess { ReadWrite, ReadOnly };

/// How much of the file open() checks before anything is read or written.
enum class StoreCheck {
    Whole,   ///< PRAGMA quick_check over the whole file: every program that runs the office, every command that records
    OnRead,  ///< only SQLite's checks of each page as it is read (a damaged one is still "store.corrupt"): short readers (statistics)
};

/// The SQLite store in DATA_DIR/office.db.
class Store {
public:
    /// Opens (or creates, when the file does not exist yet) the store in `data_dir`.
    /// `check`: StoreCheck::OnRead skips the whole-file check (~0.5 s on a year's 300 MB store).
    static Result<std::unique_ptr<Store>> open(const std::filesystem::path& data_dir,
                                               StoreAccess access = StoreAccess::ReadWrite, StoreCheck check = StoreCheck::Whole);
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
    /// Hands each event with from <= time < to to `visit`, in log order, one at a time (a year of
    /// events is never held in memory at once): statistics over a date range.
    [[nodiscard]] Result<void> each_event_between(Millis from, Millis to, const std::function<void(const StoredEvent&)>& visit) const;
    /// Events of every day whose type starts with `type_prefix` ("staff."), in log order.
    [[nodiscard]] Result<std::vector<StoredEvent>> events_of_kind(std::string_view type_prefix) const;
    /// booking.* and closure.* events and check-ins (ticket.issued naming a booking) with
    /// from <= time < to, in log order: the agenda's history.
    [[nodiscard]] Result<std::vector<StoredEvent>> agenda_events_between(Millis from, Millis to) const;
    /// Events after a log position, at most `limit`, in log order.
    [[nodiscard]] Result<std::vector<StoredEvent>> events_after(std::int64_t position, int limit) const;
    /// Highest per-device sequence stored for `device` (0 if none).
    [[nodiscard]] std::int64_t last_device_seq(std::string_view device) const;
    /// Number of events stored.
    [[nodiscard]] std::int64_t event_count() const;

    /// Small persistent settings of this device (device name, …).
    [[nodiscard]] std::optional<std::string> meta(std::string_view key) const;
    Result<void> set_meta(std::string_view key, std::string_view value);

    /// Stored events that readers skipped so far because they cannot be decoded.
    [[nodiscard]] std::vector<QuarantinedEvent> quarantined() const;
    /// Events set aside for good (the `quarantine` table): never applied again by any program.
    [[nodiscard]] Result<std::vector<QuarantinedEvent>> quarantine_list() const;
    /// Adds an event to the quarantine table (once; nothing on a read-only store).
    Result<void> add_to_quarantine(const QuarantinedEvent& q, Millis found_at);
    /// Records that a reader skipped an undecodable event (store_*.cpp readers).
    void quarantine(QuarantinedEvent q) const;
    /// Opened with StoreAccess::ReadOnly.
    [[nodiscard]] bool read_only() const { return read_only_; }
    /// An Error for a failed SQLite call on this store, with the code of its cause.
    [[nodiscard]] Error error_of(int rc, const std::string& what) const;

    /// Raw handle for the store's own extensions (store_*.cpp files only).
    [[nodiscard]] sqlite3* handle() const { return db_; }
    /// A compiled statement for `sql` (a string literal: its address is the key), kept from an
    /// earlier use or compiled now, the caller's alone until given back; nullptr and the SQLite
    /// code in `rc` if it does not compile (store_sql.hpp's Stmt leases and gives back).
    [[nodiscard]] sqlite3_stmt* lease_statement(const char* sql, int& rc) const;
    /// Gives a leased statement back (reset, bindings cleared) for the next use of `sql`.
    void give_back_statement(const char* sql, sqlite3_stmt* st) const;

private:
    Store(sqlite3* db, std::filesystem::path path, bool read_only) : db_(db), path_(std::move(path)), read_only_(read_only) {}
    Result<void> migrate();
    sqlite3* db_;
    std::filesystem::path path_;
    bool read_only_ = false;
    mutable std::mutex statements_mutex_;
    mutable std::vector<std::pair<const char*, sqlite3_stmt*>> idle_statements_;  // compiled once, reused
    mutable std::mutex quarantine_mutex_;
    mutable std::vector<QuarantinedEvent> quarantined_;
};

}  // namespace csc
