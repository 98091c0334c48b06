// A content item as a card (the totem's page, the entrance's attract loop).
#include <algorithm>

#include "kiosk/gui/screens/content_card.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {

struct PillColours {
    ImU32 bg, ink;
};

// Each pair ≥ 7:1 (widgets.hpp's palette).
PillColours kind_colours(const ContentCardView& item) {
    if (item.urgent) return {palette::kErrorBg, palette::kErrorInk};
    if (item.kind == "deadline") return {palette::kWarnBg, palette::kWarnInk};
    if (item.kind == "initiative") return {palette::kOkBg, palette::kOkInk};
    if (item.kind == "event") return {palette::kInfoBg, palette::kAccent};
    return {palette::kInfoBg, palette::kInk};
}

// The largest of `fonts` whose wrapped `text` fits `height` (the last one otherwise).
ImFont* fitting_font(std::initializer_list<ImFont*> fonts, std::string_view text, float wrap, float height) {
    ImFont* chosen = nullptr;
    for (ImFont* f : fonts) {
        chosen = f;
        if (text_size(f, text, wrap).y <= height) break;
    }
    return chosen;
}

}  // namespace

void draw_content_card(FrameContext& ui, const ContentCardView& item, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const PillColours kc = kind_colours(item);
    const float r = ui.px(26);
    dl->AddRectFilled({min.x, max.y - r}, {max.x, max.y + ui.px(8)}, palette::kShadow, r, ImDrawFlags_RoundCornersBottom);
    dl->AddRectFilled(min, max, palette::kCard, r);
    dl->AddRectFilled(min, {max.x, min.y + ui.px(14)}, kc.ink, r, ImDrawFlags_RoundCornersTop);
    if (item.urgent) dl->AddRect(min, max, palette::kErrorInk, r, 0, ui.px(6));
    // A small card (the display's side panel): tighter margins, the QR beside the text at the top
    // right without its caption, smaller type; a page (the totem) keeps the QR at the bottom.
    const bool compact = max.y - min.y < ui.px(700) || max.x - min.x < ui.px(640);
    const float pad = compact ? ui.px(28) : ui.px(52);
    const float w = max.x - min.x - 2 * pad;
    float y = min.y + (compact ? ui.px(34) : ui.px(48));
    dl->PushClipRect(min, max, true);

    // The QR of the link: a page's at the bottom right with "scan" beside it; a small card's at
    // the top right, the text in the column left of it.
    const float bottom = max.y - pad;
    float text_w = w, text_bottom = bottom;
    if (item.qr && compact) {
        const float qr_side = std::min(ui.px(170), (max.y - min.y) * 0.45f);
        draw_qr(dl, {max.x - pad - qr_side, y}, qr_side, item.qr->modules, item.qr->dark);
        text_w = w - qr_side - ui.px(24);
    } else if (item.qr) {
        const float qr_side = ui.px(250);
        const ImVec2 q{max.x - pad - qr_side, bottom - qr_side};
        draw_qr(dl, q, qr_side, item.qr->modules, item.qr->dark);
        const std::string scan = ui.icons.qrcode.empty() ? ui.t("totem.scan") : ui.icons.qrcode + "  " + ui.t("totem.scan");
        const float cw = w - qr_side - ui.px(32);
        const ImVec2 cs = text_size(ui.fonts.body, scan, cw);
        draw_text(dl, ui.fonts.body, {min.x + pad, bottom - cs.y}, palette::kInkSoft, scan, cw);
        text_bottom = bottom - qr_side - ui.px(28);
    }

    // The kind, in words ("Scadenza", "Avviso urgente").
    const std::string kind = item.urgent ? ui.t("totem.kind.urgent") : ui.t("totem.kind." + item.kind);
    const ImVec2 ks = text_size(ui.fonts.bold, kind);
    dl->AddRectFilled({min.x + pad, y}, {min.x + pad + ks.x + ui.px(44), y + ks.y + ui.px(20)}, kc.bg, (ks.y + ui.px(20)) / 2);
    draw_text(dl, ui.fonts.bold, {min.x + pad + ui.px(22), y + ui.px(10)}, kc.ink, kind);
    y += ks.y + ui.px(20) + (compact ? ui.px(18) : ui.px(32));

    // Title, then when and where, then the body in the room left (smaller type if need be).
    ImFont* tf = compact ? fitting_font({ui.fonts.heading, ui.fonts.bold}, item.title, text_w, (text_bottom - y) * 0.45f)
                         : fitting_font({ui.fonts.title, ui.fonts.heading}, item.title, w, ui.px(260));
    y += draw_text(dl, tf, {min.x + pad, y}, palette::kInk, item.title, text_w).y + (compact ? ui.px(14) : ui.px(26));
    ImFont* line_font = compact ? ui.fonts.bold : ui.fonts.heading;
    for (const auto& [key, value] : {std::pair{"totem.when", &item.when}, std::pair{"totem.where", &item.where}}) {
        if (value->empty()) continue;
        const std::string line = ui.t(key, {{key == std::string_view("totem.when") ? "when" : "where", *value}});
        y += draw_text(dl, line_font, {min.x + pad, y}, key == std::string_view("totem.when") ? kc.ink : palette::kInk, line,
                       text_w).y + ui.px(12);
    }
    // The picture, centred, as large as 40% of the room left allows (never stretched).
    if (!item.image.empty() && ui.textures) {
        const float room = (text_bottom - y) * 0.4f;
        const float k = std::min(text_w / static_cast<float>(item.image.width), room / static_cast<float>(item.image.height));
        if (k > 0.05f)
            if (ImTextureID tex = ui.textures->texture(item.image)) {
                const ImVec2 size{static_cast<float>(item.image.width) * k, static_cast<float>(item.image.height) * k};
                const ImVec2 at{min.x + pad + (text_w - size.x) / 2, y + ui.px(12)};
                const Upright upright(dl);  // a picture is never shown reflected
                dl->AddImageRounded(tex, at, {at.x + size.x, at.y + size.y}, {0, 0}, {1, 1}, IM_COL32_WHITE, ui.px(12));
                ui.hit("content:image", at, {at.x + size.x, at.y + size.y});
                y += size.y + ui.px(24);
            }
    }
    if (!item.body.empty() && text_bottom - y > ui.fonts.small->FontSize) {
        y += compact ? ui.px(6) : ui.px(18);
        ImFont* bf = compact ? fitting_font({ui.fonts.body, ui.fonts.small}, item.body, text_w, text_bottom - y)
                             : fitting_font({ui.fonts.heading, ui.fonts.body, ui.fonts.small}, item.body, w, text_bottom - y);
        dl->PushClipRect({min.x, y}, {max.x, text_bottom}, true);
        draw_text(dl, bf, {min.x + pad, y}, palette::kInkSoft, item.body, text_w);
        dl->PopClipRect();
    }
    dl->PopClipRect();
}

}  // namespace csc::gui
