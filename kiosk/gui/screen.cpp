#include "kiosk/gui/screen.hpp"

#include <cstdio>
#include <cstdlib>

namespace csc::gui {

namespace {

// The numeric keypad's keys (GLFW key codes, ImGui 1.86 io.KeysDown indices) and what they do.
struct PadBinding {
    int key;
    app::GuideKey does;
};
constexpr PadBinding kPad[] = {
    // A USB keypad has the calculator layout: 8 at the top (its "up" arrow), 2 at the bottom.
    {328, app::GuideKey::Previous},  // KP_8
    {322, app::GuideKey::Next},      // KP_2
    {324, app::GuideKey::Previous},  // KP_4
    {326, app::GuideKey::Next},      // KP_6
    {325, app::GuideKey::Select},    // KP_5 (the key with the raised dot)
    {320, app::GuideKey::Back},      // KP_0
    {332, app::GuideKey::Repeat},    // KP_MULTIPLY
    {334, app::GuideKey::Louder},    // KP_ADD
    {333, app::GuideKey::Softer},    // KP_SUBTRACT
    {330, app::GuideKey::Quiet},     // KP_DECIMAL
};
constexpr float kLongPressSeconds = 3.0f;

// Before the screen draws: the keypad and the long press, for the speech guide.
void guide_begin(FrameContext& ui, std::string_view screen) {
    ImGuiIO& io = ImGui::GetIO();
    std::vector<app::GuideKey> keys;
    bool any_pad_key = false;
    for (const PadBinding& b : kPad)
        if (ImGui::IsKeyPressed(b.key, false)) {
            keys.push_back(b.does);
            any_pad_key = true;
        }
    // Any keypad key starts speech mode (and only starts it); so does a finger held still for
    // three seconds anywhere, whose lift then taps nothing.
    const bool long_press = io.MouseDown[0] && io.MouseDownDuration[0] >= kLongPressSeconds &&
                            io.MouseDragMaxDistanceSqr[0] < ui.px(40) * ui.px(40);
    if (!ui.guide->on() && (any_pad_key || long_press)) {
        ui.guide->start();
        if (long_press) ui.guide->swallow_lift();
        keys.clear();
    }
    // A keypad key's digit is navigation, never typed text (a booking code, a scanner's buffer);
    // a USB scanner's burst (main-row keys) still reaches the screen in speech mode. (KP_ENTER is
    // no guide key: it stays the Enter a code is sent with.)
    if (any_pad_key) io.InputQueueCharacters.resize(0);
    if (!keys.empty() && std::getenv("CSC_GUI_TRACE"))
        for (auto k : keys) std::fprintf(stderr, "guide key %d on %.*s (focus %s)\n", int(k), int(screen.size()), screen.data(), ui.guide->focused_id().c_str());
    ui.guide->begin_frame(screen, keys, io.MouseDown[0] || io.MouseReleased[0]);
}

}  // namespace

void Screen::draw(FrameContext& ui) {
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(ui.size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
    constexpr ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                       ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoNav |
                                       ImGuiWindowFlags_NoBackground;  // the page is the clear colour
    ImGui::Begin("##screen", nullptr, flags);
    if (ui.guide) guide_begin(ui, name());
    draw_content(ui);
    if (ui.guide) ui.guide->end_frame(ui.translator, ui.lang);
    ImGui::End();
    ImGui::PopStyleVar(3);
}

}  // namespace csc::gui
