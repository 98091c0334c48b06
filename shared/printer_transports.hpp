// printer_transports.hpp — the ways a ticket reaches paper, in one table: the site
// configuration's [printer] transport, the --printer option, `kiosk printer list` and
// docs/PRINTER.md all follow it (a test checks the doc lists every kind).
//
// Contents: PrinterTransportKind, kPrinterTransportKinds, find_printer_transport_kind(),
//           printer_transport_names().
// Contract: header-only constant data, so the core (which checks the configuration) and the
// printer driver (which opens transports) share it without linking each other.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace csc {

/// One way to reach a printer.
struct PrinterTransportKind {
    std::string_view name;          ///< "usb": the word before ':' in --printer, the [printer] transport value
    std::string_view option_forms;  ///< how --printer spells it: "usb, usb:VID:PID"
    bool in_config;                 ///< accepted as [printer] transport
    bool in_option;                 ///< accepted by --printer
    std::string_view what;          ///< one line for people
};

/// Every transport kind, in the order they are listed to people.
inline constexpr std::array kPrinterTransportKinds{
    PrinterTransportKind{"auto", "auto", true, true,
                         "the USB printer when one is attached (the configured usb_id if given), else emulated"},
    PrinterTransportKind{"usb", "usb, usb:VID:PID", true, true,
                         "a USB printer through libusb (the first printer-class device, or that VID:PID)"},
    PrinterTransportKind{"emulated", "emulated, emulated:DIR_OR_PNG", true, true,
                         "no printer: each ticket drawn as a PNG of the paper (default DATA/printer/)"},
    PrinterTransportKind{"file", "file:PATH", true, true,
                         "the ESC/POS bytes appended to a file (printer.output); no status"},
    PrinterTransportKind{"memory", "memory", false, true, "bytes kept in memory (tests only)"},
};

/// The kind of that name, or nullptr.
[[nodiscard]] constexpr const PrinterTransportKind* find_printer_transport_kind(std::string_view name) {
    for (const auto& kind : kPrinterTransportKinds)
        if (kind.name == name) return &kind;
    return nullptr;
}

/// "auto, usb, emulated, file" (in_config) or the --printer forms joined, for messages.
[[nodiscard]] inline std::string printer_transport_names(bool for_option) {
    std::string out;
    for (const auto& kind : kPrinterTransportKinds) {
        if (for_option ? !kind.in_option : !kind.in_config) continue;
        out += (out.empty() ? "" : ", ") + std::string(for_option ? kind.option_forms : kind.name);
    }
    return out;
}

}  // namespace csc
