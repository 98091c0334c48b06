// `kiosk serve [--listen ADDRESS:PORT] [--for-ms N] [--ready-file F] [--clock-file F]`: the office's web pages
// (docs/WEB.md) without a screen: a server beside the kiosks, or a test. Registers on the CLI
// like `kiosk run` (the web front end's entry, not a CLI command of its own).
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "kiosk/app/presence_beacon.hpp"
#include "kiosk/app/office_follower.hpp"
#include "kiosk/cli/cli_common.hpp"
#include "kiosk/cli/commands.hpp"
#include "kiosk/web/web_server.hpp"

namespace csc::cli {

namespace {

volatile std::sig_atomic_t g_serve_stop = 0;
void on_serve_signal(int) { g_serve_stop = 1; }

struct ServeArgs {
    std::string listen;  // "" = [web] listen
    long long for_ms = 0;
    std::filesystem::path ready_file;
    std::filesystem::path clock_file;
};

// The test hook --clock-file: the office local time written in the file ("YYYY-MM-DDTHH:MM",
// as CSC_NOW) becomes the clock's time whenever the file's text changes, so a test can live
// through the dashboard's 15 idle minutes in a second; FILE.applied then holds the text. Returns
// the text read.
std::string follow_clock_file(const std::filesystem::path& file, const std::string& seen, app::Context& ctx) {
    std::ifstream in(file);
    std::string text;
    if (!in || !std::getline(in, text) || text == seen) return seen;
    auto date = Date::parse(text.substr(0, 10));
    int hour = -1, minute = -1;
    if (text.size() == 16 && text[10] == 'T') std::sscanf(text.c_str() + 11, "%2d:%2d", &hour, &minute);
    if (!date || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
        std::cerr << "kiosk: serve: " << file.string() << ": \"" << text << "\" is not office local time YYYY-MM-DDTHH:MM\n";
        return text;
    }
    ctx.clock.start_at(ctx.config.timezone.from_local(*date, hour * 60 + minute));
    std::ofstream(file.string() + ".applied") << text << '\n';  // the test waits for this, not for a delay
    return text;
}

}  // namespace

void add_serve_command(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto args = std::make_shared<ServeArgs>();
    auto* cmd = app.add_subcommand("serve", "the office's web pages: tickets on the phone, live waits, hours (docs/WEB.md)");
    cmd->add_option("--listen", args->listen, "ADDRESS:PORT to listen on (default: [web] listen; port 0 = any free port)");
    cmd->add_option("--for-ms", args->for_ms, "stop after this many ms (0 = until SIGINT/SIGTERM)");
    cmd->add_option("--ready-file", args->ready_file, "test hook: JSON {\"port\": N} written once listening");
    cmd->add_option("--clock-file", args->clock_file,
                    "test hook: the clock jumps to the office local time YYYY-MM-DDTHH:MM written in this file, whenever it changes");
    cmd->callback([&options, &exit_code, args] {
        auto opened = open_office(options);
        if (!opened) return void(exit_code = report_error(opened.error()));
        app::Context& ctx = *opened->ctx;
        const std::string listen = args->listen.empty() ? ctx.config.web.listen : args->listen;
        if (listen.empty()) {
            std::cerr << "kiosk: serve: no address to listen on: give --listen ADDRESS:PORT or set [web] listen in "
                      << ctx.config.source.string() << '\n';
            return void(exit_code = 2);
        }
        // Port 0 (any free port) is for tests; the configuration's check refuses it.
        std::optional<std::pair<std::string, int>> where = split_listen_address(listen);
        if (!where && listen.ends_with(":0")) where = std::pair{listen.substr(0, listen.size() - 2), 0};
        if (!where) {
            std::cerr << "kiosk: serve: \"" << listen << "\" is not ADDRESS:PORT (e.g. 0.0.0.0:8080)\n";
            return void(exit_code = 2);
        }
        web::WebServer server(ctx);
        if (auto started = server.start(where->first, where->second); !started)
            return void(exit_code = report_error(started.error()));
        std::cerr << "kiosk: serving the office's pages on " << (ctx.config.web.cert_file.empty() ? "http" : "https")
                  << "://" << where->first << ":" << server.port() << "/\n";
        if (!args->ready_file.empty()) {
            std::ofstream(args->ready_file.string() + ".tmp") << nlohmann::json{{"port", server.port()}}.dump() << '\n';
            std::filesystem::rename(args->ready_file.string() + ".tmp", args->ready_file);
        }
        std::signal(SIGINT, on_serve_signal);
        std::signal(SIGTERM, on_serve_signal);
        // Other programs' events (the entrance issues, the counters call) reach the pages at once.
        app::OfficeFollower follower(opened->office(), ctx.data_dir, [] {});
        app::PresenceBeacon beacon(ctx, "web", 0, nullptr);  // alive, for the IT dashboard
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args->for_ms);
        std::string clock_text;
        while (!g_serve_stop && (args->for_ms <= 0 || std::chrono::steady_clock::now() < until)) {
            if (!args->clock_file.empty()) clock_text = follow_clock_file(args->clock_file, clock_text, ctx);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        server.stop();
        exit_code = 0;
    });
}

}  // namespace csc::cli
