// presence_beacon.hpp — this program says it is alive (issue 15 point 5): its status every
// kPresenceEveryMs to DATA/presence and, in LAN mode, to the other devices; and the statuses heard
// from the other devices kept in DATA/presence too, where the IT dashboard reads them.
//
// Contents: printer_presence(), PresenceBeacon, keep_heard_statuses().
// Contract: a thread of its own writes and sends; the frame loop only hands over facts
// (printer_checked) and never waits. A status never holds personal data or a secret. A status
// heard from the LAN is kept only if it reads back (presence::read_device_status) and its device
// is the one its subject names; a refused one is logged once per device, never a crash.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "drivers/printer/printer_status.hpp"
#include "kiosk/app/context.hpp"
#include "kiosk/app/lan_session.hpp"
#include "shared/presence/device_status.hpp"

namespace csc::app {

/// The dashboard's words for what a printer said (`printed`: the last job came out).
[[nodiscard]] presence::PrinterPresence printer_presence(const printer::PrinterStatus& status, bool printed, Millis now);

/// Sends this program's status until destroyed (then its last word, `stopping`).
class PresenceBeacon {
public:
    /// `role` as presence::DeviceStatus::role; `lan` may be null (single machine) and must outlive this.
    PresenceBeacon(Context& ctx, std::string role, int counter, LanSession* lan);
    ~PresenceBeacon();
    PresenceBeacon(const PresenceBeacon&) = delete;
    PresenceBeacon& operator=(const PresenceBeacon&) = delete;
    /// Thread-safe: the printer answered a print job (`printed`: it came out); sent at once.
    void printer_checked(const printer::PrinterStatus& status, bool printed);
    /// This program prints (an entrance): its status says "printer not known yet" until a print.
    void has_printer();

private:
    void loop();
    [[nodiscard]] presence::DeviceStatus status_now(bool stopping);
    void send(const presence::DeviceStatus& s);

    Context& ctx_;
    LanSession* lan_;
    presence::DeviceStatus base_;
    std::mutex mutex_;  // guards printer_, printed_day_, wake_, stop_
    std::condition_variable cv_;
    std::optional<presence::PrinterPresence> printer_;
    int printed_day_ = 0;
    bool wake_ = false, stop_ = false;
    std::thread thread_;
};

/// Keeps the statuses `replicator` hears in `data_dir`/presence, received on `clock` (set before
/// it starts; `clock` must outlive it); `own_device`'s are skipped (its programs write their own).
void keep_heard_statuses(sync::Replicator& replicator, const std::filesystem::path& data_dir, const Clock& clock,
                         std::string own_device);

}  // namespace csc::app
