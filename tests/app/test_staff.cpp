// The application's staff actions (kiosk/app/staff.hpp) on a real store: PINs only as argon2id
// hashes, sign-in with the LAN-wide lockout kept in the log, and operators.json moved in once.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "kiosk/app/staff.hpp"
#include "test_support.hpp"
#include "tests/app/test_files.hpp"

using namespace csc;

using csc::test::file_text;

TEST_CASE("staff PINs reach the store as argon2id hashes only, and names are unique whatever the case") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 1, 9));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "info-1");
    REQUIRE(office.ok());
    CHECK_FALSE(app::save_staff(**office, "Mario Rossi", {"counter"}, "12", true, "t").ok());    // too short
    CHECK_FALSE(app::save_staff(**office, "Mario Rossi", {"counter"}, "12a4", true, "t").ok());  // not digits
    CHECK_FALSE(app::save_staff(**office, "Mario Rossi", {}, "482913", true, "t").ok());         // no role
    auto saved = app::save_staff(**office, "Mario Rossi", {"counter", "infopoint"}, "482913", true, "t");
    REQUIRE(saved.ok());
    CHECK(saved->pin_hash.rfind("$argon2id$v=19$m=32768,t=2,p=1$", 0) == 0);  // 32 MiB, 2 passes (staff.cpp)
    CHECK_FALSE(app::save_staff(**office, "mario rossi", {"counter"}, "111111", true, "t").ok());
    const std::string db = file_text(dir.path() / "office.db") + file_text(dir.path() / "office.db-wal");
    CHECK(db.find("482913") == std::string::npos);
    CHECK(db.find("$argon2id$") != std::string::npos);
    // Roles change without touching the PIN.
    auto roles = app::save_staff(**office, "MARIO ROSSI", {"maintenance"}, {}, false, "t");
    REQUIRE(roles.ok());
    CHECK(roles->name == "Mario Rossi");
    CHECK(roles->pin_hash == saved->pin_hash);
    CHECK(app::verify_pin(roles->pin_hash, "482913"));
    CHECK_FALSE(app::verify_pin(roles->pin_hash, "482914"));
    REQUIRE(app::remove_staff(**office, "mario ROSSI", "t").ok());
    CHECK((*office)->staff().empty());
    CHECK_FALSE(app::remove_staff(**office, "Mario Rossi", "t").ok());
}

TEST_CASE("sign-in: the role is checked, five wrong PINs lock the name, and the lock survives a restart") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 1, 9));
    {
        auto office = Office::open(test::always_open_config(), dir.path(), clock, "counter-1");
        REQUIRE(office.ok());
        REQUIRE(app::save_staff(**office, "Anna", {"counter"}, "2468", true, "t").ok());
        auto wrong_role = app::sign_in(**office, "Anna", "2468", "maintenance", "service-menu");
        REQUIRE(wrong_role.ok());
        CHECK_FALSE(wrong_role->ok);
        auto ok = app::sign_in(**office, "anna", "2468", "counter", "counter 1");
        REQUIRE(ok.ok());
        CHECK(ok->ok);
        CHECK(ok->name == "Anna");
        for (int i = 1; i <= kWrongPinsBeforeLock; ++i) {
            auto r = app::sign_in(**office, "Anna", "1111", "counter", "counter 1");
            REQUIRE(r.ok());
            CHECK_FALSE(r->ok);
            CHECK(r->locked_until.has_value() == (i == kWrongPinsBeforeLock));
        }
    }
    clock.advance(30'000);
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "counter-2");
    REQUIRE(office.ok());
    // Locked: even the right PIN is refused, without being checked.
    auto locked = app::sign_in(**office, "Anna", "2468", "counter", "counter 2");
    REQUIRE(locked.ok());
    CHECK_FALSE(locked->ok);
    CHECK(locked->locked_until.has_value());
    clock.advance(kSignInLockTime);
    auto after = app::sign_in(**office, "Anna", "2468", "counter", "counter 2");
    REQUIRE(after.ok());
    CHECK(after->ok);
}

TEST_CASE("sign-in: a program on a shared store knows at once the staff and the lock another program just recorded") {
    // `kiosk serve` and the CLI (or two counters) on one store: neither waits for its ~200 ms
    // refresh before it answers a sign-in.
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 1, 9));
    auto serving = Office::open(test::always_open_config(), dir.path(), clock, "web-1");
    auto other = Office::open(test::always_open_config(), dir.path(), clock, "info-1");
    REQUIRE(serving.ok());
    REQUIRE(other.ok());
    // Added by the other program after this one opened the store (`kiosk operator add`).
    REQUIRE(app::save_staff(**other, "Anna", {"maintenance"}, "2468", true, "t").ok());
    auto first = app::sign_in(**serving, "Anna", "2468", "maintenance", "web");
    REQUIRE(first.ok());
    CHECK(first->ok);
    // Wrong PINs at the two programs in turn, a second apart, add up: the fifth locks.
    for (int i = 1; i <= kWrongPinsBeforeLock; ++i) {
        clock.advance(1000);
        Office& at = i % 2 ? **serving : **other;
        auto r = app::sign_in(at, "Anna", "1111", "maintenance", "web");
        REQUIRE(r.ok());
        CHECK_FALSE(r->ok);
        CHECK(r->locked_until.has_value() == (i == kWrongPinsBeforeLock));
    }
    // The fifth was the serving program's: the other refuses even the right PIN, unchecked.
    auto locked = app::sign_in(**other, "Anna", "2468", "maintenance", "web");
    REQUIRE(locked.ok());
    CHECK_FALSE(locked->ok);
    CHECK(locked->locked_until.has_value());
}

TEST_CASE("operators.json moves into the store once, and is kept aside as operators.json.migrated") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 1, 9));
    auto hash = app::hash_pin("482913");
    REQUIRE(hash.ok());
    std::ofstream(dir.path() / "operators.json") << R"({"version":1,"operators":[{"name":"Mario Rossi","pin_hash":")" << *hash
                                                 << R"("},{"name":"Lucia","pin_hash":")" << *hash << R"("}]})";
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "counter-1");
    REQUIRE(office.ok());
    auto moved = app::migrate_operators_file(**office, dir.path());
    REQUIRE(moved.ok());
    CHECK(*moved == 2);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "operators.json"));
    CHECK(std::filesystem::exists(dir.path() / "operators.json.migrated"));
    const auto mario = (*office)->find_staff("Mario Rossi");
    REQUIRE(mario.has_value());
    CHECK(mario->has_role("counter"));
    auto r = app::sign_in(**office, "Mario Rossi", "482913", "counter", "counter 1");
    REQUIRE(r.ok());
    CHECK(r->ok);
    auto again = app::migrate_operators_file(**office, dir.path());
    REQUIRE(again.ok());
    CHECK(*again == 0);
}

TEST_CASE("an operators file with a PIN in clear is refused, not moved") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 1, 9));
    std::ofstream(dir.path() / "operators.json") << R"({"operators":[{"name":"X","pin_hash":"1234"}]})";
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "counter-1");
    REQUIRE(office.ok());
    auto moved = app::migrate_operators_file(**office, dir.path());
    REQUIRE_FALSE(moved.ok());
    CHECK(moved.error().message.find("argon2id") != std::string::npos);
    CHECK(std::filesystem::exists(dir.path() / "operators.json"));
    CHECK((*office)->staff().empty());
}
