// kiosk — the csc-kiosk program: every role (entrance kiosk, display, counter, …) and the
// command line for scripts and tests, on one binary and one store.
#include <iostream>

#include "kiosk/cli/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"csc-kiosk: queue, tickets and information for a Citizen Services Center", "kiosk"};
    app.set_version_flag("--version", std::string(CSC_VERSION));
    csc::app::GlobalOptions options;
    app.add_option("--config", options.config, "site configuration file (TOML)")->check(CLI::ExistingFile);
    app.add_option("--data", options.data, "data directory (the office store)");
    app.add_option("--assets", options.assets, "assets directory (translations, fonts, icons)");
    app.add_option("--printer", options.printer, "printer: auto | usb[:VID:PID] | emulated[:DIR] | file:PATH");
    app.add_option("--device", options.device, "this device's name in the office");
    app.require_subcommand(0, 1);

    int exit_code = 0;
    csc::cli::add_run_command(app, options, exit_code);
    csc::cli::add_ticket_commands(app, options, exit_code);
    csc::cli::add_sync_commands(app, options, exit_code);
    csc::cli::add_printer_commands(app, options, exit_code);
    csc::cli::add_operator_commands(app, options, exit_code);
    csc::cli::add_counter_commands(app, options, exit_code);
    csc::cli::add_booking_commands(app, options, exit_code);
    csc::cli::add_infopoint_commands(app, options, exit_code);
    csc::cli::add_simulate_command(app, options, exit_code);
    csc::cli::add_serve_command(app, options, exit_code);
    csc::cli::add_stats_commands(app, options, exit_code);
    csc::cli::add_translation_commands(app, options, exit_code);
    csc::cli::add_backup_commands(app, options, exit_code);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        // Expected failures are Result values; this is a defect, reported instead of an abort.
        std::cerr << "kiosk: internal error (please report it): " << e.what() << '\n';
        return 70;
    }
    if (app.get_subcommands().empty()) {
        // No command: the single-machine office, as the README's first command starts it.
        char run[] = "run";
        char* args[] = {argv[0], run};
        return main(2, args);
    }
    // The service menu's "Restart the program": everything above is closed (window, store, LAN).
    if (const std::string failed = csc::cli::restart_if_requested(); !failed.empty()) {
        std::cerr << "kiosk: " << failed << '\n';
        return 1;
    }
    return exit_code;
}
