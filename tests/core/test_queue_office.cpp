// The Office API for the queue: opening hours, counter actions as Results, forecasts, history.
#include <doctest/doctest.h>

#include <filesystem>

#include "shared/office.hpp"
#include "shared/store_history.hpp"
#include "tests/core/queue_fixture.hpp"
#include "tests/core/test_support.hpp"

using namespace csc;
using namespace csc::test;

namespace {
}  // namespace

TEST_CASE("office: no tickets when closed, with when it opens") {
    const auto dir = csc::test::fresh_dir("queue", "closed");
    ManualClock clock(kMonday9 + 10 * 3600'000);  // Monday 19:00: closed
    auto office = Office::open(queue_config(), dir, clock, "k1");
    REQUIRE(office.ok());
    IssueRequest req;
    req.sector = "a";
    auto r = (*office)->issue(req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "office closed; opens tomorrow at 08:00");
    CHECK((*office)->store().event_count() == 0);
    clock.set(kMonday9 + 24 * 3600'000 + 3 * 3600'000 + 30 * kMin);  // Tuesday 12:30 (lunch break)
    r = (*office)->issue(req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "office closed; opens today at 14:00");
    clock.set(kMonday9 + 5 * 24 * 3600'000 + 12 * 3600'000);  // Saturday 21:00
    CHECK((*office)->issue(req).error().message == "office closed; opens tomorrow at 08:00");
    req.allow_when_closed = true;  // staff / tests
    CHECK((*office)->issue(req).ok());
    std::filesystem::remove_all(dir);
}

TEST_CASE("office: counter actions return readable errors and write nothing when they do not apply") {
    const auto dir = csc::test::fresh_dir("queue", "actions");
    ManualClock clock(kMonday9);
    auto opened = Office::open(queue_config(), dir, clock, "k1");
    REQUIRE(opened.ok());
    Office& office = **opened;
    IssueRequest req;
    req.sector = "a";
    auto t1 = office.issue(req);
    REQUIRE(t1.ok());
    CHECK(t1->ticket.label == "A001");
    REQUIRE(t1->forecast.has_value());
    CHECK(t1->forecast->after_closing == false);
    const auto events = office.store().event_count();

    auto r = office.call_next(1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "counter 1 is closed: open it first");
    CHECK(office.finish_service(1).error().message == "counter 1 has no ticket to finish");
    CHECK(office.open_counter(77).error().message == "unknown counter 77");
    CHECK(office.call_ticket(1, "Z999").error().message == "unknown ticket \"Z999\"");
    CHECK(office.store().event_count() == events);

    REQUIRE(office.open_counter(1).ok());
    auto called = office.call_next(1);
    REQUIRE(called.ok());
    REQUIRE(called->ticket);
    CHECK(called->ticket->label == "A001");
    CHECK(office.transfer(1, "nope", std::nullopt).error().message == "transfer to unknown sector \"nope\"");
    clock.advance(6 * kMin);
    REQUIRE(office.start_service(1).ok());
    clock.advance(9 * kMin);
    auto done = office.finish_service(1, "");
    REQUIRE(done.ok());
    CHECK(done->ticket->status == TicketStatus::Served);
    // The outcome is in the history the forecast learns from.
    auto hist = load_outcomes(office.store(), 0);
    REQUIRE(hist.ok());
    REQUIRE(hist->size() == 1);
    CHECK(hist->front().kind == TicketOutcome::Kind::Served);
    CHECK(hist->front().finished_at - hist->front().started_at == 9 * kMin);

    // Reopening the office replays today's events to the same state.
    std::uint64_t h1 = 0, h2 = 0;
    office.read([&](const OfficeState& s) { h1 = s.state_hash(); });
    opened->reset();
    auto again = Office::open(queue_config(), dir, clock, "k1");
    REQUIRE(again.ok());
    (*again)->read([&](const OfficeState& s) { h2 = s.state_hash(); });
    CHECK(h1 == h2);
    std::filesystem::remove_all(dir);
}

TEST_CASE("office: the sector outlook gives waiting counts and a forecast per sector; end of day") {
    const auto dir = csc::test::fresh_dir("queue", "outlook");
    ManualClock clock(kMonday9);
    auto opened = Office::open(queue_config(), dir, clock, "k1");
    REQUIRE(opened.ok());
    Office& office = **opened;
    REQUIRE(office.open_counter(1).ok());
    IssueRequest req;
    req.sector = "a";
    for (int i = 0; i < 6; ++i) REQUIRE(office.issue(req).ok());
    auto outlook = office.sector_outlook();
    REQUIRE(outlook.size() == 3);
    CHECK(outlook[0].sector == "a");
    CHECK(outlook[0].waiting == 6);
    CHECK(outlook[0].last_number == 6);
    CHECK(outlook[0].open_counters == 1);
    REQUIRE(outlook[0].forecast);
    // Six ahead at counter 1 and counter 2 (closed but planned: expected to open) with the
    // 8-minute prior: around 24 minutes.
    CHECK(outlook[0].forecast->median_min > 12);
    CHECK(outlook[0].forecast->median_min < 45);
    CHECK(outlook[0].forecast->low_min < outlook[0].forecast->median_min);
    CHECK(outlook[0].forecast->high_min > outlook[0].forecast->median_min);
    // Sector c has no open counter now, but is staffed all day: someone is expected to open it.
    REQUIRE(outlook[2].forecast);

    // Monday 17:30: 16 more people; a new ticket in a with 22 ahead (6 of them waiting since
    // 09:00, likely gone) will not start before 18:00.
    clock.set(kMonday9 + 8 * 3600'000 + 30 * kMin);
    for (int i = 0; i < 16; ++i) REQUIRE(office.issue(req).ok());
    auto late = office.issue(req);
    REQUIRE(late.ok());
    REQUIRE(late->forecast);
    INFO("median " << late->forecast->median_min << " low " << late->forecast->low_min << " high " << late->forecast->high_min);
    CHECK(late->forecast->after_closing);
    CHECK(late->people_ahead == 22);

    clock.set(kMonday9 + 9 * 3600'000 + 5 * kMin);  // 18:05
    auto closed = office.close_day_if_over();
    REQUIRE(closed.ok());
    CHECK(*closed);
    office.read([](const OfficeState& s) {
        for (const auto& t : s.tickets()) CHECK(t.status == TicketStatus::NotServed);
    });
    CHECK_FALSE(*office.close_day_if_over());
    std::filesystem::remove_all(dir);
}
