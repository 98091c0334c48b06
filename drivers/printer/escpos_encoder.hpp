// escpos_encoder.hpp — Receipt -> ESC/POS bytes for one printer profile. Pure: no I/O except
// reading a logo PNG named by path (pre-load it with load_logo() to avoid even that).
//
// Contents: EncodeLimits, EscposEncoder, escpos command constants for tests and transports.
// Contract: text never reaches the printer as a command: control characters are dropped and
// every byte >= 0x80 is a character of the selected code page. Problems with one element
// (a logo that does not load, a barcode with bad characters, a QR too big) become warnings and
// the ticket is encoded without that element.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/printer/profile.hpp"
#include "drivers/printer/receipt.hpp"
#include "shared/result.hpp"

namespace csc::printer {

namespace escpos {
inline constexpr std::uint8_t ESC = 0x1B, GS = 0x1D, DLE = 0x10, FS = 0x1C, LF = 0x0A, EOT = 0x04;
/// DLE EOT n: real-time status request, n = 1 printer, 2 offline cause, 3 error cause, 4 paper.
inline std::vector<std::uint8_t> status_request(int n) { return {DLE, EOT, static_cast<std::uint8_t>(n)}; }
}  // namespace escpos

/// Size limits checked before any byte is produced.
struct EncodeLimits {
    std::size_t max_job_bytes = 4u << 20;  ///< 4 MiB: far above any ticket
    std::size_t max_qr_bytes = 2000;       ///< QR payload (a URL is < 200)
};

/// True when every character of `utf8` reaches paper as itself or as an honest look-alike in one
/// of the profile's code pages (control characters, which are dropped, do not count): false for
/// a script the printer has no code page for (Cyrillic, Chinese, Arabic, …), which the encoder
/// would print as '?' and a caller should send as an image instead.
[[nodiscard]] bool prints_as_text(const Profile& profile, std::string_view utf8);

class EscposEncoder {
public:
    explicit EscposEncoder(const Profile& profile, EncodeLimits limits = {});

    /// Encodes the receipt (starts with ESC @). Element problems are appended to *warnings
    /// (if given) and the element is skipped; Error only if the result would be unusable.
    [[nodiscard]] Result<std::vector<std::uint8_t>> encode(const Receipt& receipt,
                                                           std::vector<std::string>* warnings = nullptr) const;
    /// Bytes of one presenter action alone (e.g. retract a ticket not taken); empty if the
    /// profile has no presenter.
    [[nodiscard]] std::vector<std::uint8_t> presenter_command(PresenterAction action) const;
    [[nodiscard]] const Profile& profile() const { return profile_; }

private:
    Profile profile_;
    EncodeLimits limits_;
};

}  // namespace csc::printer
