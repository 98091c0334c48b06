// The SQLite store: migrations, durability settings, append-only log, refusal of bad stores.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <fstream>
#include <thread>

#include "shared/store.hpp"
#include "shared/store_sync.hpp"
#include "shared/store_watch.hpp"
#include "test_support.hpp"

using namespace csc;

namespace {
Event ticket_event(const std::string& device, std::int64_t seq, Millis time) {
    Event e;
    e.device = device;
    e.seq = seq;
    e.id = make_event_id(device, seq);
    e.time = time;
    e.body = TicketIssued{"anagrafe", "certificati", "", "it", "cli", {}};
    return e;
}
std::string pragma(Store& s, const char* sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(s.handle(), sql, -1, &st, nullptr);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}
}  // namespace

TEST_CASE("a new store is migrated to the latest schema, in WAL with synchronous=FULL") {
    test::TempDir dir;
    auto store = Store::open(dir.path());
    REQUIRE(store.ok());
    CHECK((*store)->schema_version() == static_cast<int>(store_migrations().size()));
    CHECK(pragma(**store, "PRAGMA journal_mode") == "wal");
    CHECK(pragma(**store, "PRAGMA synchronous") == "2");  // FULL
    // Migrations are numbered 1..N without gaps and each has a description.
    int expected = 1;
    for (const auto& m : store_migrations()) {
        CHECK(m.version == expected++);
        CHECK(std::string(m.description).size() > 5);
    }
}

TEST_CASE("events are appended once, read back in order, and survive reopening") {
    test::TempDir dir;
    {
        auto store = Store::open(dir.path());
        REQUIRE(store.ok());
        for (int i = 1; i <= 5; ++i) REQUIRE((*store)->append(ticket_event("kiosk-1", i, 1000 + i)).ok());
        auto again = (*store)->append(ticket_event("kiosk-1", 3, 5000));
        CHECK_FALSE(again.ok());
        CHECK(again.error().message.find("already in the store") != std::string::npos);
        REQUIRE((*store)->set_meta("device", "kiosk-1").ok());
    }
    auto store = Store::open(dir.path());
    REQUIRE(store.ok());
    CHECK((*store)->event_count() == 5);
    CHECK((*store)->last_device_seq("kiosk-1") == 5);
    CHECK((*store)->last_device_seq("kiosk-2") == 0);
    CHECK((*store)->contains("kiosk-1:4"));
    CHECK((*store)->meta("device") == "kiosk-1");
    auto since = (*store)->events_since(1003);
    REQUIRE(since.ok());
    REQUIRE(since->size() == 3);
    CHECK(since->front().event.id == "kiosk-1:3");
    auto after = (*store)->events_after(4, 10);
    REQUIRE(after.ok());
    REQUIRE(after->size() == 1);
    CHECK(after->front().event.id == "kiosk-1:5");
}

TEST_CASE("a stream batch is committed without a flush, and every later commit is flushed again") {
    test::TempDir dir;
    auto store = Store::open(dir.path());
    REQUIRE(store.ok());
    std::vector<StreamedEvent> batch{{1, ticket_event("kiosk-2", 1, 1000), 0, ""}, {2, ticket_event("kiosk-2", 2, 1001), 0, ""}};
    REQUIRE(record_stream_batch(**store, batch, 2).ok());
    CHECK(applied_stream_seq(**store) == 2);
    // This device's own events must be durable before they are reported: FULL again.
    CHECK(pragma(**store, "PRAGMA synchronous") == "2");
    {  // a relaxed write lock given up (rolled back) sets it back too
        auto lock = StoreWriteLock::take(**store, StoreWriteLock::Durability::Normal);
        REQUIRE(lock.ok());
        CHECK(pragma(**store, "PRAGMA synchronous") == "1");  // NORMAL while it is held
    }
    CHECK(pragma(**store, "PRAGMA synchronous") == "2");
    {
        auto lock = StoreWriteLock::take(**store, StoreWriteLock::Durability::Normal);
        REQUIRE(lock.ok());
        REQUIRE((*lock)->commit().ok());
    }
    CHECK(pragma(**store, "PRAGMA synchronous") == "2");
    // A batch that fails (a second transaction cannot begin inside the first) changes nothing.
    {
        auto held = StoreWriteLock::take(**store);
        REQUIRE(held.ok());
        CHECK_FALSE(record_stream_batch(**store, std::vector<StreamedEvent>{{3, ticket_event("kiosk-2", 3, 1002), 0, ""}}, 3).ok());
        CHECK(pragma(**store, "PRAGMA synchronous") == "2");
    }
    CHECK(applied_stream_seq(**store) == 2);
    CHECK((*store)->event_count() == 2);
}

TEST_CASE("a stream event is stored with the stream's bytes, unless they would hide a check-in's booking") {
    test::TempDir dir;
    auto store = Store::open(dir.path());
    REQUIRE(store.ok());
    auto stored_text = [&](const std::string& id) {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2((*store)->handle(), "SELECT encoded FROM events WHERE id = ?", -1, &st, nullptr);
        sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        std::string out;
        if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return out;
    };
    // Valid JSON another writer might send: spaces around the separators ("key" : value, …).
    auto spaced = [](std::string text) {
        std::string out;
        bool in_string = false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (!in_string && text[i] == ':') out += ' ';
            out += text[i];
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\')) in_string = !in_string;
            if (!in_string && (text[i] == ':' || text[i] == ',')) out += ' ';
        }
        return out;
    };
    const Millis monday = test::rome(2026, 11, 30, 9), tuesday = test::rome(2026, 12, 1, 9);
    const Event plain = ticket_event("kiosk-2", 1, tuesday);
    Event check_in = ticket_event("kiosk-2", 2, monday);
    std::get<TicketIssued>(check_in.body).booking = "BK-1";
    const std::string plain_bytes = spaced(encode_event(plain)), check_in_bytes = spaced(encode_event(check_in));
    REQUIRE(decode_event(plain_bytes).ok());
    REQUIRE(decode_event(check_in_bytes).ok());
    REQUIRE(*decode_event(check_in_bytes) == check_in);
    std::vector<StreamedEvent> batch{{1, plain, 0, plain_bytes}, {2, check_in, 0, check_in_bytes}};
    REQUIRE(record_stream_batch(**store, batch, 2).ok());
    CHECK(stored_text(plain.id) == plain_bytes);             // as the stream has it: not encoded again
    CHECK(stored_text(check_in.id) == encode_event(check_in));  // "booking" : … would escape the check-in query
    // The agenda's history (from Monday) finds Monday's check-in among Tuesday's events.
    auto found = stream_events_since(**store, tuesday - 3600'000, monday - 3600'000);
    REQUIRE(found.ok());
    REQUIRE(found->size() == 2);
    CHECK(found->front() == plain);  // in stream order
    CHECK(found->back() == check_in);
}

TEST_CASE("a file that is not a database is refused and left untouched") {
    test::TempDir dir;
    const auto db = dir.path() / "office.db";
    {
        std::ofstream out(db, std::ios::binary);
        out << std::string(8192, 'x');
    }
    auto store = Store::open(dir.path());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().message.find(db.string()) == 0);
    CHECK(store.error().message.find("left untouched") != std::string::npos);
    CHECK(std::filesystem::file_size(db) == 8192);
}

// A store of 400 tickets, its WAL folded into the file: the file to damage.
std::filesystem::path store_of_400_tickets(const std::filesystem::path& dir) {
    auto store = Store::open(dir);
    REQUIRE(store.ok());
    for (int i = 1; i <= 400; ++i) REQUIRE((*store)->append(ticket_event("kiosk-1", i, i)).ok());
    sqlite3_exec((*store)->handle(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    return dir / "office.db";
}

TEST_CASE("a damaged database is reported as corrupt, not replaced") {
    test::TempDir dir;
    const auto db = store_of_400_tickets(dir.path());
    const auto size = std::filesystem::file_size(db);
    REQUIRE(size > 8 * 4096);
    {
        // Overwrite the middle pages (keep the header page): a torn disk, a bad copy.
        std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(2 * 4096);
        const std::string garbage(4 * 4096, '\x5a');
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    auto store = Store::open(dir.path());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().message.find("corrupt") != std::string::npos);
    CHECK(std::filesystem::file_size(db) == size);
}

TEST_CASE("a short reader that skips the whole-file check still gets 'corrupt' for a damaged page, and changes nothing") {
    test::TempDir dir;
    const auto db = store_of_400_tickets(dir.path());
    {
        std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(2 * 4096);
        const std::string garbage(std::filesystem::file_size(db) - 2 * 4096, '\x5a');  // every page but the first two
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    const auto before = [&] {
        std::ifstream in(db, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }();
    for (const StoreAccess access : {StoreAccess::ReadOnly, StoreAccess::ReadWrite}) {
        auto store = Store::open(dir.path(), access, StoreCheck::OnRead);
        if (!store) {  // the damage reached what opening reads
            CHECK(store.error().code == "store.corrupt");
            continue;
        }
        auto all = (*store)->events_since(0);
        REQUIRE_FALSE(all.ok());
        CHECK(all.error().code == "store.corrupt");
        CHECK(all.error().message.find("corrupt") != std::string::npos);
    }
    std::ifstream in(db, std::ios::binary);
    CHECK(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()) == before);
}

TEST_CASE("a store from a newer program is refused") {
    test::TempDir dir;
    {
        auto store = Store::open(dir.path());
        REQUIRE(store.ok());
        sqlite3_exec((*store)->handle(), "PRAGMA user_version=999", nullptr, nullptr, nullptr);
    }
    auto store = Store::open(dir.path());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().message.find("newer than this program") != std::string::npos);
}

TEST_CASE("an unwritable data directory gives a clear error") {
    auto store = Store::open("/proc/csc-no-such-dir");
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().message.find("/proc/csc-no-such-dir") == 0);
}

TEST_CASE("StoreWatch wakes when another program appends to the store, and not for readers") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 1, 9));
    auto writer = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(writer.ok());
    auto reader = Office::open(test::always_open_config(), dir.path(), clock, "display-1");
    REQUIRE(reader.ok());
    StoreWatch watch(dir.path());
    REQUIRE(watch.available());
    while (watch.wait(50)) {}  // what opening the store wrote
    CHECK_FALSE(watch.wait(100));  // nothing written: the timeout
    REQUIRE((*writer)->issue(test::issue_request("protocollo")).ok());
    CHECK(watch.wait(10'000));  // the append is reported (bounded only by the generous limit)
    REQUIRE((*reader)->refresh().ok());
    (*reader)->read([](const OfficeState& s) { CHECK(s.tickets().size() == 1); });
    while (watch.wait(50)) {}
    (void)(*reader)->refresh();  // a reader catching up writes nothing
    CHECK_FALSE(watch.wait(100));
    std::thread other([&] { watch.interrupt(); });
    CHECK_FALSE(watch.wait(10'000));  // interrupted, not a change
    other.join();
}

TEST_CASE("a store of every older schema version, holding a day of events, opens upgraded with nothing lost") {
    const auto migrations = store_migrations();
    const Millis t = test::rome(2026, 12, 1, 9);
    for (std::size_t older = 1; older < migrations.size(); ++older) {
        CAPTURE(older);
        test::TempDir dir;
        // The file as the program of that version left it: its migrations, then its events.
        {
            sqlite3* db = nullptr;
            REQUIRE(sqlite3_open((dir.path() / "office.db").c_str(), &db) == SQLITE_OK);
            for (std::size_t i = 0; i < older; ++i)
                REQUIRE(sqlite3_exec(db, migrations[i].sql, nullptr, nullptr, nullptr) == SQLITE_OK);
            for (int seq = 1; seq <= 3; ++seq) {
                const Event e = ticket_event("kiosk-1", seq, t + seq * 1000);
                const std::string sql = "INSERT INTO events(id, device, device_seq, time, type, encoded) VALUES('" + e.id +
                                        "', 'kiosk-1', " + std::to_string(seq) + ", " + std::to_string(e.time) +
                                        ", 'ticket.issued', '" + encode_event(e) + "')";
                REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
            }
            REQUIRE(sqlite3_exec(db, ("PRAGMA user_version=" + std::to_string(older)).c_str(), nullptr, nullptr, nullptr) ==
                    SQLITE_OK);
            sqlite3_close(db);
        }
        ManualClock clock(t + 60'000);
        auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
        REQUIRE_MESSAGE(office.ok(), (office.ok() ? std::string() : office.error().message));
        CHECK((*office)->store().schema_version() == static_cast<int>(migrations.size()));
        (*office)->read([](const OfficeState& s) {
            REQUIRE(s.tickets().size() == 3);
            CHECK(s.tickets()[2].label == "A003");
        });
        // The upgraded store takes new events after the old ones.
        auto next = (*office)->issue(test::issue_request("anagrafe", "certificati"));
        REQUIRE(next.ok());
        CHECK(next->ticket.label == "A004");
    }
}
