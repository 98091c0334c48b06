// `kiosk printer list|status|test`: the driver's admin functions on the command line.
#include <iostream>

#include "drivers/printer/printer_admin.hpp"
#include "kiosk/cli/commands.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"

namespace csc::cli {

using namespace csc::app;  // the application layer these commands call

void add_printer_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto* printer = app.add_subcommand("printer", "the ticket printer: list, status, test page");
    printer->require_subcommand(1);

    printer->add_subcommand("list", "USB printers found, the profile each matches, every profile and transport")
        ->callback([&options, &exit_code] {
            // load_context reads the installed and the site's profiles and puts them in use;
            // without a usable configuration, the installed profiles of the default assets.
            auto ctx = load_context(options);
            if (!ctx) std::cerr << "kiosk: " << ctx.error().message << " (listing the installed profiles only)\n";
            exit_code = printer::printer_list(std::cout, printer::active_profiles());
        });

    printer->add_subcommand("status", "the configured printer's status")->callback([&options, &exit_code] {
        auto ctx = load_context(options);
        if (!ctx) return void((std::cerr << "kiosk: " << ctx.error().message << '\n', exit_code = 2));
        auto spec = printer_spec(**ctx);
        if (!spec) return void((std::cerr << "kiosk: " << spec.error().message << '\n', exit_code = 2));
        exit_code = printer::printer_status(*spec, std::cout);
    });

    struct TestArgs {
        std::string profile;
        std::string output;
    };
    auto args = std::make_shared<TestArgs>();
    auto* test = printer->add_subcommand("test", "print a test page");
    test->add_option("--profile", args->profile, "printer profile (default: the configured one)");
    test->add_option("--output", args->output, "write the ESC/POS bytes to this file instead");
    test->callback([&options, &exit_code, args] {
        auto ctx = load_context(options);
        printer::TransportSpec spec;
        if (ctx) {
            auto s = printer_spec(**ctx);
            if (!s) return void((std::cerr << "kiosk: " << s.error().message << '\n', exit_code = 2));
            spec = *s;
        } else if (args->output.empty()) {
            return void((std::cerr << "kiosk: " << ctx.error().message << '\n', exit_code = 2));
        }
        std::optional<std::filesystem::path> output;
        if (!args->output.empty()) output = args->output;
        exit_code = printer::printer_test_page(spec, args->profile, output, std::cout);
    });
}

}  // namespace csc::cli
