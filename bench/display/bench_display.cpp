// bench_display — figures of the queue display (docs/PERFORMANCE.md, "Display and counter").
//
//   xvfb-run -a -s "-screen 0 1920x1080x24" bench_display [N]     N calls (default 40)
//
// The real display program (`kiosk run --role display`, fullscreen 1920×1080, sound written to a
// WAV instead of the sound card) runs on a store; this process plays counter 1 on the same store
// (as the counter terminal would: Office::call_next, an fsync'd append) and measures, per call:
//   call → shown: from just before call_next() until the display's layout dump (written after
//     the frame that shows it is on screen) lists the ticket first. Includes the store append,
//     the display's 200 ms store poll, its state scan and one llvmpipe frame.
//   call → sound: the display's own figure (call noticed → chime+voice synthesized, Italian).
// Then: the display's CPU over 10 s at rest (after the highlight ends) and its memory.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/common/proc_stats.hpp"
#include "kiosk/app/context.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

using csc::bench::cpu_ticks;
using csc::bench::status_kb;

namespace {

constexpr const char* kOpenTime = "2026-11-26T09:00";  // a Thursday: open until 12:30

double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5))];
}

nlohmann::json read_json(const fs::path& f) {
    std::ifstream in(f);
    if (!in) return nullptr;
    auto j = nlohmann::json::parse(in, nullptr, false);
    return j.is_discarded() ? nlohmann::json(nullptr) : j;
}


}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 40;
    if (!std::getenv("DISPLAY")) {
        std::cerr << "bench_display: needs an X display: xvfb-run -a -s \"-screen 0 1920x1080x24\" bench_display\n";
        return 1;
    }
    const fs::path dir = fs::temp_directory_path() / ("csc-bench-display-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    setenv("CSC_NOW", kOpenTime, 1);
    csc::app::GlobalOptions options;
    options.data = dir / "data";
    options.device = "bench-counter";
    auto ctx = csc::app::open_context(options);
    if (!ctx) {
        std::cerr << "bench_display: " << ctx.error().message << '\n';
        return 1;
    }
    csc::Office& office = *(*ctx)->office;

    const fs::path layout = dir / "layout.json", ready = dir / "ready.json", wav = dir / "call.wav";
    const std::string data = options.data.string();
    std::vector<std::string> args{CSC_KIOSK_BINARY, "--data", data, "--device", "display-1", "run", "--role",
                                  "display", "--fullscreen", "--layout-file", layout.string(), "--ready-file",
                                  ready.string(), "--sound-file", wav.string()};
    std::vector<char*> argvv;
    for (auto& a : args) argvv.push_back(a.data());
    argvv.push_back(nullptr);
    pid_t pid = -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid, argvv[0], &fa, nullptr, argvv.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    if (pid <= 0) {
        std::cerr << "bench_display: cannot start " << CSC_KIOSK_BINARY << '\n';
        return 1;
    }
    const auto started = Steady::now();
    while (!fs::exists(ready) && Steady::now() - started < 30s) std::this_thread::sleep_for(10ms);
    std::this_thread::sleep_for(1500ms);  // first outlook, a settled display

    if (auto r = office.open_counter(1); !r) std::cerr << "bench_display: " << r.error().message << '\n';
    std::vector<double> shown_ms, record_ms, sound_ms;
    int missed = 0;
    for (int i = 0; i < n; ++i) {
        csc::IssueRequest req;
        req.sector = "anagrafe";
        req.service = "certificati";
        req.channel = "cli";
        auto issued = office.issue(req);
        if (!issued) {
            std::cerr << "bench_display: " << issued.error().message << '\n';
            break;
        }
        const std::string label = issued->ticket.label;
        // Calls come at irregular moments relative to the display's 200 ms poll.
        std::this_thread::sleep_for(std::chrono::milliseconds(300 + (i * 137) % 400));
        const auto t0 = Steady::now();
        auto called = office.call_next(1);
        const auto t1 = Steady::now();
        if (!called) {
            std::cerr << "bench_display: " << called.error().message << '\n';
            break;
        }
        record_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        bool seen = false;
        while (Steady::now() - t0 < 5s) {
            const auto j = read_json(layout);
            if (j.is_object() && j.contains("calls") && !j["calls"].empty() && j["calls"][0]["label"] == label) {
                shown_ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
                seen = true;
                break;
            }
            std::this_thread::sleep_for(1ms);
        }
        if (!seen) ++missed;
        // Let the sound be made before the next call (a real counter takes minutes per citizen).
        const int sounds_before = i;
        while (Steady::now() - t0 < 10s) {
            const auto j = read_json(layout);
            if (j.is_object() && j.value("sounds", 0) > sounds_before) {
                sound_ms.push_back(j.value("last_sound_ms", 0.0));
                break;
            }
            std::this_thread::sleep_for(20ms);
        }
        (void)office.start_service(1);
        (void)office.finish_service(1);
    }
    std::printf("calls: %d (missed %d)\n", static_cast<int>(shown_ms.size()), missed);
    std::printf("call recorded (store append, synchronous=FULL): p50 %.1f ms, p99 %.1f ms\n", pct(record_ms, 0.5),
                pct(record_ms, 0.99));
    std::printf("call -> shown on the display: p50 %.0f ms, p99 %.0f ms, max %.0f ms\n", pct(shown_ms, 0.5),
                pct(shown_ms, 0.99), pct(shown_ms, 1.0));
    std::printf("call noticed -> chime+voice synthesized (Italian): p50 %.0f ms, p99 %.0f ms\n", pct(sound_ms, 0.5),
                pct(sound_ms, 0.99));

    std::this_thread::sleep_for(9s);  // the highlight ends, the display rests
    const long before = cpu_ticks(pid);
    std::this_thread::sleep_for(10s);
    const long used = cpu_ticks(pid) - before;
    const double tick_ms = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
    std::printf("display idle CPU over 10 s at rest: %ld ticks = %.2f%% of a core\n", used,
                used * tick_ms / 10000.0 * 100.0);
    std::printf("display memory at rest: RssAnon %ld KiB, VmRSS %ld KiB\n", status_kb(pid, "RssAnon"),
                status_kb(pid, "VmRSS"));
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    fs::remove_all(dir);
    return missed == 0 ? 0 : 2;
}
