// The entrance kiosk's language menu: every language of the office as a large button with its
// own name in its own script (as a citizen who reads only that language looks for it), in the
// order of the configuration; the current one filled and ticked. Opened by the home screen's
// "Lingua · Language" button when its bar has no room for one button per language.
#include <algorithm>
#include <cmath>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void EntranceLanguages::draw_content(FrameContext& ui) {
    const TimedFrame timed(*this, ui);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = header(ui);
    const float margin = ui.px(ui.portrait() ? 48 : 64);

    float y = top + ui.px(ui.portrait() ? 60 : 40);
    // The title in the current language and in English (a visitor may not read the first).
    y += draw_text(dl, ui.fonts.title, {margin, y}, palette::kInk, ui.t("languages.title"), ui.size.x - 2 * margin).y;
    say_title(ui, ui.t("languages.title"));
    y += ui.px(ui.portrait() ? 48 : 32);

    float back_top = 0;
    if (back_button(ui, margin, back_top)) intents_.go_home();

    // Two columns in portrait, three in landscape; rows as tall as the room allows, up to 170 px.
    const int n = static_cast<int>(view_.languages.size());
    if (n == 0) return;
    const int cols = ui.portrait() ? 2 : 3;
    const int rows = (n + cols - 1) / cols;
    const float gap = ui.px(28);
    y = controls_top(ui, y);
    const float area_h = back_top - ui.px(40) - y;
    const float w = (ui.size.x - 2 * margin - (cols - 1) * gap) / cols;
    const float h = std::min(ui.px(170), (area_h - (rows - 1) * gap) / rows);
    const float r = ui.px(18);
    for (int i = 0; i < n; ++i) {
        const auto& [code, own_name] = view_.languages[std::size_t(i)];
        const bool current = code == view_.lang;
        const ImVec2 min{margin + (i % cols) * (w + gap), y + (i / cols) * (h + gap)};
        const ImVec2 max{min.x + w, min.y + h};
        const Touch t = touch_target(ui, "lang:" + code, min, {w, h}, own_name, code);  // each name in its own voice
        if (t.tapped) intents_.choose_language(code);
        const ImU32 ink = current ? palette::kOnAccent : palette::kInk;
        if (current) {
            dl->AddRectFilled({min.x, min.y + ui.px(4)}, {max.x, max.y + ui.px(4)}, palette::kShadow, r);
            dl->AddRectFilled(min, max, palette::kAccent, r);
        } else {
            dl->AddRectFilled(min, max, palette::kCard, r);
            dl->AddRect(min, max, palette::kAccent, r, 0, ui.px(4));
        }
        if (t.held) dl->AddRect({min.x + ui.px(8), min.y + ui.px(8)}, {max.x - ui.px(8), max.y - ui.px(8)},
                                current ? palette::kOnAccent : palette::kAccent, r * 0.7f, 0, ui.px(6));
        // The name in its own script, as large as the button allows (heading, else bold).
        const float pad = ui.px(32);
        std::string text = current && !ui.icons.check.empty() ? ui.icons.check + "  " + own_name : own_name;
        ImFont* font = text_size(ui.fonts.heading, text).x <= w - 2 * pad ? ui.fonts.heading : ui.fonts.bold;
        const ImVec2 ts = text_size(font, text);
        dl->PushClipRect(min, max, true);
        draw_text(dl, font, {min.x + std::max(pad, (w - ts.x) / 2), min.y + (h - ts.y) / 2}, ink, text);
        dl->PopClipRect();
    }
}

}  // namespace csc::gui
