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

}  // namespace

void ServiceMenuScreen::draw_content(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float bar_h = ui.px(112), pad = ui.px(36);
    dl->AddRectFilled({0, 0}, {ui.size.x, bar_h}, palette::kHeader);
    const ImVec2 tsz = draw_text(dl, ui.fonts.heading, {pad, ui.px(14)}, IM_COL32_WHITE, view_.title);
    draw_text(dl, ui.fonts.small, {pad, ui.px(14) + tsz.y + ui.px(4)}, palette::kHeaderSoft, view_.subtitle);
    const ImVec2 ts = text_size(ui.fonts.heading, view_.time);
    draw_text(dl, ui.fonts.heading, {ui.size.x - pad - ts.x, (bar_h - ts.y) / 2}, IM_COL32_WHITE, view_.time);

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
    // The page's lines, each on a card tinted by its state (the words say it too).
    const float label_w = content_w * 0.38f;
    for (std::size_t i = 0; i < view_.rows.size(); ++i) {
        const ServiceRow& r = view_.rows[i];
        const float inner = ui.px(18);
        const float value_w = content_w - label_w - 3 * inner;
        const float h = std::max(text_size(ui.fonts.bold, r.label, label_w).y, text_size(ui.fonts.body, r.value, value_w).y) + 2 * inner;
        if (cy + h > ui.size.y - ui.px(200)) break;  // the rest would not fit: the newest come first
        dl->AddRectFilled({content_x, cy}, {content_x + content_w, cy + h}, tone_bg(r.tone), ui.px(10));
        dl->AddRect({content_x, cy}, {content_x + content_w, cy + h}, palette::kBorder, ui.px(10), 0, ui.px(2));
        draw_text(dl, ui.fonts.bold, {content_x + inner, cy + inner}, palette::kInk, r.label, label_w);
        draw_text(dl, ui.fonts.body, {content_x + label_w + 2 * inner, cy + inner}, tone_ink(r.tone), r.value, value_w);
        ui.hit("service:row:" + std::to_string(i), {content_x, cy}, {content_x + content_w, cy + h});
        cy += h + ui.px(10);
    }
    if (!view_.note.empty()) cy += draw_text(dl, ui.fonts.body, {content_x, cy + ui.px(8)}, palette::kInkSoft, view_.note, content_w).y + ui.px(24);
    if (!view_.chart_title.empty()) {
        const float ch = std::max(ui.px(320), (ui.size.y - ui.px(200) - cy) / 2 - ui.px(20));
        draw_chart(ui, {content_x, cy}, {content_x + content_w, cy + ch}, view_.chart_title, view_.chart, "service:chart:hours");
        cy += ch + ui.px(28);
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

void ServiceMenuScreen::draw_chart(FrameContext& ui, ImVec2 min, ImVec2 max, const std::string& title,
                                   const std::vector<ServiceBar>& bars, const std::string& id) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, palette::kCard, ui.px(10));
    dl->AddRect(min, max, palette::kBorder, ui.px(10), 0, ui.px(2));
    const float inner = ui.px(20);
    draw_text(dl, ui.fonts.bold, {min.x + inner, min.y + inner}, palette::kInk, title, max.x - min.x - 2 * inner);
    ui.hit(id, min, max);
    if (bars.empty()) return;
    const float top = min.y + inner + ui.fonts.bold->FontSize + ui.px(16) + ui.fonts.small->FontSize;
    const float base = max.y - inner - ui.fonts.small->FontSize - ui.px(8);
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
