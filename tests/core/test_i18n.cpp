// Translations: every shipped language has every key with the same {placeholders}; fallbacks.
#include <doctest/doctest.h>

#include <set>

#include "shared/i18n.hpp"

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
}  // namespace

TEST_CASE("Italian and English have the same keys, with the same placeholders") {
    auto tr = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", {"it", "en"});
    REQUIRE_MESSAGE(tr.ok(), (tr.ok() ? "" : tr.error().message));
    const Catalog& it = *tr->find("it");
    const Catalog& en = *tr->find("en");
    CHECK(it.texts.size() > 50);
    for (const auto& [key, text] : it.texts) {
        INFO(key);
        auto other = en.texts.find(key);
        REQUIRE(other != en.texts.end());
        CHECK(placeholders(text) == placeholders(other->second));
        CHECK_FALSE(other->second.empty());
    }
    for (const auto& [key, text] : en.texts) {
        INFO(key);
        CHECK(it.texts.count(key) == 1);
    }
    CHECK(it.language_name == "Italiano");
    CHECK(en.language_name == "English");
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
