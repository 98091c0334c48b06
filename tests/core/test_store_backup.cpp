// Backups of the store (shared/store_backup.hpp): a consistent copy while others record, checked
// before it is used; a restore that refuses what it must and keeps what it replaces.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <fstream>
#include <sys/stat.h>
#include <thread>

#include "shared/store.hpp"
#include "shared/store_backup.hpp"
#include "test_support.hpp"

using namespace csc;

namespace {
Event backup_ticket_event(std::int64_t seq) {
    Event e;
    e.device = "kiosk-1";
    e.seq = seq;
    e.id = make_event_id(e.device, seq);
    e.time = 1'000'000 + seq;
    e.body = TicketIssued{"anagrafe", "certificati", "", "it", "cli", {}};
    return e;
}
void backup_fill(const std::filesystem::path& data, int from, int to) {
    auto store = Store::open(data);
    REQUIRE(store.ok());
    for (int i = from; i <= to; ++i) REQUIRE((*store)->append(backup_ticket_event(i)).ok());
}
std::int64_t backup_events_in(const std::filesystem::path& data) {
    auto store = Store::open(data, StoreAccess::ReadOnly);
    REQUIRE(store.ok());
    auto all = (*store)->events_after(0, 1'000'000);
    REQUIRE(all.ok());
    return static_cast<std::int64_t>(all->size());
}
}  // namespace

TEST_CASE("backup: a copy taken while another program records holds a prefix of the log, checked, 0600, never overwriting") {
    test::TempDir dir;
    const auto data = dir.path() / "data";
    backup_fill(data, 1, 200);
    // Another program records while the backup runs.
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        auto store = Store::open(data);
        REQUIRE(store.ok());
        for (int i = 201; !stop.load() && i < 5000; ++i) REQUIRE((*store)->append(backup_ticket_event(i)).ok());
    });
    const auto file = dir.path() / "office-backup.db";
    auto r = backup_store(data, file);
    stop.store(true);
    writer.join();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(r->events >= 200);
    CHECK(r->schema_version == static_cast<int>(store_migrations().size()));
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(std::filesystem::exists(file.string() + ".part"));
    CHECK_FALSE(std::filesystem::exists(file.string() + "-wal"));
    // Its events are exactly 1..N, in order (a consistent snapshot, no hole).
    const auto restored = dir.path() / "restored";
    auto back = restore_store(restored, file, "t1");
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message));
    CHECK(back->kept_aside.empty());
    auto store = Store::open(restored, StoreAccess::ReadOnly);
    REQUIRE(store.ok());
    auto all = (*store)->events_after(0, 1'000'000);
    REQUIRE(all.ok());
    REQUIRE(static_cast<std::int64_t>(all->size()) == r->events);
    for (std::size_t i = 0; i < all->size(); ++i) CHECK((*all)[i].event.seq == static_cast<std::int64_t>(i + 1));
    // A second backup to the same name is refused, the first left as it was.
    auto again = backup_store(data, file);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "backup.exists");
    CHECK(check_backup(file)->events == r->events);
}

TEST_CASE("restore: refuses while a program has the store open, and changes nothing") {
    test::TempDir dir;
    const auto data = dir.path() / "data";
    backup_fill(data, 1, 5);
    const auto file = dir.path() / "b.db";
    REQUIRE(backup_store(data, file).ok());
    backup_fill(data, 6, 9);
    auto open = Store::open(data);  // a running role, idle
    REQUIRE(open.ok());
    auto r = restore_store(data, file, "t1");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "store.in_use");
    CHECK_FALSE(std::filesystem::exists(data / "office.db.before-restore-t1"));
    auto all = (*open)->events_after(0, 100);
    REQUIRE(all.ok());
    CHECK(all->size() == 9);
}

TEST_CASE("restore: puts the backup in place and keeps the store it replaced beside it") {
    test::TempDir dir;
    const auto data = dir.path() / "data";
    backup_fill(data, 1, 5);
    const auto file = dir.path() / "b.db";
    REQUIRE(backup_store(data, file).ok());
    backup_fill(data, 6, 9);
    auto r = restore_store(data, file, "20261202T170000");
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(r->kept_aside == data / "office.db.before-restore-20261202T170000");
    CHECK(backup_events_in(data) == 5);
    CHECK(check_backup(r->kept_aside)->events == 9);  // nothing lost
    // The restored store is a working store again: it records.
    backup_fill(data, 6, 7);
    CHECK(backup_events_in(data) == 7);
}

TEST_CASE("restore: refuses a damaged backup, a file that is not an office store, and a newer one") {
    test::TempDir dir;
    const auto data = dir.path() / "data";
    backup_fill(data, 1, 50);
    const auto good = dir.path() / "good.db";
    REQUIRE(backup_store(data, good).ok());

    const auto damaged = dir.path() / "damaged.db";
    std::filesystem::copy_file(good, damaged);
    {
        std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096);  // pages 2-4 (the schema's first tables) overwritten whole
        const std::string junk(3 * 4096, '\x5a');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    auto r = restore_store(data, damaged, "t1");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "backup.damaged");

    const auto text = dir.path() / "notes.txt";
    std::ofstream(text) << "not a database at all, just some text that is long enough to look like a file\n";
    r = restore_store(data, text, "t1");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "backup.damaged");
    CHECK(r.error().message.find("not an office backup") != std::string::npos);

    const auto other = dir.path() / "other.db";
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(other.c_str(), &db) == SQLITE_OK);
        sqlite3_exec(db, "CREATE TABLE photos(id)", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    r = restore_store(data, other, "t1");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "backup.not_a_store");

    const auto newer = dir.path() / "newer.db";
    std::filesystem::copy_file(good, newer);
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(newer.c_str(), &db) == SQLITE_OK);
        const std::string sql = "PRAGMA user_version=" + std::to_string(store_migrations().size() + 1);
        sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    r = restore_store(data, newer, "t1");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "backup.newer");
    // Nothing was changed by any refusal.
    CHECK(backup_events_in(data) == 50);
    CHECK_FALSE(std::filesystem::exists(data / "office.db.before-restore-t1"));
}

TEST_CASE("restore: over a store that is no database any more, the damaged files are moved aside as they are") {
    test::TempDir dir;
    const auto data = dir.path() / "data";
    backup_fill(data, 1, 3);
    const auto file = dir.path() / "b.db";
    REQUIRE(backup_store(data, file).ok());
    {
        std::ofstream f(data / "office.db", std::ios::binary | std::ios::trunc);
        f << std::string(8192, '\x01');
    }
    CHECK(Store::open(data).error().code == "store.corrupt");
    auto r = restore_store(data, file, "t2");
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(std::filesystem::file_size(r->kept_aside) == 8192);
    CHECK(backup_events_in(data) == 3);
}
