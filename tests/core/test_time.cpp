// Office time: Europe/Rome with the EU daylight-saving rule, day keys and local midnight.
#include <doctest/doctest.h>

#include "shared/office_time.hpp"

using namespace csc;

TEST_CASE("Europe/Rome standard and summer time") {
    OfficeTimeZone rome;
    // 2026-01-15 12:00 UTC = 13:00 CET.
    const Millis winter = days_from_civil(2026, 1, 15) * 86'400'000LL + 12 * 3'600'000LL;
    auto lt = rome.to_local(winter);
    CHECK(lt.hour == 13);
    CHECK(lt.utc_offset_minutes == 60);
    CHECK(lt.weekday == 3);  // Thursday
    // 2026-07-15 12:00 UTC = 14:00 CEST.
    const Millis summer = days_from_civil(2026, 7, 15) * 86'400'000LL + 12 * 3'600'000LL;
    CHECK(rome.to_local(summer).hour == 14);
    // Switches: 2026-03-29 01:00 UTC and 2026-10-25 01:00 UTC.
    const Millis spring = days_from_civil(2026, 3, 29) * 86'400'000LL + 3'600'000LL;
    CHECK(rome.to_local(spring - 1).utc_offset_minutes == 60);
    CHECK(rome.to_local(spring).utc_offset_minutes == 120);
    CHECK(rome.to_local(spring).hour == 3);
    const Millis autumn = days_from_civil(2026, 10, 25) * 86'400'000LL + 3'600'000LL;
    CHECK(rome.to_local(autumn - 1).utc_offset_minutes == 120);
    CHECK(rome.to_local(autumn).utc_offset_minutes == 60);
}

TEST_CASE("local midnight and day keys around midnight") {
    OfficeTimeZone rome;
    // 23:30 UTC on 2026-11-25 is 00:30 on the 26th in Rome: already the next office day.
    const Millis t = days_from_civil(2026, 11, 25) * 86'400'000LL + 23 * 3'600'000LL + 30 * 60'000LL;
    CHECK(rome.day_key(t) == 20261126);
    CHECK(rome.start_of_day(t) == days_from_civil(2026, 11, 25) * 86'400'000LL + 23 * 3'600'000LL);
    CHECK(rome.from_local({2026, 7, 1}, 0) == days_from_civil(2026, 6, 30) * 86'400'000LL + 22 * 3'600'000LL);
    auto utc = OfficeTimeZone::named("UTC");
    REQUIRE(utc.ok());
    CHECK(utc->day_key(t) == 20261125);
    CHECK_FALSE(OfficeTimeZone::named("Europe/Roma").ok());
}

TEST_CASE("civil date round trip and parsing") {
    for (long d = -1000; d < 30000; d += 37) CHECK(days_from_civil(civil_from_days(d).year, civil_from_days(d).month, civil_from_days(d).day) == d);
    CHECK(Date::parse("2026-02-28").ok());
    CHECK_FALSE(Date::parse("2026-02-30").ok());
    CHECK_FALSE(Date::parse("26-2-3").ok());
    CHECK(Date::parse("2026-12-25")->key() == 20261225);
}
