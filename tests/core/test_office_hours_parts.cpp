// The hours part of the office (shared/hours/), alone: opening hours and clocks that lie, as
// pure functions of the configuration and a time (no Office, no store).
#include <doctest/doctest.h>

#include "shared/hours/clock_check.hpp"
#include "shared/hours/office_hours.hpp"
#include "tests/core/queue_fixture.hpp"

namespace csc::test::hours_parts {

// queue_config: UTC; Monday 08:00–18:00, Tuesday 08:00–12:00 and 14:00–18:00. kMonday9 = Monday 09:00.
constexpr Millis kHour = 60 * kMin;
constexpr Millis kMonday0 = kMonday9 - 9 * kHour;
constexpr Millis kTuesday0 = kMonday0 + 24 * kHour;

TEST_CASE("office hours: open inside an interval, closed outside it and in the lunch break") {
    const SiteConfig cfg = queue_config();
    CHECK(is_open_at(cfg, kMonday9));
    CHECK_FALSE(is_open_at(cfg, kMonday0 + 19 * kHour));
    CHECK_FALSE(is_open_at(cfg, kTuesday0 + 13 * kHour));
    CHECK(is_open_at(cfg, kTuesday0 + 14 * kHour));
}

TEST_CASE("office hours: the next opening is said as today, tomorrow or a weekday") {
    const SiteConfig cfg = queue_config();
    CHECK(describe_next_opening(cfg, kMonday0 + 7 * kHour) == "today at 08:00");
    CHECK(describe_next_opening(cfg, kMonday0 + 19 * kHour) == "tomorrow at 08:00");
    CHECK(describe_next_opening(cfg, kTuesday0 + 12 * kHour + 30 * kMin) == "today at 14:00");
    // Every day of queue_config opens: a closed week needs another configuration, so the
    // weekday form is checked through an always-closed Wednesday in the text.
    auto text = queue_config_text();
    text.replace(text.find("wednesday = [\"08:00-18:00\"]"), 27, "wednesday = []");
    text.replace(text.find("thursday = [\"08:00-18:00\"]"), 26, "thursday = []");
    auto closed = parse_site_config(text, "test.toml");
    REQUIRE_MESSAGE(closed.ok(), (closed.ok() ? "" : closed.error().message));
    CHECK(describe_next_opening(*closed, kTuesday0 + 19 * kHour) == "Friday at 08:00");
}

TEST_CASE("office hours: the day is over only after its last interval, not in a break") {
    const SiteConfig cfg = queue_config();
    CHECK_FALSE(day_is_over(cfg, kMonday0 + 17 * kHour + 59 * kMin));
    CHECK(day_is_over(cfg, kMonday0 + 18 * kHour));
    CHECK_FALSE(day_is_over(cfg, kTuesday0 + 12 * kHour + 30 * kMin));
    CHECK(day_is_over(cfg, kTuesday0 + 18 * kHour + 1 * kMin));
}

TEST_CASE("office hours: a closing is an outage only when it reopens inside the same planned window") {
    const SiteConfig cfg = queue_config();
    CHECK(within_planned_window(cfg, 1, kTuesday0 + 9 * kHour, kTuesday0 + 10 * kHour));
    CHECK_FALSE(within_planned_window(cfg, 1, kTuesday0 + 11 * kHour + 30 * kMin, kTuesday0 + 14 * kHour + 30 * kMin));
    CHECK_FALSE(within_planned_window(cfg, 1, kMonday0 + 17 * kHour, kTuesday0 + 9 * kHour));
}

TEST_CASE("clock check: a clock before 2026 or beyond the tolerance from the servers raises an alarm") {
    const OfficeTimeZone tz = queue_config().timezone;
    CHECK(clock_alarm_reason(tz, kMonday9, std::nullopt).empty());
    CHECK(clock_alarm_reason(tz, kMonday9, kClockTolerance).empty());
    const std::string early = clock_alarm_reason(tz, kEarliestPlausibleTime - 1, std::nullopt);
    CHECK(early.find("cannot be right") != std::string::npos);
    CHECK(early.find("2025-12-31") != std::string::npos);
    CHECK(clock_alarm_reason(tz, kMonday9, 6 * kMin).find("6 min ahead of the office servers") != std::string::npos);
    CHECK(clock_alarm_reason(tz, kMonday9, -7 * kMin).find("7 min behind the office servers") != std::string::npos);
}

TEST_CASE("clock check: an event of a later day is believed only within the tolerance before midnight") {
    const OfficeTimeZone tz = queue_config().timezone;
    const Millis before_midnight = kTuesday0 - 2 * kMin;
    CHECK_FALSE(from_future_reason(tz, kMonday9 + 5 * kHour, kMonday9).has_value());  // same day, hours later
    CHECK_FALSE(from_future_reason(tz, kTuesday0 + 1 * kMin, before_midnight).has_value());  // 3 min ahead
    const auto far = from_future_reason(tz, kTuesday0 + 10 * kMin, before_midnight);
    REQUIRE(far.has_value());
    CHECK(far->find("stamped 2026-11-24 00:10") != std::string::npos);
    CHECK(from_future_reason(tz, kMonday9 + 24 * kHour, kMonday9).has_value());
}

TEST_CASE("clock check: the clock went back when the state's day and last event are ahead of it") {
    const OfficeTimeZone tz = queue_config().timezone;
    CHECK(clock_went_back(tz, 20261124, kTuesday0 + 9 * kHour, kMonday9));
    CHECK_FALSE(clock_went_back(tz, 20261123, kMonday9, kMonday9 - kHour));
    CHECK_FALSE(clock_went_back(tz, 20261124, kTuesday0 + 1 * kMin, kTuesday0 - 1 * kMin));  // within the tolerance
}

}  // namespace csc::test::hours_parts
