// The entrance's attract loop: while nobody uses the kiosk, the communication zone's items play
// a page at a time; the whole screen is one target, and a touch anywhere brings the home screen
// back at once (it does nothing else: no sector is chosen by the touch that wakes the kiosk).
#include <algorithm>
#include <cmath>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void EntranceAttract::draw_content(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = header(ui);
    const float margin = ui.px(ui.portrait() ? 48 : 64);
    // The prompt band at the bottom, in the header's colours: the one thing to do here.
    const float band_h = ui.px(ui.portrait() ? 200 : 150);
    const float band_top = ui.size.y - band_h;
    dl->AddRectFilled({0, band_top}, ui.size, palette::kHeader);
    dl->AddRectFilled({0, band_top}, {ui.size.x, band_top + ui.px(8)}, palette::kHeaderRule);
    const std::string prompt = ui.t("attract.touch");
    const float pw = ui.size.x - 2 * margin;
    ImFont* pf = text_size(ui.fonts.title, prompt).x <= pw ? ui.fonts.title : ui.fonts.heading;
    const float ph = text_size(pf, prompt, pw).y;  // one line or two, centred in the band
    draw_paragraph_centred(dl, pf, margin, pw, band_top + ui.px(4) + (band_h - ph) / 2, IM_COL32_WHITE, prompt);

    const float dots_h = view_.attract_pages > 1 ? ui.px(56) : 0;
    const ImVec2 min{margin, top + ui.px(40)}, max{ui.size.x - margin, band_top - ui.px(32) - dots_h};
    if (view_.attract_item) draw_content_card(ui, *view_.attract_item, min, max);
    if (view_.attract_pages > 1) {
        const int n = std::min(view_.attract_pages, 12);
        const float dot = ui.px(10), gap = ui.px(32), cy = max.y + ui.px(30);
        const float x0 = ui.size.x / 2 - (n - 1) * gap / 2;
        for (int i = 0; i < n; ++i) {
            if (i == view_.attract_page % 12) dl->AddCircleFilled({x0 + i * gap, cy}, dot, palette::kAccent);
            else dl->AddCircle({x0 + i * gap, cy}, dot, palette::kInkSoft, 0, ui.px(3));
        }
    }
    // Last: the whole window is the target, above everything drawn.
    if (touch_target(ui, "attract", {0, 0}, ui.size).tapped) intents_.leave_attract();
}

}  // namespace csc::gui
