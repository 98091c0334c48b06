// booking_code.hpp — the code a citizen reads, types or shows as QR to find a booking.
//
// Contents: kBookingCodeAlphabet, kBookingCodeLength, make_booking_code(), normalize_booking_code(),
// format_booking_code().
// Contract: a code is 7 characters of a 30-letter alphabet with no look-alikes (no 0/O, 1/I/L,
// no U): 6 random characters (30^6 ≈ 729 million: with 10,000 live bookings a guess finds one
// once in ~73,000 tries) and a check character (weighted sum mod 31), which catches every single wrong
// character and every swap of two adjacent ones. Typing is forgiving: case, spaces and dashes
// are ignored, and O/0→… are NOT guessed (a look-alike is an error with a clear message).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/result.hpp"

namespace csc {

/// The characters of a booking code: digits 2–9 and capitals without I, L, O, U.
inline constexpr std::string_view kBookingCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code, the check character included.
inline constexpr std::size_t kBookingCodeLength = 7;

/// A code from 6 random bytes (each used modulo 30 after rejection of the biased top values
/// by the caller's source: pass uniformly random values 0…29).
[[nodiscard]] std::string make_booking_code(const std::array<std::uint8_t, kBookingCodeLength - 1>& random_0_29);
/// The canonical code from what was typed or scanned ("k7p 4qx-m" → "K7P4QXM"), or an Error
/// saying what is wrong: code booking.code.length, .lookalike {character}, .letters, .check.
[[nodiscard]] Result<std::string> normalize_booking_code(std::string_view typed);
/// "K7P-4QX-M": grouped for reading aloud and printing.
[[nodiscard]] std::string format_booking_code(std::string_view code);

}  // namespace csc
