// i18n.hpp — the translation layer every citizen-facing text goes through.
//
// Contents: Catalog, Translator.
// Catalogs are TOML files assets/i18n/<lang>.toml of `"key" = "text"` pairs; "{name}" in a
// text is replaced by the argument of that name. Plurals follow the CLDR categories (zero, one,
// two, few, many, other): a catalog states its language's rules as `"plural.<category>" =
// "<condition>"` in CLDR's integer syntax (`n % 10 = 2..4 and n % 100 != 12..14`, `or`, lists
// `1,3`), checked in that order; a count matching none is "other". tr_count() picks
// "<key>.<category>". Italian is the reference language: a key
// missing in another language falls back to Italian, a key missing everywhere shows the key
// itself (and tests check that every key exists in every shipped language).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "shared/result.hpp"

namespace csc {

/// Whether `condition` (CLDR integer plural syntax: n, %, =, !=, a..b, lists, and, or) holds
/// for `n`; an Error says what in the condition is wrong.
[[nodiscard]] Result<bool> plural_condition_holds(std::string_view condition, long long n);

/// All the texts of one language.
struct Catalog {
    std::string lang;
    std::string language_name;  ///< the language's own name, e.g. "Italiano" (key "language.name")
    std::map<std::string, std::string, std::less<>> texts;
};

/// Loads one catalog file; errors name file and line.
[[nodiscard]] Result<Catalog> load_catalog(const std::filesystem::path& file, const std::string& lang);

/// The catalogs of the office's languages.
class Translator {
public:
    Translator() = default;
    /// Loads assets_dir/i18n/<lang>.toml for each language; the first is the fallback.
    static Result<Translator> load(const std::filesystem::path& i18n_dir, const std::vector<std::string>& languages);

    /// The text of `key` in `lang` with {placeholders} filled from `args`.
    [[nodiscard]] std::string tr(const std::string& lang, std::string_view key,
                                 const std::vector<std::pair<std::string, std::string>>& args = {}) const;
    /// `key_or_text` translated when it is a known key (a pause reason chosen on a screen is
    /// stored as its key), else as it is (free text typed at the CLI).
    [[nodiscard]] std::string tr_or_text(const std::string& lang, const std::string& key_or_text) const;
    /// The CLDR plural category of `n` in `lang` ("one", "few", …, "other") by its catalog's rules.
    [[nodiscard]] std::string plural_category(const std::string& lang, long long n) const;
    /// The text of "<key>.<category of n>" (else "<key>.other") with {count} = n and `args`.
    [[nodiscard]] std::string tr_count(const std::string& lang, std::string_view key, long long n,
                                       const std::vector<std::pair<std::string, std::string>>& args = {}) const;
    /// A core error as the person at the screen reads it: the text of "error.<code>" filled from
    /// its args, else of the code's ever shorter prefixes ("error.refused" for
    /// "refused.counter.x"), else "error.generic". Never the English `message` (logs and CLI).
    [[nodiscard]] std::string tr_error(const std::string& lang, const Error& error) const;
    /// True when `lang` is written right to left (its catalogue's own name, "language.name",
    /// is in a right-to-left script: Arabic, Hebrew, …); false for a language not loaded.
    [[nodiscard]] bool right_to_left(const std::string& lang) const;
    /// Languages loaded, fallback first.
    [[nodiscard]] const std::vector<Catalog>& catalogs() const { return catalogs_; }
    /// The catalog of a language, or nullptr.
    [[nodiscard]] const Catalog* find(const std::string& lang) const;

private:
    std::vector<Catalog> catalogs_;
};

}  // namespace csc
