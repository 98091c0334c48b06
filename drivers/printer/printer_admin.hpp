// printer_admin.hpp — what `kiosk printer list|status|test` do, as plain functions the CLI
// calls (the CLI11 wiring lives in kiosk/cli).
//
// Contents: printer_list(), printer_status(), printer_test_page(), make_test_page().
// Contract: each writes readable lines to `out` and returns a process exit code:
// 0 success, 1 the printer has a problem / nothing found, 2 bad arguments.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string_view>

#include "drivers/printer/profile.hpp"
#include "drivers/printer/receipt.hpp"
#include "drivers/printer/transport.hpp"

namespace csc::printer {

/// USB printers found and the profile each one matches, then every profile of `catalog` (with
/// the file it came from) and every transport kind. 1 when no USB printer is found.
int printer_list(std::ostream& out, const ProfileCatalog& catalog);
/// The status of the printer `spec` names (DLE EOT 1..4 decoded).
int printer_status(const TransportSpec& spec, std::ostream& out);
/// Prints a test page for `profile` (empty: the spec's profile, else generic-80). With
/// `output`, the ESC/POS bytes go to that file instead of the printer.
int printer_test_page(const TransportSpec& spec, std::string_view profile,
                      std::optional<std::filesystem::path> output, std::ostream& out);
/// The test page: sizes, styles, alignment, Italian accents and €, QR, Code128, rule, cut.
Receipt make_test_page(const Profile& profile);

}  // namespace csc::printer
