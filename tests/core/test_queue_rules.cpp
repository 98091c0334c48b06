// The queue engine's rules: order, priorities, appointments, alternation, transfer, counters.
#include <doctest/doctest.h>

#include "tests/core/queue_fixture.hpp"

using namespace csc;
using namespace csc::test;

TEST_CASE("queue: walk-ins are called in issue order and numbered per sector") {
    Office1 o(queue_config());
    CHECK(o.issue("a") == "A001");
    CHECK(o.issue("b") == "B001");
    CHECK(o.issue("a") == "A002");
    o.ok(CounterOpened{1});
    CHECK(o.call(1) == "A001");
    o.ok(ServiceFinished{1, {}});
    CHECK(o.call(1) == "A002");
    CHECK(o.state.waiting("a") == 0);
    CHECK(o.state.waiting("b") == 1);
}

TEST_CASE("queue: a clock stepped back never puts a later walk-in ahead; an offline ticket keeps its own time") {
    Office1 o(queue_config());
    o.ev.now = kMonday9 + 10 * kMin;
    CHECK(o.issue("a") == "A001");
    o.ev.now = kMonday9 + 5 * kMin;  // NTP stepped the clock back, or another device's is behind
    CHECK(o.issue("a") == "A002");
    std::vector<std::string> shown;
    for (const Ticket* t : o.state.queue("a")) shown.push_back(t->label);
    CHECK(shown == std::vector<std::string>{"A001", "A002"});
    // Taken offline at 09:02 on device 3 and published later: it was taken before both.
    TicketIssued off;
    off.sector = "a";
    off.offline_number = 3001;
    o.ev.now = kMonday9 + 2 * kMin;
    REQUIRE(o.apply(off).applied);
    shown.clear();
    for (const Ticket* t : o.state.queue("a")) shown.push_back(t->label);
    CHECK(shown == std::vector<std::string>{"A3001", "A001", "A002"});
    o.ok(CounterOpened{1});
    CHECK(o.serve(1) == "A3001");
    CHECK(o.serve(1) == "A001");
    CHECK(o.serve(1) == "A002");
}

TEST_CASE("queue: strict policy puts priority citizens first, in their own issue order") {
    Office1 o(queue_config("strict"));
    o.issue("a");
    o.issue("a");
    o.issue("a", "anziani");   // A003
    o.issue("a", "disabili");  // A004
    o.ok(CounterOpened{1});
    CHECK(o.serve(1) == "A003");
    CHECK(o.serve(1) == "A004");
    CHECK(o.serve(1) == "A001");
    CHECK(o.serve(1) == "A002");
}

TEST_CASE("queue: alternate policy serves one priority, then N walk-ins") {
    Office1 o(queue_config("alternate", 2));
    for (int i = 0; i < 5; ++i) o.issue("a");         // A001..A005
    for (int i = 0; i < 3; ++i) o.issue("a", "anziani");  // A006..A008
    // The displayed order is the order of calls.
    std::vector<std::string> shown;
    for (const Ticket* t : o.state.queue("a")) shown.push_back(t->label);
    CHECK(shown == std::vector<std::string>{"A006", "A001", "A002", "A007", "A003", "A004", "A008", "A005"});
    o.ok(CounterOpened{1});
    std::vector<std::string> called;
    for (int i = 0; i < 8; ++i) called.push_back(o.serve(1));
    CHECK(called == shown);
}

TEST_CASE("queue: alternation is not a strict priority: walk-ins keep their turn") {
    Office1 o(queue_config("alternate", 1));
    o.issue("a");              // A001
    o.issue("a");              // A002
    o.ok(CounterOpened{1});
    CHECK(o.serve(1) == "A001");  // no priority waiting
    o.issue("a", "disabili");  // A003
    o.issue("a", "disabili");  // A004
    CHECK(o.serve(1) == "A003");  // one walk-in was called since the last priority: priority's turn
    CHECK(o.serve(1) == "A002");  // then one walk-in
    CHECK(o.serve(1) == "A004");
}

TEST_CASE("queue: an appointment goes first only within its early/late window") {
    Office1 o(queue_config("strict"));
    const Millis slot = kMonday9 + 60 * kMin;  // 10:00
    o.issue("a");                       // A001 walk-in at 09:00
    o.issue("a", {}, slot);             // A002 booked for 10:00, checked in at 09:00 (too early)
    o.issue("a");                       // A003
    auto order = [&](Millis at) {
        std::vector<std::string> v;
        for (const Ticket* t : o.state.queue("a", at)) v.push_back(t->label);
        return v;
    };
    // 09:00: too early, it waits as a walk-in by issue time.
    CHECK(order(kMonday9) == std::vector<std::string>{"A001", "A002", "A003"});
    // 09:50 (slot − 10 min) it is due: first.
    CHECK(order(slot - 10 * kMin) == std::vector<std::string>{"A002", "A001", "A003"});
    CHECK(order(slot + 15 * kMin) == std::vector<std::string>{"A002", "A001", "A003"});
    // Later than slot + 15 min: back to its place by issue time.
    CHECK(order(slot + 16 * kMin) == std::vector<std::string>{"A001", "A002", "A003"});
    // The state machine uses the call's time.
    o.ok(CounterOpened{1});
    o.ev.now = slot - 5 * kMin;
    CHECK(o.call(1) == "A002");
}

TEST_CASE("queue: among due appointments and priorities, the earlier place goes first") {
    Office1 o(queue_config("strict"));
    const Millis slot = kMonday9 + 30 * kMin;
    o.ev.now = kMonday9 + 25 * kMin;
    o.issue("a", {}, slot);        // A001: place 09:30
    o.issue("a", "anziani");       // A002: place 09:25 (issued)
    o.issue("a");                  // A003
    o.ok(CounterOpened{1});
    CHECK(o.serve(1) == "A002");
    CHECK(o.serve(1) == "A001");
    CHECK(o.serve(1) == "A003");
}

TEST_CASE("queue: a counter serving several sectors picks by its sector order, then by waiting time") {
    Office1 o(queue_config());
    o.issue("b");  // B001 (oldest)
    o.issue("a");  // A001
    o.issue("b");  // B002
    o.issue("a");  // A002
    o.ok(CounterOpened{2});  // serves a, then b
    o.ok(CounterOpened{3});  // serves b only
    CHECK(o.serve(2) == "A001");
    CHECK(o.serve(3) == "B001");
    CHECK(o.serve(2) == "A002");
    CHECK(o.serve(2) == "B002");  // a is empty: its second sector
    CHECK(o.call(2).rfind("!nobody is waiting", 0) == 0);
}

TEST_CASE("queue: a transferred ticket keeps its place by original issue time") {
    Office1 o(queue_config());
    o.issue("a");  // A001 at t0
    o.issue("b");  // B001 at t0+1s
    o.ok(CounterOpened{1});
    CHECK(o.call(1) == "A001");
    o.ok(ServiceStarted{1});
    o.issue("b");  // B002, later than A001
    o.ok(TicketTransferred{1, "b", std::nullopt});
    const Ticket* t = o.state.find_label("A001");
    REQUIRE(t);
    CHECK(t->status == TicketStatus::Transferred);
    CHECK(t->sector == "b");
    CHECK(t->from_sector == "a");
    std::vector<std::string> order;
    for (const Ticket* q : o.state.queue("b")) order.push_back(q->label);
    CHECK(order == std::vector<std::string>{"A001", "B001", "B002"});
    CHECK(o.state.waiting("b") == 3);
    o.ok(CounterOpened{3});
    CHECK(o.serve(3) == "A001");
    CHECK(o.state.find_label("A001")->status == TicketStatus::Served);
}

TEST_CASE("queue: a ticket transferred to a counter is called only there, and first") {
    Office1 o(queue_config());
    o.issue("a");  // A001
    o.issue("a");  // A002
    o.issue("a");  // A003
    o.ok(CounterOpened{1});
    o.ok(CounterOpened{2});
    CHECK(o.call(1) == "A001");
    o.ok(TicketTransferred{1, {}, 2});
    CHECK(o.serve(1) == "A002");  // counter 1 cannot take A001 any more
    CHECK(o.call(2) == "A001");   // counter 2 takes it before A003
    o.ok(ServiceFinished{2, {}});
    CHECK(o.serve(1) == "A003");
}

TEST_CASE("queue: call a specific ticket, recall, no-show, finish with the service performed") {
    Office1 o(queue_config());
    o.issue("a");
    o.issue("a");
    o.ok(CounterOpened{1});
    const std::string id2 = o.state.find_label("A002")->id;
    CHECK(o.apply(TicketCalled{1, id2}).applied);
    CHECK(o.state.find_label("A002")->status == TicketStatus::Called);
    o.ok(TicketRecalled{1});
    o.ok(TicketRecalled{1});
    CHECK(o.state.find_label("A002")->recalls == 2);
    o.ok(TicketNoShow{1});
    CHECK(o.state.find_label("A002")->status == TicketStatus::NoShow);
    CHECK(o.call(1) == "A001");
    o.ok(ServiceStarted{1});
    CHECK(o.state.find_label("A001")->status == TicketStatus::Serving);
    CHECK_FALSE(o.apply(TicketNoShow{1}).applied);  // it came: not a no-show
    o.ok(ServiceFinished{1, {}});
    CHECK(o.state.find_label("A001")->status == TicketStatus::Served);
    CHECK(o.state.find_counter(1)->current.empty());
}

TEST_CASE("queue: pause with a reason, resume, close") {
    Office1 o(queue_config());
    o.issue("a");
    o.ok(CounterOpened{1});
    CHECK_FALSE(o.apply(CounterPaused{1, ""}).applied);  // a reason is required
    o.ok(CounterPaused{1, "pausa caffè"});
    CHECK(o.state.find_counter(1)->status == CounterStatus::Paused);
    CHECK(o.state.find_counter(1)->pause_reason == "pausa caffè");
    auto r = o.apply(TicketCalled{1, {}});
    CHECK_FALSE(r.applied);
    CHECK(r.reason.find("paused") != std::string::npos);
    o.ok(CounterResumed{1});
    CHECK(o.call(1) == "A001");
    CHECK_FALSE(o.apply(CounterClosed{1}).applied);  // still has A001
    o.ok(ServiceFinished{1, {}});
    o.ok(CounterClosed{1});
    CHECK(o.state.find_counter(1)->status == CounterStatus::Closed);
}

TEST_CASE("queue: actions that do not apply say why and leave the state unchanged") {
    Office1 o(queue_config());
    o.issue("a");
    o.ok(CounterOpened{1});
    const auto hash = o.state.state_hash();
    struct Case {
        EventBody body;
        const char* says;
    };
    const std::vector<Case> cases{
        {ServiceFinished{1, {}}, "no ticket to finish"},
        {TicketCalled{3, {}}, "closed"},
        {TicketCalled{9, {}}, "unknown counter 9"},
        {TicketCalled{1, "t1:999"}, "unknown ticket"},
        {ServiceStarted{1}, "no called ticket"},
        {TicketRecalled{1}, "no called ticket"},
        {TicketNoShow{1}, "no called ticket"},
        {CounterOpened{1}, "already open"},
        {CounterResumed{1}, "not paused"},
        {TicketTransferred{1, "b", std::nullopt}, "no ticket to transfer"},
    };
    for (const auto& c : cases) {
        auto r = o.apply(c.body);
        CHECK_FALSE(r.applied);
        CHECK_MESSAGE(r.reason.find(c.says) != std::string::npos, r.reason);
        CHECK(o.state.state_hash() == hash);
    }
    CHECK(o.call(1) == "A001");
    const auto hash2 = o.state.state_hash();
    for (EventBody b : {EventBody{TicketTransferred{1, "nope", std::nullopt}}, EventBody{TicketTransferred{1, {}, 42}},
                        EventBody{TicketTransferred{1, {}, std::nullopt}}, EventBody{ServiceFinished{1, "no-such-service"}},
                        EventBody{TicketCalled{1, {}}}}) {
        auto r = o.apply(b);
        CHECK_FALSE(r.applied);
        CHECK(o.state.state_hash() == hash2);
    }
    auto r = o.apply(TicketTransferred{1, "nope", std::nullopt});
    CHECK(r.reason == "transfer to unknown sector \"nope\"");
    TicketIssued bad;
    bad.sector = "a";
    bad.priority = "vip";
    CHECK(o.apply(bad).reason == "unknown priority class \"vip\"");
}
