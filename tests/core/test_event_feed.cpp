// The in-process event bus (shared/event_feed.hpp): what a subscriber of Office gets.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>

#include "shared/office.hpp"
#include "tests/core/queue_fixture.hpp"
#include "tests/core/test_support.hpp"

using namespace csc;
using namespace csc::test;

namespace {

std::vector<std::string> types_of(const EventFeed::Batch& b) {
    std::vector<std::string> out;
    for (const auto& i : b.items) out.emplace_back(event_type(i.event.body));
    return out;
}
}  // namespace

TEST_CASE("event feed: a subscriber gets each applied event once, in order, with the ticket it called; refusals are not published") {
    const auto dir = csc::test::fresh_dir("feed", "own");
    ManualClock clock(kMonday9);
    auto opened = Office::open(queue_config(), dir, clock, "k1");
    REQUIRE(opened.ok());
    Office& office = **opened;
    std::atomic<int> notified{0};
    auto feed = office.subscribe([&] { ++notified; });

    IssueRequest req;
    req.sector = "a";
    auto t1 = office.issue(req);
    REQUIRE(t1.ok());
    CHECK_FALSE(office.call_next(1).ok());  // counter closed: refused, nothing published
    REQUIRE(office.open_counter(1).ok());
    auto called = office.call_next(1);
    REQUIRE(called.ok());

    auto batch = feed->take();
    CHECK_FALSE(batch.reset);
    CHECK(types_of(batch) == std::vector<std::string>{"ticket.issued", "counter.opened", "ticket.called"});
    REQUIRE(batch.items.size() == 3);
    // "Call next" names no ticket: the feed says which one the state machine called.
    CHECK(std::get<TicketCalled>(batch.items[2].event.body).ticket.empty());
    CHECK(batch.items[2].result.ticket_id == t1->ticket.id);
    CHECK(notified.load() == 3);
    CHECK(feed->take().items.empty());  // taken once
    std::filesystem::remove_all(dir);
}

TEST_CASE("event feed: events another program appends to the store reach a subscriber once, through refresh") {
    const auto dir = csc::test::fresh_dir("feed", "two");
    ManualClock clock(kMonday9);
    auto counter = Office::open(queue_config(), dir, clock, "k1");
    auto display = Office::open(queue_config(), dir, clock, "k1");
    REQUIRE(counter.ok());
    REQUIRE(display.ok());
    auto feed = (*display)->subscribe({});
    IssueRequest req;
    req.sector = "a";
    REQUIRE((*counter)->issue(req).ok());
    REQUIRE((*counter)->open_counter(1).ok());
    REQUIRE((*counter)->call_next(1).ok());
    REQUIRE((*counter)->recall(1).ok());
    CHECK(feed->take().items.empty());  // not seen before refresh
    REQUIRE((*display)->refresh().ok());
    auto batch = feed->take();
    CHECK_FALSE(batch.reset);
    CHECK(types_of(batch) == std::vector<std::string>{"ticket.issued", "counter.opened", "ticket.called", "ticket.recalled"});
    REQUIRE((*display)->refresh().ok());
    CHECK(feed->take().items.empty());  // nothing new: nothing again
    std::filesystem::remove_all(dir);
}

TEST_CASE("event feed: a rebuilt state and a reader that stopped reading both come as a reset") {
    const auto dir = csc::test::fresh_dir("feed", "reset");
    ManualClock clock(kMonday9);
    auto opened = Office::open(queue_config(), dir, clock, "k1");
    REQUIRE(opened.ok());
    Office& office = **opened;
    IssueRequest req;
    req.sector = "a";

    SUBCASE("overflow") {
        auto bus_feed = EventFeed({}, 2);
        Event e;
        bus_feed.push({e, {}});
        bus_feed.push({e, {}});
        bus_feed.push({e, {}});  // the third does not fit: the reader must read the state
        auto b = bus_feed.take();
        CHECK(b.reset);
        CHECK(b.items.empty());
        bus_feed.push({e, {}});
        b = bus_feed.take();
        CHECK_FALSE(b.reset);
        CHECK(b.items.size() == 1);
    }
    SUBCASE("a clock that went back rebuilds today's state") {
        auto feed = office.subscribe({});
        clock.set(kMonday9 + 24 * 3600'000);  // a clock a day ahead
        req.allow_when_closed = true;
        REQUIRE(office.issue(req).ok());
        CHECK(feed->take().items.size() == 1);
        clock.set(kMonday9 + 3600'000);  // NTP puts it right: the state is rebuilt
        REQUIRE(office.refresh().ok());
        CHECK(feed->take().reset);
    }
    SUBCASE("a dropped feed is forgotten") {
        std::weak_ptr<EventFeed> weak;
        {
            auto feed = office.subscribe({});
            weak = feed;
        }
        REQUIRE(office.issue(req).ok());
        CHECK(weak.expired());
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("event feed: LAN, the stream confirming an own event reaches a feed that asked exactly once, and no other feed") {
    const auto dir = csc::test::fresh_dir("feed", "own-confirmed");
    ManualClock clock(kMonday9);
    auto opened = Office::open(queue_config(), dir, clock, "k1");
    REQUIRE(opened.ok());
    Office& office = **opened;
    REQUIRE(office.enable_lan(LanSettings{}, nullptr).ok());  // no uplink: the test plays the stream
    auto asked = office.subscribe({}, OwnConfirmations::Include);
    auto other = office.subscribe({});
    IssueRequest req;
    req.sector = "a";
    auto ticket = office.issue(req);
    REQUIRE(ticket.ok());
    // Own events waiting for the stream: the device's hello (enable_lan) and the ticket.
    std::vector<StreamedEvent> batch;
    // e's scope ends with each iteration, so the next `after` is taken inside the body.
    for (std::int64_t after = 0;;) {
        auto e = office.next_unconfirmed(after);
        if (!e) break;
        batch.push_back({batch.size() + 1, *e, 0});
        after = e->seq;
    }
    REQUIRE(batch.size() == 2);
    REQUIRE(batch[1].event.id == ticket->ticket.id);
    auto own_confirmed_ids = [](EventFeed& feed) {
        std::vector<std::string> ids;
        for (const auto& i : feed.take().items)
            if (i.own_confirmed) ids.push_back(i.event.id);
        return ids;
    };
    CHECK(own_confirmed_ids(*asked).empty());  // recorded: published as applied, not confirmed yet

    REQUIRE(office.apply_stream(batch, 2).ok());
    CHECK(own_confirmed_ids(*asked) == std::vector<std::string>{batch[0].event.id, ticket->ticket.id});
    CHECK(own_confirmed_ids(*other).empty());
    CHECK(office.unconfirmed_count() == 0);
    REQUIRE(office.apply_stream(batch, 2).ok());  // delivered again: nothing new
    REQUIRE(office.refresh().ok());
    CHECK(own_confirmed_ids(*asked).empty());
    std::filesystem::remove_all(dir);
}
