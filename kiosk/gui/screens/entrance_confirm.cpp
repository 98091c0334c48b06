// The entrance kiosk's last step: the number, very large, while the ticket prints. If the
// printer is down the ticket is still valid: the screen says so and shows its QR code.
#include <algorithm>
#include <cmath>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void EntranceConfirm::draw_content(FrameContext& ui) {
    const ConfirmView& c = view_.confirm;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = header(ui);
    const bool portrait = ui.portrait();
    const float margin = ui.px(portrait ? 48 : 64);
    const SectorView* s = c.sector >= 0 && c.sector < int(view_.sectors.size()) ? &view_.sectors[std::size_t(c.sector)]
                                                                                : nullptr;

    // Landscape: the number card on the left, everything else in a right-hand column.
    const float card_w = portrait ? ui.size.x - 2 * margin : ui.px(900);
    const float col_x = portrait ? margin : margin + card_w + ui.px(56);
    const float col_w = portrait ? ui.size.x - 2 * margin : ui.size.x - margin - col_x;

    // Bottom: Done and the countdown (time shown as text and as a bar).
    const float done_h = ui.px(130);
    const float bottom_pad = ui.px(portrait ? 56 : 48);
    const float done_w = std::min(col_w, ui.px(560));
    const float done_top = ui.size.y - bottom_pad - done_h;
    if (big_button(ui, "done", {col_x + (col_w - done_w) / 2, done_top}, {done_w, done_h}, "", ui.t("confirm.done"), true))
        intents_.go_home();
    if (c.phase != ConfirmPhase::Issuing) {
        const float bar_y = done_top - ui.px(40);
        dl->AddRectFilled({col_x, bar_y}, {col_x + col_w, bar_y + ui.px(10)}, palette::kBorder, ui.px(5));
        dl->AddRectFilled({col_x, bar_y}, {col_x + col_w * std::clamp(c.time_fraction, 0.f, 1.f), bar_y + ui.px(10)},
                          palette::kAccent, ui.px(5));
        draw_text_centred(dl, ui.fonts.small, col_x + col_w / 2, bar_y - ui.px(52), palette::kInkSoft,
                          ui.t("confirm.returning", {{"seconds", std::to_string(std::max(0, c.seconds_left))}}));
    }
    const float content_bottom = done_top - ui.px(110);
    // Speech mode: the number, then the whole ticket as printed, then what the printer did.
    say_title(ui, ui.t("confirm.your_number"));
    say_live(ui, "ticket", c.spoken);

    if (c.phase == ConfirmPhase::NotIssued || !s) {
        const ImVec2 min{margin, top + ui.px(160)};
        const ImVec2 max{ui.size.x - margin, min.y + ui.px(420)};
        dl->AddRectFilled(min, max, palette::kErrorBg, ui.px(22));
        float y = min.y + ui.px(50);
        if (!ui.icons.error.empty())
            y += draw_text_centred(dl, ui.fonts.icon, ui.size.x / 2, y, palette::kErrorInk, ui.icons.error).y + ui.px(30);
        draw_paragraph_centred(dl, ui.fonts.heading, min.x + ui.px(40), max.x - min.x - ui.px(80), y, palette::kErrorInk,
                               ui.t("error.not_issued"));
        say_live(ui, "state", ui.t("error.not_issued"));
        return;
    }

    // The number card, in the sector's colours.
    const ImU32 bg = rgb(s->colour), ink = rgb(s->text);
    const float card_h = portrait ? ui.px(560) : ui.size.y - top - ui.px(48) - bottom_pad;
    const ImVec2 card_min{margin, top + ui.px(portrait ? 56 : 48)};
    const ImVec2 card_max{card_min.x + card_w, card_min.y + card_h};
    dl->AddRectFilled({card_min.x, card_min.y + ui.px(8)}, {card_max.x, card_max.y + ui.px(8)}, palette::kShadow,
                      ui.px(26));
    dl->AddRectFilled(card_min, card_max, bg, ui.px(26));
    const float cx = (card_min.x + card_max.x) / 2;
    float y = card_min.y + ui.px(40);
    y += draw_text_centred(dl, ui.fonts.heading, cx, y, ink, ui.t("confirm.your_number")).y;
    const std::string label = c.phase == ConfirmPhase::Issuing ? "" : c.label;  // the huge font has no "…"
    const ImVec2 ls = text_size(ui.fonts.huge, label);
    const float sector_top = card_max.y - ui.px(40) - ui.fonts.heading->FontSize;
    draw_text(dl, ui.fonts.huge, {cx - ls.x / 2, y + (sector_top - y - ls.y) / 2}, ink, label);
    std::string sector_line = s->icon.empty() ? s->name : s->icon + "  " + s->name;
    draw_text_centred(dl, ui.fonts.heading, cx, sector_top, ink, sector_line);

    // Details and the printer's state: below the card (portrait) or beside it (landscape).
    const float dx = col_x, dw = col_w;
    y = portrait ? card_max.y + ui.px(48) : card_min.y + ui.px(10);
    if (!c.service_name.empty()) y += draw_text(dl, ui.fonts.heading, {dx, y}, palette::kInk, c.service_name, dw).y + ui.px(20);
    if (c.phase != ConfirmPhase::Issuing) {
        std::string ahead = c.people_ahead == 0 ? ui.t("confirm.people_ahead.none")
                                                : ui.t("confirm.people_ahead", {{"count", std::to_string(c.people_ahead)}});
        if (!ui.icons.users.empty()) ahead = ui.icons.users + "  " + ahead;
        y += draw_text(dl, ui.fonts.body, {dx, y}, palette::kInk, ahead, dw).y + ui.px(12);
        if (c.forecast) {
            std::string f = ui.t("confirm.forecast", {{"text", forecast_text(ui, *c.forecast)}});
            if (!ui.icons.hourglass.empty()) f = ui.icons.hourglass + "  " + f;
            y += draw_text(dl, ui.fonts.body, {dx, y}, palette::kInk, f, dw).y + ui.px(12);
            if (c.forecast->after_closing)
                y += draw_text(dl, ui.fonts.body, {dx, y}, palette::kWarnInk, ui.t("forecast.after_closing"), dw).y +
                     ui.px(12);
        }
    }
    y += ui.px(28);

    // Printer state panel.
    ImU32 panel = palette::kInfoBg, panel_ink = palette::kInk;
    std::string icon, text;
    switch (c.phase) {
        case ConfirmPhase::Issuing: icon = ui.icons.hourglass; text = ui.t("confirm.issuing"); break;
        case ConfirmPhase::Printing: icon = ui.icons.print; text = ui.t("confirm.printing"); break;
        case ConfirmPhase::Printed:
            panel = palette::kOkBg, panel_ink = palette::kOkInk;
            icon = ui.icons.arrow_down;
            text = ui.t("confirm.printed");
            break;
        case ConfirmPhase::PrinterDown:
            panel = palette::kWarnBg, panel_ink = palette::kWarnInk;
            icon = ui.icons.warning;
            text = ui.t("confirm.printer_down");
            break;
        case ConfirmPhase::NotIssued: break;
    }
    say_live(ui, "state", c.phase == ConfirmPhase::Issuing ? "" : text);
    const bool with_qr = c.phase == ConfirmPhase::PrinterDown && c.qr;
    const float qr_side = with_qr ? std::min(ui.px(portrait ? 360 : 280), content_bottom - y - ui.px(48)) : 0;
    ImFont* message_font = with_qr && !portrait ? ui.fonts.bold : ui.fonts.heading;
    const float icon_w = ui.px(84);
    const float text_x = dx + ui.px(32) + icon_w;
    const float text_w = dw - ui.px(64) - icon_w - (with_qr ? qr_side + ui.px(32) : 0);
    const ImVec2 ts = text_size(message_font, text, text_w);
    std::string hint = with_qr ? ui.t("confirm.qr_hint") : "";
    const ImVec2 hs = hint.empty() ? ImVec2{0, 0} : text_size(ui.fonts.body, hint, text_w);
    const float panel_h = std::max({ts.y + (hint.empty() ? 0 : hs.y + ui.px(20)) + ui.px(64), qr_side + ui.px(48), ui.px(150)});
    const ImVec2 pmin{dx, y}, pmax{dx + dw, y + panel_h};
    dl->AddRectFilled(pmin, pmax, panel, ui.px(20));
    if (c.phase == ConfirmPhase::PrinterDown) dl->AddRect(pmin, pmax, palette::kWarnEdge, ui.px(20), 0, ui.px(4));
    const float block_h = ts.y + (hint.empty() ? 0 : hs.y + ui.px(20));
    float ty = y + (panel_h - block_h) / 2;
    if (!icon.empty()) {
        const ImVec2 is = text_size(ui.fonts.title, icon);
        draw_text(dl, ui.fonts.title, {dx + ui.px(32) + (icon_w - is.x) / 2, ty + (ts.y - is.y) / 2}, panel_ink, icon);
    }
    draw_text(dl, message_font, {text_x, ty}, panel_ink, text, text_w);
    if (!hint.empty()) draw_text(dl, ui.fonts.body, {text_x, ty + ts.y + ui.px(20)}, panel_ink, hint, text_w);
    if (with_qr) draw_qr(dl, {pmax.x - ui.px(24) - qr_side, y + (panel_h - qr_side) / 2}, qr_side, c.qr->modules, c.qr->dark);
}

}  // namespace csc::gui
