// Orientation at the Info Point: each sector's queue (waiting, the wait as a ticket taken now
// would print it, open counters), who is at which counter, and a ticket found by its number.
#include <algorithm>

#include "kiosk/gui/screens/infopoint_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void InfopointQueues::forget() {
    volatile char* v = query_;
    for (std::size_t i = 0; i < sizeof query_; ++i) v[i] = 0;
}

void InfopointQueues::draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float gap = ui.px(40);
    const float right_w = std::min(ui.px(820), (max.x - min.x) * 0.45f);
    const float left_w = max.x - min.x - right_w - gap;
    const float rx = min.x + left_w + gap;

    // ---- Left: one row per sector.
    float y = min.y;
    y += draw_text(dl, ui.fonts.bold, {min.x, y}, palette::kInkSoft, ui.t("infopoint.queues.title")).y + ui.px(12);
    const float rh = ui.px(120), rg = ui.px(14);
    for (const auto& s : view_.sectors) {
        if (y + rh > max.y) break;
        const ImVec2 rmin{min.x, y}, rmax{min.x + left_w, y + rh};
        dl->AddRectFilled(rmin, rmax, palette::kCard, ui.px(16));
        dl->AddRect(rmin, rmax, palette::kBorder, ui.px(16), 0, ui.px(2));
        // The sector's colour band with its letter and icon; its name beside it.
        const float band = ui.px(150);
        dl->AddRectFilled(rmin, {rmin.x + band, rmax.y}, rgb(s.colour), ui.px(16), ImDrawFlags_RoundCornersLeft);
        const std::string head = s.letter + (s.icon.empty() ? "" : "  " + s.icon);
        const ImVec2 hs = text_size(ui.fonts.heading, head);
        draw_text(dl, ui.fonts.heading, {rmin.x + (band - hs.x) / 2, rmin.y + (rh - hs.y) / 2}, rgb(s.text), head);
        // The count large on the right; the name, then waiting · counters · wait below it.
        const float tx = rmin.x + band + ui.px(24);
        const std::string count = std::to_string(s.waiting);
        const ImVec2 cs = text_size(ui.fonts.title, count);
        draw_text(dl, ui.fonts.title, {rmax.x - ui.px(28) - cs.x, rmin.y + (rh - cs.y) / 2}, palette::kInk, count);
        dl->PushClipRect({tx, rmin.y}, {rmax.x - cs.x - ui.px(48), rmax.y}, true);
        draw_text(dl, ui.fonts.bold, {tx, rmin.y + ui.px(14)}, palette::kInk, s.name);
        std::string sub = s.waiting == 0 ? ui.t("home.waiting.none") : ui.tc("home.waiting", s.waiting);
        sub += " · " + ui.tc("infopoint.queues.counters", s.open_counters);
        if (s.wait && s.waiting > 0) sub += " · " + wait_text(ui, *s.wait);
        draw_text(dl, ui.fonts.small, {tx, rmin.y + ui.px(66)}, palette::kInkSoft, sub);
        dl->PopClipRect();
        y += rh + rg;
    }

    // ---- Right: the counters, two per row.
    float ry = min.y;
    ry += draw_text(dl, ui.fonts.bold, {rx, ry}, palette::kInkSoft, ui.t("infopoint.counters.title")).y + ui.px(12);
    const float ch = ui.px(96), cg = ui.px(12), cw = (right_w - cg) / 2;
    for (std::size_t i = 0; i < view_.counters.size(); ++i) {
        const auto& c = view_.counters[i];
        const ImVec2 cmin{rx + (i % 2) * (cw + cg), ry + (i / 2) * (ch + cg)}, cmax{cmin.x + cw, cmin.y + ch};
        dl->AddRectFilled(cmin, cmax, palette::kCard, ui.px(14));
        dl->AddRect(cmin, cmax, palette::kBorder, ui.px(14), 0, ui.px(2));
        const float label_w = c.current_label.empty() ? 0 : ui.px(130);
        dl->PushClipRect(cmin, {cmax.x - label_w - ui.px(8), cmax.y}, true);
        draw_text(dl, ui.fonts.bold, {cmin.x + ui.px(16), cmin.y + ui.px(6)}, palette::kInk, c.name);
        std::string line = ui.t("infopoint.counter." + c.status);
        if (c.status == "paused" && !c.pause_reason.empty()) line += ": " + c.pause_reason;
        if (!c.staff.empty()) line += " · " + c.staff;
        draw_text(dl, ui.fonts.small, {cmin.x + ui.px(16), cmin.y + ui.px(52)}, palette::kInkSoft, line);
        dl->PopClipRect();
        if (!c.current_label.empty()) {
            const ImVec2 lmin{cmax.x - label_w, cmin.y + ui.px(12)}, lmax{cmax.x - ui.px(12), cmax.y - ui.px(12)};
            dl->AddRectFilled(lmin, lmax, rgb(c.colour), ui.px(10));
            const ImVec2 ls = text_size(ui.fonts.bold, c.current_label);
            draw_text(dl, ui.fonts.bold, {lmin.x + (lmax.x - lmin.x - ls.x) / 2, lmin.y + (lmax.y - lmin.y - ls.y) / 2},
                      rgb(c.text), c.current_label);
        }
    }
    ry += ((view_.counters.size() + 1) / 2) * (ch + cg) + ui.px(20);

    // Search a ticket of today by its number: title, field and button on one row.
    const ImVec2 st = draw_text(dl, ui.fonts.bold, {rx, ry + (ui.px(84) - ui.fonts.bold->FontSize) / 2}, palette::kInkSoft,
                                ui.t("infopoint.search.title"));
    const float fx = rx + st.x + ui.px(20);
    const float bw = ui.px(200), fw = std::max(ui.px(160), rx + right_w - fx - bw - ui.px(16));
    const bool entered = text_field(ui, "##search", query_, sizeof query_, {fx, ry}, fw, ImGuiInputTextFlags_CharsUppercase);
    if (big_button(ui, "search", {fx + fw + ui.px(16), ry}, {bw, ui.px(84)}, "", ui.t("infopoint.search"), true) ||
        (entered && query_[0]))
        intents_.search(query_);
    ry += ui.px(84) + ui.px(16);
    if (view_.found) {
        draw_ticket_card(ui, *view_.found, {rx, ry}, {right_w, std::min(ui.px(230), max.y - ry)}, "found:");
    } else if (view_.searched) {
        draw_text(dl, ui.fonts.bold, {rx, ry}, palette::kErrorInk, ui.t("infopoint.search.none"), right_w);
    }
}

}  // namespace csc::gui
