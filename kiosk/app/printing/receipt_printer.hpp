// receipt_printer.hpp — any receipt laid out by the application (form slip, "what to bring"
// slip) sent to the office's printer now, waiting for the outcome.
//
// Contents: send_receipt(), print_receipt_now().
// Contract: nothing here throws or keeps the bytes after the call; a print that fails is a
// PrintReport with printed = false and a readable reason. Secrets (the CRS PIN receipt) do not
// come here: crs_pin.cpp sends and wipes them itself.
#pragma once

#include <string>

#include "drivers/printer/profile.hpp"
#include "drivers/printer/receipt.hpp"
#include "drivers/printer/transport.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"

namespace csc::app {

/// Encodes `receipt` for `profile` and sends it to `transport` as one job, reported under `id`.
[[nodiscard]] PrintReport send_receipt(printer::Transport& transport, const printer::Profile& profile,
                                       const printer::Receipt& receipt, const std::string& id);
/// Prints `receipt` now on the office's printer (printer_spec(ctx, own_printer)), reported under `id`.
[[nodiscard]] PrintReport print_receipt_now(Context& ctx, const printer::Receipt& receipt, const std::string& id,
                                            std::string_view own_printer = {});

}  // namespace csc::app
