// clock_check.hpp — clocks that lie (docs/ARCHITECTURE.md, "Time"): when this device's clock
// cannot be trusted, and when an event's stamp is from a later day than a clock allowed.
//
// Contents: kClockTolerance, kEarliestPlausibleTime, clock_alarm_reason(), from_future_reason(),
// clock_went_back().
// Contract: pure functions of (time zone, times); the Office keeps the quarantine and the
// servers' skew and asks these for the verdicts. Reasons are English (logs, status, CLI).
#pragma once

#include <optional>
#include <string>

#include "shared/clock.hpp"
#include "shared/office_time.hpp"

namespace csc {

/// A clock within this far of the office's idea of now is trusted; an event stamped on a later
/// office day than (now + this) is from the future and is quarantined, never obeyed.
inline constexpr Millis kClockTolerance = 5 * 60'000;
/// No correct clock reads earlier than this (2026-01-01, when this version was written): a PC
/// whose battery-less clock starts at 1970 or 2000 is caught before it stamps anything.
inline constexpr Millis kEarliestPlausibleTime = 1'767'225'600'000;

/// Why this device's clock cannot be trusted at `now` ("clock alarm: …", with what to do), or ""
/// when it can: earlier than kEarliestPlausibleTime, or `server_skew` (local − servers' clock,
/// LAN) beyond kClockTolerance either way.
[[nodiscard]] std::string clock_alarm_reason(const OfficeTimeZone& tz, Millis now, std::optional<Millis> server_skew);
/// Why an event stamped `event_time` must not be applied when the trusted time is `reference`
/// (a later office day and more than kClockTolerance after it), or nullopt when it may.
[[nodiscard]] std::optional<std::string> from_future_reason(const OfficeTimeZone& tz, Millis event_time, Millis reference);
/// Whether the clock went back behind a state of office day `state_day` whose last event was at
/// `last_event_time` (it had been ahead, NTP fixed it): today's state must be rebuilt.
[[nodiscard]] bool clock_went_back(const OfficeTimeZone& tz, int state_day, Millis last_event_time, Millis now);

}  // namespace csc
