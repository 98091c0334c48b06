#include "kiosk/gui/widgets.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kiosk/app/wait_words.hpp"
#include "shared/text_bidi.hpp"
#include "shared/text_check.hpp"

namespace csc::gui {

ImU32 rgb(Rgb c, int alpha) { return IM_COL32(c.r, c.g, c.b, alpha); }

namespace palette {
namespace {
bool g_high_contrast = false;

// Every colour of the palette, in one list: the normal set is read from it once (the values the
// header starts with), so it is written in one place only.
std::array<ImU32*, 19> slots() {
    return {&kPage,   &kHeader, &kHeaderSoft, &kHeaderRule, &kInk,     &kInkSoft, &kCard,
            &kBorder, &kAccent, &kOnAccent,   &kShadow,     &kInfoBg,  &kOkBg,    &kOkInk,
            &kWarnBg, &kWarnEdge, &kWarnInk,  &kErrorBg,    &kErrorInk};
}
}  // namespace

void use_high_contrast(bool on) {
    // The header's initial values, taken before the first switch (g_high_contrast starts false).
    static const auto normal = [] {
        std::array<ImU32, 19> v{};
        const auto s = slots();
        for (std::size_t i = 0; i < s.size(); ++i) v[i] = *s[i];
        return v;
    }();
    if (on == g_high_contrast) return;
    g_high_contrast = on;
    if (!on) {
        const auto s = slots();
        for (std::size_t i = 0; i < s.size(); ++i) *s[i] = normal[i];
        return;
    }
    // Black pages; white text (21:1), yellow for what acts (14:1); borders where cards were.
    kPage = kHeader = kCard = kInfoBg = kOkBg = kWarnBg = kErrorBg = IM_COL32(0x00, 0x00, 0x00, 0xFF);
    kHeaderSoft = kInk = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
    kInkSoft = IM_COL32(0xE8, 0xE8, 0xE8, 0xFF);  // 17:1
    kHeaderRule = kAccent = kWarnEdge = kWarnInk = IM_COL32(0xFF, 0xD4, 0x00, 0xFF);
    kOnAccent = IM_COL32(0x00, 0x00, 0x00, 0xFF);
    kBorder = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
    kShadow = IM_COL32(0x00, 0x00, 0x00, 0x00);
    kOkInk = IM_COL32(0x7C, 0xF0, 0x8C, 0xFF);     // 15:1 on black
    kErrorInk = IM_COL32(0xFF, 0x9E, 0x94, 0xFF);  // 10:1 on black
}

bool high_contrast() { return g_high_contrast; }

Rgb high_contrast_fill(Rgb colour) {
    constexpr Rgb white{255, 255, 255};
    Rgb c = colour;
    for (int step = 0; step < 100 && contrast_ratio(white, c) < 7.2; ++step) {
        c.r = static_cast<std::uint8_t>(c.r * 0.94);
        c.g = static_cast<std::uint8_t>(c.g * 0.94);
        c.b = static_cast<std::uint8_t>(c.b * 0.94);
    }
    return c;
}

}  // namespace palette

namespace {

// Right-to-left text laid out for ImGui, which only places glyphs left to right: each line
// shaped and in visual order (shared/text_bidi.hpp), broken in reading order, with its width.
struct RtlLine {
    std::string text;  // visual order
    float width = 0;
    bool rtl = false;  // its paragraph runs right to left: the line aligns right
};
struct RtlLayout {
    std::vector<RtlLine> lines;
    ImVec2 size{0, 0};
};

// Screens are drawn only when something changes, but each frame measures a text more than once:
// the layouts of the last few hundred texts are kept (cleared whole when full, or when the
// fonts are made anew: forget_text_layouts()).
std::unordered_map<std::string, RtlLayout>& rtl_cache() {
    static std::unordered_map<std::string, RtlLayout> cache;
    return cache;
}

const RtlLayout& rtl_layout(ImFont* font, float size, std::string_view text, float wrap) {
    auto& cache = rtl_cache();
    std::string key;
    key.reserve(text.size() + 48);
    key.append(reinterpret_cast<const char*>(&font), sizeof font);
    key.append(reinterpret_cast<const char*>(&size), sizeof size);
    key.append(reinterpret_cast<const char*>(&wrap), sizeof wrap);
    key.append(text);
    if (const auto it = cache.find(key); it != cache.end()) return it->second;
    if (cache.size() >= 512) cache.clear();
    const auto width = [&](std::string_view s) { return font->CalcTextSizeA(size, FLT_MAX, 0, s.data(), s.data() + s.size()).x; };
    RtlLayout out;
    std::size_t begin = 0;
    while (true) {
        const std::size_t nl = text.find('\n', begin);
        const BidiParagraph p(text.substr(begin, nl == std::string_view::npos ? std::string_view::npos : nl - begin));
        const auto lines = break_bidi_lines(p, wrap, width);
        if (lines.empty()) out.lines.push_back({});
        for (const BidiLine& l : lines) {
            RtlLine line{p.visual(l.from, l.to), 0, p.rtl()};
            line.width = width(line.text);
            out.size.x = std::max(out.size.x, line.width);
            out.lines.push_back(std::move(line));
        }
        if (nl == std::string_view::npos) break;
        begin = nl + 1;
    }
    out.size.y = size * static_cast<float>(out.lines.size());  // ImGui's line height is the size
    return cache.emplace(std::move(key), std::move(out)).first->second;
}

// Draws a laid-out right-to-left text in its own box at `pos`: right-to-left lines flush right.
void draw_rtl(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, const RtlLayout& layout) {
    const Upright upright(dl);  // the lines as one block: their alignment inside it stays
    float y = pos.y;
    for (const RtlLine& line : layout.lines) {
        const float x = line.rtl ? pos.x + layout.size.x - line.width : pos.x;
        dl->AddText(font, size, {std::round(x), std::round(y)}, colour, line.text.data(), line.text.data() + line.text.size());
        y += size;
    }
}

}  // namespace

void forget_text_layouts() { rtl_cache().clear(); }

namespace {
bool g_note_texts = false;
std::vector<DrawnText>& drawn_texts() {
    static std::vector<DrawnText> texts;
    return texts;
}
// Font Awesome's glyphs are in the Private Use Area (U+F000…U+F8FF): 3 bytes EF 80..A3 xx.
bool icon_alone(std::string_view text) {
    return text.size() == 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) >= 0x80 &&
           static_cast<unsigned char>(text[1]) <= 0xA3;
}
struct UprightRegion;
const UprightRegion* moving_region(const ImDrawList* dl);
ImVec2 placed(const ImDrawList* dl, ImVec2 min, float width);
void note_text(const ImDrawList* dl, ImVec2 pos, ImVec2 size, float px, std::string_view text) {
    if (!g_note_texts || size.x <= 0 || size.y <= 0) return;
    pos = placed(dl, pos, size.x);  // inside an upright region: where the moved region shows it
    drawn_texts().push_back({pos, {pos.x + size.x, pos.y + size.y}, px, icon_alone(text)});
}
}  // namespace

namespace {
bool g_mirrored = false;
std::vector<UprightSpan>& upright_spans() {
    static std::vector<UprightSpan> spans;
    return spans;
}
struct UprightRegion {
    ImDrawList* dl;
    float x0, x1;
};
std::vector<UprightRegion>& upright_regions() {  // open Upright regions, innermost last
    static std::vector<UprightRegion> regions;
    return regions;
}
// The region that moves what is drawn into `dl` (the outermost one open on it: mirror_draw_data
// moves an outer block whole, inner spans with it), or nullptr.
const UprightRegion* moving_region(const ImDrawList* dl) {
    for (const UprightRegion& r : upright_regions())
        if (r.dl == dl) return &r;
    return nullptr;
}
}  // namespace

namespace {
// A box of width `width` at `min` drawn into `dl`, as the layout must place it for the frame's
// reflection to show it where its upright region puts it (unchanged outside one).
ImVec2 placed(const ImDrawList* dl, ImVec2 min, float width) {
    if (!g_mirrored) return min;
    if (const UprightRegion* r = moving_region(dl)) min.x = r->x0 + r->x1 - (min.x + width);
    return min;
}
}  // namespace

void set_frame_mirrored(bool on) {
    g_mirrored = on;
    upright_regions().clear();  // (a scope never outlives its frame; nothing is left from the last)
}
bool frame_mirrored() { return g_mirrored; }

Upright::Upright(ImDrawList* dl) : dl_(g_mirrored ? dl : nullptr), from_(dl ? dl->VtxBuffer.Size : 0) {}

Upright::Upright(ImDrawList* dl, float x0, float x1)
    : dl_(g_mirrored ? dl : nullptr), from_(dl ? dl->VtxBuffer.Size : 0), x0_(x0), x1_(x1), box_(true) {
    if (dl_) upright_regions().push_back({dl_, x0, x1});
}

Upright::~Upright() {
    if (!dl_) return;
    if (box_) upright_regions().pop_back();
    if (dl_->VtxBuffer.Size > from_) upright_spans().push_back({dl_, from_, dl_->VtxBuffer.Size, x0_, x1_, box_});
}

const std::string& upright_back(const FrameContext& ui) { return g_mirrored ? ui.icons.chevron_right : ui.icons.chevron_left; }

std::vector<UprightSpan> take_upright_spans() { return std::exchange(upright_spans(), {}); }

void mirror_draw_data(ImDrawData* data, std::vector<UprightSpan> spans) {
    if (!data) return;
    const float axis2 = 2 * data->DisplayPos.x + data->DisplaySize.x;  // x' = axis2 − x
    // Outer blocks first: a text inside an upright keyboard moves with the keyboard.
    std::sort(spans.begin(), spans.end(), [](const UprightSpan& a, const UprightSpan& b) {
        return a.from != b.from ? a.from < b.from : a.to > b.to;
    });
    for (int l = 0; l < data->CmdListsCount; ++l) {
        ImDrawList* list = data->CmdLists[l];
        ImDrawVert* v = list->VtxBuffer.Data;
        const int n = list->VtxBuffer.Size;
        std::vector<char> moved(static_cast<std::size_t>(n), 0);
        for (const UprightSpan& sp : spans) {
            if (sp.dl != list || sp.from >= n) continue;
            const int to = std::min(sp.to, n);
            float x0 = sp.x0, x1 = sp.x1;
            if (!sp.box) {
                x0 = FLT_MAX;
                x1 = -FLT_MAX;
                for (int i = sp.from; i < to; ++i)
                    if (!moved[std::size_t(i)]) {
                        x0 = std::min(x0, v[i].pos.x);
                        x1 = std::max(x1, v[i].pos.x);
                    }
                if (x0 > x1) continue;
            }
            const float dx = std::round(axis2 - x0 - x1);  // whole pixels: text stays crisp
            for (int i = sp.from; i < to; ++i)
                if (!moved[std::size_t(i)]) {
                    v[i].pos.x += dx;
                    moved[std::size_t(i)] = 1;
                }
        }
        for (int i = 0; i < n; ++i)
            if (!moved[std::size_t(i)]) v[i].pos.x = axis2 - v[i].pos.x;
        for (ImDrawCmd& cmd : list->CmdBuffer) {
            const float left = axis2 - cmd.ClipRect.z, right = axis2 - cmd.ClipRect.x;
            cmd.ClipRect.x = left;
            cmd.ClipRect.z = right;
        }
    }
}

void note_drawn_texts(bool on) {
    g_note_texts = on;
    if (!on) drawn_texts().clear();
}

std::vector<DrawnText> take_drawn_texts() { return std::exchange(drawn_texts(), {}); }

ImVec2 text_size(ImFont* font, std::string_view text, float wrap) {
    if (has_rtl(text)) return rtl_layout(font, font->FontSize, text, wrap).size;
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, text.data(), text.data() + text.size());
}

ImVec2 sized_text_size(ImFont* font, float size, std::string_view text) {
    if (has_rtl(text)) return rtl_layout(font, size, text, 0).size;
    return font->CalcTextSizeA(size, FLT_MAX, 0, text.data(), text.data() + text.size());
}

void draw_sized(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, std::string_view text) {
    if (g_note_texts) note_text(dl, pos, sized_text_size(font, size, text), size, text);
    if (has_rtl(text)) return draw_rtl(dl, font, size, pos, colour, rtl_layout(font, size, text, 0));
    const Upright upright(dl);
    dl->AddText(font, size, {std::round(pos.x), std::round(pos.y)}, colour, text.data(), text.data() + text.size());
}

ImVec2 draw_text(ImDrawList* dl, ImFont* font, ImVec2 pos, ImU32 colour, std::string_view text, float wrap) {
    if (has_rtl(text)) {
        const RtlLayout& layout = rtl_layout(font, font->FontSize, text, wrap);
        draw_rtl(dl, font, font->FontSize, pos, colour, layout);
        note_text(dl, pos, layout.size, font->FontSize, text);
        return layout.size;
    }
    pos = {std::round(pos.x), std::round(pos.y)};
    {
        const Upright upright(dl);
        dl->AddText(font, font->FontSize, pos, colour, text.data(), text.data() + text.size(), wrap);
    }
    const ImVec2 size = text_size(font, text, wrap);
    note_text(dl, pos, size, font->FontSize, text);
    return size;
}

ImVec2 draw_text_centred(ImDrawList* dl, ImFont* font, float centre_x, float y, ImU32 colour, std::string_view text) {
    const ImVec2 s = text_size(font, text);
    draw_text(dl, font, {centre_x - s.x / 2, y}, colour, text);
    return s;
}

ImFont* fit_font(std::initializer_list<ImFont*> fonts, std::string_view text, float width, float height) {
    ImFont* chosen = nullptr;
    for (ImFont* f : fonts) {
        chosen = f;
        float longest = 0;  // the widest word: wrapped text never breaks inside one
        std::size_t begin = 0;
        while (begin < text.size()) {
            std::size_t end = text.find_first_of(" \n", begin);
            if (end == std::string_view::npos) end = text.size();
            longest = std::max(longest, text_size(f, text.substr(begin, end - begin)).x);
            begin = end + 1;
        }
        if (longest <= width && (height <= 0 || text_size(f, text, width).y <= height)) break;
    }
    return chosen;
}

float draw_paragraph_centred(ImDrawList* dl, ImFont* font, float x, float width, float y, ImU32 colour,
                             std::string_view text) {
    if (has_rtl(text)) {
        const Upright upright(dl);
        float top = y;
        for (const RtlLine& line : rtl_layout(font, font->FontSize, text, width).lines) {
            const ImVec2 at{std::round(x + (width - line.width) / 2), std::round(top)};
            dl->AddText(font, font->FontSize, at, colour, line.text.data(), line.text.data() + line.text.size());
            note_text(dl, at, {line.width, font->FontSize}, font->FontSize, line.text);
            top += font->FontSize * 1.18f;
        }
        return top - y;
    }
    // Word-wrap by hand so each line can be centred (ImGui wraps left-aligned only).
    const char* p = text.data();
    const char* end = text.data() + text.size();
    float top = y;
    while (p < end) {
        const char* line_end = font->CalcWordWrapPositionA(1.0f, p, end, width);
        if (line_end == p) line_end = p + 1;
        std::string_view line(p, static_cast<std::size_t>(line_end - p));
        while (!line.empty() && (line.back() == ' ' || line.back() == '\n')) line.remove_suffix(1);
        draw_text_centred(dl, font, x + width / 2, top, colour, line);
        top += font->FontSize * 1.18f;
        p = line_end;
        while (p < end && (*p == ' ' || *p == '\n')) ++p;
    }
    return top - y;
}

Touch touch_target(FrameContext& ui, const std::string& id, ImVec2 min, ImVec2 size, std::string_view spoken,
                   std::string_view spoken_lang) {
    // Inside an upright region of a mirrored frame the region is moved, not reflected: the hit
    // area goes where the moved region shows this target (reflected within the region, which
    // the frame's reflection then takes back).
    min = placed(ImGui::GetWindowDrawList(), min, size.x);
    ImGui::SetCursorScreenPos(min);
    Touch t;
    t.tapped = ImGui::InvisibleButton(id.c_str(), size);
    t.held = ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left);
    ui.hit(id, min, {min.x + size.x, min.y + size.y});
    if (ui.guide) {
        t.tapped = ui.guide->offer(id, without_icons(spoken), t.tapped, min.x, min.y, spoken_lang);
        if (ui.guide->focused(id)) {
            // The focus ring, over whatever the screen draws on the target: a yellow band inside
            // a black one, seen on any colour, and a shape, not a colour alone.
            ImDrawList* fg = ImGui::GetForegroundDrawList();
            const float w = ui.px(10), r = ui.px(20);
            const ImVec2 max{min.x + size.x, min.y + size.y};
            fg->AddRect({min.x - w, min.y - w}, {max.x + w, max.y + w}, IM_COL32(0, 0, 0, 255), r + w, 0, 2 * w);
            fg->AddRect({min.x - w / 2, min.y - w / 2}, {max.x + w / 2, max.y + w / 2}, IM_COL32(0xFF, 0xD4, 0x00, 255), r, 0, w);
        }
    }
    return t;
}

std::string without_icons(std::string_view text) {
    // The icon font's characters are in the Private Use Area (U+E000–U+F8FF): a voice has no word for them.
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t from = i;
        const char32_t c = next_utf8(text, i);
        if (c >= 0xE000 && c <= 0xF8FF) continue;
        out.append(text.substr(from, i - from));
    }
    const auto first = out.find_first_not_of(' '), last = out.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

void say_title(FrameContext& ui, std::string text) {
    if (ui.guide) ui.guide->title(std::move(text));
}

void say_live(FrameContext& ui, const std::string& id, std::string text, std::string focus) {
    if (ui.guide) ui.guide->live(id, std::move(text), std::move(focus));
}

float draw_flag(FrameContext& ui, float right, float centre_y, std::string_view text) {
    if (text.empty()) return 0;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    std::string label = ui.icons.warning.empty() ? "" : ui.icons.warning + "  ";
    label += text;
    const ImVec2 s = text_size(ui.fonts.bold, label);
    const float w = s.x + ui.px(40), h = s.y + ui.px(20);
    const ImVec2 min{right - w, centre_y - h / 2};
    dl->AddRectFilled(min, {right, min.y + h}, palette::kErrorBg, h / 2);
    draw_text(dl, ui.fonts.bold, {min.x + ui.px(20), min.y + ui.px(10)}, palette::kErrorInk, label);
    return w;
}

std::string long_date(const FrameContext& ui, int weekday, int day, int month) {
    return ui.t("date.long", {{"weekday", ui.t("weekday." + std::to_string(weekday))},
                              {"day", std::to_string(day)},
                              {"month", ui.t("month." + std::to_string(month))}});
}

float draw_header(FrameContext& ui, std::string_view town, std::string_view office, std::string_view time,
                  std::string_view date, std::string_view flag) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = ui.px(168);
    const float pad = ui.px(48);
    dl->AddRectFilled({0, 0}, {ui.size.x, h}, palette::kHeader);
    dl->AddRectFilled({0, h - ui.px(8)}, {ui.size.x, h}, palette::kHeaderRule);

    const ImVec2 time_size = text_size(ui.fonts.title, time);
    const ImVec2 date_size = text_size(ui.fonts.small, date);
    const float right_w = std::max(time_size.x, date_size.x);
    const float block_h = time_size.y + date_size.y;
    const float top = (h - ui.px(8) - block_h) / 2;
    draw_text(dl, ui.fonts.title, {ui.size.x - pad - time_size.x, top - ui.px(4)}, IM_COL32_WHITE, time);
    draw_text(dl, ui.fonts.small, {ui.size.x - pad - date_size.x, top + time_size.y}, palette::kHeaderSoft, date);

    const float flag_w = draw_flag(ui, ui.size.x - 2 * pad - right_w, (h - ui.px(8)) / 2, flag);

    // Town above office name; both clipped before the clock (and the flag).
    const float left_w = ui.size.x - 3 * pad - right_w - (flag_w > 0 ? flag_w + pad : 0);
    const ImVec2 town_size = text_size(ui.fonts.small, town);
    ImFont* office_font = text_size(ui.fonts.heading, office).x <= left_w ? ui.fonts.heading
                          : text_size(ui.fonts.bold, office).x <= left_w  ? ui.fonts.bold
                          : text_size(ui.fonts.body, office).x <= left_w  ? ui.fonts.body
                                                                          : ui.fonts.small;
    const ImVec2 office_size = text_size(office_font, office);
    const float ltop = (h - ui.px(8) - town_size.y - office_size.y) / 2;
    dl->PushClipRect({pad, 0}, {pad + left_w, h}, true);
    draw_text(dl, ui.fonts.small, {pad, ltop}, palette::kHeaderSoft, town);
    draw_text(dl, office_font, {pad, ltop + town_size.y}, IM_COL32_WHITE, office);
    dl->PopClipRect();
    return h;
}

bool big_button(FrameContext& ui, const std::string& id, ImVec2 min, ImVec2 size, std::string_view icon,
                std::string_view label, bool primary, std::string_view spoken, std::string_view spoken_lang) {
    const Touch t = touch_target(ui, id, min, size, spoken.empty() ? label : spoken, spoken_lang);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max{min.x + size.x, min.y + size.y};
    const float r = ui.px(18);
    const ImU32 ink = primary ? palette::kOnAccent : palette::kAccent;
    if (primary) {
        dl->AddRectFilled({min.x, min.y + ui.px(4)}, {max.x, max.y + ui.px(4)}, palette::kShadow, r);
        dl->AddRectFilled(min, max, palette::kAccent, r);
    } else {
        dl->AddRectFilled(min, max, palette::kCard, r);
        dl->AddRect(min, max, palette::kAccent, r, 0, ui.px(4));
    }
    if (t.held) dl->AddRect({min.x + ui.px(6), min.y + ui.px(6)}, {max.x - ui.px(6), max.y - ui.px(6)},
                            primary ? palette::kOnAccent : palette::kAccent, r * 0.7f, 0, ui.px(5));
    std::string text;
    if (!icon.empty()) {
        text += icon;
        text += "  ";
    }
    text += label;
    const ImVec2 s = text_size(ui.fonts.bold, text);
    draw_text(dl, ui.fonts.bold, {min.x + (size.x - s.x) / 2, min.y + (size.y - s.y) / 2}, ink, text);
    return t.tapped;
}

void draw_qr(ImDrawList* dl, ImVec2 min, float side, int modules, const std::vector<unsigned char>& dark) {
    if (modules <= 0 || dark.size() < std::size_t(modules) * modules) return;
    const Upright upright(dl);  // a reflected QR code reads back reflected
    const float quiet = 4;
    const float m = std::floor(side / (modules + 2 * quiet));
    const float real = m * (modules + 2 * quiet);
    const ImVec2 o{std::round(min.x + (side - real) / 2), std::round(min.y + (side - real) / 2)};
    dl->AddRectFilled(o, {o.x + real, o.y + real}, IM_COL32_WHITE);
    for (int y = 0; y < modules; ++y) {
        int x = 0;
        while (x < modules) {
            if (!dark[std::size_t(y) * modules + x]) {
                ++x;
                continue;
            }
            int run = x;  // one rectangle per horizontal run keeps the vertex count low
            while (run < modules && dark[std::size_t(y) * modules + run]) ++run;
            dl->AddRectFilled({o.x + (quiet + x) * m, o.y + (quiet + y) * m}, {o.x + (quiet + run) * m, o.y + (quiet + y + 1) * m},
                              IM_COL32_BLACK);
            x = run;
        }
    }
}

std::string forecast_text(const FrameContext& ui, const ToldWait& f) {
    return app::wait_words(ui.translator, ui.lang, f);  // the words the paper and the web use too
}

bool pin_input(const char* id, char* buf, std::size_t size, ImGuiInputTextFlags flags, bool editable, bool& was_active) {
    bool enter_before_active = false;
    if (editable && !was_active) {
        ImGuiIO& io = ImGui::GetIO();
        for (const ImWchar c : io.InputQueueCharacters) {
            const std::size_t len = std::strlen(buf);
            if (c >= '0' && c <= '9' && len + 1 < size) {
                buf[len] = static_cast<char>(c);
                buf[len + 1] = 0;
            }
        }
        io.InputQueueCharacters.resize(0);  // the field must not take them a second time
        enter_before_active = ImGui::IsKeyPressed(ImGuiKey_Enter, false) || ImGui::IsKeyPressed(ImGuiKey_KeyPadEnter, false);
    }
    // A field focused by code is activated with all its text selected (ImGui 1.86 InputTextEx): the
    // digits kept above would be replaced by the next one typed. In the frame it becomes active the
    // callback puts the cursor after them instead.
    bool cursor_to_end = !was_active && buf[0] != 0;
    const auto to_end = [](ImGuiInputTextCallbackData* d) {
        bool* pending = static_cast<bool*>(d->UserData);
        if (*pending) {
            d->CursorPos = d->SelectionStart = d->SelectionEnd = d->BufTextLen;
            *pending = false;
        }
        return 0;
    };
    const bool entered = ImGui::InputText(id, buf, size, flags | ImGuiInputTextFlags_CallbackAlways, to_end, &cursor_to_end) ||
                         (enter_before_active && buf[0] != 0);
    was_active = ImGui::IsItemActive();
    return entered;
}

// Any press, key or typed character counts as someone being there; a mouse that only moves does
// too (a desk PC), a finger cannot hover.
bool someone_is_there() {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.InputQueueCharacters.Size > 0 || io.MouseWheel != 0) return true;
    if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0) return true;
    for (bool down : io.MouseDown)
        if (down) return true;
    for (bool down : io.KeysDown)
        if (down) return true;
    return false;
}

void wipe_buffer(char* p, std::size_t n) {
    volatile char* v = p;  // not optimised away
    for (std::size_t i = 0; i < n; ++i) v[i] = 0;
}

}  // namespace csc::gui
