// scenario.hpp — a simulated office day, described in a TOML file (assets/scenarios/*.toml).
//
// Contents: SectorScenario, CounterScenario, Scenario, parse_scenario(), load_scenario(),
// site_config_of().
// Contract: a file that parses is complete and consistent; a bad file is an Error
// "FILE:LINE:COL: problem" naming the line; unknown keys are errors.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "shared/config.hpp"
#include "shared/result.hpp"

namespace csc::sim {

/// A bookable service of a sector and how its booked citizens behave ([[sector.booking]]; a
/// sector without them has one, named as the sector, with its appointment_* keys).
struct BookingKind {
    std::string id;
    double share = 1;            ///< of the sector's booked slots
    double no_show = 0.15;       ///< share of booked citizens who never come
    double late_share = 0;       ///< of those who come, this share comes after the slot (the others up to 10 min before)
    double late_mean = 8;        ///< minutes after the slot, exponential
};

/// One sector: its walk-ins, appointments and the true distributions.
struct SectorScenario {
    std::string id;
    std::string name;
    double walk_ins = 60;           ///< expected walk-in tickets per day (all classes)
    double priority_share = 0.05;   ///< share of walk-ins in a priority class
    double service_mean = 8;        ///< minutes
    double service_cv = 0.6;
    int appointments = 0;           ///< booked per day
    int appointment_every = 15;     ///< minutes between slots, from opening
    double appointment_no_show = 0.15;
    double appointment_late_share = 0;  ///< of the booked citizens who come, this share comes after the slot (the others up to 10 min before)
    double appointment_late_mean = 8;   ///< minutes after the slot, exponential; past the check-in window (15 min) → the info point: a walk-in
    std::vector<BookingKind> bookings;  ///< its bookable services (shares sum to 1); one when it has appointments
    double service_share_2 = 0;     ///< bimodal sector: this share of services is of a second kind
    double service_mean_2 = 25;     ///< minutes (second kind)
    double service_cv_2 = 0.4;
    /// What the office's site configuration tells the forecast to expect before it has history
    /// ([[sector]] expected_service_minutes / expected_walk_ins_per_day): unset = nothing.
    std::optional<double> expected_service_minutes;
    std::optional<double> expected_walk_ins_per_day;
    /// This sector's citizens' patience (lognormal, minutes), when it differs from the
    /// scenario's ([[sector]] patience_mean / patience_cv): unset = [scenario]'s.
    std::optional<double> patience_mean, patience_cv;
};

/// One counter: sectors in order and planned staffing.
struct CounterScenario {
    int number = 0;
    std::vector<std::string> sectors;
    std::vector<TimeRange> staffed;  ///< empty = the whole opening time
};

/// A scenario file.
struct Scenario {
    std::string name;
    std::vector<TimeRange> hours;            ///< opening intervals of every simulated day
    Date start{2026, 11, 23};
    std::vector<double> profile;             ///< arrival multipliers per clock hour from the opening hour
    std::vector<double> patience_profile;    ///< multipliers on the patience of citizens who arrive in each of those hours (empty: 1)
    double day_speed_sd = 0.10;              ///< log-sd of the day-level factor on service times
    double patience_mean = 60, patience_cv = 0.5;  ///< lognormal, minutes
    double no_show_cost = 1.0;               ///< minutes a counter loses calling someone who left
    double pause_rate_per_hour = 0.0;        ///< random pauses per open counter-hour
    double pause_minutes = 8;
    double outage_rate_per_hour = 0.0;       ///< unplanned closures per open counter-hour (the counter is closed)
    double outage_minutes = 40;              ///< their mean length (lognormal, log-sd 0.5)
    double surge_share = 0.0;                ///< share of days with a surge of walk-ins
    std::vector<TimeRange> surge;            ///< when, on those days
    double surge_factor = 2.5;               ///< arrival multiplier during the surge
    QueuePolicy queue;
    std::vector<SectorScenario> sectors;
    std::vector<CounterScenario> counters;
};

/// Parses scenario text; `name` stands for the file in messages.
[[nodiscard]] Result<Scenario> parse_scenario(std::string_view text, const std::string& name);
/// Loads a scenario file.
[[nodiscard]] Result<Scenario> load_scenario(const std::filesystem::path& file);
/// The site configuration the simulated kiosk runs with (UTC, every day open at `hours`); a
/// sector with appointments has its bookable services (BookingKind ids) with slots every
/// `appointment_every` minutes through the opening hours, one citizen each, no notice.
[[nodiscard]] SiteConfig site_config_of(const Scenario& s);

}  // namespace csc::sim
