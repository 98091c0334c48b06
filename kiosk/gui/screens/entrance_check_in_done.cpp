// The check-in's outcome: the appointment ticket (its number large, in its sector's colours,
// printed like any ticket), or "come back at 09:30", or "please go to the Info Point" and why.
#include <algorithm>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void EntranceCheckInDone::draw_content(FrameContext& ui) {
    const CheckInView& c = view_.check_in;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool portrait = ui.portrait();
    const float margin = ui.px(portrait ? 48 : 64);
    const float top = header(ui);
    const float w = ui.size.x - 2 * margin;

    const float done_top = done_button(ui, margin, w);
    const float bar_y = done_top - ui.px(40);
    dl->AddRectFilled({margin, bar_y}, {margin + w, bar_y + ui.px(10)}, palette::kBorder, ui.px(5));
    dl->AddRectFilled({margin, bar_y}, {margin + w * std::clamp(c.time_fraction, 0.f, 1.f), bar_y + ui.px(10)},
                      palette::kAccent, ui.px(5));
    draw_text_centred(dl, ui.fonts.small, ui.size.x / 2, bar_y - ui.px(52), palette::kInkSoft,
                      ui.t("confirm.returning", {{"seconds", std::to_string(std::max(0, c.seconds_left))}}));

    float y = top + ui.px(portrait ? 64 : 40);
    const bool ticket = c.phase == CheckInPhase::Printing || c.phase == CheckInPhase::Printed ||
                        c.phase == CheckInPhase::PrinterDown;
    if (!ticket) {
        // Not checked in: one message panel, large.
        const bool early = c.phase == CheckInPhase::TooEarly;
        const ImU32 bg = early ? palette::kInfoBg : palette::kWarnBg, ink = early ? palette::kInk : palette::kWarnInk;
        const float h = std::min(done_top - ui.px(140) - y, ui.px(720));
        dl->AddRectFilled({margin, y}, {margin + w, y + h}, bg, ui.px(24));
        if (!early) dl->AddRect({margin, y}, {margin + w, y + h}, palette::kWarnEdge, ui.px(24), 0, ui.px(4));
        float ty = y + ui.px(56);
        const std::string& icon = early ? ui.icons.clock : ui.icons.warning;
        if (!icon.empty()) ty += draw_text_centred(dl, ui.fonts.icon, ui.size.x / 2, ty, ink, icon).y + ui.px(36);
        const std::string title = early ? ui.t("checkin.early", {{"time", c.time}}) : ui.t("checkin.info_point");
        ty += draw_paragraph_centred(dl, ui.fonts.title, margin + ui.px(40), w - ui.px(80), ty, ink, title) + ui.px(30);
        say_title(ui, title);
        say_live(ui, "why", early ? ui.t("checkin.early.hint") : c.reason.empty() ? std::string() : ui.t(c.reason, c.reason_args));
        if (!early && !c.reason.empty())
            draw_paragraph_centred(dl, ui.fonts.heading, margin + ui.px(40), w - ui.px(80), ty, ink, ui.t(c.reason, c.reason_args));
        else if (early)
            draw_paragraph_centred(dl, ui.fonts.body, margin + ui.px(40), w - ui.px(80), ty, palette::kInkSoft,
                                   ui.t("checkin.early.hint"));
        return;
    }

    // The appointment ticket, in its sector's colours.
    const SectorView* s = c.sector >= 0 && c.sector < int(view_.sectors.size()) ? &view_.sectors[std::size_t(c.sector)] : nullptr;
    const ImU32 bg = s ? rgb(s->colour) : palette::kAccent, ink = s ? rgb(s->text) : palette::kOnAccent;
    const float card_h = ui.px(portrait ? 520 : 420);
    const ImVec2 cmin{margin, y}, cmax{margin + w, y + card_h};
    dl->AddRectFilled({cmin.x, cmin.y + ui.px(8)}, {cmax.x, cmax.y + ui.px(8)}, palette::kShadow, ui.px(26));
    dl->AddRectFilled(cmin, cmax, bg, ui.px(26));
    float cy = cmin.y + ui.px(40);
    cy += draw_text_centred(dl, ui.fonts.heading, ui.size.x / 2, cy, ink, ui.t("confirm.your_number")).y;
    say_title(ui, ui.t("confirm.your_number"));
    say_live(ui, "ticket", c.spoken);  // speech mode: the whole ticket
    const ImVec2 ls = text_size(ui.fonts.huge, c.label);
    const float sector_top = cmax.y - ui.px(40) - ui.fonts.heading->FontSize;
    draw_text(dl, ui.fonts.huge, {ui.size.x / 2 - ls.x / 2, cy + (sector_top - cy - ls.y) / 2}, ink, c.label);
    if (s) draw_text_centred(dl, ui.fonts.heading, ui.size.x / 2, sector_top, ink, s->icon.empty() ? s->name : s->icon + "  " + s->name);
    y += card_h + ui.px(40);
    if (!c.service_name.empty()) y += draw_text(dl, ui.fonts.heading, {margin, y}, palette::kInk, c.service_name, w).y + ui.px(12);
    y += draw_text(dl, ui.fonts.body, {margin, y}, palette::kInk,
                   ui.t("checkin.done.appointment", {{"time", c.appointment_time}, {"name", c.masked_name}}), w)
             .y +
         ui.px(28);
    std::string text;
    bool warn = false;
    switch (c.phase) {
        case CheckInPhase::Printing: text = ui.t("confirm.printing"); break;
        case CheckInPhase::Printed: text = ui.t("confirm.printed"); break;
        default: text = ui.t("confirm.printer_down"); warn = true; break;
    }
    if (y + ui.px(120) < bar_y - ui.px(60)) notice_panel(ui, y, text, warn);
}

}  // namespace csc::gui
