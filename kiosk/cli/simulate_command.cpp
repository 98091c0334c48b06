// `kiosk simulate --scenario FILE [--days N] [--seed S] [--json]`: simulated office days that
// measure the wait forecast against baselines and an oracle (shared/sim, docs/FORECAST.md).
#include <cstdio>
#include <iostream>

#include "kiosk/cli/commands.hpp"
#include "shared/sim/simulator.hpp"

namespace csc::cli {

using namespace csc::app;  // the application layer these commands call

void add_simulate_command(CLI::App& app, const GlobalOptions&, int& exit_code) {
    struct Args {
        std::string scenario;
        int days = 20;
        std::uint64_t seed = 1;
        int paths = kForecastPaths;
        int oracle_paths = 48;
        int blind_oracle_paths = 0;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("simulate", "simulate office days and score the wait forecast");
    cmd->add_option("--scenario", args->scenario, "scenario file (TOML, see assets/scenarios)")->required();
    cmd->add_option("--days", args->days, "days to simulate")->check(CLI::Range(1, 1000));
    cmd->add_option("--seed", args->seed, "random seed (same seed, same result)");
    cmd->add_option("--paths", args->paths, "Monte Carlo paths per forecast at most (as the kiosk: fewer on long queues)")->check(CLI::Range(10, 5000));
    cmd->add_option("--oracle-paths", args->oracle_paths, "forks of the true future per forecast (the oracle)")
        ->check(CLI::Range(8, 2000));
    cmd->add_option("--blind-oracle-paths", args->blind_oracle_paths,
                    "forks per forecast of an oracle not told who has already left (0: not run)")
        ->check(CLI::Range(0, 2000));
    cmd->add_flag("--json", args->json, "print the result as JSON");
    cmd->callback([&exit_code, args] {
        auto scenario = sim::load_scenario(args->scenario);
        if (!scenario) {
            std::cerr << "kiosk: " << scenario.error().message << '\n';
            exit_code = 1;
            return;
        }
        sim::SimOptions opt;
        opt.days = args->days;
        opt.seed = args->seed;
        opt.paths = args->paths;
        opt.oracle_paths = args->oracle_paths;
        opt.blind_oracle_paths = args->blind_oracle_paths;
        sim::keep_freed_memory_for_forks();  // a process that only simulates
        auto r = sim::run_simulation(*scenario, opt);
        if (!r) {
            std::cerr << "kiosk: " << r.error().message << '\n';
            exit_code = 1;
            return;
        }
        if (args->json) {
            std::cout << sim::to_json(*r) << '\n';
        } else {
            std::printf("%s: %d days, seed %llu: %d served, %d abandoned\n", scenario->name.c_str(), args->days,
                        static_cast<unsigned long long>(args->seed), r->served, r->abandoned);
            std::printf("%-19s %7s %7s %7s %7s %9s %9s %7s %9s\n", "", "MAE", "p90", "bias", "hit", "coverage",
                        "cov>=2m", "width", "interval");
            for (const char* name : {"ours", "oracle", "oracle_mean", "oracle_blind", "engine_oracle", "engine_clairvoyant", "naive", "ql", "ewma"}) {
                if (!r->predictors.count(name)) continue;  // oracle_blind when asked for
                const auto& s = r->predictors.at(name);
                std::printf("%-19s %7.2f %7.2f %+7.2f %6.1f%% %8.1f%% %8.1f%% %7.1f %9.2f\n", name, s.mae, s.p90, s.bias,
                            100 * s.hit, 100 * s.coverage, 100 * s.coverage_2min, s.width, s.interval_score);
            }
        }
        exit_code = 0;
    });
}

}  // namespace csc::cli
