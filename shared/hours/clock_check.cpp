#include "shared/hours/clock_check.hpp"

#include <cstdio>

namespace csc {

namespace {
std::string local_minute(const OfficeTimeZone& tz, Millis t) {
    const LocalTime at = tz.to_local(t);
    char b[40];
    std::snprintf(b, sizeof b, "%s %02d:%02d", at.date.iso().c_str(), at.hour, at.minute);
    return b;
}
}  // namespace

std::string clock_alarm_reason(const OfficeTimeZone& tz, Millis now, std::optional<Millis> server_skew) {
    if (now < kEarliestPlausibleTime)
        return "clock alarm: this device's clock reads " + local_minute(tz, now) +
               ", which cannot be right; set the date and time (NTP) — nothing is recorded until then";
    if (server_skew && (*server_skew > kClockTolerance || *server_skew < -kClockTolerance)) {
        const long minutes = static_cast<long>(*server_skew / 60'000);
        return "clock alarm: this device's clock reads " + local_minute(tz, now) + ", " +
               std::to_string(minutes < 0 ? -minutes : minutes) + " min " + (minutes < 0 ? "behind" : "ahead of") +
               " the office servers; set the date and time (NTP) — nothing is recorded until then";
    }
    return {};
}

std::optional<std::string> from_future_reason(const OfficeTimeZone& tz, Millis event_time, Millis reference) {
    // A later day is believed only from a clock a little ahead just before midnight: stamped at
    // most kClockTolerance after `reference`. (Comparing days of `reference + kClockTolerance`
    // alone let a clock a whole day ahead in through the last minutes before midnight.)
    if (tz.day_key(event_time) <= tz.day_key(reference) || event_time <= reference + kClockTolerance) return std::nullopt;
    return "stamped " + local_minute(tz, event_time) +
           ", a later day than the office's clock allowed (a device clock that was ahead)";
}

bool clock_went_back(const OfficeTimeZone& tz, int state_day, Millis last_event_time, Millis now) {
    // The same rule as from_future_reason: a later day, and beyond the tolerance.
    return state_day > tz.day_key(now) && last_event_time > now + kClockTolerance;
}

}  // namespace csc
