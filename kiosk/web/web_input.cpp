#include "kiosk/web/web_input.hpp"

#include <algorithm>

namespace csc::web {

std::string pick_language(std::string_view query_lang, std::string_view accept_language,
                          const std::vector<std::string>& spoken,
                          const std::function<bool(const std::string&)>& speaks) {
    const auto served = [&](const std::string& tag) {
        return std::find(spoken.begin(), spoken.end(), tag) != spoken.end() && speaks(tag);
    };
    if (!query_lang.empty() && served(std::string(query_lang))) return std::string(query_lang);
    // Accept-Language: "ro-RO,ro;q=0.9,en;q=0.8" — the first language the office speaks.
    std::size_t at = 0;
    while (at <= accept_language.size()) {
        const std::size_t comma = std::min(accept_language.find(',', at), accept_language.size());
        std::string_view part = accept_language.substr(at, comma - at);
        at = comma + 1;
        part = part.substr(0, part.find(';'));
        const auto first = part.find_first_not_of(' ');
        if (first == std::string_view::npos) continue;
        part = part.substr(first);
        std::string tag(part.substr(0, part.find('-')));
        std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (served(tag)) return tag;
    }
    return spoken.front();
}

}  // namespace csc::web
