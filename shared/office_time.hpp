// office_time.hpp — the office's civil time (Europe/Rome by default).
//
// Contents: Date, LocalTime, OfficeTimeZone, days_from_civil(), civil_from_days(), two_digits(), weekday_of().
// Contract: ticket numbers restart each day in the office's time zone and opening hours are
// local, so every "what day / what hour is it" question goes through OfficeTimeZone. A zone is
// looked up by its IANA name in the system's time zone database (/usr/share/zoneinfo, Debian
// package tzdata) through Howard Hinnant's date library (libhowardhinnant-date-dev, built with
// USE_OS_TZDB): libstdc++ 12 has no std::chrono::zoned_time, and a process-wide TZ would make
// the answer depend on the host. The host's TZ variable and /etc/localtime are never read.
#pragma once

#include <string>
#include <string_view>

#include "shared/clock.hpp"
#include "shared/result.hpp"

namespace csc {

/// A calendar date.
struct Date {
    int year = 1970, month = 1, day = 1;
    /// YYYYMMDD as one integer, e.g. 20261126: the key of an office day.
    [[nodiscard]] int key() const { return year * 10000 + month * 100 + day; }
    /// Parses "YYYY-MM-DD".
    static Result<Date> parse(std::string_view text);
    /// "YYYY-MM-DD".
    [[nodiscard]] std::string iso() const;
    auto operator<=>(const Date&) const = default;
};

/// Local wall-clock time broken down.
struct LocalTime {
    Date date;
    int hour = 0, minute = 0, second = 0;
    int weekday = 0;  ///< 0 = Monday … 6 = Sunday
    int utc_offset_minutes = 0;
    /// Minutes since local midnight.
    [[nodiscard]] int minute_of_day() const { return hour * 60 + minute; }
};

}  // namespace csc
namespace date {
class time_zone;
}
namespace csc {

/// A time zone of the system's tz database by IANA name ("Europe/Rome", "America/New_York",
/// "Asia/Tokyo", …), or "UTC". Cheap to copy; thread-safe.
class OfficeTimeZone {
public:
    /// Europe/Rome (UTC, with one warning on stderr, when the tz database is missing).
    OfficeTimeZone();
    /// The zone of that IANA name; "UTC" works even without the tz database. Error: the name is
    /// not in the database (with the closest names), or the database is missing (install tzdata).
    static Result<OfficeTimeZone> named(std::string_view name);

    [[nodiscard]] const std::string& name() const { return name_; }
    /// UTC → local.
    [[nodiscard]] LocalTime to_local(Millis t) const;
    /// Local date + minutes since midnight → UTC ms. A local time that happens twice or never
    /// (a daylight-saving switch) is read with the UTC offset in force before the switch: in
    /// the autumn overlap the first (summer) instant, in the spring gap standard time.
    [[nodiscard]] Millis from_local(Date d, int minute_of_day) const;
    /// The office day (YYYYMMDD) that t falls in.
    [[nodiscard]] int day_key(Millis t) const { return to_local(t).date.key(); }
    /// UTC ms of the local midnight starting the day that t falls in.
    [[nodiscard]] Millis start_of_day(Millis t) const;

private:
    OfficeTimeZone(std::string name, const date::time_zone* zone);
    std::string name_;                       ///< as configured (a link name stays a link name)
    const date::time_zone* zone_ = nullptr;  ///< owned by the tz database; nullptr = UTC
};

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
[[nodiscard]] long days_from_civil(int y, int m, int d);
/// Inverse of days_from_civil.
[[nodiscard]] Date civil_from_days(long days);
/// `v` with at least two digits, zero-padded ("07"): hours, minutes, days and months as shown.
[[nodiscard]] std::string two_digits(int v);
/// The weekday of a date: 0 = Monday … 6 = Sunday.
[[nodiscard]] int weekday_of(const Date& d);

}  // namespace csc
