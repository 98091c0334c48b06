// true_pace.cpp — the oracle's posterior of today's pace (see true_pace.hpp).
#include "shared/sim/true_pace.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace csc::sim {
namespace {

// The grid: x from −kSpan·sd to +kSpan·sd in kGrid points (a step of sd/40: a posterior that
// has narrowed to sd/4 after ~100 services still spans ten steps per standard deviation).
constexpr double kSpan = 6.0;
constexpr std::size_t kGrid = 481;

// A kind of service without spread (service_cv = 0) is read as one of 1%: its density at the
// one duration it allows would be infinite, and the posterior NaN. 1% is finer than a day's pace
// is ever known from a few services, and a grid point can still hold it.
constexpr double kMinSigma = 0.01;

// A lognormal of this mean and log-sd: log density at d, survival at t.
double lognormal_log_density(double mean, double sigma, double d) {
    const double mu = std::log(mean) - 0.5 * sigma * sigma, z = (std::log(d) - mu) / sigma;
    return -std::log(d) - std::log(sigma) - 0.5 * std::log(2 * M_PI) - 0.5 * z * z;
}
}  // namespace

double sigma_of_cv(double cv) { return std::sqrt(std::log(1 + cv * cv)); }

double lognormal_survival(double mean, double sigma, double t) {
    if (t <= 0) return 1.0;
    if (sigma <= 0) return t < mean ? 1.0 : 0.0;
    const double mu = std::log(mean) - 0.5 * sigma * sigma;
    return 0.5 * std::erfc((std::log(t) - mu) / (sigma * std::sqrt(2.0)));
}

double ServiceLaw::log_density(double d) const {
    const double a = lognormal_log_density(mean1, std::max(sigma1, kMinSigma), d);
    if (share2 <= 0) return a;
    const double b = lognormal_log_density(mean2, std::max(sigma2, kMinSigma), d);
    const double la = std::log1p(-share2) + a, lb = std::log(share2) + b, top = std::max(la, lb);
    return top + std::log(std::exp(la - top) + std::exp(lb - top));
}

double ServiceLaw::survival(double t) const {
    const double a = lognormal_survival(mean1, std::max(sigma1, kMinSigma), t);
    return share2 <= 0 ? a : (1 - share2) * a + share2 * lognormal_survival(mean2, std::max(sigma2, kMinSigma), t);
}

ServiceLaw service_law_of(const SectorScenario& s) {
    return {s.service_mean, sigma_of_cv(s.service_cv), s.service_share_2, s.service_mean_2, sigma_of_cv(s.service_cv_2)};
}

TruePace::TruePace(double prior_sd) : prior_sd_(prior_sd) {
    if (prior_sd_ <= 0) return;
    log_post_.resize(kGrid);
    for (std::size_t i = 0; i < kGrid; ++i) {
        const double z = x_at(i) / prior_sd_;
        log_post_[i] = -0.5 * z * z;
    }
}

double TruePace::x_at(std::size_t i) const {
    return prior_sd_ * kSpan * (2.0 * static_cast<double>(i) / static_cast<double>(kGrid - 1) - 1.0);
}

void TruePace::add_finished(const ServiceLaw& law, double minutes) {
    if (log_post_.empty() || minutes <= 0) return;
    // d = e^x · base: its density is f_base(d·e^−x)·e^−x.
    for (std::size_t i = 0; i < kGrid; ++i) {
        const double x = x_at(i);
        log_post_[i] += law.log_density(minutes * std::exp(-x)) - x;
    }
}

TruePace::Posterior TruePace::posterior(const std::vector<std::pair<ServiceLaw, double>>& running) const {
    Posterior p;
    if (log_post_.empty()) return p;
    std::vector<double> lp = log_post_;
    for (const auto& [law, elapsed] : running) {
        if (elapsed <= 0) continue;
        for (std::size_t i = 0; i < kGrid; ++i)
            lp[i] += std::log(std::max(std::numeric_limits<double>::min(), law.survival(elapsed * std::exp(-x_at(i)))));
    }
    const double top = *std::max_element(lp.begin(), lp.end());
    p.x.resize(kGrid);
    p.cdf.resize(kGrid);
    double total = 0, s1 = 0, s2 = 0;
    for (std::size_t i = 0; i < kGrid; ++i) {
        const double w = std::exp(lp[i] - top), x = x_at(i);
        p.x[i] = x;
        total += w;
        s1 += w * x;
        s2 += w * x * x;
        p.cdf[i] = total;
    }
    for (double& c : p.cdf) c /= total;
    p.mean = s1 / total;
    p.sd = std::sqrt(std::max(0.0, s2 / total - p.mean * p.mean));
    return p;
}

double TruePace::Posterior::quantile(double u) const {
    if (x.empty()) return 0.0;
    // Each grid point carries the mass of the cell around it: the distribution function rises
    // linearly across the cell, from cdf[i − 1] to cdf[i].
    const auto it = std::lower_bound(cdf.begin(), cdf.end(), u);
    if (it == cdf.end()) return x.back();
    const auto i = static_cast<std::size_t>(it - cdf.begin());
    const double below = i == 0 ? 0.0 : cdf[i - 1], half = i + 1 < x.size() ? 0.5 * (x[i + 1] - x[i]) : 0.5 * (x[i] - x[i - 1]);
    const double f = *it > below ? (u - below) / (*it - below) : 0.5;
    return x[i] - half + 2 * half * f;
}

}  // namespace csc::sim
