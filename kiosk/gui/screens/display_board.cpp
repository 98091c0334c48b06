// The queue display's board. Each call shows colour + text + icon (never colour alone), and
// every text on a sector colour uses that sector's text colour (≥ 4.5:1, checked at config
// load). The newest call blinks by swapping its two colours, which keeps the contrast.
#include <algorithm>
#include <cmath>

#include "kiosk/gui/screens/display_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {


std::string counter_title(const FrameContext& ui, const CallView& c) {
    return c.counter_name.empty() ? ui.t("display.counter") : c.counter_name;
}

std::string waiting_text(const FrameContext& ui, int waiting) {
    if (waiting <= 0) return ui.t("home.waiting.none");
    return ui.tc("home.waiting", waiting);
}

}  // namespace

void DisplayBoard::draw_content(FrameContext& ui) {
    // The page (palette::kPage) is the backend's clear colour: no full-screen fill here.
    const std::string date = long_date(ui, view_.weekday, view_.day, view_.month);
    const float top = draw_header(ui, view_.town, view_.office, view_.time, date,
                                  view_.link_flag.empty() ? std::string() : ui.t(view_.link_flag));
    const float ticker_h = ui.px(104);
    const float ticker_top = ui.size.y - ticker_h;
    draw_ticker(ui, ticker_top);

    const float margin = ui.px(48), gap = ui.px(40);
    const float body_top = top + ui.px(32), body_bottom = ticker_top - ui.px(32);
    const float calls_w = std::round((ui.size.x - 2 * margin - gap) * 0.64f);
    draw_calls(ui, {margin, body_top}, {margin + calls_w, body_bottom});
    // The side panel: the waits take the top half, the communication zone's page the rest; a
    // call being announced pre-empts the page (the waits take the column again).
    const float side_x = margin + calls_w + gap;
    if (view_.panel_item && !view_.highlight) {
        const float split = std::round(body_top + (body_bottom - body_top) * 0.5f);
        draw_sectors(ui, {side_x, body_top}, {ui.size.x - margin, split});
        draw_content_card(ui, *view_.panel_item, {side_x, split + gap / 2}, {ui.size.x - margin, body_bottom});
    } else {
        draw_sectors(ui, {side_x, body_top}, {ui.size.x - margin, body_bottom});
    }
}

void DisplayBoard::draw_calls(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // Column titles over the list: "Numero" … "Sportello".
    const float title_h = ui.fonts.bold->FontSize + ui.px(16);
    draw_text(dl, ui.fonts.bold, {min.x + ui.px(8), min.y}, palette::kInkSoft, ui.t("display.ticket"));
    const std::string ct = ui.t("display.counter");
    draw_text(dl, ui.fonts.bold, {max.x - ui.px(8) - text_size(ui.fonts.bold, ct).x, min.y}, palette::kInkSoft, ct);
    min.y += title_h;

    if (view_.calls.empty()) {
        dl->AddRectFilled(min, max, palette::kCard, ui.px(22));
        dl->AddRect(min, max, palette::kBorder, ui.px(22), 0, ui.px(2));
        float y = min.y + (max.y - min.y) / 2 - ui.px(110);
        if (!ui.icons.clock.empty())
            y += draw_text_centred(dl, ui.fonts.icon, (min.x + max.x) / 2, y, palette::kInkSoft, ui.icons.clock).y +
                 ui.px(24);
        draw_paragraph_centred(dl, ui.fonts.title, min.x + ui.px(40), max.x - min.x - ui.px(80), y, palette::kInk,
                               ui.t("display.no_calls"));
        return;
    }

    const float gap = ui.px(18);
    const int older = static_cast<int>(view_.calls.size()) - 1;
    const float avail = max.y - min.y;
    // Older calls stay ≥ ~100 px tall (readable from 5 m): in two columns when one is too long.
    const float older_avail = avail * 0.58f;
    const int cols = older > 0 && older * (ui.px(104) + gap) > older_avail + gap ? 2 : 1;
    const int rows = older > 0 ? (older + cols - 1) / cols : 0;
    const float older_h = rows > 0 ? std::min(ui.px(120), (older_avail - rows * gap) / rows) : 0;
    const float newest_h = avail - rows * (older_h + gap);
    draw_newest(ui, view_.calls.front(), min, {max.x, min.y + newest_h});
    const float col_w = (max.x - min.x - (cols - 1) * gap) / cols;
    for (int i = 1; i <= older; ++i) {
        // Newest first, down the first column, then the second.
        const int r = (i - 1) % rows, c = (i - 1) / rows;
        const float x = min.x + c * (col_w + gap);
        const float y = min.y + newest_h + gap + r * (older_h + gap);
        draw_older(ui, view_.calls[std::size_t(i)], {x, y}, {x + col_w, y + older_h});
    }
}

void DisplayBoard::draw_newest(FrameContext& ui, const CallView& c, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool inv = view_.highlight && view_.highlight_inverted;
    const ImU32 bg = inv ? rgb(c.text) : rgb(c.colour);
    const ImU32 ink = inv ? rgb(c.colour) : rgb(c.text);
    const float r = ui.px(26);
    // The shadow below the opaque card: only its visible band is filled (the rest of a
    // full-size shadow would be hidden by the card, and cost fill under software rendering).
    dl->AddRectFilled({min.x, max.y - r}, {max.x, max.y + ui.px(8)}, palette::kShadow, r,
                      ImDrawFlags_RoundCornersBottom);
    dl->AddRectFilled(min, max, bg, r);
    if (view_.highlight) dl->AddRect(min, max, rgb(c.colour), r, 0, ui.px(8));  // edge stays visible when inverted

    const float pad = ui.px(44);
    // Top line: sector icon and name (and "recall" when it is one).
    std::string line = c.icon.empty() ? c.sector_name : c.icon + "  " + c.sector_name;
    if (c.recalled) line += "  ·  " + ui.t("display.recall");
    dl->PushClipRect(min, max, true);
    draw_text(dl, ui.fonts.heading, {min.x + pad, min.y + ui.px(28)}, ink, line);
    const float content_top = min.y + ui.px(28) + ui.fonts.heading->FontSize + ui.px(8);

    // Number → counter, as large as the card allows (≤ 230 design px ≈ 8 cm on a 42" TV).
    const float w = max.x - min.x - 2 * pad;
    const std::string counter = std::to_string(c.counter);
    const std::string arrow = ui.icons.chevron_right;
    const float arrow_w = arrow.empty() ? ui.px(40) : text_size(ui.fonts.icon, arrow).x + ui.px(40);
    const float counter_title_h = ui.fonts.bold->FontSize + ui.px(4);
    float size = std::min(ui.px(230), (max.y - content_top - ui.px(24) - counter_title_h * 0.0f) * 0.95f);
    const float label_w = sized_text_size(ui.fonts.huge, size, c.label).x;
    const float counter_w = std::max(sized_text_size(ui.fonts.huge, size, counter).x, ui.px(150));
    if (label_w + arrow_w + counter_w > w) size *= w / (label_w + arrow_w + counter_w);
    const ImVec2 ls = sized_text_size(ui.fonts.huge, size, c.label);
    const float y = content_top + (max.y - content_top - ls.y) / 2;
    draw_sized(dl, ui.fonts.huge, size, {min.x + pad, y}, ink, c.label);
    if (!arrow.empty()) {
        const ImVec2 as = text_size(ui.fonts.icon, arrow);
        draw_text(dl, ui.fonts.icon, {min.x + pad + ls.x + ui.px(20), y + (ls.y - as.y) / 2}, ink, arrow);
    }
    // Counter block, right-aligned: "Sportello" over the number.
    const std::string title = counter_title(ui, c);
    const ImVec2 cs = sized_text_size(ui.fonts.huge, size, counter);
    const float right = max.x - pad;
    const ImVec2 ts = text_size(ui.fonts.bold, title);
    const float block_w = std::max(cs.x, ts.x);
    draw_text(dl, ui.fonts.bold, {right - block_w / 2 - ts.x / 2, y - ui.px(6)}, ink, title);
    draw_sized(dl, ui.fonts.huge, size, {right - block_w / 2 - cs.x / 2, y + ui.px(14)}, ink, counter);
    dl->PopClipRect();
}

void DisplayBoard::draw_older(FrameContext& ui, const CallView& c, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = ui.px(18);
    const float h = max.y - min.y;
    dl->AddRectFilled(min, max, palette::kCard, r);
    dl->AddRect(min, max, palette::kBorder, r, 0, ui.px(2));
    // Sector tab: colour + icon (or letter), in the sector's own contrast pair.
    const float tab_w = std::min(h * 1.1f, ui.px(130));
    dl->AddRectFilled(min, {min.x + tab_w, max.y}, rgb(c.colour), r, ImDrawFlags_RoundCornersLeft);
    {
        ImFont* f = c.icon.empty() ? ui.fonts.title : ui.fonts.icon;
        const std::string& g = c.icon.empty() ? c.label.substr(0, 1) : c.icon;
        const float gs = std::min(f->FontSize, h * 0.6f);
        const ImVec2 s = sized_text_size(f, gs, g);
        draw_sized(dl, f, gs, {min.x + (tab_w - s.x) / 2, min.y + (h - s.y) / 2}, rgb(c.text), g);
    }
    const float pad = ui.px(32);
    const float size = std::min(ui.px(100), h * 0.86f);
    const ImVec2 ls = sized_text_size(ui.fonts.huge, size, c.label);
    const float y = min.y + (h - ls.y) / 2;
    dl->PushClipRect(min, max, true);
    draw_sized(dl, ui.fonts.huge, size, {min.x + tab_w + pad, y}, palette::kInk, c.label);
    // Right: the counter number, "Sportello" before it and the sector name after the number,
    // each only when there is room (a narrow column keeps number → counter).
    const std::string counter = std::to_string(c.counter);
    const ImVec2 cs = sized_text_size(ui.fonts.huge, size, counter);
    const float counter_x = max.x - pad - cs.x;
    const float label_end = min.x + tab_w + pad + ls.x;
    const std::string title = counter_title(ui, c);
    const ImVec2 ts = text_size(ui.fonts.body, title);
    float free_left = counter_x - ui.px(20);
    if (free_left - ts.x > label_end + ui.px(24)) {
        draw_text(dl, ui.fonts.body, {free_left - ts.x, min.y + (h - ts.y) / 2}, palette::kInkSoft, title);
        free_left -= ts.x + ui.px(24);
    } else {
        // No room for the word: a rule sets the counter apart from the number (the column
        // heading says "Sportello").
        const float x = std::round((label_end + counter_x) / 2);
        dl->AddLine({x, min.y + h * 0.2f}, {x, max.y - h * 0.2f}, palette::kBorder, ui.px(3));
        free_left = label_end;
    }
    const float name_x = label_end + ui.px(36);
    if (free_left - name_x > ui.px(120)) {
        dl->PushClipRect({name_x, min.y}, {free_left, max.y}, true);
        draw_text(dl, ui.fonts.body, {name_x, min.y + (h - ui.fonts.body->FontSize) / 2}, palette::kInkSoft,
                  c.sector_name);
        dl->PopClipRect();
    }
    draw_sized(dl, ui.fonts.huge, size, {counter_x, y}, palette::kInk, counter);
    dl->PopClipRect();
}

void DisplayBoard::draw_sectors(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::string heading = ui.icons.users.empty() ? ui.t("display.waiting") : ui.icons.users + "  " + ui.t("display.waiting");
    draw_text(dl, ui.fonts.bold, {min.x + ui.px(8), min.y}, palette::kInkSoft, heading);
    min.y += ui.fonts.bold->FontSize + ui.px(16);

    if (!view_.open) {
        const float h = ui.fonts.bold->FontSize + ui.px(28);
        dl->AddRectFilled(min, {max.x, min.y + h}, palette::kWarnBg, ui.px(14));
        draw_text(dl, ui.fonts.bold, {min.x + ui.px(20), min.y + ui.px(14)}, palette::kWarnInk, ui.t("home.closed"));
        min.y += h + ui.px(18);
    }
    if (view_.sectors.empty()) {
        draw_paragraph_centred(dl, ui.fonts.body, min.x, max.x - min.x, min.y + ui.px(40), palette::kInkSoft,
                               ui.t("display.no_sectors"));
        return;
    }
    const int n = static_cast<int>(view_.sectors.size());
    const float gap = ui.px(16);
    const float card_h = std::min(ui.px(190), ((max.y - min.y) - (n - 1) * gap) / n);
    float y = min.y;
    for (const auto& s : view_.sectors) {
        const ImVec2 a{min.x, y}, b{max.x, y + card_h};
        const ImU32 bg = rgb(s.colour), ink = rgb(s.text);
        dl->AddRectFilled(a, b, bg, ui.px(18));
        dl->PushClipRect(a, b, true);
        const float pad = ui.px(26);
        // Left: icon and name; right: the waiting count, large; under the name: the forecast.
        const std::string count = std::to_string(s.waiting);
        const float count_size = std::min(ui.px(110), card_h * 0.62f);
        const ImVec2 cs = sized_text_size(ui.fonts.huge, count_size, count);
        draw_sized(dl, ui.fonts.huge, count_size, {b.x - pad - cs.x, a.y + (card_h - cs.y) / 2}, ink, count);
        const float text_w = b.x - pad - cs.x - ui.px(24) - (a.x + pad);
        std::string name = s.icon.empty() ? s.letter + "  " + s.name : s.icon + "  " + s.name;
        ImFont* nf = ui.fonts.heading;
        if (text_size(nf, name).x > text_w) nf = ui.fonts.bold;
        if (text_size(nf, name).x > text_w) nf = ui.fonts.body;  // long names stay whole when they can
        const bool two_lines = card_h > ui.px(120);
        const float name_y = two_lines ? a.y + card_h / 2 - nf->FontSize - ui.px(2) : a.y + (card_h - nf->FontSize) / 2;
        dl->PushClipRect(a, {a.x + pad + text_w, b.y}, true);
        draw_text(dl, nf, {a.x + pad, name_y}, ink, name);
        if (two_lines) {
            // "4 in attesa · Attesa 10–25 min" whole when it fits (smaller type if need be);
            // else only the wait (the count is on the right, large), never cut off mid-word.
            const std::string waiting = waiting_text(ui, s.waiting);
            const std::string wait = s.forecast && s.waiting > 0 ? forecast_text(ui, *s.forecast) : std::string();
            std::vector<std::string> choices{wait.empty() ? waiting : waiting + "  ·  " + wait};
            if (!wait.empty()) choices.push_back(wait);
            std::string sub = choices.back();
            ImFont* sf = ui.fonts.small;
            for (const auto& text : choices) {
                if (ImFont* f = text_size(ui.fonts.body, text).x <= text_w ? ui.fonts.body
                                : text_size(ui.fonts.small, text).x <= text_w ? ui.fonts.small
                                                                              : nullptr) {
                    sub = text;
                    sf = f;
                    break;
                }
            }
            draw_text(dl, sf, {a.x + pad, a.y + card_h / 2 + ui.px(8)}, ink, sub);
        }
        dl->PopClipRect();
        dl->PopClipRect();
        y += card_h + gap;
    }
}

void DisplayBoard::draw_ticker(FrameContext& ui, float top) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled({0, top}, {ui.size.x, ui.size.y}, palette::kHeader);
    dl->AddRectFilled({0, top}, {ui.size.x, top + ui.px(6)}, palette::kHeaderRule);
    const std::string text =
        view_.ticker.empty() ? ui.t("display.ticker.default", {{"office", view_.office}}) : view_.ticker;
    // A line too long for the screen is shown a page at a time (no scrolling: an idle display
    // draws nothing between pages).
    ImFont* f = ui.fonts.heading;
    const float x = ui.px(48), w = ui.size.x - 2 * x;
    std::vector<std::string_view> pages;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
        const char* e = f->CalcWordWrapPositionA(1.0f, p, end, w);
        if (e == p) e = p + 1;
        std::string_view page(p, static_cast<std::size_t>(e - p));
        while (!page.empty() && (page.back() == ' ' || page.back() == '\n')) page.remove_suffix(1);
        if (!page.empty()) pages.push_back(page);
        p = e;
        while (p < end && (*p == ' ' || *p == '\n')) ++p;
    }
    ticker_pages_ = std::max<int>(1, static_cast<int>(pages.size()));
    if (pages.empty()) return;
    const auto page = pages[std::size_t(view_.ticker_page % ticker_pages_)];
    draw_text(dl, f, {x, top + ui.px(6) + (ui.size.y - top - ui.px(6) - f->FontSize) / 2}, IM_COL32_WHITE, page);
}

}  // namespace csc::gui
