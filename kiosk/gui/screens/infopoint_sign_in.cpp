// The Info Point's sign-in: the staff member picks their name and types their own PIN (digits,
// never shown). The PIN buffer is wiped as soon as it is handed to the role.
#include <algorithm>

#include "kiosk/gui/screens/infopoint_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

InfopointSignIn::~InfopointSignIn() { wipe_buffer(pin_, sizeof pin_); }

void InfopointSignIn::submit() {
    if (selected_ < 0 || selected_ >= static_cast<int>(view_.staff.size()) || pin_[0] == 0) return;
    intents_.sign_in(view_.staff[std::size_t(selected_)], std::string(pin_));
    wipe_buffer(pin_, sizeof pin_);
    ++attempt_;  // a new field id: ImGui's copy of the active field's text goes with the old one
    focus_pin_ = true;
}

void InfopointSignIn::draw_content(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float bar_h = ui.px(104), pad = ui.px(40);
    dl->AddRectFilled({0, 0}, {ui.size.x, bar_h}, palette::kHeader);
    const std::string title = (ui.icons.users.empty() ? "" : ui.icons.users + "  ") + ui.t("infopoint.title");
    const ImVec2 tsz = draw_text(dl, ui.fonts.heading, {pad, (bar_h - ui.fonts.heading->FontSize) / 2}, IM_COL32_WHITE, title);
    draw_text(dl, ui.fonts.small, {pad + tsz.x + ui.px(28), (bar_h - ui.fonts.small->FontSize) / 2}, palette::kHeaderSoft,
              view_.office);
    const ImVec2 ts = text_size(ui.fonts.heading, view_.time);
    draw_text(dl, ui.fonts.heading, {ui.size.x - pad - ts.x, (bar_h - ts.y) / 2}, IM_COL32_WHITE, view_.time);
    if (!view_.link_flag.empty()) draw_flag(ui, ui.size.x - 2 * pad - ts.x, bar_h / 2, ui.t(view_.link_flag));

    const float w = std::min(ui.size.x - 2 * pad, ui.px(1300));
    const float x = (ui.size.x - w) / 2;
    float y = bar_h + ui.px(56);
    y += draw_text(dl, ui.fonts.title, {x, y}, palette::kInk, ui.t("infopoint.login")).y + ui.px(28);

    if (view_.staff.empty()) {
        dl->AddRectFilled({x, y}, {x + w, y + ui.px(180)}, palette::kWarnBg, ui.px(16));
        draw_text(dl, ui.fonts.body, {x + ui.px(28), y + ui.px(28)}, palette::kWarnInk, ui.t("infopoint.login.none"),
                  w - ui.px(56));
        return;
    }
    if (view_.staff.size() == 1) selected_ = 0;
    if (selected_ >= static_cast<int>(view_.staff.size())) selected_ = -1;

    draw_text(dl, ui.fonts.bold, {x, y}, palette::kInkSoft, ui.t("infopoint.login.choose"));
    y += ui.fonts.bold->FontSize + ui.px(16);
    const int cols = 3;
    const float gap = ui.px(18);
    const float bw = (w - (cols - 1) * gap) / cols, bh = ui.px(100);
    for (std::size_t i = 0; i < view_.staff.size(); ++i) {
        const ImVec2 bmin{x + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap)};
        const bool current = static_cast<int>(i) == selected_;
        if (big_button(ui, "staff:" + view_.staff[i], bmin, {bw, bh}, current ? ui.icons.check : "", view_.staff[i], current)) {
            selected_ = static_cast<int>(i);
            focus_pin_ = true;
        }
    }
    y += ((view_.staff.size() + cols - 1) / cols) * (bh + gap) + ui.px(28);

    draw_text(dl, ui.fonts.bold, {x, y}, palette::kInkSoft, ui.t("infopoint.login.pin"));
    y += ui.fonts.bold->FontSize + ui.px(16);
    const float field_w = ui.px(440), field_h = ui.px(100);
    ImGui::SetCursorScreenPos({x, y});
    ImGui::PushFont(ui.fonts.heading);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, {ui.px(22), (field_h - ui.fonts.heading->FontSize) / 2});
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
    // Each attempt is a new field (its id holds attempt_): active only if this one was.
    if (pin_active_attempt_ != attempt_) pin_active_ = false;
    pin_active_attempt_ = attempt_;
    ImGui::PushID(attempt_);
    const bool entered = pin_input("##pin", pin_, sizeof pin_, flags, !view_.checking_pin && view_.locked_seconds <= 0, pin_active_);
    ImGui::PopID();
    ui.hit("pin", {x, y}, {x + field_w, y + field_h});
    ImGui::PopStyleColor(3);
    ImGui::PopStyleVar(3);
    ImGui::PopFont();
    const bool enabled = selected_ >= 0 && !view_.checking_pin && view_.locked_seconds <= 0;
    if (big_button(ui, "sign_in", {x + field_w + ui.px(24), y}, {ui.px(380), field_h}, ui.icons.chevron_right,
                   ui.t("infopoint.login.enter"), true) &&
        enabled)
        submit();
    if (enabled && (entered || ImGui::IsKeyPressed(kKeyEnter, false) || ImGui::IsKeyPressed(kKeyKpEnter, false))) submit();
    y += field_h + ui.px(30);

    std::string msg;
    ImU32 ink = palette::kInkSoft;
    if (view_.checking_pin) msg = ui.t("infopoint.login.checking");
    else if (view_.locked_seconds > 0) {
        msg = view_.locked_seconds > 60 ? ui.tc("counter.login.locked_minutes", (view_.locked_seconds + 59) / 60)
                                        : ui.t("counter.login.locked", {{"seconds", std::to_string(view_.locked_seconds)}});
        ink = palette::kErrorInk;
    } else if (view_.wrong_pin) {
        msg = ui.t("counter.login.wrong");
        ink = palette::kErrorInk;
    } else if (!view_.notice.empty()) {
        msg = ui.t(view_.notice);  // "signed out after N minutes without activity"
    }
    if (!msg.empty()) draw_text(dl, ui.fonts.bold, {x, y}, ink, msg, w);
}

}  // namespace csc::gui
