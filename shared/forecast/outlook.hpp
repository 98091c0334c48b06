// outlook.hpp — the forecasts the Office answers with: a ticket's wait, and per sector what
// the entrance shows (waiting, last number, open counters, the wait for a new ticket now).
//
// Contents: kForecastPaths, ForecastJob, prepare_forecast(), prepare_new_ticket_forecast(),
// run_forecast(), prepare_sector_forecasts(), run_sector_forecasts(), SectorOutlook,
// OutlookJob, prepare_sector_outlook(), run_sector_outlook().
// Contract: each forecast is two steps, so the Monte Carlo never runs under the office's lock:
// prepare_*() copies what it needs of the state (quick, under the lock), run_*() computes on
// that copy alone (any thread). Pure: the time is given, the seed follows from the target and
// the time, so the same inputs give the same forecast.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/config.hpp"
#include "shared/forecast.hpp"
#include "shared/office_state.hpp"

namespace csc {

/// Monte Carlo paths per forecast at most: a short queue's take them all, for stable 10/50/90%
/// quantiles; a long queue's stop at forecast_wait()'s work budget, for ≤ 5 ms at the tap
/// (docs/FORECAST.md, docs/PERFORMANCE.md).
inline constexpr int kForecastPaths = 960;

/// One forecast's inputs, copied from the state.
struct ForecastJob {
    QueueSnapshot snapshot;
    int target = -1;  ///< index in snapshot.waiting (-1: nothing to forecast)
    ForecastParams params;
    std::uint64_t seed = 0;
};
/// The inputs of the forecast of `target` (a waiting ticket, or a new one of a sector) at `now`.
[[nodiscard]] ForecastJob prepare_forecast(const OfficeState& state, const SiteConfig& config, const ForecastLearner& learner,
                                           Millis now, const QueueTarget& target);
/// The inputs of the forecast of a walk-in of `sector` (`priority` "" = ordinary) about to be
/// recorded as event `id` at `now`: the snapshot holds it as the state will once it is recorded
/// (issued now, presence unknown, seeded by `id`), so the forecast is the one prepare_forecast()
/// gives for that ticket right after. target -1 for an unknown sector.
[[nodiscard]] ForecastJob prepare_new_ticket_forecast(const OfficeState& state, const SiteConfig& config,
                                                      const ForecastLearner& learner, Millis now, const std::string& sector,
                                                      const std::string& priority, const std::string& id);
/// The forecast of a prepared job (kForecastPaths paths).
[[nodiscard]] WaitForecast run_forecast(const ForecastJob& job);
/// The inputs of the forecasts of every waiting ticket of `sector` at `now` (target: its first
/// waiting ticket, -1 if none or unknown; seeded by the sector and the minute).
[[nodiscard]] ForecastJob prepare_sector_forecasts(const OfficeState& state, const SiteConfig& config,
                                                   const ForecastLearner& learner, Millis now, const std::string& sector);
/// Every waiting ticket's forecast of the prepared sector, by ticket id (forecast_sector_waits).
[[nodiscard]] std::map<std::string, WaitForecast> run_sector_forecasts(const ForecastJob& job);

/// One sector as the entrance screen shows it.
struct SectorOutlook {
    std::string sector;
    int waiting = 0;
    int last_number = 0;
    int open_counters = 0;                 ///< open counters that serve this sector
    std::optional<WaitForecast> forecast;  ///< for a new ordinary ticket taken now
};

/// Every sector's outlook without its forecast yet, and what the forecasts need.
struct OutlookJob {
    std::vector<SectorOutlook> sectors;  ///< in the configuration's order
    bool open = false;                   ///< the office is open: forecasts are made (else none)
    QueueSnapshot base;
    ForecastParams params;
    Millis now = 0;
};
/// The outlook of every configured sector at `now`, its forecasts still to run.
[[nodiscard]] OutlookJob prepare_sector_outlook(const OfficeState& state, const SiteConfig& config,
                                                const ForecastLearner& learner, Millis now);
/// The outlooks with their forecasts (a new ordinary ticket of each sector), when the office is open.
[[nodiscard]] std::vector<SectorOutlook> run_sector_outlook(OutlookJob job, const SiteConfig& config);

}  // namespace csc
