#include "shared/toml_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <system_error>
#include <vector>

#include "shared/text_check.hpp"
#include "shared/text_match.hpp"

namespace csc {

namespace {
std::string quote_key(std::string_view key) { return "\"" + std::string(key) + "\""; }
std::string number_text(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
}
}  // namespace

Result<std::string> read_toml_file(const std::filesystem::path& file, const std::string& what) {
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (ec || !std::filesystem::exists(status)) return fail_as("input", file.string() + ": cannot open the " + what + " (no such file)");
    if (!std::filesystem::is_regular_file(status)) return fail_as("input", file.string() + ": the " + what + " must be a regular file");
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) return fail_as("input", file.string() + ": cannot read the " + what + " (" + ec.message() + ")");
    if (size > kMaxTomlFileSize)
        return fail_as("input", file.string() + ": the " + what + " is " + std::to_string(size) + " bytes, more than the " +
                                    std::to_string(kMaxTomlFileSize) + " accepted");
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail_as("input", file.string() + ": cannot open the " + what);
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

std::string utf8_problem_at(std::string_view text, const std::string& name) {
    const std::size_t bad = first_invalid_utf8(text);
    if (bad == std::string_view::npos) return {};
    const std::size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
    const std::size_t from = line_start == std::string_view::npos || bad == 0 ? 0 : line_start + 1;
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    return name + ":" + std::to_string(line) + ":" + std::to_string(utf8_length(text.substr(from, bad - from)) + 1) +
           ": not valid UTF-8 text (save the file as UTF-8)";
}

std::string toml_ascii_problem_at(std::string_view text, const std::string& name) {
    // A small lexer that knows only what can hold non-ASCII text in TOML: comments, and basic,
    // literal and multi-line strings (escapes inside basic strings skip one character). A quote
    // opens a string only where a key or a value can start: at a line's start or after = [ , {
    // or a dotted key's dot (before the line's =), not after a second = outside an inline
    // table (toml++ has already failed on that line and reads on). Glued to a bare value (`1"`,
    // `05-'`) it opens none, and toml++ 3.3.0 would still reach its unreachable branch on a
    // non-ASCII character after it.
    enum class In { Code, Comment, Basic, Literal, MultiBasic, MultiLiteral } in = In::Code;
    char before = '\n';  // the last character in code on this line that is not a space or a tab
    bool value_on_line = false;  // an '=' in code on this line: a '.' after it is no dotted key's
    bool second_equals = false;  // the last '=' is the line's second outside an inline table: no value starts there
    int braces = 0;              // inline tables open on this line
    const auto opens_here = [&] {
        if (before == '=') return !second_equals;
        return std::string_view("\n[,{").find(before) != std::string_view::npos || (before == '.' && !value_on_line);
    };
    static constexpr const char* kBadEscape =
        ": a non-ASCII character after a backslash (and any spaces or line breaks) in a string: toml++ cannot read "
        "it (write \\\\ for a backslash, or begin the next line with an ASCII character)";
    static constexpr std::string_view kTripleQuote = "\"\"\"", kTripleApostrophe = "'''";
    std::size_t line_start = 0;
    int line = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const auto starts = [&](std::string_view s) { return text.substr(i, s.size()) == s; };
        const auto problem = [&](const char* what) {
            return name + ":" + std::to_string(line) + ":" + std::to_string(utf8_length(text.substr(line_start, i - line_start)) + 1) + what;
        };
        // A backslash before a non-ASCII character is no escape, and toml++ takes a backslash
        // before whitespace for a line-ending one, skips the whitespace and newlines, and tests
        // the next character: either way the same unreachable branch. So inside a basic string,
        // the first character after a backslash and any whitespace must be ASCII.
        const auto bad_escape = [&] {
            if (c != '\\') return false;
            std::size_t j = i + 1;
            while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) ++j;
            return j < text.size() && static_cast<unsigned char>(text[j]) >= 0x80;
        };
        if (c == '\n') {
            if (in == In::Comment || in == In::Basic || in == In::Literal) in = In::Code;  // single-line ends
            if (in == In::Code) before = '\n', value_on_line = false, braces = 0;
            ++line;
            line_start = i + 1;
            continue;
        }
        switch (in) {
            case In::Code:
                if (static_cast<unsigned char>(c) >= 0x80) return problem(": a non-ASCII character outside quotes: put texts in quotes (\"...\")");
                if (c == '#') in = In::Comment;
                else if ((c == '"' || c == '\'') && !opens_here()) before = c;
                else if (starts(kTripleQuote)) in = In::MultiBasic, i += 2;
                else if (starts(kTripleApostrophe)) in = In::MultiLiteral, i += 2;
                else if (c == '"') in = In::Basic;
                else if (c == '\'') in = In::Literal;
                else if (c != ' ' && c != '\t') {
                    if (c == '=') second_equals = value_on_line && braces == 0, value_on_line = true;
                    else if (c == '{') ++braces;
                    else if (c == '}' && braces > 0) --braces;
                    before = c;
                }
                break;
            case In::Comment: break;
            case In::Basic:
                if (bad_escape()) return problem(kBadEscape);
                if (c == '\\') ++i;
                else if (c == '"') in = In::Code, before = c;
                break;
            case In::Literal:
                if (c == '\'') in = In::Code, before = c;
                break;
            case In::MultiBasic:
                if (bad_escape()) return problem(kBadEscape);
                if (c == '\\') {
                    if (i + 1 < text.size() && text[i + 1] == '\n') break;  // a line-ending backslash: the newline counts
                    ++i;
                } else if (starts(kTripleQuote)) {
                    in = In::Code, i += 2, before = '"';
                }
                break;
            case In::MultiLiteral:
                if (starts(kTripleApostrophe)) in = In::Code, i += 2, before = '\'';
                break;
        }
    }
    return {};
}

std::optional<std::pair<int, int>> parse_time_range(std::string_view text) {
    std::size_t i = 0;
    auto hhmm = [&]() -> std::optional<int> {
        int h = 0, digits = 0;
        while (i < text.size() && digits < 2 && text[i] >= '0' && text[i] <= '9') h = h * 10 + (text[i++] - '0'), ++digits;
        if (digits == 0 || i + 3 > text.size() || text[i] != ':') return std::nullopt;
        const char m1 = text[i + 1], m2 = text[i + 2];
        if (m1 < '0' || m1 > '5' || m2 < '0' || m2 > '9') return std::nullopt;
        i += 3;
        const int minutes = h * 60 + (m1 - '0') * 10 + (m2 - '0');
        if (h > 24 || minutes > 24 * 60) return std::nullopt;
        return minutes;
    };
    const auto begin = hhmm();
    if (!begin || i >= text.size() || text[i] != '-') return std::nullopt;
    ++i;
    const auto end = hhmm();
    if (!end || i != text.size() || *end <= *begin) return std::nullopt;
    return std::make_pair(*begin, *end);
}

std::string toml_shadow_problem_at(std::string_view text, const std::string& name) {
    if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) return {};
    // The shadow: each UTF-8 sequence (valid here: utf8_problem_at() came first) becomes one
    // '~', so lines and columns stay those of the text. '~' is valid TOML only inside strings
    // and comments, exactly where a non-ASCII character is.
    std::string shadow;
    std::vector<bool> replaced;  // by shadow position: a non-ASCII character of the text
    shadow.reserve(text.size());
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80 && u < 0xC0) continue;  // a continuation byte: its lead byte stands for it
        shadow += u < 0x80 ? c : '~';
        replaced.push_back(u >= 0x80);
    }
    try {
        (void)toml::parse(shadow, name);
        return {};
    } catch (const toml::parse_error& e) {
        const auto line = e.source().begin.line, column = e.source().begin.column;
        std::size_t at = 0;  // the error's position in the shadow
        for (toml::source_index l = 1; l < line && at < shadow.size(); ++l) {
            const std::size_t nl = shadow.find('\n', at);
            at = nl == std::string::npos ? shadow.size() : nl + 1;
        }
        at += column > 0 ? column - 1 : 0;
        std::ostringstream out;
        out << name << ':' << line << ':' << column << ": ";
        if (at < replaced.size() && replaced[at]) out << "a non-ASCII character outside a quoted text or a comment (put it in quotes)";
        else out << e.description();
        return out.str();
    }
}

void TomlReader::problem(const toml::source_region& where, const std::string& what) const {
    std::ostringstream out;
    out << name_ << ':' << where.begin.line << ':' << where.begin.column << ": " << what;
    throw TomlProblem{out.str()};
}

void TomlReader::only_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                           const std::string& where) const {
    for (auto&& [key, value] : table) {
        if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
        std::vector<std::string> names(allowed.begin(), allowed.end());
        std::string msg = "unknown key " + quote_key(key.str()) + " in " + where;
        if (auto near = closest_names(key.str(), names, 1); !near.empty()) msg += " (did you mean " + quote_key(near.front()) + "?)";
        problem(key.source().begin.line ? key.source() : value.source(), msg);
    }
}

std::string TomlReader::string(const toml::table& t, std::string_view key, const std::string& where,
                               std::optional<std::string> fallback) const {
    const toml::node* n = t.get(key);
    if (!n) {
        if (fallback) return *fallback;
        problem(t, "missing key " + quote_key(key) + " in " + where);
    }
    if (!n->is_string()) problem(*n, quote_key(key) + " in " + where + " must be a text in quotes");
    const std::string& v = n->as_string()->get();
    if (auto bad = text_problem(v, kMaxTomlText); !bad.empty()) problem(*n, quote_key(key) + " in " + where + " " + bad);
    return v;
}

std::int64_t TomlReader::integer(const toml::table& t, std::string_view key, const std::string& where,
                                 std::int64_t fallback, std::int64_t lo, std::int64_t hi) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (!n->is_integer()) problem(*n, quote_key(key) + " in " + where + " must be a whole number");
    const auto v = n->as_integer()->get();
    if (v < lo || v > hi)
        problem(*n, quote_key(key) + " in " + where + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return v;
}

double TomlReader::number(const toml::table& t, std::string_view key, const std::string& where, double fallback,
                          double lo, double hi) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    double v = 0;
    if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
    else if (n->is_floating_point()) v = n->as_floating_point()->get();
    else problem(*n, quote_key(key) + " in " + where + " must be a number");
    // NaN fails every comparison: written so that it fails this one (and inf is out of range).
    if (!(v >= lo && v <= hi))
        problem(*n, quote_key(key) + " in " + where + " must be between " + number_text(lo) + " and " + number_text(hi));
    return v;
}

bool TomlReader::boolean(const toml::table& t, std::string_view key, const std::string& where, bool fallback) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (!n->is_boolean()) problem(*n, quote_key(key) + " in " + where + " must be true or false");
    return n->as_boolean()->get();
}

const toml::table& TomlReader::table(const toml::node& n, const std::string& what) const {
    if (!n.is_table()) problem(n, what + " must be a table");
    return *n.as_table();
}

const toml::array* TomlReader::array(const toml::table& t, std::string_view key, const std::string& where) const {
    const toml::node* n = t.get(key);
    if (!n) return nullptr;
    if (!n->is_array()) problem(*n, quote_key(key) + " in " + where + " must be a list [ ... ]");
    return n->as_array();
}

std::vector<std::string> TomlReader::strings(const toml::table& t, std::string_view key, const std::string& where) const {
    std::vector<std::string> out;
    if (const auto* a = array(t, key, where))
        for (const auto& e : *a) {
            if (!e.is_string()) problem(e, "every entry of " + quote_key(key) + " in " + where + " must be a text in quotes");
            out.push_back(e.as_string()->get());
        }
    return out;
}

std::vector<std::int64_t> TomlReader::integers(const toml::table& t, std::string_view key, const std::string& where,
                                               std::int64_t lo, std::int64_t hi) const {
    std::vector<std::int64_t> out;
    if (const auto* a = array(t, key, where))
        for (const auto& e : *a) {
            if (!e.is_integer()) problem(e, "every entry of " + quote_key(key) + " in " + where + " must be a whole number");
            const std::int64_t v = e.as_integer()->get();
            if (v < lo || v > hi)
                problem(e, quote_key(key) + " in " + where + ": " + std::to_string(v) + " is not between " +
                               std::to_string(lo) + " and " + std::to_string(hi));
            out.push_back(v);
        }
    return out;
}

}  // namespace csc
