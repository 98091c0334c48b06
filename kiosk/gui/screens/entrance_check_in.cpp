// "I have an appointment": the booking code typed on a keypad of exactly the code's characters
// (digits 2–9 and capitals without I, L, O, U), or read by a USB scanner (a keyboard that
// types the code and Enter), or typed on a keyboard.
#include <algorithm>
#include <optional>
#include <string_view>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {
// The booking code's alphabet (shared/booking/booking_code.hpp), as keys.
constexpr std::string_view kCodeKeys = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kCodeLength = 7;
}  // namespace

void EntranceCheckIn::draw_content(FrameContext& ui) {
    forward_keys();
    const CheckInView& c = view_.check_in;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool portrait = ui.portrait();
    const float margin = ui.px(portrait ? 48 : 64);
    const float left_w = portrait ? ui.size.x - 2 * margin : ui.size.x * 0.40f;
    auto [y, bottom] = step_frame(ui, ui.t("checkin.title"), ui.t("checkin.subtitle"), left_w);

    // The code so far: seven boxes, grouped 3-3-1 as printed.
    const float box_gap = ui.px(12), group_gap = ui.px(36);
    const float box_w = std::min(ui.px(120), (left_w - 6 * box_gap - 2 * group_gap) / 7), box_h = box_w * 1.25f;
    float x = margin;
    // The code reads left to right in any language: the boxes are one upright block.
    std::optional<Upright> code_upright(std::in_place, dl, margin, margin + 7 * box_w + 4 * box_gap + 2 * group_gap);
    for (std::size_t i = 0; i < kCodeLength; ++i) {
        const ImVec2 min{x, y}, max{x + box_w, y + box_h};
        const bool next = i == c.typed.size();
        dl->AddRectFilled(min, max, palette::kCard, ui.px(12));
        dl->AddRect(min, max, next ? palette::kAccent : palette::kBorder, ui.px(12), 0, ui.px(next ? 6 : 2));
        if (i < c.typed.size()) {
            const std::string ch(1, c.typed[i]);
            const ImVec2 s = text_size(ui.fonts.title, ch);
            draw_text(dl, ui.fonts.title, {min.x + (box_w - s.x) / 2, min.y + (box_h - s.y) / 2}, palette::kInk, ch);
        }
        x += box_w + (i == 2 || i == 5 ? group_gap : box_gap);
    }
    code_upright.reset();
    y += box_h + ui.px(28);
    if (c.phase == CheckInPhase::Checking) {
        y += draw_text(dl, ui.fonts.heading, {margin, y}, palette::kInk,
                       (ui.icons.hourglass.empty() ? "" : ui.icons.hourglass + "  ") + ui.t("confirm.issuing"), left_w)
                 .y +
             ui.px(20);
    } else if (!c.reason.empty()) {
        std::string text = ui.icons.warning.empty() ? "" : ui.icons.warning + "  ";
        text += ui.t(c.reason, c.reason_args);
        y += draw_text(dl, ui.fonts.bold, {margin, y}, palette::kErrorInk, text, left_w).y + ui.px(20);
    } else if (!ui.icons.qrcode.empty()) {
        y += draw_text(dl, ui.fonts.body, {margin, y}, palette::kInkSoft, ui.icons.qrcode + "  " + ui.t("checkin.scan"), left_w)
                 .y +
             ui.px(20);
    }

    // The keypad: 6 × 5 characters and a row with Backspace and Send.
    const float kx = portrait ? margin : margin + left_w + ui.px(56);
    const float kw = ui.size.x - margin - kx;
    float ky = controls_top(ui, portrait ? y + ui.px(8) : step_top(ui));
    const float kbottom = portrait ? bottom : ui.size.y - ui.px(40);
    const int cols = 6, rows = 6;
    const float gap = ui.px(14);
    const float key_w = (kw - (cols - 1) * gap) / cols;
    const float key_h = std::min(ui.px(140), (kbottom - ky - (rows - 1) * gap) / rows);
    const float r = ui.px(14);
    auto key = [&](const std::string& id, ImVec2 min, ImVec2 size, const std::string& label, bool primary) {
        const Touch t = touch_target(ui, id, min, size, label);
        const ImVec2 max{min.x + size.x, min.y + size.y};
        dl->AddRectFilled({min.x, min.y + ui.px(4)}, {max.x, max.y + ui.px(4)}, palette::kShadow, r);
        dl->AddRectFilled(min, max, primary ? palette::kAccent : palette::kCard, r);
        dl->AddRect(min, max, t.held ? palette::kAccent : palette::kBorder, r, 0, ui.px(t.held ? 6 : 2));
        ImFont* font = text_size(ui.fonts.title, label).x < size.x - ui.px(16) ? ui.fonts.title : ui.fonts.bold;
        const ImVec2 ls = text_size(font, label);
        draw_text(dl, font, {min.x + (size.x - ls.x) / 2, min.y + (size.y - ls.y) / 2}, primary ? palette::kOnAccent : palette::kInk,
                  label);
        return t.tapped;
    };
    {
    const Upright keypad_upright(dl, kx, kx + kw);  // a keypad keeps its keys' order in a mirrored frame
    for (std::size_t i = 0; i < kCodeKeys.size(); ++i) {
        const std::string ch(1, kCodeKeys[i]);
        const ImVec2 min{kx + (i % cols) * (key_w + gap), ky + (i / cols) * (key_h + gap)};
        if (key("code:" + ch, min, {key_w, key_h}, ch, false)) intents_.check_in_key(kCodeKeys[i]);
    }
    const float last = ky + 5 * (key_h + gap);
    const float half = (kw - gap) / 2;
    if (key("code:backspace", {kx, last}, {half, key_h},
            (upright_back(ui).empty() ? "" : upright_back(ui) + " ") + ui.t("keyboard.backspace"), false))
        intents_.check_in_backspace();
    if (key("code:send", {kx + half + gap, last}, {half, key_h},
            (ui.icons.check.empty() ? "" : ui.icons.check + " ") + ui.t("checkin.send"), true))
        intents_.check_in_submit();
    }  // (the keypad's upright region ends before the overlay: a window of its own)
    idle_overlay(ui);
}

}  // namespace csc::gui
