// rng.hpp — a small deterministic random source for simulations and Monte Carlo forecasts.
//
// Contents: Rng (xoshiro256**, seeded by splitmix64) and the few distributions the project
// uses, written out so that a seed gives the same numbers with any standard library
// (std::normal_distribution & co. are implementation-defined).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace csc {

/// Deterministic pseudo-random numbers.
class Rng {
public:
    explicit Rng(std::uint64_t seed = 1) {
        for (auto& s : s_) s = splitmix(seed);
    }
    /// 64 random bits.
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    /// Uniform in (0, 1).
    double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
    /// Uniform in [a, b).
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    /// True with probability p.
    bool chance(double p) { return uniform() < p; }
    /// Exponential with this mean.
    double exponential(double mean) { return -mean * std::log(uniform()); }
    /// Standard normal (Box–Muller, one value per call).
    double normal() {
        const double u1 = uniform(), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    /// Lognormal with this mean and log-standard-deviation sigma.
    double lognormal_mean(double mean, double sigma) {
        return mean * std::exp(sigma * normal() - 0.5 * sigma * sigma);
    }
    /// Poisson count with this mean (inversion; fine for the small means used here).
    int poisson(double mean) {
        if (mean <= 0) return 0;
        if (mean > 60) return static_cast<int>(std::lround(std::max(0.0, mean + std::sqrt(mean) * normal())));
        const double l = std::exp(-mean);
        double p = 1.0;
        int k = 0;
        do {
            ++k;
            p *= uniform();
        } while (p > l);
        return k - 1;
    }

    /// A seed from text (FNV-1a), to derive per-ticket streams.
    static std::uint64_t seed_of(const char* text, std::uint64_t salt = 0) {
        std::uint64_t h = 1469598103934665603ULL ^ salt;
        for (; *text; ++text) {
            h ^= static_cast<unsigned char>(*text);
            h *= 1099511628211ULL;
        }
        return h;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t s_[4];
};

/// Standard normal CDF.
inline double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

/// Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9).
inline double normal_quantile(double p) {
    if (p <= 0) return -std::numeric_limits<double>::infinity();
    if (p >= 1) return std::numeric_limits<double>::infinity();
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01,  -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    const double plow = 0.02425;
    if (p < plow) {
        const double q = std::sqrt(-2 * std::log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - plow) {
        const double q = std::sqrt(-2 * std::log(1 - p));
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    const double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/// A lognormal (mean, sigma) sample conditioned on exceeding `elapsed` (inverse CDF).
inline double lognormal_residual_total(Rng& rng, double mean, double sigma, double elapsed) {
    if (sigma <= 0) return std::max(mean, elapsed);
    const double mu = std::log(mean) - 0.5 * sigma * sigma;
    const double f0 = elapsed > 0 ? normal_cdf((std::log(elapsed) - mu) / sigma) : 0.0;
    if (f0 > 0.999999) return elapsed * 1.02 + 0.1;
    const double u = f0 + (1 - f0) * rng.uniform();
    return std::max(elapsed, std::exp(mu + sigma * normal_quantile(u)));
}

}  // namespace csc
