// The hidden service menu: pages on the left, the chosen page on the right; the statistics page
// draws its two bar charts with ImGui's draw list (no chart library), readable at arm's length.
#include <algorithm>
#include <cmath>

#include "kiosk/gui/screens/service_menu_screen.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {

ImU32 tone_ink(ServiceTone t) {
    switch (t) {
        case ServiceTone::Ok: return palette::kOkInk;
        case ServiceTone::Warn: return palette::kWarnInk;
        case ServiceTone::Error: return palette::kErrorInk;
        case ServiceTone::Plain: break;
    }
    return palette::kInk;
}

ImU32 tone_bg(ServiceTone t) {
    switch (t) {
        case ServiceTone::Ok: return palette::kOkBg;
        case ServiceTone::Warn: return palette::kWarnBg;
        case ServiceTone::Error: return palette::kErrorBg;
        case ServiceTone::Plain: break;
    }
    return palette::kCard;
}

// Where a chart draws inside its card.
struct ChartArea {
    float inner, top, base;  ///< the card's padding; the plot's top and base line (y)
};

// A chart's card: background, border, title, touch target; where its plot goes.
ChartArea chart_card(FrameContext& ui, ImVec2 min, ImVec2 max, const std::string& title, const std::string& id) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, palette::kCard, ui.px(10));
    dl->AddRect(min, max, palette::kBorder, ui.px(10), 0, ui.px(2));
    const float inner = ui.px(20);
    draw_text(dl, ui.fonts.bold, {min.x + inner, min.y + inner}, palette::kInk, title, max.x - min.x - 2 * inner);
    ui.hit(id, min, max);
    return {inner, min.y + inner + ui.fonts.bold->FontSize + ui.px(16) + ui.fonts.small->FontSize,
            max.y - inner - ui.fonts.small->FontSize - ui.px(8)};
}

}  // namespace

void ServiceMenuScreen::draw_content(FrameContext& ui) {
    if (view_.pattern.shown) return draw_pattern(ui);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float bar_h = ui.px(112), pad = ui.px(36);
    dl->AddRectFilled({0, 0}, {ui.size.x, bar_h}, palette::kHeader);
    const ImVec2 tsz = draw_text(dl, ui.fonts.heading, {pad, ui.px(14)}, IM_COL32_WHITE, view_.title);
    draw_text(dl, ui.fonts.small, {pad, ui.px(14) + tsz.y + ui.px(4)}, palette::kHeaderSoft, view_.subtitle);
    const ImVec2 ts = text_size(ui.fonts.heading, view_.time);
    draw_text(dl, ui.fonts.heading, {ui.size.x - pad - ts.x, (bar_h - ts.y) / 2}, IM_COL32_WHITE, view_.time);
    if (!view_.question.empty()) return draw_question(ui);

    // The pages, one button each, on the left (portrait: a row under the bar).
    const bool portrait = ui.portrait();
    const float nav_w = portrait ? ui.size.x - 2 * pad : ui.px(380);
    const float button_h = ui.px(84), gap = ui.px(14);
    float y = bar_h + pad;
    float content_x = pad, content_y = y;
    if (portrait) {
        // Three to a row: the words fit whole at the body size.
        constexpr std::size_t kPerRow = 3;
        const float per = (nav_w - gap * (kPerRow - 1)) / kPerRow;
        for (std::size_t i = 0; i < view_.pages.size(); ++i) {
            const auto& [id, label] = view_.pages[i];
            const ImVec2 at{pad + static_cast<float>(i % kPerRow) * (per + gap), y + static_cast<float>(i / kPerRow) * (button_h + gap)};
            if (big_button(ui, "service:" + id, at, {per, button_h}, "", label, id == view_.page)) intents_.open_page(id);
        }
        const std::size_t rows = (view_.pages.size() + kPerRow - 1) / kPerRow;
        content_y = y + static_cast<float>(rows) * (button_h + gap) + pad - gap;
    } else {
        for (const auto& [id, label] : view_.pages) {
            if (big_button(ui, "service:" + id, {pad, y}, {nav_w, button_h}, "", label, id == view_.page)) intents_.open_page(id);
            y += button_h + gap;
        }
        content_x = pad + nav_w + pad;
    }
    const float content_w = ui.size.x - content_x - pad;
    float cy = content_y;
    cy += draw_text(dl, ui.fonts.title, {content_x, cy}, palette::kInk, view_.heading, content_w).y + ui.px(20);
    if (view_.loading) {
        draw_text(dl, ui.fonts.body, {content_x, cy}, palette::kInkSoft, ui.t("service_menu.loading"));
        return;
    }
    if (view_.choices_first) cy = draw_choices(ui, content_x, cy, content_w);
    // The page's lines, each on a card tinted by its state (the words say it too). They leave a
    // line of the page's buttons room (a long list, nine languages, must not hide its own toggle).
    const float label_w = content_w * 0.38f;
    const float rows_end = ui.size.y - ui.px(200) - (view_.actions.empty() ? 0.0f : ui.px(84 + 14 + 10));
    for (std::size_t i = 0; i < view_.rows.size(); ++i) {
        const ServiceRow& r = view_.rows[i];
        const float inner = ui.px(18);
        const float value_w = content_w - label_w - 3 * inner;
        const float h = std::max(text_size(ui.fonts.bold, r.label, label_w).y, text_size(ui.fonts.body, r.value, value_w).y) + 2 * inner;
        if (cy + h > rows_end) break;  // the rest would not fit: the newest come first
        dl->AddRectFilled({content_x, cy}, {content_x + content_w, cy + h}, tone_bg(r.tone), ui.px(10));
        dl->AddRect({content_x, cy}, {content_x + content_w, cy + h}, palette::kBorder, ui.px(10), 0, ui.px(2));
        draw_text(dl, ui.fonts.bold, {content_x + inner, cy + inner}, palette::kInk, r.label, label_w);
        draw_text(dl, ui.fonts.body, {content_x + label_w + 2 * inner, cy + inner}, tone_ink(r.tone), r.value, value_w);
        ui.hit("service:row:" + std::to_string(i), {content_x, cy}, {content_x + content_w, cy + h});
        cy += h + ui.px(10);
    }
    if (!view_.note.empty()) cy += draw_text(dl, ui.fonts.body, {content_x, cy + ui.px(8)}, palette::kInkSoft, view_.note, content_w).y + ui.px(24);
    cy = draw_actions(ui, content_x, cy, content_w);
    if (!view_.chart_title.empty()) {
        const float charts = view_.line_title.empty() ? 2.0f : 3.0f;
        const float ch = std::max(ui.px(240), (ui.size.y - ui.px(200) - cy) / charts - ui.px(20));
        draw_chart(ui, {content_x, cy}, {content_x + content_w, cy + ch}, view_.chart_title, view_.chart, "service:chart:hours");
        cy += ch + ui.px(28);
        if (!view_.line_title.empty()) {
            draw_line(ui, {content_x, cy}, {content_x + content_w, cy + ch}, view_.line_title, view_.line, "service:chart:queue");
            cy += ch + ui.px(28);
        }
        draw_chart(ui, {content_x, cy}, {content_x + content_w, cy + ch}, view_.chart2_title, view_.chart2, "service:chart:sectors");
    }

    // Refresh, the countdown when the menu is about to close by itself, and Close.
    const ImVec2 button{ui.px(300), ui.px(88)};
    const float by = ui.size.y - button.y - pad;
    if (big_button(ui, "service:refresh", {content_x, by}, button, ui.icons.check, view_.refresh_label, false)) intents_.refresh();
    if (big_button(ui, "service:close", {ui.size.x - pad - button.x, by}, button, ui.icons.error, view_.close_label, true))
        intents_.close_menu();
    if (!view_.closes_in.empty())
        draw_text(dl, ui.fonts.bold, {content_x + button.x + pad, by + (button.y - ui.fonts.bold->FontSize) / 2}, palette::kWarnInk,
                  view_.closes_in, ui.size.x - content_x - 2 * button.x - 3 * pad);
}

float ServiceMenuScreen::draw_actions(FrameContext& ui, float x, float y, float width) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = ui.px(84), gap = ui.px(14), pad_x = ui.px(36);
    // With a picture (the last ticket's paper), it takes a column on the right, as tall as the
    // room left allows; the outcome, the buttons and the choices keep the left.
    const bool picture = !view_.picture.empty() && ui.textures;
    const float picture_w = picture ? std::min(width * 0.4f, ui.px(430)) : 0;
    if (picture) {
        const float px = x + width - picture_w;
        float py = y + draw_text(dl, ui.fonts.bold, {px, y}, palette::kInk, view_.picture_caption, picture_w).y + ui.px(12);
        const float room_h = ui.size.y - ui.px(160) - py;
        const float k = std::min(picture_w / static_cast<float>(view_.picture.width), room_h / static_cast<float>(view_.picture.height));
        if (k > 0.05f)
            if (ImTextureID tex = ui.textures->texture(view_.picture)) {
                const ImVec2 size{static_cast<float>(view_.picture.width) * k, static_cast<float>(view_.picture.height) * k};
                const float left = px + (picture_w - size.x) / 2;
                dl->AddRectFilled({left - ui.px(8), py - ui.px(8)}, {left + size.x + ui.px(8), py + size.y + ui.px(8)}, palette::kBorder,
                                  ui.px(6));
                {
                    const Upright upright(dl);  // a picture is never shown reflected
                    dl->AddImage(tex, {left, py}, {left + size.x, py + size.y});
                }
                ui.hit("service:preview", {left, py}, {left + size.x, py + size.y});
            }
        width -= picture_w + ui.px(28);
    }
    if (!view_.outcome.empty()) {
        const ImVec2 sz = text_size(ui.fonts.bold, view_.outcome, width - 2 * ui.px(18));
        dl->AddRectFilled({x, y}, {x + width, y + sz.y + 2 * ui.px(14)}, tone_bg(view_.outcome_tone), ui.px(10));
        draw_text(dl, ui.fonts.bold, {x + ui.px(18), y + ui.px(14)}, tone_ink(view_.outcome_tone), view_.outcome, width - 2 * ui.px(18));
        ui.hit("service:outcome", {x, y}, {x + width, y + sz.y + 2 * ui.px(14)});
        y += sz.y + 2 * ui.px(14) + gap;
    }
    // The page's buttons, as many to a line as fit.
    float ax = x;
    for (const ServiceAction& a : view_.actions) {
        const float w = std::min(width, text_size(ui.fonts.bold, a.label).x + 2 * pad_x + (a.danger ? ui.px(90) : 0));
        if (ax > x && ax + w > x + width) {
            ax = x;
            y += h + gap;
        }
        if (y + h > ui.size.y - ui.px(150)) break;  // never under the menu's own buttons
        if (big_button(ui, "service:act:" + a.id, {ax, y}, {w, h}, a.danger ? ui.icons.error : "", a.label, !a.danger))
            intents_.act(a.id);
        ax += w + gap;
    }
    if (!view_.actions.empty()) y += h + gap + ui.px(10);
    if (!view_.choices_first) y = draw_choices(ui, x, y, width);
    return y;
}

float ServiceMenuScreen::draw_choices(FrameContext& ui, float x, float y, float width) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float gap = ui.px(14);
    // One of many (the printer's profile): a card per choice, its name wrapped, the one in use
    // filled and ticked (the words are the cue, the colour repeats it).
    if (view_.choices.empty()) return y;
    {
        y += draw_text(dl, ui.fonts.bold, {x, y}, palette::kInk, view_.choices_title, width).y + ui.px(12);
        // As many to a row (up to five) as lets every name fit on one line; else one per row, wrapped.
        const float inner = ui.px(14), tick = ui.px(44);
        int per_row = static_cast<int>(std::min<std::size_t>(5, view_.choices.size()));
        const auto width_each = [&](int n) { return (width - gap * static_cast<float>(n - 1)) / static_cast<float>(n); };
        while (per_row > 1 && std::any_of(view_.choices.begin(), view_.choices.end(), [&](const ServiceAction& c) {
                   return text_size(ui.fonts.body, c.label).x > width_each(per_row) - 2 * inner - tick;
               }))
            --per_row;
        const float per = width_each(per_row);
        for (std::size_t i = 0; i < view_.choices.size(); i += static_cast<std::size_t>(per_row)) {
            float row_h = ui.px(68);
            for (std::size_t j = i; j < std::min(view_.choices.size(), i + static_cast<std::size_t>(per_row)); ++j)
                row_h = std::max(row_h, text_size(ui.fonts.body, view_.choices[j].label, per - 2 * inner - tick).y + 2 * inner);
            if (y + row_h > ui.size.y - ui.px(150)) break;  // never under the menu's own buttons
            for (std::size_t j = i; j < std::min(view_.choices.size(), i + static_cast<std::size_t>(per_row)); ++j) {
                const ServiceAction& c = view_.choices[j];
                const ImVec2 at{x + static_cast<float>(j - i) * (per + gap), y};
                const Touch t = touch_target(ui, "service:act:" + c.id, at, {per, row_h});
                const ImVec2 max{at.x + per, at.y + row_h};
                dl->AddRectFilled(at, max, c.selected ? palette::kAccent : palette::kCard, ui.px(14));
                dl->AddRect(at, max, palette::kAccent, ui.px(14), 0, ui.px(t.held ? 6 : 3));
                const ImU32 ink = c.selected ? IM_COL32_WHITE : palette::kAccent;
                if (c.selected) draw_text(dl, ui.fonts.bold, {at.x + inner, at.y + (row_h - ui.fonts.bold->FontSize) / 2}, ink, ui.icons.check);
                const ImVec2 ls = text_size(ui.fonts.body, c.label, per - 2 * inner - tick);
                draw_text(dl, ui.fonts.body, {at.x + inner + tick, at.y + (row_h - ls.y) / 2}, ink, c.label, per - 2 * inner - tick);
                if (t.tapped) intents_.act(c.id);
            }
            y += row_h + ui.px(10);
        }
        y += ui.px(10);
    }
    return y;
}

void ServiceMenuScreen::draw_question(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float w = std::min(ui.size.x - ui.px(80), ui.px(900)), inner = ui.px(40);
    const ImVec2 q = text_size(ui.fonts.heading, view_.question, w - 2 * inner);
    const ImVec2 button{(w - 3 * inner) / 2, ui.px(96)};
    const float h = q.y + button.y + 3 * inner;
    const ImVec2 min{(ui.size.x - w) / 2, (ui.size.y - h) / 2};
    dl->AddRectFilled(min, {min.x + w, min.y + h}, palette::kWarnBg, ui.px(14));
    dl->AddRect(min, {min.x + w, min.y + h}, palette::kWarnEdge, ui.px(14), 0, ui.px(4));
    draw_text(dl, ui.fonts.heading, {min.x + inner, min.y + inner}, palette::kWarnInk, view_.question, w - 2 * inner);
    ui.hit("service:question", min, {min.x + w, min.y + h});
    const float by = min.y + 2 * inner + q.y;
    if (big_button(ui, "service:no", {min.x + inner, by}, button, "", view_.no_label, false)) intents_.answer(false);
    if (big_button(ui, "service:yes", {min.x + 2 * inner + button.x, by}, button, ui.icons.error, view_.yes_label, true))
        intents_.answer(true);
}

void ServiceMenuScreen::draw_pattern(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ServicePattern& p = view_.pattern;
    // Colour bars across the top half, each a sector's colour, then black, grey and white.
    const float bars_h = ui.size.y / 2;
    const float bw = ui.size.x / static_cast<float>(std::max<std::size_t>(1, p.colours.size()));
    for (std::size_t i = 0; i < p.colours.size(); ++i)
        dl->AddRectFilled({bw * static_cast<float>(i), 0}, {bw * static_cast<float>(i + 1), bars_h}, rgb(p.colours[i]));
    ui.hit("service:pattern:bars", {0, 0}, {ui.size.x, bars_h});
    // A grid every 10% of the width, and five targets to touch: near each corner and the centre.
    const float step = ui.size.x / 10;
    for (float gx = step; gx < ui.size.x; gx += step) dl->AddLine({gx, bars_h}, {gx, ui.size.y}, palette::kBorder, 1);
    for (float gy = bars_h + step; gy < ui.size.y; gy += step) dl->AddLine({0, gy}, {ui.size.x, gy}, palette::kBorder, 1);
    const float inset = ui.px(90), arm = ui.px(40);
    for (const ImVec2 t : {ImVec2{inset, inset}, ImVec2{ui.size.x - inset, inset}, ImVec2{inset, ui.size.y - inset},
                           ImVec2{ui.size.x - inset, ui.size.y - inset}, ImVec2{ui.size.x / 2, ui.size.y / 2}}) {
        dl->AddLine({t.x - arm, t.y}, {t.x + arm, t.y}, palette::kInk, ui.px(3));
        dl->AddLine({t.x, t.y - arm}, {t.x, t.y + arm}, palette::kInk, ui.px(3));
        dl->AddCircle(t, arm * 0.6f, palette::kInk, 0, ui.px(3));
    }
    for (const ImVec2 m : p.marks) dl->AddCircleFilled(m, ui.px(14), palette::kErrorInk);
    const float text_y = ui.size.y * 0.62f;
    draw_paragraph_centred(dl, ui.fonts.heading, ui.px(60), ui.size.x - ui.px(120), text_y, palette::kInk, p.hint);
    const ImVec2 button{ui.px(360), ui.px(96)};
    const ImVec2 at{(ui.size.x - button.x) / 2, ui.size.y * 0.75f};
    if (big_button(ui, "service:pattern:done", at, button, ui.icons.check, p.done_label, true)) return intents_.pattern_touch({}, true);
    const ImGuiIO& io = ImGui::GetIO();
    if (io.MouseReleased[0]) {
        const ImVec2 m = io.MousePos;
        if (!(m.x >= at.x && m.x <= at.x + button.x && m.y >= at.y && m.y <= at.y + button.y)) intents_.pattern_touch(m, false);
    }
}

void ServiceMenuScreen::draw_line(FrameContext& ui, ImVec2 min, ImVec2 max, const std::string& title,
                                  const std::vector<ServiceBar>& points, const std::string& id) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ChartArea a = chart_card(ui, min, max, title, id);
    if (points.empty()) return;
    const float inner = a.inner, top = a.top, base = a.base;
    const float left = min.x + inner + ui.px(50), width = max.x - min.x - 2 * inner - ui.px(50);
    double peak = 1;
    for (const ServiceBar& p : points) peak = std::max(peak, p.value);
    // The scale: 0 and the peak on the left, a rule at each.
    draw_text(dl, ui.fonts.small, {min.x + inner, base - ui.fonts.small->FontSize / 2}, palette::kInkSoft, "0");
    char top_label[16];
    std::snprintf(top_label, sizeof top_label, "%.0f", peak);
    draw_text(dl, ui.fonts.small, {min.x + inner, top - ui.fonts.small->FontSize / 2}, palette::kInkSoft, top_label);
    dl->AddLine({left, top}, {left + width, top}, palette::kBorder, ui.px(1));
    dl->AddLine({left, base}, {left + width, base}, palette::kInkSoft, ui.px(2));
    const float step = points.size() > 1 ? width / static_cast<float>(points.size() - 1) : 0;
    std::vector<ImVec2> line;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const float x = left + step * static_cast<float>(i);
        line.push_back({x, base - static_cast<float>(points[i].value / peak) * (base - top)});
        if (!points[i].label.empty()) {
            dl->AddLine({x, base}, {x, base + ui.px(6)}, palette::kInkSoft, ui.px(2));
            draw_text_centred(dl, ui.fonts.small, x, base + ui.px(6), palette::kInkSoft, points[i].label);
        }
    }
    dl->AddPolyline(line.data(), static_cast<int>(line.size()), rgb(points.front().colour), 0, ui.px(5));
    for (const ImVec2 p : line) dl->AddCircleFilled(p, ui.px(6), rgb(points.front().colour));
}

void ServiceMenuScreen::draw_chart(FrameContext& ui, ImVec2 min, ImVec2 max, const std::string& title,
                                   const std::vector<ServiceBar>& bars, const std::string& id) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ChartArea a = chart_card(ui, min, max, title, id);
    if (bars.empty()) return;
    const float inner = a.inner, top = a.top, base = a.base;
    const float left = min.x + inner, width = max.x - min.x - 2 * inner;
    double peak = 0;
    for (const ServiceBar& b : bars) peak = std::max(peak, b.value);
    if (peak <= 0) peak = 1;
    const float slot = width / static_cast<float>(bars.size());
    const float bar_w = std::max(ui.px(8), slot * 0.7f);
    dl->AddLine({left, base}, {left + width, base}, palette::kInkSoft, ui.px(2));
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const ServiceBar& b = bars[i];
        const float cx = left + slot * (static_cast<float>(i) + 0.5f);
        const float h = static_cast<float>(b.value / peak) * (base - top);
        if (h > 0) dl->AddRectFilled({cx - bar_w / 2, base - h}, {cx + bar_w / 2, base}, rgb(b.colour), ui.px(4));
        draw_text_centred(dl, ui.fonts.small, cx, base - h - ui.fonts.small->FontSize - ui.px(4), palette::kInk, b.value_text);
        draw_text_centred(dl, ui.fonts.small, cx, base + ui.px(6), palette::kInkSoft, b.label);
    }
}

}  // namespace csc::gui
