// queue_length.hpp — how many people waited, moment by moment (issue 14 point 4: "a day's
// queue length as a line").
//
// Contents: waiting_at().
// Contract: pure. A ticket waits from its issue until its first call; one never called waits
// until it ended (cancelled, or its day closed) or, still open, on.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "shared/stats/stats_log.hpp"

namespace csc::stats {

/// The people waiting at each of `times` (ascending or not), in `sector` ("" = every sector).
[[nodiscard]] std::vector<int> waiting_at(const StatsLog& log, std::span<const Millis> times, std::string_view sector = {});

}  // namespace csc::stats
