// `kiosk translations [LANG…] [--json]`: the catalogue check for translators (docs/TRANSLATIONS.md),
// the same rule as the test suite's (shared/i18n_check.*). Needs no configuration and no store.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "kiosk/app/assets_dir.hpp"
#include "kiosk/cli/commands.hpp"
#include "shared/i18n_check.hpp"

namespace csc::cli {

namespace {

struct TranslationArgs {
    std::vector<std::string> languages;
    bool json = false;
};

void print_keys(std::ostream& out, const char* what, const std::vector<std::string>& keys) {
    if (keys.empty()) return;
    out << "  " << what << " (" << keys.size() << "):";
    for (const auto& k : keys) out << ' ' << k;
    out << '\n';
}

int check_translations(const std::filesystem::path& dir, const TranslationArgs& args) {
    namespace fs = std::filesystem;
    auto reference = load_catalog(dir / "it.toml", "it");
    if (!reference) return std::cerr << "kiosk: " << reference.error().message << '\n', 2;
    std::vector<std::string> languages = args.languages;
    if (languages.empty()) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec))
            if (entry.path().extension() == ".toml" && entry.path().stem() != "it") languages.push_back(entry.path().stem().string());
        std::sort(languages.begin(), languages.end());
    }
    int code = 0;
    nlohmann::json report = nlohmann::json::object();
    for (const auto& lang : languages) {
        const auto file = dir / (lang + ".toml");
        auto catalog = load_catalog(file, lang);
        if (!catalog) {
            code = 1;
            if (args.json) report[lang] = {{"error", catalog.error().message}};
            else std::cout << catalog.error().message << '\n';
            continue;
        }
        const auto p = check_catalog(*reference, *catalog);
        if (!p.complete()) code = 1;
        if (args.json) {
            report[lang] = {{"file", file.string()},        {"complete", p.complete()},  {"missing", p.missing},
                            {"placeholders", p.placeholders}, {"unknown", p.unknown},      {"plural_forms", p.plural_forms},
                            {"empty", p.empty}};
            continue;
        }
        std::cout << file.string() << ": " << (p.complete() ? "complete" : "to do") << '\n';
        print_keys(std::cout, "missing (the Italian text shows instead)", p.missing);
        print_keys(std::cout, "{placeholders} unlike Italian's", p.placeholders);
        print_keys(std::cout, "keys Italian does not have (a typo?)", p.unknown);
        print_keys(std::cout, "plural forms this language's rules need", p.plural_forms);
        print_keys(std::cout, "empty", p.empty);
    }
    if (args.json) std::cout << report.dump(1) << '\n';
    return code;
}

}  // namespace

void add_translation_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto args = std::make_shared<TranslationArgs>();
    auto* cmd = app.add_subcommand("translations",
                                   "check the translation catalogues (ASSETS/i18n/*.toml) against Italian: missing texts, "
                                   "{placeholders}, plural forms; exit 0 when all are complete");
    cmd->add_option("languages", args->languages, "language codes (default: every catalogue but it)");
    cmd->add_flag("--json", args->json, "as JSON");
    cmd->callback([&options, &exit_code, args] { exit_code = check_translations(app::assets_dir(options) / "i18n", *args); });
}

}  // namespace csc::cli
