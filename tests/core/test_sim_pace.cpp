// The oracle's posterior of today's pace (shared/sim/true_pace): exact under the simulator's
// own service laws, a bimodal sector's mixture included.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "shared/rng.hpp"
#include "shared/sim/simulator.hpp"
#include "shared/sim/true_pace.hpp"

using namespace csc::sim;

namespace {
// The bimodal scenario's sector (assets/scenarios/bimodal.toml's certificates and residence
// changes) and the single lognormal of the same mean and spread that the oracle read it as
// until session 26.
const ServiceLaw kMixture{3.0, std::sqrt(std::log(1 + 0.3 * 0.3)), 0.3, 25.0, std::sqrt(std::log(1 + 0.4 * 0.4))};
ServiceLaw single_of(const ServiceLaw& m) {
    const double mean = (1 - m.share2) * m.mean1 + m.share2 * m.mean2;
    const double second = (1 - m.share2) * m.mean1 * m.mean1 * std::exp(m.sigma1 * m.sigma1) +
                          m.share2 * m.mean2 * m.mean2 * std::exp(m.sigma2 * m.sigma2);
    return {mean, std::sqrt(std::log(second / (mean * mean)))};
}
}  // namespace

TEST_CASE("sim: the oracle's pace posterior for lognormal services is the conjugate normal one") {
    // log d = μ + x + ε, ε ~ N(0, σ²), x ~ N(0, s²): the posterior of x is normal, with mean
    // Σ(log d − μ)/σ² ÷ (1/s² + n/σ²) and variance 1 ÷ (1/s² + n/σ²).
    const double s = 0.10;
    const ServiceLaw law{8.0, 0.5};
    const double mu = std::log(8.0) - 0.5 * 0.5 * 0.5;
    TruePace pace(s);
    const std::vector<double> minutes{9.5, 12.0, 7.0, 14.5, 10.0, 11.0, 6.5, 13.0};  // slow on the whole
    double sum = 0;
    for (double d : minutes) {
        pace.add_finished(law, d);
        sum += (std::log(d) - mu) / (0.5 * 0.5);
    }
    const double precision = 1 / (s * s) + static_cast<double>(minutes.size()) / (0.5 * 0.5);
    const auto p = pace.posterior({});
    CHECK(p.mean == doctest::Approx(sum / precision).epsilon(0.002));
    CHECK(p.sd == doctest::Approx(1 / std::sqrt(precision)).epsilon(0.002));
    CHECK(p.mean > 0.05);  // the services said "slow": the check above cannot pass on the prior alone
    // Its draws: the median at the mean, one sd up at 84.1%.
    CHECK(p.quantile(0.5) == doctest::Approx(p.mean).epsilon(0.002));
    CHECK(p.quantile(0.841345) == doctest::Approx(p.mean + p.sd).epsilon(0.002));
    CHECK(p.quantile(0.158655) == doctest::Approx(p.mean - p.sd).epsilon(0.002));
}

TEST_CASE("sim: the oracle's pace posterior reads a bimodal sector's long service by its kind, not as a slow day") {
    // 3-minute certificates (70%) beside 25-minute residence changes (30%): a service running
    // for 12 minutes is a residence change going normally. Read as one lognormal of the
    // mixture's mean and spread (what the oracle did before), it says "the day is slow".
    const ServiceLaw& mixture = kMixture;
    const ServiceLaw one = single_of(kMixture);
    const TruePace pace(0.10);
    const auto exact = pace.posterior({{mixture, 12.0}});
    const auto single = pace.posterior({{one, 12.0}});
    CHECK(std::abs(exact.mean) < 0.005);
    CHECK(exact.sd == doctest::Approx(0.10).epsilon(0.03));
    CHECK(single.mean > 0.01);
    // A finished 25-minute service: as likely at any pace near 1 under the mixture; under the
    // single lognormal, a slow day.
    TruePace finished(0.10), finished_one(0.10);
    finished.add_finished(mixture, 25.0);
    finished_one.add_finished(one, 25.0);
    CHECK(std::abs(finished.posterior({}).mean) < finished_one.posterior({}).mean);
    // The mixture's density and survival are those of its two kinds.
    CHECK(mixture.survival(0) == 1.0);
    CHECK(mixture.survival(12.0) == doctest::Approx(0.7 * lognormal_survival(3.0, mixture.sigma1, 12.0) +
                                                    0.3 * lognormal_survival(25.0, mixture.sigma2, 12.0)));
}

TEST_CASE("sim: a day whose pace does not vary has nothing to infer") {
    TruePace pace(0.0);
    pace.add_finished(ServiceLaw{}, 30.0);
    const auto p = pace.posterior({{ServiceLaw{}, 20.0}});
    CHECK(p.mean == 0.0);
    CHECK(p.sd == 0.0);
    CHECK(p.quantile(0.9) == 0.0);
}

TEST_CASE("sim: on bimodal days the oracle's pace posterior lands nearer the day's true pace than the single-lognormal reading") {
    // 400 days, each with its pace e^x (x ~ N(0, 0.1²)) and 12 services drawn from the mixture
    // at that pace: the error of each posterior's mean against x, root mean square.
    csc::Rng rng(2026);
    double exact2 = 0, single2 = 0, z2 = 0;
    constexpr int kDays = 400;
    for (int day = 0; day < kDays; ++day) {
        const double x = 0.1 * rng.normal();
        TruePace exact(0.1), single(0.1);
        for (int k = 0; k < 12; ++k) {
            const bool second = rng.chance(kMixture.share2);
            const double d = std::exp(x) * (second ? rng.lognormal_mean(kMixture.mean2, kMixture.sigma2)
                                                   : rng.lognormal_mean(kMixture.mean1, kMixture.sigma1));
            exact.add_finished(kMixture, d);
            single.add_finished(single_of(kMixture), d);
        }
        const auto e = exact.posterior({}), o = single.posterior({});
        exact2 += (e.mean - x) * (e.mean - x) / kDays;
        single2 += (o.mean - x) * (o.mean - x) / kDays;
        z2 += (e.mean - x) * (e.mean - x) / (e.sd * e.sd) / kDays;
    }
    MESSAGE("log pace rms error: exact " << std::sqrt(exact2) << ", single lognormal " << std::sqrt(single2)
                                         << "; exact's error in its own sd: rms " << std::sqrt(z2));
    CHECK(std::sqrt(exact2) < 0.8 * std::sqrt(single2));
    // Its doubt is honest: the error in units of its own sd has an rms near 1.
    CHECK(std::sqrt(z2) == doctest::Approx(1.0).epsilon(0.15));
}

TEST_CASE("sim: services without spread still give the oracle a pace, finite scores and a lead over the naive count") {
    // service_cv = 0: every service lasts its mean times today's pace exactly. The oracle's
    // posterior is then a point: no division by a zero spread may turn it into NaN.
    const std::string text = R"([scenario]
name = "no spread"
hours = ["08:30-10:30"]
day_speed_sd = 0.2

[[sector]]
id = "a"
walk_ins = 30
service_mean = 6
service_cv = 0

[[counter]]
number = 1
sectors = ["a"]
)";
    auto sc = parse_scenario(text, "s.toml");
    REQUIRE(sc.ok());
    SimOptions opt;
    opt.days = 2;
    opt.paths = 40;
    opt.oracle_paths = 8;
    auto r = run_simulation(*sc, opt);
    REQUIRE(r.ok());
    REQUIRE(r->predictors.count("oracle") == 1);
    for (const auto& [name, score] : r->predictors) {
        INFO(name);
        CHECK(std::isfinite(score.mae));
        CHECK(std::isfinite(score.interval_score));
    }
    CHECK(r->predictors.at("oracle").n > 20);  // the scores above rest on tickets
    // Knowing the pace from the first service, the oracles beat the naive count of people ahead
    // (seed 1: 3.1 and 2.5 against 7.3 minutes; a NaN pace drew every fork at the grid's edge,
    // e^−1.2, and gave 22 and 528).
    INFO("MAE oracle " << r->predictors.at("oracle").mae << ", engine_oracle " << r->predictors.at("engine_oracle").mae
                       << ", naive " << r->predictors.at("naive").mae);
    CHECK(r->predictors.at("oracle").mae < r->predictors.at("naive").mae);
    CHECK(r->predictors.at("engine_oracle").mae < r->predictors.at("naive").mae);
}

TEST_CASE("sim: a sector without spread tells the oracle today's pace from one service") {
    // service_cv = 0: a service of 6.6 minutes where the mean is 6 says the pace is 1.1.
    SectorScenario sector;
    sector.service_mean = 6;
    sector.service_cv = 0;
    TruePace pace(0.2);
    pace.add_finished(service_law_of(sector), 6.6);
    const auto p = pace.posterior({});
    CHECK(std::isfinite(p.mean));
    CHECK(p.mean == doctest::Approx(std::log(1.1)).epsilon(0.02));
    CHECK(p.sd < 0.02);
    CHECK(p.quantile(0.5) == doctest::Approx(std::log(1.1)).epsilon(0.02));
    // Still running after 7 minutes: the pace is above 7/6 at least.
    TruePace running(0.2);
    const auto q = running.posterior({{service_law_of(sector), 7.0}});
    CHECK(std::isfinite(q.mean));
    CHECK(q.quantile(0.01) > std::log(7.0 / 6.0) - 0.01);
}
