// Printing a ticket at another device (issue 12: the Info Point asks, the entrance kiosk
// prints): print.requested, print.claimed, print.finished and ticket.reprinted — codec,
// refusals, the claim that makes a request print once, a failure that leaves it pending,
// the state hash, and the day's end.
#include <doctest/doctest.h>

#include "shared/events.hpp"
#include "shared/office_state.hpp"
#include "tests/core/queue_fixture.hpp"

using namespace csc;
using namespace csc::test;

namespace {

Event from(const std::string& device, std::int64_t seq, EventBody body, const std::string& by = {},
           Millis time = kMonday9 + 10 * kMin) {
    Event e;
    e.device = device;
    e.seq = seq;
    e.id = make_event_id(device, seq);
    e.time = time;
    e.by = by;
    e.body = std::move(body);
    return e;
}

}  // namespace

TEST_CASE("print events: codec round trip and strict decoding") {
    for (const EventBody& body : std::vector<EventBody>{PrintRequested{"t1:1", "entrance", false},
                                                        PrintRequested{"t1:1", "kiosk-2", true}, PrintClaimed{"ip:3"},
                                                        PrintFinished{"ip:3", true, ""},
                                                        PrintFinished{"ip:3", false, "paper end"}, TicketReprinted{"t1:1"}}) {
        const Event e = from("ip", 3, body, "Anna");
        CAPTURE(encode_event(e));
        CHECK(validate_event(e).ok());
        auto back = decode_event(encode_event(e));
        REQUIRE(back.ok());
        CHECK(*back == e);
    }
    CHECK(encode_event(from("ip", 1, PrintRequested{"t1:1", "entrance", false}, "Anna")).find("\"type\":\"print.requested\"") !=
          std::string::npos);
    // Where to print: "entrance" or a device name, nothing else; a request names its ticket.
    CHECK_FALSE(validate_event(from("ip", 1, PrintRequested{"t1:1", "Entrance Hall", false}, "Anna")).ok());
    CHECK_FALSE(validate_event(from("ip", 1, PrintRequested{"t1:1", "", false}, "Anna")).ok());
    CHECK_FALSE(validate_event(from("ip", 1, PrintRequested{"", "entrance", false}, "Anna")).ok());
    CHECK_FALSE(validate_event(from("ip", 1, PrintClaimed{""})).ok());
    CHECK_FALSE(decode_event(R"({"v":1,"id":"ip:1","device":"ip","seq":1,"time":1795425000000,"type":"print.finished",)"
                             R"("body":{"request":"ip:3","ok":"yes"}})")
                    .ok());
    CHECK_FALSE(decode_event(R"({"v":1,"id":"ip:1","device":"ip","seq":1,"time":1795425000000,"type":"print.requested",)"
                             R"("body":{"ticket":"t1:1","at":"entrance"}})")
                    .ok());  // "reprint" is required
}

TEST_CASE("a print request is claimed by one device, printed once, and never again") {
    Office1 o(queue_config());
    const std::string label = o.issue("a");
    const std::string ticket = o.state.tickets().back().id;
    CHECK(label == "A001");

    // Staff only, an open ticket of today only.
    auto nobody = o.state.apply(from("ip", 1, PrintRequested{ticket, "entrance", false}));
    CHECK_FALSE(nobody.applied);
    CHECK(nobody.code == "desk.no_staff");
    auto unknown = o.state.apply(from("ip", 2, PrintRequested{"t1:99", "entrance", false}, "Anna"));
    CHECK_FALSE(unknown.applied);
    CHECK(unknown.code == "print.unknown_ticket");
    CHECK(o.state.print_requests().empty());

    auto asked = o.state.apply(from("ip", 3, PrintRequested{ticket, "entrance", false}, "Anna"));
    REQUIRE(asked.applied);
    CHECK(asked.ticket_id == "ip:3");  // the request's id
    const PrintRequest* r = o.state.find_print_request("ip:3");
    REQUIRE(r);
    CHECK(r->ticket == ticket);
    CHECK(r->by == "Anna");
    CHECK(r->at == "entrance");
    CHECK(r->claimed_by.empty());
    CHECK_FALSE(r->done);

    // Two entrance kiosks see it: the first claim wins, the second is refused (it prints nothing).
    CHECK(o.state.apply(from("entrance-1", 1, PrintClaimed{"ip:3"})).applied);
    auto second = o.state.apply(from("entrance-2", 1, PrintClaimed{"ip:3"}));
    CHECK_FALSE(second.applied);
    CHECK(second.code == "print.claimed");
    // Only the claiming device reports.
    auto other_done = o.state.apply(from("entrance-2", 2, PrintFinished{"ip:3", true, ""}));
    CHECK_FALSE(other_done.applied);
    CHECK(other_done.code == "print.not_claimed");

    // The printer failed: the claim is given up, the request is pending with the reason.
    CHECK(o.state.apply(from("entrance-1", 2, PrintFinished{"ip:3", false, "paper end"})).applied);
    r = o.state.find_print_request("ip:3");
    CHECK(r->claimed_by.empty());
    CHECK_FALSE(r->done);
    CHECK(r->failures == 1);
    CHECK(r->error == "paper end");

    // Claimed again (the other kiosk, or the same after new paper) and printed: done for good.
    CHECK(o.state.apply(from("entrance-2", 3, PrintClaimed{"ip:3"})).applied);
    CHECK(o.state.apply(from("entrance-2", 4, PrintFinished{"ip:3", true, ""})).applied);
    r = o.state.find_print_request("ip:3");
    CHECK(r->done);
    CHECK(r->done_by == "entrance-2");
    CHECK(r->error.empty());
    const auto h = o.state.state_hash();
    auto again = o.state.apply(from("entrance-1", 3, PrintClaimed{"ip:3"}));
    CHECK_FALSE(again.applied);
    CHECK(again.code == "print.done");
    CHECK_FALSE(o.state.apply(from("entrance-1", 4, PrintFinished{"ip:3", true, ""})).applied);
    CHECK(o.state.state_hash() == h);  // refusals change nothing
}

TEST_CASE("one open print request per ticket; only the claiming device reports, never after it gave the job up") {
    Office1 o(queue_config());
    o.issue("a");
    const std::string ticket = o.state.tickets().back().id;
    REQUIRE(o.state.apply(from("ip", 1, PrintRequested{ticket, "entrance", false}, "Anna")).applied);
    // A second request (another staff member, or a reprint) while the first is open: refused.
    auto twice = o.state.apply(from("ip", 2, PrintRequested{ticket, "entrance", true}, "Bruno"));
    CHECK_FALSE(twice.applied);
    CHECK(twice.code == "print.pending");
    CHECK(twice.args == ErrorArgs{{"ticket", "A001"}});
    REQUIRE(o.state.apply(from("entrance-1", 1, PrintClaimed{"ip:1"})).applied);
    // A first try failed but the spooler retries: the reason is recorded, the claim stays.
    REQUIRE(o.state.apply(from("entrance-1", 10, PrintFinished{"ip:1", false, "cover open", true})).applied);
    CHECK(o.state.find_print_request("ip:1")->claimed_by == "entrance-1");
    CHECK(o.state.find_print_request("ip:1")->error == "cover open");
    CHECK(o.state.apply(from("entrance-2", 10, PrintClaimed{"ip:1"})).code == "print.claimed");
    // Its spooler gave the job up (cover open for the whole retry window): the claim is let go.
    REQUIRE(o.state.apply(from("entrance-1", 2, PrintFinished{"ip:1", false, "cover open"})).applied);
    auto late = o.state.apply(from("entrance-1", 3, PrintFinished{"ip:1", true, ""}));
    CHECK_FALSE(late.applied);
    CHECK(late.code == "print.not_claimed");
    CHECK_FALSE(o.state.find_print_request("ip:1")->done);
    // Another kiosk claims and prints it; then a reprint may be asked for.
    REQUIRE(o.state.apply(from("entrance-2", 1, PrintClaimed{"ip:1"})).applied);
    REQUIRE(o.state.apply(from("entrance-2", 2, PrintFinished{"ip:1", true, ""})).applied);
    REQUIRE(o.state.apply(from("ip", 3, PrintRequested{ticket, "entrance", true}, "Anna")).applied);
    CHECK(o.state.find_print_request("ip:3")->reprint);
}

TEST_CASE("print requests: only for open tickets, in the hash, the same on every device, gone the next day") {
    Office1 o(queue_config());
    o.issue("a");
    const std::string ticket = o.state.tickets().back().id;
    o.ok(CounterOpened{1});
    o.ok(TicketCalled{1, {}});
    o.ok(ServiceFinished{1, {}});
    auto served = o.state.apply(from("ip", 1, PrintRequested{ticket, "entrance", false}, "Anna"));
    CHECK_FALSE(served.applied);
    CHECK(served.code == "print.ticket_closed");

    o.issue("a");
    const std::string open = o.state.tickets().back().id;
    const auto h0 = o.state.state_hash();
    const std::vector<Event> log{from("ip", 2, PrintRequested{open, "entrance", false}, "Anna"),
                                 from("entrance-1", 1, PrintClaimed{"ip:2"}),
                                 from("entrance-2", 1, PrintClaimed{"ip:2"}),
                                 from("entrance-1", 2, PrintFinished{"ip:2", true, ""}),
                                 from("ip", 3, TicketReprinted{open}, "Anna")};
    OfficeState copy = o.state;
    for (const auto& e : log) (void)o.state.apply(e);
    for (const auto& e : log) (void)copy.apply(e);
    CHECK(o.state.state_hash() != h0);
    CHECK(copy.state_hash() == o.state.state_hash());

    // A reprint needs the staff member and a ticket of today.
    CHECK(o.state.apply(from("ip", 4, TicketReprinted{open}, "")).code == "desk.no_staff");
    CHECK(o.state.apply(from("ip", 5, TicketReprinted{"t1:77"}, "Anna")).code == "print.unknown_ticket");

    // The next day: no request of yesterday left, and none can be asked for yesterday's ticket.
    o.ev.now = kMonday9 + 24 * 60 * kMin;
    o.issue("b");
    CHECK(o.state.print_requests().empty());
    CHECK_FALSE(o.state.apply(from("ip", 6, PrintRequested{open, "entrance", false}, "Anna", o.ev.now)).applied);
}
