// Booking, fourth step: the name (required) and a phone (optional), typed on a large on-screen
// keyboard with the Italian accented letters; the place is held meanwhile.
#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {

// Keys by their capital; the letter typed follows Shift (the controller capitalises each word).
constexpr std::array<std::string_view, 4> kLetterRows = {"QWERTYUIOP", "ASDFGHJKL'", "ZXCVBNM-", ""};
constexpr std::array<std::string_view, 6> kAccents = {"À", "È", "É", "Ì", "Ò", "Ù"};
constexpr std::array<std::string_view, 6> kAccentsLower = {"à", "è", "é", "ì", "ò", "ù"};
constexpr std::array<std::string_view, 4> kDigitRows = {"123", "456", "789", "+0"};

struct Key {
    std::string id, label, text;  // text "" = a special key (id says which)
};

std::vector<std::vector<Key>> name_keys(bool shift) {
    std::vector<std::vector<Key>> rows;
    for (std::string_view row : kLetterRows) {
        if (row.empty()) continue;
        std::vector<Key> keys;
        for (char c : row) {
            const std::string upper(1, c);
            const std::string shown = shift || c < 'A' || c > 'Z' ? upper : std::string(1, static_cast<char>(c - 'A' + 'a'));
            keys.push_back({"key:" + upper, shown, shown});
        }
        rows.push_back(std::move(keys));
    }
    std::vector<Key> accents;
    for (std::size_t i = 0; i < kAccents.size(); ++i) {
        const std::string shown(shift ? kAccents[i] : kAccentsLower[i]);
        accents.push_back({"key:" + std::string(kAccents[i]), shown, shown});
    }
    rows.push_back(std::move(accents));
    return rows;
}

std::vector<std::vector<Key>> phone_keys() {
    std::vector<std::vector<Key>> rows;
    for (std::string_view row : kDigitRows) {
        std::vector<Key> keys;
        for (char c : row) keys.push_back({"key:" + std::string(1, c), std::string(1, c), std::string(1, c)});
        rows.push_back(std::move(keys));
    }
    return rows;
}

}  // namespace

void EntranceBookName::draw_content(FrameContext& ui) {
    const BookingView& b = view_.booking;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool portrait = ui.portrait();
    const float margin = ui.px(portrait ? 48 : 64);
    const float left_w = portrait ? ui.size.x - 2 * margin : ui.size.x * 0.36f;
    std::string subtitle;
    if (b.chosen) subtitle = ui.t("booking.name.subtitle", {{"slot", slot_text(ui, *b.chosen)}});
    auto [y, bottom] = step_frame(ui, ui.t("booking.name.title"), subtitle, left_w);

    // Next, beside Back.
    const float next_w = ui.px(portrait ? 420 : 460), next_h = ui.px(130);
    const float next_top = ui.size.y - ui.px(portrait ? 56 : 40) - next_h;
    if (big_button(ui, "next", {ui.size.x - margin - next_w, next_top}, {next_w, next_h}, ui.icons.chevron_right,
                   ui.t("booking.next"), true))
        intents_.booking_next();

    // The two fields.
    const float field_h = ui.px(118);
    for (int f = 0; f < 2; ++f) {
        const std::string& value = f == 0 ? b.name : b.contact;
        const bool active = b.field == f;
        const std::string label = ui.t(f == 0 ? "booking.name.name" : "booking.name.phone");
        y += draw_text(dl, ui.fonts.bold, {margin, y}, palette::kInk, label, left_w).y + ui.px(8);
        const ImVec2 min{margin, y}, max{margin + left_w, y + field_h};
        // Speech mode says whether the field is filled, not what it holds: a name or a number
        // is not for the room's loudspeaker.
        // A name or number typed in Latin letters reads left to right in its field in any
        // language: the field is one upright block (its clipping then moves with it).
        const Upright field_upright(dl, min.x, max.x);
        const Touch t = touch_target(ui, f == 0 ? "field:name" : "field:phone", min, {left_w, field_h},
                                     value.empty() ? label : label + ": " + ui.tc("speech.characters", long(value.size())));
        if (t.tapped) intents_.keyboard_field(f);
        dl->AddRectFilled(min, max, palette::kCard, ui.px(14));
        dl->AddRect(min, max, active ? palette::kAccent : palette::kBorder, ui.px(14), 0, ui.px(active ? 6 : 2));
        std::string shown = value;
        if (active) shown += "|";
        dl->PushClipRect(min, max, true);
        const ImVec2 ts = text_size(ui.fonts.heading, shown);
        // Keep the end of a long name in view.
        const float tx = std::min(min.x + ui.px(24), max.x - ui.px(24) - ts.x);
        draw_text(dl, ui.fonts.heading, {tx, min.y + (field_h - ts.y) / 2}, palette::kInk, shown);
        dl->PopClipRect();
        y += field_h + ui.px(20);
    }
    if (!b.notice.empty()) {
        // Under the fields, in their column (the keyboard is beside them in landscape).
        std::string text = ui.icons.warning.empty() ? "" : ui.icons.warning + "  ";
        text += ui.t(b.notice, b.notice_args);
        y += draw_text(dl, ui.fonts.bold, {margin, y}, palette::kErrorInk, text, left_w).y + ui.px(20);
    }

    // The keyboard: under the fields (portrait) or beside them (landscape).
    const float kx = portrait ? margin : margin + left_w + ui.px(56);
    const float kw = ui.size.x - margin - kx;
    float ky = controls_top(ui, portrait ? y + ui.px(8) : step_top(ui));
    const float kbottom = portrait ? bottom : next_top - ui.px(32);
    const auto rows = b.field == 0 ? name_keys(b.shift) : phone_keys();
    const int nrows = static_cast<int>(rows.size()) + 1;  // + the row of Shift / Space / Backspace
    const float gap = ui.px(14);
    const int cols = b.field == 0 ? 10 : 3;
    const float key_w = std::min(ui.px(b.field == 0 ? 180 : 260), (kw - (cols - 1) * gap) / cols);
    const float key_h = std::min(ui.px(130), (kbottom - ky - (nrows - 1) * gap) / nrows);
    const float r = ui.px(14);
    auto key_button = [&](const std::string& id, ImVec2 min, ImVec2 size, const std::string& label, bool dark) {
        const Touch t = touch_target(ui, id, min, size, label);
        const ImVec2 max{min.x + size.x, min.y + size.y};
        dl->AddRectFilled({min.x, min.y + ui.px(4)}, {max.x, max.y + ui.px(4)}, palette::kShadow, r);
        dl->AddRectFilled(min, max, dark ? palette::kAccent : palette::kCard, r);
        dl->AddRect(min, max, t.held ? palette::kAccent : palette::kBorder, r, 0, ui.px(t.held ? 6 : 2));
        const ImU32 ink = dark ? palette::kOnAccent : palette::kInk;
        ImFont* font = text_size(ui.fonts.heading, label).x < size.x - ui.px(16) ? ui.fonts.heading : ui.fonts.bold;
        const ImVec2 ls = text_size(font, label);
        draw_text(dl, font, {min.x + (size.x - ls.x) / 2, min.y + (size.y - ls.y) / 2}, ink, label);
        return t.tapped;
    };
    {
    // A keyboard keeps its keys' order in a mirrored (right-to-left) frame.
    const Upright upright(dl, kx, kx + kw);
    for (const auto& row : rows) {
        const float row_w = row.size() * key_w + (row.size() - 1) * gap;
        float x = kx + (kw - row_w) / 2;
        for (const Key& k : row) {
            if (key_button(k.id, {x, ky}, {key_w, key_h}, k.label, false)) intents_.keyboard_text(k.text);
            x += key_w + gap;
        }
        ky += key_h + gap;
    }
    // Last row: Shift and Space for names, then Backspace.
    const float wide = std::min(kw, cols * key_w + (cols - 1) * gap);
    float x = kx + (kw - wide) / 2;
    const float bs_w = std::max(key_w * 2 + gap, wide * 0.3f);
    if (b.field == 0) {
        const float shift_w = key_w * 2 + gap;
        const float space_w = wide - shift_w - bs_w - 2 * gap;
        if (key_button("key:shift", {x, ky}, {shift_w, key_h}, ui.t("keyboard.shift"), b.shift)) intents_.keyboard_shift();
        x += shift_w + gap;
        if (key_button("key:space", {x, ky}, {space_w, key_h}, ui.t("keyboard.space"), false)) intents_.keyboard_text(" ");
        x += space_w + gap;
    } else {
        x = kx + (kw - wide) / 2 + wide - bs_w;
    }
    if (key_button("key:backspace", {x, ky}, {bs_w, key_h},
                   (upright_back(ui).empty() ? "" : upright_back(ui) + " ") + ui.t("keyboard.backspace"), false))
        intents_.keyboard_backspace();
    }  // (the keypad's upright region ends before the overlay: a window of its own)
    idle_overlay(ui);
}

}  // namespace csc::gui
