// screen.hpp — what every screen of every role builds on.
//
// Contents: HitRect, FrameContext, Screen.
// Contract: a screen draws one whole window from a view-model snapshot it is given and
// reports what the person asked for through its role's intent interface. It keeps only view
// state, never calls the store, the printer or the network, and never blocks.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <imgui.h>

#include "kiosk/app/speech_guide.hpp"
#include "kiosk/gui/backend.hpp"
#include "kiosk/gui/icon_font.hpp"
#include "kiosk/gui/textures.hpp"
#include "shared/i18n.hpp"

namespace csc::gui {

/// A touch target as drawn this frame, in window pixels (the GUI test taps these).
struct HitRect {
    std::string id;
    ImVec2 min, max;
};

/// Everything a screen needs to draw one frame.
struct FrameContext {
    const UiFonts& fonts;
    const UiIcons& icons;
    const Translator& translator;
    std::string lang;        ///< the citizen's language for this frame
    ImVec2 size;             ///< window size in pixels
    float scale = 1.0f;      ///< design unit → pixels (1.0 on 1080×1920 / 1920×1080)
    std::vector<HitRect> hits;
    TextureCache* textures = nullptr;  ///< pictures → textures (nullptr: pictures are not drawn)
    app::SpeechGuide* guide = nullptr; ///< the role's speech mode (nullptr: a role without one)

    [[nodiscard]] bool portrait() const { return size.y >= size.x; }
    /// Design units (pixels on a 1080-wide portrait screen) → pixels on this screen.
    [[nodiscard]] float px(float design) const { return design * scale; }
    /// A citizen-facing text in the current language.
    [[nodiscard]] std::string t(std::string_view key,
                                const std::vector<std::pair<std::string, std::string>>& args = {}) const {
        return translator.tr(lang, key, args);
    }
    /// The plural form of `key` for the count `n` (the catalog's CLDR rules), {count} filled.
    [[nodiscard]] std::string tc(std::string_view key, long long n) const { return translator.tr_count(lang, key, n); }
    /// Records a touch target for the layout dump.
    void hit(std::string id, ImVec2 min, ImVec2 max) { hits.push_back({std::move(id), min, max}); }
};

/// A full-window screen. draw() is final: it sets up the window, each screen writes only
/// draw_content().
class Screen {
public:
    virtual ~Screen() = default;
    /// Draws the screen as the only window, covering the whole drawable area. With a speech
    /// guide it first reads the keypad (a key or a 3-second press starts speech mode) and
    /// afterwards lets the guide put the frame into words.
    virtual void draw(FrameContext& ui) final;
    /// Stable name ("home", "services", "confirm") for logs and the layout dump.
    [[nodiscard]] virtual std::string_view name() const = 0;

protected:
    virtual void draw_content(FrameContext& ui) = 0;
};

}  // namespace csc::gui
