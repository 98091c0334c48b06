#include "shared/i18n.hpp"

#include "shared/text_bidi.hpp"

#include <sstream>

#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

namespace csc {

namespace {

constexpr const char* kPluralCategories[] = {"zero", "one", "two", "few", "many"};  // then "other"

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

Result<long long> integer_of(std::string_view s) {
    s = trim(s);
    if (s.empty() || s.size() > 9) return fail("\"" + std::string(s) + "\" is not a number");
    long long v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return fail("\"" + std::string(s) + "\" is not a number");
        v = v * 10 + (c - '0');
    }
    return v;
}

// One relation: "n [% M] (=|!=) a[..b][,c[..d]…]".
Result<bool> relation_holds(std::string_view rel, long long n) {
    const bool negated = rel.find("!=") != std::string_view::npos;
    const auto op = negated ? rel.find("!=") : rel.find('=');
    if (op == std::string_view::npos) return fail("\"" + std::string(rel) + "\" has no = or !=");
    std::string_view lhs = trim(rel.substr(0, op));
    std::string_view rhs = rel.substr(op + (negated ? 2 : 1));
    if (lhs.empty() || (lhs.front() != 'n' && lhs.front() != 'i')) return fail("\"" + std::string(rel) + "\" must start with n");
    long long value = n < 0 ? -n : n;
    lhs.remove_prefix(1);
    lhs = trim(lhs);
    if (!lhs.empty()) {
        if (lhs.front() != '%') return fail("\"" + std::string(rel) + "\": only n or n % M on the left");
        auto mod = integer_of(lhs.substr(1));
        if (!mod) return mod.error();
        if (*mod == 0) return fail("\"" + std::string(rel) + "\": % 0");
        value %= *mod;
    }
    bool in = false;
    std::size_t start = 0;
    while (start <= rhs.size()) {
        const auto comma = rhs.find(',', start);
        const std::string_view item = rhs.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        const auto dots = item.find("..");
        auto low = integer_of(dots == std::string_view::npos ? item : item.substr(0, dots));
        if (!low) return low.error();
        auto high = dots == std::string_view::npos ? low : integer_of(item.substr(dots + 2));
        if (!high) return high.error();
        if (value >= *low && value <= *high) in = true;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return negated ? !in : in;
}

// Splits `s` on a word separator (" or ", " and ").
std::vector<std::string_view> split_on(std::string_view s, std::string_view sep) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto at = s.find(sep, start);
        parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) break;
        start = at + sep.size();
    }
    return parts;
}

}  // namespace

Result<bool> plural_condition_holds(std::string_view condition, long long n) {
    bool any = false;
    for (auto alternative : split_on(condition, " or ")) {
        bool all = true;
        for (auto rel : split_on(alternative, " and ")) {
            auto r = relation_holds(trim(rel), n);
            if (!r) return r.error();
            all = all && *r;
        }
        any = any || all;
    }
    return any;
}

Result<Catalog> load_catalog(const std::filesystem::path& file, const std::string& lang) {
    Catalog c;
    c.lang = lang;
    try {
        const toml::table t = toml::parse_file(file.string());
        for (auto&& [key, value] : t) {
            if (!value.is_string()) {
                std::ostringstream out;
                out << file.string() << ':' << value.source().begin.line << ": \"" << key.str() << "\" must be a text";
                return fail(out.str());
            }
            // A plural rule is checked now: a typo must not choose the wrong form at run time.
            if (key.str().rfind("plural.", 0) == 0) {
                if (auto ok = plural_condition_holds(value.as_string()->get(), 1); !ok) {
                    std::ostringstream out;
                    out << file.string() << ':' << value.source().begin.line << ": \"" << key.str() << "\": " << ok.error().message;
                    return fail(out.str());
                }
            }
            c.texts.emplace(std::string(key.str()), value.as_string()->get());
        }
    } catch (const toml::parse_error& e) {
        std::ostringstream out;
        out << file.string() << ':' << e.source().begin.line << ':' << e.source().begin.column << ": " << e.description();
        return fail(out.str());
    }
    auto it = c.texts.find("language.name");
    c.language_name = it != c.texts.end() ? it->second : lang;
    return c;
}

Result<Translator> Translator::load(const std::filesystem::path& i18n_dir, const std::vector<std::string>& languages) {
    Translator t;
    for (const auto& lang : languages) {
        auto c = load_catalog(i18n_dir / (lang + ".toml"), lang);
        if (!c) return c.error();
        t.catalogs_.push_back(std::move(*c));
    }
    if (t.catalogs_.empty()) return fail("no language configured");
    return t;
}

const Catalog* Translator::find(const std::string& lang) const {
    for (const auto& c : catalogs_)
        if (c.lang == lang) return &c;
    return nullptr;
}

bool Translator::right_to_left(const std::string& lang) const {
    const Catalog* c = find(lang);
    if (!c) return false;
    const auto name = c->texts.find("language.name");
    return name != c->texts.end() && has_rtl(name->second);
}

std::string Translator::plural_category(const std::string& lang, long long n) const {
    const Catalog* c = find(lang);
    if (!c && !catalogs_.empty()) c = &catalogs_.front();
    if (!c) return "other";
    for (const char* category : kPluralCategories) {
        auto it = c->texts.find(std::string("plural.") + category);
        if (it == c->texts.end()) continue;
        if (auto holds = plural_condition_holds(it->second, n); holds && *holds) return category;
    }
    return "other";
}

std::string Translator::tr_count(const std::string& lang, std::string_view key, long long n,
                                 const std::vector<std::pair<std::string, std::string>>& args) const {
    auto all = args;
    all.emplace_back("count", std::to_string(n));
    const std::string specific = std::string(key) + "." + plural_category(lang, n);
    const Catalog* c = find(lang);
    if (c && c->texts.count(specific)) return tr(lang, specific, all);
    return tr(lang, std::string(key) + ".other", all);
}

std::string Translator::tr_or_text(const std::string& lang, const std::string& key_or_text) const {
    for (const auto& c : catalogs_)
        if (c.texts.count(key_or_text)) return tr(lang, key_or_text);
    return key_or_text;
}

std::string Translator::tr_error(const std::string& lang, const Error& error) const {
    const auto known = [this, &lang](const std::string& key) {
        const Catalog* c = find(lang);
        return (c && c->texts.count(key)) || (!catalogs_.empty() && catalogs_.front().texts.count(key));
    };
    // "refused.counter.closed" → "error.refused.counter.closed", else "error.refused".
    for (std::string code = error.code; !code.empty();) {
        if (known("error." + code)) return tr(lang, "error." + code, error.args);
        const auto dot = code.rfind('.');
        code = dot == std::string::npos ? std::string() : code.substr(0, dot);
    }
    return tr(lang, "error.generic");
}

std::string Translator::tr(const std::string& lang, std::string_view key,
                           const std::vector<std::pair<std::string, std::string>>& args) const {
    const std::string* text = nullptr;
    if (const Catalog* c = find(lang)) {
        if (auto it = c->texts.find(key); it != c->texts.end()) text = &it->second;
    }
    if (!text && !catalogs_.empty()) {
        if (auto it = catalogs_.front().texts.find(key); it != catalogs_.front().texts.end()) text = &it->second;
    }
    if (!text) return std::string(key);
    if (args.empty()) return *text;
    std::string out;
    out.reserve(text->size() + 16);
    for (std::size_t i = 0; i < text->size(); ++i) {
        if ((*text)[i] == '{') {
            const auto close = text->find('}', i);
            if (close != std::string::npos) {
                const std::string_view name(text->data() + i + 1, close - i - 1);
                bool replaced = false;
                for (const auto& [k, v] : args)
                    if (k == name) {
                        out += v;
                        replaced = true;
                        break;
                    }
                if (replaced) {
                    i = close;
                    continue;
                }
            }
        }
        out += (*text)[i];
    }
    return out;
}

}  // namespace csc
