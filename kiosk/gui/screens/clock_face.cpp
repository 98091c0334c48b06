// The clock role's one screen: header, the office's local time very large, the date.
#include <imgui.h>

#include "kiosk/gui/screens/simple_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {

class ClockFace final : public FactsScreen {
public:
    [[nodiscard]] std::string_view name() const override { return "clock"; }

protected:
    void draw_content(FrameContext& ui) override {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const std::string date = long_date(ui, facts_.weekday, facts_.day, facts_.month);
        const float top = draw_header(ui, facts_.town, facts_.office, "", "",
                                      facts_.link_flag.empty() ? std::string() : ui.t(facts_.link_flag));
        // The huge font holds digits (the ticket numbers'); ":" is drawn in the title font.
        const float mid = top + (ui.size.y - top) * 0.45f;
        ImFont* big = ui.fonts.huge;
        const auto hh = facts_.time.substr(0, 2), mm = facts_.time.size() >= 5 ? facts_.time.substr(3, 2) : "";
        const float w_h = text_size(big, hh).x, w_m = text_size(big, mm).x;
        const float colon_w = ui.px(80);
        float x = (ui.size.x - (w_h + colon_w + w_m)) / 2;
        const float y = mid - big->FontSize / 2;
        draw_text(dl, big, {x, y}, palette::kInk, hh);
        const float dot = ui.px(14);
        const ImVec2 c{x + w_h + colon_w / 2, mid};
        dl->AddCircleFilled({c.x, c.y - big->FontSize * 0.15f}, dot, palette::kInk);
        dl->AddCircleFilled({c.x, c.y + big->FontSize * 0.15f}, dot, palette::kInk);
        draw_text(dl, big, {x + w_h + colon_w, y}, palette::kInk, mm);
        draw_text_centred(dl, ui.fonts.title, ui.size.x / 2, y + big->FontSize + ui.px(24), palette::kInkSoft, date);
    }
};

}  // namespace

std::unique_ptr<FactsScreen> make_clock_screen() { return std::make_unique<ClockFace>(); }

}  // namespace csc::gui
