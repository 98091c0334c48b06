// office_time.hpp — the office's civil time (Europe/Rome by default).
//
// Ticket numbers restart each day in the office's time zone and opening hours are local, so
// every "what day / what hour is it" question goes through OfficeTimeZone. libstdc++ 12 has no
// std::chrono::zoned_time, and a process-wide TZ would make tests depend on the host, so the
// EU daylight-saving rule (since 1996: last Sunday of March 01:00 UTC to last Sunday of
// October 01:00 UTC) is implemented here, deterministic and tested.
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

/// A named time zone: "Europe/Rome" (and the other EU zones at +1), "Europe/London",
/// "Europe/Lisbon", "Europe/Athens"… (EU rule), or "UTC".
class OfficeTimeZone {
public:
    /// Europe/Rome.
    OfficeTimeZone();
    /// Known zone by name, or an error naming the supported ones.
    static Result<OfficeTimeZone> named(std::string_view name);

    [[nodiscard]] const std::string& name() const { return name_; }
    /// UTC → local.
    [[nodiscard]] LocalTime to_local(Millis t) const;
    /// Local date + minutes since midnight → UTC ms. In the autumn overlap the first (summer)
    /// instant is chosen; in the spring gap the time is taken as standard time.
    [[nodiscard]] Millis from_local(Date d, int minute_of_day) const;
    /// The office day (YYYYMMDD) that t falls in.
    [[nodiscard]] int day_key(Millis t) const { return to_local(t).date.key(); }
    /// UTC ms of the local midnight starting the day that t falls in.
    [[nodiscard]] Millis start_of_day(Millis t) const;

private:
    OfficeTimeZone(std::string name, int standard_offset_min, bool eu_dst);
    std::string name_;
    int standard_offset_min_ = 60;
    bool eu_dst_ = true;
};

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
[[nodiscard]] long days_from_civil(int y, int m, int d);
/// Inverse of days_from_civil.
[[nodiscard]] Date civil_from_days(long days);

}  // namespace csc
