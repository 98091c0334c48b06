// The information totem's page. Portrait 1080×1920 design: header, the item card (~55% of the
// height), the page controls, today's waits per sector. An item's kind is a labelled pill
// (colour and word); an urgent notice has a red edge and says "urgent" in words too.
#include <algorithm>
#include <cmath>

#include "kiosk/gui/screens/totem_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void TotemPage::draw_content(FrameContext& ui) {
    const std::string date = long_date(ui, view_.weekday, view_.day, view_.month);
    const float top = draw_header(ui, view_.town, view_.office, view_.time, date,
                                  view_.link_flag.empty() ? std::string() : ui.t(view_.link_flag));
    const float margin = ui.px(48);
    const float card_top = top + ui.px(36);
    const float card_bottom = std::round(top + (ui.size.y - top) * 0.55f);
    const ImVec2 min{margin, card_top}, max{ui.size.x - margin, card_bottom};
    if (view_.call) draw_call(ui, *view_.call, min, max);
    else if (view_.choosing_language) draw_language_list(ui, min, max);
    else if (view_.item) draw_content_card(ui, *view_.item, min, max);
    else draw_welcome(ui, min, max);
    const float pager_top = card_bottom + ui.px(64), pager_h = ui.px(104);
    if (!view_.call) draw_pager(ui, {margin, pager_top}, {max.x, pager_top + pager_h});
    draw_waits(ui, {margin, pager_top + pager_h + ui.px(24)}, {max.x, ui.size.y - ui.px(40)});
}

void TotemPage::draw_welcome(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = ui.px(26);
    dl->AddRectFilled(min, max, palette::kHeader, r);
    const float pad = ui.px(64);
    float y = min.y + (max.y - min.y) * 0.28f;
    y += draw_paragraph_centred(dl, ui.fonts.title, min.x + pad, max.x - min.x - 2 * pad, y, IM_COL32_WHITE,
                                ui.t("totem.welcome", {{"office", view_.office}})) + ui.px(40);
    const std::string hours = view_.hours_today.empty() ? ui.t("display.ticker.closed_today")
                                                         : ui.t("display.ticker.hours", {{"hours", view_.hours_today}});
    y += draw_paragraph_centred(dl, ui.fonts.heading, min.x + pad, max.x - min.x - 2 * pad, y, palette::kHeaderSoft, hours) +
         ui.px(40);
    draw_paragraph_centred(dl, ui.fonts.body, min.x + pad, max.x - min.x - 2 * pad, y, palette::kHeaderSoft,
                           ui.t("totem.keep_ticket"));
}

void TotemPage::draw_call(FrameContext& ui, const CallView& c, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 bg = rgb(c.colour), ink = rgb(c.text);
    const float r = ui.px(26);
    dl->AddRectFilled(min, max, bg, r);
    const float pad = ui.px(56);
    dl->PushClipRect(min, max, true);
    float y = min.y + ui.px(48);
    const std::string line = c.icon.empty() ? c.sector_name : c.icon + "  " + c.sector_name;
    y += draw_text(dl, ui.fonts.heading, {min.x + pad, y}, ink, line).y + ui.px(20);
    const std::string heading = c.recalled ? ui.t("totem.call.again") : ui.t("totem.call");
    y += draw_text(dl, ui.fonts.title, {min.x + pad, y}, ink, heading, max.x - min.x - 2 * pad).y + ui.px(24);
    // The number and the counter, one under the other, as large as the card allows.
    const std::string counter = std::to_string(c.counter);
    const float w = max.x - min.x - 2 * pad;
    const float room = max.y - pad - y;
    float size = std::min(ui.px(300), room * 0.48f);
    const float lw = sized_text_size(ui.fonts.huge, size, c.label).x;
    if (lw > w) size *= w / lw;
    y += std::max(0.0f, (room - size * 2.04f) / 2);  // the block centred in the room left
    draw_sized(dl, ui.fonts.huge, size, {min.x + (max.x - min.x - sized_text_size(ui.fonts.huge, size, c.label).x) / 2, y}, ink,
               c.label);
    y += size * 1.02f;
    const std::string title = c.counter_name.empty() ? ui.t("display.counter") : c.counter_name;
    const ImVec2 ts = text_size(ui.fonts.title, title);
    const ImVec2 cs = sized_text_size(ui.fonts.huge, size, counter);
    const float total = ts.x + ui.px(36) + cs.x;
    const float x = min.x + (max.x - min.x - total) / 2;
    draw_text(dl, ui.fonts.title, {x, y + (cs.y - ts.y) / 2}, ink, title);
    draw_sized(dl, ui.fonts.huge, size, {x + ts.x + ui.px(36), y}, ink, counter);
    dl->PopClipRect();
}

void TotemPage::draw_pager(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = max.y - min.y, gap = ui.px(20);
    const bool paging = view_.pages > 1 && !view_.choosing_language;
    const float bw = paging ? ui.px(270) : 0;
    if (paging) {
        if (big_button(ui, "page:previous", min, {bw, h}, ui.icons.chevron_left, ui.t("totem.previous"), false))
            intents_.previous_page();
        if (big_button(ui, "page:next", {max.x - bw, min.y}, {bw, h}, ui.icons.chevron_right, ui.t("totem.next"), false))
            intents_.next_page();
        // Where this item is in the loop, above the row: dots (up to 12) and "3 of 5" in words.
        const int n = std::min(view_.pages, 12);
        const float dot = ui.px(9), step = ui.px(28);
        const std::string where =
            ui.t("totem.page", {{"page", std::to_string(view_.page + 1)}, {"pages", std::to_string(view_.pages)}});
        const ImVec2 ws = text_size(ui.fonts.small, where);
        const float total = (n - 1) * step + 2 * dot + ui.px(24) + ws.x;
        const float x0 = (min.x + max.x - total) / 2 + dot, cy = min.y - ui.px(32);
        for (int i = 0; i < n; ++i) {
            const ImVec2 c{x0 + i * step, cy};
            if (i == view_.page % 12) dl->AddCircleFilled(c, dot, palette::kAccent);
            else dl->AddCircle(c, dot, palette::kInkSoft, 0, ui.px(3));
        }
        draw_text(dl, ui.fonts.small, {x0 + (n - 1) * step + dot + ui.px(24), cy - ws.y / 2}, palette::kInkSoft, where);
    }
    // The language, in its own name, between the two: the list opens in the card's place.
    std::string current;
    for (const auto& [code, own] : view_.languages)
        if (code == view_.lang) current = own;
    if (view_.languages.size() > 1) {
        const float x = paging ? min.x + bw + gap : min.x + (max.x - min.x) / 4;
        const float w = paging ? max.x - min.x - 2 * (bw + gap) : (max.x - min.x) / 2;
        if (big_button(ui, "languages", {x, min.y}, {w, h}, ui.icons.language, current, view_.choosing_language))
            intents_.open_languages();
    }
}

void TotemPage::draw_language_list(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = ui.px(26), pad = ui.px(40);
    dl->AddRectFilled(min, max, palette::kCard, r);
    dl->AddRect(min, max, palette::kBorder, r, 0, ui.px(2));
    const std::string title = ui.icons.language.empty() ? ui.t("home.language") : ui.icons.language + "  " + ui.t("home.language");
    draw_text(dl, ui.fonts.heading, {min.x + pad, min.y + pad}, palette::kInk, title);
    // Two columns of buttons, each language in its own name; the one shown now filled.
    const int n = static_cast<int>(view_.languages.size());
    const int rows = (n + 1) / 2;
    const float top = min.y + pad + ui.fonts.heading->FontSize + ui.px(32), gap = ui.px(20);
    const float bw = (max.x - min.x - 2 * pad - gap) / 2;
    const float bh = std::min(ui.px(110), (max.y - pad - top - (rows - 1) * gap) / std::max(1, rows));
    for (int i = 0; i < n; ++i) {
        const auto& [code, own] = view_.languages[std::size_t(i)];
        const ImVec2 at{min.x + pad + (i % 2) * (bw + gap), top + (i / 2) * (bh + gap)};
        if (big_button(ui, "lang:" + code, at, {bw, bh}, code == view_.lang ? ui.icons.check : "", own, code == view_.lang))
            intents_.choose_language(code);
    }
}

void TotemPage::draw_waits(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::string heading = ui.icons.users.empty() ? ui.t("totem.waits") : ui.icons.users + "  " + ui.t("totem.waits");
    draw_text(dl, ui.fonts.heading, {min.x + ui.px(4), min.y}, palette::kInk, heading);
    min.y += ui.fonts.heading->FontSize + ui.px(20);
    if (!view_.open) {
        const std::string hours = view_.hours_today.empty() ? ui.t("display.ticker.closed_today")
                                                             : ui.t("display.ticker.hours", {{"hours", view_.hours_today}});
        const std::string text = ui.t("home.closed") + "  ·  " + hours;
        const ImVec2 s = text_size(ui.fonts.bold, text, max.x - min.x - ui.px(40));
        dl->AddRectFilled(min, {max.x, min.y + s.y + ui.px(28)}, palette::kWarnBg, ui.px(14));
        draw_text(dl, ui.fonts.bold, {min.x + ui.px(20), min.y + ui.px(14)}, palette::kWarnInk, text, max.x - min.x - ui.px(40));
        min.y += s.y + ui.px(28) + ui.px(18);
    }
    if (view_.sectors.empty()) return;
    // Two columns of sector tiles: colour + icon + name (never colour alone), the count large.
    const int n = static_cast<int>(view_.sectors.size());
    // One column (a long name such as "Sportello polifunzionale" stays whole) unless the rows
    // would be too low to read: then two.
    const float one_col_h = (max.y - min.y - (n - 1) * ui.px(20)) / n;
    const int cols = one_col_h >= ui.px(100) ? 1 : 2, rows = (n + cols - 1) / cols;
    const float gap = ui.px(20);
    const float tile_w = (max.x - min.x - (cols - 1) * gap) / cols;
    const float tile_h = std::min(ui.px(170), (max.y - min.y - (rows - 1) * gap) / rows);
    for (int i = 0; i < n; ++i) {
        const auto& s = view_.sectors[std::size_t(i)];
        const float x = min.x + (i % cols) * (tile_w + gap), y = min.y + (i / cols) * (tile_h + gap);
        const ImVec2 a{x, y}, b{x + tile_w, y + tile_h};
        const ImU32 ink = rgb(s.text);
        dl->AddRectFilled(a, b, rgb(s.colour), ui.px(18));
        dl->PushClipRect(a, b, true);
        const float pad = ui.px(24);
        const std::string count = std::to_string(s.waiting);
        const float count_size = std::min(ui.px(96), tile_h * 0.6f);
        const ImVec2 cs = sized_text_size(ui.fonts.huge, count_size, count);
        draw_sized(dl, ui.fonts.huge, count_size, {b.x - pad - cs.x, a.y + (tile_h - cs.y) / 2}, ink, count);
        const float text_w = b.x - pad - cs.x - ui.px(20) - (a.x + pad);
        dl->PushClipRect(a, {a.x + pad + text_w, b.y}, true);
        const std::string name = s.icon.empty() ? s.letter + "  " + s.name : s.icon + "  " + s.name;
        ImFont* nf = ui.fonts.bold;  // a long name in smaller type before it is cut
        for (ImFont* f : {ui.fonts.body, ui.fonts.small})
            if (text_size(nf, name).x > text_w) nf = f;
        draw_text(dl, nf, {a.x + pad, a.y + tile_h / 2 - nf->FontSize - ui.px(2)}, ink, name);
        const std::string sub = s.waiting <= 0 ? ui.t("home.waiting.none")
                                : s.forecast ? forecast_text(ui, *s.forecast)
                                             : ui.tc("home.waiting", s.waiting);
        draw_text(dl, ui.fonts.small, {a.x + pad, a.y + tile_h / 2 + ui.px(8)}, ink, sub);
        dl->PopClipRect();
        dl->PopClipRect();
    }
}

}  // namespace csc::gui
