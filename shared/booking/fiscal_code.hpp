// fiscal_code.hpp — the Italian codice fiscale of a person: checked, never stored.
//
// Contents: FiscalCode, parse_fiscal_code().
// Contract: accepts the 16-character code of a natural person in any case, with spaces; checks
// the layout, the omocodia substitutions (digits replaced by L M N P Q R S T U V), the month
// letter, the day (1–31, +40 for women), the birth place code and the check letter. What it
// returns is for deciding (the per-person limit, a plausible birth date), never for keeping.
#pragma once

#include <string>
#include <string_view>

#include "shared/office_time.hpp"
#include "shared/result.hpp"

namespace csc {

/// A valid codice fiscale and what it says.
struct FiscalCode {
    std::string code;       ///< canonical: upper case, omocodia digits restored
    int birth_year_2 = 0;   ///< two digits of the birth year
    int birth_month = 0;    ///< 1…12
    int birth_day = 0;      ///< 1…31
    bool female = false;
    std::string place;      ///< Belfiore code of the comune or foreign state ("H501", "Z404")
};

/// The code, or an Error saying what is wrong (length, a character, the month, the day, the check letter).
[[nodiscard]] Result<FiscalCode> parse_fiscal_code(std::string_view text);

}  // namespace csc
