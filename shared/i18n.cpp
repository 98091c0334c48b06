#include "shared/i18n.hpp"

#include <sstream>

#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

namespace csc {

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
