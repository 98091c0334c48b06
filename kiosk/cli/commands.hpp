// commands.hpp — the CLI front end (csc::cli): each group of sub-commands registers itself on
// the program's CLI11 app and calls the application layer (kiosk/app).
//
// A command's callback stores its process exit code in `exit_code`. Output for scripts is
// JSON on stdout (--json); errors go to stderr as one readable line, with a non-zero exit.
#pragma once

#include <CLI/CLI.hpp>

#include "kiosk/app/context.hpp"

namespace csc::cli {

using app::GlobalOptions;

/// Asks for the program to start again, with the same command line, once its command has
/// returned (the service menu's "Restart the program"; thread-safe).
void request_restart();
/// If a restart was asked: replaces this process by the same command line (read back from
/// /proc/self/cmdline, so every option is kept). Returns only if that failed, with the reason;
/// "" when no restart was asked.
[[nodiscard]] std::string restart_if_requested();

/// `kiosk issue`, `kiosk status`.
void add_ticket_commands(CLI::App& app, const GlobalOptions& options, int& exit_code);
/// `kiosk sync [--for-ms N] [--until-caught-up] [--json]`: LAN sync headless (docs/SYNC.md).
void add_sync_commands(CLI::App& app, const GlobalOptions& options, int& exit_code);
/// `kiosk serve [--listen ADDRESS:PORT]`: the office's web pages (kiosk/web/serve_command.cpp).
void add_serve_command(CLI::App& app, const GlobalOptions& options, int& exit_code);
/// `kiosk run [--role …]`: the GUI roles.
void add_run_command(CLI::App& app, const GlobalOptions& options, int& exit_code);
/// `kiosk printer list|status|test`.
void add_printer_commands(CLI::App& app, const GlobalOptions& options, int& exit_code);
/// `kiosk counter open|call|recall|start|finish|no-show|transfer|pause|resume|close|end-day`.
void add_counter_commands(CLI::App& app, const GlobalOptions& options, int& exit_code);
/// `kiosk simulate --scenario FILE [--days N] [--seed S] [--json]`.
void add_simulate_command(CLI::App& app, const GlobalOptions& options, int& exit_code);

/// `kiosk booking slots|book|move|cancel|no-show|check-in|show|list|close`: appointments.
void add_booking_commands(CLI::App& app, const GlobalOptions& options, int& exit_code);

/// `kiosk crs-pin`, `kiosk forms list|slip|handed-out`, `kiosk bring-slip`: the Info Point (digits from stdin).
void add_infopoint_commands(CLI::App& app, const GlobalOptions& options, int& exit_code);

/// `kiosk stats --from --to [--by] [--format] [--output]`, `kiosk report --month --output`: statistics.
void add_stats_commands(CLI::App& app, const GlobalOptions& options, int& exit_code);

/// `kiosk operator add|list|remove|set-pin|role`: staff (PIN from stdin, stored hashed, in the store).
void add_operator_commands(CLI::App& app, const GlobalOptions& options, int& exit_code);

/// `kiosk backup --output FILE`, `kiosk restore FILE`: the store copied while the office runs, and put back.
void add_backup_commands(CLI::App& app, const GlobalOptions& options, int& exit_code);

/// `kiosk translations [LANG…] [--json]`: the catalogue check (docs/TRANSLATIONS.md); no store.
void add_translation_commands(CLI::App& app, const GlobalOptions& options, int& exit_code);

}  // namespace csc::cli
