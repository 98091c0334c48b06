#include "shared/booking/booking_code.hpp"

namespace csc {

namespace {
constexpr int kN = static_cast<int>(kBookingCodeAlphabet.size());

int value_of(char c) {
    const auto p = kBookingCodeAlphabet.find(c);
    return p == std::string_view::npos ? -1 : static_cast<int>(p);
}

// A weighted sum modulo the prime 31, weights 1…7 by position: the whole code sums to 0. A wrong
// character changes the sum by w·d with w, d in 1…30 (never 0 mod 31); swapping adjacent different
// characters by (w1 − w2)·d (never 0 either). The check value 30 has no character: payloads
// that would need it are not made (make_booking_code) and can never be valid.
int check_value(std::string_view payload) {
    int sum = 0;
    for (std::size_t i = 0; i < payload.size(); ++i) sum += static_cast<int>(i + 1) * value_of(payload[i]);
    return (31 - (sum * 9) % 31) % 31;  // 9 = 7⁻¹ mod 31: c = −sum / 7
}
char check_character(std::string_view payload) {
    const int c = check_value(payload);
    return c < kN ? kBookingCodeAlphabet[static_cast<std::size_t>(c)] : '?';
}
}  // namespace

std::string make_booking_code(const std::array<std::uint8_t, kBookingCodeLength - 1>& random_0_29) {
    std::string code;
    for (auto v : random_0_29) code += kBookingCodeAlphabet[static_cast<std::size_t>(v % kN)];
    // 1 payload in 31 would need the check value 30: its last character moves on by one.
    while (check_value(code) >= kN) code.back() = kBookingCodeAlphabet[static_cast<std::size_t>((value_of(code.back()) + 1) % kN)];
    code += check_character(code);
    return code;
}

Result<std::string> normalize_booking_code(std::string_view typed) {
    std::string code;
    for (char c : typed) {
        if (c == ' ' || c == '-' || c == '\t') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (value_of(c) < 0) {
            if (c == '0' || c == 'O' || c == '1' || c == 'I' || c == 'L' || c == 'U')
                return fail_as("booking.code.lookalike",
                               std::string("booking codes never contain ") + c +
                                   " (look-alike letters are left out): check the code on the receipt",
                               {{"character", std::string(1, c)}});
            return fail_as("booking.code.letters", "a booking code has only letters and digits");
        }
        code += c;
        if (code.size() > kBookingCodeLength) break;
    }
    if (code.size() != kBookingCodeLength)
        return fail_as("booking.code.length",
                       "a booking code has " + std::to_string(kBookingCodeLength) + " characters, like K7P-4QX-M",
                       {{"length", std::to_string(kBookingCodeLength)}});
    if (check_character(std::string_view(code).substr(0, kBookingCodeLength - 1)) != code.back())
        return fail_as("booking.code.check", "this booking code has a typing mistake (its last character does not match)");
    return code;
}

std::string format_booking_code(std::string_view code) {
    if (code.size() != kBookingCodeLength) return std::string(code);
    return std::string(code.substr(0, 3)) + "-" + std::string(code.substr(3, 3)) + "-" + std::string(code.substr(6));
}

}  // namespace csc
