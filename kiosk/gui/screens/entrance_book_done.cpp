// Booking, last step: booked. The code very large (what check-in asks for), its QR, when to
// come, and the receipt printing; if the printer is down the code on screen is what counts.
#include <algorithm>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void EntranceBookDone::draw_content(FrameContext& ui) {
    const BookingView& b = view_.booking;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool portrait = ui.portrait();
    const float margin = ui.px(portrait ? 48 : 64);
    const float top = header(ui);
    const float w = ui.size.x - 2 * margin;

    // Bottom: Done and the countdown.
    const float done_top = done_button(ui, margin, w);
    if (b.phase != BookPhase::Working)
        draw_text_centred(dl, ui.fonts.small, ui.size.x / 2, done_top - ui.px(56), palette::kInkSoft,
                          ui.t("confirm.returning", {{"seconds", std::to_string(std::max(0, b.idle_seconds_left))}}));

    float y = top + ui.px(portrait ? 48 : 32);
    say_title(ui, ui.t(b.moving ? "manage.moved.title" : "booking.done.title"));
    say_live(ui, "receipt", b.spoken);  // speech mode: the whole receipt
    y += draw_text(dl, ui.fonts.title, {margin, y}, palette::kOkInk,
                   (ui.icons.check.empty() ? "" : ui.icons.check + "  ") + ui.t(b.moving ? "manage.moved.title" : "booking.done.title"), w)
             .y +
         ui.px(24);

    // The code card: what check-in asks for, as large as the width allows.
    const float card_h = ui.px(portrait ? 300 : 220);
    const ImVec2 cmin{margin, y}, cmax{margin + w, y + card_h};
    dl->AddRectFilled({cmin.x, cmin.y + ui.px(8)}, {cmax.x, cmax.y + ui.px(8)}, palette::kShadow, ui.px(26));
    dl->AddRectFilled(cmin, cmax, palette::kAccent, ui.px(26));
    float cy = cmin.y + ui.px(28);
    cy += draw_text_centred(dl, ui.fonts.bold, ui.size.x / 2, cy, palette::kOnAccent, ui.t("booking.receipt.code")).y;
    if (b.phase == BookPhase::Working) {
        draw_text_centred(dl, ui.fonts.heading, ui.size.x / 2, cy + ui.px(60), palette::kOnAccent, ui.t("confirm.issuing"));
    } else {
        // The title font scaled up (the huge font holds only the ticket numbers' characters).
        const float size = std::min(ui.fonts.title->FontSize * 2.4f, (w - ui.px(80)) / 6.5f);
        const ImVec2 cs = sized_text_size(ui.fonts.title, size, b.code);
        draw_sized(dl, ui.fonts.title, size, {ui.size.x / 2 - cs.x / 2, cy + (cmax.y - cy - cs.y) / 2}, palette::kOnAccent, b.code);
    }
    y += card_h + ui.px(40);

    // When and what, with the code's QR (as on the receipt) beside it.
    const float qr_side = b.qr && b.phase != BookPhase::Working ? ui.px(portrait ? 300 : 220) : 0;
    const float dw = w - (qr_side > 0 ? qr_side + ui.px(32) : 0);
    if (qr_side > 0) draw_qr(dl, {margin + w - qr_side, y}, qr_side, b.qr->modules, b.qr->dark);
    const float details_top = y;
    if (b.service >= 0 && b.service < int(b.services.size()))
        y += draw_text(dl, ui.fonts.heading, {margin, y}, palette::kInk, b.services[std::size_t(b.service)].name, dw).y +
             ui.px(12);
    if (b.chosen) y += draw_text(dl, ui.fonts.heading, {margin, y}, palette::kInk, slot_text(ui, *b.chosen), dw).y + ui.px(12);
    if (!b.masked_name.empty())
        y += draw_text(dl, ui.fonts.body, {margin, y}, palette::kInkSoft,
                       ui.t("booking.receipt.for", {{"name", b.masked_name}}), dw)
                 .y +
             ui.px(12);
    if (!b.checkin_from.empty())
        y += draw_text(dl, ui.fonts.body, {margin, y}, palette::kInk, ui.t("booking.done.check_in", {{"time", b.checkin_from}}), dw)
                 .y +
             ui.px(12);
    y = std::max(y, details_top + qr_side) + ui.px(32);

    // The printer's state.
    std::string text;
    bool warn = false;
    switch (b.phase) {
        case BookPhase::Working: text = ui.t("confirm.issuing"); break;
        case BookPhase::Printing: text = ui.t("booking.done.printing"); break;
        case BookPhase::Printed: text = ui.t("booking.done.printed"); break;
        case BookPhase::PrinterDown: text = ui.t("booking.done.printer_down"); warn = true; break;
    }
    if (y + ui.px(120) < done_top - ui.px(70)) notice_panel(ui, y, text, warn);
}

}  // namespace csc::gui
