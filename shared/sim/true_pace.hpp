// true_pace.hpp — the oracle's posterior of today's pace, from the simulator's own service laws.
//
// Contents: sigma_of_cv(), lognormal_survival(), ServiceLaw, service_law_of(), TruePace.
//
// Contract: a simulated day's pace is a factor e^x on every service time, x ~ N(0, sd²) drawn
// once (Scenario::day_speed_sd). The oracle infers x from today's services as the simulator
// draws them, not as the forecaster models them: each sector's true law (a lognormal, or a
// bimodal sector's mixture of two), a finished service of d minutes by its density at d·e^−x,
// a running one by its survival at elapsed·e^−x. The posterior is kept on a fixed grid of x
// and drawn from by its inverse distribution function. Pure: no clock, no randomness of its
// own; it shares no code with the forecaster (shared/forecast*).
#pragma once

#include <utility>
#include <vector>

#include "shared/sim/scenario.hpp"

namespace csc::sim {

/// The log-sd of a lognormal with this coefficient of variation.
[[nodiscard]] double sigma_of_cv(double cv);
/// P(a lognormal of this mean and log-sd lasts more than t).
[[nodiscard]] double lognormal_survival(double mean, double sigma, double t);

/// A sector's true service time at pace 1 (minutes): a lognormal, or a mixture of two (a kind
/// without spread is read as a log-sd of 0.01).
struct ServiceLaw {
    double mean1 = 8, sigma1 = 0.55;           ///< the first kind's mean and log-sd
    double share2 = 0, mean2 = 25, sigma2 = 0.4;  ///< a bimodal sector's second kind (share 0: none)
    /// Log of the density at d > 0 minutes.
    [[nodiscard]] double log_density(double d) const;
    /// Probability of lasting more than t minutes.
    [[nodiscard]] double survival(double t) const;
};
/// The law a sector of the scenario draws its services from.
[[nodiscard]] ServiceLaw service_law_of(const SectorScenario& sector);

/// The posterior of today's log pace x, under the prior N(0, prior_sd²) and today's services.
class TruePace {
public:
    /// prior_sd = Scenario::day_speed_sd (≤ 0: the pace is 1, there is nothing to infer).
    explicit TruePace(double prior_sd);
    /// A service of this law finished after `minutes` today.
    void add_finished(const ServiceLaw& law, double minutes);
    /// The posterior, with services still running (their law, minutes elapsed).
    struct Posterior {
        double mean = 0, sd = 0;  ///< of x
        std::vector<double> x, cdf;  ///< the grid and its cumulative probability (empty: x = 0)
        /// The x below which a share u ∈ (0, 1) of the posterior lies (linear between points).
        [[nodiscard]] double quantile(double u) const;
    };
    [[nodiscard]] Posterior posterior(const std::vector<std::pair<ServiceLaw, double>>& running) const;

private:
    double prior_sd_;
    std::vector<double> log_post_;  // log prior + log likelihood of the finished services, on the grid
    [[nodiscard]] double x_at(std::size_t i) const;
};

}  // namespace csc::sim
