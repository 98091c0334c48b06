// The rules a role's screen shows, asked of the application layer (kiosk/app/office_rules.hpp).
#include <doctest/doctest.h>

#include "kiosk/app/office_rules.hpp"
#include "kiosk/app/wait_words.hpp"
#include "queue_fixture.hpp"

namespace office_rules_tests {

using namespace csc;
using app::CounterActionKind;
using test::kMin;
using test::kMonday9;

std::vector<CounterActionKind> allowed_at(const test::Office1& o, int counter) {
    const auto allowed = app::counter_actions_allowed(o.state, counter, o.ev.now);
    std::vector<CounterActionKind> out;
    for (int i = 0; i < app::kCounterActionKinds; ++i)
        if (allowed[std::size_t(i)]) out.push_back(static_cast<CounterActionKind>(i));
    return out;
}

TEST_CASE("office rules: what an applied event changes, for a role deciding what to read again") {
    const auto staff = app::touches(StaffSignedOut{"Anna", "counter 1"});
    CHECK(staff.staff);
    CHECK_FALSE(staff.queues);
    CHECK_FALSE(staff.counters);
    const auto call = app::touches(TicketCalled{3, {}});
    CHECK(call.queues);
    CHECK(call.counters);
    CHECK(call.counter == 3);
    CHECK_FALSE(call.staff);
    const auto print = app::touches(PrintRequested{});
    CHECK(print.prints);
    CHECK_FALSE(print.queues);
    TicketIssued walk_in;
    walk_in.sector = "a";
    CHECK(app::touches(walk_in).queues);
    CHECK_FALSE(app::touches(walk_in).agenda);
    TicketIssued check_in = walk_in;
    check_in.booking = "K7PQX4M";
    CHECK(app::touches(check_in).agenda);
    const auto booked = app::touches(BookingMade{});
    CHECK(booked.agenda);
    CHECK(booked.queues);  // today's bookings feed the queue's forecast
    CHECK_FALSE(app::touches(DeviceHello{}).queues);
    // A rating changes a served ticket only: no queue, counter or agenda to read again.
    const auto rated = app::touches(FeedbackGiven{"t1:1", "good", "", "web"});
    CHECK_FALSE(rated.queues);
    CHECK_FALSE(rated.counters);
    CHECK_FALSE(rated.agenda);
}

TEST_CASE("office rules: counter actions allowed are exactly those the state machine would apply now") {
    using K = CounterActionKind;
    test::Office1 o(test::queue_config());
    // A counter not opened yet: only opening it.
    CHECK(allowed_at(o, 1) == std::vector<K>{K::Open});
    o.ok(CounterOpened{1});
    // Open, nobody waiting: no call; pause and close.
    CHECK(allowed_at(o, 1) == std::vector<K>{K::Pause, K::Close});
    o.issue("a");
    CHECK(allowed_at(o, 1) == std::vector<K>{K::Call, K::Pause, K::Close});
    CHECK(o.call(1) == "A001");
    CHECK(allowed_at(o, 1) == std::vector<K>{K::Recall, K::Start, K::Finish, K::NoShow, K::Transfer});
    o.ok(ServiceStarted{1});
    const auto serving = allowed_at(o, 1);
    CHECK(std::find(serving.begin(), serving.end(), K::Finish) != serving.end());
    CHECK(std::find(serving.begin(), serving.end(), K::Call) == serving.end());
    o.ok(ServiceFinished{1, {}});
    o.ok(CounterPaused{1, "counter.pause.break"});
    CHECK(allowed_at(o, 1) == std::vector<K>{K::Resume, K::Open, K::Close});  // opening again resumes too
    // Every verdict is the state machine's: none of the answers changed the state.
    CHECK(o.state.find_counter(1)->status == CounterStatus::Paused);
}

TEST_CASE("office rules: the next reopening says the day ahead and the weekday") {
    const SiteConfig config = test::queue_config();
    // Tuesday 12:30 UTC: closed for lunch, opens today at 14:00.
    const Millis tuesday_lunch = kMonday9 + 24 * 60 * kMin + 210 * kMin;
    auto r = app::next_reopening(config, tuesday_lunch);
    REQUIRE(r);
    CHECK(r->days_ahead == 0);
    CHECK(r->minute == 14 * 60);
    CHECK(r->weekday == 1);
    // Monday 19:00: closed, opens tomorrow (Tuesday) at 08:00.
    r = app::next_reopening(config, kMonday9 + 10 * 60 * kMin);
    REQUIRE(r);
    CHECK(r->days_ahead == 1);
    CHECK(r->minute == 8 * 60);
    CHECK(r->weekday == 1);
}

TEST_CASE("office rules: today's hours are none on a public holiday, the weekday's otherwise") {
    const SiteConfig config = test::queue_config();  // national holidays on (the default)
    // Tuesday 2026-11-24: the split day.
    const auto tuesday = app::hours_today(config, kMonday9 + 24 * 60 * kMin);
    REQUIRE(tuesday.size() == 2);
    CHECK(tuesday[0].begin == 8 * 60);
    CHECK(tuesday[1].end == 18 * 60);
    // Friday 2026-12-25, Christmas: closed, whatever the weekly hours say.
    const Millis christmas = kMonday9 + 32LL * 24 * 60 * kMin;
    CHECK(config.timezone.to_local(christmas).date.day == 25);
    CHECK(app::hours_today(config, christmas).empty());
}

}  // namespace office_rules_tests

TEST_CASE("office rules: a wait is worded with the core's numbers on screen and on paper alike") {
    const SiteConfig cfg = sample_site();
    auto tr = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", cfg.languages);
    REQUIRE(tr.ok());
    ToldWait range;
    range.form = ToldWait::Form::Range;
    range.low_min = 10;
    range.high_min = 25;
    CHECK(app::wait_words(*tr, "it", range) == "Attesa 10–25 min");
    CHECK(app::wait_words(*tr, "it", range, app::WaitWording::Paper).find("10–25 min") != std::string::npos);
    ToldWait about;
    about.form = ToldWait::Form::About;
    about.low_min = 7;
    about.high_min = 9;
    about.about_min = 8;
    CHECK(app::wait_words(*tr, "en", about).find('8') != std::string::npos);
    CHECK(app::wait_words(*tr, "it", about, app::WaitWording::Paper) == "Attesa prevista circa 8 min");
    ToldWait brief;  // Short: the same words everywhere
    CHECK(app::wait_words(*tr, "it", brief) == app::wait_words(*tr, "it", brief, app::WaitWording::Paper));
}
