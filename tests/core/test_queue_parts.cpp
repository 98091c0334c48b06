// The queue part of the office (shared/queue/), alone: a ticket request judged against the
// configuration, and the queries the Office answers with, on an OfficeState (no Office, no store).
#include <doctest/doctest.h>

#include "shared/queue/issue_request.hpp"
#include "shared/queue/queue_queries.hpp"
#include "tests/core/queue_fixture.hpp"
#include "tests/core/test_support.hpp"

namespace csc::test::queue_parts {

TEST_CASE("ticket request: a valid request becomes its ticket.issued, in the office's first language by default") {
    const SiteConfig cfg = always_open_config();
    IssueRequest r;
    r.sector = "anagrafe";
    r.service = "certificati";
    r.channel = "assisted";
    r.booking = "K7Q2";
    r.walk_in = true;
    r.appointment_at = 1234;
    auto body = ticket_issued_of(r, cfg);
    REQUIRE_MESSAGE(body.ok(), (body.ok() ? "" : body.error().message));
    CHECK(body->sector == "anagrafe");
    CHECK(body->service == "certificati");
    CHECK(body->lang == cfg.languages.front());
    CHECK(body->channel == "assisted");
    CHECK(body->booking == "K7Q2");
    CHECK(body->walk_in);
    CHECK(body->appointment_at == Millis{1234});
    CHECK_FALSE(body->offline_number.has_value());
    r.lang = "en";
    CHECK(ticket_issued_of(r, cfg)->lang == "en");
}

TEST_CASE("ticket request: an unknown sector, service or priority, or a missing service, is an input error naming it") {
    const SiteConfig cfg = always_open_config();
    auto error_of = [&](IssueRequest r) {
        auto body = ticket_issued_of(r, cfg);
        REQUIRE_FALSE(body.ok());
        CHECK(body.error().code == "input");
        return body.error().message;
    };
    CHECK(error_of(issue_request("nowhere")) == "unknown sector \"nowhere\"");
    CHECK(error_of(issue_request("anagrafe", "passports")) == "unknown service \"passports\" in sector \"anagrafe\"");
    CHECK(error_of(issue_request("anagrafe")).find("has several services") != std::string::npos);
    IssueRequest p = issue_request("protocollo");
    p.priority = "vip";
    CHECK(error_of(p) == "unknown priority class \"vip\"");
    // An echoed name is cut: the message stays short enough to show.
    const std::string shown = error_of(issue_request(std::string(100, 'x')));
    CHECK(shown == "unknown sector \"" + std::string(60, 'x') + "…\"");
}

TEST_CASE("queue queries: a ticket is found by id or label; an unknown one is an input error, cut to 64 characters") {
    Office1 o(queue_config());
    const std::string label = o.issue("a");
    const std::string id = o.state.find_label(label)->id;
    CHECK(resolve_ticket(o.state, label).value() == id);
    CHECK(resolve_ticket(o.state, id).value() == id);
    auto unknown = resolve_ticket(o.state, "Z999");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == "input");
    CHECK(unknown.error().message == "unknown ticket \"Z999\"");
    CHECK(resolve_ticket(o.state, std::string(70, 'q')).error().message == "unknown ticket \"" + std::string(64, 'q') + "…\"");
}

TEST_CASE("queue queries: people ahead follow the queue's order, and the whole queue for a ticket not in it") {
    Office1 o(queue_config());
    o.issue("a");
    o.issue("b");
    o.issue("a");
    const std::string third = o.state.find_label(o.issue("a"))->id;
    CHECK(people_ahead(o.state, "a", third) == 2);
    CHECK(people_ahead(o.state, "b", third) == 1);
    CHECK(people_ahead(o.state, "c", third) == 0);
}

TEST_CASE("queue queries: a counter action's outcome is the counter after it and the ticket it named") {
    Office1 o(queue_config());
    o.issue("a");
    o.ok(CounterOpened{1});
    const std::string label = o.call(1);
    const std::string id = o.state.find_label(label)->id;
    const CounterOutcome out = counter_outcome(o.state, 1, id);
    CHECK(out.counter.number == 1);
    CHECK(out.counter.current == id);
    REQUIRE(out.ticket.has_value());
    CHECK(out.ticket->status == TicketStatus::Called);
    CHECK_FALSE(counter_outcome(o.state, 1, "").ticket.has_value());
    CHECK(counter_outcome(o.state, 9, "").counter.number == 0);  // unknown counter: a default one
}

TEST_CASE("queue queries: anything open until the day is closed; open counters counted per sector they serve") {
    Office1 o(queue_config());
    CHECK_FALSE(anything_open(o.state));
    o.issue("c");
    CHECK(anything_open(o.state));
    o.ok(CounterOpened{2});
    CHECK(open_counters_serving(o.state, o.config, "a") == 1);
    CHECK(open_counters_serving(o.state, o.config, "b") == 1);
    CHECK(open_counters_serving(o.state, o.config, "c") == 0);
    o.ok(CounterPaused{2, "break"});
    CHECK(open_counters_serving(o.state, o.config, "a") == 1);  // paused still serves
    o.ok(DayClosed{});
    CHECK_FALSE(anything_open(o.state));
    CHECK(open_counters_serving(o.state, o.config, "a") == 0);
}

}  // namespace csc::test::queue_parts
