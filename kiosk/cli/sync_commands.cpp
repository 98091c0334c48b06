// `kiosk sync`: run this device's LAN sync headless (tests, a display-less relay, diagnostics).
// Like `kiosk run`, it forgets the personal data of bookings past keep_days (at start and once a
// minute when the agenda's day has rolled: Office::purge_personal_data_if_due): a relay that
// runs for months holds the stream's bookings in its store too.
#include <csignal>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "kiosk/cli/commands.hpp"
#include "kiosk/app/lan_session.hpp"
#include "kiosk/app/presence_beacon.hpp"

namespace csc::cli {

using namespace csc::app;  // the application layer these commands call

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

nlohmann::json status_json(Context& ctx, const LanSession& lan) {
    const auto st = lan.status();
    char hex[24];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(ctx.office->confirmed_hash()));
    return {{"device", ctx.office->device()}, {"online", st.online},       {"stale", st.stale},
            {"applied_seq", st.applied_seq},  {"stream_last_seq", st.stream_last_seq},
            {"unconfirmed", st.unconfirmed},  {"rejected", st.rejected},  {"server", st.server},
            {"last_error", st.last_error},    {"conflict", st.conflict},  {"state_hash", hex},
            {"agenda_complete", ctx.office->agenda_complete()}, {"agenda_snapshot_base", ctx.office->agenda_snapshot_base()}};
}

}  // namespace

void add_sync_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    struct Args {
        long for_ms = 0;
        int device_index = 0;
        bool json = false, until_caught_up = false;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("sync", "run this device's LAN sync ([sync] in the site configuration)");
    cmd->add_option("--for-ms", args->for_ms, "stop after this many ms (0 = until SIGINT/SIGTERM)");
    cmd->add_option("--device-index", args->device_index, "this device's index 1..9 (overrides [sync] device_index)");
    cmd->add_flag("--until-caught-up", args->until_caught_up, "stop as soon as everything is applied and sent");
    cmd->add_flag("--json", args->json, "print the final status as JSON");
    cmd->callback([&options, &exit_code, args] {
        auto ctx = open_context(options);
        if (!ctx) {
            std::cerr << "kiosk: " << ctx.error().message << '\n';
            return void(exit_code = 1);
        }
        if (!(*ctx)->config.sync.enabled()) {
            std::cerr << "kiosk: no [sync] servers in " << (*ctx)->config.source.string() << ": this is a single-machine office\n";
            return void(exit_code = 2);
        }
        auto lan = start_lan_session(**ctx, 0, args->device_index);
        if (!lan) {
            std::cerr << "kiosk: " << lan.error().message << '\n';
            return void(exit_code = 1);
        }
        std::signal(SIGINT, on_signal);
        std::signal(SIGTERM, on_signal);
        // A daemon says it is alive (the IT dashboard); a one-shot catch-up does not.
        std::optional<app::PresenceBeacon> beacon;
        if (!args->until_caught_up) beacon.emplace(**ctx, "sync", 0, lan->get());
        const Millis until = args->for_ms > 0 ? (*ctx)->clock.now() + args->for_ms : 0;
        bool caught_up = false;
        auto next_purge = std::chrono::steady_clock::now();  // at start, then every minute
        const auto purge_if_due = [&] {
            if (std::chrono::steady_clock::now() < next_purge) return;
            next_purge = std::chrono::steady_clock::now() + std::chrono::minutes(1);
            if (auto purged = (*ctx)->office->purge_personal_data_if_due(); !purged)
                std::cerr << "kiosk: booking purge: " << purged.error().message << '\n';
        };
        while (!g_stop && (until == 0 || (*ctx)->clock.now() < until)) {
            purge_if_due();
            if (args->until_caught_up && (*lan)->replicator().wait_caught_up(200)) {
                caught_up = true;
                break;
            }
            if (!args->until_caught_up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        // Said on stderr so that a slow stop shows which part took the time (the LAN test's
        // "did not stop within 10 s" quotes the last lines).
        if (g_stop) std::cerr << "kiosk sync: stopping (signal received)\n";
        // What the stream brought may have rolled the agenda (a short run, a catch-up): once more.
        next_purge = std::chrono::steady_clock::now();
        purge_if_due();
        if (args->json)
            std::cout << status_json(**ctx, **lan).dump() << '\n';
        else
            std::cout << (*lan)->status_line() << '\n';
        beacon.reset();  // its last word goes out before the link closes
        if (g_stop) std::cerr << "kiosk sync: closing the connection to the cluster\n";
        exit_code = args->until_caught_up && !caught_up ? 3 : 0;
    });
}

}  // namespace csc::cli
