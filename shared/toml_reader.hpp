// toml_reader.hpp — reading a TOML document written by people, with errors that say
// "FILE:LINE:COL: problem" (site configuration, scenarios). Include only from parser .cpp files:
// it brings in toml++.
//
// Contents: TomlProblem, TomlReader, kMaxTomlText, kMaxTomlFileSize, read_toml_file(), utf8_problem_at(),
// toml_ascii_problem_at(), toml_shadow_problem_at(), parse_time_range(), parse_toml().
// Contract: the typed getters either return a valid value or throw TomlProblem naming the node's
// position; parse_toml() turns TOML syntax errors and TomlProblem into an Error, so nothing
// escapes a parser as an exception.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <utility>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include <filesystem>

#include "shared/result.hpp"

namespace csc {

/// A problem found while reading; thrown inside parsers only (see parse_toml).
struct TomlProblem {
    std::string message;
};

/// Typed access to a TOML document named `name` (a file name) in messages.
class TomlReader {
public:
    explicit TomlReader(std::string name) : name_(std::move(name)) {}
    [[nodiscard]] const std::string& name() const { return name_; }

    /// Throws "NAME:LINE:COL: what".
    [[noreturn]] void problem(const toml::source_region& where, const std::string& what) const;
    [[noreturn]] void problem(const toml::node& node, const std::string& what) const { problem(node.source(), what); }
    /// Every key of `table` must be one of `allowed`; else names the key and the closest allowed one.
    void only_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                   const std::string& where) const;
    /// A text; missing → `fallback`, or a problem when there is none.
    [[nodiscard]] std::string string(const toml::table& t, std::string_view key, const std::string& where,
                                     std::optional<std::string> fallback = {}) const;
    /// A whole number in [lo, hi]; missing → fallback.
    [[nodiscard]] std::int64_t integer(const toml::table& t, std::string_view key, const std::string& where,
                                       std::int64_t fallback, std::int64_t lo, std::int64_t hi) const;
    /// A number (whole or decimal) in [lo, hi]; missing → fallback.
    [[nodiscard]] double number(const toml::table& t, std::string_view key, const std::string& where, double fallback,
                                double lo, double hi) const;
    /// true/false; missing → fallback.
    [[nodiscard]] bool boolean(const toml::table& t, std::string_view key, const std::string& where, bool fallback) const;
    /// The node as a table.
    [[nodiscard]] const toml::table& table(const toml::node& n, const std::string& what) const;
    /// The list under `key`, or nullptr when missing.
    [[nodiscard]] const toml::array* array(const toml::table& t, std::string_view key, const std::string& where) const;
    /// A list of texts (empty when missing).
    [[nodiscard]] std::vector<std::string> strings(const toml::table& t, std::string_view key,
                                                   const std::string& where) const;
    /// A list of whole numbers, each in [lo, hi] (empty when missing).
    [[nodiscard]] std::vector<std::int64_t> integers(const toml::table& t, std::string_view key, const std::string& where,
                                                     std::int64_t lo, std::int64_t hi) const;

private:
    std::string name_;
};

/// Longest text value accepted by TomlReader::string (bytes): paths, URLs, names.
inline constexpr std::size_t kMaxTomlText = 4096;
/// Largest TOML file read (a site configuration is a few KiB): /dev/zero is not read forever.
inline constexpr std::uintmax_t kMaxTomlFileSize = 1024 * 1024;
/// The whole text of a regular file of at most kMaxTomlFileSize bytes; `what` names it in errors.
[[nodiscard]] Result<std::string> read_toml_file(const std::filesystem::path& file, const std::string& what);
/// "NAME:LINE:COL: not valid UTF-8 …" for the first invalid byte of `text`, or "" when valid.
[[nodiscard]] std::string utf8_problem_at(std::string_view text, const std::string& name);
/// "NAME:LINE:COL: …" for a non-ASCII character outside quoted text and comments (never valid
/// TOML, and toml++ 3.3.0 reaches undefined behaviour on some: marzer/tomlplusplus#295), or "".
[[nodiscard]] std::string toml_ascii_problem_at(std::string_view text, const std::string& name);
/// "NAME:LINE:COL: …" when toml++ refuses the text with every non-ASCII character replaced by
/// '~' (valid only where a non-ASCII character is: in strings and comments), or "". Asked
/// before toml++ reads the text itself: whatever way toml++ 3.3.0 would have gone past its first
/// error onto a non-ASCII character, it stops at the ASCII copy.
[[nodiscard]] std::string toml_shadow_problem_at(std::string_view text, const std::string& name);
/// "08:30-12:30" (also "8:30-12:30") as minutes since midnight [begin, end), 00:00-24:00,
/// begin < end; nullopt for anything else (no sscanf: a huge hour never overflows).
[[nodiscard]] std::optional<std::pair<int, int>> parse_time_range(std::string_view text);

/// Parses `text` and runs `parse(root, reader)`; syntax errors and TomlProblem become an Error.
/// Text that is not UTF-8 never reaches toml++ (3.3.0 has undefined behaviour on some).
template <class T, class Parse>
Result<T> parse_toml(std::string_view text, const std::string& name, Parse&& parse) {
    if (auto bad = utf8_problem_at(text, name); !bad.empty()) return fail_as("input", bad);
    if (auto bad = toml_ascii_problem_at(text, name); !bad.empty()) return fail_as("input", bad);
    if (auto bad = toml_shadow_problem_at(text, name); !bad.empty()) return fail_as("input", bad);
    TomlReader reader(name);
    try {
        toml::table root = toml::parse(text, name);
        return parse(root, reader);
    } catch (const toml::parse_error& e) {
        std::ostringstream out;
        out << name << ':' << e.source().begin.line << ':' << e.source().begin.column << ": " << e.description();
        return fail_as("input", out.str());
    } catch (const TomlProblem& p) {
        return fail_as("input", p.message.rfind(name, 0) == 0 ? p.message : name + ": " + p.message);
    }
}

}  // namespace csc
