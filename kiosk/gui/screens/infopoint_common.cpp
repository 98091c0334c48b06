// What every signed-in Info Point tab shares: the top bar, the tabs, the sign-out countdown,
// the outcome line, text fields and the ticket card.
#include <algorithm>
#include <cstring>

#include "kiosk/gui/screens/infopoint_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

const char* tab_id(InfoTab t) {
    switch (t) {
        case InfoTab::Tickets: return "tickets";
        case InfoTab::Queues: return "queues";
        case InfoTab::Agenda: return "agenda";
        case InfoTab::Book: return "book";
        case InfoTab::CrsPin: return "crs_pin";
        case InfoTab::Forms: return "forms";
    }
    return "tickets";
}

bool InfopointScreen::choice(FrameContext& ui, const std::string& id, ImVec2 min, ImVec2 size, const std::string& label, bool chosen) {
    const Touch t = touch_target(ui, id, min, size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max{min.x + size.x, min.y + size.y};
    const float r = ui.px(14);
    dl->AddRectFilled(min, max, chosen ? palette::kAccent : palette::kCard, r);
    dl->AddRect(min, max, palette::kAccent, r, 0, ui.px(chosen || t.held ? 5 : 2));
    const std::string text = (chosen && !ui.icons.check.empty() ? ui.icons.check + "  " : "") + label;
    dl->PushClipRect(min, max, true);
    const ImVec2 s = text_size(ui.fonts.small, text, size.x - ui.px(24));
    draw_text(dl, ui.fonts.small, {min.x + ui.px(16), min.y + (size.y - s.y) / 2}, chosen ? IM_COL32_WHITE : palette::kInk, text,
              size.x - ui.px(24));
    dl->PopClipRect();
    return t.tapped;
}

std::string InfopointScreen::wait_text(FrameContext& ui, const InfoWait& w) const {
    return forecast_text(ui, w);  // the words the kiosk and the display use
}

void InfopointScreen::draw_content(FrameContext& ui) {
    if (seen_session_ != view_.session) {
        seen_session_ = view_.session;
        forget();
    }
    if (someone_is_there()) intents_.activity();
    const float top = draw_top(ui);
    const float pad = ui.px(40);
    const float outcome_h = ui.px(72);
    // With the cancel dialog open the page under it takes no taps (ImGui gives a press to the
    // first item under the pointer, even a disabled one): the dialog's buttons are submitted
    // first (drawn on the foreground list, over the page), then the page, disabled.
    const bool modal = !view_.cancel_for.empty();
    if (modal) {
        draw_cancel_dialog(ui);
        ImGui::BeginDisabled();
    }
    draw_tab(ui, {pad, top + ui.px(24)}, {ui.size.x - pad, ui.size.y - outcome_h - ui.px(12)});
    if (modal) ImGui::EndDisabled();
    draw_outcome(ui, {pad, ui.size.y - outcome_h}, ui.size.x - 2 * pad);
    draw_countdown(ui);
}

float InfopointScreen::draw_top(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float bar_h = ui.px(104), pad = ui.px(40);
    dl->AddRectFilled({0, 0}, {ui.size.x, bar_h}, palette::kHeader);
    const std::string title = (ui.icons.users.empty() ? "" : ui.icons.users + "  ") + ui.t("infopoint.title");
    const ImVec2 title_size = draw_text(dl, ui.fonts.heading, {pad, (bar_h - ui.fonts.heading->FontSize) / 2}, IM_COL32_WHITE, title);
    draw_text(dl, ui.fonts.small, {pad + title_size.x + ui.px(28), (bar_h - ui.fonts.small->FontSize) / 2},
              palette::kHeaderSoft, view_.office);

    // Right: clock, the staff member, sign out.
    float right = ui.size.x - pad;
    const ImVec2 ts = text_size(ui.fonts.heading, view_.time);
    draw_text(dl, ui.fonts.heading, {right - ts.x, (bar_h - ts.y) / 2}, IM_COL32_WHITE, view_.time);
    right -= ts.x + ui.px(28);
    const std::string out_label = ui.t("infopoint.sign_out");
    const float out_w = text_size(ui.fonts.bold, out_label).x + ui.px(56), out_h = ui.px(76);
    const ImVec2 out_min{right - out_w, (bar_h - out_h) / 2};
    const Touch t = touch_target(ui, "sign_out", out_min, {out_w, out_h});
    dl->AddRect(out_min, {out_min.x + out_w, out_min.y + out_h}, IM_COL32_WHITE, ui.px(14), 0, ui.px(t.held ? 6 : 3));
    draw_text(dl, ui.fonts.bold, {out_min.x + ui.px(28), out_min.y + (out_h - ui.fonts.bold->FontSize) / 2}, IM_COL32_WHITE,
              out_label);
    if (t.tapped) intents_.sign_out();
    right -= out_w + ui.px(24);
    const ImVec2 ns = text_size(ui.fonts.bold, view_.signed_in);
    draw_text(dl, ui.fonts.bold, {right - ns.x, (bar_h - ns.y) / 2}, IM_COL32_WHITE, view_.signed_in);
    right -= ns.x + ui.px(24);
    if (!view_.link_flag.empty()) draw_flag(ui, right, bar_h / 2, ui.t(view_.link_flag));

    // The tabs: large, the current one filled.
    const float tab_top = bar_h + ui.px(16), tab_h = ui.px(84);
    const float gap = ui.px(16);
    const float tab_w = std::min(ui.px(420), (ui.size.x - 2 * pad - (kInfoTabCount - 1) * gap) / kInfoTabCount);
    static const char* const kKeys[kInfoTabCount] = {"infopoint.tab.tickets", "infopoint.tab.queues", "infopoint.tab.agenda",
                                                     "infopoint.tab.book",    "infopoint.tab.crs_pin", "infopoint.tab.forms"};
    for (int i = 0; i < kInfoTabCount; ++i) {
        const auto tab = static_cast<InfoTab>(i);
        if (big_button(ui, std::string("tab:") + tab_id(tab), {pad + i * (tab_w + gap), tab_top}, {tab_w, tab_h}, "",
                       ui.t(kKeys[i]), view_.tab == tab))
            intents_.show_tab(tab);
    }
    return tab_top + tab_h;
}

void InfopointScreen::draw_outcome(FrameContext& ui, ImVec2 min, float width) {
    std::string text;
    ImU32 bg = 0, ink = palette::kInk;
    if (!view_.error.message.empty()) {
        // Known codes have a catalogue text; anything else says it was not done (the English
        // message is in the log).
        text = ui.translator.tr_error(ui.lang, view_.error);
        bg = palette::kErrorBg;
        ink = palette::kErrorInk;
    } else if (!view_.notice.empty()) {
        text = ui.t(view_.notice, view_.notice_args);
        bg = palette::kOkBg;
        ink = palette::kOkInk;
    } else if (view_.busy) {
        text = ui.t("infopoint.working");
        bg = palette::kInfoBg;
    }
    if (text.empty()) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = ui.px(60);
    dl->AddRectFilled(min, {min.x + width, min.y + h}, bg, ui.px(12));
    dl->PushClipRect(min, {min.x + width, min.y + h}, true);
    draw_text(dl, ui.fonts.bold, {min.x + ui.px(24), min.y + (h - ui.fonts.bold->FontSize) / 2}, ink, text);
    dl->PopClipRect();
}

void InfopointScreen::draw_countdown(FrameContext& ui) {
    if (view_.countdown <= 0) return;
    // Over everything: amber band with the seconds left and a bar; any touch keeps the session.
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    const float w = std::min(ui.size.x - ui.px(160), ui.px(1200)), h = ui.px(230);
    const ImVec2 min{(ui.size.x - w) / 2, (ui.size.y - h) / 2};
    dl->AddRectFilled({0, 0}, ui.size, IM_COL32(0x10, 0x20, 0x30, 0x60));
    dl->AddRectFilled(min, {min.x + w, min.y + h}, palette::kWarnBg, ui.px(20));
    dl->AddRect(min, {min.x + w, min.y + h}, palette::kWarnEdge, ui.px(20), 0, ui.px(5));
    const std::string line = ui.tc("infopoint.countdown", view_.countdown);
    const ImVec2 s = text_size(ui.fonts.title, line);
    draw_text(dl, ui.fonts.title, {min.x + (w - s.x) / 2, min.y + ui.px(30)}, palette::kWarnInk, line);
    const std::string hint = ui.t("infopoint.countdown.hint");
    const ImVec2 hs = text_size(ui.fonts.body, hint);
    draw_text(dl, ui.fonts.body, {min.x + (w - hs.x) / 2, min.y + ui.px(40) + s.y}, palette::kWarnInk, hint);
    const float frac = view_.countdown_total > 0 ? float(view_.countdown) / float(view_.countdown_total) : 0.f;
    const ImVec2 bar{min.x + ui.px(40), min.y + h - ui.px(50)};
    dl->AddRectFilled(bar, {min.x + w - ui.px(40), bar.y + ui.px(18)}, IM_COL32_WHITE, ui.px(9));
    dl->AddRectFilled(bar, {bar.x + (w - ui.px(80)) * frac, bar.y + ui.px(18)}, palette::kWarnEdge, ui.px(9));
    ui.hit("countdown", min, {min.x + w, min.y + h});
}

bool InfopointScreen::text_field(FrameContext& ui, const char* id, char* buf, std::size_t size, ImVec2 min, float width,
                                 int flags) {
    const float h = ui.px(84);
    ImGui::SetCursorScreenPos(min);
    ImGui::PushFont(ui.fonts.body);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, {ui.px(18), (h - ui.fonts.body->FontSize) / 2});
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, ui.px(12));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, ui.px(3));
    ImGui::PushStyleColor(ImGuiCol_FrameBg, palette::kCard);
    ImGui::PushStyleColor(ImGuiCol_Border, palette::kAccent);
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kInk);
    ImGui::SetNextItemWidth(width);
    const bool entered = ImGui::InputText(id, buf, size, flags | ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::PopStyleColor(3);
    ImGui::PopStyleVar(3);
    ImGui::PopFont();
    ui.hit(std::string("field:") + (id[0] == '#' ? id + 2 : id), min, {min.x + width, min.y + h});
    return entered;
}

void InfopointScreen::draw_ticket_card(FrameContext& ui, const InfoTicketView& t, ImVec2 min, ImVec2 size,
                                       const std::string& prefix) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max{min.x + size.x, min.y + size.y};
    dl->AddRectFilled(min, max, palette::kCard, ui.px(18));
    dl->AddRect(min, max, palette::kBorder, ui.px(18), 0, ui.px(2));
    // Tall: the buttons under the text; short (a search result): the buttons on the right.
    const bool compact = size.y < ui.px(300);
    const float btn_h = ui.px(76), btn_w = compact ? ui.px(270) : (size.x - ui.px(60)) / 2;
    const float num_w = ui.px(compact ? 190 : 260);
    const float num_h = compact ? size.y - ui.px(40) : size.y - btn_h - ui.px(60);
    // The number in the sector's colours (the same pair as the entrance and the display).
    const ImVec2 nmin{min.x + ui.px(20), min.y + ui.px(20)};
    dl->AddRectFilled(nmin, {nmin.x + num_w, nmin.y + num_h}, rgb(t.colour), ui.px(14));
    ImFont* nf = text_size(ui.fonts.title, t.label).x < num_w - ui.px(16) ? ui.fonts.title : ui.fonts.heading;
    const ImVec2 ls = text_size(nf, t.label);
    draw_text(dl, nf, {nmin.x + (num_w - ls.x) / 2, nmin.y + (num_h - ls.y) / 2}, rgb(t.text), t.label);
    // What it is and where it stands.
    const float tx = nmin.x + num_w + ui.px(24);
    const float tright = compact ? max.x - btn_w - ui.px(36) : max.x - ui.px(20);
    const float tw = tright - tx;
    float y = min.y + ui.px(16);
    dl->PushClipRect({tx, min.y}, {tright, max.y}, true);
    y += draw_text(dl, ui.fonts.bold, {tx, y}, palette::kInk, t.sector_name).y;
    if (!t.service_name.empty()) y += draw_text(dl, ui.fonts.small, {tx, y}, palette::kInkSoft, t.service_name, tw).y;
    if (!t.priority_name.empty())
        y += draw_text(dl, ui.fonts.small, {tx, y}, palette::kInk, ui.t("infopoint.priority.is", {{"class", t.priority_name}}), tw).y;
    std::string state = ui.t(t.status_key, {{"counter", std::to_string(t.counter)}});
    if (t.waiting) {
        state += " · " + ui.t("infopoint.ticket.ahead", {{"count", std::to_string(t.people_ahead)}});
        if (t.wait) state += " · " + wait_text(ui, *t.wait);
    }
    y += draw_text(dl, ui.fonts.small, {tx, y}, palette::kInkSoft, state, tw).y;
    if (!t.print_state.empty()) {
        const bool bad = t.print_state == "failed" || t.print_state == "entrance_failed";
        draw_text(dl, ui.fonts.small, {tx, y}, bad ? palette::kErrorInk : palette::kOkInk,
                  ui.t("infopoint.print." + t.print_state), tw);
    }
    dl->PopClipRect();
    // Reprint; cancel while it waits.
    const ImVec2 b1 = compact ? ImVec2{max.x - ui.px(20) - btn_w, min.y + ui.px(20)}
                              : ImVec2{min.x + ui.px(20), max.y - ui.px(20) - btn_h};
    const ImVec2 b2 = compact ? ImVec2{b1.x, max.y - ui.px(20) - btn_h} : ImVec2{b1.x + btn_w + ui.px(20), b1.y};
    if (big_button(ui, prefix + "reprint", b1, {btn_w, btn_h}, ui.icons.print, ui.t("infopoint.reprint"), false))
        intents_.reprint(t.id);
    if (t.waiting && big_button(ui, prefix + "cancel", b2, {btn_w, btn_h}, "", ui.t("infopoint.cancel"), false))
        intents_.ask_cancel(t.id);
}

void InfopointScreen::draw_cancel_dialog(FrameContext& ui) {
    // A modal over the page: which reason; the ticket's number in the title.
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    const InfoTicketView* t = view_.last && view_.last->id == view_.cancel_for ? &*view_.last
                              : view_.found && view_.found->id == view_.cancel_for ? &*view_.found
                                                                                   : nullptr;
    const float w = ui.px(1000), bh = ui.px(84), gap = ui.px(16);
    const std::string title = ui.t("infopoint.cancel.title", {{"ticket", t ? t->label : std::string()}});
    const float title_h = text_size(ui.fonts.heading, title, w - ui.px(80)).y;
    const float h = ui.px(100) + title_h + (view_.cancel_reasons.size() + 1) * (bh + gap);
    const ImVec2 min{(ui.size.x - w) / 2, (ui.size.y - h) / 2};
    dl->AddRectFilled({0, 0}, ui.size, IM_COL32(0x10, 0x20, 0x30, 0x80));
    dl->AddRectFilled(min, {min.x + w, min.y + h}, palette::kCard, ui.px(20));
    draw_text(dl, ui.fonts.heading, {min.x + ui.px(40), min.y + ui.px(36)}, palette::kInk, title, w - ui.px(80));
    // The look goes on the foreground list (over the page); the touch targets are the window's.
    float y = min.y + ui.px(64) + title_h;
    for (const auto& [key, label] : view_.cancel_reasons) {
        const ImVec2 b{min.x + ui.px(40), y};
        const Touch tt = touch_target(ui, "reason:" + key, b, {w - ui.px(80), bh});
        dl->AddRectFilled(b, {b.x + w - ui.px(80), b.y + bh}, palette::kCard, ui.px(14));
        dl->AddRect(b, {b.x + w - ui.px(80), b.y + bh}, palette::kAccent, ui.px(14), 0, ui.px(tt.held ? 6 : 3));
        draw_text(dl, ui.fonts.bold, {b.x + ui.px(28), b.y + (bh - ui.fonts.bold->FontSize) / 2}, palette::kAccent, label);
        if (tt.tapped) intents_.cancel_with(key);
        y += bh + gap;
    }
    const ImVec2 b{min.x + ui.px(40), y};
    const Touch back = touch_target(ui, "dialog:close", b, {w - ui.px(80), bh});
    dl->AddRectFilled(b, {b.x + w - ui.px(80), b.y + bh}, palette::kAccent, ui.px(14));
    const std::string keep = ui.t("infopoint.cancel.keep");
    const ImVec2 ks = text_size(ui.fonts.bold, keep);
    draw_text(dl, ui.fonts.bold, {b.x + (w - ui.px(80) - ks.x) / 2, b.y + (bh - ks.y) / 2}, IM_COL32_WHITE, keep);
    if (back.tapped) intents_.close_dialog();
}

}  // namespace csc::gui
