#include "shared/toml_reader.hpp"

#include <algorithm>
#include <cstdio>

#include "shared/text_match.hpp"

namespace csc {

namespace {
std::string quoted(std::string_view key) { return "\"" + std::string(key) + "\""; }
std::string number_text(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
}
}  // namespace

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
        std::string msg = "unknown key " + quoted(key.str()) + " in " + where;
        if (auto near = closest_names(key.str(), names, 1); !near.empty()) msg += " (did you mean " + quoted(near.front()) + "?)";
        problem(key.source().begin.line ? key.source() : value.source(), msg);
    }
}

std::string TomlReader::string(const toml::table& t, std::string_view key, const std::string& where,
                               std::optional<std::string> fallback) const {
    const toml::node* n = t.get(key);
    if (!n) {
        if (fallback) return *fallback;
        problem(t, "missing key " + quoted(key) + " in " + where);
    }
    if (!n->is_string()) problem(*n, quoted(key) + " in " + where + " must be a text in quotes");
    return n->as_string()->get();
}

std::int64_t TomlReader::integer(const toml::table& t, std::string_view key, const std::string& where,
                                 std::int64_t fallback, std::int64_t lo, std::int64_t hi) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (!n->is_integer()) problem(*n, quoted(key) + " in " + where + " must be a whole number");
    const auto v = n->as_integer()->get();
    if (v < lo || v > hi)
        problem(*n, quoted(key) + " in " + where + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return v;
}

double TomlReader::number(const toml::table& t, std::string_view key, const std::string& where, double fallback,
                          double lo, double hi) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    double v = 0;
    if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
    else if (n->is_floating_point()) v = n->as_floating_point()->get();
    else problem(*n, quoted(key) + " in " + where + " must be a number");
    if (v < lo || v > hi)
        problem(*n, quoted(key) + " in " + where + " must be between " + number_text(lo) + " and " + number_text(hi));
    return v;
}

bool TomlReader::boolean(const toml::table& t, std::string_view key, const std::string& where, bool fallback) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (!n->is_boolean()) problem(*n, quoted(key) + " in " + where + " must be true or false");
    return n->as_boolean()->get();
}

const toml::table& TomlReader::table(const toml::node& n, const std::string& what) const {
    if (!n.is_table()) problem(n, what + " must be a table");
    return *n.as_table();
}

const toml::array* TomlReader::array(const toml::table& t, std::string_view key, const std::string& where) const {
    const toml::node* n = t.get(key);
    if (!n) return nullptr;
    if (!n->is_array()) problem(*n, quoted(key) + " in " + where + " must be a list [ ... ]");
    return n->as_array();
}

std::vector<std::string> TomlReader::strings(const toml::table& t, std::string_view key, const std::string& where) const {
    std::vector<std::string> out;
    if (const auto* a = array(t, key, where))
        for (const auto& e : *a) {
            if (!e.is_string()) problem(e, "every entry of " + quoted(key) + " in " + where + " must be a text in quotes");
            out.push_back(e.as_string()->get());
        }
    return out;
}

}  // namespace csc
