// forms.hpp — the forms catalogue (modulistica): which forms a service has, a printed slip
// with the form's QR, and staff marking a form handed out on paper (counted).
//
// Contents: FormEntry, list_forms(), find_form_entry(), make_form_slip(), print_form_slip(),
//           record_form_handed_out().
// Contract: the catalogue is data: [[form]] tables of the site configuration, validated at start
// with file and line (shared/config.hpp); a form whose PDF is missing is hidden here (the start
// warned about it). Texts come translated from the configuration (per-language fields) and the
// catalogues. Each call is one staff action, headless; only record_form_handed_out() writes the store.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "drivers/printer/receipt.hpp"
#include "kiosk/app/context.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"

namespace csc::app {

/// One available form as a screen or the CLI shows it, in one language.
struct FormEntry {
    std::string id;
    std::string sector;       ///< sector id ("" = the Info Point's own service)
    std::string service;      ///< service id ("" = the whole sector), or "crs-pin"
    std::string title;
    std::string description;
    std::string hand_in;      ///< where to hand it in (the configured text, else the sector's counters)
    std::filesystem::path file;  ///< the PDF ("" = none)
    std::string url;          ///< the download address ("" = none); what the QR holds
    std::string version;      ///< "YYYY-MM-DD"
};

/// Available forms for `service` ("" = all), in configuration order, texts in `lang` ("" = the
/// office's first). `service` may be a service id (its forms and its sector's general ones), a
/// sector id (every form of the sector) or "crs-pin". Unknown service: Error "input.service".
[[nodiscard]] Result<std::vector<FormEntry>> list_forms(const Context& ctx, const std::string& service, const std::string& lang);
/// One available form by id; unknown or hidden (missing PDF): Error "input.form" {form}.
[[nodiscard]] Result<FormEntry> find_form_entry(const Context& ctx, const std::string& id, const std::string& lang);

/// The form slip (pure): title, version date, description, the QR of its URL (when it has one)
/// with the address written out, where to hand it in, the office's name.
[[nodiscard]] printer::Receipt make_form_slip(const SiteConfig& config, const Translator& tr, const FormEntry& form,
                                              const std::string& lang);
/// Prints the slip of form `id` now on the office's printer (printer_spec(ctx, own_printer): a
/// role's own printer may be named) and waits for the outcome. Nothing is recorded (a slip is
/// not the form: use record_form_handed_out for a paper form).
[[nodiscard]] Result<PrintReport> print_form_slip(Context& ctx, const std::string& id, const std::string& lang,
                                                  std::string_view own_printer = {});

/// Staff member `by` (a staff member with the infopoint or counter role: "input.staff" otherwise)
/// handed `copies` (1–50) paper copies of form `id` out: one form.handed_out event (counted in
/// the day's desk services). Returns the event id.
[[nodiscard]] Result<std::string> record_form_handed_out(Context& ctx, const std::string& id, int copies, const std::string& by);

}  // namespace csc::app
