#include "kiosk/gui/icon_font.hpp"

#include <fstream>
#include <sstream>

#include "shared/text_check.hpp"

namespace csc::gui {

Result<IconMap> IconMap::load(const std::filesystem::path& css) {
    std::ifstream in(css);
    if (!in) return fail(css.string() + ": cannot read the icon font's CSS (package fonts-font-awesome)");
    std::ostringstream text;
    text << in.rdbuf();
    IconMap map = parse(text.str());
    if (map.size() == 0) return fail(css.string() + ": no icon found in the CSS");
    return map;
}

IconMap IconMap::parse(std::string_view css) {
    IconMap map;
    std::size_t pos = 0;
    while (pos < css.size()) {
        const auto open = css.find('{', pos);
        if (open == std::string_view::npos) break;
        const auto close = css.find('}', open);
        if (close == std::string_view::npos) break;
        const std::string_view selectors = css.substr(pos, open - pos);
        const std::string_view body = css.substr(open + 1, close - open - 1);
        pos = close + 1;

        const auto content = body.find("content:");
        if (content == std::string_view::npos) continue;
        const auto quote = body.find("\"\\", content);
        if (quote == std::string_view::npos) continue;
        char32_t code = 0;
        std::size_t i = quote + 2;
        for (; i < body.size(); ++i) {
            const char ch = body[i];
            int digit = -1;
            if (ch >= '0' && ch <= '9') digit = ch - '0';
            else if (ch >= 'a' && ch <= 'f') digit = ch - 'a' + 10;
            else if (ch >= 'A' && ch <= 'F') digit = ch - 'A' + 10;
            if (digit < 0) break;
            code = code * 16 + static_cast<char32_t>(digit);
        }
        if (code == 0 || i == quote + 2) continue;

        // Every ".fa-NAME:before" in the selector list names this code point.
        std::size_t s = 0;
        while ((s = selectors.find(".fa-", s)) != std::string_view::npos) {
            const auto start = s + 4;
            const auto end = selectors.find(":before", start);
            const auto comma = selectors.find_first_of(", \n\t{", start);
            s = start;
            if (end == std::string_view::npos || (comma != std::string_view::npos && comma < end)) continue;
            map.codes_.emplace(std::string(selectors.substr(start, end - start)), code);
        }
    }
    return map;
}

std::optional<char32_t> IconMap::find(std::string_view name) const {
    if (name.starts_with("fa-")) name.remove_prefix(3);
    auto it = codes_.find(name);
    if (it == codes_.end()) return std::nullopt;
    return it->second;
}

UiIcons resolve_ui_icons(const IconMap& map, std::vector<char32_t>& used) {
    auto get = [&](std::string_view name) -> std::string {
        auto c = map.find(name);
        if (!c) return {};
        used.push_back(*c);
        return utf8_of(*c);
    };
    UiIcons i;
    i.chevron_right = get("chevron-right");
    i.chevron_left = get("chevron-left");
    i.print = get("print");
    i.check = get("check-circle");
    i.warning = get("exclamation-triangle");
    i.language = get("language");
    i.users = get("users");
    i.hourglass = get("hourglass-half");
    i.arrow_down = get("arrow-down");
    i.error = get("times-circle");
    i.clock = get("clock-o");
    i.qrcode = get("qrcode");
    i.contrast = get("adjust");  // the half-filled circle: the usual sign for contrast
    i.text_height = get("text-height");
    return i;
}

std::string utf8_of(char32_t c) {
    std::string out;
    append_utf8(out, c);
    return out;
}

}  // namespace csc::gui
