// office_hours.hpp — the office's hours as the Office asks them: open now, when it next opens,
// whether today's last opening interval is over, whether a counter's closing was an outage.
//
// Contents: is_open_at(), describe_next_opening(), day_is_over(), within_planned_window().
// Contract: pure functions of (configuration, time); the time is given (the injected clock's
// now), never read here. Local times are the office's (SiteConfig::timezone).
#pragma once

#include <string>

#include "shared/clock.hpp"
#include "shared/config.hpp"

namespace csc {

/// Whether the office is open at `now` (weekly hours, holidays and exceptions of the configuration).
[[nodiscard]] bool is_open_at(const SiteConfig& config, Millis now);
/// "Tuesday at 08:30": when the office next opens after `now`, in English ("" if never).
[[nodiscard]] std::string describe_next_opening(const SiteConfig& config, Millis now);
/// Whether the last opening interval of `now`'s weekday is over (or the weekday has none):
/// the moment close_day_if_over() may close the day.
[[nodiscard]] bool day_is_over(const SiteConfig& config, Millis now);
/// Whether counter `counter`, closed at `closed` and reopened at `reopened`, stayed within one
/// of its planned windows of that day (its staffed hours, else the office's): an outage, as
/// opposed to a planned end of shift.
[[nodiscard]] bool within_planned_window(const SiteConfig& config, int counter, Millis closed, Millis reopened);

}  // namespace csc
