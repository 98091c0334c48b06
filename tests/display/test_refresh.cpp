// Several processes on one store (the single-machine office): two Office objects on one data
// directory stand for two programs. Each must see the other's events, and both must derive the
// same state, because both apply the events in the store's log order — their own included.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "../core/test_support.hpp"
#include "shared/office.hpp"
#include "shared/store_refresh.hpp"

using namespace csc;

namespace {

std::unique_ptr<Office> open_office(const test::TempDir& dir, const Clock& clock, const std::string& device) {
    auto office = Office::open(test::always_open_config(), dir.path(), clock, device);
    REQUIRE_MESSAGE(office.ok(), (office.ok() ? "" : office.error().message));
    return std::move(*office);
}

std::uint64_t hash_of(const Office& o) {
    std::uint64_t h = 0;
    o.read([&](const OfficeState& st) { h = st.state_hash(); });
    return h;
}

IssueRequest walk_in(const std::string& sector) {
    IssueRequest r;
    r.sector = sector;
    if (sector == "anagrafe") r.service = "certificati";
    return r;
}

}  // namespace

TEST_CASE("a process sees what another appended, after refresh()") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 10));
    auto entrance = open_office(dir, clock, "entrance-1");
    auto display = open_office(dir, clock, "display-1");
    REQUIRE(entrance->issue(walk_in("protocollo")).ok());
    int waiting = -1;
    display->read([&](const OfficeState& st) { waiting = st.waiting("protocollo"); });
    CHECK(waiting == 0);  // not yet: nothing polled
    const auto v = display->version();
    auto changed = display->refresh();
    REQUIRE(changed.ok());
    CHECK(*changed);
    CHECK(display->version() != v);
    display->read([&](const OfficeState& st) { waiting = st.waiting("protocollo"); });
    CHECK(waiting == 1);
    auto again = display->refresh();
    REQUIRE(again.ok());
    CHECK_FALSE(*again);  // nothing new: cheap no-op
    CHECK(hash_of(*display) == hash_of(*entrance));
}

TEST_CASE("two counters calling 'next' at once get different tickets, as the log orders them") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 10));
    auto a = open_office(dir, clock, "counter-1");
    auto b = open_office(dir, clock, "counter-2");
    REQUIRE(a->issue(walk_in("anagrafe")).ok());
    REQUIRE(a->issue(walk_in("anagrafe")).ok());
    // b has not refreshed: it does not know the tickets yet, and counter 1 is "its" counter
    // too (both serve the same office). Its action must first catch up, then apply in order.
    REQUIRE(a->open_counter(1).ok());
    auto call_a = a->call_next(1);
    REQUIRE(call_a.ok());
    REQUIRE(call_a->ticket);
    CHECK(call_a->ticket->label == "A001");
    // b, stale, recalls at counter 1: judged on the state that includes a's call.
    auto recall_b = b->recall(1);
    REQUIRE_MESSAGE(recall_b.ok(), (recall_b.ok() ? "" : recall_b.error().message));
    REQUIRE(recall_b->ticket);
    CHECK(recall_b->ticket->label == "A001");
    REQUIRE(a->refresh().ok());
    CHECK(hash_of(*a) == hash_of(*b));
}

TEST_CASE("interleaved actions from three processes leave every process in the same state") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 9));
    auto entrance = open_office(dir, clock, "entrance-1");
    auto c1 = open_office(dir, clock, "counter-1");
    auto display = open_office(dir, clock, "display-1");
    REQUIRE(c1->open_counter(1).ok());
    for (int i = 0; i < 30; ++i) {
        clock.advance(60'000);
        REQUIRE(entrance->issue(walk_in(i % 3 ? "anagrafe" : "protocollo")).ok());
        if (i % 2 == 0) {
            auto r = c1->call_next(1);
            REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
            REQUIRE(c1->start_service(1).ok());
            REQUIRE(c1->finish_service(1).ok());
        }
        if (i % 5 == 0) REQUIRE(display->refresh().ok());
    }
    REQUIRE(entrance->refresh().ok());
    REQUIRE(c1->refresh().ok());
    REQUIRE(display->refresh().ok());
    CHECK(hash_of(*entrance) == hash_of(*c1));
    CHECK(hash_of(*display) == hash_of(*c1));
    // A process opened now replays the same log to the same state.
    auto late = open_office(dir, clock, "late-1");
    CHECK(hash_of(*late) == hash_of(*c1));
}

TEST_CASE("the entrance's forecast learns from services the counter process finished") {
    // The single-machine office: the counter's program serves, the entrance's program prints
    // the forecasts. The entrance must learn today's service times from the counter's events
    // (as a program started now learns them from the stored history), not wait for a restart.
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 9));
    auto entrance = open_office(dir, clock, "entrance-1");
    auto counter = open_office(dir, clock, "counter-1");
    const auto forecast_of = [](const Office& o) {
        for (const auto& s : o.sector_outlook())
            if (s.sector == "anagrafe" && s.forecast) return s.forecast->median_min;
        return -1.0;
    };
    REQUIRE(counter->open_counter(1).ok());
    // Eight citizens, each served at once for 30 minutes (the prior for a new office is 8).
    for (int i = 0; i < 8; ++i) {
        REQUIRE(entrance->issue(walk_in("anagrafe")).ok());
        REQUIRE(counter->refresh().ok());
        REQUIRE(counter->call_next(1).ok());
        REQUIRE(counter->start_service(1).ok());
        clock.advance(30 * 60'000);
        REQUIRE(counter->finish_service(1).ok());
    }
    for (int i = 0; i < 4; ++i) REQUIRE(entrance->issue(walk_in("anagrafe")).ok());  // four waiting now
    REQUIRE(entrance->refresh().ok());
    auto fresh = open_office(dir, clock, "entrance-2");  // learns from the stored outcomes
    const double watched = forecast_of(*entrance), restarted = forecast_of(*fresh);
    INFO("entrance that watched the day: " << watched << " min; started now: " << restarted << " min");
    CHECK(restarted > 50.0);  // four ahead on one counter at ~30 minutes each (8 would give ~30)
    CHECK(watched == doctest::Approx(restarted).epsilon(0.1));
}

TEST_CASE("append_at_end refuses when the log moved on") {
    test::TempDir dir;
    auto store = Store::open(dir.path());
    REQUIRE(store.ok());
    Event e;
    e.device = "t";
    e.seq = 1;
    e.id = make_event_id("t", 1);
    e.time = 1;
    e.body = CounterOpened{1};
    auto p = append_at_end(**store, e, 5);  // the log is empty, not at 5
    REQUIRE(p.ok());
    CHECK(*p == 0);
    CHECK(last_event_position(**store) == 0);
    p = append_at_end(**store, e, 0);
    REQUIRE(p.ok());
    CHECK(*p == 1);
    CHECK(last_event_position(**store) == 1);
}

TEST_CASE("[display] configuration: defaults, values, and mistakes with file:line") {
    const std::string base = R"(
[office]
name = "CSC"
languages = ["it", "en"]
[hours]
monday = ["08:30-12:30"]
[[sector]]
id = "protocollo"
letter = "C"
colour = "#2C6E31"
name = "Protocollo"
[[counter]]
number = 1
sectors = ["protocollo"]
)";
    auto plain = parse_site_config(base, "office.toml");
    REQUIRE_MESSAGE(plain.ok(), (plain.ok() ? "" : plain.error().message));
    CHECK(plain->display.chime);
    CHECK(plain->display.voice);
    CHECK(plain->display.calls_shown == 6);
    CHECK(plain->display.ticker.get("it").empty());

    auto set = parse_site_config(base + R"(
[display]
chime = true
voice = false
calls_shown = 4
highlight_seconds = 5
ticker = { it = "Chiuso il 24", en = "Closed on the 24th" }
)",
                                 "office.toml");
    REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.error().message));
    CHECK(set->display.chime);  // muting the voice keeps the chime
    CHECK_FALSE(set->display.voice);
    CHECK(set->display.calls_shown == 4);
    CHECK(set->display.ticker.get("en") == "Closed on the 24th");

    auto typo = parse_site_config(base + "[display]\nvoce = false\n", "office.toml");
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.error().message.find("office.toml:") == 0);
    CHECK(typo.error().message.find("did you mean \"voice\"") != std::string::npos);
    auto range = parse_site_config(base + "[display]\ncalls_shown = 40\n", "office.toml");
    REQUIRE_FALSE(range.ok());
    CHECK(range.error().message.find("between 1 and 12") != std::string::npos);
}
