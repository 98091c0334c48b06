// Translations: every catalog present against the reference (placeholders, plural forms), CLDR plural rules, fallbacks.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "shared/i18n.hpp"
#include "shared/i18n_check.hpp"
#include "test_support.hpp"

using namespace csc;

namespace {
std::string joined(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) out += " " + k;
    return out;
}
}  // namespace

// The catalogue check (shared/i18n_check.*, also `kiosk translations`): every catalogue present
// against the reference. Missing texts are listed, not failed: the reference's text shows
// meanwhile, and a new key reaches the translators after it reaches it.toml.
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
        const auto p = check_catalog(*reference, *c);
        CHECK_MESSAGE(p.placeholders.empty(), "placeholders unlike the reference's:" << joined(p.placeholders));
        CHECK_MESSAGE(p.unknown.empty(), "keys the reference does not have (a typo?):" << joined(p.unknown));
        CHECK_MESSAGE(p.plural_forms.empty(), "plural forms its rules choose, missing:" << joined(p.plural_forms));
        CHECK_MESSAGE(p.empty.empty(), "empty texts:" << joined(p.empty));
        if (!p.missing.empty()) MESSAGE(lang << ".toml lacks " << p.missing.size() << " texts:" << joined(p.missing));
    }
    CHECK(catalogs >= 2);
}

TEST_CASE("the catalogue check names each kind of problem, and a language's own plural forms are no problem") {
    Catalog it{"it", "Italiano", {{"plural.one", "n = 1"}, {"a", "Ciao {name}"}, {"n.one", "{count} posto"}, {"n.other", "{count} posti"}}};
    Catalog uk{"uk", "Українська",
               {{"plural.one", "n % 10 = 1 and n % 100 != 11"}, {"plural.few", "n % 10 = 2..4 and n % 100 != 12..14"},
                {"a", "Привіт {nmae}"}, {"n.one", "{count} місце"}, {"n.other", "{count} місця"}, {"typo", ""}}};
    auto p = check_catalog(it, uk);
    CHECK(p.placeholders == std::vector<std::string>{"a"});
    CHECK(p.unknown == std::vector<std::string>{"typo"});
    CHECK(p.empty == std::vector<std::string>{"typo"});
    CHECK(p.plural_forms == std::vector<std::string>{"n.few"});
    CHECK(p.missing.empty());
    uk.texts["a"] = "Привіт {name}";
    uk.texts["n.few"] = "{count} місця";
    uk.texts.erase("typo");
    CHECK(check_catalog(it, uk).complete());
    // Chinese: no rule, so "n.one" is never chosen and not missing; "n.other" is.
    Catalog zh{"zh", "中文", {{"a", "你好 {name}"}}};
    p = check_catalog(it, zh);
    CHECK(p.missing == std::vector<std::string>{"n.other"});
    CHECK(p.consistent());
    CHECK_FALSE(p.complete());
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

TEST_CASE("a language written right to left is known by its catalogue's own name: Arabic is, the others are not") {
    auto tr = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", {"it", "en", "uk", "zh", "ar"});
    REQUIRE(tr.ok());
    CHECK(tr->right_to_left("ar"));
    for (const char* lang : {"it", "en", "uk", "zh"}) CHECK_FALSE(tr->right_to_left(lang));
    CHECK_FALSE(tr->right_to_left("he"));  // not loaded
}
