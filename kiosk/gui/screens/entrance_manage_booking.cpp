// A booking found by its code outside its check-in window: the booking (service, day, time, the
// name masked) and three large choices, cancel, change day or time, Back; cancelling asks once
// more, with "keep it" as the way out. The work is the controller's; this only draws and taps.
#include <algorithm>
#include <cmath>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void EntranceManageBooking::draw_content(FrameContext& ui) {
    const ManageView& m = view_.manage;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float margin = ui.px(ui.portrait() ? 48 : 64);
    const float w = ui.size.x - 2 * margin;
    // Portrait: the booking, the choices under it. Landscape has no room below: choices beside it.
    const float gap = ui.px(28);
    const float card_w = ui.portrait() ? w : std::floor(w * 0.56f);

    std::string title, subtitle;
    switch (m.phase) {
        case ManagePhase::Choose:
            title = ui.t("manage.title");
            subtitle = m.checkin_from.empty() ? ui.t("manage.subtitle") : ui.t("manage.subtitle.today", {{"time", m.checkin_from}});
            break;
        case ManagePhase::ConfirmCancel:
        case ManagePhase::Working: title = ui.t("manage.cancel.title"); subtitle = ui.t("manage.cancel.subtitle"); break;
        case ManagePhase::Cancelled: title = ui.t("manage.cancelled.title"); subtitle = ui.t("manage.cancelled.subtitle"); break;
    }
    auto [y, bottom] = step_frame(ui, title, subtitle);
    if (!m.notice.empty()) y += notice_panel(ui, y, ui.t(m.notice), true) + ui.px(24);

    // The booking, as on its receipt (the name masked).
    std::vector<std::pair<std::string, std::string>> rows;
    rows.push_back({ui.t("booking.review.service"), m.service_name});
    rows.push_back({ui.t("booking.review.when"), slot_text(ui, m.slot)});
    rows.push_back({ui.t("booking.review.name"), m.masked_name});
    rows.push_back({ui.t("manage.code"), m.code});
    std::string summary;  // speech mode: the booking without its code (it lets anyone cancel it)
    for (const auto& [label, value] : rows)
        if (value != m.code) summary += label + ": " + value + ". ";
    say_live(ui, "summary", summary);
    const float label_w = ui.px(240);
    // The values large, unless the card would then run into Back (landscape): a size smaller.
    auto card_height = [&](ImFont* font) {
        float h = ui.px(40);
        for (const auto& [label, value] : rows) h += text_size(font, value, card_w - label_w - ui.px(80)).y + ui.px(28);
        return h;
    };
    ImFont* value_font = ui.fonts.heading;
    float h = card_height(value_font);
    if (y + h > bottom) value_font = ui.fonts.bold, h = card_height(value_font);
    const bool cancelled = m.phase == ManagePhase::Cancelled;
    dl->AddRectFilled({margin, y + ui.px(6)}, {margin + card_w, y + h + ui.px(6)}, palette::kShadow, ui.px(22));
    dl->AddRectFilled({margin, y}, {margin + card_w, y + h}, cancelled ? palette::kInfoBg : palette::kCard, ui.px(22));
    float ry = y + ui.px(28);
    for (const auto& [label, value] : rows) {
        draw_text(dl, ui.fonts.body, {margin + ui.px(40), ry + ui.px(8)}, palette::kInkSoft, label);
        ry += draw_text(dl, value_font, {margin + ui.px(40) + label_w, ry}, palette::kInk, value, card_w - label_w - ui.px(80)).y +
              ui.px(28);
    }
    // The choices, large, one under the other (Back is the step frame's, at the bottom).
    const float bh = ui.px(150);
    float x = 0, bw = 0;
    if (ui.portrait()) {
        y += h + ui.px(40);
        bw = std::min(w, ui.px(820));
        x = margin + (w - bw) / 2;
    } else {
        x = margin + card_w + gap;
        bw = w - card_w - gap;
    }
    switch (m.phase) {
        case ManagePhase::Choose:
            if (big_button(ui, "manage:move", {x, std::min(y, bottom - 2 * bh - gap)}, {bw, bh}, ui.icons.clock,
                           ui.t("manage.move"), true))
                intents_.manage_move();
            if (big_button(ui, "manage:cancel", {x, std::min(y + bh + gap, bottom - bh)}, {bw, bh}, ui.icons.error,
                           ui.t("manage.cancel"), false))
                intents_.manage_cancel();
            break;
        case ManagePhase::ConfirmCancel:
        case ManagePhase::Working: {
            const bool busy = m.phase == ManagePhase::Working;
            if (big_button(ui, "manage:cancel_confirm", {x, std::min(y, bottom - bh)}, {bw, bh}, ui.icons.error,
                           busy ? ui.t("manage.cancel.working") : ui.t("manage.cancel.yes"), true) &&
                !busy)
                intents_.manage_cancel_confirmed();
            break;
        }
        case ManagePhase::Cancelled:
            draw_text_centred(dl, ui.fonts.small, x + bw / 2, std::min(y, bottom - ui.px(40)), palette::kInkSoft,
                              ui.t("confirm.returning", {{"seconds", std::to_string(std::max(0, view_.check_in.seconds_left))}}));
            break;
    }
    idle_overlay(ui);
}

}  // namespace csc::gui
