// Today's appointments at the Info Point: time, service, the citizen's name and contact (staff
// only), state; check in, no-show, cancel, move. A page at a time.
#include <algorithm>

#include "kiosk/gui/screens/infopoint_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {
// "checked-in" → "checked_in": catalogue keys keep to letters, digits, dots and underscores.
std::string status_key_of(std::string s) {
    std::replace(s.begin(), s.end(), '-', '_');
    return s;
}
}  // namespace

void InfopointAgenda::draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float w = max.x - min.x;
    float y = min.y;
    y += draw_text(dl, ui.fonts.heading, {min.x, y}, palette::kInk, view_.agenda_title).y + ui.px(16);
    if (view_.agenda.empty()) {
        draw_text(dl, ui.fonts.body, {min.x, y}, palette::kInkSoft, ui.t("infopoint.agenda.none"));
        return;
    }
    const float rh = ui.px(96), rg = ui.px(10);
    const float bw = ui.px(210), bg = ui.px(12);
    const float actions_w = 4 * bw + 3 * bg;
    const int per_page = std::max(1, static_cast<int>((max.y - y - ui.px(96)) / (rh + rg)));
    const int pages = (static_cast<int>(view_.agenda.size()) + per_page - 1) / per_page;
    page_ = std::clamp(page_, 0, std::max(0, pages - 1));
    const std::size_t first = std::size_t(page_ * per_page);
    for (std::size_t i = first; i < view_.agenda.size() && i < first + std::size_t(per_page); ++i) {
        const auto& b = view_.agenda[i];
        const ImVec2 rmin{min.x, y}, rmax{max.x, y + rh};
        const bool active = b.status == "booked";
        dl->AddRectFilled(rmin, rmax, active ? palette::kCard : palette::kPage, ui.px(14));
        dl->AddRect(rmin, rmax, palette::kBorder, ui.px(14), 0, ui.px(2));
        const ImVec2 ts = draw_text(dl, ui.fonts.heading, {rmin.x + ui.px(20), rmin.y + (rh - ui.fonts.heading->FontSize) / 2},
                                    palette::kInk, b.time);
        const float tx = rmin.x + ui.px(40) + std::max(ts.x, ui.px(140));
        // A row without actions (checked in, walked in, cancelled, …) lends their room to its text.
        const bool actions = b.can_check_in || b.can_walk_in || b.can_no_show || b.can_cancel;
        dl->PushClipRect({tx, rmin.y}, {rmax.x - (actions ? actions_w : 0.0f) - ui.px(24), rmax.y}, true);
        draw_text(dl, ui.fonts.bold, {tx, rmin.y + ui.px(8)}, palette::kInk, b.name + (b.contact.empty() ? "" : "  ·  " + b.contact));
        draw_text(dl, ui.fonts.small, {tx, rmin.y + ui.px(54)}, palette::kInkSoft,
                  b.service_name + "  ·  " + b.code_shown + "  ·  " + ui.t("infopoint.booking." + status_key_of(b.status)));
        dl->PopClipRect();
        float bx = rmax.x - ui.px(14) - actions_w;
        const ImVec2 bs{bw, rh - ui.px(20)};
        auto button = [&](const char* what, const char* key, bool on, bool primary) {
            if (on && big_button(ui, std::string(what) + ":" + b.code, {bx, rmin.y + ui.px(10)}, bs, "", ui.t(key), primary)) {
                if (std::string_view(what) == "checkin") intents_.check_in(b.code);
                else if (std::string_view(what) == "walkin") intents_.walk_in(b.code);
                else if (std::string_view(what) == "noshow") intents_.no_show(b.code);
                else if (std::string_view(what) == "cancelbooking") intents_.cancel_booking(b.code);
                else intents_.start_move(b.code);
            }
            bx += bw + bg;
        };
        // Past the check-in window the first action is the walk-in ticket, in the same place.
        if (b.can_walk_in) button("walkin", "infopoint.agenda.walk_in", true, true);
        else button("checkin", "infopoint.agenda.check_in", b.can_check_in, true);
        button("noshow", "infopoint.agenda.no_show", b.can_no_show, false);
        button("cancelbooking", "infopoint.agenda.cancel", b.can_cancel, false);
        button("move", "infopoint.agenda.move", b.can_cancel, false);
        y += rh + rg;
    }
    if (pages > 1) {
        const float pb = ui.px(300), ph = ui.px(80);
        const float py = max.y - ph;
        if (page_ > 0 && big_button(ui, "agenda:earlier", {min.x, py}, {pb, ph}, ui.icons.chevron_left, ui.t("infopoint.earlier"), false))
            --page_;
        const std::string at = std::to_string(page_ + 1) + " / " + std::to_string(pages);
        const ImVec2 as = text_size(ui.fonts.bold, at);
        draw_text(dl, ui.fonts.bold, {min.x + (w - as.x) / 2, py + (ph - as.y) / 2}, palette::kInkSoft, at);
        if (page_ + 1 < pages &&
            big_button(ui, "agenda:later", {max.x - pb, py}, {pb, ph}, ui.icons.chevron_right, ui.t("infopoint.later"), false))
            ++page_;
    }
}

}  // namespace csc::gui
