// Ticket numbering: per sector per day, restart at local midnight, continue after a restart,
// bad requests write nothing, replay gives the same state.
#include <doctest/doctest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "shared/office.hpp"
#include "test_support.hpp"

using namespace csc;


TEST_CASE("numbers run per sector and are labelled with the sector letter") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 9, 0));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(office.ok());
    auto a1 = (*office)->issue(test::issue_request("anagrafe", "certificati"));
    auto a2 = (*office)->issue(test::issue_request("anagrafe", "carta-identita"));
    auto c1 = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE((a1.ok() && a2.ok() && c1.ok()));
    CHECK(a1->ticket.label == "A001");
    CHECK(a2->ticket.label == "A002");
    CHECK(c1->ticket.label == "C001");
    CHECK(a2->people_ahead == 1);
    CHECK(c1->people_ahead == 0);
    (*office)->read([](const OfficeState& s) {
        CHECK(s.waiting("anagrafe") == 2);
        CHECK(s.last_number("anagrafe") == 2);
        CHECK(s.last_number("protocollo") == 1);
    });
}

TEST_CASE("numbering restarts at midnight in Rome, not at midnight UTC") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 23, 50));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(office.ok());
    REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());
    REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());
    clock.set(test::rome(2026, 11, 27, 0, 5));  // 23:05 UTC: still the 26th in UTC
    auto next = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE(next.ok());
    CHECK(next->ticket.label == "C001");
    (*office)->read([](const OfficeState& s) {
        CHECK(s.day() == 20261127);
        CHECK(s.waiting("protocollo") == 1);  // yesterday's tickets are not waiting today
    });
}

TEST_CASE("a restarted program continues the day's numbering; a new day starts again") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 10, 0));
    {
        auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
        REQUIRE(office.ok());
        for (int i = 0; i < 3; ++i) REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());
    }
    clock.advance(60 * 60'000);
    {
        auto office = Office::open(test::always_open_config(), dir.path(), clock, "");
        REQUIRE(office.ok());
        CHECK((*office)->device() == "kiosk-1");  // the name is kept in the store
        auto t = (*office)->issue(test::issue_request("protocollo"));
        REQUIRE(t.ok());
        CHECK(t->ticket.label == "C004");
        CHECK(t->ticket.id == "kiosk-1:4");  // per-device sequence continues too
    }
    clock.set(test::rome(2026, 11, 27, 8, 30));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "");
    REQUIRE(office.ok());
    auto t = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE(t.ok());
    CHECK(t->ticket.label == "C001");
}

TEST_CASE("an unknown sector or service writes nothing") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 10, 0));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(office.ok());
    auto bad_sector = (*office)->issue(test::issue_request("tributi"));
    REQUIRE_FALSE(bad_sector.ok());
    CHECK(bad_sector.error().message.find("unknown sector \"tributi\"") != std::string::npos);
    auto bad_service = (*office)->issue(test::issue_request("anagrafe", "passaporto"));
    REQUIRE_FALSE(bad_service.ok());
    CHECK(bad_service.error().message.find("unknown service \"passaporto\"") != std::string::npos);
    auto missing_service = (*office)->issue(test::issue_request("anagrafe"));
    CHECK_FALSE(missing_service.ok());
    CHECK((*office)->store().event_count() == 0);
}

TEST_CASE("replaying the log gives the same state, and duplicates are ignored") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 9, 0));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(office.ok());
    for (int i = 0; i < 20; ++i) {
        clock.advance(37'000);
        REQUIRE((*office)->issue(test::issue_request(i % 3 ? "protocollo" : "anagrafe", i % 3 ? "" : "certificati")).ok());
    }
    std::uint64_t live_hash = 0;
    (*office)->read([&](const OfficeState& s) { live_hash = s.state_hash(); });
    auto events = (*office)->store().events_since(0);
    REQUIRE(events.ok());
    const SiteConfig cfg = test::always_open_config();
    OfficeState a(cfg), b(cfg);
    for (const auto& se : *events) {
        (void)a.apply(se.event);
        (void)b.apply(se.event);
        CHECK_FALSE(b.apply(se.event).applied);  // the same event twice: a no-op
    }
    CHECK(a.state_hash() == live_hash);
    CHECK(b.state_hash() == live_hash);
    CHECK(a.last_number("protocollo") == 13);
}

TEST_CASE("online numbers skip the offline ranges after 999") {
    const SiteConfig cfg = test::always_open_config();
    OfficeState s(cfg);
    Millis t = test::rome(2026, 11, 26, 9, 0);
    for (int i = 1; i <= 1001; ++i) {
        Event e;
        e.device = "kiosk-1";
        e.seq = i;
        e.id = make_event_id(e.device, e.seq);
        e.time = t + i;
        e.body = TicketIssued{"protocollo", "", "", "it", "kiosk", {}};
        REQUIRE(s.apply(e).applied);
    }
    CHECK(s.find_ticket("kiosk-1:999")->label == "C999");
    CHECK(s.find_ticket("kiosk-1:1000")->label == "C10000");
    CHECK(s.find_ticket("kiosk-1:1001")->label == "C10001");
}

TEST_CASE("two programs of one LAN device issuing offline at once never print the same offline number") {
    // The soak benchmark found A2001 printed twice: two kiosk processes of one device, cut off,
    // each counted the own tickets it knew of. The number is now decided under the store's lock.
    test::TempDir dir;
    SystemClock clock;
    auto cfg = test::always_open_config();
    auto first = Office::open(cfg, dir.path(), clock, "kiosk-a");
    auto second = Office::open(cfg, dir.path(), clock, "kiosk-a");
    REQUIRE((first.ok() && second.ok()));
    LanSettings lan;
    lan.device_index = 2;
    REQUIRE((*first)->enable_lan(lan, nullptr).ok());   // no uplink: every ticket is offline
    REQUIRE((*second)->enable_lan(lan, nullptr).ok());
    constexpr int kPer = 25;
    std::vector<std::string> labels_a, labels_b;
    auto run = [&](Office& o, std::vector<std::string>& out) {
        for (int i = 0; i < kPer; ++i) {
            auto t = o.issue(test::issue_request(i % 2 ? "protocollo" : "anagrafe", i % 2 ? "" : "certificati"));
            REQUIRE_MESSAGE(t.ok(), (t.ok() ? std::string() : t.error().message));
            CHECK(t->ticket.offline);
            out.push_back(t->ticket.label);
        }
    };
    std::thread x([&] { run(**first, labels_a); });
    std::thread y([&] { run(**second, labels_b); });
    x.join();
    y.join();
    std::vector<std::string> all = labels_a;
    all.insert(all.end(), labels_b.begin(), labels_b.end());
    std::sort(all.begin(), all.end());
    CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
    // Per sector, from the device's range: A2001…A2026 and C2001…C2024.
    CHECK(all.front() == "A2001");
    CHECK(all.back() == "C2024");
    CHECK(std::count_if(all.begin(), all.end(), [](const std::string& l) { return l[0] == 'A'; }) == 26);
    CHECK(std::find(all.begin(), all.end(), "A2026") != all.end());
}
