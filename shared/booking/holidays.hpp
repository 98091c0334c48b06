// holidays.hpp — the days an Italian municipal office is closed by law, computed for any year.
//
// Contents: easter_sunday(), italian_public_holidays(), italian_public_holiday().
// Contract: pure functions of the date (no table to update each year): the fixed national
// holidays of L. 260/1949 as amended (2 June, the Republic; 4 October, St Francis, from 2026 by
// L. 151/2025), Easter Sunday and Easter Monday from the Gregorian computus. Local closures (the
// patron saint, …) come from the site configuration, not from here.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "shared/office_time.hpp"

namespace csc {

/// Easter Sunday of a Gregorian year (1583…9999), by the anonymous Gregorian algorithm.
[[nodiscard]] Date easter_sunday(int year);
/// The national public holidays of `year`, in date order (Sundays included where they fall).
[[nodiscard]] std::vector<Date> italian_public_holidays(int year);
/// The holiday's Italian name if `d` is a national public holiday ("Lunedì dell'Angelo"), else nullopt.
[[nodiscard]] std::optional<std::string_view> italian_public_holiday(const Date& d);

}  // namespace csc
