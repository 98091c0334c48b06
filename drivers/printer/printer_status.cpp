#include "drivers/printer/printer_status.hpp"

#include <array>

namespace csc::printer {
namespace {

// Epson ESC/POS command reference, DLE EOT. Bits not listed are fixed or not used here.
constexpr std::array<StatusBit, 10> kStatusBits{{
    {1, 0x08, "offline"},
    {2, 0x04, "cover open"},
    {2, 0x20, "printing stopped: paper end"},
    {2, 0x40, "error"},
    {3, 0x08, "autocutter error"},
    {3, 0x20, "unrecoverable error"},
    {3, 0x40, "auto-recoverable error (e.g. head temperature)"},
    {3, 0x04, "mechanical error"},
    {4, 0x0C, "paper near end"},
    {4, 0x60, "paper end"},
}};

}  // namespace

std::span<const StatusBit> status_bit_table() { return kStatusBits; }

bool is_status_byte(std::uint8_t b) { return (b & 0x12) == 0x12 && (b & 0x81) == 0; }

PrinterStatus decode_status_bytes(std::uint8_t n1, std::uint8_t n2, std::uint8_t n3, std::uint8_t n4) {
    PrinterStatus s;
    for (auto b : {n1, n2, n3, n4}) {
        if (!is_status_byte(b)) {
            s.detail = "malformed status answer";
            return s;
        }
    }
    s.known = true;
    s.online = (n1 & 0x08) == 0;
    s.cover_open = (n2 & 0x04) != 0;
    s.paper_end = (n2 & 0x20) != 0 || (n4 & 0x60) != 0;
    s.paper_near_end = (n4 & 0x0C) != 0;
    s.cutter_error = (n3 & 0x08) != 0;
    s.unrecoverable_error = (n3 & 0x20) != 0;
    s.error = s.cutter_error || s.unrecoverable_error || (n3 & 0x44) != 0 || (n2 & 0x40) != 0;
    std::string d;
    for (const auto& bit : kStatusBits) {
        std::uint8_t v = bit.request == 1 ? n1 : bit.request == 2 ? n2 : bit.request == 3 ? n3 : n4;
        if (bit.request == 3 && (v & bit.mask)) d += (d.empty() ? "" : ", ") + std::string(bit.meaning);
    }
    s.detail = d;
    return s;
}

std::string PrinterStatus::summary() const {
    if (!known) return "unknown: " + (detail.empty() ? std::string("printer not answering") : detail);
    std::string problems;
    auto add = [&](std::string_view p) { problems += (problems.empty() ? "" : ", ") + std::string(p); };
    if (cover_open) add("cover open");
    if (paper_end) add("paper end");
    if (cutter_error) add("cutter error");
    if (unrecoverable_error) add("unrecoverable error");
    if (error && !cutter_error && !unrecoverable_error) add(detail.empty() ? "error" : detail);
    std::string head = online ? "online" : "offline";
    if (!problems.empty()) return head + ": " + problems;
    return head + (paper_near_end ? ", paper near end" : ", paper OK");
}

}  // namespace csc::printer
