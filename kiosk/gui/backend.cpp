#include "kiosk/gui/backend.hpp"

#include <glad/gl.h>  // before GLFW
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cfloat>
#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <thread>

#include <imgui_freetype.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "kiosk/gui/frame_loop.hpp"
#include "kiosk/gui/icon_font.hpp"
#include "kiosk/gui/png_write.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {

// Design sizes in pixels on a 1080-pixel-wide portrait screen (scale 1).
constexpr float kSmall = 32, kBody = 40, kHeading = 54, kTitle = 72, kHuge = 300, kIcon = 104;

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

std::string glfw_error() {
    const char* text = nullptr;
    glfwGetError(&text);
    return text ? text : "unknown GLFW error";
}

}  // namespace

namespace {

// The layout scale of a drawable of w×h pixels: 1.0 = a 1080×1920 (or 1920×1080) screen.
float layout_scale(int w, int h) {
    const bool portrait = h >= w;
    const float base_w = portrait ? 1080.f : 1920.f, base_h = portrait ? 1920.f : 1080.f;
    return std::max(0.3f, std::min(w / base_w, h / base_h));
}

}  // namespace

Result<std::unique_ptr<Backend>> Backend::open(const WindowOptions& options, const FontOptions& font_options) {
    std::unique_ptr<Backend> b(new Backend());
    b->startup_ms_.emplace_back("backend", process_age_ms());
    if (!glfwInit()) return fail("cannot start the display (GLFW): " + glfw_error() + " — is DISPLAY set?");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    // 2-D drawing only: no depth or stencil buffer (under software rendering each would be
    // another 8 MB of the program's memory at 1080×1920).
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);

    b->fullscreen_ = options.fullscreen;
    GLFWmonitor* monitor = nullptr;
    int w = options.width, h = options.height;
    if (options.fullscreen) {
        monitor = glfwGetPrimaryMonitor();
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        if (!mode) return fail("no monitor found for fullscreen mode");
        glfwWindowHint(GLFW_RED_BITS, mode->redBits);
        glfwWindowHint(GLFW_GREEN_BITS, mode->greenBits);
        glfwWindowHint(GLFW_BLUE_BITS, mode->blueBits);
        glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
        w = mode->width;
        h = mode->height;
    } else if (options.fit_to_desktop) {
        // A portrait kiosk layout on a landscape desktop: shrink, keep the aspect ratio.
        int ax = 0, ay = 0, aw = 0, ah = 0;
        if (GLFWmonitor* m = glfwGetPrimaryMonitor()) glfwGetMonitorWorkarea(m, &ax, &ay, &aw, &ah);
        if (aw > 0 && ah > 0 && (w > aw || h > ah)) {
            const double f = std::min(double(aw) / w, double(ah) / h) * 0.95;
            w = int(w * f);
            h = int(h * f);
        }
    }

    // The first atlas is rasterised on a thread while the window and its OpenGL context are
    // made (each about 200 ms under software rendering). No ImGui context exists until both
    // are done, so the two threads share no ImGui state (ImGui counts allocations in its
    // context). The scale is the window's size; a drawable of another size (a desktop's
    // scaling) is caught below and the fonts are made again for it.
    b->scale_ = layout_scale(w, h);
    const NeededCharacters& first = font_options.first_text ? *font_options.first_text : font_options.text;
    Result<void> fonts_built;
    std::thread font_thread([&] {
        try {
            fonts_built = b->build_fonts(font_options, first);
        } catch (const std::exception& e) {  // (a thread's exception would end the program)
            fonts_built = fail(std::string("cannot build the font atlas: ") + e.what());
        }
    });
    b->window_ = glfwCreateWindow(w, h, options.title.c_str(), monitor, nullptr);
    if (b->window_) {
        glfwMakeContextCurrent(b->window_);
        glfwSwapInterval(1);
    }
    const bool gl_loaded = b->window_ && gladLoadGL(glfwGetProcAddress) != 0;
    b->startup_ms_.emplace_back("window", process_age_ms());
    font_thread.join();
    b->startup_ms_.emplace_back("fonts", process_age_ms());
    if (!b->window_) return fail("cannot open the window (OpenGL 3.3): " + glfw_error());
    if (!gl_loaded) return fail("cannot load OpenGL 3.3 functions");
    if (!fonts_built) return fonts_built.error();
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(b->window_, &fw, &fh);
    if (const float scale = layout_scale(fw, fh); scale != b->scale_) {
        b->scale_ = scale;
        b->atlas_->Clear();
        if (auto r = b->build_fonts(font_options, first); !r) return r.error();
    }
    if (font_options.first_text) b->pending_text_ = font_options;

    IMGUI_CHECKVERSION();
    ImGui::CreateContext(b->atlas_.get());
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk writes nothing to its working directory
    io.LogFilename = nullptr;
    io.FontDefault = b->fonts_.body;
    if (options.fullscreen) {
        glfwSetInputMode(b->window_, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
        io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;  // else the backend shows it again
    }
    // Every input event asks for a few more frames (ImGui chains to these callbacks). Without
    // this, a press and release consumed by one frame's poll would leave the release unseen
    // until the next event.
    glfwSetWindowUserPointer(b->window_, b.get());
    glfwSetMouseButtonCallback(b->window_, [](GLFWwindow* w, int, int, int) { note_input(w); });
    glfwSetCursorPosCallback(b->window_, [](GLFWwindow* w, double, double) { note_input(w); });
    glfwSetScrollCallback(b->window_, [](GLFWwindow* w, double, double) { note_input(w); });
    glfwSetKeyCallback(b->window_, [](GLFWwindow* w, int key, int, int action, int) { note_key(w, key, action); });
    glfwSetCharCallback(b->window_, [](GLFWwindow* w, unsigned int) { note_input(w); });
    glfwSetWindowFocusCallback(b->window_, [](GLFWwindow* w, int) { note_input(w); });
    glfwSetCursorEnterCallback(b->window_, [](GLFWwindow* w, int) { note_input(w); });
    glfwSetWindowRefreshCallback(b->window_, [](GLFWwindow* w) { note_input(w); });
    if (!ImGui_ImplGlfw_InitForOpenGL(b->window_, true)) return fail("cannot start ImGui's GLFW backend");
    if (!ImGui_ImplOpenGL3_Init("#version 330 core")) return fail("cannot start ImGui's OpenGL backend");
    b->imgui_ready_ = true;
    // The ImGui backend's shaders and buffers now, with an empty stand-in atlas: with ours
    // they would come with an RGBA copy of the whole atlas, uploaded only to be replaced by
    // the one-channel texture (use_one_channel_font_texture).
    {
        ImFontAtlas stand_in;
        io.Fonts = &stand_in;
        const bool made = ImGui_ImplOpenGL3_CreateDeviceObjects();
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        io.Fonts = b->atlas_.get();
        if (!made) return fail("cannot compile ImGui's OpenGL shaders");
    }
    b->startup_ms_.emplace_back("imgui", process_age_ms());
    return b;
}

Backend::~Backend() {
    textures_.reset();  // while the GL context is still there
    if (font_texture_) glDeleteTextures(1, &font_texture_);
    if (imgui_ready_) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
    }
    atlas_.reset();  // not the context's: shared with it (ImGui::CreateContext(atlas))
    if (window_) glfwDestroyWindow(window_);
    glfwTerminate();
}

namespace {

// A file mapped read-only (size 0 when it cannot be opened or is empty).
class MappedFile {
public:
    MappedFile() = default;
    explicit MappedFile(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat st {};
        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (p != MAP_FAILED) {
                data_ = p;
                size_ = static_cast<std::size_t>(st.st_size);
            }
        }
        ::close(fd);
    }
    MappedFile(MappedFile&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
    MappedFile& operator=(MappedFile&& o) noexcept {
        if (this != &o) {
            if (data_) ::munmap(data_, size_);
            data_ = std::exchange(o.data_, nullptr);
            size_ = std::exchange(o.size_, 0);
        }
        return *this;
    }
    ~MappedFile() {
        if (data_) ::munmap(data_, size_);
    }
    /// The bytes; ImGui's API takes them non-const and reads only (handed over as owned, then
    /// disowned before the atlas could free them: build_fonts).
    [[nodiscard]] void* data() const { return data_; }
    [[nodiscard]] std::size_t size() const { return size_; }

private:
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

// Consecutive characters as ImGui glyph ranges (pairs, 0-terminated).
std::vector<ImWchar> ranges_of(const std::vector<char32_t>& chars) {
    std::vector<ImWchar> out;
    for (std::size_t i = 0; i < chars.size();) {
        std::size_t j = i;
        while (j + 1 < chars.size() && chars[j + 1] == chars[j] + 1) ++j;
        out.push_back(static_cast<ImWchar>(chars[i]));
        out.push_back(static_cast<ImWchar>(chars[j]));
        i = j + 1;
    }
    out.push_back(0);
    return out;
}

}  // namespace

Result<void> Backend::complete_fonts() {
    if (!pending_text_) return {};
    const FontOptions options = std::move(*pending_text_);
    pending_text_.reset();
    const double first_ms = font_report_.build_ms;
    if (font_texture_) glDeleteTextures(1, &font_texture_);
    font_texture_ = 0;  // the next frame uploads the new atlas
    atlas_->Clear();
    forget_text_layouts();
    if (auto r = build_fonts(options, options.text); !r) {
        // The files were readable a moment ago. Draw with the first set again, and say so; if
        // even that fails there are no fonts to draw with: the caller must stop.
        atlas_->Clear();
        forget_text_layouts();
        pending_text_ = options;  // still not complete (fonts_complete() stays false)
        if (auto again = build_fonts(options, *options.first_text); !again)
            return fail_as("fonts.lost", "the fonts cannot be made again: " + again.error().message);
        return fail("the other languages' characters are not drawn (" + r.error().message + ")");
    }
    font_report_.first_build_ms = first_ms;
    startup_ms_.emplace_back("fonts_complete", process_age_ms());
    return {};
}

Result<void> Backend::build_fonts(const FontOptions& options, const NeededCharacters& text) {
    const auto t0 = std::chrono::steady_clock::now();
    ImFontAtlas& atlas = *atlas_;
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();  // crisper than stb_truetype
    atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    atlas.Flags |= ImFontAtlasFlags_NoMouseCursors;

    // Each character from the first font of the chain that has it (font_plan.hpp); only the
    // characters the catalogues and the configuration use, so the atlas stays small.
    auto plan = plan_fonts(text, text_faces());
    if (!plan) return plan.error();
    if (plan->regular.empty() || plan->bold.empty()) return fail("no text font has any of the characters needed");
    font_report_ = {};
    font_report_.missing = plan->missing;
    for (const auto* style : {&plan->regular, &plan->bold})
        for (const FacePlan& fp : *style) font_report_.faces.push_back(fp.file + (fp.embolden ? " (emboldened)" : ""));

    std::set<char32_t> icons(options.icons.begin(), options.icons.end());
    icon_ranges_.clear();
    for (char32_t c : icons) {
        if (c > 0xFFFF) continue;  // ImWchar is 16-bit in Debian's build; FA 4.7 fits
        icon_ranges_.push_back(static_cast<ImWchar>(c));
        icon_ranges_.push_back(static_cast<ImWchar>(c));
    }
    icon_ranges_.push_back(0);
    std::set<char> huge(options.huge_glyphs.begin(), options.huge_glyphs.end());
    huge_ranges_.clear();
    for (char c : huge)
        if (c > 0x20 && c < 0x7F) {
            huge_ranges_.push_back(static_cast<ImWchar>(c));
            huge_ranges_.push_back(static_cast<ImWchar>(c));
        }
    huge_ranges_.push_back(0);
    if (!std::filesystem::exists(kFontAwesomeTtf)) return fail(std::string("font not found: ") + kFontAwesomeTtf);

    // Every file is mapped once, read-only, and shared by all sizes: FreeType touches only the
    // pages it reads (a CJK face is 5 MB, of which a first atlas reads little), and no page of
    // the program's own memory is spent on it (under virtualisation a fresh page costs tens of
    // µs). ImGui 1.86 copies the data of a font it does not own (AddFont: ten copies of that
    // face, 50 MB, were most of the build's time), so each font is added as owning it and
    // disowned again (below) before the atlas could free it: after the build, on every path.
    std::map<std::string, MappedFile> files;
    auto file_data = [&](const std::string& path) -> MappedFile* {
        auto [it, fresh] = files.try_emplace(path);
        if (fresh) it->second = MappedFile(path);
        return it->second.size() ? &it->second : nullptr;
    };
    struct Disown {
        ImFontAtlas& atlas;
        void now() {
            for (ImFontConfig& cfg : atlas.ConfigData) {
                cfg.FontDataOwnedByAtlas = false;
                cfg.FontData = nullptr;
            }
        }
        ~Disown() { now(); }
    } disown{atlas};
    std::vector<std::vector<ImWchar>> text_ranges;  // must outlive atlas.Build()
    text_ranges.reserve(plan->regular.size() + plan->bold.size());
    std::map<const FacePlan*, const ImWchar*> face_ranges;
    for (const auto* style : {&plan->regular, &plan->bold})
        for (const FacePlan& fp : *style) {
            text_ranges.push_back(ranges_of(fp.chars));
            face_ranges[&fp] = text_ranges.back().data();
        }

    const float s = scale_;
    bool loaded = true;
    auto add_font = [&](const std::string& file, int face_index, float px, ImFontConfig cfg, const ImWchar* ranges) {
        MappedFile* data = file_data(file);
        if (!data) {
            loaded = false;
            return static_cast<ImFont*>(nullptr);
        }
        cfg.FontDataOwnedByAtlas = true;  // not copied; disowned before anything frees it (Disown)
        cfg.FontNo = face_index;
        return atlas.AddFontFromMemoryTTF(data->data(), static_cast<int>(data->size()), std::round(px * s), &cfg, ranges);
    };
    auto text_font = [&](bool bold, float px) -> ImFont* {
        const auto& style = bold ? plan->bold : plan->regular;
        ImFont* font = nullptr;
        for (std::size_t i = 0; i < style.size(); ++i) {
            const FacePlan& fp = style[i];
            ImFontConfig cfg;
            cfg.OversampleH = cfg.OversampleV = 1;
            cfg.MergeMode = i > 0;
            if (fp.embolden) cfg.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_Bold;
            ImFont* f = add_font(fp.file, fp.face->face_index, px, cfg, face_ranges[&fp]);
            if (i == 0) font = f;
        }
        if (icon_ranges_.size() > 1) {
            ImFontConfig merge;
            merge.MergeMode = true;
            merge.PixelSnapH = true;
            merge.GlyphMinAdvanceX = std::round(px * s * 1.1f);  // icons line up in columns
            merge.GlyphOffset.y = std::round(px * s * 0.04f);
            add_font(kFontAwesomeTtf, 0, px * 0.95f, merge, icon_ranges_.data());
        }
        return font;
    };
    fonts_.small = text_font(false, kSmall);
    fonts_.body = text_font(false, kBody);
    fonts_.bold = text_font(true, kBody);
    fonts_.heading = text_font(true, kHeading);
    fonts_.title = text_font(true, kTitle);
    {
        ImFontConfig cfg;
        cfg.OversampleH = cfg.OversampleV = 1;
        fonts_.huge = huge_ranges_.size() > 1 ? add_font(plan->bold.front().file, plan->bold.front().face->face_index, kHuge, cfg,
                                                       huge_ranges_.data())
                                              : fonts_.title;
    }
    {
        ImFontConfig cfg;
        cfg.OversampleH = cfg.OversampleV = 1;
        fonts_.icon = icon_ranges_.size() > 1 ? add_font(kFontAwesomeTtf, 0, kIcon, cfg, icon_ranges_.data()) : fonts_.title;
    }
    if (!loaded || !fonts_.small || !fonts_.body || !fonts_.bold || !fonts_.heading || !fonts_.title || !fonts_.huge || !fonts_.icon)
        return fail("cannot load the fonts (DejaVu Sans, Font Awesome)");
    if (!atlas.Build()) return fail("cannot build the font atlas");
    disown.now();            // the atlas no longer points into the files,
    atlas.ClearInputData();  // and the glyphs are rasterised: the files can go (with `files`)
    if (ImGui::GetCurrentContext()) ImGui::GetIO().FontDefault = fonts_.body;
    // Large text (issue 13, point 7): every font a step up; the smallest text is then the body's
    // 40 design px (a capital H of ~29 px: 0.7° at 500 mm even on a 21.5" 1080p panel's 0.248 mm).
    large_fonts_ = fonts_;
    large_fonts_.small = fonts_.body;
    large_fonts_.body = fonts_.heading;
    large_fonts_.bold = fonts_.heading;
    large_fonts_.heading = fonts_.title;
    font_report_.width = atlas.TexWidth;
    font_report_.height = atlas.TexHeight;
    for (ImFont* f : atlas.Fonts) font_report_.glyphs += f->Glyphs.Size;
    font_report_.build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return {};
}

void Backend::note_key(GLFWwindow* window, int key, int action) {
    note_input(window);
    auto* b = static_cast<Backend*>(glfwGetWindowUserPointer(window));
    if (b && action == GLFW_PRESS && key >= 0 && key < IM_ARRAYSIZE(ImGui::GetIO().KeysDown))
        b->pressed_keys_.push_back(key);
}

void Backend::note_input(GLFWwindow* window) {
    static_cast<Backend*>(glfwGetWindowUserPointer(window))->input_seen_ = true;
}

bool Backend::should_close() const { return glfwWindowShouldClose(window_) != 0; }

void Backend::request_close() { glfwSetWindowShouldClose(window_, GLFW_TRUE); }

void Backend::cancel_close() { glfwSetWindowShouldClose(window_, GLFW_FALSE); }

void Backend::set_title(const std::string& title) { glfwSetWindowTitle(window_, title.c_str()); }

void Backend::wait_until(std::optional<SteadyTime> deadline) {
    // A worker that posted its result and called wake() while the last frame ran may have had
    // its empty event taken by that frame's poll (begin_frame), after the role's update() had
    // looked at its inbox: then sleeping would leave the result unseen until the next input or
    // deadline (a GUI test saw a cancelled booking shown only when the program was stopped).
    if (!wake_pending_.exchange(false)) {
        if (!deadline) {
            glfwWaitEvents();  // 0% CPU at rest: only input or wake() ends this
        } else if (const auto left = std::chrono::duration<double>(*deadline - std::chrono::steady_clock::now()).count();
                   left <= 0) {
            glfwPollEvents();
        } else {
            glfwWaitEventsTimeout(left);
        }
    }
    // Whatever woke us, the update() that follows applies what was posted before that wake().
    wake_pending_.store(false);
}

void Backend::wake() {
    wake_pending_.store(true);
    glfwPostEmptyEvent();
}

void Backend::begin_frame() {
    frame_start_ = std::chrono::steady_clock::now();
    frame_start_cpu_ms_ = thread_cpu_ms();
    ImGuiIO& io = ImGui::GetIO();
    for (int k : latched_keys_) io.KeysDown[k] = glfwGetKey(window_, k) == GLFW_PRESS;
    latched_keys_.clear();
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    if (!font_texture_) use_one_channel_font_texture();
    ImGui_ImplGlfw_NewFrame();
    // A key pressed and already released within this poll is held down for this one frame. A
    // key down in the last frame (held by this latch or by a finger), or pressed twice in this
    // poll (a keypad's + pressed twice quickly), waits for a later frame: ImGui counts a press
    // only after a frame with the key up. (KeysDownDuration is still the last frame's here.)
    std::vector<int> later, counted;
    for (int k : pressed_keys_) {
        const bool again = io.KeysDownDuration[k] >= 0.0f || std::find(counted.begin(), counted.end(), k) != counted.end();
        if (again) {
            later.push_back(k);
            continue;
        }
        counted.push_back(k);  // down this frame: held by the finger still, or latched here
        if (!io.KeysDown[k]) {
            io.KeysDown[k] = true;
            latched_keys_.push_back(k);
        }
    }
    pressed_keys_ = std::move(later);
    // The frames that take them come without more input; a key still held down waits for its
    // release, which is input (no frames meanwhile).
    bool held = false;
    for (int k : pressed_keys_) held = held || glfwGetKey(window_, k) == GLFW_PRESS;
    if (!pressed_keys_.empty() && !held) wake();
    // Imgui 1.86's GLFW backend reads the pointer only while the window has keyboard focus;
    // a kiosk under a bare X server (no window manager) may never get focus, and a tap must
    // work regardless: take the position whenever the pointer is over the window.
    // (GLFW_HOVERED is no help either: a window mapped under the pointer gets no EnterNotify.)
    if (!glfwGetWindowAttrib(window_, GLFW_FOCUSED)) {
        double x = 0, y = 0;
        int w = 0, h = 0;
        glfwGetCursorPos(window_, &x, &y);
        glfwGetWindowSize(window_, &w, &h);
        if (x >= 0 && y >= 0 && x < w && y < h) io.MousePos = ImVec2(float(x), float(y));
    }
    if (mirrored_ && io.MousePos.x > -FLT_MAX / 2) io.MousePos.x = io.DisplaySize.x - io.MousePos.x;
    (void)take_upright_spans();  // none should be left over; a frame starts with none
    ImGui::NewFrame();
}

void Backend::set_mirrored(bool on) {
    mirrored_ = on;
    set_frame_mirrored(on);
}

Result<void> Backend::end_frame(const std::filesystem::path* screenshot) {
    ImGui::Render();
    if (mirrored_) mirror_draw_data(ImGui::GetDrawData(), take_upright_spans());
    const auto ui_done = std::chrono::steady_clock::now();
    timing_.ui_ms = thread_cpu_ms() - frame_start_cpu_ms_;
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window_, &fw, &fh);
    glViewport(0, 0, fw, fh);
    // The page colour (palette::kPage): a screen needs no full-screen rectangle of its own, and
    // under software rendering (llvmpipe) each one costs a few ms per 1080p frame.
    const ImVec4 page = ImGui::ColorConvertU32ToFloat4(palette::kPage);
    glClearColor(page.x, page.y, page.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    Result<void> shot;
    if (screenshot) shot = save_png(*screenshot);
    glfwSwapBuffers(window_);
    textures_->end_frame();
    const auto done = std::chrono::steady_clock::now();
    timing_.ui_wall_ms = std::chrono::duration<double, std::milli>(ui_done - frame_start_).count();
    timing_.render_ms = std::chrono::duration<double, std::milli>(done - ui_done).count();
    ++frames_;
    return shot;
}

void Backend::use_one_channel_font_texture() {
    // ImGui's OpenGL backend uploads the atlas as RGBA: white pixels carrying the glyphs' alpha.
    // The same texture as one channel read back as (1, 1, 1, coverage) by a swizzle draws the
    // same pixels with a quarter of the memory (nine languages: a 2048×4096 atlas, 32 MB of RGBA
    // against 8 MB — under software rendering, the program's own memory). Then the atlas'
    // CPU copies go too.
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* alpha = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsAlpha8(&alpha, &w, &h);
    if (!alpha || w <= 0 || h <= 0) return;
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    GLint bound = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
    GLuint tex = 0;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    const GLint swizzle[4] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, alpha);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(bound));
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex)));
    io.Fonts->ClearTexData();
    font_texture_ = tex;
    // (the first atlas's upload, then the whole one's: two names, the stats are a JSON object)
    startup_ms_.emplace_back(fonts_complete() && font_report_.first_build_ms > 0 ? "font_texture_whole" : "font_texture",
                             process_age_ms());
    // The atlas' building blocks (tens of MB: the RGBA copy, FreeType's work) were freed inside
    // the heap, whose top is in use: give those pages back to the system now (once per atlas).
    malloc_trim(0);
}

Result<void> Backend::save_png(const std::filesystem::path& file) {
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window_, &fw, &fh);
    std::vector<unsigned char> pixels(std::size_t(fw) * fh * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, fw, fh, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    return write_png_rgb(file, fw, fh, pixels, /*flip_vertically=*/true);
}

ImVec2 Backend::size() const {
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window_, &fw, &fh);
    return {float(fw), float(fh)};
}

ImVec2 Backend::screen_origin() const {
    int x = 0, y = 0;
    glfwGetWindowPos(window_, &x, &y);
    return {float(x), float(y)};
}

}  // namespace csc::gui
