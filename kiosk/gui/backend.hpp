// backend.hpp — the platform under every role: one GLFW window with an OpenGL 3.3 context,
// Dear ImGui with its fonts, a frame loop that sleeps until something happens, and
// screenshots. Nothing above this file touches GLFW or OpenGL.
//
// Contents: WindowOptions, FontOptions, UiFonts, FontAtlasReport, FrameTiming, Backend.
// Contract: all methods except wake() are called on the thread that opened the backend.
// wake() may be called from any thread while the Backend exists.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

#include "kiosk/gui/font_plan.hpp"
#include "kiosk/gui/textures.hpp"
#include "shared/result.hpp"

struct GLFWwindow;

namespace csc::gui {

using SteadyTime = std::chrono::steady_clock::time_point;

/// The window asked for.
struct WindowOptions {
    std::string title = "CSC";
    bool fullscreen = false;  ///< kiosk mode: the whole primary monitor, no cursor
    int width = 1080;         ///< windowed size (shrunk to fit the desktop, keeping the aspect)
    int height = 1920;
    bool fit_to_desktop = true;
};

/// What the fonts must contain.
struct FontOptions {
    NeededCharacters text;        ///< the text fonts' characters (needed_characters(): catalogues, configuration, base set)
    /// When set, the atlas of the first frame holds only these (the office's language and the
    /// languages' names: needed_characters(…, whole)); complete_fonts() adds the rest.
    std::optional<NeededCharacters> first_text;
    std::vector<char32_t> icons;  ///< Font Awesome code points, merged into every text font
    std::string huge_glyphs;      ///< characters of the huge (ticket number) font, UTF-8 ASCII
};

/// The fonts of every screen, rasterised for the window's scale. Never null once open.
struct UiFonts {
    ImFont* small = nullptr;    ///< secondary lines
    ImFont* body = nullptr;     ///< ordinary text
    ImFont* bold = nullptr;     ///< button labels
    ImFont* heading = nullptr;  ///< screen headings, sector names
    ImFont* title = nullptr;    ///< the largest text line
    ImFont* huge = nullptr;     ///< the ticket number (only FontOptions::huge_glyphs)
    ImFont* icon = nullptr;     ///< large icons alone (Font Awesome only)
};

/// How the font atlas came out (for the log and the --stats-file benchmark hook).
struct FontAtlasReport {
    int width = 0, height = 0;       ///< texture size in pixels (one channel on the GPU)
    int glyphs = 0;                  ///< glyphs rasterised, all fonts and sizes
    double build_ms = 0;             ///< planning + loading + rasterising, wall clock
    double first_build_ms = 0;       ///< the same for the first frame's partial atlas (0: it was whole)
    std::vector<std::string> faces;  ///< the font files merged into the text fonts, in chain order
    std::map<char32_t, std::string> missing;  ///< characters no font has → where first seen
};

/// Where one frame's CPU time went (milliseconds).
struct FrameTiming {
    double ui_ms = 0;      ///< thread CPU time of NewFrame … ImGui::Render (the screens, no rasterising)
    double ui_wall_ms = 0; ///< the same span in wall-clock time (includes being preempted)
    double render_ms = 0;  ///< RenderDrawData + swap (the rasteriser: llvmpipe without a GPU)
};

class Backend {
public:
    /// Creates the window, GL context, ImGui and the fonts. Errors say what is missing.
    [[nodiscard]] static Result<std::unique_ptr<Backend>> open(const WindowOptions& window, const FontOptions& fonts);
    ~Backend();
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    /// True once the window was asked to close (window manager or request_close()).
    [[nodiscard]] bool should_close() const;
    void request_close();
    /// Takes back request_close() (the service menu's "Apply now" keeps the window open).
    void cancel_close();
    /// The window's title (the office's name after a configuration is applied).
    void set_title(const std::string& title);

    /// Sleeps until input arrives, wake() is called or `deadline` passes (nullopt = no deadline).
    void wait_until(std::optional<SteadyTime> deadline);
    /// Wakes wait_until() from any thread (data changed, a print finished, …); never lost: a
    /// wake whose event a frame's poll took still keeps the next wait_until() from sleeping.
    void wake();

    /// Mirrors the frames from the next one on (a right-to-left language): the pointer is
    /// reflected about the window's vertical centre line before the screens see it, and the
    /// drawn frame after (mirror_draw_data, widgets.hpp), so the screens lay out as always.
    void set_mirrored(bool on);
    [[nodiscard]] bool mirrored() const { return mirrored_; }
    /// Starts a frame: polls input and begins the ImGui frame.
    void begin_frame();
    /// Renders and shows the frame; with `screenshot`, also saves it as PNG first.
    Result<void> end_frame(const std::filesystem::path* screenshot = nullptr);

    /// Drawable size in pixels.
    [[nodiscard]] ImVec2 size() const;
    /// Top-left of the drawable area on the X screen (for the GUI test's real pointer events).
    [[nodiscard]] ImVec2 screen_origin() const;
    /// Layout scale: 1.0 = a 1080×1920 (or 1920×1080) screen.
    [[nodiscard]] float scale() const { return scale_; }
    [[nodiscard]] bool fullscreen() const { return fullscreen_; }
    [[nodiscard]] const UiFonts& fonts() const { return fonts_; }
    /// The same fonts a step larger for the large-text mode (small→body, body→heading,
    /// heading→title): no font of its own, so the atlas does not grow.
    [[nodiscard]] const UiFonts& large_fonts() const { return large_fonts_; }
    /// The font atlas: size, build time, faces used, characters no font has.
    [[nodiscard]] const FontAtlasReport& font_report() const { return font_report_; }
    /// False while the atlas holds only FontOptions::first_text.
    [[nodiscard]] bool fonts_complete() const { return !pending_text_; }
    /// Between frames: rebuilds the atlas with every character of FontOptions::text (the
    /// next frame uploads it). Nothing to do once complete. An Error: the whole set could not be
    /// made and the first one is back (still incomplete), or, code "fonts.lost", there are no
    /// fonts at all and no frame may be drawn.
    Result<void> complete_fonts();
    /// The program's age (ms since exec) when each start-up step ended, in order: "backend"
    /// (entered open), "window", "fonts", "imgui", "font_texture", then "fonts_complete" and
    /// "font_texture_whole" when the first atlas was partial (for the bench's breakdown).
    [[nodiscard]] const std::vector<std::pair<std::string, double>>& startup_ms() const { return startup_ms_; }
    [[nodiscard]] const FrameTiming& last_timing() const { return timing_; }
    /// True if input arrived since the last call (then draw a few more frames).
    [[nodiscard]] bool take_input_seen() { return std::exchange(input_seen_, false); }
    /// Frames shown so far.
    [[nodiscard]] std::uint64_t frame_count() const { return frames_; }
    /// The pictures' textures (a frame's screens draw through it; freed with the window).
    [[nodiscard]] TextureCache& textures() { return *textures_; }

private:
    Backend() = default;
    Result<void> build_fonts(const FontOptions& options, const NeededCharacters& text);
    Result<void> save_png(const std::filesystem::path& file);
    static void note_input(GLFWwindow* window);
    static void note_key(GLFWwindow* window, int key, int action);

    GLFWwindow* window_ = nullptr;
    bool imgui_ready_ = false;
    bool fullscreen_ = false;
    float scale_ = 1.0f;
    UiFonts fonts_;
    UiFonts large_fonts_{};  // fonts_ a step larger (large_fonts())
    FontAtlasReport font_report_;
    std::optional<FontOptions> pending_text_;  // the whole set, while the atlas has the first one
    std::vector<std::pair<std::string, double>> startup_ms_;
    FrameTiming timing_;
    bool mirrored_ = false;
    std::chrono::steady_clock::time_point frame_start_;
    double frame_start_cpu_ms_ = 0;
    std::uint64_t frames_ = 0;
    bool input_seen_ = false;
    // Keys pressed since the last frame, and keys held down for one frame on their behalf:
    // ImGui 1.86 samples key state once per frame, so a press and release handled by the same
    // poll (a slow frame) would otherwise be lost.
    std::vector<int> pressed_keys_, latched_keys_;
    /// The font atlas as a one-channel texture (ours, not the ImGui backend's RGBA one: a quarter
    /// of the memory); 0 until the first frame makes it.
    unsigned font_texture_ = 0;
    void use_one_channel_font_texture();
    /// wake() was called since the last wait: its empty event may have been taken by a frame's
    /// glfwPollEvents (begin_frame) after the role's update() had looked at its inbox.
    std::atomic<bool> wake_pending_{false};
    std::vector<ImWchar> icon_ranges_, huge_ranges_;  // must outlive the atlas build
    /// The fonts' atlas: built before the ImGui context exists (open()), which shares it.
    std::unique_ptr<ImFontAtlas> atlas_ = std::make_unique<ImFontAtlas>();
    std::unique_ptr<TextureCache> textures_ = std::make_unique<TextureCache>();
};

}  // namespace csc::gui
