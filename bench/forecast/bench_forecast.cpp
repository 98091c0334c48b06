// bench_forecast [--days N] [--seed S] [--scenarios DIR]: runs every scenario in DIR (default
// the source tree's assets/scenarios) and prints, per scenario, MAE / p90 / bias / hit /
// coverage / width of our forecaster, the oracle and the baselines, the target checks of
// issue 4, and our forecast's compute time per ticket (median, p99).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "shared/sim/simulator.hpp"

int main(int argc, char** argv) {
    int days = 20;
    std::uint64_t seed = 1;
    std::filesystem::path dir = std::filesystem::path(CSC_SOURCE_ASSETS) / "scenarios";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--days")) days = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
        else if (!std::strcmp(argv[i], "--scenarios")) dir = argv[i + 1];
    }
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".toml") files.push_back(e.path());
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
        auto r = csc::sim::run_simulation(*sc, opt);
        if (!r) {
            std::fprintf(stderr, "%s\n", r.error().message.c_str());
            return 1;
        }
        std::printf("\n### %s (%s): %d days, seed %llu — %d served, %d abandoned, %d scored\n\n", sc->name.c_str(),
                    f.filename().c_str(), days, static_cast<unsigned long long>(seed), r->served, r->abandoned,
                    r->predictors.at("ours").n);
        std::printf("| predictor | MAE min | p90 abs err | bias | within ±max(3 min, 20%%) | 80%% range coverage | mean width |\n");
        std::printf("|---|---|---|---|---|---|---|\n");
        for (const char* name : {"ours", "oracle", "naive", "ql", "ewma"}) {
            const auto& s = r->predictors.at(name);
            std::printf("| %s | %.2f | %.2f | %+.2f | %.1f%% | %.1f%% | %.1f |\n", name, s.mae, s.p90, s.bias, 100 * s.hit,
                        100 * s.coverage, s.width);
        }
        const auto& ours = r->predictors.at("ours");
        const double ratio = ours.mae / r->predictors.at("oracle").mae;
        bool below = true;
        for (const char* b : {"naive", "ql", "ewma"}) below = below && ours.mae < r->predictors.at(b).mae;
        const bool cover = ours.coverage >= 0.75 && ours.coverage <= 0.88;
        std::printf("\nours/oracle MAE = %.3f (target <= 1.05: %s); below every baseline: %s; coverage in 75-88%%: %s\n",
                    ratio, ratio <= 1.05 ? "met" : "NOT met", below ? "met" : "NOT met", cover ? "met" : "NOT met");
        all_met = all_met && ratio <= 1.05 && below && cover;
        all_ms.insert(all_ms.end(), r->forecast_ms.begin(), r->forecast_ms.end());
        all_cpu.insert(all_cpu.end(), r->forecast_cpu_ms.begin(), r->forecast_cpu_ms.end());
    }
    for (auto* v : {&all_ms, &all_cpu}) {
        if (v->empty()) continue;
        std::sort(v->begin(), v->end());
        const auto at = [&](double q) { return (*v)[std::min(v->size() - 1, static_cast<std::size_t>(q * v->size()))]; };
        std::printf("%sforecast time per ticket, %s (%zu tickets, <= 240 paths): median %.3f ms, p99 %.3f ms, max %.3f ms\n",
                    v == &all_ms ? "\n" : "", v == &all_ms ? "wall clock" : "thread CPU", v->size(), at(0.5), at(0.99), v->back());
    }
    std::printf("all targets met: %s\n", all_met ? "yes" : "no");
    return 0;
}
