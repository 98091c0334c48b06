// localized_reader.hpp — the TOML reader of files people write for citizens to read (the site
// configuration, content items): the shared typed getters plus texts per language.
//
// Contents: LocalizedReader.
// Contract: every text a citizen sees on screen or paper has a length limit, counted in
// characters (a longer one would not fit a button or a ticket line), and must be clean text
// (text_check.hpp); a text per language names only languages the office offers and has one in
// its first language. Problems are thrown as TomlProblem "FILE:LINE:COL: …" (see parse_toml).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "shared/config.hpp"
#include "shared/text_check.hpp"
#include "shared/toml_reader.hpp"

namespace csc {

/// TomlReader plus texts per language.
class LocalizedReader : public TomlReader {
public:
    using TomlReader::TomlReader;

    /// Problem unless `text` is clean text (text_check.hpp) of at most `max_chars` characters.
    void check_text(const toml::node& n, const std::string& text, std::size_t max_chars, const std::string& what) const {
        if (auto bad = text_problem(text, 4 * max_chars); !bad.empty()) problem(n, what + " " + bad);
        if (const auto len = utf8_length(text); len > max_chars)
            problem(n, what + " is too long (" + std::to_string(len) + " characters, at most " + std::to_string(max_chars) + ")");
    }

    /// One text or { it = "…", en = "…" } given as a node (a list's item).
    LocalizedText localized_node(const toml::node& n, const std::string& what, const std::vector<std::string>& languages,
                                 std::size_t max_chars) const {
        LocalizedText text;
        text.first_lang = languages.front();
        if (n.is_string()) {
            check_text(n, n.as_string()->get(), max_chars, what);
            text.by_lang[languages.front()] = n.as_string()->get();
            return text;
        }
        if (!n.is_table()) problem(n, what + " must be a text or { it = \"…\", en = \"…\" }");
        for (auto&& [lang, value] : *n.as_table()) {
            if (std::find(languages.begin(), languages.end(), lang.str()) == languages.end())
                problem(value, "language \"" + std::string(lang.str()) + "\" in " + what + " is not in office.languages");
            if (!value.is_string()) problem(value, what + "." + std::string(lang.str()) + " must be a text");
            check_text(value, value.as_string()->get(), max_chars, what + "." + std::string(lang.str()));
            text.by_lang[std::string(lang.str())] = value.as_string()->get();
        }
        if (!text.by_lang.count(languages.front()))
            problem(n, what + " has no text in \"" + languages.front() + "\", the office's first language");
        return text;
    }

    /// The text or per-language table under `key`; every language must be in `languages`, the first present.
    LocalizedText localized(const toml::table& t, std::string_view key, const std::string& where,
                            const std::vector<std::string>& languages, bool required,
                            std::size_t max_chars = kMaxNameChars) const {
        LocalizedText text;
        text.first_lang = languages.front();
        const toml::node* n = t.get(key);
        if (!n) {
            if (required) problem(t, "missing key \"" + std::string(key) + "\" in " + where);
            return text;
        }
        if (n->is_string()) {  // one text for every language
            check_text(*n, n->as_string()->get(), max_chars, "\"" + std::string(key) + "\" in " + where);
            text.by_lang[languages.front()] = n->as_string()->get();
            return text;
        }
        if (!n->is_table())
            problem(*n, "\"" + std::string(key) + "\" in " + where + " must be a text or { it = \"…\", en = \"…\" }");
        for (auto&& [lang, value] : *n->as_table()) {
            if (std::find(languages.begin(), languages.end(), lang.str()) == languages.end())
                problem(value, "language \"" + std::string(lang.str()) + "\" in " + where +
                                   " is not in office.languages");
            if (!value.is_string()) problem(value, "\"" + std::string(key) + "." + std::string(lang.str()) + "\" must be a text");
            check_text(value, value.as_string()->get(), max_chars, "\"" + std::string(key) + "." + std::string(lang.str()) + "\" in " + where);
            text.by_lang[std::string(lang.str())] = value.as_string()->get();
        }
        if (!text.by_lang.count(languages.front()))
            problem(*n, "\"" + std::string(key) + "\" in " + where + " has no text in \"" + languages.front() +
                            "\", the office's first language");
        return text;
    }
};

}  // namespace csc
