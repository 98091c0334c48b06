#include "shared/i18n_check.hpp"

#include <algorithm>

namespace csc {

namespace {

constexpr const char* kCheckedCategories[] = {"zero", "one", "two", "few", "many"};  // then "other"

// "home.waiting.few" → {"home.waiting", "few"} when its last part is a CLDR category, else {}.
std::pair<std::string, std::string> split_plural_form(const std::string& key) {
    const auto dot = key.rfind('.');
    if (dot == std::string::npos) return {};
    const std::string category = key.substr(dot + 1);
    for (const char* c : kCheckedCategories)
        if (category == c) return {key.substr(0, dot), category};
    return {};
}

bool is_rule(const std::string& key) { return key.rfind("plural.", 0) == 0; }

}  // namespace

std::vector<std::string> placeholders_in(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t i = text.find('{'); i != std::string::npos; i = text.find('{', i + 1)) {
        const auto close = text.find('}', i);
        if (close == std::string::npos) break;
        out.push_back(text.substr(i + 1, close - i - 1));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

CatalogProblems check_catalog(const Catalog& reference, const Catalog& catalog) {
    CatalogProblems p;
    const auto has_rule = [&catalog](const std::string& category) { return catalog.texts.count("plural." + category) == 1; };
    const auto in_reference = [&reference](const std::string& key) { return reference.texts.count(key) == 1; };
    for (const auto& [key, text] : reference.texts) {
        if (is_rule(key)) continue;  // each language has its own rules
        const auto [base, category] = split_plural_form(key);
        if (!base.empty() && in_reference(base + ".other") && !has_rule(category)) continue;  // never chosen
        const auto it = catalog.texts.find(key);
        if (it == catalog.texts.end()) p.missing.push_back(key);
        else if (placeholders_in(text) != placeholders_in(it->second)) p.placeholders.push_back(key);
    }
    for (const auto& [key, text] : catalog.texts) {
        if (text.empty()) p.empty.push_back(key);
        if (is_rule(key)) continue;
        const auto [base, category] = split_plural_form(key);
        if (!in_reference(key)) {
            // A form of a counted text for a category this language's rules choose ("few").
            if (!base.empty() && in_reference(base + ".other") && has_rule(category)) {
                if (placeholders_in(reference.texts.find(base + ".other")->second) != placeholders_in(text))
                    p.placeholders.push_back(key);
            } else {
                p.unknown.push_back(key);
            }
        }
        if (key.size() > 6 && key.compare(key.size() - 6, 6, ".other") == 0) {
            const std::string counted = key.substr(0, key.size() - 6);
            for (const char* c : kCheckedCategories)
                if (has_rule(c) && !catalog.texts.count(counted + "." + c)) p.plural_forms.push_back(counted + "." + c);
        }
    }
    std::sort(p.placeholders.begin(), p.placeholders.end());
    return p;
}

}  // namespace csc
