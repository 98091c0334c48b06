// The forecast on cases that can be computed by hand, and the learner's priors.
#include <doctest/doctest.h>

#include "shared/forecast.hpp"
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
    for (int i = 0; i < 200; ++i) {
        TicketOutcome o;
        o.id = "x" + std::to_string(i);
        o.day = 20261116;
        o.sector = "a";
        o.kind = TicketOutcome::Kind::Served;
        o.issued_at = kMonday9 - 7 * 86'400'000 + i * kMin;
        o.called_at = o.issued_at + 5 * kMin;
        o.started_at = o.called_at;
        o.finished_at = o.started_at + 12 * kMin;
        learner.observe(o);
    }
    p = learner.params(20261123, 600);
    CHECK(p.sectors[0].service_mean_min[9] == doctest::Approx(12.0).epsilon(0.05));
    CHECK(p.sectors[1].service_mean_min[9] == doctest::Approx(8.0));  // no data: the prior
    CHECK(p.sectors[0].service_sigma < 0.3);                          // all alike
}
