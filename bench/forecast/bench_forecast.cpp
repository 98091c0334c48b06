// bench_forecast [--days N (default 20)] [--seed S] [--scenarios DIR] [--only NAME] [--oracle-paths K]
// [--blind-oracle-paths K] [--queue-only 1] [--no-queue 1]: runs every scenario in DIR (default the source tree's
// assets/scenarios; --only: the files whose name contains NAME) and prints, per scenario, MAE /
// p90 / bias / hit / coverage (all, and over waits >= 2 min) / width / interval score of our
// forecaster, the independent oracle, the engine-with-true-inputs rows and the baselines (and,
// with --blind-oracle-paths, the oracle not told who has already left, and a `blind` line per
// run: ours and its MAE and interval score), the target checks of issue 16, and our forecast's compute time per ticket (median, p99); then the
// forecast's compute time for a new ticket with 50, 150, 300 and 500 citizens waiting (the
// busy-day office with every counter busy). --queue-only 1 runs the long-queue part only.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <time.h>

#include "shared/forecast.hpp"
#include "shared/forecast/outlook.hpp"
#include "shared/office_state.hpp"
#include "shared/rng.hpp"
#include "shared/sim/simulator.hpp"

namespace {

using namespace csc;

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// The forecast's cost at the tap with a long queue: the busy-day office at 10:00 with
// `waiting` citizens issued over the last 90 minutes (sectors by their walk-in volume, 8%
// priority), every counter open and busy. Each sample is what Office::issue computes for a new
// ticket: snapshot_of + ForecastLearner::params + forecast_wait (kForecastPaths at most), with
// parameters shaped like the scenario's (service means and spread, hourly arrivals, pauses,
// a gone-at-call curve). Prints median and p99 of wall-clock and thread-CPU time.
bool long_queue_bench(const std::filesystem::path& dir) {
    auto sc = sim::load_scenario(dir / "busy-day.toml");
    if (!sc) {
        std::fprintf(stderr, "%s\n", sc.error().message.c_str());
        return false;
    }
    const SiteConfig cfg = sim::site_config_of(*sc);
    ForecastParams params;
    double profile_sum = 0;
    for (double x : sc->profile) profile_sum += x;
    const int first_hour = sc->hours.front().begin / 60;
    for (const auto& sec : sc->sectors) {
        SectorParams sp;
        sp.service_mean_min.fill(sec.service_mean);
        sp.service_sigma = std::sqrt(std::log(1 + sec.service_cv * sec.service_cv));
        for (std::size_t k = 0; k < sc->profile.size(); ++k)
            sp.arrivals_per_hour[static_cast<std::size_t>(first_hour) + k] = sec.walk_ins * sc->profile[k] / profile_sum;
        sp.priority_share = sec.priority_share;
        sp.speed_uncertainty = 0.05;
        params.sectors.push_back(sp);
    }
    params.patience_mean_min = sc->patience_mean;
    params.pause_rate_per_hour = sc->pause_rate_per_hour;
    params.pause_mean_min = sc->pause_minutes;
    params.patience_lognormal = true;
    params.patience_sigma = std::sqrt(std::log(1 + sc->patience_cv * sc->patience_cv));
    ForecastLearner learner(cfg);

    std::printf("\n### Forecast time with a long queue (busy-day.toml office, every counter busy, <= %d paths)\n\n", kForecastPaths);
    std::printf("| waiting | wall median | wall p99 | CPU median | CPU p99 | CPU max |\n|---|---|---|---|---|---|\n");
    bool met = true;
    // The last row: 500 waiting in one sector (anagrafe), the case issue 16 names.
    for (int waiting : {50, 150, 300, 500, -500}) {
        const bool one_sector = waiting < 0;
        waiting = std::abs(waiting);
        OfficeState state(cfg);
        const Millis open = cfg.timezone.from_local(sc->start, sc->hours.front().begin);
        const Millis now = open + 90 * 60'000;
        std::int64_t seq = 0;
        auto apply = [&](Millis t, EventBody body) {
            Event e;
            e.device = "bench";
            e.seq = ++seq;
            e.id = make_event_id(e.device, e.seq);
            e.time = t;
            e.body = std::move(body);
            return state.apply(e);
        };
        for (const auto& c : cfg.counters) (void)apply(open, CounterOpened{c.number});
        double total = 0;
        for (const auto& sec : sc->sectors) total += sec.walk_ins;
        Rng rng(7);
        const int n = waiting + static_cast<int>(cfg.counters.size());  // the first ones go to the counters
        for (int i = 0; i < n; ++i) {
            double u = rng.uniform() * total;
            std::size_t s = 0;
            while (!one_sector && s + 1 < sc->sectors.size() && u >= sc->sectors[s].walk_ins) u -= sc->sectors[s++].walk_ins;
            TicketIssued b;
            b.sector = sc->sectors[s].id;
            b.priority = rng.chance(0.08) ? "priority" : "";
            (void)apply(open + static_cast<Millis>(i) * 90 * 60'000 / n, b);
        }
        for (const auto& c : cfg.counters) {
            (void)apply(now - 4 * 60'000, TicketCalled{c.number, {}});
            (void)apply(now - 3 * 60'000, ServiceStarted{c.number});
        }
        std::vector<double> wall, cpu;
        for (int rep = 0; rep < 200; ++rep) {
            const auto& sec = sc->sectors[one_sector ? 0 : static_cast<std::size_t>(rep) % sc->sectors.size()];
            const auto t0 = std::chrono::steady_clock::now();
            const double c0 = thread_cpu_ms();
            QueueSnapshot snap = snapshot_of(state, now);
            const int target = find_target(snap, cfg, QueueTarget{{}, sec.id, {}});
            const ForecastParams learned = learner.params(sc->start.key(), 600);
            (void)learned;
            const WaitForecast f = forecast_wait(snap, target, params, kForecastPaths, Rng::seed_of(sec.id.c_str(), static_cast<std::uint64_t>(rep)));
            cpu.push_back(thread_cpu_ms() - c0);
            wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            if (f.median_min < 0) return false;
        }
        std::sort(wall.begin(), wall.end());
        std::sort(cpu.begin(), cpu.end());
        const auto at = [](const std::vector<double>& v, double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * v.size()))]; };
        int now_waiting = 0;
        for (const auto& sec : sc->sectors) now_waiting += state.waiting(sec.id);
        std::printf(one_sector ? "| %d in one sector | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms |\n"
                               : "| %d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms |\n",
                    now_waiting, at(wall, 0.5), at(wall, 0.99),
                    at(cpu, 0.5), at(cpu, 0.99), cpu.back());
        met = met && at(cpu, 0.99) <= 5.0;
    }
    std::printf("\nforecast <= 5 ms per ticket (CPU p99) up to 500 waiting: %s\n", met ? "met" : "NOT met");
    return met;
}

}  // namespace

int main(int argc, char** argv) {
    int days = 20;  // issue 16 judges 20 days, a new office's first day included
    std::uint64_t seed = 1;
    int oracle_paths = 48, blind_oracle_paths = 0;
    bool queue_only = false, no_queue = false;
    std::string only;
    std::filesystem::path dir = std::filesystem::path(CSC_SOURCE_ASSETS) / "scenarios";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--days")) days = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
        else if (!std::strcmp(argv[i], "--scenarios")) dir = argv[i + 1];
        else if (!std::strcmp(argv[i], "--queue-only")) queue_only = std::atoi(argv[i + 1]) != 0;
        else if (!std::strcmp(argv[i], "--no-queue")) no_queue = std::atoi(argv[i + 1]) != 0;
        else if (!std::strcmp(argv[i], "--only")) only = argv[i + 1];
        else if (!std::strcmp(argv[i], "--oracle-paths")) oracle_paths = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--blind-oracle-paths")) blind_oracle_paths = std::atoi(argv[i + 1]);
    }
    if (queue_only) return long_queue_bench(dir) ? 0 : 2;
    // Measured in docs/PERFORMANCE.md (session 28): figures unchanged, wall −13%. The long-queue
    // timing (--queue-only 1, above, as docs/PERFORMANCE.md measures the issue's ≤ 5 ms) keeps the
    // allocator's defaults, as the kiosk does.
    sim::keep_freed_memory_for_forks();
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".toml" && e.path().filename().string().find(only) != std::string::npos) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<double> all_ms, all_cpu;
    bool all_met = true;
    for (const auto& f : files) {
        auto sc = csc::sim::load_scenario(f);
        if (!sc) {
            std::fprintf(stderr, "%s\n", sc.error().message.c_str());
            return 1;
        }
        csc::sim::SimOptions opt;
        opt.days = days;
        opt.seed = seed;
        opt.oracle_paths = oracle_paths;
        opt.blind_oracle_paths = blind_oracle_paths;
        auto r = csc::sim::run_simulation(*sc, opt);
        if (!r) {
            std::fprintf(stderr, "%s\n", r.error().message.c_str());
            return 1;
        }
        std::printf("\n### %s (%s): %d days, seed %llu — %d served, %d abandoned, %d scored\n\n", sc->name.c_str(),
                    f.filename().c_str(), days, static_cast<unsigned long long>(seed), r->served, r->abandoned,
                    r->predictors.at("ours").n);
        std::printf("| predictor | MAE min | p90 abs err | bias | within ±max(3 min, 20%%) | 80%% range coverage | coverage, waits >= 2 min | mean width | interval score |\n");
        std::printf("|---|---|---|---|---|---|---|---|---|\n");
        for (const char* name : {"ours", "oracle", "oracle_mean", "oracle_blind", "engine_oracle", "engine_clairvoyant", "naive", "ql", "ewma"}) {
            if (!r->predictors.count(name)) continue;  // oracle_blind when asked for
            const auto& s = r->predictors.at(name);
            std::printf("| %s | %.2f | %.2f | %+.2f | %.1f%% | %.1f%% | %.1f%% | %.1f | %.2f |\n", name, s.mae, s.p90, s.bias,
                        100 * s.hit, 100 * s.coverage, 100 * s.coverage_2min, s.width, s.interval_score);
        }
        const auto& ours = r->predictors.at("ours");
        const auto& oracle = r->predictors.at("oracle");
        const double ratio = ours.mae / oracle.mae;
        const double is_ratio = ours.interval_score / oracle.interval_score;
        bool below = true;
        for (const char* b : {"naive", "ql", "ewma"}) below = below && ours.mae < r->predictors.at(b).mae;
        const bool cover = ours.coverage_2min >= 0.75 && ours.coverage_2min <= 0.88;
        std::printf("\nours/oracle MAE = %.3f (target <= 1.05: %s); below every baseline: %s; coverage over waits >= 2 min "
                    "%.1f%% (75-88%%: %s); interval score ours/oracle = %.3f (<= 1.10: %s)\n",
                    ratio, ratio <= 1.05 ? "met" : "NOT met", below ? "met" : "NOT met", 100 * ours.coverage_2min,
                    cover ? "met" : "NOT met", is_ratio, is_ratio <= 1.10 ? "met" : "NOT met");
        // One line per run for bench/forecast/judge_summary.py (the worst run of the judged set).
        std::printf("summary\t%s\t%llu\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%d\n", f.filename().c_str(),
                    static_cast<unsigned long long>(seed), days, oracle_paths, ours.mae, oracle.mae, ours.p90, oracle.p90,
                    ours.interval_score, oracle.interval_score, ours.coverage, ours.coverage_2min, below ? 1 : 0);
        if (r->predictors.count("oracle_blind")) {
            const auto& blind = r->predictors.at("oracle_blind");
            std::printf("blind\t%s\t%llu\t%.4f\t%.4f\t%.4f\t%.4f\n", f.filename().c_str(), static_cast<unsigned long long>(seed),
                        ours.mae, blind.mae, ours.interval_score, blind.interval_score);
        }
        // The first day alone (a new office on its priors: the site's expected figures, if any).
        const auto& ours1 = r->first_day.at("ours");
        const auto& oracle1 = r->first_day.at("oracle");
        std::printf("first day (a new office): ours MAE %.2f, oracle %.2f, ours/oracle %.3f over %d tickets\n", ours1.mae,
                    oracle1.mae, oracle1.mae > 0 ? ours1.mae / oracle1.mae : 0.0, ours1.n);
        std::printf("first_day\t%s\t%llu\t%.4f\t%.4f\t%d\n", f.filename().c_str(), static_cast<unsigned long long>(seed),
                    ours1.mae, oracle1.mae, ours1.n);
        // Tickets issued while a surge or an unplanned closure was under way, and in its first
        // 15 minutes: how soon the forecast follows (reported, not judged).
        for (const auto& [name, part] : {std::pair{"disrupted", &r->disrupted}, std::pair{"onset", &r->onset}}) {
            if (part->empty()) continue;
            const auto& o = part->at("ours");
            const auto& x = part->at("oracle");
            std::printf("%s\t%s\t%llu\t%.4f\t%.4f\t%d\t%.4f\t%.4f\n", name, f.filename().c_str(),
                        static_cast<unsigned long long>(seed), o.mae, x.mae, o.n, o.interval_score, x.interval_score);
        }
        all_met = all_met && ratio <= 1.05 && below && cover && is_ratio <= 1.10;
        all_ms.insert(all_ms.end(), r->forecast_ms.begin(), r->forecast_ms.end());
        all_cpu.insert(all_cpu.end(), r->forecast_cpu_ms.begin(), r->forecast_cpu_ms.end());
    }
    for (auto* v : {&all_ms, &all_cpu}) {
        if (v->empty()) continue;
        std::sort(v->begin(), v->end());
        const auto at = [&](double q) { return (*v)[std::min(v->size() - 1, static_cast<std::size_t>(q * v->size()))]; };
        std::printf("%sforecast time per ticket, %s (%zu tickets, <= %d paths): median %.3f ms, p99 %.3f ms, max %.3f ms\n",
                    v == &all_ms ? "\n" : "", v == &all_ms ? "wall clock" : "thread CPU", v->size(), kForecastPaths, at(0.5), at(0.99), v->back());
    }
    if (!no_queue) all_met = long_queue_bench(dir) && all_met;
    std::printf("all targets met: %s\n", all_met ? "yes" : "no");
    return 0;
}
