#include "kiosk/cli/cli_common.hpp"

#include <iostream>

namespace csc::cli {

Result<OpenedOffice> open_office(const app::GlobalOptions& options) {
    auto ctx = app::open_context(options);
    if (!ctx) return ctx.error();
    auto lan = app::start_lan_session(**ctx, 3000);
    if (!lan) return lan.error();
    return OpenedOffice{std::move(*ctx), std::move(*lan)};
}

int report_error(const Error& e) {
    std::cerr << "kiosk: " << e.message << '\n';
    return app::exit_code_for(e);
}

}  // namespace csc::cli
