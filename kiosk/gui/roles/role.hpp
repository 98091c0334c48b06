// role.hpp — what `kiosk run --role NAME` starts: one role per file in roles/, listed in
// role_table.cpp. A role owns its controller state (office access, worker threads, the view
// model) and hands the frame loop the screen to draw.
//
// Contents: RoleEnv, Role, RoleInfo, role_table(), find_role().
// Contract: update() and everything that draws run on the UI thread; a role's own threads
// post results to it and call RoleEnv::wake, never draw. A role is destroyed before the
// Backend, after its threads have stopped.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/printer/printer_status.hpp"
#include "kiosk/app/context.hpp"
#include "kiosk/gui/backend.hpp"
#include "kiosk/gui/icon_font.hpp"
#include "kiosk/gui/screen.hpp"
#include "shared/sync/replicator.hpp"

namespace csc::app {
class PrintSpooler;
}

namespace csc::gui {

/// What a role gets from `kiosk run`.
struct RoleEnv {
    app::Context& ctx;            ///< configuration, translations, the opened office
    const IconMap& icon_map;      ///< icon names → code points (fonts hold the sectors' icons)
    std::function<void()> wake;   ///< thread-safe: redraw soon (data changed, a job finished)
    std::string lang;             ///< starting language ("" = the office's first)
    int counter = 0;              ///< --counter N: the counter terminal's counter (0 = not given)
    std::filesystem::path sound_file;  ///< --sound-file: the display writes each call's sound here (WAV) instead of playing it
    std::filesystem::path speech_dir;  ///< --speech-dir: the entrance writes what speech mode says here (NNN.wav, NNN.json) instead of playing it
    std::filesystem::path headset_file;  ///< --headset-file: the headset jack's state read from this file ("1" = plugged), not from ALSA
    /// The LAN link's state when [sync] is configured (empty function = single machine).
    std::function<sync::SyncStatus()> link;
    /// Thread-safe, never blocks: what the printer answered to a job (`printed`: it came out),
    /// for the device's status on the IT dashboard (empty function = nobody asks).
    std::function<void(const printer::PrinterStatus&, bool printed)> printer_report;
    /// The service menu's "Restart the program": closes the window, then the program starts
    /// again with the same command line (empty function = not offered).
    std::function<void()> restart;
    /// The service menu's "Apply now": the site configuration is read again and the office,
    /// this role and its links are built anew in the same window, without restarting the
    /// program (empty function = "Apply now" restarts the program instead).
    std::function<void()> reload;
};

/// The i18n key of the link flag a screen shows: "" (single machine, or online and current),
/// "link.offline" (not reaching the cluster: working on its own) or "link.stale" (connected
/// but still catching up with the others).
[[nodiscard]] std::string link_flag(const RoleEnv& env);
/// "none" | "online" | "offline" | "stale", for the layout dump.
[[nodiscard]] std::string link_state(const RoleEnv& env);
/// "10:42": `t` on the office's clock.
[[nodiscard]] std::string local_hhmm(const SiteConfig& config, Millis t);
/// Overwrites a typed secret (a PIN) in place (sodium_memzero: not optimised away), then empties it.
void wipe_secret(std::string& s);

/// A role's window when the command line does not say (the entrance's come from [kiosk]).
struct WindowDefaults {
    std::string orientation = "portrait";  ///< portrait | landscape
    bool fullscreen = false;
    int width = 0, height = 0;             ///< windowed size; 0 = the orientation's full size
};

class Role {
public:
    virtual ~Role() = default;
    /// Before each frame: take posted results, refresh the view model, run timeouts.
    virtual void update(SteadyTime now) = 0;
    /// The screen to draw this frame.
    [[nodiscard]] virtual Screen& screen() = 0;
    /// The language the screen is in now.
    [[nodiscard]] virtual const std::string& lang() const = 0;
    /// True while the screen is drawn with the large fonts (Backend::large_fonts()).
    [[nodiscard]] virtual bool large_text() const { return false; }
    /// When a redraw is needed without any input (clock minute, countdown, timeout).
    [[nodiscard]] virtual std::optional<SteadyTime> next_deadline(SteadyTime now) const = 0;
    /// Changes whenever what is shown changes materially (screen, language, ticket state):
    /// the layout dump and test screenshots are taken when it changes.
    [[nodiscard]] virtual std::string state_key() const = 0;
    /// Role-specific fields for the layout dump (screen, lang, ticket, …).
    [[nodiscard]] virtual nlohmann::json describe() const = 0;
    /// False while the screen shows or takes a secret (the CRS PIN digits): no screenshot of
    /// such a frame is ever written, whatever --screenshot-dir says.
    [[nodiscard]] virtual bool capture_allowed() const { return true; }
    /// Frames drawn after a wake-up without input: 3 by default (a tap's press, its release,
    /// the screen it leads to); a role that takes no input (the display) needs only the one
    /// that shows the change, so a call arriving meanwhile waits for less.
    [[nodiscard]] virtual int frames_per_wake() const { return 3; }
    /// The role's speech mode, handed to each frame's screens (nullptr = none: only the entrance has one).
    [[nodiscard]] virtual app::SpeechGuide* speech_guide() { return nullptr; }
    /// After each frame is drawn (the entrance speaks what its guide gathered).
    virtual void after_frame() {}
    /// The printer this role prints on, for the service menu's printer page (nullptr = none).
    [[nodiscard]] virtual app::PrintSpooler* spooler() { return nullptr; }
};

/// One entry of the role table.
struct RoleInfo {
    std::string_view name;     ///< --role value
    std::string_view summary;  ///< for --help
    Result<std::unique_ptr<Role>> (*make)(RoleEnv& env);
    /// Window defaults from the configuration (nullptr = the [kiosk] settings).
    WindowDefaults (*window_defaults)(const SiteConfig& config) = nullptr;
    /// Shows the communication zone's items: the fonts hold their characters too.
    bool shows_content = false;
};

/// All roles this build can run (roles/role_table.cpp).
[[nodiscard]] std::span<const RoleInfo> role_table();
/// The role named `name`, or nullptr.
[[nodiscard]] const RoleInfo* find_role(std::string_view name);

}  // namespace csc::gui
