// icon_font.hpp — Font Awesome 4.7 icon names → code points, read from the installed CSS
// (fonts-font-awesome), so the site configuration can name icons ("id-card") and nothing
// copies the table into the source.
//
// Contents: IconMap, utf8_of().
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.hpp"

namespace csc::gui {

/// Where Debian installs Font Awesome 4.7.
inline constexpr const char* kFontAwesomeCss = "/usr/share/fonts-font-awesome/css/font-awesome.css";
inline constexpr const char* kFontAwesomeTtf = "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf";

/// Icon name → code point.
class IconMap {
public:
    /// Parses `.fa-NAME:before { content: "\fXXX"; }` rules (several selectors may share one).
    [[nodiscard]] static Result<IconMap> load(const std::filesystem::path& css = kFontAwesomeCss);
    /// Parses CSS text (for tests).
    [[nodiscard]] static IconMap parse(std::string_view css);
    /// The code point of "id-card" (a leading "fa-" is accepted), if known.
    [[nodiscard]] std::optional<char32_t> find(std::string_view name) const;
    [[nodiscard]] std::size_t size() const { return codes_.size(); }

private:
    std::map<std::string, char32_t, std::less<>> codes_;
};

/// The icons the screens use besides the sectors' own, as UTF-8 ("" when not in the font).
struct UiIcons {
    std::string chevron_right, chevron_left, print, check, warning, language, users, hourglass, arrow_down, error,
        clock, qrcode, contrast, text_height;
};

/// Resolves UiIcons by name and appends their code points to `used` (for the font atlas).
[[nodiscard]] UiIcons resolve_ui_icons(const IconMap& map, std::vector<char32_t>& used);

/// UTF-8 encoding of one code point.
[[nodiscard]] std::string utf8_of(char32_t c);

}  // namespace csc::gui
