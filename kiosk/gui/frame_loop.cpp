#include "kiosk/gui/frame_loop.hpp"
#include "kiosk/gui/widgets.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace csc::gui {

namespace {

using Clock = std::chrono::steady_clock;

// After input draw a few frames: ImGui 1.86 sees a tap's press in one frame and its release
// in the next, and the screen it leads to in the one after. Other wake-ups: Role::frames_per_wake.
constexpr int kFramesPerInput = 3;

void write_atomically(const std::filesystem::path& file, const std::string& text) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    const auto tmp = file.string() + ".tmp";
    bool written = false;
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << text;
        written = static_cast<bool>(out.flush());
    }
    if (written) std::filesystem::rename(tmp, file, ec);
    if (!written || ec) {
        std::cerr << "kiosk: cannot write " << file.string() << ": " << (written ? ec.message() : "write failed") << '\n';
        std::filesystem::remove(tmp, ec);  // never leave a temporary file behind
    }
}

std::string file_safe(std::string key) {
    for (char& c : key)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
    return key;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::min<double>(v.size() - 1, p * (v.size() - 1) + 0.5));
    return v[i];
}

}  // namespace

double process_age_ms() {
    std::ifstream stat("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    const auto close = text.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string f;
    unsigned long long start_ticks = 0;
    for (int i = 3; i <= 22 && fields >> f; ++i)
        if (i == 22) start_ticks = std::stoull(f);
    std::ifstream uptime_file("/proc/uptime");
    double uptime = 0;
    uptime_file >> uptime;
    const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    if (start_ticks == 0 || tick <= 0) return -1;
    return (uptime - start_ticks / tick) * 1000.0;
}

int run_frame_loop(Backend& backend, Role& role, const UiIcons& icons, const Translator& translator,
                   const LoopHooks& hooks, const std::atomic<bool>& stop) {
    const auto started = Clock::now();
    const std::optional<Clock::time_point> exit_at =
        hooks.exit_after_ms ? std::optional(started + std::chrono::milliseconds(*hooks.exit_after_ms)) : std::nullopt;
    int frames_left = kFramesPerInput;
    std::string dumped_key;
    int shots = 0;
    double first_frame_ms = -1;
    std::vector<double> ui_ms, ui_wall_ms, render_ms;

    note_drawn_texts(!hooks.layout_file.empty());  // the dump's "texts"
    UiIcons rtl_icons = icons;
    std::swap(rtl_icons.chevron_left, rtl_icons.chevron_right);
    while (!backend.should_close() && !stop.load()) {
        if (frames_left <= 0 && !hooks.frames) {
            auto deadline = role.next_deadline(Clock::now());
            if (exit_at && (!deadline || *exit_at < *deadline)) deadline = exit_at;
            backend.wait_until(deadline);
            frames_left = std::max(1, role.frames_per_wake());
        }
        const auto now = Clock::now();
        if (exit_at && now >= *exit_at) break;
        role.update(now);
        const std::string key_before = role.state_key();

        // A right-to-left language mirrors the frame (widgets.hpp, Upright); the chevrons that
        // say "forward" and "back" change sides with it.
        const bool mirrored = translator.right_to_left(role.lang());
        backend.set_mirrored(mirrored);
        backend.begin_frame();
        FrameContext ui{role.large_text() ? backend.large_fonts() : backend.fonts(), mirrored ? rtl_icons : icons, translator, role.lang(), backend.size(), backend.scale(), {}, &backend.textures()};
        ui.guide = role.speech_guide();
        role.screen().draw(ui);
        role.after_frame();
        const std::vector<DrawnText> texts = take_drawn_texts();
        const std::string key = role.state_key();
        if (std::getenv("CSC_GUI_TRACE"))
            std::fprintf(stderr, "frame %llu mouse %.0f,%.0f down %d key %s\n", (unsigned long long)backend.frame_count(),
                         ImGui::GetIO().MousePos.x, ImGui::GetIO().MousePos.y, ImGui::GetIO().MouseDown[0], key.c_str());
        const bool settled = key == key_before;  // this frame shows the state from its start
        const bool changed = settled && key != dumped_key;

        std::filesystem::path shot;
        if (changed && !hooks.screenshot_dir.empty() && role.capture_allowed()) {
            char n[16];
            std::snprintf(n, sizeof n, "%03d-", ++shots);
            shot = hooks.screenshot_dir / (n + file_safe(key) + ".png");
        }
        if (auto r = backend.end_frame(shot.empty() ? nullptr : &shot); !r)
            std::cerr << "kiosk: " << r.error().message << '\n';
        if (backend.frame_count() > 1) {  // the first frame compiles shaders and uploads the fonts
            ui_ms.push_back(backend.last_timing().ui_ms);
            ui_wall_ms.push_back(backend.last_timing().ui_wall_ms);
            render_ms.push_back(backend.last_timing().render_ms);
        }

        if (backend.frame_count() == 1) {
            first_frame_ms = process_age_ms();
            // The first frame is on the screen: now the rest of the atlas (the other languages'
            // characters), before any input is answered. The ready file waits for it, so that
            // a test's screenshot in any language is drawn with the whole atlas.
            if (auto r = backend.complete_fonts(); !r) {
                std::cerr << "kiosk: " << r.error().message << '\n';
                if (r.error().code == "fonts.lost") return 1;  // nothing to draw with
            }
            if (!hooks.ready_file.empty())
                write_atomically(hooks.ready_file, nlohmann::json{{"pid", getpid()}, {"first_frame_ms", first_frame_ms}}.dump() + "\n");
        }
        if (changed) {
            dumped_key = key;
            if (!hooks.layout_file.empty()) {
                const ImVec2 origin = backend.screen_origin();
                const ImVec2 size = backend.size();
                nlohmann::json targets = nlohmann::json::array();
                // Where they are on the glass: a mirrored frame reflects its layout.
                const auto left = [&](float x0, float x1) { return origin.x + (backend.mirrored() ? size.x - x1 : x0); };
                for (const auto& h : ui.hits)
                    targets.push_back({{"id", h.id},
                                       {"x", left(h.min.x, h.max.x)},
                                       {"y", origin.y + h.min.y},
                                       {"w", h.max.x - h.min.x},
                                       {"h", h.max.y - h.min.y}});
                nlohmann::json j = role.describe();
                j["key"] = key;
                j["frame"] = backend.frame_count();
                j["screenshot"] = shot.string();
                j["window"] = {{"x", origin.x}, {"y", origin.y}, {"w", size.x}, {"h", size.y}};
                j["scale"] = backend.scale();
                j["fullscreen"] = backend.fullscreen();
                j["mirrored"] = backend.mirrored();
                j["targets"] = targets;
                nlohmann::json drawn = nlohmann::json::array();
                for (const DrawnText& t : texts)
                    drawn.push_back({{"x", left(t.min.x, t.max.x)},
                                     {"y", origin.y + t.min.y},
                                     {"w", t.max.x - t.min.x},
                                     {"h", t.max.y - t.min.y},
                                     {"px", t.px},
                                     {"icon", t.icon}});
                j["texts"] = drawn;
                write_atomically(hooks.layout_file, j.dump(1) + "\n");
            }
        }
        if (!settled) frames_left = std::max(frames_left, 2);
        if (backend.take_input_seen()) frames_left = std::max(frames_left, kFramesPerInput);
        --frames_left;
        if (hooks.frames && backend.frame_count() >= static_cast<std::uint64_t>(*hooks.frames)) break;
    }

    if (!hooks.stats_file.empty()) {
        nlohmann::json j{{"frames", ui_ms.size()},
                         {"first_frame_ms", first_frame_ms},
                         {"ui_ms_p50", percentile(ui_ms, 0.5)},
                         {"ui_ms_p99", percentile(ui_ms, 0.99)},
                         {"ui_ms_max", percentile(ui_ms, 1.0)},
                         {"ui_wall_ms_p50", percentile(ui_wall_ms, 0.5)},
                         {"ui_wall_ms_p99", percentile(ui_wall_ms, 0.99)},
                         {"render_ms_p50", percentile(render_ms, 0.5)},
                         {"render_ms_p99", percentile(render_ms, 0.99)}};
        const FontAtlasReport& atlas = backend.font_report();
        nlohmann::json startup = nlohmann::json::object();
        for (const auto& [step, ms] : backend.startup_ms()) startup[step] = ms;
        startup["first_frame"] = first_frame_ms;
        j["startup_ms"] = startup;
        j["font_atlas"] = {{"width", atlas.width},   {"height", atlas.height},     {"glyphs", atlas.glyphs},
                           {"build_ms", atlas.build_ms}, {"first_build_ms", atlas.first_build_ms}, {"faces", atlas.faces}, {"missing", atlas.missing.size()}};
        write_atomically(hooks.stats_file, j.dump(1) + "\n");
    }
    return 0;
}

}  // namespace csc::gui
