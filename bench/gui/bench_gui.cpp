// bench_gui — figures of the entrance kiosk (docs/PERFORMANCE.md, "Entrance kiosk GUI").
//
//   bench_gui [N]            N tickets for tap-to-ticket (default 200)
//
// 1. Tap to ticket, in process: EntranceRole::choose_sector() (what a tap calls) → worker
//    records the ticket (SQLite WAL, synchronous=FULL) → PrintSpooler encodes it and hands the
//    last byte to a file transport → its report. The X-event-to-ImGui delay (one frame) is not
//    included; the GUI test's layout dump reports the same figure from the real program.
// 2. With $DISPLAY (run under xvfb-run): the real `kiosk run` — time to first frame (spawn →
//    ready file), ImGui CPU per frame without the rasteriser (--frames, NewFrame…Render), idle
//    CPU over 10 s at rest (/proc/PID/stat), RssAnon at rest (/proc/PID/status).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include "bench/common/proc_stats.hpp"
#include "kiosk/app/context.hpp"
#include "kiosk/gui/roles/entrance.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

using csc::bench::cpu_ticks;
using csc::bench::status_kb;

namespace {

constexpr const char* kOpenTime = "2026-11-26T10:00";  // a Thursday morning: the office is open

double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5))];
}

void tap_to_ticket(int n) {
    const fs::path dir = fs::temp_directory_path() / ("csc-bench-gui-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    setenv("CSC_NOW", kOpenTime, 1);
    csc::app::GlobalOptions options;
    options.data = dir / "data";
    options.printer = "file:" + (dir / "printer.bin").string();
    auto ctx = csc::app::open_context(options);
    if (!ctx) {
        std::cerr << "bench_gui: " << ctx.error().message << '\n';
        return;
    }
    csc::gui::IconMap icons;
    std::mutex m;
    std::condition_variable cv;
    bool woken = false;
    csc::gui::RoleEnv env{**ctx, icons, [&] {
                              std::lock_guard lock(m);
                              woken = true;
                              cv.notify_all();
                          },
                          ""};
    csc::gui::EntranceRole role(env);
    role.update(Steady::now());
    std::vector<double> ms;
    int failed = 0;
    for (int i = 0; i < n; ++i) {
        role.choose_sector("protocollo");  // no services: the tap issues at once
        const auto give_up = Steady::now() + 10s;
        for (;;) {
            role.update(Steady::now());
            const auto phase = role.view().confirm.phase;
            if (phase == csc::gui::ConfirmPhase::Printed) break;
            if (phase == csc::gui::ConfirmPhase::PrinterDown || phase == csc::gui::ConfirmPhase::NotIssued ||
                Steady::now() > give_up) {
                ++failed;
                break;
            }
            std::unique_lock lock(m);
            cv.wait_for(lock, 100ms, [&] { return woken; });
            woken = false;
        }
        if (auto t = role.last_tap_to_print_ms()) ms.push_back(*t);
        role.go_home();
        role.update(Steady::now());
    }
    // The store alone (one TicketIssued, WAL + synchronous=FULL), for the breakdown.
    std::vector<double> store_ms;
    for (int i = 0; i < n; ++i) {
        csc::IssueRequest req;
        req.sector = "protocollo";
        const auto t0 = Steady::now();
        auto issued = (*ctx)->office->issue(req);
        if (issued) store_ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
    }
    std::printf("tap to ticket (store synchronous=FULL + spooler + file transport), %d tickets:\n", n);
    std::printf("  p50 %.2f ms   p99 %.2f ms   max %.2f ms   failed %d\n", pct(ms, 0.5), pct(ms, 0.99), pct(ms, 1.0),
                failed);
    std::printf("  of which recording the ticket (Office::issue, fsync): p50 %.2f ms   p99 %.2f ms\n", pct(store_ms, 0.5),
                pct(store_ms, 0.99));
    fs::remove_all(dir);
}

// ---- The real program.

struct Child {
    pid_t pid = -1;
};

Child spawn(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    Child c;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&c.pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) c.pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    return c;
}

int finish(Child& c, bool terminate) {
    if (c.pid <= 0) return -1;
    if (terminate) kill(c.pid, SIGTERM);
    int status = 0;
    waitpid(c.pid, &status, 0);
    c.pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


std::string read_file(const fs::path& p) {
    std::ifstream f(p);
    return std::string((std::istreambuf_iterator<char>(f)), {});
}

double json_number(const std::string& text, const std::string& key) {
    const auto at = text.find("\"" + key + "\"");
    if (at == std::string::npos) return -1;
    return std::atof(text.c_str() + text.find(':', at) + 1);
}

void real_program(const std::string& orientation, int runs) {
    const fs::path dir = fs::temp_directory_path() / ("csc-bench-gui-run-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    setenv("CSC_NOW", kOpenTime, 1);
    auto base = [&](const std::string& name) {
        return std::vector<std::string>{CSC_KIOSK_BINARY, "--data", (dir / "data").string(), "--printer", "emulated",
                                        "run", "--fullscreen", "--orientation", orientation,
                                        "--ready-file", (dir / (name + ".ready")).string()};
    };

    // Time to first frame: spawn → ready file (external), and the program's own figure.
    std::vector<double> external, internal;
    for (int i = 0; i < runs; ++i) {
        const auto ready = dir / ("first" + std::to_string(i) + ".ready");
        auto args = base("first" + std::to_string(i));
        args.push_back("--exit-after-ms");
        args.push_back("30000");
        const auto t0 = Steady::now();
        Child c = spawn(args);
        while (!fs::exists(ready) && Steady::now() - t0 < 30s) std::this_thread::sleep_for(1ms);
        external.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
        internal.push_back(json_number(read_file(ready), "first_frame_ms"));
        finish(c, true);
    }
    std::printf("%s: time to first frame, %d runs: spawn→ready p50 %.0f ms (max %.0f); in-process p50 %.0f ms\n",
                orientation.c_str(), runs, pct(external, 0.5), pct(external, 1.0), pct(internal, 0.5));

    // ImGui CPU per frame (no rasteriser): 300 frames back to back of the home screen.
    {
        auto args = base("frames");
        const auto stats = dir / "frames.json";
        for (const std::string& a : std::vector<std::string>{"--frames", "300", "--stats-file", stats.string()})
            args.push_back(a);
        Child c = spawn(args);
        finish(c, false);
        const std::string s = read_file(stats);
        std::printf("%s: ImGui CPU per frame (thread CPU, NewFrame..Render), 300 frames: p50 %.3f ms  p99 %.3f ms "
                    "(wall p50 %.3f p99 %.3f); rasterise+swap wall p50 %.1f ms\n",
                    orientation.c_str(), json_number(s, "ui_ms_p50"), json_number(s, "ui_ms_p99"),
                    json_number(s, "ui_wall_ms_p50"), json_number(s, "ui_wall_ms_p99"), json_number(s, "render_ms_p50"));
    }

    // At rest: idle CPU over 10 s and memory.
    {
        auto args = base("idle");
        Child c = spawn(args);
        const auto t0 = Steady::now();
        while (!fs::exists(dir / "idle.ready") && Steady::now() - t0 < 30s) std::this_thread::sleep_for(5ms);
        std::this_thread::sleep_for(2s);
        const long before = cpu_ticks(c.pid);
        std::this_thread::sleep_for(10s);
        const long used = cpu_ticks(c.pid) - before;
        const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
        std::printf("%s: idle CPU over 10 s at rest: %ld ticks = %.2f%% of a core\n", orientation.c_str(), used,
                    100.0 * used / hz / 10.0);
        std::printf("%s: memory at rest: RssAnon %ld KiB, VmRSS %ld KiB\n", orientation.c_str(),
                    status_kb(c.pid, "RssAnon"), status_kb(c.pid, "VmRSS"));
        finish(c, true);
    }
    fs::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
    tap_to_ticket(n);
    if (!std::getenv("DISPLAY")) {
        std::printf("(no DISPLAY: run under xvfb-run for the real program's figures)\n");
        return 0;
    }
    const char* orientation = std::getenv("CSC_BENCH_ORIENTATION");
    real_program(orientation ? orientation : "portrait", 5);
    return 0;
}
