// A ticket printed at the entrance kiosk on the LAN (issue 12): the Info Point's print.requested
// reaches two entrance kiosks through the office stream, both claim it at once, the stream's
// order gives it to one, that one prints it once, and every device ends with the same state.
// Test suite "print": ctest runs it as `lan_print` (tests/lan/CMakeLists.txt).
#include <doctest/doctest.h>

#include <thread>

#include "kiosk/app/print_requests.hpp"
#include "kiosk/app/staff.hpp"
#include "tests/lan/lan_device.hpp"
#include "tests/lan/nats_cluster.hpp"

using namespace csc;
using csc::testing::LanDevice;
using csc::testing::TempDir;
using csc::testing::eventually;
using csc::testing::sync_for;

TEST_SUITE("print") {

TEST_CASE("print at the entrance kiosk over the LAN: two kiosks race for the request, one prints it, once") {
    csc::testing::NatsCluster* cluster = csc::testing::shared_office_cluster();
    REQUIRE(cluster);
    TempDir root;
    LanDevice info("info-1", sync_for("print", 1, cluster->urls()), root.path);
    LanDevice e1("entrance-1", sync_for("print", 2, cluster->urls()), root.path);
    LanDevice e2("entrance-2", sync_for("print", 3, cluster->urls()), root.path);
    for (auto* d : {&info, &e1, &e2}) d->open();
    for (auto* d : {&info, &e1, &e2}) REQUIRE(d->catch_up(60000));
    auto feed1 = e1.office->subscribe([] {});
    auto feed2 = e2.office->subscribe([] {});
    REQUIRE(app::save_staff(*info.office, "Anna Info", {"infopoint"}, "482913", true, "test").ok());

    IssueRequest req;
    req.sector = "anagrafe";
    req.service = "certificati";
    req.channel = "assisted";
    req.by = "Anna Info";
    req.allow_when_closed = true;
    auto issued = info.office->issue(req);
    REQUIRE_MESSAGE(issued.ok(), (issued.ok() ? "" : issued.error().message));
    auto request = app::request_print(*info.office, issued->ticket.id, "entrance", false, "Anna Info");
    REQUIRE_MESSAGE(request.ok(), (request.ok() ? "" : request.error().message));

    // Both kiosks learn of it from the stream, through their event feeds.
    const Millis since = info.office->clock().now() - 10 * 60'000;
    REQUIRE(eventually(10000, [&] {
        return app::pending_prints(*e1.office, "entrance", since).size() == 1 &&
               app::pending_prints(*e2.office, "entrance", since).size() == 1;
    }));
    for (auto* feed : {feed1.get(), feed2.get()}) {
        bool seen = false;
        for (const auto& item : feed->take().items)
            seen = seen || (std::holds_alternative<PrintRequested>(item.event.body) && item.event.id == *request);
        CHECK(seen);
    }

    // Both claim at once: the stream orders the claims, one applies.
    Result<bool> c1 = false, c2 = false;
    std::thread t1([&] { c1 = app::claim_print(*e1.office, *request); });
    std::thread t2([&] { c2 = app::claim_print(*e2.office, *request); });
    t1.join();
    t2.join();
    REQUIRE_MESSAGE(c1.ok(), (c1.ok() ? "" : c1.error().message));
    REQUIRE_MESSAGE(c2.ok(), (c2.ok() ? "" : c2.error().message));
    CHECK(*c1 != *c2);
    LanDevice& winner = *c1 ? e1 : e2;
    LanDevice& loser = *c1 ? e2 : e1;
    REQUIRE(app::finish_print(*winner.office, *request, true, "").ok());

    // Every device agrees: printed by the winner; the other cannot claim it any more.
    for (auto* d : {&info, &e1, &e2}) {
        CAPTURE(d->name);
        REQUIRE(eventually(10000, [&] {
            bool done = false;
            d->office->read([&](const OfficeState& st) {
                const PrintRequest* r = st.find_print_request(*request);
                done = r && r->done && r->done_by == winner.name && r->by == "Anna Info";
            });
            return done;
        }));
    }
    auto late = app::claim_print(*loser.office, *request);
    REQUIRE(late.ok());
    CHECK_FALSE(*late);
    CHECK(app::pending_prints(*loser.office, "entrance", since).empty());
    for (auto* d : {&info, &e1, &e2}) REQUIRE(d->catch_up(10000));
    CHECK(eventually(10000, [&] { return info.hash() == e1.hash() && e1.hash() == e2.hash(); }));
    for (auto* d : {&e2, &e1, &info}) d->close();
}

}  // TEST_SUITE("print")
