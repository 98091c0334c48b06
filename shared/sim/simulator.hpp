// simulator.hpp — simulated office days to measure the wait forecast honestly.
//
// Contents: PredictorScore, SimOptions, BookingCounts, SimResult, run_simulation(), to_json(),
// keep_freed_memory_for_forks().
// The simulator drives the REAL state machine (OfficeState) with events, as counters and
// citizens would, and at every ticket issue asks the REAL forecaster for its forecast, seeing
// only what a kiosk sees (the state machine, its own learned history, the booking agenda).
// Booked citizens are real bookings (BookingMade) made before opening; they check in with real
// check-in tickets (TicketIssued naming the booking, judged by the agenda's window), early or
// late; past the window the info point turns the booking into a walk-in ticket; who never
// comes is a no-show by the agenda's end-of-day roll, which the forecaster learns from.
// Scored alongside: baselines (naive, QL, EWMA); the independent "oracle", which shares no
// code with the forecaster: at each ticket it forks the simulated office's own future from its
// TRUE state (who has already left, services running) many times, with the simulator's own
// rules and TRUE parameters and fresh randomness for what is not decided yet, today's pace
// drawn from its exact posterior under the true laws (true_pace.hpp; its point: the median of the forks'
// waits; "oracle_mean": their mean); "engine_oracle", our engine (forecast_wait) given the true
// state and parameters; "engine_clairvoyant", the same also told today's realized pace; on
// request, "oracle_blind": the oracle's forks not told who has already left, which no device
// knows either (what that knowledge is worth: docs/FORECAST.md). Deterministic: the same scenario and seed give the same result.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "shared/forecast/outlook.hpp"
#include "shared/result.hpp"
#include "shared/sim/scenario.hpp"

namespace csc::sim {

/// How one predictor did over the scored tickets (walk-ins whose number was called, served or
/// gone; priority citizens included).
struct PredictorScore {
    double mae = 0;       ///< mean absolute error, minutes
    double p90 = 0;       ///< 90th percentile of the absolute error, minutes
    double bias = 0;      ///< mean (forecast − actual), minutes
    double hit = 0;       ///< share with |error| ≤ max(3 min, 20% of the actual wait)
    double coverage = 0;  ///< share of actual waits inside the printed range
    double width = 0;     ///< mean width of the range, minutes
    double interval_score = 0;  ///< mean Winkler score of the 80% range: width + 10 × distance outside it, minutes
    double coverage_2min = 0;   ///< coverage over the actual waits of 2 minutes or more
    int n = 0;                  ///< tickets scored
    int n_2min = 0;             ///< of which waited 2 minutes or more
};

/// Run options.
struct SimOptions {
    int days = 20;
    std::uint64_t seed = 1;
    int paths = kForecastPaths;  ///< Monte Carlo paths per forecast at most (ours and the engine rows; as the kiosk's)
    int oracle_paths = 48;  ///< forks of the true future per forecast (the independent oracle)
    int blind_oracle_paths = 0;  ///< forks per forecast of an oracle not told who has already left (0: not run)
};

/// The simulated days' bookings as the agenda ended them (rolled to the next day).
struct BookingCounts {
    int made = 0;                 ///< BookingMade events applied
    int checked_in = 0;           ///< checked in inside the window (an appointment ticket each)
    int appointment_tickets = 0;  ///< tickets linked to their booking with the slot as appointment_at
    int walked_in = 0;            ///< came past the window: a walk-in ticket given by the info point
    int no_show = 0;              ///< never came: no-shows by the agenda's end-of-day roll
};

/// Everything measured.
struct SimResult {
    int served = 0;
    int abandoned = 0;
    BookingCounts bookings;
    std::map<std::string, PredictorScore> predictors;  ///< ours, naive, ql, ewma, oracle, oracle_mean, engine_oracle, engine_clairvoyant (oracle_blind when run)
    std::map<std::string, PredictorScore> first_day;   ///< the same over the first day alone (a new office, on priors)
    /// The same over tickets issued while a disruption was under way (a surge window on a surge
    /// day, a counter's unplanned closure), and over those in its first 15 minutes (empty: none).
    std::map<std::string, PredictorScore> disrupted, onset;
    std::vector<double> forecast_ms;                   ///< our forecast's compute time per ticket (wall clock)
    std::vector<double> forecast_cpu_ms;               ///< the same in thread CPU time (immune to a busy machine)
};

/// Runs the scenario for options.days days.
[[nodiscard]] Result<SimResult> run_simulation(const Scenario& scenario, const SimOptions& options);
/// {"served":N,"abandoned":N,"bookings":{"made","checked_in","appointment_tickets","walked_in","no_show"},"predictors":{"ours":{"mae":..,"p90":..,"bias":..,"hit":..,"coverage":..,"width":..,
/// "interval_score":..,"coverage_2min":..,"n":..,"n_2min":..},…},"first_day":{the same keys},"disrupted":{…},"onset":{…}}
[[nodiscard]] std::string to_json(const SimResult& result);
/// For a process that only simulates: freed memory stays in its heap for the oracle's next fork.
void keep_freed_memory_for_forks();

}  // namespace csc::sim
