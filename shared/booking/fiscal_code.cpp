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
}  // namespace

Result<FiscalCode> parse_fiscal_code(std::string_view text) {
    std::string raw;
    for (char c : text) {
        if (c == ' ') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (!is_letter(c) && !is_digit(c)) return fail_as("fiscal_code", "a codice fiscale has only letters and digits");
        raw += c;
    }
    if (raw.size() != 16) return fail_as("fiscal_code", "a codice fiscale has 16 characters (" + std::to_string(raw.size()) + " given)");
    // Check letter over the code as written (omocodia letters included).
    int sum = 0;
    for (int i = 0; i < 15; ++i) {
        const char c = raw[static_cast<std::size_t>(i)];
        const int v = is_digit(c) ? c - '0' : c - 'A';
        sum += i % 2 == 0 ? kOdd[static_cast<std::size_t>(v)] : v;
    }
    if (raw[15] != static_cast<char>('A' + sum % 26))
        return fail_as("fiscal_code", "this codice fiscale has a typing mistake (its check letter does not match)");
    for (int i : {0, 1, 2, 3, 4, 5, 8, 11})
        if (!is_letter(raw[static_cast<std::size_t>(i)])) return fail_as("fiscal_code", "this is not the layout of a codice fiscale");
    std::string code = raw;
    for (int i : kDigitPositions) {
        char& c = code[static_cast<std::size_t>(i)];
        if (is_digit(c)) continue;
        const auto p = kOmocodia.find(c);
        if (p == std::string_view::npos) return fail_as("fiscal_code", "this is not the layout of a codice fiscale");
        c = static_cast<char>('0' + p);
    }
    FiscalCode out;
    out.code = raw;
    out.birth_year_2 = (code[6] - '0') * 10 + (code[7] - '0');
    const auto month = kMonths.find(code[8]);
    if (month == std::string_view::npos) return fail_as("fiscal_code", "the birth month letter of this codice fiscale is not valid");
    out.birth_month = static_cast<int>(month) + 1;
    int day = (code[9] - '0') * 10 + (code[10] - '0');
    out.female = day > 40;
    if (out.female) day -= 40;
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (day < 1 || day > kDays[out.birth_month - 1]) return fail_as("fiscal_code", "the birth day of this codice fiscale is not valid");
    out.birth_day = day;
    out.place = code.substr(11, 4);
    if (out.place.substr(1) == "000") return fail_as("fiscal_code", "the birth place code of this codice fiscale is not valid");
    return out;
}

}  // namespace csc
