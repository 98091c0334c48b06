// service_facts.hpp — what the hidden service menu shows (issue 14 point 2), gathered in one
// read off the frame loop: this device's printer and its programs, the other devices heard on
// the LAN, the site configuration checked again, this program's warnings, today's figures by
// hour and by sector for the charts.
//
// Contents: ProgramFact, PrinterFacts, DayFacts, FeedFact, ServiceFacts, gather_service_facts().
// Contract: I/O (the store read-only, DATA/presence, the configuration file) on the caller's
// thread: call it from a RoleWorker, never from a screen. Nothing personal, no secret. The
// configuration is only checked here, never applied (a bad one names its file, line and
// problem, and the running one stays).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/content_feeds.hpp"
#include "kiosk/app/context.hpp"
#include "kiosk/app/log_capture.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"
#include "kiosk/app/statistics.hpp"
#include "kiosk/app/warning_log.hpp"
#include "shared/content/content_folder.hpp"
#include "shared/presence/device_status.hpp"
#include "shared/stats/stats_table.hpp"

namespace csc::app {

/// One running program as this machine last heard it.
struct ProgramFact {
    presence::DeviceStatus status;
    presence::Liveness liveness = presence::Liveness::Gone;
    Millis received = 0;
};

/// This program's printer (the Printer page).
struct PrinterFacts {
    std::string profile;                                        ///< the profile in use
    std::vector<std::pair<std::string, std::string>> profiles;  ///< (id, name) of every installed profile
    PaperCount paper;
    printer::PrinterStatus status;                              ///< after the last job (unknown before any)
    std::size_t waiting_for_retry = 0;
    std::string last_ticket;                                    ///< the last ticket printed, its id ("" = none yet)
    std::string last_label;                                     ///< and its number
    PaperImage preview;                                         ///< its paper, at most 288 dots wide
};

/// Today at this office (the Day page).
struct DayFacts {
    Date date;
    int issued = 0, waiting = 0, served = 0, counters_open = 0;
    bool anything_open = false;  ///< a ticket waiting or a counter not closed: closing the day would end it
    std::optional<std::pair<Date, int>> next_opening;  ///< the next office day's first opening (local date, minute); nullopt = none within a year
};

/// One feed of [totem] as its last good copy on disk reads now (never fetched here).
struct FeedFact {
    std::string name, url;
    FeedState state;
};

/// Everything the service menu's pages show.
struct ServiceFacts {
    Millis now = 0;
    std::string device;                     ///< this device's name
    std::vector<ProgramFact> programs;      ///< every program heard (this device's first), by name
    std::vector<std::string> presence_problems;
    bool lan = false;
    std::vector<std::string> index_conflicts;
    std::string config_file;                ///< the site configuration checked
    std::string config_error;               ///< "" = it reads and checks as it is now
    std::filesystem::path content_folder;   ///< [totem] content ("" = none)
    int content_items = 0;                  ///< items the folder holds that load
    std::vector<content::RejectedFile> content_rejected;
    std::vector<FeedFact> feeds;            ///< in the configuration's order
    std::vector<ProgramWarning> warnings;   ///< this program's, newest last
    std::vector<LogLine> log;               ///< this program's log (LogCapture), newest last
    StatsRange stats_range;                 ///< the days the figures below cover
    std::optional<stats::StatsTable> by_hour, by_sector;  ///< over stats_range; nullopt: not readable (stats_error)
    std::vector<std::pair<Millis, int>> queue_line;        ///< today: people waiting every 15 minutes since the first ticket's quarter, and now
    std::string stats_error;
    std::optional<PrinterFacts> printer;    ///< nullopt: this program does not print
    DayFacts day;
};

/// The statistics page's ranges: today, the last 7 days, the month so far, or days chosen.
enum class StatsSpan { Today, Week, Month, Chosen };

/// The days `span` covers on `today` (Chosen: `chosen`).
[[nodiscard]] StatsRange stats_days(StatsSpan span, Date today, const StatsRange& chosen);

/// Reads everything the service menu shows, at `ctx.clock.now()`; `spooler`: this program's
/// printer (nullptr = none); `span`: the days of the statistics page (Chosen: `chosen`).
[[nodiscard]] ServiceFacts gather_service_facts(Context& ctx, const PrintSpooler* spooler, StatsSpan span = StatsSpan::Today,
                                                const StatsRange& chosen = {});

}  // namespace csc::app
