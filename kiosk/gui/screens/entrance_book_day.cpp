// Booking, second step: a calendar of the bookable days. Each day says in words whether it has
// room ("3 posti"), is full, or is closed (the reason listed beside the calendar), so colour is
// never the only sign; only days with room can be tapped.
#include <algorithm>
#include <set>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"
#include "shared/office_time.hpp"

namespace csc::gui {

void EntranceBookDay::draw_content(FrameContext& ui) {
    const BookingView& b = view_.booking;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool portrait = ui.portrait();
    const float margin = ui.px(portrait ? 48 : 64);
    // Portrait: title, calendar, closures, one under the other. Landscape: title and closures on
    // the left, the calendar on the right at full height.
    const float left_w = portrait ? ui.size.x - 2 * margin : ui.size.x * 0.34f;
    auto [y, bottom] = step_frame(ui, ui.t("booking.day.title"), ui.t("booking.day.subtitle"), left_w);
    const float grid_x = portrait ? margin : margin + left_w + ui.px(56);
    const float grid_w = ui.size.x - margin - grid_x;
    float gy = controls_top(ui, portrait ? y : step_top(ui));
    const float grid_bottom = portrait ? bottom - ui.px(170) : ui.size.y - ui.px(40);

    const int weeks_total = static_cast<int>(b.days.size() / 7);
    if (weeks_total == 0) {
        idle_overlay(ui);
        return;
    }
    // How many weeks fit, at least 2 and cells no taller than 150 design px.
    const float nav_h = ui.px(100), head_h = ui.px(56);
    const float cell_h_max = ui.px(150), cell_h_min = ui.px(96);
    const int fit = std::max(2, static_cast<int>((grid_bottom - gy - nav_h - head_h) / cell_h_min));
    const int per_page = std::min({weeks_total, fit, 5});
    const int pages = (weeks_total + per_page - 1) / per_page;
    const int page = std::clamp(b.calendar_page, 0, pages - 1);
    const int first_week = page * per_page;
    const int weeks = std::min(per_page, weeks_total - first_week);
    const float cell_w = grid_w / 7;
    const float cell_h = std::min(cell_h_max, (grid_bottom - gy - nav_h - head_h) / per_page);

    // Month title between the page arrows.
    const CalendarDayView& first = b.days[std::size_t(first_week * 7)];
    const CalendarDayView& last = b.days[std::size_t((first_week + weeks) * 7 - 1)];
    std::string month = ui.t("month." + std::to_string(first.month)) + " " + std::to_string(first.year);
    if (last.month != first.month || last.year != first.year)
        month = ui.t("month." + std::to_string(first.month)) + (last.year != first.year ? " " + std::to_string(first.year) : "") +
                " – " + ui.t("month." + std::to_string(last.month)) + " " + std::to_string(last.year);
    const float arrow_w = ui.px(150), arrow_h = ui.px(88);
    if (page > 0 && big_button(ui, "calendar:earlier", {grid_x, gy}, {arrow_w, arrow_h}, ui.icons.chevron_left, "", false,
                               ui.t("booking.day.earlier")))
        intents_.turn_calendar(-1);
    if (page + 1 < pages &&
        big_button(ui, "calendar:later", {grid_x + grid_w - arrow_w, gy}, {arrow_w, arrow_h}, ui.icons.chevron_right, "", false,
                   ui.t("booking.day.later")))
        intents_.turn_calendar(+1);
    draw_text_centred(dl, ui.fonts.heading, grid_x + grid_w / 2, gy + (arrow_h - ui.fonts.heading->FontSize) / 2,
                      palette::kInk, month);
    gy += nav_h;
    for (int d = 0; d < 7; ++d)
        draw_text_centred(dl, ui.fonts.bold, grid_x + cell_w * (d + 0.5f), gy, d >= 5 ? palette::kInkSoft : palette::kInk,
                          ui.t("weekday.short." + std::to_string(d)));
    gy += head_h;

    std::vector<const CalendarDayView*> closed;
    const float inset = ui.px(5), r = ui.px(12);
    for (int w = 0; w < weeks; ++w)
        for (int d = 0; d < 7; ++d) {
            const CalendarDayView& c = b.days[std::size_t((first_week + w) * 7 + d)];
            const ImVec2 min{grid_x + d * cell_w + inset, gy + w * cell_h + inset};
            const ImVec2 max{grid_x + (d + 1) * cell_w - inset, gy + (w + 1) * cell_h - inset};
            const bool closed_day = c.in_window && !c.closed_reason.empty();
            if (closed_day) closed.push_back(&c);
            ImU32 bg = palette::kPage, ink = palette::kInkSoft;
            std::string line;
            if (c.bookable()) {
                bg = palette::kOkBg, ink = palette::kOkInk;
                line = ui.tc("booking.day.free", c.free);
            } else if (closed_day) {
                bg = palette::kErrorBg, ink = palette::kErrorInk;
                line = ui.t("booking.day.closed");
            } else if (c.in_window && c.has_slots) {
                bg = palette::kCard, ink = palette::kInkSoft;
                line = ui.t("booking.day.full");
            } else if (c.in_window) {
                bg = palette::kCard;
            }
            bool held = false;
            if (c.bookable()) {
                // Speech mode: the date as the catalogue writes it ("giovedì 17 dicembre") and the places.
                const Touch t = touch_target(ui, "day:" + c.id, min, {max.x - min.x, max.y - min.y},
                                             long_date(ui, weekday_of(Date{c.year, c.month, c.day}), c.day, c.month) + ". " +
                                                 ui.tc("booking.day.free", c.free));
                if (t.tapped) intents_.choose_day(c.id);
                held = t.held;
            }
            dl->AddRectFilled(min, max, bg, r);
            if (c.bookable()) dl->AddRect(min, max, held ? palette::kOkInk : palette::kBorder, r, 0, ui.px(held ? 6 : 2));
            const std::string num = std::to_string(c.day);
            const float block = ui.fonts.heading->FontSize + (line.empty() ? 0 : ui.fonts.small->FontSize + ui.px(4));
            const float ty = min.y + (max.y - min.y - block) / 2;
            draw_text_centred(dl, ui.fonts.heading, (min.x + max.x) / 2, ty, ink, num);
            if (!line.empty()) {
                dl->PushClipRect(min, max, true);
                draw_text_centred(dl, ui.fonts.small, (min.x + max.x) / 2, ty + ui.fonts.heading->FontSize + ui.px(4), ink,
                                  line);
                dl->PopClipRect();
            }
        }

    // The closed days of this page and why.
    float cy = portrait ? gy + weeks * cell_h + ui.px(24) : y + ui.px(24);
    const float list_x = portrait ? margin : margin;
    for (const CalendarDayView* c : closed) {
        if (cy + ui.fonts.body->FontSize > bottom) break;
        const std::string text = ui.t("booking.day.closed_because", {{"day", std::to_string(c->day)},
                                                                      {"month", ui.t("month." + std::to_string(c->month))},
                                                                      {"reason", c->closed_reason}});
        cy += draw_text(dl, ui.fonts.body, {list_x, cy}, palette::kErrorInk, text, left_w).y + ui.px(8);
    }
    idle_overlay(ui);
}

}  // namespace csc::gui
