#include "shared/office_time.hpp"

#include <array>
#include <cstdio>

namespace csc {

// Howard Hinnant's public-domain civil-date algorithms (re-derived here).
long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

Date civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long y = static_cast<long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

Result<Date> Date::parse(std::string_view text) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    const std::string s(text);
    if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return fail("expected a date as YYYY-MM-DD, got \"" + s + "\"");
    const Date date{y, m, d};
    if (m < 1 || m > 12 || d < 1 || d > 31 || civil_from_days(days_from_civil(y, m, d)) != date)
        return fail("no such date: " + s);
    return date;
}

std::string Date::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

namespace {
constexpr Millis kMinute = 60'000;
constexpr Millis kDay = 86'400'000;

// Weekday of a day count, 0 = Monday (1970-01-01 was a Thursday).
int weekday_of(long days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

// UTC ms of 01:00 UTC on the last Sunday of the month: the EU switch instant.
Millis eu_switch(int year, int month) {
    const long last = days_from_civil(year, month, 31);
    const long sunday = last - ((weekday_of(last) + 1) % 7);
    return sunday * kDay + 60 * kMinute;
}

Millis floor_div(Millis a, Millis b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
}  // namespace

OfficeTimeZone::OfficeTimeZone() : OfficeTimeZone("Europe/Rome", 60, true) {}

OfficeTimeZone::OfficeTimeZone(std::string name, int standard_offset_min, bool eu_dst)
    : name_(std::move(name)), standard_offset_min_(standard_offset_min), eu_dst_(eu_dst) {}

Result<OfficeTimeZone> OfficeTimeZone::named(std::string_view name) {
    struct Zone { std::string_view name; int offset; bool dst; };
    static constexpr std::array zones{
        Zone{"Europe/Rome", 60, true},   Zone{"Europe/Vatican", 60, true},
        Zone{"Europe/San_Marino", 60, true}, Zone{"Europe/Paris", 60, true},
        Zone{"Europe/Berlin", 60, true}, Zone{"Europe/Vienna", 60, true},
        Zone{"Europe/Madrid", 60, true}, Zone{"Europe/Zurich", 60, true},
        Zone{"Europe/Ljubljana", 60, true}, Zone{"Europe/Malta", 60, true},
        Zone{"Europe/London", 0, true},  Zone{"Europe/Lisbon", 0, true},
        Zone{"Europe/Athens", 120, true}, Zone{"UTC", 0, false},
    };
    std::string known;
    for (const auto& z : zones) {
        if (z.name == name) return OfficeTimeZone(std::string(z.name), z.offset, z.dst);
        known += (known.empty() ? "" : ", ") + std::string(z.name);
    }
    return fail("unknown time zone \"" + std::string(name) + "\" (supported: " + known + ")");
}

LocalTime OfficeTimeZone::to_local(Millis t) const {
    int offset = standard_offset_min_;
    if (eu_dst_) {
        const long utc_days = static_cast<long>(floor_div(t, kDay));
        const int year = civil_from_days(utc_days).year;
        if (t >= eu_switch(year, 3) && t < eu_switch(year, 10)) offset += 60;
    }
    const Millis local = t + offset * kMinute;
    const long days = static_cast<long>(floor_div(local, kDay));
    const Millis in_day = local - days * kDay;
    LocalTime lt;
    lt.date = civil_from_days(days);
    lt.hour = static_cast<int>(in_day / 3'600'000);
    lt.minute = static_cast<int>(in_day / kMinute % 60);
    lt.second = static_cast<int>(in_day / 1000 % 60);
    lt.weekday = weekday_of(days);
    lt.utc_offset_minutes = offset;
    return lt;
}

Millis OfficeTimeZone::from_local(Date d, int minute_of_day) const {
    const Millis naive = days_from_civil(d.year, d.month, d.day) * kDay + minute_of_day * kMinute;
    // Try summer time first (the earlier instant in the autumn overlap), then standard time.
    if (eu_dst_) {
        const Millis summer = naive - (standard_offset_min_ + 60) * kMinute;
        if (to_local(summer).utc_offset_minutes == standard_offset_min_ + 60 &&
            to_local(summer).minute_of_day() == minute_of_day % 1440)
            return summer;
    }
    return naive - standard_offset_min_ * kMinute;
}

Millis OfficeTimeZone::start_of_day(Millis t) const { return from_local(to_local(t).date, 0); }

}  // namespace csc
