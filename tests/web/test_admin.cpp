// The IT dashboard's parts without a server (kiosk/web/admin_sessions.*, admin_views.*, and
// kiosk/app/warning_log.*): sessions on a hand-moved clock, the devices and figures as the
// events show them, the warnings list's bound. The HTTP side is in test_web.py (AdminTest).
#include <doctest/doctest.h>

#include <set>

#include "kiosk/app/warning_log.hpp"
#include "kiosk/web/admin_sessions.hpp"
#include "kiosk/web/admin_views.hpp"
#include "web_sample.hpp"

using namespace csc;

namespace {

constexpr Millis kAdminT0 = 1'795'000'000'000;  // 2026-11-19, some morning

using AdminSample = test::WebSample;

Event admin_event(const std::string& device, std::int64_t seq, Millis time, EventBody body) {
    return Event{make_event_id(device, seq), device, seq, time, "", std::move(body)};
}

}  // namespace

TEST_CASE("admin sessions: a session ends 15 minutes after its last use, not before") {
    ManualClock clock(kAdminT0);
    web::AdminSessions sessions(clock);
    auto id = sessions.open("Bruno");
    REQUIRE(id.ok());
    clock.advance(web::kAdminIdleTime - 1000);
    REQUIRE(sessions.use(*id));  // used: the idle time starts again
    clock.advance(web::kAdminIdleTime - 1000);
    CHECK(sessions.use(*id)->name == "Bruno");
    clock.advance(web::kAdminIdleTime);
    CHECK_FALSE(sessions.use(*id));
    CHECK(sessions.size() == 0);  // forgotten once seen expired
}

TEST_CASE("admin sessions: a page's automatic refresh does not keep a session alive") {
    ManualClock clock(kAdminT0);
    web::AdminSessions sessions(clock);
    auto id = sessions.open("Bruno");
    REQUIRE(id.ok());
    for (int i = 0; i < 14; ++i) {
        clock.advance(60'000);
        REQUIRE(sessions.use(*id, false));
    }
    clock.advance(60'000);
    CHECK_FALSE(sessions.use(*id, false));
}

TEST_CASE("admin sessions: a session ends 8 hours after sign-in however busy, and when the clock goes back") {
    ManualClock clock(kAdminT0);
    web::AdminSessions sessions(clock);
    auto id = sessions.open("Bruno");
    REQUIRE(id.ok());
    while (clock.now() + 60'000 < kAdminT0 + web::kAdminMaxSessionTime) {
        clock.advance(60'000);
        REQUIRE(sessions.use(*id));
    }
    clock.set(kAdminT0 + web::kAdminMaxSessionTime);
    CHECK_FALSE(sessions.use(*id));

    auto again = sessions.open("Bruno");
    REQUIRE(again.ok());
    clock.advance(-60'000);  // NTP put the clock back
    CHECK_FALSE(sessions.use(*again));
}

TEST_CASE("admin sessions: ids are 256 random bits in hex, never repeated; a made-up or closed id gets nothing") {
    ManualClock clock(kAdminT0);
    web::AdminSessions sessions(clock);
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        auto id = sessions.open("Bruno");
        REQUIRE(id.ok());
        CHECK(id->size() == 64);
        CHECK(id->find_first_not_of("0123456789abcdef") == std::string::npos);
        CHECK(seen.insert(*id).second);
    }
    CHECK_FALSE(sessions.use(std::string(64, '0')));
    CHECK_FALSE(sessions.use(""));
    CHECK_FALSE(sessions.use("../../etc/passwd"));
    const std::string one = *seen.begin();
    CHECK(sessions.close(one));
    CHECK_FALSE(sessions.use(one));
}

TEST_CASE("admin sessions: beyond the maximum the least recently used session ends") {
    ManualClock clock(kAdminT0);
    web::AdminSessions sessions(clock);
    auto first = sessions.open("A");
    REQUIRE(first.ok());
    for (std::size_t i = 1; i < web::kAdminMaxSessions; ++i) {
        clock.advance(1000);
        REQUIRE(sessions.open("B").ok());
    }
    clock.advance(1000);
    auto last = sessions.open("C");
    REQUIRE(last.ok());
    CHECK(sessions.size() == web::kAdminMaxSessions);
    CHECK_FALSE(sessions.use(*first));
    CHECK(sessions.use(*last));
}

TEST_CASE("admin devices: roles, index, last event and last print come from the device's own events") {
    std::vector<Event> today{
        admin_event("entrance-1", 1, kAdminT0, TicketIssued{.sector = "anagrafe", .channel = "kiosk"}),
        admin_event("desk-3", 1, kAdminT0 + 1000, CounterOpened{.counter = 3}),
        admin_event("info-1", 1, kAdminT0 + 2000, PrintRequested{.ticket = "entrance-1:1", .at = "entrance"}),
        admin_event("entrance-1", 2, kAdminT0 + 3000, PrintClaimed{.request = "info-1:1"}),
        admin_event("entrance-1", 3, kAdminT0 + 5000, PrintFinished{.request = "info-1:1", .ok = false, .error = "paper end"}),
        admin_event("display-1", 1, kAdminT0 + 4000, DeviceHello{4}),
    };
    const auto devices = web::device_activity(today);
    REQUIRE(devices.size() == 4);
    CHECK(devices[0].device == "desk-3");
    CHECK(devices[0].roles == std::set<std::string>{"counter 3"});
    CHECK(devices[1].device == "display-1");
    CHECK(devices[1].roles.empty());  // a display records nothing that says what it is
    CHECK(devices[1].device_index == 4);
    CHECK(devices[2].device == "entrance-1");
    CHECK(devices[2].roles == std::set<std::string>{"entrance"});
    CHECK(devices[2].events == 3);
    CHECK(devices[2].last_event == kAdminT0 + 5000);
    REQUIRE(devices[2].last_print);
    CHECK_FALSE(devices[2].last_print->ok);
    CHECK(devices[2].last_print->error == "paper end");
    CHECK(devices[3].roles == std::set<std::string>{"infopoint"});
    CHECK_FALSE(devices[3].last_print);
}

TEST_CASE("admin dashboard: what nobody records is 'not known'; figures per sector; no citizen data") {
    AdminSample s;
    std::vector<Event> today{
        admin_event("entrance-1", 1, kAdminT0, TicketIssued{.sector = "anagrafe", .channel = "kiosk", .token = "AAAAAAAAAAAAAAAAAAAAAA"}),
        admin_event("entrance-1", 2, kAdminT0 + 1000,
                    BookingMade{.code = "ABC123", .service = "carta-identita", .slot = kAdminT0, .name = "Maria Bianchi", .contact = "333 1234567"}),
    };
    web::DashboardInput in;
    in.devices = web::device_activity(today);
    in.self = "web-1";
    in.now = kAdminT0 + 60'000;
    in.signed_in = "Bruno";
    in.outlook = {SectorOutlook{.sector = "anagrafe", .waiting = 1}};
    stats::StatsTable table;
    stats::StatsRow row;
    row.key = "anagrafe";
    row.issued = 5;
    row.served = 3;
    row.called = 4;
    row.wait_mean_min = 12.4;
    row.wait_p90_min = 20.2;
    table.rows = {row};
    table.total = row;
    in.today = table;
    in.quarantined = 2;
    in.warnings = {app::ProgramWarning{kAdminT0, "end of day: disk full"}};
    const auto j = web::dashboard_json(s.config, s.tr, "en", in);
    REQUIRE(j["devices"].size() == 2);
    const auto& entrance = j["devices"][0];
    CHECK(entrance["name"] == "entrance-1");
    CHECK(entrance["role"] == "entrance kiosk");
    CHECK(entrance["online"] == "not known");
    CHECK(entrance["printer"] == "not known");
    CHECK(entrance["sync"] == "not known");
    const auto& self = j["devices"][1];
    CHECK(self["name"] == "web-1");
    CHECK(self["self"] == true);
    CHECK(self["sync"] == "single machine (no LAN)");
    CHECK(self["last_event"] == "no events today");
    const auto anagrafe = std::find_if(j["sectors"].begin(), j["sectors"].end(), [](const auto& x) { return x["issued"] == "5"; });
    REQUIRE(anagrafe != j["sectors"].end());
    CHECK((*anagrafe)["served"] == "3");
    CHECK((*anagrafe)["waiting"] == "1");
    CHECK((*anagrafe)["wait_mean"] == "12");
    CHECK((*anagrafe)["wait_p90"] == "20");
    CHECK(j["total"]["name"] == "Total");
    CHECK(j["signed_in"] == "Signed in as Bruno");
    const std::string all = j.dump();
    CHECK(all.find("Events set aside (unreadable or from a later day): 2") != std::string::npos);
    CHECK(all.find("end of day: disk full") != std::string::npos);
    CHECK(all.find("Maria") == std::string::npos);
    CHECK(all.find("333") == std::string::npos);
    CHECK(all.find("AAAAAAAAAAAAAAAAAAAAAA") == std::string::npos);
    CHECK(web::dashboard_json(s.config, s.tr, "it", in)["devices"][0]["online"] == "non noto");
}

TEST_CASE("warning log: keeps the newest warnings, counts the ones it dropped") {
    std::size_t dropped_before = 0;
    const auto before = app::recent_warnings(&dropped_before);
    for (std::size_t i = 0; i < app::kWarningsKept + 5; ++i) app::remember_warning(Millis(i), "warning " + std::to_string(i));
    std::size_t dropped = 0;
    const auto kept = app::recent_warnings(&dropped);
    REQUIRE(kept.size() == app::kWarningsKept);
    CHECK(kept.back().text == "warning " + std::to_string(app::kWarningsKept + 4));
    CHECK(dropped == dropped_before + before.size() + 5);
    app::remember_warning(0, std::string(2000, 'x'));
    CHECK(app::recent_warnings().back().text.size() == 500);
}
