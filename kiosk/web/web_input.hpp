// web_input.hpp — what the web server reads from a request before any office data: the page's
// language from ?lang= and Accept-Language (docs/WEB.md, "Pages"). Fuzzed (tests/fuzz,
// fuzz_web_input) with the ticket token's check (is_ticket_token, shared/events.hpp).
//
// Contents: pick_language().
// Contract: pure (no I/O, no clock, no allocation beyond the returned text and a copy of one
// tag at a time); any bytes are accepted; the answer is always one of `spoken` (its first when
// nothing asked for is spoken), so no text from the request ever reaches a page through it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace csc::web {

/// The page's language: `query_lang` (?lang=, "" = none) if spoken, else the first language of
/// `accept_language` ("ro-RO,ro;q=0.9,en;q=0.8": tags in order, region and weight ignored, case
/// folded) that is spoken, else spoken.front(). `speaks(tag)` says whether a language is served
/// (listed in the configuration and its catalogue loaded); `spoken` must not be empty.
[[nodiscard]] std::string pick_language(std::string_view query_lang, std::string_view accept_language,
                                        const std::vector<std::string>& spoken,
                                        const std::function<bool(const std::string&)>& speaks);

}  // namespace csc::web
