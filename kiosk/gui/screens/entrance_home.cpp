// The entrance kiosk's home screen: one large button per sector (colour + name + icon), how
// many people wait, the expected wait, and the language switch.
#include <algorithm>
#include <cmath>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {

std::string waiting_text(const FrameContext& ui, int waiting) {
    if (waiting <= 0) return ui.t("home.waiting.none");
    return ui.tc("home.waiting", waiting);
}

}  // namespace

void EntranceHome::draw_content(FrameContext& ui) {
    if (someone_is_there()) intents_.activity();  // the attract loop waits while someone is here
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = header(ui);
    const float margin = ui.px(ui.portrait() ? 48 : 64);

    // Welcome lines.
    float y = top + ui.px(ui.portrait() ? 60 : 40);
    y += draw_text(dl, ui.fonts.title, {margin, y}, palette::kInk, ui.t("home.title")).y;
    say_title(ui, ui.t("home.title") + ". " + (view_.open ? ui.t("home.subtitle") : ui.t("home.closed")));
    y += ui.px(10);
    y += draw_text(dl, ui.fonts.body, {margin, y}, palette::kInkSoft, view_.open ? ui.t("home.subtitle") : "",
                   ui.size.x - 2 * margin)
             .y;
    y += ui.px(ui.portrait() ? 48 : 36);

    const float footer_h = ui.px(ui.portrait() ? 200 : 170);
    float footer_top = ui.size.y - footer_h;
    draw_languages(ui, footer_top, footer_h);
    if (!view_.staff_alert.empty()) footer_top -= draw_staff_alert(ui, footer_top);
    if (!view_.open) {
        draw_closed(ui, y, footer_top - ui.px(32));
        return;
    }
    if (view_.bookable) forward_keys();  // a USB scanner reading a booking receipt checks in from here
    if (view_.bookable || view_.forms_available) footer_top -= draw_booking_buttons(ui, footer_top);

    // Sector grid: one column in portrait (two past six sectors), two or three in landscape.
    const int n = static_cast<int>(view_.sectors.size());
    if (n == 0) return;
    const int cols = ui.portrait() ? (n > 6 ? 2 : 1) : (n > 4 ? 3 : 2);
    const int rows = (n + cols - 1) / cols;
    const float gap = ui.px(28);
    y = controls_top(ui, y);  // a screen mounted high: the tiles below the reach line
    const float area_h = footer_top - ui.px(32) - y;
    const float tile_w = (ui.size.x - 2 * margin - (cols - 1) * gap) / cols;
    const float tile_h = std::min(ui.px(300), (area_h - (rows - 1) * gap) / rows);
    const float used_h = rows * tile_h + (rows - 1) * gap;
    y += std::max(0.f, (area_h - used_h) / 3);  // a little air above when there are few sectors
    for (int i = 0; i < n; ++i) {
        const int r = i / cols, c = i % cols;
        draw_sector(ui, view_.sectors[std::size_t(i)], {margin + c * (tile_w + gap), y + r * (tile_h + gap)},
                    {tile_w, tile_h});
    }
}

void EntranceHome::draw_sector(FrameContext& ui, const SectorView& s, ImVec2 min, ImVec2 size) {
    // Speech mode says the tile as it reads: the name, who is waiting, the forecast.
    std::string spoken = s.name + ". " + waiting_text(ui, s.waiting);
    if (s.forecast && (s.waiting > 0 || s.forecast->form != ToldWait::Form::Short)) spoken += ". " + forecast_text(ui, *s.forecast);
    const Touch t = touch_target(ui, "sector:" + s.id, min, size, spoken);
    if (t.tapped) intents_.choose_sector(s.id);

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max{min.x + size.x, min.y + size.y};
    const float r = ui.px(22);
    const ImU32 bg = rgb(s.colour), ink = rgb(s.text);
    dl->AddRectFilled({min.x, min.y + ui.px(6)}, {max.x, max.y + ui.px(6)}, palette::kShadow, r);
    dl->AddRectFilled(min, max, bg, r);
    // High contrast: a white edge, so a dark tile stands out of the black page.
    if (palette::high_contrast()) dl->AddRect(min, max, palette::kBorder, r, 0, ui.px(4));
    // Press feedback that keeps the text contrast: an inner ring in the text colour.
    if (t.held) dl->AddRect({min.x + ui.px(8), min.y + ui.px(8)}, {max.x - ui.px(8), max.y - ui.px(8)}, ink, r * 0.7f, 0,
                            ui.px(6));

    if (size.y < ui.px(130)) {  // the low layout's short tiles (landscape's 150 px still stack): one line
        draw_sector_compact(ui, s, min, size, ink, bg);
        return;
    }
    const float pad = ui.px(36);
    const float d = std::min(size.y - 2 * pad, ui.px(168));
    const ImVec2 centre{min.x + pad + d / 2, min.y + size.y / 2};
    dl->AddCircleFilled(centre, d / 2, rgb(s.text, 40), 48);
    if (!s.icon.empty()) {
        const ImVec2 is = text_size(ui.fonts.icon, s.icon);
        draw_text(dl, ui.fonts.icon, {centre.x - is.x / 2, centre.y - is.y / 2}, ink, s.icon);
    } else {
        const ImVec2 ls = text_size(ui.fonts.title, s.letter);
        draw_text(dl, ui.fonts.title, {centre.x - ls.x / 2, centre.y - ls.y / 2}, ink, s.letter);
    }

    const float chevron_w = s.services.empty() ? 0 : ui.px(56);
    const float tx = min.x + pad + d + ui.px(36);
    const float tw = max.x - pad - chevron_w - tx;
    // The name as large as the tile lets it be with its waiting pill under it (large text:
    // a step smaller rather than clipped or broken inside a word).
    const float name_room = size.y - 2 * ui.px(14) - (ui.fonts.bold->FontSize + ui.px(34));
    ImFont* name_font = text_size(ui.fonts.heading, s.name, tw).y > ui.fonts.heading->FontSize * 2.5f
                            ? fit_font({ui.fonts.bold, ui.fonts.body, ui.fonts.small}, s.name, tw, name_room)
                            : fit_font({ui.fonts.heading, ui.fonts.bold, ui.fonts.body, ui.fonts.small}, s.name, tw, name_room);
    const ImVec2 ns = text_size(name_font, s.name, tw);

    std::string pill = ui.icons.users.empty() ? "" : ui.icons.users + "  ";
    pill += waiting_text(ui, s.waiting);
    const ImVec2 ps = text_size(ui.fonts.bold, pill);
    const float pill_h = ps.y + ui.px(18), pill_w = ps.x + ui.px(40);
    // With nobody waiting "no wait" says it all; a forecast is shown when there is a queue.
    const bool show_fc = s.forecast && (s.waiting > 0 || s.forecast->form != ToldWait::Form::Short);
    const std::string fc = show_fc ? forecast_text(ui, *s.forecast) : "";
    const std::string late = show_fc && s.forecast->after_closing ? ui.t("forecast.after_closing") : "";
    const bool fc_beside = !fc.empty() && pill_w + ui.px(24) + text_size(ui.fonts.body, fc).x <= tw;
    float block_h = ns.y + ui.px(16) + pill_h;
    if (!fc.empty() && !fc_beside) block_h += ui.px(10) + ui.fonts.body->FontSize;
    if (!late.empty()) block_h += ui.px(8) + ui.fonts.small->FontSize;

    float y = min.y + (size.y - block_h) / 2;
    dl->PushClipRect(min, max, true);
    draw_text(dl, name_font, {tx, y}, ink, s.name, tw);
    y += ns.y + ui.px(16);
    // The waiting count as an inverted pill: same two colours, so the same contrast.
    dl->AddRectFilled({tx, y}, {tx + pill_w, y + pill_h}, ink, pill_h / 2);
    draw_text(dl, ui.fonts.bold, {tx + ui.px(20), y + ui.px(9)}, bg, pill);
    if (!fc.empty()) {
        if (fc_beside) {
            draw_text(dl, ui.fonts.body, {tx + pill_w + ui.px(24), y + (pill_h - ui.fonts.body->FontSize) / 2}, ink, fc);
            y += pill_h;
        } else {
            y += pill_h + ui.px(10);
            draw_text(dl, ui.fonts.body, {tx, y}, ink, fc);
            y += ui.fonts.body->FontSize;
        }
    } else {
        y += pill_h;
    }
    if (!late.empty()) draw_text(dl, ui.fonts.small, {tx, y + ui.px(8)}, ink, late, tw);
    if (chevron_w > 0 && !ui.icons.chevron_right.empty()) {
        const ImVec2 cs = text_size(ui.fonts.heading, ui.icons.chevron_right);
        draw_text(dl, ui.fonts.heading, {max.x - pad - cs.x, min.y + (size.y - cs.y) / 2}, ink, ui.icons.chevron_right);
    }
    dl->PopClipRect();
}

void EntranceHome::draw_sector_compact(FrameContext& ui, const SectorView& s, ImVec2 min, ImVec2 size, ImU32 ink, ImU32 bg) {
    // A tile too short for the name over its waiting pill (a screen mounted high keeps its tiles
    // in the reachable lower part, docs/GUI.md "Reach"): icon, name, and the pill at the right
    // holding the forecast too, on one line.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max{min.x + size.x, min.y + size.y};
    const float pad = ui.px(20), d = std::max(ui.px(24), size.y - 2 * pad);
    const ImVec2 centre{min.x + pad + d / 2, min.y + size.y / 2};
    dl->AddCircleFilled(centre, d / 2, rgb(s.text, 40), 48);
    const std::string& mark = s.icon.empty() ? s.letter : s.icon;
    ImFont* mark_font = fit_font({ui.fonts.title, ui.fonts.heading, ui.fonts.bold}, mark, d * 0.8f, d * 0.8f);
    const ImVec2 ms = text_size(mark_font, mark);
    draw_text(dl, mark_font, {centre.x - ms.x / 2, centre.y - ms.y / 2}, ink, mark);

    const float chevron_w = s.services.empty() ? 0 : ui.px(72);
    const float right = max.x - ui.px(20) - chevron_w;
    const float tx = min.x + pad + d + ui.px(24);
    // The pill takes at most 55% of the line: with the forecast in bold, else in small type, else
    // the waiting count alone.
    std::string pill = ui.icons.users.empty() ? "" : ui.icons.users + "  ";
    pill += waiting_text(ui, s.waiting);
    const float pill_room = (right - tx) * 0.55f;
    if (s.forecast && (s.waiting > 0 || s.forecast->form != ToldWait::Form::Short)) {
        const std::string with = pill + " · " + forecast_text(ui, *s.forecast);
        if (text_size(ui.fonts.small, with).x + ui.px(32) <= pill_room) pill = with;
    }
    ImFont* pill_font = text_size(ui.fonts.bold, pill).x + ui.px(32) <= pill_room ? ui.fonts.bold : ui.fonts.small;
    const ImVec2 ps = text_size(pill_font, pill);
    const float pill_h = ps.y + ui.px(14), pill_w = ps.x + ui.px(32);
    const float name_w = std::max(ui.px(40), right - pill_w - ui.px(20) - tx);
    ImFont* name_font = fit_font({ui.fonts.heading, ui.fonts.bold, ui.fonts.body, ui.fonts.small}, s.name, name_w, size.y - ui.px(16));
    const ImVec2 ns = text_size(name_font, s.name, name_w);
    dl->PushClipRect(min, max, true);
    draw_text(dl, name_font, {tx, min.y + (size.y - ns.y) / 2}, ink, s.name, name_w);
    const ImVec2 pmin{right - pill_w, min.y + (size.y - pill_h) / 2};
    dl->AddRectFilled(pmin, {right, pmin.y + pill_h}, ink, pill_h / 2);
    draw_text(dl, pill_font, {pmin.x + ui.px(16), pmin.y + ui.px(7)}, bg, pill);
    if (chevron_w > 0 && !ui.icons.chevron_right.empty()) {
        const ImVec2 cs = text_size(ui.fonts.heading, ui.icons.chevron_right);
        draw_text(dl, ui.fonts.heading, {max.x - ui.px(16) - cs.x, min.y + (size.y - cs.y) / 2}, ink, ui.icons.chevron_right);
    }
    dl->PopClipRect();
}

float EntranceHome::draw_booking_buttons(FrameContext& ui, float bottom) {
    // Large tiles above the language bar: book an appointment, check in with one; forms and
    // what to bring (beside them in landscape, a row of its own under them in portrait).
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float margin = ui.px(ui.portrait() ? 48 : 64);
    const float gap = ui.px(28);
    const float h = ui.px(ui.portrait() ? 190 : 150);
    struct Tile {
        const char* id;
        const std::string* icon;
        const char* key;
        ImVec2 min, size;
    };
    std::vector<Tile> tiles;
    float used = 0;
    const float full_w = ui.size.x - 2 * margin;
    if (ui.portrait() && view_.forms_available) {
        const float fh = ui.px(140);
        tiles.push_back({"home:forms", &ui.icons.print, "home.forms", {margin, bottom - ui.px(32) - fh}, {full_w, fh}});
        used += fh + ui.px(32);
    }
    std::vector<Tile> row;
    if (view_.bookable) {
        row.push_back({"home:book", &ui.icons.clock, "home.book", {}, {}});
        row.push_back({"home:check_in", &ui.icons.qrcode, "home.check_in", {}, {}});
    }
    if (!ui.portrait() && view_.forms_available) row.push_back({"home:forms", &ui.icons.print, "home.forms", {}, {}});
    if (!row.empty()) {
        const float top = bottom - used - ui.px(32) - h;
        const float w = (full_w - (row.size() - 1) * gap) / row.size();
        for (std::size_t i = 0; i < row.size(); ++i) {
            row[i].min = {margin + i * (w + gap), top};
            row[i].size = {w, h};
            tiles.push_back(row[i]);
        }
        used += h + ui.px(32);
    }
    for (const Tile& tile : tiles) {
        const ImVec2 min = tile.min;
        const float w = tile.size.x, h = tile.size.y;
        const ImVec2 max{min.x + w, min.y + h};
        const Touch t = touch_target(ui, tile.id, min, {w, h}, ui.t(tile.key));
        if (t.tapped) {
            const std::string_view id = tile.id;
            if (id == "home:book") intents_.start_booking();
            else if (id == "home:check_in") intents_.start_check_in();
            else intents_.open_forms();
        }
        const float r = ui.px(22);
        dl->AddRectFilled({min.x, min.y + ui.px(6)}, {max.x, max.y + ui.px(6)}, palette::kShadow, r);
        dl->AddRectFilled(min, max, palette::kCard, r);
        dl->AddRect(min, max, palette::kAccent, r, 0, ui.px(t.held ? 8 : 4));
        const float pad = ui.px(28);
        float tx = min.x + pad;
        if (!tile.icon->empty()) {
            const ImVec2 is = text_size(ui.fonts.title, *tile.icon);
            draw_text(dl, ui.fonts.title, {tx, min.y + (h - is.y) / 2}, palette::kAccent, *tile.icon);
            tx += is.x + ui.px(24);
        }
        const float tw = max.x - pad - tx;
        const std::string label = ui.t(tile.key);
        ImFont* font = fit_font({ui.fonts.heading, ui.fonts.bold, ui.fonts.body, ui.fonts.small}, label, tw, h - 2 * ui.px(12));
        const ImVec2 ls = text_size(font, label, tw);
        dl->PushClipRect(min, max, true);
        draw_text(dl, font, {tx, min.y + (h - ls.y) / 2}, palette::kAccent, label, tw);
        dl->PopClipRect();
    }
    return used;
}

float EntranceHome::draw_staff_alert(FrameContext& ui, float bottom) {
    // Staff-facing, so small and out of the citizens' way, but unmistakable: amber, with icon.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = ui.px(72);
    const float top = bottom - h;
    dl->AddRectFilled({0, top}, {ui.size.x, bottom}, palette::kWarnBg);
    dl->AddRectFilled({0, top}, {ui.px(12), bottom}, palette::kWarnEdge);
    std::string text = ui.icons.warning.empty() ? "" : ui.icons.warning + "  ";
    text += ui.t(view_.staff_alert);
    draw_text(dl, ui.fonts.bold, {ui.px(48), top + (h - ui.fonts.bold->FontSize) / 2}, palette::kWarnInk, text,
              ui.size.x - ui.px(96));
    return h;
}

void EntranceHome::draw_languages(FrameContext& ui, float top, float height) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled({0, top}, {ui.size.x, ui.size.y}, palette::kCard);
    dl->AddLine({0, top}, {ui.size.x, top}, palette::kBorder, ui.px(2));

    const float margin = ui.px(48);
    const float button_h = ui.px(120);
    const float gap = ui.px(24);
    const float by = top + (height - button_h) / 2;
    // High contrast and large text, stacked at the right end: on, each is filled and ticked (not
    // told by colour alone).
    const float contrast_w = ui.px(320);
    const float toggle_gap = ui.px(12);
    const float toggle_h = (height - 3 * toggle_gap) / 2;
    auto toggle = [&](const char* id, float y0, const std::string& off_icon, const std::string& label, bool on) {
        const ImVec2 bmin{ui.size.x - margin - contrast_w, y0}, bmax{ui.size.x - margin, y0 + toggle_h};
        const Touch t = touch_target(ui, id, bmin, {contrast_w, toggle_h}, label + ": " + ui.t(on ? "speech.state.on" : "speech.state.off"));
        const float r = ui.px(16);
        dl->AddRectFilled(bmin, bmax, on ? palette::kAccent : palette::kCard, r);
        dl->AddRect(bmin, bmax, palette::kAccent, r, 0, ui.px(t.held ? 8 : 4));
        const ImU32 ink = on ? palette::kOnAccent : palette::kAccent;
        const std::string& icon = on ? ui.icons.check : off_icon;
        const std::string text = icon.empty() ? label : icon + "  " + label;
        ImFont* font = text_size(ui.fonts.bold, text).x <= contrast_w - ui.px(24) ? ui.fonts.bold : ui.fonts.small;
        const ImVec2 s = text_size(font, text);
        dl->PushClipRect(bmin, bmax, true);
        draw_text(dl, font, {bmin.x + std::max(ui.px(12), (contrast_w - s.x) / 2), y0 + (toggle_h - s.y) / 2}, ink, text);
        dl->PopClipRect();
        return t.tapped;
    };
    if (toggle("home:contrast", top + toggle_gap, ui.icons.contrast, ui.t("home.contrast"), view_.high_contrast))
        intents_.toggle_contrast();
    if (toggle("home:large_text", top + 2 * toggle_gap + toggle_h, ui.icons.text_height, ui.t("home.large_text"), view_.large_text))
        intents_.toggle_large_text();
    if (view_.languages.size() < 2) return;
    const float right = ui.size.x - margin - contrast_w - gap;  // the languages end here
    // The label names the switch in the office's language and English, so anyone can find it.
    std::string label = ui.icons.language.empty() ? "" : ui.icons.language + "  ";
    label += ui.t("home.language.switch");
    const ImVec2 ls = text_size(ui.fonts.bold, label);
    // One button per language when each has room for its own name (and the check mark), else
    // one button that opens the menu of every language (EntranceLanguages): 8 or more never fit.
    const int n = static_cast<int>(view_.languages.size());
    // With the "Lingua · Language" label before the buttons if there is room for it; a bar of a
    // few languages without it (each button names its language) rather than the menu.
    float button_w = 0;
    bool fits = false, labelled = true;
    for (const bool with_label : {true, false}) {
        const float room = right - margin - (with_label ? ls.x + ui.px(40) : 0.0f);
        button_w = std::min(ui.px(320), (room - (n - 1) * gap) / n);
        fits = button_w >= ui.px(200);
        for (const auto& [code, own_name] : view_.languages) {
            const std::string shown = (ui.icons.check.empty() ? "" : ui.icons.check + "  ") + own_name;
            fits = fits && text_size(ui.fonts.bold, shown).x + ui.px(24) <= button_w;
        }
        labelled = with_label;
        if (fits) break;
    }
    if (!fits) {
        // "Lingua · Language" and, larger, the current language in its own name: one wide button.
        std::string current;
        for (const auto& [code, own_name] : view_.languages)
            if (code == view_.lang) current = own_name;
        const ImVec2 bmin{margin, by};
        const ImVec2 bsize{right - margin, button_h};
        const Touch t = touch_target(ui, "home:languages", bmin, bsize, ui.t("home.language.switch") + ". " + current);
        if (t.tapped) intents_.open_languages();
        const ImVec2 bmax{bmin.x + bsize.x, bmin.y + bsize.y};
        const float r = ui.px(18);
        dl->AddRectFilled(bmin, bmax, palette::kCard, r);
        dl->AddRect(bmin, bmax, palette::kAccent, r, 0, ui.px(t.held ? 8 : 4));
        const float pad = ui.px(36);
        const float cy = bmin.y + button_h / 2;
        dl->PushClipRect(bmin, bmax, true);
        std::string right = current;
        if (!ui.icons.chevron_right.empty()) right += "  " + ui.icons.chevron_right;
        const ImVec2 rs = text_size(ui.fonts.heading, right);
        // "Lingua · Language" and the current language on one line when they fit; in a narrow
        // button (the contrast button beside it) the label above and the name under it.
        if (ls.x + rs.x + 3 * pad <= bsize.x) {
            draw_text(dl, ui.fonts.bold, {bmin.x + pad, cy - ls.y / 2}, palette::kAccent, label);
            draw_text(dl, ui.fonts.heading, {bmax.x - pad - rs.x, cy - rs.y / 2}, palette::kInk, right);
        } else {
            const ImVec2 small = text_size(ui.fonts.small, label);
            const float block = small.y + ui.px(4) + rs.y;
            const float top_y = cy - block / 2;
            draw_text(dl, ui.fonts.small, {bmin.x + pad, top_y}, palette::kAccent, label);
            draw_text(dl, ui.fonts.heading, {bmin.x + pad, top_y + small.y + ui.px(4)}, palette::kInk, current);
            if (!ui.icons.chevron_right.empty()) {
                const ImVec2 cs = text_size(ui.fonts.heading, ui.icons.chevron_right);
                draw_text(dl, ui.fonts.heading, {bmax.x - pad - cs.x, cy - cs.y / 2}, palette::kInk, ui.icons.chevron_right);
            }
        }
        dl->PopClipRect();
        return;
    }
    if (labelled) draw_text(dl, ui.fonts.bold, {margin, by + (button_h - ui.fonts.bold->FontSize) / 2}, palette::kInk, label);
    float x = right - n * button_w - (n - 1) * gap;
    for (const auto& [code, own_name] : view_.languages) {
        const bool current = code == view_.lang;
        const ImVec2 bmin{x, by};
        // (a language's own name, said by that language's voice, as in the language menu)
        if (big_button(ui, "lang:" + code, bmin, {button_w, button_h}, current ? ui.icons.check : "", own_name, current, {}, code) &&
            !current)
            intents_.choose_language(code);
        x += button_w + gap;
    }
}

void EntranceHome::draw_closed(FrameContext& ui, float top, float bottom) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float margin = ui.px(48);
    const float w = ui.size.x - 2 * margin;
    const float h = std::min(bottom - top, ui.px(view_.reopen_time.empty() ? 470 : 560));
    const ImVec2 min{margin, top + (bottom - top - h) / 4};
    const ImVec2 max{min.x + w, min.y + h};
    dl->AddRectFilled({min.x, min.y + ui.px(6)}, {max.x, max.y + ui.px(6)}, palette::kShadow, ui.px(22));
    dl->AddRectFilled(min, max, palette::kCard, ui.px(22));
    dl->AddRectFilled(min, {max.x, min.y + ui.px(14)}, palette::kHeader, ui.px(22), ImDrawFlags_RoundCornersTop);

    float y = min.y + ui.px(70);
    if (!ui.icons.clock.empty()) {
        y += draw_text_centred(dl, ui.fonts.icon, ui.size.x / 2, y, palette::kAccent, ui.icons.clock).y + ui.px(30);
    }
    y += draw_text_centred(dl, ui.fonts.title, ui.size.x / 2, y, palette::kInk, ui.t("home.closed")).y + ui.px(30);
    if (!view_.reopen_time.empty()) {
        std::string day;
        if (view_.reopen_today) day = ui.t("day.today");
        else if (view_.reopen_tomorrow) day = ui.t("day.tomorrow");
        else if (view_.reopen_weekday) day = ui.t("weekday." + std::to_string(*view_.reopen_weekday));
        y += draw_paragraph_centred(dl, ui.fonts.heading, min.x + ui.px(40), w - ui.px(80), y, palette::kInk,
                                    ui.t("home.opens_at", {{"day", day}, {"time", view_.reopen_time}})) +
             ui.px(24);
    }
    draw_paragraph_centred(dl, ui.fonts.body, min.x + ui.px(40), w - ui.px(80), y, palette::kInkSoft,
                           ui.t("home.closed.hint"));
}

}  // namespace csc::gui
