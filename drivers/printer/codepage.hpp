// codepage.hpp — UTF-8 <-> single-byte printer code pages (cp437, cp850, cp858, wpc1252).
//
// Contents: CodePage, find_code_page(), code_page_names(), decode_utf8(), append_utf8(),
//           fallback_char().
// Contract: bytes 0x20..0x7E are ASCII in every table; 0x80..0xFF map to one Unicode code
// point each (0 = unused slot). Nothing here emits control bytes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace csc::printer {

/// One code page: the Unicode code point of each byte 0x80..0xFF.
struct CodePage {
    std::string_view name;
    std::array<char32_t, 128> high;
    /// The byte for `cp`, if this code page has it (printable characters only).
    [[nodiscard]] std::optional<std::uint8_t> encode(char32_t cp) const;
    /// The code point of printable byte `b` (>= 0x20), or U+FFFD.
    [[nodiscard]] char32_t decode(std::uint8_t b) const;
};

/// The table for "cp437" | "cp850" | "cp858" | "wpc1252", or nullptr.
const CodePage* find_code_page(std::string_view name);
/// Names of all tables, for error messages.
std::vector<std::string_view> code_page_names();

/// UTF-8 to code points; malformed sequences become U+FFFD (never dropped silently).
std::u32string decode_utf8(std::string_view utf8);
/// Appends the UTF-8 form of `cp` to `out`.
void append_utf8(std::string& out, char32_t cp);
/// A look-alike for characters no code page has (curly quotes, dashes, accented letters
/// outside Latin-1...), or 0 if none.
char32_t fallback_char(char32_t cp);

}  // namespace csc::printer
