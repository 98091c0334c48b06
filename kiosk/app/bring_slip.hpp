// bring_slip.hpp — the "what to bring" slip, for a citizen who arrived without what a service
// needs (document, card, phone, the forms for minors and delegations): printable at the Info
// Point and at the entrance kiosk.
//
// Contents: BringSlip, bring_slip_for(), make_bring_slip(), print_bring_slip().
// Contract: the lists are data ([[bring]] in the site configuration; a bookable service without
// one falls back to its [[booking.service]] documents text); texts translated; nothing is
// recorded (a slip is information, not a service).
#pragma once

#include <string>
#include <vector>

#include "drivers/printer/receipt.hpp"
#include "kiosk/app/context.hpp"
#include "kiosk/app/forms.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"

namespace csc::app {

/// What to bring for one service, in one language.
struct BringSlip {
    std::string service;             ///< as asked
    std::string title;               ///< the service's name ("Carta d'identità elettronica", "PIN CRS/TS-CNS")
    std::vector<std::string> items;  ///< one line each
    std::vector<FormEntry> forms;    ///< the forms to fill in first (minors, delegations), available ones only
};

/// The list for `service` (a service id, a sector id or "crs-pin") in `lang` ("" = the office's
/// first). No list configured for it: Error "input.bring" {service}; unknown service: "input.service".
[[nodiscard]] Result<BringSlip> bring_slip_for(const Context& ctx, const std::string& service, const std::string& lang);
/// The slip (pure): the office, the service, the items as a checklist, each form's title and QR.
[[nodiscard]] printer::Receipt make_bring_slip(const SiteConfig& config, const Translator& tr, const BringSlip& slip,
                                               const std::string& lang);
/// Prints the slip for `service` now on the office's printer (printer_spec(ctx, own_printer): a
/// role's own printer may be named) and waits for the outcome.
[[nodiscard]] Result<PrintReport> print_bring_slip(Context& ctx, const std::string& service, const std::string& lang,
                                                   std::string_view own_printer = {});

}  // namespace csc::app
