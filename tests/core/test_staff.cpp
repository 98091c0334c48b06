// Staff in the store (shared/staff): the codec of staff events and of "who did it", the
// directory's order independence and lockout, and the Office keeping both across days and restarts.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "shared/events.hpp"
#include "shared/office.hpp"
#include "shared/staff/staff_directory.hpp"
#include "test_support.hpp"

using namespace csc;

namespace {

// A syntactically plausible argon2id hash (the core never verifies PINs: the application does).
const std::string kHashA = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";
const std::string kHashB = "$argon2id$v=19$m=65536,t=2,p=1$b3RoZXJzYWx0b3RoZXJzYQ$b3RoZXJoYXNob3RoZXJoYXNob3RoZXJoYXNo";

Event staff_event(const std::string& device, std::int64_t seq, Millis time, EventBody body, std::string by = {}) {
    Event e;
    e.device = device;
    e.seq = seq;
    e.id = make_event_id(device, seq);
    e.time = time;
    e.by = std::move(by);
    e.body = std::move(body);
    return e;
}

}  // namespace

TEST_CASE("staff events and the staff member who acted survive encoding, and a bad one is refused") {
    const Millis t = test::rome(2026, 12, 1, 9);
    for (const Event& e : {staff_event("info-1", 1, t, StaffSaved{"Anna Rossi", {"counter", "infopoint"}, kHashA}, "Marco"),
                           staff_event("info-1", 2, t, StaffRemoved{"Anna Rossi"}),
                           staff_event("counter-3", 7, t, StaffSignIn{"Niccolò", false, "counter 3"}),
                           staff_event("counter-3", 9, t, StaffSignedOut{"Niccolò", "counter 3"}, "Niccolò"),
                           staff_event("counter-3", 8, t, TicketCalled{3, {}}, "Niccolò")}) {
        CHECK(validate_event(e).ok());
        auto back = decode_event(encode_event(e));
        REQUIRE(back.ok());
        CHECK(*back == e);
    }
    // An event without "by" (every event before staff were recorded) still decodes.
    auto old = decode_event(R"({"v":1,"id":"k:1","device":"k","seq":1,"time":1790000000000,"type":"counter.opened","body":{"counter":1}})");
    REQUIRE(old.ok());
    CHECK(old->by.empty());
    // A clear PIN where a hash belongs, an unknown role or an empty name are refused.
    CHECK_FALSE(validate_event(staff_event("k", 1, t, StaffSaved{"Anna", {"counter"}, "1234"})).ok());
    CHECK_FALSE(validate_event(staff_event("k", 1, t, StaffSaved{"Anna", {"root"}, kHashA})).ok());
    CHECK_FALSE(validate_event(staff_event("k", 1, t, StaffRemoved{""})).ok());
    CHECK_FALSE(validate_event(staff_event("k", 1, t, CounterOpened{1}, std::string(200, 'x'))).ok());
}

TEST_CASE("the staff directory is the same whatever order the devices' events arrive in") {
    const Millis t = test::rome(2026, 12, 1, 9);
    std::vector<Event> events{
        staff_event("a", 1, t, StaffSaved{"Anna", {"counter"}, kHashA}),
        staff_event("b", 1, t + 1000, StaffSaved{"anna", {"counter", "infopoint"}, ""}),  // roles only: keeps the PIN
        staff_event("c", 1, t + 2000, StaffSaved{"Bruno", {"maintenance"}, kHashB}),
        staff_event("a", 2, t + 3000, StaffRemoved{"Bruno"}),
        staff_event("b", 2, t + 4000, StaffSaved{"Anna", {"counter", "infopoint"}, kHashB}),  // new PIN
    };
    for (int i = 0; i < 5; ++i) events.push_back(staff_event("c", 10 + i, t + 10'000 + i, StaffSignIn{"Anna", false, "counter 1"}));
    StaffDirectory reference;
    for (const auto& e : events) reference.apply(e);
    const auto expected = reference.members();
    REQUIRE(expected.size() == 1);
    CHECK(expected[0].name == "Anna");
    CHECK(expected[0].roles == std::vector<std::string>{"counter", "infopoint"});
    CHECK(expected[0].pin_hash == kHashB);
    CHECK(reference.locked_until("ANNA", t + 20'000).has_value());
    std::mt19937 rng(7);
    for (int round = 0; round < 50; ++round) {
        std::shuffle(events.begin(), events.end(), rng);
        StaffDirectory d;
        for (const auto& e : events) d.apply(e);
        for (const auto& e : events) CHECK_FALSE(d.apply(e));  // twice changes nothing
        CHECK(d.members() == expected);
        CHECK(d.locked_until("anna", t + 20'000) == reference.locked_until("anna", t + 20'000));
    }
}

TEST_CASE("five wrong PINs in a row lock a name for five minutes; a right one starts the count again") {
    const Millis t = test::rome(2026, 12, 1, 9);
    StaffDirectory d;
    d.apply(staff_event("a", 1, t, StaffSaved{"Anna", {"counter"}, kHashA}));
    std::int64_t seq = 2;
    auto attempt = [&](Millis at, bool ok) { d.apply(staff_event("a", seq++, at, StaffSignIn{"Anna", ok, "counter 1"})); };
    for (int i = 0; i < 4; ++i) attempt(t + i * 1000, false);
    CHECK(d.wrong_in_a_row("Anna") == 4);
    attempt(t + 5000, true);
    CHECK(d.wrong_in_a_row("Anna") == 0);
    for (int i = 0; i < 4; ++i) attempt(t + 6000 + i * 1000, false);
    CHECK_FALSE(d.locked_until("Anna", t + 10'000).has_value());
    attempt(t + 10'000, false);  // the fifth in a row
    const auto until = d.locked_until("Anna", t + 10'001);
    REQUIRE(until.has_value());
    CHECK(*until == t + 10'000 + kSignInLockTime);
    CHECK(d.locked_until("Anna", t + 10'000 + kSignInLockTime - 1).has_value());
    CHECK_FALSE(d.locked_until("Anna", t + 10'000 + kSignInLockTime).has_value());
    // Another name is not affected.
    CHECK_FALSE(d.locked_until("Bruno", t + 10'001).has_value());
}

TEST_CASE("the office keeps staff records across days and its lockout across a restart") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 2, 9));
    {
        auto office = Office::open(test::always_open_config(), dir.path(), clock, "info-1");
        REQUIRE(office.ok());
        REQUIRE((*office)->record(StaffSaved{"Anna", {"counter"}, kHashA}, "setup").ok());
    }
    clock.set(test::rome(2026, 12, 1, 9));  // a month later
    {
        auto office = Office::open(test::always_open_config(), dir.path(), clock, "counter-1");
        REQUIRE(office.ok());
        const auto anna = (*office)->find_staff("anna");
        REQUIRE(anna.has_value());
        CHECK(anna->pin_hash == kHashA);
        for (int i = 0; i < kWrongPinsBeforeLock; ++i) REQUIRE((*office)->record(StaffSignIn{"Anna", false, "counter 1"}).ok());
        CHECK((*office)->sign_in_locked_until("Anna").has_value());
    }
    clock.advance(60'000);
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "counter-1");
    REQUIRE(office.ok());
    CHECK((*office)->sign_in_locked_until("Anna").has_value());  // a restart does not unlock
    clock.advance(kSignInLockTime);
    CHECK_FALSE((*office)->sign_in_locked_until("Anna").has_value());
    // Staff records change no queue state and open no new day.
    (*office)->read([](const OfficeState& s) { CHECK(s.tickets().empty()); });
}

TEST_CASE("a counter action records who did it: the counter's staff and the ticket's caller") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 1, 9));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "counter-1");
    REQUIRE(office.ok());
    REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());
    const auto before = (*office)->confirmed_hash();
    REQUIRE((*office)->counter_action(1, CounterOpened{1}, "Anna").ok());
    auto called = (*office)->counter_action(1, TicketCalled{1, {}}, "Anna");
    REQUIRE(called.ok());
    REQUIRE(called->ticket.has_value());
    CHECK(called->ticket->called_by == "Anna");
    CHECK(called->counter.staff == "Anna");
    CHECK((*office)->confirmed_hash() != before);
    // Another program on the store sees the same, from the log.
    auto other = Office::open(test::always_open_config(), dir.path(), clock, "display-1");
    REQUIRE(other.ok());
    (*other)->read([](const OfficeState& s) {
        REQUIRE(s.find_counter(1) != nullptr);
        CHECK(s.find_counter(1)->staff == "Anna");
    });
    CHECK((*other)->confirmed_hash() == (*office)->confirmed_hash());
    REQUIRE((*office)->counter_action(1, ServiceStarted{1}, "Anna").ok());
    REQUIRE((*office)->counter_action(1, ServiceFinished{1, {}}, "Anna").ok());
    auto closed = (*office)->counter_action(1, CounterClosed{1}, "Anna");
    REQUIRE(closed.ok());
    CHECK(closed->counter.staff.empty());
}
