// The forecast on cases that can be computed by hand, and the learner's priors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "shared/forecast.hpp"
#include "shared/rng.hpp"
#include "tests/core/queue_fixture.hpp"

using namespace csc;
using namespace csc::test;

namespace {

constexpr Millis kNow = kMonday9;

// Fixed 10-minute services (sigma 0), no arrivals, nobody leaves.
ForecastParams fixed_params(int sectors = 1) {
    ForecastParams p;
    for (int i = 0; i < sectors; ++i) {
        SectorParams s;
        s.service_mean_min.fill(10.0);
        s.service_sigma = 0.0;
        p.sectors.push_back(s);
    }
    p.patience_mean_min = 1e12;
    return p;
}

// A walk-in of sector "a" served from `start` for `minutes`, called when the service started.
TicketOutcome served(Millis start, double minutes, int day) {
    TicketOutcome o;
    o.id = "t" + std::to_string(start);
    o.day = day;
    o.sector = "a";
    o.kind = TicketOutcome::Kind::Served;
    o.issued_at = start - 5 * kMin;
    o.called_at = start;
    o.started_at = start;
    o.finished_at = start + static_cast<Millis>(minutes * kMin);
    return o;
}

// A walk-in of `sector` called after waiting `waited_min` on day 20261109 + `day_index`: served
// (5 minutes) if it had waited no longer than `patience_min`, else gone (a no-show at the call).
TicketOutcome called_after(int n, int day_index, const std::string& sector, int waited_min, int patience_min) {
    TicketOutcome o;
    o.id = "p" + std::to_string(n);
    o.day = 20261109 + day_index;
    o.sector = sector;
    o.issued_at = kMonday9 - (14 - day_index) * 86'400'000 + waited_min * 1000;
    o.called_at = o.issued_at + waited_min * kMin;
    o.kind = waited_min > patience_min ? TicketOutcome::Kind::NoShow : TicketOutcome::Kind::Served;
    if (o.kind == TicketOutcome::Kind::Served) {
        o.started_at = o.called_at;
        o.finished_at = o.started_at + 5 * kMin;
    } else {
        o.finished_at = o.called_at + kMin;
    }
    return o;
}

// The same outcome, its ticket taken `hours` later in the day.
TicketOutcome later(TicketOutcome o, int hours) {
    const Millis d = static_cast<Millis>(hours) * 3'600'000;
    o.id += "h" + std::to_string(hours);
    o.issued_at += d;
    o.called_at += d;
    if (o.started_at) o.started_at += d;
    o.finished_at += d;
    return o;
}

QueueSnapshot office_with(int counters, int busy_for_min) {
    QueueSnapshot s;
    s.now = kNow;
    s.day_start = kNow - 9 * 3600'000;
    s.closes_at = kNow + 9 * 3600'000;
    s.arrivals_end = kNow;  // nobody else comes
    s.since = {1000};
    for (int i = 0; i < counters; ++i) {
        QueueSnapshot::Counter c;
        c.number = i + 1;
        c.sectors = {0};
        c.status = CounterStatus::Open;
        c.busy_since = kNow - busy_for_min * kMin;
        c.serving = true;
        c.staffed = {{kNow - 3600'000, s.closes_at}};
        c.serves_until_empty = true;
        s.counters.push_back(c);
    }
    return s;
}

QueueSnapshot::Item item(const std::string& id, Millis issued, bool priority = false) {
    QueueSnapshot::Item it;
    it.id = id;
    it.issued_at = issued;
    it.priority = priority;
    return it;
}

}  // namespace

TEST_CASE("forecast: one counter, fixed 10-minute services, two ahead: 30 minutes") {
    QueueSnapshot s = office_with(1, 0);
    s.waiting = {item("a", kNow - 5 * kMin), item("b", kNow - 4 * kMin), item("me", kNow)};
    const auto f = forecast_wait(s, 2, fixed_params(), 50, 1);
    CHECK(f.median_min == doctest::Approx(30.0));
    CHECK(f.low_min == doctest::Approx(30.0));
    CHECK(f.high_min == doctest::Approx(30.0));
    CHECK_FALSE(f.after_closing);
}

TEST_CASE("forecast: two counters, three ahead: the 4th is called when the second round ends") {
    QueueSnapshot s = office_with(2, 0);
    s.waiting = {item("a", kNow - 3 * kMin), item("b", kNow - 2 * kMin), item("c", kNow - kMin), item("me", kNow)};
    CHECK(forecast_wait(s, 3, fixed_params(), 50, 1).median_min == doctest::Approx(20.0));
}

TEST_CASE("forecast: the elapsed service of a busy counter counts") {
    QueueSnapshot s = office_with(1, 6);  // 6 of 10 minutes done
    s.waiting = {item("me", kNow)};
    CHECK(forecast_wait(s, 0, fixed_params(), 50, 1).median_min == doctest::Approx(4.0));
}

TEST_CASE("forecast: a called citizen who has not come is a no-show, not a full service (issue 16)") {
    QueueSnapshot s = office_with(1, 0);
    s.counters[0].serving = false;  // called 0.8 minutes ago, past the walk-up time: gone
    s.counters[0].busy_since = kNow - static_cast<Millis>(0.8 * kMin);
    s.counters[0].called_waited_min = 30;
    s.waiting = {item("me", kNow)};
    CHECK(forecast_wait(s, 0, fixed_params(), 50, 1).median_min == doctest::Approx(0.2).epsilon(0.01));
    // Called this instant, after a wait that nobody leaves: a full service.
    s.counters[0].busy_since = kNow;
    CHECK(forecast_wait(s, 0, fixed_params(), 50, 1).median_min == doctest::Approx(10.0));
}

TEST_CASE("forecast: a booked citizen past the slot without check-in is a no-show (no phantom arrival)") {
    QueueSnapshot s = office_with(1, 10);  // the counter frees now
    s.policy.mode = QueuePolicy::Mode::Strict;
    s.waiting = {item("me", kNow - kMin)};
    ForecastParams p = fixed_params();
    p.appointment_show_prob = 1.0;
    p.sectors[0].appointment_offsets_min = {-10, -8, -6, -4, -2};  // always checks in before the slot
    s.booked = {{0, kNow - 2 * kMin}};  // slot 2 minutes ago, not checked in
    CHECK(forecast_wait(s, 0, p, 50, 1).median_min == doctest::Approx(0.0));
    s.booked = {{0, kNow + 3 * kMin}};  // slot ahead: comes (offset -2) after the counter took "me"
    CHECK(forecast_wait(s, 0, p, 50, 1).median_min == doctest::Approx(0.0));
    s.counters[0].busy_since = kNow - 8 * kMin;  // frees in 2 minutes: the booked citizen (due) goes first
    CHECK(forecast_wait(s, 0, p, 50, 1).median_min == doctest::Approx(12.0));
}

TEST_CASE("forecast: a booked citizen comes by its service's own show rate and offsets, else by its sector's") {
    QueueSnapshot s = office_with(1, 8);  // the counter frees in 2 minutes
    s.policy.mode = QueuePolicy::Mode::Strict;
    s.waiting = {item("me", kNow - kMin)};
    ForecastParams p = fixed_params();
    p.sectors[0].appointment_show_prob = 1.0;
    p.sectors[0].appointment_offsets_min = {-2};  // the sector's: all come, 2 minutes early
    s.booked = {{0, kNow + 3 * kMin, 0}};         // slot in 3 minutes, booked for service 0
    // Service 0 without figures of its own: the sector's rule, so the booked citizen (due at
    // +1) goes first when the counter frees.
    CHECK(forecast_wait(s, 0, p, 50, 1).median_min == doctest::Approx(12.0));
    // Service 0's own: nobody comes.
    p.services = {ServiceParams{0.0, {}}};
    CHECK(forecast_wait(s, 0, p, 50, 1).median_min == doctest::Approx(2.0));
    // Its own offsets: all come, but 5 minutes after the slot (after "me" is taken).
    p.services = {ServiceParams{1.0, {5}}};
    CHECK(forecast_wait(s, 0, p, 50, 1).median_min == doctest::Approx(2.0));
    // A booking of another (unknown) service follows the sector.
    s.booked = {{0, kNow + 3 * kMin, 1}};
    CHECK(forecast_wait(s, 0, p, 50, 1).median_min == doctest::Approx(12.0));
}

TEST_CASE("forecast: a sector two counters away holds up the target's (sectors linked through counters' preferences)") {
    // Counter 1 prefers sector 1, then the target's sector 0; counter 2 prefers sector 2, then
    // sector 1. Two wait in sector 1, two in sector 2, then "me" in sector 0; 10-minute services,
    // both counters free now. Counter 2 is kept by sector 2, so counter 1 takes both of sector 1
    // (at 0 and 10) and "me" at 20. (Leaving sector 2 out, counter 2 would take one of sector 1
    // and "me" would be called at 10.)
    QueueSnapshot s = office_with(2, 10);
    s.since = {1000, 1000, 1000};
    s.counters[0].sectors = {1, 0};
    s.counters[1].sectors = {2, 1};
    s.waiting = {item("a1", kNow - 5 * kMin), item("a2", kNow - 4 * kMin), item("p1", kNow - 5 * kMin),
                 item("p2", kNow - 4 * kMin), item("me", kNow)};
    s.waiting[0].sector = s.waiting[1].sector = 1;
    s.waiting[2].sector = s.waiting[3].sector = 2;
    CHECK(forecast_wait(s, 4, fixed_params(3), 50, 1).median_min == doctest::Approx(20.0));
}

TEST_CASE("forecast: the patience of the hour a citizen took the ticket in decides whether they have left") {
    // One counter free in 10 minutes, "a" ahead since 08:55 (15 minutes waited by then).
    QueueSnapshot s = office_with(1, 0);
    s.waiting = {item("a", kNow - 5 * kMin), item("me", kNow)};
    ForecastParams p = fixed_params();
    p.patience_lognormal = true;
    p.patience_mean_min = 30;
    p.patience_sigma = 0.01;
    CHECK(forecast_wait(s, 1, p, 50, 1).median_min == doctest::Approx(20.0));  // "a" stays: served
    p.patience_hour_factor[9] = 0.2;  // the hour of "me", not of "a"
    CHECK(forecast_wait(s, 1, p, 50, 1).median_min == doctest::Approx(20.0));
    p.patience_hour_factor[8] = 0.2;  // "a"'s hour: 6 minutes' patience, gone by 10: a minute lost
    CHECK(forecast_wait(s, 1, p, 50, 1).median_min == doctest::Approx(11.0));
}

TEST_CASE("forecast: a priority citizen goes first under strict, not when it is the walk-ins' turn") {
    QueueSnapshot s = office_with(1, 0);
    s.waiting = {item("me", kNow - kMin), item("p", kNow, true)};
    s.policy.mode = QueuePolicy::Mode::Strict;
    CHECK(forecast_wait(s, 0, fixed_params(), 50, 1).median_min == doctest::Approx(20.0));
    s.policy.mode = QueuePolicy::Mode::Alternate;
    s.policy.walk_ins_per_priority = 1;
    s.since = {0};  // a priority ticket was just called: a walk-in's turn
    CHECK(forecast_wait(s, 0, fixed_params(), 50, 1).median_min == doctest::Approx(10.0));
}

TEST_CASE("forecast: a counter that is planned to close stops; closing time is flagged") {
    QueueSnapshot s = office_with(2, 0);
    s.counters[1].staffed = {{kNow - 3600'000, kNow + 5 * kMin}};  // leaves in 5 minutes
    s.counters[1].serves_until_empty = false;
    s.waiting = {item("a", kNow - 3 * kMin), item("b", kNow - 2 * kMin), item("me", kNow)};
    // Counter 2 ends its service at 10 but its window is over: counter 1 alone takes a, b, me.
    CHECK(forecast_wait(s, 2, fixed_params(), 50, 1).median_min == doctest::Approx(30.0));
    s.closes_at = kNow + 20 * kMin;
    CHECK(forecast_wait(s, 2, fixed_params(), 50, 1).after_closing);
}

TEST_CASE("forecast: people ahead who left cost a minute each when called") {
    QueueSnapshot s = office_with(1, 0);
    s.waiting = {item("a", kNow - 3 * kMin), item("b", kNow - 2 * kMin), item("me", kNow)};
    s.waiting[0].presence = Presence::Gone;
    CHECK(forecast_wait(s, 2, fixed_params(), 50, 1).median_min == doctest::Approx(21.0));
}

TEST_CASE("forecast: a sector's own patience decides who ahead has left, over the office's") {
    // One counter 10 minutes from free, two ahead who have waited 3 and 2 minutes.
    QueueSnapshot s = office_with(1, 0);
    s.waiting = {item("a", kNow - 3 * kMin), item("b", kNow - 2 * kMin), item("me", kNow)};
    ForecastParams p = fixed_params();
    // Nobody leaves (the office's patience, the sector has none of its own): 10 + 10 + 10.
    CHECK(forecast_wait(s, 2, p, 50, 1).median_min == doctest::Approx(30.0));
    // The sector's citizens give up after about a minute: both ahead have gone, a minute each.
    p.sectors[0].patience_mean_min = 1.0;
    p.sectors[0].patience_sigma = 0.05;
    CHECK(forecast_wait(s, 2, p, 50, 1).median_min == doctest::Approx(12.0));
    // An impatient office whose sector is patient: the sector's own patience counts.
    p.patience_lognormal = true;
    p.patience_mean_min = 1.0;
    p.patience_sigma = 0.05;
    p.sectors[0].patience_mean_min = 1e9;
    CHECK(forecast_wait(s, 2, p, 50, 1).median_min == doctest::Approx(30.0));
}

TEST_CASE("forecast: the doubt on a sector's patience is drawn once per path and widens the range") {
    // One counter 10 minutes from free with fixed 10-minute services; two ahead who have waited
    // 3 and 2 minutes; the sector's citizens leave after exactly 30 minutes of waiting.
    QueueSnapshot s = office_with(1, 0);
    s.waiting = {item("a", kNow - 3 * kMin), item("b", kNow - 2 * kMin), item("me", kNow)};
    ForecastParams p = fixed_params();
    p.sectors[0].patience_mean_min = 30.0;
    p.sectors[0].patience_sigma = 0.01;
    // Known for sure: both ahead are still there when called (after 13 and 22 minutes).
    auto f = forecast_wait(s, 2, p, 400, 1);
    CHECK(f.low_min == doctest::Approx(30.0));
    CHECK(f.median_min == doctest::Approx(30.0));
    // A log-sd of 0.7 on it: in about a third of the paths the sector's citizens give up before
    // 22 minutes (b gone: 21), in about a tenth before 13 (both gone: 12). The median stays.
    p.sectors[0].patience_uncertainty = 0.7;
    f = forecast_wait(s, 2, p, 400, 1);
    CHECK(f.low_min <= 21.0);
    CHECK(f.median_min == doctest::Approx(30.0));
}

TEST_CASE("forecast: the doubt on the office's patience median is one draw per path for every sector and widens the range") {
    // As above, but the doubt is the office's: one counter for two sectors, a (sector 1) and b
    // (sector 0) ahead, both sectors' citizens leave after exactly 30 minutes.
    QueueSnapshot s = office_with(1, 0);
    s.waiting = {item("a", kNow - 3 * kMin), item("b", kNow - 2 * kMin), item("me", kNow)};
    s.waiting[0].sector = 1;
    s.counters[0].sectors = {1, 0};
    s.since = {1000, 1000};
    ForecastParams p = fixed_params();
    p.sectors.push_back(p.sectors[0]);
    p.patience_lognormal = true;
    p.patience_mean_min = 30.0;
    p.patience_sigma = 0.01;
    auto f = forecast_wait(s, 2, p, 400, 1);
    CHECK(f.low_min == doctest::Approx(30.0));
    CHECK(f.median_min == doctest::Approx(30.0));
    // A log-sd of 0.7 on the office's median: in about a tenth of the paths the citizens of
    // both sectors give up before 13 minutes (a and b gone: 12), in about a third before 22
    // (b gone: 21). The median stays. Drawn for each sector apart, both would be gone in only
    // ~1% of the paths and the low end would be 21.
    p.patience_uncertainty = 0.7;
    f = forecast_wait(s, 2, p, 400, 1);
    CHECK(f.low_min <= 12.0);
    CHECK(f.median_min == doctest::Approx(30.0));
}

TEST_CASE("forecast: the doubt on today's arrival pace, a sector's or the office's, widens the range") {
    // One counter, free in 10 minutes, that serves sectors 1 and 2 before "me" (sector 0);
    // 10-minute services; sectors 1 and 2 each expect 2 walk-ins an hour for the next two hours.
    QueueSnapshot s = office_with(1, 0);
    s.since = {1000, 1000, 1000};
    s.counters[0].sectors = {1, 2, 0};
    s.arrivals_end = kNow + 2 * 3600'000;
    s.waiting = {item("me", kNow)};
    ForecastParams p = fixed_params(3);
    for (int k : {1, 2}) p.sectors[static_cast<std::size_t>(k)].arrivals_per_hour.fill(2.0);
    const auto known = forecast_wait(s, 0, p, 960, 1);
    // A log-sd of 1 on each sector's pace (mean kept): some paths bring many more.
    ForecastParams sector = p;
    for (int k : {1, 2}) sector.sectors[static_cast<std::size_t>(k)].arrival_uncertainty = 1.0;
    const auto by_sector = forecast_wait(s, 0, sector, 960, 1);
    // The same doubt on the office's pace: one draw for both sectors, so a busy path is busy in
    // both, and the high end is higher still.
    ForecastParams office = p;
    office.arrival_uncertainty = 1.0;
    const auto by_office = forecast_wait(s, 0, office, 960, 1);
    INFO("high end: known " << known.high_min << ", sector doubt " << by_sector.high_min << ", office doubt " << by_office.high_min);
    CHECK(known.low_min == doctest::Approx(10.0));
    CHECK(by_sector.high_min > known.high_min + 5);
    CHECK(by_office.high_min > by_sector.high_min + 5);
    // No arrivals expected: no doubt to draw on.
    ForecastParams none = fixed_params(3);
    none.arrival_uncertainty = 1.0;
    CHECK(forecast_wait(s, 0, none, 200, 1).median_min == doctest::Approx(10.0));
}

TEST_CASE("forecast: exponential-like spread gives a range around the median") {
    QueueSnapshot s = office_with(1, 0);
    for (int i = 0; i < 5; ++i) s.waiting.push_back(item("x" + std::to_string(i), kNow - (10 - i) * kMin));
    s.waiting.push_back(item("me", kNow));
    auto p = fixed_params();
    p.sectors[0].service_sigma = 0.6;
    const auto f = forecast_wait(s, 5, p, 400, 3);
    // The busy counter's current service plus 5 more: about 60 minutes in the middle.
    CHECK(f.median_min > 45);
    CHECK(f.median_min < 70);
    CHECK(f.low_min < f.median_min - 5);
    CHECK(f.high_min > f.median_min + 5);
    // Same seed, same forecast.
    const auto g = forecast_wait(s, 5, p, 400, 3);
    CHECK(g.median_min == f.median_min);
}

TEST_CASE("forecast: a short queue's forecast runs every path asked for, a long queue's stops at the work budget") {
    auto p = fixed_params();
    p.sectors[0].service_sigma = 0.6;
    // Two ahead of two busy counters: a few counter decisions per path, so all 960 run.
    QueueSnapshot shorter = office_with(2, 3);
    shorter.waiting = {item("a", kNow - 4 * kMin), item("b", kNow - 2 * kMin), item("me", kNow)};
    const auto few = forecast_wait(shorter, 2, p, 960, 7);
    CHECK(few.paths == 960);
    CHECK(forecast_wait(shorter, 2, p, 240, 7).paths == 240);
    // 500 ahead of 1-minute services: each path takes 500 decisions or more (inside the
    // 10-hour horizon), so after the 80 paths always run the budget (30,000 decisions) is
    // spent, and asking for more paths changes nothing.
    p.sectors[0].service_mean_min.fill(1.0);
    QueueSnapshot longer = office_with(2, 3);
    for (int i = 0; i < 500; ++i) longer.waiting.push_back(item("x" + std::to_string(i), kNow - (600 - i) * kMin));
    longer.waiting.push_back(item("me", kNow));
    const auto many = forecast_wait(longer, 500, p, 960, 7);
    CHECK(many.paths == 80);
    const auto asked_fewer = forecast_wait(longer, 500, p, 240, 7);
    CHECK(asked_fewer.paths == 80);
    CHECK(asked_fewer.median_min == many.median_min);
    CHECK(asked_fewer.high_min == many.high_min);
    // 60 ahead: ~60 decisions a path, so 240 paths cost 14,400 (over the 10,000 that more paths
    // may cost, under the 30,000 of the first 240): 240 paths, whatever is asked above them.
    QueueSnapshot middle = office_with(2, 3);
    for (int i = 0; i < 60; ++i) middle.waiting.push_back(item("x" + std::to_string(i), kNow - (100 - i) * kMin));
    middle.waiting.push_back(item("me", kNow));
    CHECK(forecast_wait(middle, 60, p, 960, 7).paths == 240);
}

TEST_CASE("forecast: from the live state of the state machine") {
    Office1 o(queue_config());
    o.ok(CounterOpened{4});
    o.issue("c");
    QueueSnapshot s = snapshot_of(o.state, o.ev.now);
    const int target = find_target(s, o.config, QueueTarget{o.state.find_label("C001")->id, {}, {}});
    REQUIRE(target >= 0);
    ForecastLearner learner(o.config);
    const auto f = forecast_wait(s, target, learner.params(20261123, 9 * 60), 100, 1);
    CHECK(f.median_min == doctest::Approx(0.0));  // an idle open counter calls it at once
    QueueSnapshot s2 = snapshot_of(o.state, o.ev.now);
    CHECK(find_target(s2, o.config, QueueTarget{{}, "nope", {}}) == -1);
    CHECK(find_target(s2, o.config, QueueTarget{"t1:999", {}, {}}) == -1);
}

TEST_CASE("forecast learner: priors for a new office, then this office's own service times") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    auto p = learner.params(20261123, 600);
    REQUIRE(p.sectors.size() == 3);
    CHECK(p.sectors[0].service_mean_min[10] == doctest::Approx(8.0));
    for (int i = 0; i < 200; ++i) learner.observe(served(kMonday9 - 7 * 86'400'000 + i * kMin, 12, 20261116));
    p = learner.params(20261123, 600);
    CHECK(p.sectors[0].service_mean_min[9] == doctest::Approx(12.0).epsilon(0.05));
    CHECK(p.sectors[1].service_mean_min[9] == doctest::Approx(8.0));  // no data: the prior
    CHECK(p.sectors[0].service_sigma < 0.3);                          // all alike
}

TEST_CASE("forecast learner: a new office starts from the site's expected service minutes and walk-ins, until its history outweighs them") {
    std::string text = queue_config_text();
    const std::string a = "letter = \"A\"";
    text.replace(text.find(a), a.size(), a + "\nexpected_service_minutes = 12\nexpected_walk_ins_per_day = 50");
    auto cfg = parse_site_config(text, "office.toml");
    REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error().message));
    ForecastLearner learner(*cfg);
    auto p = learner.params(20261123, 600);  // a Monday, open 08:00-18:00
    CHECK(p.sectors[0].service_mean_min[10] == doctest::Approx(12.0));
    CHECK(p.sectors[1].service_mean_min[10] == doctest::Approx(8.0));  // not configured: the generic prior
    CHECK(p.sectors[0].arrivals_per_hour[11] == doctest::Approx(5.0));  // 50 over 10 open hours
    CHECK(p.sectors[1].arrivals_per_hour[11] == doctest::Approx(6.0));
    // Tuesday is open 8 hours: the same 50 a day is 6.25 an hour.
    CHECK(learner.params(20261124, 600).sectors[0].arrivals_per_hour[11] == doctest::Approx(6.25));
    // Then 200 services of 6 minutes: the office's own history, with the prior worth 5 of them.
    for (int i = 0; i < 200; ++i) learner.observe(served(kMonday9 - 7 * 86'400'000 + i * kMin, 6, 20261116));
    p = learner.params(20261123, 600);
    CHECK(p.sectors[0].service_mean_min[10] == doctest::Approx((200 * 6.0 + 5 * 12.0) / 205).epsilon(0.05));
}

TEST_CASE("forecast learner: today's speed factor, a hand-computable case") {
    // Prior log-sd 0.1 (precision 100); 25 services with σ = 0.5 (precision 4 each, 100 in all),
    // each ln 1.2 slower than expected: log factor = 100·ln 1.2 / (100 + 100) → √1.2.
    const auto d = ForecastLearner::day_speed(100 * std::log(1.2), 100, 0.1);
    CHECK(d.factor == doctest::Approx(std::sqrt(1.2)));
    CHECK(d.log_sd == doctest::Approx(std::sqrt(1.0 / 200)));
    // No services yet: factor 1, the prior's spread.
    CHECK(ForecastLearner::day_speed(0, 0, 0.1).factor == doctest::Approx(1.0));
    CHECK(ForecastLearner::day_speed(0, 0, 0.1).log_sd == doctest::Approx(0.1));
    // Arrivals: 30 seen where 20 were expected, prior variance 0.1 (worth 10): 40/30.
    CHECK(ForecastLearner::arrival_pace(30, 20, 0.1) == doctest::Approx(40.0 / 30.0));
    CHECK(ForecastLearner::arrival_pace(0, 0, 0.1) == doctest::Approx(1.0));
}

TEST_CASE("forecast learner: alike past days shrink the day factors; a slow morning slows today's forecast") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    Rng rng(5);
    constexpr Millis kDay = 86'400'000;
    const Millis today9 = kMonday9 + 14 * kDay;  // two weeks of history first
    auto serve = [&](Millis start, double minutes, int day) { learner.observe(served(start, minutes, day)); };
    auto key = [&](Millis t) { return cfg.timezone.to_local(t).date.key(); };
    for (int d = 0; d < 14; ++d) {
        const Millis day9 = kMonday9 + d * kDay;
        for (int i = 0; i < 40; ++i) serve(day9 + i * 6 * kMin, rng.lognormal_mean(10.0, 0.4), key(day9));
    }
    const int today = key(today9);
    // Days that only differ by sampling noise: the between-day variance falls below the prior's.
    CHECK(learner.day_speed_variance(today) < 0.08 * 0.08);
    auto p = learner.params(today, 9 * 60);
    const double before = p.sectors[0].service_mean_min[9];
    CHECK(before == doctest::Approx(10.0).epsilon(0.08));
    // Today, 20 services 30% slower than usual: today's mean rises, but less than 30% (shrunk).
    for (int i = 0; i < 20; ++i) serve(today9 + i * 6 * kMin, 13.0, today);
    p = learner.params(today, 11 * 60);
    const double after = p.sectors[0].service_mean_min[9];
    CHECK(after > before * 1.05);
    CHECK(after < before * 1.3);
    CHECK(p.sectors[0].speed_uncertainty < std::sqrt(learner.day_speed_variance(today)));
}

TEST_CASE("forecast learner: patience fitted to who was still there when called (current-status data)") {
    using P = ForecastLearner;
    std::array<double, P::kPatienceBins> seen{}, gone{};
    // No data: the prior, a lognormal with mean 90 minutes and log-sd 0.5.
    auto fit = P::fit_patience(seen, gone);
    CHECK(std::exp(fit.mu + 0.5 * fit.sigma * fit.sigma) == doctest::Approx(90.0).epsilon(0.03));
    CHECK(fit.sigma == doctest::Approx(0.5).epsilon(0.03));
    // 200 calls at every minute of wait up to 2 hours, the share gone exactly F(w) of a
    // lognormal with log-mean ln 50 and log-sd 0.4: the fit finds it (the prior's 3.6
    // pseudo-observations against 24,000 real ones move it by well under 1%).
    const double mu = std::log(50.0), sigma = 0.4;
    for (std::size_t i = 0; i < 120; ++i) {
        seen[i] = 200;
        gone[i] = 200 * normal_cdf((std::log(static_cast<double>(i) + 0.5) - mu) / sigma);
    }
    fit = P::fit_patience(seen, gone);
    CHECK(fit.mu == doctest::Approx(mu).epsilon(0.01));
    CHECK(fit.sigma == doctest::Approx(sigma).epsilon(0.02));
    // Nobody ever left in 24,000 calls up to 2 hours: patience is long, the fit stays finite.
    gone.fill(0);
    fit = P::fit_patience(seen, gone);
    CHECK(std::isfinite(fit.mu));
    CHECK(std::exp(fit.mu) > 120.0);
    CHECK(fit.sigma >= 0.1);
    CHECK(fit.sigma <= 3.0);
}

TEST_CASE("forecast learner: no-shows at the call teach the patience the forecast uses") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    // Two weeks of calls: whoever waited more than 30 minutes had gone when called.
    int n = 0;
    for (int d = 0; d < 14; ++d)
        for (int w = 1; w <= 60; ++w) learner.observe(called_after(n++, d, "a", w, 30));
    const auto p = learner.params(20261123, 600);
    CHECK(p.patience_lognormal);
    // The median patience is 30 minutes and the spread small (a sharp step at 30).
    CHECK(std::exp(std::log(p.patience_mean_min) - 0.5 * p.patience_sigma * p.patience_sigma) == doctest::Approx(30.0).epsilon(0.05));
    CHECK(p.patience_sigma < 0.2);
}

TEST_CASE("forecast learner: the hour a ticket was taken in gets its own patience factor, shrunk to the office's") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    // Two weeks of calls in sector a: tickets taken at 09:xx were gone when called after 60
    // minutes, those taken at 12:xx after 15; one of each at every minute of wait up to 90.
    int n = 0;
    for (int d = 0; d < 14; ++d)
        for (int w = 1; w <= 90; ++w) {
            learner.observe(called_after(n++, d, "a", w, 60));
            learner.observe(later(called_after(n++, d, "a", w, 15), 3));
        }
    const auto p = learner.params(20261123, 600);
    const auto& f = p.patience_hour_factor;
    INFO("factor at 9: " << f[9] << ", at 12: " << f[12]);
    // 1,260 calls an hour outweigh the prior (5.4 pseudo-citizens): the ratio is 15 / 60.
    CHECK(f[12] / f[9] == doctest::Approx(0.25).epsilon(0.15));
    CHECK(f[9] > 1.2);   // above the office's (both hours together)
    CHECK(f[12] < 0.8);  // below it
    // An hour with no calls keeps the office's patience.
    CHECK(f[16] == doctest::Approx(1.0).epsilon(0.02));
}

TEST_CASE("forecast learner: when the hours differ in patience, a citizen's patience spreads around their hour's median, not the hours' mixture") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    // Two weeks of calls in sector a: tickets taken at 09:xx give up after a median 60 minutes,
    // those at 12:xx after 15, each hour's citizens with a log-sd of 0.4; one of each at every
    // minute of wait up to 90.
    Rng rng(13);
    int n = 0;
    for (int d = 0; d < 14; ++d)
        for (int w = 1; w <= 90; ++w) {
            const int p9 = static_cast<int>(std::exp(std::log(60.0) + 0.4 * rng.normal()));
            const int p12 = static_cast<int>(std::exp(std::log(15.0) + 0.4 * rng.normal()));
            learner.observe(called_after(n++, d, "a", w, p9));
            learner.observe(later(called_after(n++, d, "a", w, p12), 3));
        }
    const auto p = learner.params(20261123, 600);
    const SectorParams& a = p.sectors[0];
    const double median = std::exp(std::log(a.patience_mean_min) - 0.5 * a.patience_sigma * a.patience_sigma);
    const auto& f = p.patience_hour_factor;
    INFO("log-sd: sector a " << a.patience_sigma << ", the office's (both hours together) " << p.patience_sigma
                             << "; medians at 9: " << median * f[9] << ", at 12: " << median * f[12]);
    // The office's own fit mixes a 60-minute and a 15-minute hour: far wider than either.
    CHECK(p.patience_sigma > 0.7);
    // The forecast spreads each citizen around their hour's median by their own 0.4.
    CHECK(a.patience_sigma == doctest::Approx(0.4).epsilon(0.2));
    CHECK(median * f[9] == doctest::Approx(60.0).epsilon(0.2));
    CHECK(median * f[12] == doctest::Approx(15.0).epsilon(0.2));
}

TEST_CASE("forecast learner: hours whose citizens are equally patient keep a factor of 1 (the hours' noise is shrunk away)") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    // Two weeks of calls at 09:xx, 12:xx and 15:xx with the same patience (30 minutes), a
    // few tickets each: the fitted hour medians differ by noise only.
    Rng rng(7);
    int n = 0;
    for (int d = 0; d < 14; ++d)
        for (int hour : {0, 3, 6})
            for (int k = 0; k < 6; ++k) {
                const int w = 1 + static_cast<int>(rng.uniform() * 60);
                const int patience = static_cast<int>(rng.lognormal_mean(30, 0.4));
                learner.observe(later(called_after(n++, d, "a", w, patience), hour));
            }
    const auto f = learner.params(20261123, 600).patience_hour_factor;
    INFO("factors at 9, 12, 15: " << f[9] << ", " << f[12] << ", " << f[15]);
    // (Unshrunk, the same data give 0.995, 0.952, 1.052.)
    for (int h : {9, 12, 15}) CHECK(f[static_cast<std::size_t>(h)] == doctest::Approx(1.0).epsilon(0.02));
}

TEST_CASE("forecast learner: an hour whose citizens are mostly of an impatient sector is not an impatient hour") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    // Two weeks of calls: sector a's citizens give up after ~15 minutes, b's after ~60, at any
    // hour; but four of five tickets taken at 09:xx are a's, and four of five at 12:xx are b's.
    Rng rng(11);
    int n = 0;
    for (int d = 0; d < 14; ++d)
        for (int w = 1; w <= 60; ++w) {
            const int pa = static_cast<int>(rng.lognormal_mean(15, 0.4)), pb = static_cast<int>(rng.lognormal_mean(60, 0.4));
            const bool usual = w % 5 != 0;
            learner.observe(usual ? called_after(n++, d, "a", w, pa) : called_after(n++, d, "b", w, pb));
            learner.observe(later(usual ? called_after(n++, d, "b", w, pb) : called_after(n++, d, "a", w, pa), 3));
        }
    const auto p = learner.params(20261123, 600);
    const auto& f = p.patience_hour_factor;
    INFO("factor at 9: " << f[9] << ", at 12: " << f[12] << "; means a " << p.sectors[0].patience_mean_min << ", b " << p.sectors[1].patience_mean_min);
    // The sectors tell their citizens apart; the hours, measured against them, do not differ.
    // (Fitted on the raw waits, the hours take the sectors' mix: 0.60 at 9, 1.71 at 12.)
    CHECK(p.sectors[1].patience_mean_min > 2.5 * p.sectors[0].patience_mean_min);
    CHECK(f[9] == doctest::Approx(1.0).epsilon(0.15));
    CHECK(f[12] == doctest::Approx(1.0).epsilon(0.15));
}

TEST_CASE("forecast learner: each bookable service learns its own show rate and offsets, shrunk to its sector's") {
    SiteConfig cfg = queue_config();
    for (const char* id : {"carta-identita", "cambio-residenza", "unused"}) {
        BookableService b;
        b.id = id;
        b.sector = "a";
        cfg.booking.services.push_back(b);
    }
    ForecastLearner learner(cfg);
    // 100 bookings each: ID cards, 95 came 6 minutes early; residence changes, 60 came 8
    // minutes late; one booking names a service of another sector (the sector's only).
    for (int i = 0; i < 100; ++i) {
        const Millis slot = kNow + i * 10 * kMin;
        learner.observe_booking("a", slot, i < 95 ? std::optional<Millis>(slot - 6 * kMin) : std::nullopt, "carta-identita");
        learner.observe_booking("a", slot, i < 60 ? std::optional<Millis>(slot + 8 * kMin) : std::nullopt, "cambio-residenza");
    }
    learner.observe_booking("b", kNow, std::nullopt, "carta-identita");
    const auto p = learner.params(20261123, 600);
    REQUIRE(p.services.size() == 3);
    const double sector = p.sectors[0].appointment_show_prob;  // (155 + 0.85 × 20) / 220
    CHECK(sector == doctest::Approx(172.0 / 220.0));
    // Each service's own rate with the sector's worth 10 bookings: (95 + 10·s) / 110, (60 + 10·s) / 110.
    CHECK(p.services[0].appointment_show_prob == doctest::Approx((95 + 10 * sector) / 110));
    CHECK(p.services[1].appointment_show_prob == doctest::Approx((60 + 10 * sector) / 110));
    // Offsets: the sector's 10 quantiles, then the service's own (so most are its own).
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    CHECK(p.services[0].appointment_offsets_min.size() == 10 + 95);
    CHECK(median(p.services[0].appointment_offsets_min) == doctest::Approx(-6.0));
    CHECK(median(p.services[1].appointment_offsets_min) == doctest::Approx(8.0));
    // A service with no bookings has nothing of its own: the forecast takes its sector's.
    CHECK(p.services[2].appointment_show_prob < 0);
    CHECK(p.services[2].appointment_offsets_min.empty());
    // Sector b saw its one booking (a no-show) as its own.
    CHECK(p.sectors[1].appointment_show_prob == doctest::Approx(17.0 / 21.0));
}

TEST_CASE("forecast learner: a booking whose check-in has closed teaches the show rate and offsets the same day, counted once") {
    SiteConfig cfg = queue_config();
    BookableService svc;
    svc.id = "carta-identita";
    svc.sector = "a";
    cfg.booking.services.push_back(svc);
    cfg.booking.checkin_late_minutes = 15;
    const int today = cfg.timezone.day_key(kNow);
    // Ten bookings from 09:00, one every 10 minutes. Those at 09:00–09:20 checked in 8 minutes
    // late; those at 09:30–09:50 never came; those at 10:00–10:30 are still to come.
    std::vector<Booking> list;
    for (int i = 0; i < 10; ++i) {
        Booking b;
        b.code = "B" + std::to_string(i);
        b.service = "carta-identita";
        b.sector = "a";
        b.slot = kNow + i * 10 * kMin;
        if (i < 3) {
            b.status = BookingStatus::CheckedIn;
            b.history.push_back({b.slot + 8 * kMin, "checked-in", {}});
        }
        list.push_back(b);
    }
    Agenda agenda = Agenda::restore(today, list, {}, {});
    ForecastLearner learner(cfg);
    const auto sector_show = [&] { return learner.params(today, 600).sectors[0].appointment_show_prob; };
    const double prior = sector_show();  // 0.85, no booking seen
    // At 10:00 the check-in of the slots up to 09:40 has closed (09:50's closes at 10:05): five
    // settle, three came and two did not.
    learner.observe_settled_bookings(agenda, kNow + 60 * kMin);
    CHECK(sector_show() == doctest::Approx((3 + 20 * prior) / (5 + 20)));
    const auto offsets = learner.params(today, 600).sectors[0].appointment_offsets_min;
    CHECK(std::count(offsets.begin(), offsets.end(), 8.0) == 3);  // the late ones are known already
    // Again at the same time: nothing new.
    learner.observe_settled_bookings(agenda, kNow + 60 * kMin);
    CHECK(sector_show() == doctest::Approx((3 + 20 * prior) / (5 + 20)));
    // 10:30's booking came; the day ends and the agenda rolls (the rest are no-shows): the
    // end-of-day pass adds only the five not settled yet.
    agenda.checked_in("B9", "t9", kNow + 88 * kMin);
    agenda.roll_to(today + 1, cfg);
    for (const Booking* b : agenda.on_day(today, cfg)) learner.observe_booking(*b);
    CHECK(sector_show() == doctest::Approx((4 + 20 * prior) / (10 + 20)));
    CHECK(learner.params(today + 1, 600).services[0].appointment_offsets_min.size() == 10 + 4);
}

TEST_CASE("forecast learner: the walk-up from call to service start is learned from served citizens, recalls left out") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    CHECK(learner.params(20261123, 600).walk_up_min == doctest::Approx(0.5));  // the prior
    // 200 served citizens of a big hall: 1 to 3 minutes from the call to the counter (evenly);
    // and 20 recalled after 25 minutes, which are not walks.
    for (int i = 0; i < 220; ++i) {
        TicketOutcome o = served(kNow + i * 10 * kMin, 5, 20261116);
        o.called_at = o.started_at - (i < 200 ? kMin + (i % 21) * 6'000 : 25 * kMin);
        learner.observe(o);
    }
    // Its 90th percentile, 2.8 minutes, worth 200 against the prior's 20 at 0.5.
    CHECK(learner.params(20261123, 600).walk_up_min == doctest::Approx((200 * 2.8 + 20 * 0.5) / 220).epsilon(0.01));
    // A counter that starts every service at the call: down to the floor, not to 0.
    ForecastLearner at_once(cfg);
    for (int i = 0; i < 200; ++i) at_once.observe(served(kNow + i * 10 * kMin, 5, 20261116));
    CHECK(at_once.params(20261123, 600).walk_up_min == doctest::Approx(0.1));
}

TEST_CASE("forecast learner: each sector learns its own patience median, with one spread for all sectors") {
    const SiteConfig cfg = queue_config();
    REQUIRE(cfg.sectors.size() == 3);
    ForecastLearner learner(cfg);
    // Two weeks of calls: sector a's citizens' patience has a median of 15 minutes, sector
    // b's of 60, both lognormal with log-sd 0.4; a ticket of each sector at every minute of
    // wait up to 90.
    Rng rng(11);
    int n = 0;
    for (int d = 0; d < 14; ++d)
        for (const auto& [sector, median] : {std::pair{"a", 15.0}, std::pair{"b", 60.0}})
            for (int w = 1; w <= 90; ++w) {
                const int patience = static_cast<int>(std::lround(median * std::exp(0.4 * rng.normal())));
                learner.observe(called_after(n++, d, sector, w, patience));
            }
    const auto p = learner.params(20261123, 600);
    const auto median = [](double mean, double sigma) { return std::exp(std::log(mean) - 0.5 * sigma * sigma); };
    const double a = median(p.sectors[0].patience_mean_min, p.sectors[0].patience_sigma);
    const double b = median(p.sectors[1].patience_mean_min, p.sectors[1].patience_sigma);
    const double office = median(p.patience_mean_min, p.patience_sigma);
    INFO("medians a " << a << ", b " << b << ", office " << office);
    // 1,260 calls a sector outweigh the office's prior and the shrink: each finds its own median.
    CHECK(a == doctest::Approx(15.0).epsilon(0.1));
    CHECK(b == doctest::Approx(60.0).epsilon(0.1));
    // The office's (every sector's citizens together) lies between them.
    CHECK(office > a * 1.2);
    CHECK(office < b / 1.2);
    // One spread for every sector, their citizens' own (0.4), not the office's, which mixes
    // a's short waits with b's long ones.
    CHECK(p.sectors[0].patience_sigma == doctest::Approx(p.sectors[1].patience_sigma));
    CHECK(p.sectors[0].patience_sigma == doctest::Approx(0.4).epsilon(0.2));
    CHECK(p.patience_sigma > 0.6);
    // A third sector with no calls keeps the office's.
    CHECK(median(p.sectors[2].patience_mean_min, p.sectors[2].patience_sigma) == doctest::Approx(office).epsilon(0.02));
}

TEST_CASE("forecast learner: sectors whose citizens are equally patient are pulled to the office's median (their noise is shrunk)") {
    const SiteConfig cfg = queue_config();
    using P = ForecastLearner;
    // Ten offices of two weeks, the same patience in every sector (lognormal, median 30
    // minutes, log-sd 0.4), six calls a day per sector: the sectors' own fits differ by noise
    // only. Their learned medians must lie much closer to the office's than the fits do.
    double learned = 0, unshrunk = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        ForecastLearner learner(cfg);
        std::vector<std::array<double, P::kPatienceBins>> seen(3), gone(3);
        Rng rng(seed);
        int n = 0;
        for (int d = 0; d < 14; ++d)
            for (std::size_t s = 0; s < 3; ++s)
                for (int k = 0; k < 6; ++k) {
                    const int w = 1 + static_cast<int>(rng.uniform() * 60);
                    const int patience = static_cast<int>(std::lround(30 * std::exp(0.4 * rng.normal())));
                    learner.observe(called_after(n++, d, cfg.sectors[s].id, w, patience));
                    seen[s][static_cast<std::size_t>(w)] += 1;
                    if (w > patience) gone[s][static_cast<std::size_t>(w)] += 1;
                }
        const auto p = learner.params(20261123, 600);
        const double office = std::log(p.patience_mean_min) - 0.5 * p.patience_sigma * p.patience_sigma;
        const auto fits = P::fit_patience_groups({{&seen[0], &gone[0]}, {&seen[1], &gone[1]}, {&seen[2], &gone[2]}},
                                                 P::Patience{office, p.patience_sigma}, 0.3);
        for (std::size_t s = 0; s < 3; ++s) {
            const auto& sp = p.sectors[s];
            learned += std::fabs(std::log(sp.patience_mean_min) - 0.5 * sp.patience_sigma * sp.patience_sigma - office);
            unshrunk += std::fabs(fits[s].mu - office);
        }
    }
    INFO("mean distance of the sectors' log medians from the office's: learned " << learned / 30 << ", fitted alone " << unshrunk / 30);
    CHECK(unshrunk / 30 > 0.03);
    CHECK(learned < 0.6 * unshrunk);
}

TEST_CASE("forecast learner: a sector's doubt on its patience shrinks as its calls grow") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    // No calls yet: the prior's doubt.
    const double none = learner.params(20261109, 600).sectors[0].patience_uncertainty;
    // Then one day, then two weeks, of sector a's calls (patience 30 minutes, log-sd 0.4).
    Rng rng(3);
    int n = 0;
    std::vector<double> doubt;
    for (int d = 0; d < 14; ++d) {
        for (int w = 1; w <= 60; ++w) {
            const int patience = static_cast<int>(std::lround(30 * std::exp(0.4 * rng.normal())));
            learner.observe(called_after(n++, d, "a", w, patience));
        }
        doubt.push_back(learner.params(20261109 + d + 1, 600).sectors[0].patience_uncertainty);
    }
    INFO("doubt with no calls " << none << ", after a day " << doubt.front() << ", after two weeks " << doubt.back());
    CHECK(none > 0.2);
    CHECK(doubt.front() < none);
    CHECK(doubt.back() < doubt.front() / 2);
    CHECK(doubt.back() > 0);
}

TEST_CASE("forecast learner: the office's doubt on its patience median shrinks as its calls grow") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    // A new office: the prior's doubt, drawn for every sector at once.
    const double none = learner.params(20261109, 600).patience_uncertainty;
    Rng rng(5);
    int n = 0;
    std::vector<double> doubt;
    for (int d = 0; d < 14; ++d) {
        for (int w = 1; w <= 60; ++w) {
            const int patience = static_cast<int>(std::lround(30 * std::exp(0.4 * rng.normal())));
            learner.observe(called_after(n++, d, w % 2 ? "a" : "b", w, patience));
        }
        doubt.push_back(learner.params(20261109 + d + 1, 600).patience_uncertainty);
    }
    INFO("office doubt with no calls " << none << ", after a day " << doubt.front() << ", after two weeks " << doubt.back());
    CHECK(none > 0.2);
    CHECK(doubt.front() < none / 2);
    CHECK(doubt.back() < doubt.front() / 2);
    CHECK(doubt.back() > 0);
}

TEST_CASE("forecast learner: a service still running tells about today's pace") {
    // Prior N(0, 0.1²) on the log factor, no finished service, one service running whose
    // elapsed time is exactly what an average one takes (c = 0, σ = 0.5): the posterior of
    // x ∝ N(x; 0, τ²)·Φ(x/σ) has mean τ²/√(σ²+τ²)·φ(0)/Φ(0).
    const double tau = 0.1, sig = 0.5;
    const double expected = tau * tau / std::sqrt(sig * sig + tau * tau) * (1 / std::sqrt(2 * M_PI)) / 0.5;
    const auto d = ForecastLearner::day_speed(0, 0, tau, {{0.0, sig}});
    CHECK(std::log(d.factor) == doctest::Approx(expected).epsilon(0.01));
    CHECK(d.log_sd < tau);
    // A service that has run three times its usual length says more; a brand-new one nothing.
    CHECK(ForecastLearner::day_speed(0, 0, tau, {{std::log(3.0), sig}}).factor > d.factor);
    CHECK(ForecastLearner::day_speed(0, 0, tau, {{std::log(0.01), sig}}).factor == doctest::Approx(1.0).epsilon(1e-3));
    // Without running services it is the closed form.
    CHECK(ForecastLearner::day_speed(100 * std::log(1.2), 100, tau, {}).factor == doctest::Approx(std::sqrt(1.2)));
}

TEST_CASE("forecast learner: slow days that run late do not make the late hours look slow; a real slow hour does") {
    const SiteConfig cfg = queue_config();
    constexpr Millis kDay = 86'400'000;
    auto key = [&](Millis t) { return cfg.timezone.to_local(t).date.key(); };
    auto serve = [&](ForecastLearner& l, Millis start, double minutes) { l.observe(served(start, minutes, key(start))); };
    const Millis day0 = kMonday9 - 20 * kDay;  // 09:00 twenty days before
    // Fast days (8 min) serve 09:00–11:00; slow days (12 min) go on until 13:00. Every service
    // of a day takes the day's time: no hour is slower than another within a day.
    ForecastLearner mixed(cfg);
    for (int d = 0; d < 20; ++d) {
        const bool slow = d % 2 == 1;
        const double minutes = slow ? 12.0 : 8.0;
        for (Millis t = day0 + d * kDay; t < day0 + d * kDay + (slow ? 4 : 2) * 3600'000; t += 15 * kMin) serve(mixed, t, minutes);
    }
    auto p = mixed.params(key(kMonday9), 8 * 60);
    CHECK(p.sectors[0].service_mean_min[12] == doctest::Approx(p.sectors[0].service_mean_min[9]).epsilon(0.02));
    // Every day, services starting at 11:xx take twice as long: that hour is learned as slower.
    // (An hour's effect is shrunk with the weight of 300 services: after 240 services at
    // 11:xx the log effect is believed at 240/540, so 2× shows as ~1.36×.)
    ForecastLearner hourly(cfg);
    for (int d = 0; d < 20; ++d)
        for (Millis t = day0 + d * kDay; t < day0 + d * kDay + 4 * 3600'000; t += 5 * kMin)
            serve(hourly, t, cfg.timezone.to_local(t).hour == 11 ? 16.0 : 8.0);
    p = hourly.params(key(kMonday9), 8 * 60);
    CHECK(p.sectors[0].service_mean_min[11] > 1.25 * p.sectors[0].service_mean_min[9]);
    CHECK(p.sectors[0].service_mean_min[10] == doctest::Approx(p.sectors[0].service_mean_min[9]).epsilon(0.01));
}

TEST_CASE("forecast learner: a new office follows today's arrivals, sector by sector") {
    const SiteConfig cfg = queue_config();
    ForecastLearner learner(cfg);
    const int today = cfg.timezone.to_local(kMonday9).date.key();
    // Opened at 08:00; by 10:00, 60 walk-ins for sector a and none for b (the prior says 6/hour each).
    for (int i = 0; i < 60; ++i) learner.observe_issue(today, "a", 8 + i / 30, false);
    const auto p = learner.params(today, 10 * 60);
    CHECK(p.sectors[0].arrivals_per_hour[11] > 20.0);
    CHECK(p.sectors[1].arrivals_per_hour[11] < 6.0);
}

TEST_CASE("forecast learner: the doubt on today's arrival pace shrinks as today's walk-ins come, and with history") {
    const SiteConfig cfg = queue_config();
    const int today = cfg.timezone.to_local(kMonday9).date.key();
    ForecastLearner fresh(cfg);
    // A new office at opening: its rates are a guess (relative variance 1): CV 1.
    const auto open = fresh.params(today, 8 * 60);
    CHECK(open.arrival_uncertainty == doctest::Approx(std::sqrt(std::log(2.0))).epsilon(0.02));
    // By 10:00, 60 walk-ins for sector a: the office's pace rests on them.
    for (int i = 0; i < 60; ++i) fresh.observe_issue(today, "a", 8 + i / 30, false);
    const auto later = fresh.params(today, 10 * 60);
    INFO("office doubt at opening " << open.arrival_uncertainty << ", after 60 walk-ins " << later.arrival_uncertainty
                                    << "; sector a " << open.sectors[0].arrival_uncertainty << " -> " << later.sectors[0].arrival_uncertainty);
    CHECK(later.arrival_uncertainty < open.arrival_uncertainty / 5);
    CHECK(later.sectors[0].arrival_uncertainty < open.sectors[0].arrival_uncertainty / 3);
    // An office with two weeks of walk-ins knows its rates: at opening its doubt is the
    // between-day spread of the volume, well below a new office's.
    ForecastLearner known(cfg);
    for (int d = 1; d <= 14; ++d) {
        const Millis day_start = kMonday9 - d * 86'400'000;
        const int key = cfg.timezone.to_local(day_start).date.key();
        for (int i = 0; i < 60; ++i) known.observe(served(day_start + i * 5 * kMin, 5, key));
    }
    const double history = known.params(today, 8 * 60).arrival_uncertainty;
    INFO("with two weeks of history, at opening " << history);
    CHECK(history < open.arrival_uncertainty / 2);
    CHECK(history > 0);
}

TEST_CASE("told_wait: one rounding for paper and screens — low down, high up, short under 2 min, about for a narrow range") {
    auto told = [](double median, double low, double high) { return told_wait(WaitForecast{median, low, high, false}); };
    CHECK(told(0.4, 0.0, 1.4).form == ToldWait::Form::Short);  // high end rounds up to 2
    const ToldWait about = told(5.2, 4.8, 5.9);                 // 4–6: two minutes wide
    CHECK(about.form == ToldWait::Form::About);
    CHECK(about.low_min == 4);
    CHECK(about.high_min == 6);
    CHECK(about.about_min == 5);
    const ToldWait range = told(12.7, 8.2, 19.1);
    CHECK(range.form == ToldWait::Form::Range);
    CHECK(range.low_min == 8);
    CHECK(range.high_min == 20);
    CHECK(range.about_min == 13);
    // A degenerate range still spans a minute; the median stays inside what is told.
    const ToldWait flat = told(30.0, 30.0, 30.0);
    CHECK(flat.low_min == 30);
    CHECK(flat.high_min == 31);
    CHECK(flat.about_min == 30);
    CHECK(told_wait(WaitForecast{40, 30, 50, true}).after_closing);
}

TEST_CASE("forecast: one run for a whole sector gives each ticket the wait forecast_wait gives it (the web's pages)") {
    // Fixed services: exact answers, ticket by ticket, and the other sector's tickets left out.
    QueueSnapshot s = office_with(2, 0);
    s.since = {1000, 1000};
    s.waiting = {item("a1", kNow - 5 * kMin), item("a2", kNow - 4 * kMin), item("a3", kNow - 3 * kMin),
                 item("a4", kNow - 2 * kMin), item("a5", kNow - kMin)};
    QueueSnapshot::Item other = item("b1", kNow - 6 * kMin);
    other.sector = 1;
    s.waiting.push_back(other);
    const auto all = forecast_sector_waits(s, 0, fixed_params(2), 50, 1);
    REQUIRE(all.size() == 6);
    CHECK_FALSE(all[5]);
    for (int i = 0; i < 5; ++i) {
        REQUIRE(all[static_cast<std::size_t>(i)]);
        CHECK(all[static_cast<std::size_t>(i)]->median_min == doctest::Approx(10.0 * (i / 2 + 1)));  // both counters busy for 10 more minutes
        CHECK(all[static_cast<std::size_t>(i)]->median_min ==
              doctest::Approx(forecast_wait(s, i, fixed_params(2), 50, 1).median_min));
    }

    // Random services, patience and arrivals: each ticket's quantiles agree with its own
    // forecast's within the Monte Carlo's error (2,000 paths each).
    ForecastParams p = fixed_params(2);
    for (auto& sp : p.sectors) sp.service_sigma = 0.6;
    p.patience_mean_min = 40;
    QueueSnapshot q = office_with(2, 3);
    q.since = {1000, 1000};
    q.arrivals_end = kNow + 2 * 3600'000;
    for (int i = 0; i < 20; ++i) q.waiting.push_back(item("t" + std::to_string(i), kNow - (20 - i) * kMin, i % 7 == 3));
    const auto joint = forecast_sector_waits(q, 0, p, 2000, 7);
    for (int i : {0, 5, 12, 19}) {
        const auto alone = forecast_wait(q, i, p, 2000, 11);
        REQUIRE(joint[static_cast<std::size_t>(i)]);
        INFO("ticket " << i << ": joint " << joint[static_cast<std::size_t>(i)]->median_min << " alone " << alone.median_min);
        const double tol = 0.1 * alone.high_min + 0.5;
        CHECK(std::abs(joint[static_cast<std::size_t>(i)]->median_min - alone.median_min) <= tol);
        CHECK(std::abs(joint[static_cast<std::size_t>(i)]->low_min - alone.low_min) <= tol);
        CHECK(std::abs(joint[static_cast<std::size_t>(i)]->high_min - alone.high_min) <= tol);
    }
}
