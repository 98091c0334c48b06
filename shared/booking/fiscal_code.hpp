// fiscal_code.hpp — the Italian codice fiscale of a person: checked, never stored.
//
// Contents: FiscalCode, parse_fiscal_code(), fiscal_code_check_letter().
// Contract: accepts the 16-character code of a natural person in any case, with spaces; checks
// the layout, the omocodia substitutions (digits replaced by L M N P Q R S T U V, only where
// digits belong), the month letter, the day (1–31, +40 for women) as a real calendar date (30
// April, 29 February only in a year ending in a multiple of 4), the birth place code (a comune:
// A–M and 3 digits; abroad: Z and 100–999) and the check letter. A wrong one is an Error with
// code "input.fiscal_code.<why>" (length, character, layout, check_letter, month, day, place),
// arguments for its translation and never the code itself in the message. What it returns is
// for deciding (the per-person limit, a plausible birth date), never for keeping.
#pragma once

#include <string>
#include <string_view>

#include "shared/office_time.hpp"
#include "shared/result.hpp"

namespace csc {

/// A valid codice fiscale and what it says.
struct FiscalCode {
    std::string code;       ///< as written, normalised: upper case, no spaces (omocodia letters kept)
    std::string decoded;    ///< `code` with the omocodia letters turned back into digits
    int birth_year_2 = 0;   ///< two digits of the birth year (the century is not in the code)
    int birth_month = 0;    ///< 1…12
    int birth_day = 0;      ///< 1…31
    bool female = false;
    bool omocodia = false;  ///< at least one digit was replaced by a letter
    std::string place;      ///< Belfiore code of the comune or foreign state ("H501", "Z404"), digits restored
    /// Born abroad: the place is a foreign state's Z-code.
    [[nodiscard]] bool foreign_born() const { return !place.empty() && place[0] == 'Z'; }
};

/// The code, or an Error (code "input.fiscal_code.<why>") saying what is wrong.
[[nodiscard]] Result<FiscalCode> parse_fiscal_code(std::string_view text);
/// The check letter of the first 15 characters (upper case, as written); '?' if they are not 15 letters/digits.
[[nodiscard]] char fiscal_code_check_letter(std::string_view first15);

}  // namespace csc
