// Office time from the system's tz database: Europe/Rome and America/New_York across their
// daylight-saving switches, day keys, local midnight, unknown names. The host's TZ is never read
// (one test sets it to something else on purpose).
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

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

namespace {
Millis utc_at(int y, int m, int d, int hour, int minute = 0) {
    return days_from_civil(y, m, d) * 86'400'000LL + hour * 3'600'000LL + minute * 60'000LL;
}
}  // namespace

TEST_CASE("America/New_York: US daylight-saving dates, not the EU ones") {
    auto ny = OfficeTimeZone::named("America/New_York");
    REQUIRE(ny.ok());
    CHECK(ny->name() == "America/New_York");
    // 2026: summer time from Sunday 8 March 07:00 UTC (02:00 EST) to Sunday 1 November 06:00 UTC.
    const Millis spring = utc_at(2026, 3, 8, 7);
    CHECK(ny->to_local(spring - 1).utc_offset_minutes == -300);
    CHECK(ny->to_local(spring).utc_offset_minutes == -240);
    CHECK(ny->to_local(spring).hour == 3);
    const Millis autumn = utc_at(2026, 11, 1, 6);
    CHECK(ny->to_local(autumn - 1).utc_offset_minutes == -240);
    CHECK(ny->to_local(autumn).utc_offset_minutes == -300);
    CHECK(ny->to_local(autumn).hour == 1);
    // Between the US and the EU switch (2026-03-20): New York is on summer time, Rome is not.
    CHECK(ny->to_local(utc_at(2026, 3, 20, 12)).utc_offset_minutes == -240);
    CHECK(OfficeTimeZone().to_local(utc_at(2026, 3, 20, 12)).utc_offset_minutes == 60);
    // 02:30 on 8 March does not exist: read as standard time (07:30 UTC = 03:30 EDT).
    CHECK(ny->from_local({2026, 3, 8}, 2 * 60 + 30) == utc_at(2026, 3, 8, 7, 30));
    // 01:30 on 1 November happens twice: the first (summer) one, 05:30 UTC.
    CHECK(ny->from_local({2026, 11, 1}, 60 + 30) == utc_at(2026, 11, 1, 5, 30));
    // The office day: 03:00 UTC on 15 July is still 14 July (23:00 EDT) in New York.
    CHECK(ny->day_key(utc_at(2026, 7, 15, 3)) == 20260714);
    CHECK(ny->start_of_day(utc_at(2026, 7, 15, 3)) == utc_at(2026, 7, 14, 4));
}

TEST_CASE("Europe/Rome: the gap and the overlap of its switches") {
    OfficeTimeZone rome;
    // 02:30 on 2026-03-29 does not exist: standard time, 01:30 UTC (= 03:30 CEST).
    CHECK(rome.from_local({2026, 3, 29}, 2 * 60 + 30) == utc_at(2026, 3, 29, 1, 30));
    // 02:30 on 2026-10-25 happens twice: the summer one, 00:30 UTC.
    CHECK(rome.from_local({2026, 10, 25}, 2 * 60 + 30) == utc_at(2026, 10, 25, 0, 30));
    // 24:00 is the next local midnight (an opening range may end there).
    CHECK(rome.from_local({2026, 7, 1}, 24 * 60) == rome.from_local({2026, 7, 2}, 0));
}

TEST_CASE("any IANA name of the tz database; unknown names are errors with suggestions") {
    auto tokyo = OfficeTimeZone::named("Asia/Tokyo");
    REQUIRE(tokyo.ok());
    CHECK(tokyo->to_local(utc_at(2026, 7, 1, 20)).date.key() == 20260702);
    CHECK(tokyo->to_local(utc_at(2026, 7, 1, 20)).utc_offset_minutes == 540);
    auto vatican = OfficeTimeZone::named("Europe/Vatican");  // a link to Europe/Rome
    REQUIRE(vatican.ok());
    CHECK(vatican->name() == "Europe/Vatican");
    CHECK(vatican->to_local(utc_at(2026, 7, 1, 12)).utc_offset_minutes == 120);

    auto typo = OfficeTimeZone::named("Europe/Roma");
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.error().message.find("unknown time zone \"Europe/Roma\"") != std::string::npos);
    CHECK(typo.error().message.find("Europe/Rome") != std::string::npos);  // the suggestion
    CHECK_FALSE(OfficeTimeZone::named("").ok());
    CHECK_FALSE(OfficeTimeZone::named("../../etc/passwd").ok());
    CHECK_FALSE(OfficeTimeZone::named("Mars/Olympus_Mons").ok());
}

TEST_CASE("the host's TZ variable changes nothing") {
    const char* old = std::getenv("TZ");
    const std::string saved = old ? old : "";
    ::setenv("TZ", "Asia/Kolkata", 1);
    auto ny = OfficeTimeZone::named("America/New_York");
    REQUIRE(ny.ok());
    CHECK(ny->to_local(utc_at(2026, 1, 15, 12)).hour == 7);
    CHECK(OfficeTimeZone().to_local(utc_at(2026, 1, 15, 12)).hour == 13);
    if (old) ::setenv("TZ", saved.c_str(), 1);
    else ::unsetenv("TZ");
}
