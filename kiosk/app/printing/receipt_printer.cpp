#include "kiosk/app/printing/receipt_printer.hpp"

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "kiosk/app/printing/paper_text.hpp"

namespace csc::app {

PrintReport send_receipt(printer::Transport& transport, const printer::Profile& profile, const printer::Receipt& receipt,
                         const std::string& id) {
    PrintReport report;
    report.ticket_id = id;
    auto bytes = encode_for_paper(profile, receipt);
    if (!bytes) {
        report.message = bytes.error().message;
        return report;
    }
    printer::PrintJob job(std::move(*bytes), id);
    const auto outcome = job.send_via(transport);
    report.printed = outcome.printed;
    report.message = outcome.printed ? std::string() : outcome.reason;
    report.status = outcome.status;
    if (auto* emulated = dynamic_cast<printer::EmulatedTransport*>(&transport)) report.preview_png = emulated->png_path();
    return report;
}

PrintReport print_receipt_now(Context& ctx, const printer::Receipt& receipt, const std::string& id, std::string_view own_printer) {
    PrintReport report;
    report.ticket_id = id;
    auto spec = printer_spec(ctx, own_printer);
    if (!spec) return report.message = spec.error().message, report;
    auto profile = printer::find_profile(spec->profile);
    if (!profile) return report.message = profile.error().message, report;
    auto transport = printer::open_transport(*spec);
    if (!transport) return report.message = transport.error().message, report;
    return send_receipt(**transport, *profile, receipt, id);
}

}  // namespace csc::app
