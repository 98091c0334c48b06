// Tickets for a citizen at the Info Point: sector (in its colour), service, priority class (the
// class only; the reason is never asked), "issue and print"; the ticket just issued with reprint
// and cancel (a reason from a short list).
#include <algorithm>
#include <cstring>

#include "kiosk/gui/screens/infopoint_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void InfopointTickets::draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float gap = ui.px(40);
    const float right_w = std::min(ui.px(700), (max.x - min.x) * 0.4f);
    const float left_w = max.x - min.x - right_w - gap;
    const float rx = min.x + left_w + gap;

    // ---- Left: sector, service, issue.
    float y = min.y;
    y += draw_text(dl, ui.fonts.bold, {min.x, y}, palette::kInkSoft, ui.t("infopoint.choose_sector")).y + ui.px(12);
    const std::size_t n = view_.sectors.size();
    const float sgap = ui.px(18);
    const int per_row = static_cast<int>(std::min<std::size_t>(n, 4));
    const float sw = per_row > 0 ? (left_w - (per_row - 1) * sgap) / per_row : left_w, sh = ui.px(128);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& s = view_.sectors[i];
        const ImVec2 smin{min.x + (i % per_row) * (sw + sgap), y + (i / per_row) * (sh + sgap)};
        const ImVec2 smax{smin.x + sw, smin.y + sh};
        const Touch t = touch_target(ui, "sector:" + s.id, smin, {sw, sh});
        const bool chosen = static_cast<int>(i) == view_.sector;
        dl->AddRectFilled(smin, smax, rgb(s.colour), ui.px(16));
        if (chosen || t.held)
            dl->AddRect({smin.x - ui.px(6), smin.y - ui.px(6)}, {smax.x + ui.px(6), smax.y + ui.px(6)}, palette::kInk,
                        ui.px(20), 0, ui.px(6));
        // Letter + icon on top, the name below (wrapped): colour is never the only cue.
        const std::string head = s.letter + (s.icon.empty() ? "" : "  " + s.icon);
        draw_text(dl, ui.fonts.bold, {smin.x + ui.px(18), smin.y + ui.px(12)}, rgb(s.text), head);
        if (chosen && !ui.icons.check.empty()) {
            const ImVec2 cs = text_size(ui.fonts.bold, ui.icons.check);
            draw_text(dl, ui.fonts.bold, {smax.x - ui.px(18) - cs.x, smin.y + ui.px(12)}, rgb(s.text), ui.icons.check);
        }
        dl->PushClipRect(smin, smax, true);
        draw_text(dl, ui.fonts.small, {smin.x + ui.px(18), smin.y + ui.px(58)}, rgb(s.text), s.name, sw - ui.px(30));
        dl->PopClipRect();
        if (t.tapped) intents_.choose_sector(s.id);
    }
    y += ((n + per_row - 1) / std::max(per_row, 1)) * (sh + sgap) + ui.px(16);

    if (view_.sector >= 0 && view_.sector < static_cast<int>(n)) {
        const auto& s = view_.sectors[std::size_t(view_.sector)];
        if (!s.services.empty()) {
            y += draw_text(dl, ui.fonts.bold, {min.x, y}, palette::kInkSoft, ui.t("infopoint.choose_service")).y + ui.px(12);
            const float cg = ui.px(16), cw = (left_w - cg) / 2, ch = ui.px(72);
            for (std::size_t i = 0; i < s.services.size(); ++i) {
                const ImVec2 cmin{min.x + (i % 2) * (cw + cg), y + (i / 2) * (ch + cg)};
                if (choice(ui, "service:" + s.services[i].first, cmin, {cw, ch}, s.services[i].second,
                           view_.service == s.services[i].first))
                    intents_.choose_service(s.services[i].first);
            }
            y += ((s.services.size() + 1) / 2) * (ch + cg) + ui.px(8);
        }
    }
    // Where the paper comes out: here, or at the entrance kiosk (the citizen collects it there).
    {
        y += draw_text(dl, ui.fonts.bold, {min.x, y}, palette::kInkSoft, ui.t("infopoint.print_at")).y + ui.px(12);
        const float cg = ui.px(16), cw = (left_w - cg) / 2, ch = ui.px(72);
        if (choice(ui, "printat:here", {min.x, y}, {cw, ch}, ui.t("infopoint.print_at.here"), !view_.print_at_entrance))
            intents_.choose_print_at(false);
        if (choice(ui, "printat:entrance", {min.x + cw + cg, y}, {cw, ch}, ui.t("infopoint.print_at.entrance"),
                   view_.print_at_entrance))
            intents_.choose_print_at(true);
        y += ch + ui.px(16);
    }
    const bool ready = view_.sector >= 0 && !view_.busy &&
                       (view_.sector < static_cast<int>(n) &&
                        (view_.sectors[std::size_t(view_.sector)].services.empty() || !view_.service.empty()));
    const float ih = ui.px(104);
    const ImVec2 imin{min.x, std::min(y + ui.px(8), max.y - ih)};
    if (!ready) {
        dl->AddRectFilled(imin, {imin.x + left_w, imin.y + ih}, palette::kCard, ui.px(18));
        dl->AddRect(imin, {imin.x + left_w, imin.y + ih}, palette::kBorder, ui.px(18), 0, ui.px(3));
        const std::string hint = ui.t(view_.sector < 0 ? "infopoint.hint.sector" : "infopoint.hint.service");
        const ImVec2 hs = text_size(ui.fonts.bold, hint);
        draw_text(dl, ui.fonts.bold, {imin.x + (left_w - hs.x) / 2, imin.y + (ih - hs.y) / 2}, palette::kInkSoft, hint);
    } else if (big_button(ui, "issue", imin, {left_w, ih}, ui.icons.print,
                          ui.t(view_.print_at_entrance ? (view_.priority.empty() ? "infopoint.issue_entrance"
                                                                                  : "infopoint.issue_priority_entrance")
                                                       : (view_.priority.empty() ? "infopoint.issue" : "infopoint.issue_priority")),
                          true)) {
        intents_.issue_ticket();
    }
    if (!view_.pending_prints.empty()) {
        // Requests the entrance kiosk has not printed (yet, or because its printer failed).
        std::string labels;
        for (const auto& [label, error] : view_.pending_prints)
            labels += (labels.empty() ? "" : ", ") + label +
                      (error.empty() ? "" : " (" + ui.t("infopoint.print.entrance_failed_short") + ")");
        draw_text(dl, ui.fonts.small, {min.x, imin.y + ih + ui.px(12)}, palette::kErrorInk,
                  ui.t("infopoint.print.pending", {{"tickets", labels}}), left_w);
    }

    // ---- Right: priority class, then the ticket just issued.
    float ry = min.y;
    ry += draw_text(dl, ui.fonts.bold, {rx, ry}, palette::kInkSoft, ui.t("infopoint.choose_priority")).y + ui.px(12);
    const float pg = ui.px(12), ph = ui.px(64);
    for (std::size_t i = 0; i < view_.priorities.size(); ++i) {
        const auto& [id, label] = view_.priorities[i];
        if (choice(ui, "priority:" + (id.empty() ? std::string("none") : id), {rx, ry}, {right_w, ph}, label,
                   view_.priority == id))
            intents_.choose_priority(id);
        ry += ph + pg;
    }
    ry += ui.px(12);
    if (view_.last) {
        const float h = std::max(ui.px(250), max.y - ry);
        draw_ticket_card(ui, *view_.last, {rx, ry}, {right_w, h}, "last:");
    }
}

}  // namespace csc::gui
