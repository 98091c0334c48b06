// Booking, third step: the free times of the chosen day. Choosing one holds the place while the
// citizen types the name. A place taken meanwhile brings the citizen back here with the next
// free slots offered instead.
#include <algorithm>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void EntranceBookTime::draw_content(FrameContext& ui) {
    const BookingView& b = view_.booking;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float margin = ui.px(ui.portrait() ? 48 : 64);
    std::string subtitle;
    if (!b.times.empty() && b.alternatives.empty()) {
        const SlotView& s = b.times.front();
        subtitle = long_date(ui, s.weekday, s.day, s.month);
    }
    auto [y, bottom] = step_frame(ui, ui.t("booking.time.title"), subtitle);
    if (!b.notice.empty()) y += notice_panel(ui, y, ui.t(b.notice, b.notice_args), true) + ui.px(24);
    if (b.busy) {
        draw_text(dl, ui.fonts.heading, {margin, y}, palette::kInk,
                  (ui.icons.hourglass.empty() ? "" : ui.icons.hourglass + "  ") + ui.t("confirm.issuing"));
        idle_overlay(ui);
        return;
    }

    // The alternatives (with their dates) when a place was taken, else the day's times.
    const bool alternatives = !b.alternatives.empty();
    const std::vector<SlotView>& list = alternatives ? b.alternatives : b.times;
    if (list.empty() && b.notice.empty())
        draw_text(dl, ui.fonts.body, {margin, y}, palette::kInkSoft, ui.t("booking.time.none"), ui.size.x - 2 * margin);
    const int n = static_cast<int>(list.size());
    if (n > 0) {
        const float gap = ui.px(24);
        // Every time must fit: more columns when the rows would get shorter than 90 design px.
        const int max_rows = std::max(1, static_cast<int>((bottom - y + gap) / (ui.px(90) + gap)));
        int cols = alternatives ? (ui.portrait() ? 1 : 2) : (ui.portrait() ? 3 : 5);
        cols = std::max(cols, (n + max_rows - 1) / max_rows);
        const int rows = (n + cols - 1) / cols;
        const float w = (ui.size.x - 2 * margin - (cols - 1) * gap) / cols;
        const float h = std::max(ui.px(90), std::min(ui.px(140), (bottom - y - (rows - 1) * gap) / rows));
        for (int i = 0; i < n; ++i) {
            const SlotView& s = list[std::size_t(i)];
            const ImVec2 min{margin + (i % cols) * (w + gap), y + (i / cols) * (h + gap)};
            if (min.y + h > bottom) break;  // more than fit: the first ones are the earliest
            const ImVec2 max{min.x + w, min.y + h};
            const Touch t = touch_target(ui, "time:" + s.id, min, {w, h},
                                         (alternatives ? slot_text(ui, s) : s.time) + ". " + ui.tc("booking.day.free", s.free));
            if (t.tapped) intents_.choose_time(s.id);
            const float r = ui.px(18);
            dl->AddRectFilled({min.x, min.y + ui.px(5)}, {max.x, max.y + ui.px(5)}, palette::kShadow, r);
            dl->AddRectFilled(min, max, palette::kCard, r);
            dl->AddRect(min, max, t.held ? palette::kAccent : palette::kBorder, r, 0, ui.px(t.held ? 6 : 2));
            const std::string label = alternatives ? slot_text(ui, s) : s.time;
            ImFont* font = alternatives ? ui.fonts.bold : ui.fonts.heading;
            const std::string places = ui.tc("booking.day.free", s.free);
            const float block = font->FontSize + ui.fonts.small->FontSize + ui.px(6);
            const float ty = min.y + (h - block) / 2;
            dl->PushClipRect(min, max, true);
            draw_text_centred(dl, font, (min.x + max.x) / 2, ty, palette::kInk, label);
            draw_text_centred(dl, ui.fonts.small, (min.x + max.x) / 2, ty + font->FontSize + ui.px(6), palette::kOkInk,
                              places);
            dl->PopClipRect();
        }
    }
    idle_overlay(ui);
}

}  // namespace csc::gui
