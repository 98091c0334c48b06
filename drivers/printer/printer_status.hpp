// printer_status.hpp — what the printer says about itself, decoded from DLE EOT answers.
//
// Contents: PrinterStatus, StatusBit (the decoding table), decode_status_byte().
// Contract: `known == false` means nobody could ask the printer (no status channel, no
// answer); then the other flags mean nothing and good() is false.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace csc::printer {

struct PrinterStatus {
    bool known = false;           ///< the printer answered (all four DLE EOT requests)
    bool online = false;
    bool cover_open = false;
    bool paper_near_end = false;  ///< still prints: tell staff before it runs out
    bool paper_end = false;
    bool error = false;           ///< cutter error, unrecoverable or auto-recoverable error
    bool cutter_error = false;
    bool unrecoverable_error = false;
    std::string detail;           ///< why not known, or extra error detail

    /// Printing can go on (paper near end is still good).
    [[nodiscard]] bool good() const { return known && online && !cover_open && !paper_end && !error; }
    /// One readable line: "online, paper near end", "offline: cover open", "unknown: ...".
    [[nodiscard]] std::string summary() const;
    bool operator==(const PrinterStatus&) const = default;
};

/// One row of the DLE EOT decoding table: request n, bit mask, and what a set bit means.
struct StatusBit {
    int request;  ///< n of DLE EOT n
    std::uint8_t mask;
    std::string_view meaning;
};
/// The table used by decode_status_bytes (Epson ESC/POS DLE EOT 1..4).
std::span<const StatusBit> status_bit_table();

/// Decodes the answers to DLE EOT 1, 2, 3, 4 (in that order) into a PrinterStatus.
/// Answers that do not have the fixed bits (bit 1 and 4 set, bits 0 and 7 clear) are rejected.
PrinterStatus decode_status_bytes(std::uint8_t n1, std::uint8_t n2, std::uint8_t n3, std::uint8_t n4);
/// True if `b` looks like a DLE EOT answer (fixed bits 0x12 set, 0x81 clear).
bool is_status_byte(std::uint8_t b);

}  // namespace csc::printer
