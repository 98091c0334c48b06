// text_check.hpp — text handed to the office by people and other programs: UTF-8, control
// characters, lengths. Everything that is stored, published, shown or printed passes here.
//
// Contents: valid_utf8(), first_invalid_utf8(), utf8_length(), utf8_from_terminal(), text_problem(),
// trim_blanks(), next_utf8(), append_utf8().
// Contract: pure functions, no allocation beyond the returned string, never throw.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace csc {

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates, or code points > U+10FFFF).
[[nodiscard]] bool valid_utf8(std::string_view s);
/// Byte offset of the first byte that does not start a valid UTF-8 sequence (npos: all valid).
[[nodiscard]] std::size_t first_invalid_utf8(std::string_view s);
/// Code points in `s` (each invalid byte counts as one).
[[nodiscard]] std::size_t utf8_length(std::string_view s);
/// The first `max_chars` characters of valid UTF-8 `s` (never a character cut in two).
[[nodiscard]] std::string utf8_prefix(std::string_view s, std::size_t max_chars);
/// `s` unchanged when it is UTF-8; otherwise read as Latin-1 (ISO 8859-1, what a Latin-1
/// terminal sends for "caffè") and converted to UTF-8.
[[nodiscard]] std::string utf8_from_terminal(std::string_view s);
/// Why `s` cannot be a one-line text of at most `max_bytes` bytes ("" when it can): not UTF-8,
/// a control character (C0, DEL, C1), or too long. The message names neither field nor value.
[[nodiscard]] std::string text_problem(std::string_view s, std::size_t max_bytes);
/// `s` without the spaces and tabs at its ends.
[[nodiscard]] std::string trim_blanks(std::string_view s);
/// The code point at `s[i]`, `i` moved past it; an invalid byte is U+FFFD, one byte long.
[[nodiscard]] char32_t next_utf8(std::string_view s, std::size_t& i);
/// Appends the UTF-8 form of `c` (U+FFFD for a surrogate or a value above U+10FFFF).
void append_utf8(std::string& out, char32_t c);

}  // namespace csc
