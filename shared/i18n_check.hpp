// i18n_check.hpp — the catalogue check: what a translation lacks or gets wrong against the
// reference catalogue (Italian). One rule for the test suite (tests/core/test_i18n.cpp) and for
// translators (`kiosk translations`, docs/TRANSLATIONS.md).
#pragma once

#include <string>
#include <vector>

#include "shared/i18n.hpp"

namespace csc {

/// The problems of one catalogue against the reference, each a list of keys, sorted.
struct CatalogProblems {
    std::vector<std::string> missing;       ///< the reference's texts it lacks (the reference's text shows instead);
                                            ///< a plural form its own rules never choose is not missing
    std::vector<std::string> unknown;       ///< keys the reference does not have (a typo?)
    std::vector<std::string> placeholders;  ///< texts whose {placeholders} differ from the reference's
    std::vector<std::string> plural_forms;  ///< "<key>.<category>": a form its rules choose, absent
    std::vector<std::string> empty;         ///< empty texts
    /// Nothing wrong but, at most, missing texts (a catalogue that loads and falls back).
    [[nodiscard]] bool consistent() const { return unknown.empty() && placeholders.empty() && plural_forms.empty() && empty.empty(); }
    /// Nothing wrong and nothing missing.
    [[nodiscard]] bool complete() const { return consistent() && missing.empty(); }
};

/// The {names} in `text`, sorted and without repeats.
[[nodiscard]] std::vector<std::string> placeholders_in(const std::string& text);

/// Checks `catalog` against `reference`: every text of the reference present with the same
/// placeholders; its own plural forms ("few", "many" of a Slavic language) for each counted text
/// of the reference ("<key>.other"), for every category its "plural.*" rules declare; no other key.
[[nodiscard]] CatalogProblems check_catalog(const Catalog& reference, const Catalog& catalog);

}  // namespace csc
