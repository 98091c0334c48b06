#include "kiosk/gui/screen.hpp"

namespace csc::gui {

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
    draw_content(ui);
    ImGui::End();
    ImGui::PopStyleVar(3);
}

}  // namespace csc::gui
