// web_sample.hpp — the web tests' sample office: the sample site configuration and the real
// translation catalogues, loaded once per test (the views are checked against what ships).
//
// Contents: WebSample.
// Contract: a test that cannot load either fails at once (REQUIRE), never runs on defaults.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "shared/config.hpp"
#include "shared/i18n.hpp"

namespace csc::test {

/// The sample site (assets/site/office.toml) and its catalogues.
struct WebSample {
    SiteConfig config;
    Translator tr;
    WebSample() {
        auto c = load_site_config(std::string(CSC_SOURCE_ASSETS) + "/site/office.toml");
        REQUIRE(c.ok());
        config = *c;
        auto t = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", config.languages);
        REQUIRE(t.ok());
        tr = *t;
    }
};

}  // namespace csc::test
