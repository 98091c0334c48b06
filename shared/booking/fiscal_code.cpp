#include "shared/booking/fiscal_code.hpp"

#include <array>

namespace csc {

namespace {
// Values of a character in an odd position (1st, 3rd, …), digits and letters alike (0 = A).
constexpr std::array<int, 26> kOdd{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
constexpr std::string_view kMonths = "ABCDEHLMPRST";
constexpr std::string_view kOmocodia = "LMNPQRSTUV";  // stand for 0…9
// Positions (0-based) that hold digits, which omocodia may replace by letters.
constexpr std::array<int, 7> kDigitPositions{6, 7, 9, 10, 12, 13, 14};

bool is_letter(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

Error bad(const std::string& why, std::string message, ErrorArgs args = {}) {
    return fail_as("input.fiscal_code." + why, std::move(message), std::move(args));
}
}  // namespace

char fiscal_code_check_letter(std::string_view first15) {
    if (first15.size() != 15) return '?';
    int sum = 0;
    for (std::size_t i = 0; i < 15; ++i) {
        const char c = first15[i];
        if (!is_letter(c) && !is_digit(c)) return '?';
        const int v = is_digit(c) ? c - '0' : c - 'A';
        sum += i % 2 == 0 ? kOdd[static_cast<std::size_t>(v)] : v;
    }
    return static_cast<char>('A' + sum % 26);
}

Result<FiscalCode> parse_fiscal_code(std::string_view text) {
    std::string raw;
    for (char c : text) {
        if (c == ' ' || c == '\t') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (!is_letter(c) && !is_digit(c))
            return bad("character", "a codice fiscale has only letters and digits");
        if (raw.size() > 64) break;  // the count below says "too long" without reading megabytes
        raw += c;
    }
    if (raw.size() != 16)
        return bad("length", "a codice fiscale has 16 characters (" + std::to_string(raw.size()) + " given)",
                   {{"count", std::to_string(raw.size())}});
    // Check letter over the code as written (omocodia letters included).
    if (raw[15] != fiscal_code_check_letter(std::string_view(raw).substr(0, 15)))
        return bad("check_letter", "this codice fiscale has a typing mistake (its check letter does not match)");
    for (int i : {0, 1, 2, 3, 4, 5, 8, 11})
        if (!is_letter(raw[static_cast<std::size_t>(i)])) return bad("layout", "this is not the layout of a codice fiscale");
    FiscalCode out;
    out.code = raw;
    std::string code = raw;
    for (int i : kDigitPositions) {
        char& c = code[static_cast<std::size_t>(i)];
        if (is_digit(c)) continue;
        const auto p = kOmocodia.find(c);
        if (p == std::string_view::npos) return bad("layout", "this is not the layout of a codice fiscale");
        c = static_cast<char>('0' + p);
        out.omocodia = true;
    }
    out.decoded = code;
    out.birth_year_2 = (code[6] - '0') * 10 + (code[7] - '0');
    const auto month = kMonths.find(code[8]);
    if (month == std::string_view::npos) return bad("month", "the birth month letter of this codice fiscale is not valid");
    out.birth_month = static_cast<int>(month) + 1;
    int day = (code[9] - '0') * 10 + (code[10] - '0');
    out.female = day > 40;
    if (out.female) day -= 40;
    // A real calendar date: the century is unknown, but 29 February exists only in a year that
    // ends in a multiple of 4 (1900 is the one exception, and nobody born then asks for a PIN).
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int max_day = out.birth_month == 2 && out.birth_year_2 % 4 != 0 ? 28 : kDays[out.birth_month - 1];
    if (day < 1 || day > max_day) return bad("day", "the birth day of this codice fiscale is not a date");
    out.birth_day = day;
    out.place = code.substr(11, 4);
    // Belfiore codes: comuni run from A001 to M4xx; foreign states are Z100…Z9xx.
    const int place_number = (out.place[1] - '0') * 100 + (out.place[2] - '0') * 10 + (out.place[3] - '0');
    const char area = out.place[0];
    const bool plausible = area == 'Z' ? place_number >= 100 : (area <= 'M' && place_number >= 1);
    if (!plausible) return bad("place", "the birth place code of this codice fiscale is not valid");
    return out;
}

}  // namespace csc
