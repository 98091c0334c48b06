// `kiosk run` in a build without the GUI (CSC_BUILD_GUI=OFF): says so instead of starting.
#include <iostream>

#include "kiosk/cli/commands.hpp"

namespace csc::cli {

using namespace csc::app;

void add_run_command(CLI::App& app, const GlobalOptions&, int& exit_code) {
    app.add_subcommand("run", "start a role (not available: built without the GUI)")
        ->allow_extras()
        ->callback([&exit_code] {
            std::cerr << "kiosk: this build has no GUI (configured with CSC_BUILD_GUI=OFF)\n";
            exit_code = 2;
        });
}

}  // namespace csc::cli
