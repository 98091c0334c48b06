#include "drivers/printer/printer_admin.hpp"

#include <iomanip>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "drivers/printer/usb_transport.hpp"
#include "shared/printer_transports.hpp"

namespace csc::printer {

namespace {

// The profiles and transports this program knows: the same catalog printing uses.
void list_known(std::ostream& out, const ProfileCatalog& catalog) {
    out << "profiles";
    for (std::size_t i = 0; i < catalog.files().size(); ++i) out << (i ? ", " : " (from ") << catalog.files()[i];
    out << (catalog.files().empty() ? ":\n" : "):\n");
    for (const auto& p : catalog.profiles()) {
        out << "  " << std::left << std::setw(18) << p.id << " " << p.name << " — " << p.dots_per_line << " dots";
        for (const auto& u : p.usb_ids) out << ", " << u.str();
        for (const auto& q : p.quirks) out << ", quirk " << q.name;
        out << "  (" << p.source << ")\n";
    }
    out << "transports (--printer; [printer] transport):\n";
    for (const auto& kind : kPrinterTransportKinds)
        out << "  " << std::left << std::setw(32) << kind.option_forms << " " << kind.what
            << (kind.in_config ? "" : " [not in the configuration]") << "\n";
}

}  // namespace

int printer_list(std::ostream& out, const ProfileCatalog& catalog) {
    auto found = list_usb_printers(catalog);
    int exit_code = 0;
    if (!found) {
        out << "error: " << found.error().message << "\n";
        exit_code = 1;
    } else if (found->empty()) {
        out << "no USB printers found\n";
        exit_code = 1;
    }
    for (const auto& p : found ? *found : std::vector<UsbPrinterInfo>{}) {
        out << "bus " << p.bus << " device " << p.address << "  " << p.id.str() << "  ";
        std::string label = (p.manufacturer + " " + p.product);
        if (label == " ") label = "(name unreadable)";
        out << label << "  profile " << p.profile_id << (p.exact_match ? "" : " (no exact match)")
            << (p.printer_class ? "" : " [vendor-class interface]") << "\n";
    }
    list_known(out, catalog);
    return exit_code;
}

int printer_status(const TransportSpec& spec, std::ostream& out) {
    auto t = open_transport(spec);
    if (!t) {
        out << "error: " << t.error().message << "\n";
        return 2;
    }
    PrinterStatus s = (*t)->status();
    out << (*t)->describe() << "\n";
    out << "status: " << s.summary() << "\n";
    if (s.known) {
        out << "  online " << (s.online ? "yes" : "no") << ", cover open " << (s.cover_open ? "yes" : "no")
            << ", paper near end " << (s.paper_near_end ? "yes" : "no") << ", paper end " << (s.paper_end ? "yes" : "no")
            << ", error " << (s.error ? "yes" : "no") << "\n";
    }
    return s.good() ? 0 : 1;
}

Receipt make_test_page(const Profile& profile) {
    Receipt r;
    r.text("TEST PAGE", {2, 2, true, false, false, Align::Center});
    r.text(profile.name + " (" + profile.id + ")", {1, 1, false, false, false, Align::Center});
    r.text(std::to_string(profile.dots_per_line) + " dots, " + std::to_string(profile.columns) + " columns",
           {1, 1, false, false, false, Align::Center});
    r.rule();
    r.text("Accenti: àèéìòù ÀÈÉÌÒÙ  Prezzo: 2,50 €");
    r.text("Bold", {1, 1, true});
    r.text("Underline", {1, 1, false, true});
    r.text(" Reverse ", {1, 1, false, false, true});
    r.text("Right", {1, 1, false, false, false, Align::Right});
    r.text("2x2", {2, 2});
    r.text("A12", {4, 4, true, false, false, Align::Center});
    std::string ruler;
    for (int i = 0; i < profile.columns; ++i) ruler += char('0' + (i + 1) % 10);
    r.text(ruler);
    r.rule();
    r.qr("https://example.invalid/csc/ticket/A12", 6);
    r.barcode128("A12-20261126");
    r.feed(1);
    r.cut();
    return r;
}

int printer_test_page(const TransportSpec& spec, std::string_view profile_name,
                      std::optional<std::filesystem::path> output, std::ostream& out) {
    // The profile: as given, else the spec's, else the one matching the USB id, else generic-80.
    std::string name(profile_name.empty() ? spec.profile : profile_name);
    if (name.empty() && !spec.usb_id.empty())
        if (auto id = parse_usb_id(spec.usb_id); id.ok())
            if (const Profile* p = active_profiles().match_usb(*id)) name = p->id;
    if (name.empty()) name = "generic-80";
    auto profile = find_profile(name);
    if (!profile) {
        out << "error: " << profile.error().message << "\n";
        return 2;
    }
    std::vector<std::string> warnings;
    auto bytes = EscposEncoder(*profile).encode(make_test_page(*profile), &warnings);
    for (const auto& w : warnings) out << "warning: " << w << "\n";
    if (!bytes) {
        out << "error: " << bytes.error().message << "\n";
        return 1;
    }
    TransportSpec target = spec;
    target.profile = profile->id;
    if (output) {
        target.kind = "file";
        target.path = output->string();
        std::error_code ec;
        std::filesystem::remove(*output, ec);  // a test page file holds one page
    }
    auto t = open_transport(target);
    if (!t) {
        out << "error: " << t.error().message << "\n";
        return 2;
    }
    PrintJob job(std::move(bytes).value(), "test page");
    PrintOutcome o = job.send_via(**t);
    out << (*t)->describe() << ": " << (o.printed ? "printed" : "NOT printed") << " — " << o.reason << " ("
        << o.bytes_accepted << "/" << o.bytes_total << " bytes)\n";
    return o.printed ? 0 : 1;
}

}  // namespace csc::printer
