// widgets.hpp — the look shared by all citizen-facing screens: palette, text drawing and
// touch targets. Colours were chosen for ≥ 4.5:1 text contrast (checked in the comments).
//
// Contents: palette constants, rgb(), Text helpers, touch_target(), draw_header(),
// draw_qr(), draw_icon_text().
#pragma once

#include <string>
#include <initializer_list>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "kiosk/gui/screen.hpp"
#include "shared/config.hpp"
#include "shared/forecast.hpp"

namespace csc::gui {

// The screens' colours. Two sets: the normal one (light pages, every text ≥ 7:1 but the sector
// tiles' own pairs, ≥ 4.5:1), and high contrast for citizens who see poorly (black pages, white
// and yellow text, every pair ≥ 7:1), chosen from the entrance's home screen for one visit. The
// names stay constants to the screens; only use_high_contrast() changes them, on the UI thread,
// before a frame is drawn.
namespace palette {
inline ImU32 kPage = IM_COL32(0xF2, 0xF4, 0xF7, 0xFF);      ///< page background: the backend clears to it, screens draw no page rectangle
inline ImU32 kHeader = IM_COL32(0x0B, 0x3D, 0x73, 0xFF);    ///< header band (white text 11:1)
inline ImU32 kHeaderSoft = IM_COL32(0xC9, 0xD7, 0xEA, 0xFF);///< secondary header text (7.5:1)
inline ImU32 kHeaderRule = IM_COL32(0x3C, 0x8D, 0xE0, 0xFF);
inline ImU32 kInk = IM_COL32(0x1A, 0x22, 0x2E, 0xFF);       ///< body text (15:1 on kPage)
inline ImU32 kInkSoft = IM_COL32(0x45, 0x51, 0x63, 0xFF);   ///< secondary text (7.6:1 on kPage)
inline ImU32 kCard = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
inline ImU32 kBorder = IM_COL32(0xB8, 0xC2, 0xCF, 0xFF);
inline ImU32 kAccent = IM_COL32(0x0B, 0x3D, 0x73, 0xFF);    ///< primary buttons (kOnAccent text 11:1)
inline ImU32 kOnAccent = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);  ///< text on kAccent
inline ImU32 kShadow = IM_COL32(0x10, 0x20, 0x30, 0x22);
inline ImU32 kInfoBg = IM_COL32(0xE3, 0xEE, 0xFA, 0xFF);
inline ImU32 kOkBg = IM_COL32(0xE2, 0xF3, 0xE5, 0xFF);
inline ImU32 kOkInk = IM_COL32(0x1B, 0x5E, 0x20, 0xFF);     ///< 7:1 on kOkBg
inline ImU32 kWarnBg = IM_COL32(0xFF, 0xF1, 0xD6, 0xFF);
inline ImU32 kWarnEdge = IM_COL32(0xB2, 0x5E, 0x00, 0xFF);
inline ImU32 kWarnInk = IM_COL32(0x6B, 0x36, 0x00, 0xFF);   ///< 8:1 on kWarnBg
inline ImU32 kErrorBg = IM_COL32(0xFD, 0xE4, 0xE2, 0xFF);
inline ImU32 kErrorInk = IM_COL32(0x8E, 0x1B, 0x14, 0xFF);  ///< 7:1 on kErrorBg
/// Switches the colours above to the high-contrast set (true) or back to the normal one.
void use_high_contrast(bool on);
/// True while the high-contrast set is in use.
[[nodiscard]] bool high_contrast();
/// A sector's colour for high contrast: the same hue darkened until white text on it is ≥ 7:1.
[[nodiscard]] Rgb high_contrast_fill(Rgb colour);
}  // namespace palette

/// An opaque (or `alpha`) ImGui colour from a configuration colour.
[[nodiscard]] ImU32 rgb(Rgb c, int alpha = 255);

// Right-to-left text (Arabic) is shaped and put in visual order by these text functions, once for
// every screen (shared/text_bidi.hpp); its lines align right inside the text's own box.
/// Size of `text` in `font`, wrapped at `wrap` pixels (0 = no wrap).
[[nodiscard]] ImVec2 text_size(ImFont* font, std::string_view text, float wrap = 0);
/// Drops the remembered layouts of right-to-left texts (they name their font by address): the
/// backend calls it when it makes the fonts anew.
void forget_text_layouts();
// Right-to-left languages mirror the whole frame: the screens lay out as for left to right,
// then the backend reflects the frame's shapes about its vertical centre line (the pointer
// too, so taps land where the layout put them: Backend::set_mirrored). What must not be
// reflected (text, pictures, QR codes, a keyboard whose keys keep their order) is drawn inside
// an Upright scope: moved as one block to the mirrored place of its box instead.
/// Vertices of one draw list drawn inside an Upright scope, and its box's horizontal extent
/// (`box` false: the vertices' own extent).
struct UprightSpan {
    ImDrawList* dl = nullptr;
    int from = 0, to = 0;
    float x0 = 0, x1 = 0;
    bool box = false;
};
/// Whether this frame is mirrored (the frame loop sets it before drawing). Off: Upright costs nothing.
void set_frame_mirrored(bool on);
[[nodiscard]] bool frame_mirrored();
/// While alive, what is drawn into `dl` is kept upright: moved, not reflected.
class Upright {
public:
    /// A block whose box is the extent of what is drawn (text, a picture).
    explicit Upright(ImDrawList* dl);
    /// A region [x0, x1] holding touch targets: touch_target() inside it puts each hit area
    /// where the moved block shows its target.
    Upright(ImDrawList* dl, float x0, float x1);
    ~Upright();
    Upright(const Upright&) = delete;
    Upright& operator=(const Upright&) = delete;

private:
    ImDrawList* dl_ = nullptr;
    int from_ = 0;
    float x0_ = 0, x1_ = 0;
    bool box_ = false;
};
/// The chevron pointing left on the glass inside an upright region (a keyboard's Backspace):
/// a mirrored frame swaps the chevrons' meanings (UiIcons), an upright block keeps its own.
[[nodiscard]] const std::string& upright_back(const FrameContext& ui);
/// The spans kept upright since the last call, handed over (the backend, each frame).
[[nodiscard]] std::vector<UprightSpan> take_upright_spans();
/// Reflects a frame's draw lists about x = width / 2, `spans` moved as blocks (the backend).
void mirror_draw_data(ImDrawData* data, std::vector<UprightSpan> spans);

/// A text drawn by the functions below: its box in the frame's pixels and its type size.
struct DrawnText {
    ImVec2 min, max;
    float px = 0;
    bool icon = false;  ///< one Font Awesome glyph alone (non-text contrast, ≥ 3:1, applies)
};
/// While on, the functions below note every text they draw (the layout dump's "texts": the
/// GUI tests measure each one's contrast on the screenshot). Off by default: no cost.
void note_drawn_texts(bool on);
/// The texts noted since the last call, handed over.
[[nodiscard]] std::vector<DrawnText> take_drawn_texts();
/// Size of `text` in `font` drawn at `size` pixels (a font rasterised larger, e.g. the huge
/// font's 300 design px, scaled down stays crisp).
ImVec2 sized_text_size(ImFont* font, float size, std::string_view text);
/// Draws `text` in `font` at `size` pixels, top-left at `pos` (rounded to whole pixels).
void draw_sized(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 colour, std::string_view text);
/// Draws text with its top-left at `pos`; returns its size.
ImVec2 draw_text(ImDrawList* dl, ImFont* font, ImVec2 pos, ImU32 colour, std::string_view text, float wrap = 0);
/// Draws one line centred horizontally on `centre_x`, top at `y`; returns its size.
ImVec2 draw_text_centred(ImDrawList* dl, ImFont* font, float centre_x, float y, ImU32 colour, std::string_view text);
/// The first of `fonts` (largest first) in which `text` wrapped at `width` breaks no word and is
/// at most `height` tall (0: any height); the last one otherwise. With large text on, the
/// fonts are a step larger and a label that fitted may not: this keeps it whole.
[[nodiscard]] ImFont* fit_font(std::initializer_list<ImFont*> fonts, std::string_view text, float width, float height = 0);
/// Draws wrapped text centred line by line inside [x, x+width]; returns total height.
float draw_paragraph_centred(ImDrawList* dl, ImFont* font, float x, float width, float y, ImU32 colour,
                             std::string_view text);

/// What happened to a touch target this frame.
struct Touch {
    bool tapped = false;  ///< released inside: act on it
    bool held = false;    ///< finger down on it: show press feedback (there is no hover on touch)
};

/// An invisible touch target at [min, min+size], recorded for the layout dump under `id`. In
/// speech mode it is one of the keypad's choices, said as `spoken` ("" = not one; by the voice of
/// `spoken_lang` when that is not the visit's language), and drawn
/// with the focus ring while the keys are on it; chosen with 5 it is tapped.
Touch touch_target(FrameContext& ui, const std::string& id, ImVec2 min, ImVec2 size, std::string_view spoken = {},
                   std::string_view spoken_lang = {});
/// `text` without the icon font's characters (and the spaces around them): what a voice can say.
[[nodiscard]] std::string without_icons(std::string_view text);
/// Speech mode: the screen's title, said when the screen comes (nothing without a guide).
void say_title(FrameContext& ui, std::string text);
/// Speech mode: a text said once when it appears or changes (`id` names it across frames);
/// `focus`: the target the keys move to then.
void say_live(FrameContext& ui, const std::string& id, std::string text, std::string focus = {});

/// "giovedì 26 novembre": a date in the frame's language (the catalogue's date.long); weekday 0 = Monday.
[[nodiscard]] std::string long_date(const FrameContext& ui, int weekday, int day, int month);
/// The header band every citizen screen shares: town, office, clock. Returns its height.
float draw_header(FrameContext& ui, std::string_view town, std::string_view office, std::string_view time,
                  std::string_view date, std::string_view flag = {});
/// A red pill with a warning icon (e.g. "Offline"), its right edge at `right`, vertically
/// centred on `centre_y`; returns its width (0 for an empty text).
float draw_flag(FrameContext& ui, float right, float centre_y, std::string_view text);

/// A primary (filled) or secondary (outlined) button with an optional leading icon; speech
/// mode says its label, or `spoken` when given (an icon-only button).
bool big_button(FrameContext& ui, const std::string& id, ImVec2 min, ImVec2 size, std::string_view icon,
                std::string_view label, bool primary, std::string_view spoken = {}, std::string_view spoken_lang = {});

/// A QR code (`dark` is size×size, row-major) drawn as squares with a 4-module white margin.
void draw_qr(ImDrawList* dl, ImVec2 min, float side, int modules, const std::vector<unsigned char>& dark);

/// Someone touched, moved, typed or held a key this frame (ImGui's input state).
[[nodiscard]] bool someone_is_there();
/// A forecast in the words of every citizen screen ("Attesa 10–20 min", "circa 5 min", "breve").
[[nodiscard]] std::string forecast_text(const FrameContext& ui, const ToldWait& f);

/// GLFW key codes (ImGui 1.86 io.KeysDown index) the sign-in screens listen for.
inline constexpr int kKeyEnter = 257, kKeyKpEnter = 335;
/// Overwrites a typed PIN's buffer (not optimised away).
void wipe_buffer(char* p, std::size_t n);

/// A PIN field (ImGui::InputText with `flags`) that loses no key: ImGui activates a focused
/// field a frame after the request and drops the characters typed in the frames before, so the
/// first digit typed at once after a sign-out was lost. While the field was not active in the
/// last frame (`was_active`, kept by the caller per field and updated here) and `editable`,
/// typed digits go into `buf` here and a Return counts; the cursor then stays after them (a field
/// focused by code starts with its text selected). True when the PIN is entered.
bool pin_input(const char* id, char* buf, std::size_t size, ImGuiInputTextFlags flags, bool editable, bool& was_active);

}  // namespace csc::gui
