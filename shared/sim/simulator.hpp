// simulator.hpp — simulated office days to measure the wait forecast honestly.
//
// Contents: PredictorScore, SimOptions, SimResult, run_simulation(), to_json().
// The simulator drives the REAL state machine (OfficeState) with events, as counters and
// citizens would, and at every ticket issue asks the REAL forecaster for its forecast, seeing
// only what a kiosk sees (the state machine, its own learned history, the booking agenda).
// Baselines (naive, QL, EWMA) and an oracle (the same forward simulation from the TRUE state —
// who has already left — with the TRUE parameters, inferring today's pace from today's services
// under the true prior) are scored alongside, and a "clairvoyant" that is also told today's
// realized pace (a draw of the day that governs the services still to come).
// Deterministic: the same scenario and seed give the same result.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "shared/result.hpp"
#include "shared/sim/scenario.hpp"

namespace csc::sim {

/// How one predictor did over the scored tickets (served walk-ins, incl. priority citizens).
struct PredictorScore {
    double mae = 0;       ///< mean absolute error, minutes
    double p90 = 0;       ///< 90th percentile of the absolute error, minutes
    double bias = 0;      ///< mean (forecast − actual), minutes
    double hit = 0;       ///< share with |error| ≤ max(3 min, 20% of the actual wait)
    double coverage = 0;  ///< share of actual waits inside the printed range
    double width = 0;     ///< mean width of the range, minutes
    int n = 0;
};

/// Run options.
struct SimOptions {
    int days = 20;
    std::uint64_t seed = 1;
    int paths = 240;  ///< Monte Carlo paths per forecast (ours and the oracle)
};

/// Everything measured.
struct SimResult {
    int served = 0;
    int abandoned = 0;
    std::map<std::string, PredictorScore> predictors;  ///< ours, naive, ql, ewma, oracle, clairvoyant
    std::vector<double> forecast_ms;                   ///< our forecast's compute time per ticket (wall clock)
    std::vector<double> forecast_cpu_ms;               ///< the same in thread CPU time (immune to a busy machine)
};

/// Runs the scenario for options.days days.
[[nodiscard]] Result<SimResult> run_simulation(const Scenario& scenario, const SimOptions& options);
/// {"served":N,"abandoned":N,"predictors":{"ours":{"mae":..,"p90":..,"bias":..,"hit":..,"coverage":..,"width":..},…}}
[[nodiscard]] std::string to_json(const SimResult& result);

}  // namespace csc::sim
