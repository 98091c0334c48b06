// The entrance kiosk's second step for a sector with several services: which one.
#include <algorithm>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void EntranceServices::draw_content(FrameContext& ui) {
    const TimedFrame timed(*this, ui);
    if (view_.selected_sector < 0 || view_.selected_sector >= int(view_.sectors.size())) return;
    const SectorView& s = view_.sectors[std::size_t(view_.selected_sector)];
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = header(ui);
    const float margin = ui.px(ui.portrait() ? 48 : 64);

    // The sector band: same colour, icon and name as its button on the home screen.
    const float band_h = ui.px(190);
    const ImU32 bg = rgb(s.colour), ink = rgb(s.text);
    dl->AddRectFilled({0, top}, {ui.size.x, top + band_h}, bg);
    float x = margin;
    if (!s.icon.empty()) {
        const ImVec2 is = text_size(ui.fonts.icon, s.icon);
        draw_text(dl, ui.fonts.icon, {x, top + (band_h - is.y) / 2}, ink, s.icon);
        x += is.x + ui.px(40);
    }
    const ImVec2 ns = text_size(ui.fonts.title, s.name);
    draw_text(dl, ui.fonts.title, {x, top + (band_h - ns.y) / 2}, ink, s.name);

    float y = top + band_h + ui.px(56);
    y += draw_text(dl, ui.fonts.title, {margin, y}, palette::kInk, ui.t("service.title")).y + ui.px(8);
    say_title(ui, s.name + ". " + ui.t("service.title"));
    y += draw_text(dl, ui.fonts.body, {margin, y}, palette::kInkSoft, ui.t("service.subtitle"), ui.size.x - 2 * margin).y;
    y += ui.px(44);

    // Back button at the bottom, services in between.
    float back_top = 0;
    if (back_button(ui, margin, back_top)) intents_.go_home();

    const int n = static_cast<int>(s.services.size());
    if (n == 0) return;
    const int cols = ui.portrait() ? 1 : 2;
    const int rows = (n + cols - 1) / cols;
    const float gap = ui.px(24);
    y = controls_top(ui, y);
    const float area_h = back_top - ui.px(40) - y;
    const float w = (ui.size.x - 2 * margin - (cols - 1) * gap) / cols;
    const float h = std::min(ui.px(170), (area_h - (rows - 1) * gap) / rows);
    const float stripe = ui.px(18), pad = ui.px(40), r = ui.px(18);
    for (int i = 0; i < n; ++i) {
        const ServiceView& service = s.services[std::size_t(i)];
        const ImVec2 min{margin + (i % cols) * (w + gap), y + (i / cols) * (h + gap)};
        const ImVec2 max{min.x + w, min.y + h};
        const Touch t = touch_target(ui, "service:" + service.id, min, {w, h}, service.name);
        if (t.tapped) intents_.choose_service(s.id, service.id);
        dl->AddRectFilled({min.x, min.y + ui.px(5)}, {max.x, max.y + ui.px(5)}, palette::kShadow, r);
        dl->AddRectFilled(min, max, palette::kCard, r);
        dl->AddRectFilled(min, {min.x + stripe + r, max.y}, bg, r, ImDrawFlags_RoundCornersLeft);
        dl->AddRectFilled({min.x + stripe, min.y}, {min.x + stripe + r, max.y}, palette::kCard);
        dl->AddRect(min, max, t.held ? bg : palette::kBorder, r, 0, ui.px(t.held ? 6 : 2));

        const float chevron_w = ui.px(60);
        const float tx = min.x + stripe + pad, tw = max.x - pad - chevron_w - tx;
        ImFont* font = text_size(ui.fonts.heading, service.name, tw).y > ui.fonts.heading->FontSize * 1.5f ? ui.fonts.bold
                                                                                                        : ui.fonts.heading;
        const ImVec2 ts = text_size(font, service.name, tw);
        dl->PushClipRect(min, max, true);
        draw_text(dl, font, {tx, min.y + (h - ts.y) / 2}, palette::kInk, service.name, tw);
        if (!ui.icons.chevron_right.empty()) {
            const ImVec2 cs = text_size(ui.fonts.heading, ui.icons.chevron_right);
            draw_text(dl, ui.fonts.heading, {max.x - pad - cs.x, min.y + (h - cs.y) / 2}, palette::kAccent,
                      ui.icons.chevron_right);
        }
        dl->PopClipRect();
    }
}

}  // namespace csc::gui
