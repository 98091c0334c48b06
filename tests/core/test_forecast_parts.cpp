// The forecast part of the office (shared/forecast/), alone: the learning fed event by event
// with a memory LearningRecord instead of the store, and the outlook's two steps on an
// OfficeState (no Office, no store).
#include <doctest/doctest.h>

#include <vector>

#include "shared/forecast/learning.hpp"
#include "shared/forecast/outlook.hpp"
#include "tests/core/queue_fixture.hpp"

namespace csc::test::forecast_parts {

// What OfficeLearning saved, kept in memory.
struct MemoryRecord final : LearningRecord {
    std::vector<TicketOutcome> outcomes;
    std::vector<CounterTime> times;
    [[nodiscard]] bool outcome_saved(std::string_view id) const override {
        for (const auto& o : outcomes)
            if (o.id == id) return true;
        return false;
    }
    void save_outcome(const TicketOutcome& o) override { outcomes.push_back(o); }
    void save_counter_time(const CounterTime& t) override { times.push_back(t); }
};

// An Office1 whose every event is fed to an OfficeLearning as the Office feeds it.
struct Learned {
    Office1 o{queue_config()};
    OfficeLearning learning{o.config};
    MemoryRecord record;
    ApplyResult feed(EventBody body, LearnFrom from = LearnFrom::Recorded) {
        o.log.push_back(o.ev.make(std::move(body)));
        const Event& e = o.log.back();
        const StateBefore before = state_before(o.state, e);
        const ApplyResult applied = o.state.apply(e);
        if (applied.applied) learning.learn(e, before, o.state, applied, from, record);
        return applied;
    }
    void at(Millis t) { o.ev.now = t; }
};

TEST_CASE("learning: what learning takes of the state before an event is its day, its counters and, for day.closed, the open tickets") {
    Office1 o(queue_config());
    o.issue("a");
    o.issue("b");
    o.ok(CounterOpened{1});
    const StateBefore call = state_before(o.state, o.ev.make(TicketCalled{1, {}}));
    CHECK(call.day == o.state.day());
    CHECK(call.counters.size() == o.state.counters().size());
    CHECK(call.open_tickets.empty());
    CHECK(state_before(o.state, o.ev.make(DayClosed{})).open_tickets.size() == 2);
}

TEST_CASE("learning: a recorded service saves its outcome once, and the counter's pause and open time") {
    Learned l;
    l.feed(TicketIssued{"a"});
    l.feed(CounterOpened{1});
    l.at(kMonday9 + 2 * kMin);
    l.feed(TicketCalled{1, {}});
    l.feed(ServiceStarted{1});
    l.at(kMonday9 + 10 * kMin);
    const ApplyResult done = l.feed(ServiceFinished{1, {}});
    REQUIRE(l.record.outcomes.size() == 1);
    CHECK(l.record.outcomes[0].id == done.ticket_id);
    CHECK(l.record.outcomes[0].kind == TicketOutcome::Kind::Served);
    CHECK(l.learning.learner().days_seen() == 1);
    l.feed(CounterPaused{1, "break"});
    l.at(kMonday9 + 25 * kMin);
    l.feed(CounterResumed{1});
    l.at(kMonday9 + 40 * kMin);
    l.feed(CounterClosed{1});
    REQUIRE(l.record.times.size() == 2);
    CHECK(l.record.times[0].kind == "pause");
    CHECK(l.record.times[0].minutes == doctest::Approx(15));
    CHECK(l.record.times[1].kind == "open");
    CHECK(l.record.times[1].minutes == doctest::Approx(40));
    CHECK(l.record.times[1].counter == 1);
}

TEST_CASE("learning: an event another program recorded is learned without saving; a replayed one only notes openings") {
    Learned l;
    l.feed(TicketIssued{"a"}, LearnFrom::Seen);
    l.feed(CounterOpened{1}, LearnFrom::Replay);  // replayed at start: when counter 1 opened
    l.feed(TicketCalled{1, {}}, LearnFrom::Seen);
    l.feed(ServiceStarted{1}, LearnFrom::Seen);
    l.at(kMonday9 + 5 * kMin);
    l.feed(ServiceFinished{1, {}}, LearnFrom::Seen);
    CHECK(l.record.outcomes.empty());
    CHECK(l.learning.learner().days_seen() == 1);  // learned all the same
    l.at(kMonday9 + 30 * kMin);
    l.feed(CounterClosed{1});  // recorded here: its open time runs from the replayed opening
    REQUIRE(l.record.times.size() == 1);
    CHECK(l.record.times[0].minutes == doctest::Approx(30));
}

TEST_CASE("learning: forgotten openings give no open time; a no-show is an outcome too") {
    Learned l;
    l.feed(CounterOpened{1});
    l.learning.forget_openings();
    l.at(kMonday9 + 30 * kMin);
    l.feed(CounterClosed{1});
    CHECK(l.record.times.empty());
    l.feed(TicketIssued{"b"});
    l.feed(CounterOpened{3});
    l.feed(TicketCalled{3, {}});
    const ApplyResult done = l.feed(TicketNoShow{3});
    REQUIRE(l.record.outcomes.size() == 1);
    CHECK(l.record.outcome_saved(done.ticket_id));
    CHECK(l.record.outcomes[0].kind == TicketOutcome::Kind::NoShow);
}

TEST_CASE("outlook: per sector waiting, last number and open counters, forecasts only while open, the same each run") {
    Office1 o(queue_config());
    o.issue("a");
    o.issue("a");
    o.issue("b");
    o.ok(CounterOpened{2});
    const ForecastLearner learner(o.config);
    OutlookJob job = prepare_sector_outlook(o.state, o.config, learner, o.ev.now);
    REQUIRE(job.sectors.size() == 3);
    CHECK(job.open);
    CHECK(job.sectors[0].sector == "a");
    CHECK(job.sectors[0].waiting == 2);
    CHECK(job.sectors[0].last_number == 2);
    CHECK(job.sectors[0].open_counters == 1);
    CHECK(job.sectors[2].open_counters == 0);
    CHECK_FALSE(job.sectors[0].forecast.has_value());  // not yet: run_sector_outlook() makes them
    const auto first = run_sector_outlook(job, o.config);
    const auto again = run_sector_outlook(job, o.config);
    REQUIRE(first[0].forecast.has_value());
    CHECK(first[0].forecast->median_min == again[0].forecast->median_min);
    CHECK(first[0].forecast->high_min >= first[0].forecast->low_min);
    const auto closed = run_sector_outlook(prepare_sector_outlook(o.state, o.config, learner, kMonday9 + 10 * 60 * kMin), o.config);
    CHECK_FALSE(closed[0].forecast.has_value());
    CHECK(closed[0].waiting == 2);
}

TEST_CASE("outlook: a waiting ticket's forecast is prepared on a copy and gives the same result each run") {
    Office1 o(queue_config());
    o.issue("a");
    const std::string second = o.state.find_label(o.issue("a"))->id;
    o.ok(CounterOpened{1});
    const ForecastLearner learner(o.config);
    const ForecastJob job = prepare_forecast(o.state, o.config, learner, o.ev.now, QueueTarget{second, {}, {}});
    CHECK(job.target >= 0);
    const WaitForecast a = run_forecast(job);
    o.issue("a");  // the state moves on: the prepared job does not
    const WaitForecast b = run_forecast(job);
    CHECK(a.median_min == b.median_min);
    CHECK(a.low_min <= a.median_min);
    CHECK(prepare_forecast(o.state, o.config, learner, o.ev.now, QueueTarget{"t1:999", {}, {}}).target == -1);
}

}  // namespace csc::test::forecast_parts
