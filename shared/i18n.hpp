// i18n.hpp — the translation layer every citizen-facing text goes through.
//
// Contents: Catalog, Translator.
// Catalogs are TOML files assets/i18n/<lang>.toml of `"key" = "text"` pairs; "{name}" in a
// text is replaced by the argument of that name. Italian is the reference language: a key
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
    /// Languages loaded, fallback first.
    [[nodiscard]] const std::vector<Catalog>& catalogs() const { return catalogs_; }
    /// The catalog of a language, or nullptr.
    [[nodiscard]] const Catalog* find(const std::string& lang) const;

private:
    std::vector<Catalog> catalogs_;
};

}  // namespace csc
