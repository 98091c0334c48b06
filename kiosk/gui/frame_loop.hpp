// frame_loop.hpp — draws a role's screens, sleeping between changes (0% CPU at rest), plus
// the small hooks the GUI test and the benchmark use.
//
// Contents: LoopHooks, LoopStats, run_frame_loop().
#pragma once

#include <atomic>
#include <filesystem>
#include <optional>

#include "kiosk/gui/backend.hpp"
#include "kiosk/gui/roles/role.hpp"

namespace csc::gui {

/// Test and benchmark hooks (all off by default; see docs/GUI.md).
struct LoopHooks {
    std::filesystem::path ready_file;      ///< written once the first frame is on screen
    std::filesystem::path layout_file;     ///< JSON of the touch targets, rewritten on each change
    std::filesystem::path screenshot_dir;  ///< a PNG each time the shown state changes
    std::filesystem::path stats_file;      ///< frame timing JSON, written at exit
    std::optional<int> exit_after_ms;      ///< close after this long
    std::optional<int> frames;             ///< draw this many frames back to back, then close
};

/// Runs until the window closes, `stop` becomes true, or a hook ends it. Returns an exit code.
int run_frame_loop(Backend& backend, Role& role, const UiIcons& icons, const Translator& translator,
                   const LoopHooks& hooks, const std::atomic<bool>& stop);

/// Milliseconds since this process started (from /proc; 10 ms resolution), or -1.
[[nodiscard]] double process_age_ms();

}  // namespace csc::gui
