// A staff member's sign-in (the counter terminal, the service menu): the name, then the PIN
// (digits only, never shown). The PIN buffer is wiped as soon as it is handed to the role.
#include <algorithm>
#include <cstring>

#include "kiosk/gui/screens/staff_sign_in.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

StaffSignIn::~StaffSignIn() { wipe_buffer(pin_, sizeof pin_); }

void StaffSignIn::reset() {
    wipe_buffer(pin_, sizeof pin_);
    selected_ = -1;
    ++attempt_;
    focus_pin_ = true;
}

void StaffSignIn::submit() {
    if (selected_ < 0 || selected_ >= static_cast<int>(view_.operators.size()) || pin_[0] == 0) return;
    intents_.sign_in(view_.operators[std::size_t(selected_)], std::string(pin_));
    wipe_buffer(pin_, sizeof pin_);
    ++attempt_;  // a new field: ImGui's copy of the active field's text goes with the old one
    focus_pin_ = true;
}

void StaffSignIn::draw_content(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float bar_h = ui.px(128), pad = ui.px(36);
    dl->AddRectFilled({0, 0}, {ui.size.x, bar_h}, palette::kHeader);
    const std::string title = (view_.users_icon && !ui.icons.users.empty() ? ui.icons.users + "  " : "") + view_.title;
    const ImVec2 tsz = draw_text(dl, ui.fonts.title, {pad, (bar_h - ui.fonts.title->FontSize) / 2}, IM_COL32_WHITE, title);
    if (!view_.subtitle.empty())
        draw_text(dl, ui.fonts.small, {pad + tsz.x + ui.px(28), (bar_h - ui.fonts.small->FontSize) / 2}, palette::kHeaderSoft,
                  view_.subtitle);
    const ImVec2 ts = text_size(ui.fonts.heading, view_.time);
    draw_text(dl, ui.fonts.heading, {ui.size.x - pad - ts.x, (bar_h - ts.y) / 2}, IM_COL32_WHITE, view_.time);
    if (!view_.link_flag.empty()) draw_flag(ui, ui.size.x - 2 * pad - ts.x, bar_h / 2, ui.t(view_.link_flag));

    const float w = std::min(ui.size.x - 2 * pad, ui.px(1100));
    const float x = (ui.size.x - w) / 2;
    float y = bar_h + ui.px(48);
    y += draw_text(dl, ui.fonts.title, {x, y}, palette::kInk, ui.t(view_.heading_key)).y + ui.px(24);

    if (view_.operators.empty()) {
        dl->AddRectFilled({x, y}, {x + w, y + ui.px(160)}, palette::kWarnBg, ui.px(16));
        draw_text(dl, ui.fonts.body, {x + ui.px(28), y + ui.px(28)}, palette::kWarnInk, ui.t(view_.none_key),
                  w - ui.px(56));
        return;
    }
    if (view_.operators.size() == 1) selected_ = 0;
    if (selected_ >= static_cast<int>(view_.operators.size())) selected_ = -1;

    draw_text(dl, ui.fonts.bold, {x, y}, palette::kInkSoft, ui.t(view_.choose_key));
    y += ui.fonts.bold->FontSize + ui.px(14);
    // Operator names as buttons, three per row.
    const int cols = 3;
    const float gap = ui.px(16);
    const float bw = (w - (cols - 1) * gap) / cols, bh = ui.px(96);
    for (std::size_t i = 0; i < view_.operators.size(); ++i) {
        const ImVec2 bmin{x + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap)};
        const bool current = static_cast<int>(i) == selected_;
        if (big_button(ui, "operator:" + view_.operators[i], bmin, {bw, bh}, current ? ui.icons.check : "",
                       view_.operators[i], current)) {
            selected_ = static_cast<int>(i);
            focus_pin_ = true;
        }
    }
    y += ((view_.operators.size() + cols - 1) / cols) * (bh + gap) + ui.px(24);

    // PIN: a password field that accepts digits only, Enter to sign in.
    draw_text(dl, ui.fonts.bold, {x, y}, palette::kInkSoft, ui.t(view_.pin_key));
    y += ui.fonts.bold->FontSize + ui.px(14);
    const float field_w = ui.px(420), field_h = ui.px(96);
    ImGui::SetCursorScreenPos({x, y});
    ImGui::PushFont(ui.fonts.heading);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, {ui.px(20), (field_h - ui.fonts.heading->FontSize) / 2});
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, ui.px(12));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, ui.px(3));
    ImGui::PushStyleColor(ImGuiCol_FrameBg, palette::kCard);
    ImGui::PushStyleColor(ImGuiCol_Border, palette::kAccent);
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kInk);
    ImGui::SetNextItemWidth(field_w);
    // The PIN field keeps the keyboard whenever nothing else has it: after a sign-out (by the
    // button or the timeout) staff just type, whatever the last click was.
    if ((focus_pin_ || !ImGui::IsAnyItemActive()) && !view_.checking_pin && view_.locked_seconds <= 0) {
        ImGui::SetKeyboardFocusHere();
        focus_pin_ = false;
    }
    const ImGuiInputTextFlags flags = ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal |
                                      ImGuiInputTextFlags_EnterReturnsTrue |
                                      (view_.checking_pin || view_.locked_seconds > 0 ? ImGuiInputTextFlags_ReadOnly : 0);
    if (pin_active_attempt_ != attempt_) pin_active_ = false;  // each attempt is a new field
    pin_active_attempt_ = attempt_;
    ImGui::PushID(attempt_);
    const bool entered = pin_input("##pin", pin_, sizeof pin_, flags, !view_.checking_pin && view_.locked_seconds <= 0, pin_active_);
    ImGui::PopID();
    ui.hit("pin", {x, y}, {x + field_w, y + field_h});
    ImGui::PopStyleColor(3);
    ImGui::PopStyleVar(3);
    ImGui::PopFont();
    const bool enabled = selected_ >= 0 && !view_.checking_pin && view_.locked_seconds <= 0;
    const ImVec2 bmin{x + field_w + ui.px(24), y};
    if (big_button(ui, "sign_in", bmin, {ui.px(360), field_h}, ui.icons.chevron_right, ui.t(view_.enter_key), true) &&
        enabled)
        submit();
    if (enabled && (entered || ImGui::IsKeyPressed(kKeyEnter, false) || ImGui::IsKeyPressed(kKeyKpEnter, false))) submit();
    y += field_h + ui.px(28);

    std::string msg;
    ImU32 ink = palette::kInkSoft;
    if (view_.checking_pin) msg = ui.t(view_.checking_key);
    else if (view_.locked_seconds > 0) {
        // The last minute counts down in seconds; before that, whole minutes (rounded up).
        msg = view_.locked_seconds > 60 ? ui.tc("counter.login.locked_minutes", (view_.locked_seconds + 59) / 60)
                                        : ui.t("counter.login.locked", {{"seconds", std::to_string(view_.locked_seconds)}});
        ink = palette::kErrorInk;
    } else if (view_.wrong_pin) {
        msg = ui.t("counter.login.wrong");
        ink = palette::kErrorInk;
    } else if (!view_.notice.empty()) {
        msg = ui.t(view_.notice);
    }
    if (!msg.empty()) draw_text(dl, ui.fonts.bold, {x, y}, ink, msg, w);
    if (view_.can_cancel) {
        const ImVec2 size{ui.px(300), ui.px(96)};
        if (big_button(ui, "back", {x, ui.size.y - size.y - ui.px(40)}, size, ui.icons.chevron_left, ui.t("counter.login.back"),
                       false))
            intents_.cancel_sign_in();
    }
}

}  // namespace csc::gui
