// Booking, first step: which service. One card per bookable service, in its sector's colours.
#include <algorithm>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void EntranceBookService::draw_content(FrameContext& ui) {
    const BookingView& b = view_.booking;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    auto [y, bottom] = step_frame(ui, ui.t("booking.service.title"), ui.t("booking.service.subtitle"));
    const float margin = ui.px(ui.portrait() ? 48 : 64);
    y += notice_panel(ui, y, b.notice.empty() ? "" : ui.t(b.notice, b.notice_args), true);
    if (!b.notice.empty()) y += ui.px(24);

    const int n = static_cast<int>(b.services.size());
    if (n > 0) {
        const int cols = ui.portrait() ? 1 : 2;
        const int rows = (n + cols - 1) / cols;
        const float gap = ui.px(24);
        const float w = (ui.size.x - 2 * margin - (cols - 1) * gap) / cols;
        const float h = std::min(ui.px(190), (bottom - y - (rows - 1) * gap) / rows);
        const float stripe = ui.px(18), pad = ui.px(40), r = ui.px(18);
        for (int i = 0; i < n; ++i) {
            const BookServiceView& s = b.services[std::size_t(i)];
            const ImVec2 min{margin + (i % cols) * (w + gap), y + (i / cols) * (h + gap)};
            const ImVec2 max{min.x + w, min.y + h};
            const Touch t = touch_target(ui, "book:" + s.id, min, {w, h}, s.name);
            if (t.tapped) intents_.choose_booking_service(s.id);
            const ImU32 bg = rgb(s.colour);
            dl->AddRectFilled({min.x, min.y + ui.px(5)}, {max.x, max.y + ui.px(5)}, palette::kShadow, r);
            dl->AddRectFilled(min, max, palette::kCard, r);
            dl->AddRectFilled(min, {min.x + stripe + r, max.y}, bg, r, ImDrawFlags_RoundCornersLeft);
            dl->AddRectFilled({min.x + stripe, min.y}, {min.x + stripe + r, max.y}, palette::kCard);
            dl->AddRect(min, max, t.held ? bg : palette::kBorder, r, 0, ui.px(t.held ? 6 : 2));
            const float chevron_w = ui.px(60);
            const float tx = min.x + stripe + pad, tw = max.x - pad - chevron_w - tx;
            const ImVec2 ns = text_size(ui.fonts.heading, s.name, tw);
            const float sub_h = s.sector_name.empty() ? 0 : ui.fonts.body->FontSize + ui.px(8);
            dl->PushClipRect(min, max, true);
            float ty = min.y + (h - ns.y - sub_h) / 2;
            draw_text(dl, ui.fonts.heading, {tx, ty}, palette::kInk, s.name, tw);
            if (!s.sector_name.empty()) {
                std::string sector = s.icon.empty() ? s.sector_name : s.icon + "  " + s.sector_name;
                draw_text(dl, ui.fonts.body, {tx, ty + ns.y + ui.px(8)}, palette::kInkSoft, sector, tw);
            }
            if (!ui.icons.chevron_right.empty()) {
                const ImVec2 cs = text_size(ui.fonts.heading, ui.icons.chevron_right);
                draw_text(dl, ui.fonts.heading, {max.x - pad - cs.x, min.y + (h - cs.y) / 2}, palette::kAccent,
                          ui.icons.chevron_right);
            }
            dl->PopClipRect();
        }
    }
    idle_overlay(ui);
}

}  // namespace csc::gui
