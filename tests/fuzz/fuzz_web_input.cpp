// libFuzzer target: what `kiosk serve` reads from a request before any office data
// (kiosk/web/web_input.hpp, docs/WEB.md): the page's language from ?lang= and Accept-Language
// (pick_language(), as WebServer::pick_lang calls it), and the ticket token of /t/TOKEN and
// /api/t/TOKEN[/events] (is_ticket_token(), the gate of find_ticket_by_token()).
// Input: "?lang value\nAccept-Language value\ntoken" (missing parts are empty).
// Properties: never crashes or hangs; the language is always one the office serves (so nothing
// of the request is echoed into a page through it), ?lang= wins when served, the office's first
// language when nothing asked for is served; an accepted token is exactly 22 characters of
// [A-Za-z0-9_-] (nothing that could walk a path or break out of a URL or a JSON string).
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/web/web_input.hpp"
#include "shared/events.hpp"

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

std::string_view next_field(std::string_view& rest) {
    const auto nl = rest.find('\n');
    const std::string_view field = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    const std::string_view query = next_field(rest);
    const std::string_view accept = next_field(rest);
    const std::string_view token = rest;

    // The sample office's languages; "fr" listed but its catalogue missing (not served).
    static const std::vector<std::string> spoken{"it", "en", "de", "fr", "ro", "ar"};
    const auto speaks = [](const std::string& l) { return l != "fr"; };
    const std::string lang = csc::web::pick_language(query, accept, spoken, speaks);
    require(std::find(spoken.begin(), spoken.end(), lang) != spoken.end() && speaks(lang));
    const bool query_served = std::find(spoken.begin(), spoken.end(), std::string(query)) != spoken.end() && query != "fr";
    if (query_served) require(lang == query);
    if (!query_served && accept.empty()) require(lang == spoken.front());

    if (csc::is_ticket_token(token)) {
        require(token.size() == csc::kTicketTokenLength);
        for (char c : token) require(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
    }
    return 0;
}
