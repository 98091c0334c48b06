// Pieces shared by the booking and check-in screens: the step frame (title band in the service's
// colours, Back), the inactivity warning, message panels, keys from a keyboard or a scanner.
#include <algorithm>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"
#include "shared/text_check.hpp"

namespace csc::gui {

void EntranceScreen::forward_keys() const {
    // A USB scanner types its code and Enter within a few milliseconds: the characters queued
    // since the last frame come first, then the Enter (held one frame by the backend's latch).
    const ImGuiIO& io = ImGui::GetIO();
    std::string text;
    for (ImWchar c : io.InputQueueCharacters)
        if (c >= 0x20 && c != 0x7F) append_utf8(text, c);
    const bool enter = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
                       ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false);
    if (!text.empty() || enter) intents_.keys_typed(text, enter);
}

float EntranceScreen::step_top(const FrameContext& ui) const {
    const BookingView& b = view_.booking;
    const bool band = b.service >= 0 && b.service < int(b.services.size());
    return ui.px(168 + (band ? 130 : 0) + 36);
}

std::pair<float, float> EntranceScreen::step_frame(FrameContext& ui, std::string_view title,
                                                   std::string_view subtitle, float title_w) const {
    say_title(ui, subtitle.empty() ? std::string(title) : std::string(title) + ". " + std::string(subtitle));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = header(ui);
    const float margin = ui.px(ui.portrait() ? 48 : 64);
    const BookingView& b = view_.booking;
    float y = top;
    if (b.service >= 0 && b.service < int(b.services.size())) {
        // The service band: the same colours and icon as the sector on the home screen.
        const BookServiceView& s = b.services[std::size_t(b.service)];
        const float band_h = ui.px(130);
        const ImU32 ink = rgb(s.text);
        dl->AddRectFilled({0, top}, {ui.size.x, top + band_h}, rgb(s.colour));
        float x = margin;
        if (!s.icon.empty()) {
            const ImVec2 is = text_size(ui.fonts.heading, s.icon);
            draw_text(dl, ui.fonts.heading, {x, top + (band_h - is.y) / 2}, ink, s.icon);
            x += is.x + ui.px(28);
        }
        const ImVec2 ns = text_size(ui.fonts.heading, s.name);
        dl->PushClipRect({x, top}, {ui.size.x - margin, top + band_h}, true);
        draw_text(dl, ui.fonts.heading, {x, top + (band_h - ns.y) / 2}, ink, s.name);
        dl->PopClipRect();
        y += band_h;
    }
    y += ui.px(36);
    const float tw = title_w > 0 ? title_w : ui.size.x - 2 * margin;
    y += draw_text(dl, ui.fonts.title, {margin, y}, palette::kInk, title, tw).y;
    if (!subtitle.empty()) y += ui.px(6) + draw_text(dl, ui.fonts.body, {margin, y + ui.px(6)}, palette::kInkSoft, subtitle, tw).y;
    y += ui.px(28);

    float back_top = 0;
    if (back_button(ui, margin, back_top)) intents_.booking_back();
    return {controls_top(ui, y), back_top - ui.px(32)};
}

float EntranceScreen::notice_panel(FrameContext& ui, float y, std::string_view text, bool error) const {
    if (text.empty()) return 0;
    say_live(ui, "notice", std::string(text));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float margin = ui.px(ui.portrait() ? 48 : 64);
    const float w = ui.size.x - 2 * margin;
    const std::string icon = error ? ui.icons.warning : ui.icons.check;
    const float icon_w = icon.empty() ? 0 : ui.px(70);
    const float text_w = w - ui.px(64) - icon_w;
    const ImVec2 ts = text_size(ui.fonts.bold, text, text_w);
    const float h = ts.y + ui.px(48);
    dl->AddRectFilled({margin, y}, {margin + w, y + h}, error ? palette::kErrorBg : palette::kInfoBg, ui.px(18));
    const ImU32 ink = error ? palette::kErrorInk : palette::kInk;
    if (!icon.empty()) draw_text(dl, ui.fonts.heading, {margin + ui.px(28), y + ui.px(20)}, ink, icon);
    draw_text(dl, ui.fonts.bold, {margin + ui.px(32) + icon_w, y + ui.px(24)}, ink, text, text_w);
    return h;
}

std::string EntranceScreen::slot_text(const FrameContext& ui, const SlotView& s) const {
    return ui.t("booking.slot", {{"weekday", ui.t("weekday." + std::to_string(s.weekday))},
                                 {"day", std::to_string(s.day)},
                                 {"month", ui.t("month." + std::to_string(s.month))},
                                 {"time", s.time}});
}

EntranceScreen::TimedFrame::TimedFrame(const EntranceScreen& screen, FrameContext& ui) : screen_(screen), ui_(ui) {
    // While the warning shows, only its button ("I need more time") gives more time: a pointer
    // that moves must not take the overlay away under a tap that then lands on the page.
    if (!screen_.view_.booking.idle_warning && someone_is_there()) screen_.intents_.activity();
}

EntranceScreen::TimedFrame::~TimedFrame() { screen_.idle_overlay(ui_); }

void EntranceScreen::idle_overlay(FrameContext& ui) const {
    if (!view_.booking.idle_warning) return;
    // Its own window above the screen's, so that only its button takes taps.
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(ui.size);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(0, 0, 0, 0));
    constexpr ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse |
                                       ImGuiWindowFlags_NoNav;
    ImGui::Begin("##idle", nullptr, flags);
    ImGui::PopStyleColor();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled({0, 0}, ui.size, IM_COL32(0x10, 0x18, 0x24, 0xB0));
    const float w = std::min(ui.size.x - ui.px(96), ui.px(900));
    const float h = ui.px(560);
    const ImVec2 min{(ui.size.x - w) / 2, (ui.size.y - h) / 2};
    const ImVec2 max{min.x + w, min.y + h};
    dl->AddRectFilled(min, max, palette::kCard, ui.px(26));
    dl->AddRect(min, max, palette::kWarnEdge, ui.px(26), 0, ui.px(6));
    float y = min.y + ui.px(50);
    if (!ui.icons.hourglass.empty())
        y += draw_text_centred(dl, ui.fonts.icon, ui.size.x / 2, y, palette::kWarnEdge, ui.icons.hourglass).y + ui.px(24);
    y += draw_paragraph_centred(dl, ui.fonts.heading, min.x + ui.px(40), w - ui.px(80), y, palette::kInk,
                                ui.t("booking.idle.title")) +
         ui.px(16);
    draw_paragraph_centred(dl, ui.fonts.body, min.x + ui.px(40), w - ui.px(80), y, palette::kInkSoft,
                           ui.t("booking.idle.returning", {{"seconds", std::to_string(view_.booking.idle_seconds_left)}}));
    // Speech mode: only the warning's button is a choice now, and the warning is said once.
    if (ui.guide) ui.guide->modal();
    say_live(ui, "idle_warning", ui.t("speech.time_warning", {{"seconds", std::to_string(view_.booking.idle_warn_seconds)}}),
             "more_time");
    const float bw = w - ui.px(120), bh = ui.px(130);
    if (big_button(ui, "more_time", {min.x + (w - bw) / 2, max.y - ui.px(40) - bh}, {bw, bh}, ui.icons.check,
                   ui.t("booking.idle.more_time"), true))
        intents_.still_here();
    ImGui::End();
}

}  // namespace csc::gui
