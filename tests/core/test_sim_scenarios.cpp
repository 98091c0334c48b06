// The simulator: scenario files (errors name the line), reproducibility by seed.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "shared/sim/simulator.hpp"

using namespace csc;
using namespace csc::sim;

namespace {
const std::string kSmall = R"([scenario]
name = "small"
hours = ["08:30-10:30"]
pause_rate_per_hour = 0.2

[arrivals]
profile = [1.0, 1.5, 1.0]

[[sector]]
id = "a"
walk_ins = 20
service_mean = 6
appointments = 3
appointment_every = 30

[[sector]]
id = "b"
walk_ins = 10
service_mean = 9

[[counter]]
number = 1
sectors = ["a", "b"]

[[counter]]
number = 2
sectors = ["b", "a"]
staffed = ["08:30-09:30"]
)";

// Citizens who left in 2 days of `changed` and of kSmall (the same seed and days).
std::pair<int, int> abandoned_against_small(const Scenario& changed) {
    auto plain = parse_scenario(kSmall, "s.toml");
    REQUIRE(plain.ok());
    SimOptions opt;
    opt.days = 2;
    opt.paths = 40;
    opt.oracle_paths = 8;
    auto a = run_simulation(changed, opt), b = run_simulation(*plain, opt);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    return {a->abandoned, b->abandoned};
}
}  // namespace

TEST_CASE("sim: a malformed scenario is an error naming the line") {
    auto bad_type = std::string(kSmall);
    bad_type.replace(bad_type.find("walk_ins = 20"), 13, "walk_ins = \"many\"");
    auto r = parse_scenario(bad_type, "s.toml");
    REQUIRE_FALSE(r.ok());
    INFO(r.error().message);
    CHECK(r.error().message.rfind("s.toml:11:", 0) == 0);
    CHECK(r.error().message.find("walk_ins") != std::string::npos);

    r = parse_scenario("[scenario]\nname = \"x\"\nhours = [\"08:30-12:30\"\n", "s.toml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.rfind("s.toml:", 0) == 0);

    auto typo = std::string(kSmall);
    typo.replace(typo.find("service_mean = 9"), 16, "service_maen = 9");
    r = parse_scenario(typo, "s.toml");
    REQUIRE_FALSE(r.ok());
    INFO(r.error().message);
    CHECK(r.error().message.rfind("s.toml:19:", 0) == 0);
    CHECK(r.error().message.find("unknown key \"service_maen\"") != std::string::npos);

    auto unknown_sector = std::string(kSmall);
    unknown_sector.replace(unknown_sector.find("[\"b\", \"a\"]"), 10, "[\"b\", \"z\"]");
    r = parse_scenario(unknown_sector, "s.toml");
    REQUIRE_FALSE(r.ok());
    INFO(r.error().message);
    CHECK(r.error().message.rfind("s.toml:27:", 0) == 0);

    auto bad_profile = std::string(kSmall);
    bad_profile.replace(bad_profile.find("[1.0, 1.5, 1.0]"), 15, "[1.0]");
    CHECK_FALSE(parse_scenario(bad_profile, "s.toml").ok());
    CHECK(load_scenario("/nonexistent.toml").error().message.find("cannot open") != std::string::npos);
}

TEST_CASE("sim: the shipped scenarios load") {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(CSC_SOURCE_ASSETS) / "scenarios")) {
        if (e.path().extension() != ".toml") continue;
        auto s = load_scenario(e.path());
        CHECK_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
        ++n;
    }
    CHECK(n >= 4);
}

TEST_CASE("sim: a short seeded simulation is reproducible and reports every predictor") {
    auto sc = parse_scenario(kSmall, "s.toml");
    REQUIRE(sc.ok());
    SimOptions opt;
    opt.days = 2;
    opt.seed = 42;
    opt.paths = 60;
    opt.oracle_paths = 16;
    auto a = run_simulation(*sc, opt);
    auto b = run_simulation(*sc, opt);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(to_json(*a) == to_json(*b));
    CHECK(a->served > 20);
    const auto j = nlohmann::json::parse(to_json(*a));
    for (const char* p : {"ours", "naive", "ql", "ewma", "oracle", "oracle_mean", "engine_oracle", "engine_clairvoyant"}) {
        REQUIRE(j["predictors"].contains(p));
        for (const char* k : {"mae", "p90", "bias", "hit", "coverage", "width", "interval_score", "coverage_2min"})
            CHECK(j["predictors"][p].contains(k));
        CHECK(j["predictors"][p]["interval_score"].get<double>() >= j["predictors"][p]["width"].get<double>());
        CHECK(j["predictors"][p]["coverage_2min"].get<double>() <= 1.0);
        CHECK(j["predictors"][p]["hit"].get<double>() <= 1.0);
        CHECK(j["predictors"][p]["coverage"].get<double>() >= 0.0);
    }
    opt.seed = 43;
    auto c = run_simulation(*sc, opt);
    REQUIRE(c.ok());
    CHECK(to_json(*c) != to_json(*a));
    opt.days = 0;
    CHECK_FALSE(run_simulation(*sc, opt).ok());
}

TEST_CASE("sim: the blind oracle is reported only when asked for, agrees with the oracle while nobody leaves, and differs once citizens leave") {
    // Patience of 1000 minutes: nobody leaves, so not knowing who has left changes nothing
    // and the blind forks (the oracle's seeds) are the oracle's, path by path.
    auto patient_text = std::string(kSmall);
    patient_text.replace(patient_text.find("pause_rate_per_hour = 0.2"), 25, "pause_rate_per_hour = 0.2\npatience_mean = 1000\npatience_cv = 0.1");
    // Patience of 6 minutes with a wide spread: many have left before their call, unseen.
    auto leaving_text = std::string(kSmall);
    leaving_text.replace(leaving_text.find("pause_rate_per_hour = 0.2"), 25, "pause_rate_per_hour = 0.2\npatience_mean = 6\npatience_cv = 1.0");
    auto patient = parse_scenario(patient_text, "patient.toml");
    auto leaving = parse_scenario(leaving_text, "leaving.toml");
    REQUIRE(patient.ok());
    REQUIRE(leaving.ok());
    SimOptions opt;
    opt.days = 2;
    opt.seed = 7;
    opt.paths = 40;
    opt.oracle_paths = 12;
    const auto figures = [](const PredictorScore& p) {
        return std::vector<double>{p.mae, p.p90, p.bias, p.coverage, p.width, p.interval_score, static_cast<double>(p.n)};
    };

    auto unasked = run_simulation(*leaving, opt);
    REQUIRE(unasked.ok());
    CHECK_FALSE(unasked->predictors.count("oracle_blind"));
    CHECK_FALSE(nlohmann::json::parse(to_json(*unasked))["predictors"].contains("oracle_blind"));

    opt.blind_oracle_paths = 12;
    auto calm = run_simulation(*patient, opt);
    REQUIRE(calm.ok());
    CHECK(calm->abandoned == 0);
    REQUIRE(calm->predictors.count("oracle_blind"));
    CHECK(calm->predictors.at("oracle").n > 20);
    CHECK(figures(calm->predictors.at("oracle_blind")) == figures(calm->predictors.at("oracle")));
    CHECK(figures(calm->first_day.at("oracle_blind")) == figures(calm->first_day.at("oracle")));

    auto left = run_simulation(*leaving, opt);
    REQUIRE(left.ok());
    CHECK(left->abandoned > 10);
    REQUIRE(left->predictors.count("oracle_blind"));
    CHECK(left->predictors.at("oracle_blind").n == left->predictors.at("oracle").n);
    CHECK(figures(left->predictors.at("oracle_blind")) != figures(left->predictors.at("oracle")));
    // Asking for it changes nobody else's figures.
    CHECK(figures(left->predictors.at("oracle")) == figures(unasked->predictors.at("oracle")));
    CHECK(figures(left->predictors.at("ours")) == figures(unasked->predictors.at("ours")));
}

TEST_CASE("sim: tickets issued during a surge or an unplanned closure are scored apart, their first 15 minutes too") {
    SimOptions opt;
    opt.days = 2;
    opt.paths = 40;
    opt.oracle_paths = 8;
    const auto run = [&](const std::string& extra) {
        std::string text = kSmall;
        text.insert(text.find("pause_rate_per_hour"), extra);
        auto sc = parse_scenario(text, "s.toml");
        REQUIRE(sc.ok());
        auto r = run_simulation(*sc, opt);
        REQUIRE(r.ok());
        return *r;
    };
    // Nothing disrupted: nothing reported apart.
    const SimResult calm = run("");
    CHECK(calm.disrupted.empty());
    CHECK(calm.onset.empty());
    // A surge every day 09:00-09:40: its tickets, a part of all; those of 09:00-09:15 a part of them.
    const SimResult surge = run("surge_share = 1.0\nsurge = [\"09:00-09:40\"]\nsurge_factor = 3.0\n");
    REQUIRE(surge.disrupted.count("ours"));
    REQUIRE(surge.onset.count("oracle"));
    const int all = surge.predictors.at("ours").n, during = surge.disrupted.at("ours").n, first = surge.onset.at("ours").n;
    INFO("scored " << all << ", during the surge " << during << ", in its first 15 minutes " << first);
    CHECK(first > 0);
    CHECK(first < during);
    CHECK(during < all);
    // Three times the pace for 40 of the day's 120 minutes: more than a third of the tickets.
    CHECK(during * 3 > all);
    // Unplanned closures alone are disruptions too.
    CHECK_FALSE(run("outage_rate_per_hour = 0.5\noutage_minutes = 20\n").disrupted.empty());
    const auto j = nlohmann::json::parse(to_json(surge));
    CHECK(j["disrupted"]["ours"]["n"].get<int>() == during);
    CHECK(j["onset"]["oracle"]["n"].get<int>() == first);
}

TEST_CASE("sim: a sector's own patience is read, checked and makes its citizens leave") {
    auto with = std::string(kSmall);
    with.replace(with.find("service_mean = 6"), 16, "service_mean = 6\npatience_mean = 2\npatience_cv = 0.3");
    auto sc = parse_scenario(with, "s.toml");
    REQUIRE(sc.ok());
    CHECK(sc->sectors[0].patience_mean == 2.0);
    CHECK(sc->sectors[0].patience_cv == 0.3);
    CHECK_FALSE(sc->sectors[1].patience_mean.has_value());
    auto zero = std::string(kSmall);
    zero.replace(zero.find("service_mean = 9"), 16, "service_mean = 9\npatience_mean = 0");
    auto bad = parse_scenario(zero, "s.toml");
    REQUIRE_FALSE(bad.ok());
    INFO(bad.error().message);
    CHECK(bad.error().message.rfind("s.toml:20:", 0) == 0);
    CHECK(bad.error().message.find("patience_mean") != std::string::npos);
    // The same days, seed and citizens: sector a's citizens give up after ~2 minutes, so many
    // more leave than with the scenario's patience (60 minutes) for everyone.
    const auto [impatient, patient] = abandoned_against_small(*sc);
    INFO("abandoned with a 2-minute sector: " << impatient << ", without: " << patient);
    CHECK(impatient >= patient + 5);
}

TEST_CASE("sim: a patience profile by hour is read, checked and makes that hour's citizens leave") {
    auto with = std::string(kSmall);
    with.replace(with.find("profile = [1.0, 1.5, 1.0]"), 25, "profile = [1.0, 1.5, 1.0]\npatience_profile = [1.0, 0.05, 0.05]");
    auto sc = parse_scenario(with, "s.toml");
    REQUIRE_MESSAGE(sc.ok(), (sc.ok() ? "" : sc.error().message));
    CHECK(sc->patience_profile == std::vector<double>{1.0, 0.05, 0.05});
    auto short_one = std::string(kSmall);
    short_one.replace(short_one.find("profile = [1.0, 1.5, 1.0]"), 25, "profile = [1.0, 1.5, 1.0]\npatience_profile = [1.0, 0.5]");
    auto bad = parse_scenario(short_one, "s.toml");
    REQUIRE_FALSE(bad.ok());
    INFO(bad.error().message);
    CHECK(bad.error().message.rfind("s.toml:6:", 0) == 0);  // [arrivals]
    CHECK(bad.error().message.find("patience_profile needs one entry per clock hour") != std::string::npos);
    auto zero = std::string(kSmall);
    zero.replace(zero.find("profile = [1.0, 1.5, 1.0]"), 25, "profile = [1.0, 1.5, 1.0]\npatience_profile = [1.0, 0, 1.0]");
    bad = parse_scenario(zero, "s.toml");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.rfind("s.toml:8:", 0) == 0);
    // The same days and seed: citizens who come after 09:00 give up within minutes.
    const auto [hurried, patient] = abandoned_against_small(*sc);
    INFO("abandoned with the profile: " << hurried << ", without: " << patient);
    CHECK(hurried >= patient + 5);
}

// Regression guard of issue 16: our forecast against the independent oracle (the simulator's
// own forks of its true future, JSON key "oracle"; not our engine with true inputs) on a short
// run of the busy day, 4 days, a new office's first day on priors included. ~4 s of CPU.
// Measured 2026-12-02 (main 2fc3e99, oracle_paths 32): seed 1 ours/oracle MAE 1.015, interval
// score 0.950; the same run with seeds 2-6 gives MAE 0.98-1.08 and interval score 0.96-1.18, so
// a change that only reshuffles the random draws stays under the bounds (1.12, 1.15). It fails
// when the forecast regresses (measured with throwaway patches, not kept): the learner ignoring
// every ticket outcome (priors only) gives MAE 1.437, interval score 1.502; patience never
// refitted 2.848 / 4.589 (and worse than the baselines). Smaller losses do not show on 4 days
// (today's pace ignored: 1.018; today's volume ignored: 1.028): bench_forecast's 20 days x 6
// seeds (docs/FORECAST.md) is the judge of those. With the site's priors and each sector's own
// patience (2026-12-04): seed 1 MAE 1.009, interval score 0.941. Scoring every called walk-in
// (not only the served), linked sectors and patience by hour (2026-12-04, 7016921): 1.038, 0.995.
// With bookings learned the same day and the walk-up learned (6fe204c): 1.041, 0.981. With up
// to 960 paths where a forecast is cheap (session 21): 1.036, 0.976 (~4.3 s). With the oracle's
// pace from the simulator's own laws (session 27, c191c9a; its forks redrawn): 1.040, 1.008.
TEST_CASE("sim: ours stays within 1.12 x the independent oracle's MAE on a short busy run") {
    auto sc = load_scenario(std::filesystem::path(CSC_SOURCE_ASSETS) / "scenarios" / "busy-day.toml");
    REQUIRE(sc.ok());
    SimOptions opt;
    opt.days = 4;
    opt.seed = 1;
    opt.oracle_paths = 32;
    auto r = run_simulation(*sc, opt);
    REQUIRE(r.ok());
    const auto& ours = r->predictors.at("ours");
    const auto& oracle = r->predictors.at("oracle");
    const double ratio = ours.mae / oracle.mae;
    MESSAGE("ours/oracle MAE " << ratio << " (ours " << ours.mae << ", oracle " << oracle.mae << "), interval score ours/oracle "
                               << ours.interval_score / oracle.interval_score);
    CHECK(oracle.n > 500);
    CHECK(ratio <= 1.12);
    CHECK(ours.interval_score <= 1.15 * oracle.interval_score);
    for (const char* b : {"naive", "ql", "ewma"}) CHECK(ours.mae < r->predictors.at(b).mae);
}

// Issue 11: the simulator's booked citizens are real bookings of the core (BookingMade in the
// agenda, check-in tickets linked to them), and they come early, late (past the window: a
// walk-in ticket from the info point) or never (no-shows by the agenda's end-of-day roll).
TEST_CASE("sim: booked citizens are real bookings that check in early or late, walk in past the window, or never come") {
    auto sc = parse_scenario(R"([scenario]
name = "booked"
hours = ["08:30-10:30"]

[[sector]]
id = "a"
walk_ins = 10
service_mean = 4
appointments = 30
appointment_every = 6
appointment_no_show = 0.2
appointment_late_share = 0.5
appointment_late_mean = 12

[[counter]]
number = 1
sectors = ["a"]

[[counter]]
number = 2
sectors = ["a"]
)", "booked.toml");
    REQUIRE(sc.ok());
    const SiteConfig cfg = site_config_of(*sc);
    REQUIRE(cfg.booking.find("a"));
    CHECK(cfg.booking.find("a")->slot_starts(0).size() == 20);
    SimOptions opt;
    opt.days = 3;
    opt.seed = 5;
    opt.paths = 20;
    opt.oracle_paths = 4;
    auto r = run_simulation(*sc, opt);
    REQUIRE(r.ok());
    const BookingCounts& b = r->bookings;
    CHECK(b.made == 3 * 19);  // every slot but the opening one, 08:36 … 10:24
    CHECK(b.checked_in > 0);
    CHECK(b.appointment_tickets == b.checked_in);  // each check-in is a ticket linked to its booking, at its slot
    CHECK(b.walked_in > 0);
    CHECK(b.no_show > 0);
    CHECK(b.checked_in + b.walked_in + b.no_show == b.made);
    const auto j = nlohmann::json::parse(to_json(*r));
    CHECK(j["bookings"]["made"] == b.made);
    CHECK(j["bookings"]["walked_in"] == b.walked_in);
}

TEST_CASE("sim: a sector's bookable services ([[sector.booking]]) are read, checked, and each has its booked citizens' behaviour") {
    const auto with_bookings = [](const std::string& x, const std::string& y) {
        return R"([scenario]
name = "two services"
hours = ["08:30-10:30"]

[[sector]]
id = "a"
walk_ins = 10
service_mean = 4
appointments = 30
appointment_every = 6

[[sector.booking]]
id = "x"
)" + x + R"(

[[sector.booking]]
id = "y"
)" + y + R"(

[[counter]]
number = 1
sectors = ["a"]

[[counter]]
number = 2
sectors = ["a"]
)";
    };
    // x: everyone comes, early; y: nobody comes.
    auto sc = parse_scenario(with_bookings("share = 0.5\nno_show = 0\nlate_share = 0", "share = 0.5\nno_show = 1"), "b.toml");
    REQUIRE_MESSAGE(sc.ok(), (sc.ok() ? "" : sc.error().message));
    REQUIRE(sc->sectors[0].bookings.size() == 2);
    CHECK(sc->sectors[0].bookings[1].no_show == 1.0);
    CHECK(sc->sectors[0].bookings[1].late_mean == 8.0);  // the sector's default
    const SiteConfig cfg = site_config_of(*sc);
    REQUIRE(cfg.booking.find("x"));
    REQUIRE(cfg.booking.find("y"));
    CHECK(cfg.booking.find("y")->sector == "a");
    CHECK_FALSE(cfg.booking.find("a"));  // the sector's services replace the default one
    SimOptions opt;
    opt.days = 3;
    opt.seed = 5;
    opt.paths = 20;
    opt.oracle_paths = 4;
    auto r = run_simulation(*sc, opt);
    REQUIRE(r.ok());
    const BookingCounts& b = r->bookings;
    INFO("made " << b.made << ", checked in " << b.checked_in << ", no-shows " << b.no_show);
    CHECK(b.made == 3 * 19);
    // Each slot's service drawn by the shares (57 draws of a fair coin: 0.3–0.7 is 99.7% sure,
    // and the seed is fixed): y's citizens are the no-shows, x's all check in.
    CHECK(b.no_show > 0.3 * b.made);
    CHECK(b.no_show < 0.7 * b.made);
    CHECK(b.checked_in + b.no_show == b.made);
    // Refused, naming the line: shares that do not add up to 1, an unknown key, an id twice.
    auto bad = parse_scenario(with_bookings("share = 0.5", "share = 0.4"), "b.toml");
    REQUIRE_FALSE(bad.ok());
    INFO(bad.error().message);
    CHECK(bad.error().message.rfind("b.toml:12:", 0) == 0);  // the sector's first [[sector.booking]]
    CHECK(bad.error().message.find("add up to 1") != std::string::npos);
    bad = parse_scenario(with_bookings("share = 0.5\nno_shwo = 0.1", "share = 0.5"), "b.toml");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.rfind("b.toml:15:", 0) == 0);
    CHECK(bad.error().message.find("no_shwo") != std::string::npos);
    auto twice = with_bookings("share = 0.5", "share = 0.5");
    twice.replace(twice.find("id = \"y\""), 8, "id = \"x\"");
    bad = parse_scenario(twice, "b.toml");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.rfind("b.toml:17:", 0) == 0);
    CHECK(bad.error().message.find("used twice") != std::string::npos);
}
