// Pieces shared by the entrance screens: header, date and forecast texts.
#include <algorithm>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

std::string long_date(const FrameContext& ui, const EntranceView& view) {
    return long_date(ui, view.weekday, view.day, view.month);
}

float EntranceScreen::header(FrameContext& ui) const {
    return draw_header(ui, view_.town, view_.office, view_.time, long_date(ui, view_),
                       view_.link_flag.empty() ? std::string() : ui.t(view_.link_flag));
}

bool EntranceScreen::back_button(FrameContext& ui, float margin, float& top) const {
    const float h = ui.px(130);
    top = ui.size.y - ui.px(ui.portrait() ? 56 : 40) - h;
    return big_button(ui, "back", {margin, top}, {ui.px(ui.portrait() ? 420 : 460), h}, ui.icons.chevron_left,
                      ui.t("service.back"), false);
}

float EntranceScreen::done_button(FrameContext& ui, float margin, float w) const {
    const float done_h = ui.px(130), done_w = std::min(w, ui.px(560));
    const float done_top = ui.size.y - ui.px(ui.portrait() ? 56 : 40) - done_h;
    if (big_button(ui, "done", {margin + (w - done_w) / 2, done_top}, {done_w, done_h}, "", ui.t("confirm.done"), true))
        intents_.go_home();
    return done_top;
}

}  // namespace csc::gui
