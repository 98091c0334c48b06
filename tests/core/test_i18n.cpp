// Translations: every catalog present against the reference (placeholders, plural forms), CLDR plural rules, fallbacks.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "shared/i18n.hpp"
#include "test_support.hpp"

using namespace csc;

namespace {
std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> out;
    for (std::size_t i = text.find('{'); i != std::string::npos; i = text.find('{', i + 1)) {
        const auto close = text.find('}', i);
        if (close != std::string::npos) out.insert(text.substr(i + 1, close - i - 1));
    }
    return out;
}

constexpr const char* kCategories[] = {"zero", "one", "two", "few", "many"};  // then "other"

// "home.waiting.few" → {"home.waiting", "few"} when the last part is a CLDR category, else {}.
std::pair<std::string, std::string> plural_form(const std::string& key) {
    const auto dot = key.rfind('.');
    if (dot == std::string::npos) return {};
    const std::string category = key.substr(dot + 1);
    for (const char* c : kCategories)
        if (category == c) return {key.substr(0, dot), category};
    return {};
}
}  // namespace

TEST_CASE("every catalog present: missing texts listed, placeholders and plural forms as the reference's") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(CSC_SOURCE_ASSETS) / "i18n";
    auto reference = load_catalog(dir / "it.toml", "it");
    REQUIRE_MESSAGE(reference.ok(), (reference.ok() ? "" : reference.error().message));
    CHECK(reference->texts.size() > 50);
    int catalogs = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".toml") continue;
        const std::string lang = entry.path().stem().string();
        auto c = load_catalog(entry.path(), lang);
        REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
        ++catalogs;
        CAPTURE(lang);
        std::vector<std::string> missing;
        const auto has_rule = [&c](const std::string& category) { return c->texts.count("plural." + category) == 1; };
        for (const auto& [key, text] : reference->texts) {
            if (key.rfind("plural.", 0) == 0) continue;  // each language has its own rules
            // A plural form this language's rules never choose (Chinese has no "one") is not missing.
            if (const auto [base, category] = plural_form(key);
                !base.empty() && reference->texts.count(base + ".other") && !has_rule(category))
                continue;
            auto other = c->texts.find(key);
            if (other == c->texts.end()) {
                missing.push_back(key);
                continue;
            }
            INFO(key);
            CHECK(placeholders(text) == placeholders(other->second));
            CHECK_FALSE(other->second.empty());
        }
        // Listed for the translator; the reference's text is shown meanwhile.
        if (!missing.empty()) {
            std::string list;
            for (const auto& k : missing) list += " " + k;
            MESSAGE(lang << ".toml lacks " << missing.size() << " texts:" << list);
        }
        for (const auto& [key, text] : c->texts) {
            INFO(key);
            // A plural form the reference lacks ("few", "many" of a Slavic language) belongs to a
            // counted text of the reference, for a category this language's rules choose, with the
            // placeholders of the reference's "other".
            const auto [base, category] = plural_form(key);
            const bool own_plural_form = !base.empty() && !reference->texts.count(key) &&
                                         reference->texts.count(base + ".other") && has_rule(category);
            if (own_plural_form) CHECK(placeholders(reference->texts.at(base + ".other")) == placeholders(text));
            CHECK_MESSAGE(reference->texts.count(key) + (key.rfind("plural.", 0) == 0 ? 1 : 0) + (own_plural_form ? 1 : 0) >= 1,
                          "a key the reference does not have (a typo?)");
            // Every plural form this language's rules can choose exists for each counted text.
            if (key.size() > 6 && key.compare(key.size() - 6, 6, ".other") == 0) {
                const std::string base = key.substr(0, key.size() - 6);
                for (const char* category : kCategories)
                    if (has_rule(category))
                        CHECK_MESSAGE(c->texts.count(base + "." + category) == 1, (base + "." + category + " is missing"));
            }
        }
    }
    CHECK(catalogs >= 2);
}

TEST_CASE("plural categories follow the catalog's CLDR rules: Italian and a Slavic rule set") {
    auto tr = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", {"it", "en"});
    REQUIRE(tr.ok());
    CHECK(tr->plural_category("it", 1) == "one");
    CHECK(tr->plural_category("it", 0) == "other");
    CHECK(tr->plural_category("it", 2) == "other");
    CHECK(tr->tr_count("en", "home.waiting", 1) == "1 waiting");
    CHECK(tr->tr_count("it", "home.waiting", 7) == "7 in attesa");
    // Ukrainian's rules (CLDR), written as a catalog would.
    const auto holds = [](const char* rule, long long n) {
        auto r = plural_condition_holds(rule, n);
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
        return *r;
    };
    const char* one = "n % 10 = 1 and n % 100 != 11";
    const char* few = "n % 10 = 2..4 and n % 100 != 12..14";
    const char* many = "n % 10 = 0 or n % 10 = 5..9 or n % 100 = 11..14";
    for (long long n : {1LL, 21LL, 101LL}) CHECK(holds(one, n));
    for (long long n : {11LL, 2LL, 5LL}) CHECK_FALSE(holds(one, n));
    for (long long n : {2LL, 4LL, 22LL, 104LL}) CHECK(holds(few, n));
    for (long long n : {12LL, 14LL, 5LL}) CHECK_FALSE(holds(few, n));
    for (long long n : {0LL, 5LL, 11LL, 14LL, 25LL, 100LL}) CHECK(holds(many, n));
    CHECK(holds("n = 0,1", 0));
    CHECK(holds("n = 0,1", 1));
    CHECK_FALSE(holds("n = 0,1", 2));
    CHECK_FALSE(plural_condition_holds("n % 0 = 1", 3).ok());
    CHECK_FALSE(plural_condition_holds("x = 1", 3).ok());
    CHECK_FALSE(plural_condition_holds("n = one", 3).ok());
}

TEST_CASE("a catalog with a broken plural rule is refused with its file and line") {
    test::TempDir dir;
    std::ofstream(dir.path() / "xx.toml") << "\"language.name\" = \"X\"\n\"plural.one\" = \"n == 1\"\n";
    auto c = load_catalog(dir.path() / "xx.toml", "xx");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find("xx.toml:2:") != std::string::npos);
}

TEST_CASE("placeholders are filled; a missing key falls back to Italian, then to the key") {
    auto tr = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", {"it", "en"});
    REQUIRE(tr.ok());
    CHECK(tr->tr("it", "confirm.people_ahead", {{"count", "3"}}) == "Persone prima di lei: 3");
    CHECK(tr->tr("en", "confirm.people_ahead", {{"count", "3"}}) == "People ahead of you: 3");
    CHECK(tr->tr("de", "home.title") == "Benvenuti");
    CHECK(tr->tr("en", "no.such.key") == "no.such.key");
}

TEST_CASE("a broken catalog names the file and line") {
    auto c = load_catalog(std::string(CSC_SOURCE_ASSETS) + "/site/office.toml", "xx");  // tables, not texts
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find("office.toml:") != std::string::npos);
}
