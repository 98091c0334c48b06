// admin_views.hpp — what the IT dashboard (/admin, docs/WEB.md) shows, as JSON: pure functions
// of today's events, the office's own alarms, today's statistics and the translations.
//
// Contents: PrintReport, DeviceActivity, device_activity(), DashboardInput, dashboard_json().
// Contract: no I/O, no clock read (times are arguments). Only what the log and the store really
// know: a device is known by the events it made today and by the statuses its programs send
// (presence, every 15 s: online until three are missed, "stopped" after a normal close); its
// roles are what those show it does; its printer is what its entrance's last print job
// answered (status) or its last print.finished (a print request from the Info Point),
// whichever is newer; its sync lag is what its programs report. A fact not known anywhere is
// said to be "not known", never guessed. Nothing personal: no citizen, no booking
// person, no ticket token; staff appear only as the one signed in. Texts translated in `lang`
// (program warnings stay as the program's log wrote them, in English).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/app/warning_log.hpp"
#include "shared/config.hpp"
#include "shared/events.hpp"
#include "shared/forecast/outlook.hpp"
#include "shared/i18n.hpp"
#include "shared/presence/device_status.hpp"
#include "shared/presence/presence_board.hpp"
#include "shared/stats/stats_table.hpp"

namespace csc::web {

/// A device's last print.finished.
struct PrintReport {
    Millis time = 0;
    bool ok = false;
    std::string error;  ///< the printer's words when not ok ("paper end")
};

/// One device as today's events show it.
struct DeviceActivity {
    std::string device;
    std::set<std::string> roles;  ///< "entrance", "infopoint", "counter 3", "service_menu", "cli"
    int device_index = 0;         ///< from its device.hello today (0 = none seen)
    Millis last_event = 0;        ///< time of its latest event today
    int events = 0;               ///< events it made today
    std::optional<PrintReport> last_print;
};

/// Devices of `today` (events in any order), sorted by name; what each did, its last event.
[[nodiscard]] std::vector<DeviceActivity> device_activity(std::span<const Event> today);

/// What the dashboard is made of (read by the server, then rendered).
struct DashboardInput {
    std::vector<DeviceActivity> devices;
    std::string self;              ///< this serving device's name (listed even without events)
    bool lan = false;              ///< this device is in LAN mode
    std::size_t unconfirmed = 0;   ///< LAN: own events the stream has not ordered yet
    std::uint64_t stream_seq = 0;  ///< LAN: last stream sequence applied here
    std::vector<SectorOutlook> outlook;    ///< waiting now, per sector
    std::optional<stats::StatsTable> today;  ///< by sector; nullopt: not readable (stats_error)
    std::string stats_error;
    std::vector<app::ProgramWarning> warnings;  ///< this process's, oldest first
    std::size_t warnings_dropped = 0;
    std::string clock_alarm;                 ///< Office::clock_alarm() ("" = none)
    std::size_t quarantined = 0;             ///< events set aside (Office::quarantined())
    std::vector<std::string> index_conflicts;  ///< LAN: devices sharing this one's index
    bool agenda_complete = true;
    /// Each program's last status as this machine heard it (DATA/presence): a device that
    /// sends none (an older version) stays "not known".
    std::vector<presence::HeardStatus> statuses;
    Millis now = 0;  ///< this machine's clock: statuses are judged by when they arrived here
    std::string signed_in;  ///< the staff member viewing
};

/// The dashboard's JSON in `lang`: {"updated","signed_in","devices":[{name,role,online,
/// state ("online"|"gone"|"stopped"|"unknown": the worst of its programs), last_event,printer,sync}],"sectors":[{name,issued,served,waiting,wait_mean,wait_p90}],
/// "total":{…},"warnings":[{time,text}]}; every cell a text ready to place.
[[nodiscard]] nlohmann::json dashboard_json(const SiteConfig& config, const Translator& tr, const std::string& lang,
                                            const DashboardInput& in);

}  // namespace csc::web
