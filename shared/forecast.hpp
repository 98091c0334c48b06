// forecast.hpp — the wait-time forecast printed on the ticket and shown per sector.
//
// Contents: WaitForecast, SectorParams, ForecastParams, Presence, QueueSnapshot, QueueTarget,
// snapshot_of(), booked_today(), find_target(), forecast_wait(), TicketOutcome, ForecastLearner.
//
// Method (docs/FORECAST.md): a Monte Carlo forward simulation from the live state. Each path
// replays the office's own queue rules (merge_by_policy, counter sector order, tickets
// transferred to a counter first) over the people already waiting, the counters as they are
// now (elapsed service of busy counters, pauses, planned staffing) and sampled future arrivals
// (priority citizens, booked appointments) that may overtake the ticket, with service times
// and patience from ForecastParams. The forecast is the median and the 10–90% range of the
// sampled waits. ForecastLearner estimates ForecastParams from the office's own history (by
// sector and hour), shrunk towards priors for a new office, and adapts to today's pace.
// Everything here is a pure function of its inputs and a seed: no clock, no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "shared/config.hpp"
#include "shared/office_state.hpp"

namespace csc {

/// A forecast of a wait, in minutes from now: median and an 80% range (10th–90th percentile).
struct WaitForecast {
    double median_min = 0, low_min = 0, high_min = 0;
    bool after_closing = false;  ///< the median start of service falls after the office closes
    int paths = 0;               ///< Monte Carlo paths it rests on (0: none, nothing forecast)
};

/// A forecast as citizens are told it, the same on paper, on every screen and on the web: whole
/// minutes, the low end rounded down and the high end up (at least one minute apart).
struct ToldWait {
    /// Short: the high end is ≤ 2 min; About: a range of ≤ 2 min, told as its median; else Range.
    enum class Form { Short, About, Range };
    Form form = Form::Short;
    int low_min = 0, high_min = 0;
    int about_min = 0;           ///< the median, rounded, inside [low_min, high_min]
    bool after_closing = false;  ///< the median start of service falls after the office closes
};
/// The one rounding of a forecast for citizens (the ticket, the kiosk, the display, the web).
[[nodiscard]] ToldWait told_wait(const WaitForecast& f);

/// What the forecast assumes about one sector.
struct SectorParams {
    std::array<double, 24> service_mean_min{};  ///< by local hour of service start
    double service_sigma = 0.55;                ///< standard deviation of log service time
    std::array<double, 24> arrivals_per_hour{}; ///< tickets per hour by local hour (walk-ins, all classes)
    double priority_share = 0.05;               ///< share of arrivals in a priority class
    double speed_uncertainty = 0.0;             ///< log-sd of a per-path factor on service times
    std::vector<double> service_shape;          ///< sorted recent service times ÷ their mean (empty: lognormal, service_sigma)
    double appointment_show_prob = -1;          ///< booked citizens who come (< 0: ForecastParams' default)
    std::vector<double> appointment_offsets_min;  ///< check-in minus slot of booked citizens seen (empty: default lead)
    double patience_mean_min = -1;              ///< this sector's citizens' patience, lognormal (< 0: ForecastParams')
    double patience_sigma = 0.5;                ///< its log-sd (used when patience_mean_min ≥ 0)
    double patience_uncertainty = 0.0;          ///< log-sd of a per-path factor on its patience (an estimate's own doubt)
    double arrival_uncertainty = 0.0;           ///< log-sd of a per-path factor on its arrival rates, mean kept (today's pace's own doubt)
};

/// What the forecast assumes about the citizens booked for one bookable service.
struct ServiceParams {
    double appointment_show_prob = -1;            ///< booked citizens who come (< 0: their sector's)
    std::vector<double> appointment_offsets_min;  ///< check-in minus slot of those seen (empty: their sector's)
};

/// Everything the forward simulation assumes.
struct ForecastParams {
    std::vector<SectorParams> sectors;   ///< in configuration order
    std::vector<ServiceParams> services; ///< bookable services in configuration order (SiteConfig::booking; may be shorter)
    bool patience_lognormal = false;     ///< else exponential
    double patience_mean_min = 90;
    double patience_sigma = 0.5;         ///< lognormal only
    double patience_uncertainty = 0.0;   ///< log-sd of a per-path factor on every sector's patience (the office median's own doubt)
    double arrival_uncertainty = 0.0;    ///< log-sd of a per-path factor on every sector's arrival rates, mean kept (the office's pace's own doubt)
    /// By local hour of the ticket's issue: a factor on the patience mean (every sector's).
    std::array<double, 24> patience_hour_factor = [] {
        std::array<double, 24> a{};
        a.fill(1.0);
        return a;
    }();
    double no_show_cost_min = 1.0;       ///< counter time lost calling someone who left
    double pause_rate_per_hour = 0.0;    ///< per open counter
    double pause_mean_min = 8.0;
    double outage_rate_per_hour = 0.0;   ///< unplanned closures per open counter-hour
    double outage_mean_min = 30.0;       ///< their length: lognormal mean and log-sd
    double outage_sigma = 0.6;
    double appointment_show_prob = 0.85; ///< default for sectors without their own
    double appointment_lead_min = 5.0;   ///< default: booked citizens check in this long before the slot
    double walk_up_min = 0.5;            ///< a called citizen who is there starts within this long (learned: ForecastLearner)
};

/// What the forecaster knows about whether a waiting citizen is still there.
enum class Presence { Unknown, Present, Gone };

/// The state the forecast starts from (built from OfficeState; the oracle adds the truth).
struct QueueSnapshot {
    struct Item {
        int sector = 0;
        bool priority = false;
        std::optional<Millis> appointment_at;
        Millis issued_at = 0;
        int for_counter = 0;  ///< 0 = any counter of its sector
        Presence presence = Presence::Unknown;
        std::string id;
    };
    struct Counter {
        int number = 0;
        std::vector<int> sectors;                    ///< in preference order
        CounterStatus status = CounterStatus::Closed;
        std::optional<Millis> busy_since;            ///< service (or call) start of its current ticket
        bool serving = false;                        ///< busy_since is a service start (not a call)
        int busy_sector = 0;
        double called_waited_min = 0;                ///< called, not started: how long the citizen had waited
        Millis paused_since = 0;
        Millis closed_since = 0;                     ///< closed after having been open today (0 = not)
        std::vector<std::pair<Millis, Millis>> staffed;  ///< planned windows today, absolute
        bool serves_until_empty = false;             ///< its last window ends at closing: it serves who is left
    };
    struct Booked {
        int sector = 0;
        Millis slot = 0;
        int service = -1;  ///< its bookable service (index in SiteConfig::booking.services; -1 = unknown)
    };
    Millis now = 0;
    Millis day_start = 0;     ///< local midnight (for hours of the day)
    Millis closes_at = 0;     ///< end of today's last opening interval (0 = closed all day)
    Millis arrivals_end = 0;  ///< no arrivals after this (the current interval's end)
    QueuePolicy policy;
    std::vector<Item> waiting;
    std::vector<Counter> counters;
    std::vector<int> since;   ///< per sector: walk-ins called since the last first-group call
    std::vector<Booked> booked;
};

/// The ticket to forecast: an existing waiting ticket (ticket_id) or a new one (sector, priority).
struct QueueTarget {
    std::string ticket_id;
    std::string sector;
    std::string priority;
};

/// The snapshot of `state` at `now` (the kiosk's view: presence unknown). `booked` = future
/// appointments not yet checked in (sector index, slot).
[[nodiscard]] QueueSnapshot snapshot_of(const OfficeState& state, Millis now,
                                        const std::vector<QueueSnapshot::Booked>& booked = {});
/// Today's booked citizens who may still check in (the agenda's bookings of today still booked,
/// their late check-in window not over), with their sector and service: what snapshot_of()
/// takes as `booked` (kiosk and simulator alike).
[[nodiscard]] std::vector<QueueSnapshot::Booked> booked_today(const OfficeState& state, const SiteConfig& config, Millis now);
/// Index of the target in snapshot.waiting, appending a new ticket issued now if needed; -1 if
/// the ticket is not waiting or the sector is unknown.
int find_target(QueueSnapshot& snapshot, const SiteConfig& config, const QueueTarget& target);

/// Monte Carlo forecast of the target's wait (minutes from snapshot.now), over at most `paths`
/// paths: fewer once a work budget is spent (a long queue: 80 to 240; a short one: up to `paths`).
[[nodiscard]] WaitForecast forecast_wait(const QueueSnapshot& snapshot, int target, const ForecastParams& params,
                                         int paths, std::uint64_t seed);
/// The forecasts of every waiting ticket of `sector` (by index in snapshot.waiting; nullopt for
/// the others) from one set of sampled futures: each ticket's is distributed as forecast_wait()'s
/// for it, at the cost of one forecast of the sector's last ticket (the web's live pages).
[[nodiscard]] std::vector<std::optional<WaitForecast>> forecast_sector_waits(const QueueSnapshot& snapshot, int sector,
                                                                             const ForecastParams& params, int paths,
                                                                             std::uint64_t seed);

/// Days of history the learner uses (and the office loads at start for it).
inline constexpr int kForecastHistoryDays = 60;

/// One ticket at the end of its life, as the history keeps it.
struct TicketOutcome {
    enum class Kind { Served, NoShow, Cancelled, NotServed };
    std::string id;
    int day = 0;  ///< YYYYMMDD
    std::string sector;
    std::string service;
    bool priority = false;
    bool appointment = false;
    Kind kind = Kind::Served;
    Millis issued_at = 0, called_at = 0, started_at = 0, finished_at = 0;
};
/// "served", "no-show", "cancelled", "not-served".
[[nodiscard]] std::string_view to_string(TicketOutcome::Kind k);
/// The outcome of a ticket that has ended (nullopt while it is still open).
[[nodiscard]] std::optional<TicketOutcome> outcome_of(const Ticket& t, int day);

/// Learns ForecastParams from history and from today.
class ForecastLearner {
public:
    explicit ForecastLearner(const SiteConfig& config);
    /// A ticket ended (from the history of past days or from today).
    void observe(const TicketOutcome& outcome);
    /// A counter pause of this length ended.
    void observe_pause(double minutes);
    /// A counter closed inside its planned staffing and reopened this long after (an outage).
    void observe_outage(double minutes);
    /// A counter was open (working or paused) for this long (pause rate = pauses / open time).
    void observe_open_time(double minutes);
    /// A booking's outcome at the end of its day: checked in at `checked_in_at`, or never (a
    /// no-show); `service` = its bookable service's id ("" = unknown: the sector's figures only).
    void observe_booking(std::string_view sector, Millis slot, std::optional<Millis> checked_in_at,
                         std::string_view service = {});
    /// An ended day's booking as the agenda has it: cancelled ones are skipped; came = its
    /// check-in (a late one turned into a walk-in, or a no-show, did not come as booked); one
    /// observe_settled_bookings() learned already is skipped too (each booking counts once).
    void observe_booking(const Booking& booking);
    /// Today's bookings whose check-in has closed by `now` (check_in_closed) are settled: each is
    /// learned now, once, not when its day ends, so a new office learns its show rate and
    /// offsets during its first day. Only those: a sample without the late ones of slots still
    /// open would read as earlier than the truth.
    void observe_settled_bookings(const Agenda& agenda, Millis now);
    /// A ticket was issued today (arrival pace of the day).
    void observe_issue(int day, std::string_view sector, int local_hour, bool appointment);
    /// A service in progress now: its sector (index), when it started, for how long it has run.
    struct Running {
        int sector = 0;
        Millis started_at = 0;
        double elapsed_min = 0;
    };
    /// The services in progress in a snapshot.
    [[nodiscard]] static std::vector<Running> running_in(const QueueSnapshot& snapshot);
    /// The parameters for a forecast made on `day` at local `minute_of_day` (history up to
    /// yesterday + today's pace so far). `running`: services in progress, which tell about
    /// today's pace too (a service that has run 20 minutes took at least 20).
    [[nodiscard]] ForecastParams params(int day, int minute_of_day, const std::vector<Running>& running = {}) const;
    /// Days of history seen.
    [[nodiscard]] int days_seen() const { return static_cast<int>(days_.size()); }

    /// Patience (minutes a citizen waits before giving up) as a lognormal: log-mean and log-sd.
    struct Patience {
        double mu = 0, sigma = 0;
        double mu_sd = 0;  ///< the standard error of mu (from the fit's information, prior included)
    };
    static constexpr std::size_t kPatienceBins = 361;
    /// A new office's patience prior: this many pseudo-citizens at each of its waits.
    static constexpr double kPatiencePriorWeight = 0.2;
    /// The prior's pseudo-observations: at 18 waits, its median × exp(σ·z) for z = −2.125,
    /// −1.875, …, 2.125 (symmetric, so that whatever log-sd a fit takes, the prior alone keeps
    /// its median).
    static constexpr int kPatiencePriorPoints = 18;
    /// Maximum likelihood lognormal patience from current-status data: seen[i] citizens were
    /// observed after waiting i + ½ minutes and gone[i] of them had left (a probit regression of
    /// "gone" on log wait, by Fisher scoring). The prior enters as kPatiencePriorPoints
    /// pseudo-observations, `prior_weight` citizens each, gone in the prior's proportion, so
    /// little data gives the prior; by default a new office's (mean 90 min, log-sd 0.5).
    [[nodiscard]] static Patience fit_patience(const std::array<double, kPatienceBins>& seen,
                                               const std::array<double, kPatienceBins>& gone,
                                               std::optional<Patience> prior = std::nullopt,
                                               double prior_weight = kPatiencePriorWeight);
    /// One group's calls (a sector's): who was seen after waiting how long, and who had gone.
    struct PatienceCounts {
        const std::array<double, kPatienceBins>* seen;
        const std::array<double, kPatienceBins>* gone;
    };
    /// The same for several groups at once: each its own log-mean, one log-sd for all (groups
    /// differ in how long their citizens wait, not in the shape of it), each with the prior's
    /// pseudo-observations. One group gives fit_patience.
    [[nodiscard]] static std::vector<Patience> fit_patience_groups(const std::vector<PatienceCounts>& groups,
                                                                   std::optional<Patience> prior, double prior_weight);
    /// Today's speed factor on service times, and its uncertainty (log-sd).
    struct DaySpeed {
        double factor = 1, log_sd = 0;
    };
    /// The posterior of today's log speed factor: a normal prior (mean 0, sd `prior_sd`) and
    /// today's services as log residuals r_i (log of actual / expected duration, corrected by
    /// σ²/2) with precisions w_i = 1/σ_i²: log factor = Σw·r / (1/prior_sd² + Σw).
    [[nodiscard]] static DaySpeed day_speed(double sum_wr, double sum_w, double prior_sd);
    /// The same with services still in progress: each (c, σ) says log(elapsed / expected) + σ²/2
    /// = c, so the log factor is below c − σ·z with the normal's tail probability; the posterior
    /// is then no longer normal and is integrated on a grid (mean and sd of the log factor).
    [[nodiscard]] static DaySpeed day_speed(double sum_wr, double sum_w, double prior_sd,
                                            const std::vector<std::pair<double, double>>& censored);
    /// Today's arrival pace (walk-ins so far ÷ expected so far), shrunk towards 1 as the
    /// posterior mean of a gamma prior (mean 1, variance `prior_var`) with Poisson counts:
    /// (actual + 1/prior_var) / (expected + 1/prior_var).
    [[nodiscard]] static double arrival_pace(double actual, double expected, double prior_var);
    /// Between-day variances learned from history (shrunk towards the priors): of the log
    /// speed factor, and of the daily volume factor (both 0 = a day is like any other).
    [[nodiscard]] double day_speed_variance(int before_day) const;
    [[nodiscard]] double day_volume_variance(int before_day) const;

private:
    struct Acc {
        double n = 0, sum = 0, sum_log = 0, sum_log2 = 0;
    };
    struct SectorStats {
        Acc all;
        /// By hour of service start: count and sum of log residuals against the sector's mean
        /// with the day's own level removed (so that slow days, which run late, do not make
        /// late hours look slow).
        std::array<Acc, 24> by_hour;
        double tickets = 0, priority = 0;
        double booked = 0, showed = 0;  ///< bookings seen and those checked in
        std::vector<double> recent;     ///< the latest service times, minutes (ring of kShapeSize)
        std::size_t recent_next = 0;
        std::vector<double> offsets;    ///< check-in minus slot, minutes (latest kMaxOffsets)
    };
    /// A bookable service's own bookings (its show rate and offsets are shrunk to its sector's).
    struct ServiceStats {
        double booked = 0, showed = 0;
        std::vector<double> offsets;    ///< latest kMaxOffsets
    };
    static constexpr std::size_t kMaxOffsets = 200;
    static constexpr std::size_t kShapeSize = 400, kShapeMin = 150;
    using HourCounts = std::vector<std::array<double, 24>>;  // per sector
    struct Today {
        int day = 0;
        std::vector<double> arrivals;  // per sector, walk-ins issued today
        // Today's services by sector and hour of start: count and Σ log duration. Today's pace
        // and today's part of the hour effects are computed from them against the current
        // means (so that a new office, whose means are today's services, does not count them
        // twice); folded into SectorStats::by_hour when the day is over.
        std::vector<std::array<Acc, 24>> by_hour;
    };
    /// Today's mean log residual (its services against their sectors' mean logs).
    [[nodiscard]] double today_level() const;
    [[nodiscard]] int sector_index(std::string_view id) const;
    [[nodiscard]] double sector_mean_log(int sector) const;
    [[nodiscard]] double sector_service_mean(int sector) const;
    [[nodiscard]] std::array<double, 24> hour_effects(int sector) const;
    [[nodiscard]] double sector_sigma(int sector) const;
    [[nodiscard]] std::array<double, 24> base_arrivals(int sector, int before_day) const;
    [[nodiscard]] double open_fraction(int day, int hour) const;
    void begin_day(int day);

    const SiteConfig* config_;
    std::vector<SectorStats> sectors_;
    std::vector<ServiceStats> services_;  // by SiteConfig::booking.services
    // Bookings (code, slot) learned before their day ended, until it does; by slot too, so one
    // missed and then moved to a later slot counts at each.
    std::set<std::pair<std::string, Millis>> settled_;
    std::map<int, HourCounts> arrivals_by_day_;  // walk-in tickets by day, sector, hour of issue
    std::vector<int> days_;          // days with data (sorted, unique)
    double pauses_ = 0, pause_minutes_ = 0, open_minutes_ = 0;
    std::vector<double> walk_ups_;   // call to service start of served citizens, minutes (latest kMaxWalkUps)
    static constexpr std::size_t kMaxWalkUps = 200;
    double outages_ = 0, outage_log_ = 0, outage_log2_ = 0;  // count, Σ log minutes, Σ log² minutes
    // Patience as current-status data: by 1-minute bins of the wait (last bin open-ended), how
    // many citizens were seen at that wait (called or still there at closing) and how many of
    // them had gone (a no-show at the call, or a cancellation); the office's, each sector's and
    // each hour's (of the ticket's issue; an hour's bins are kept by sector, below).
    struct PatienceData {
        std::array<double, kPatienceBins> seen{}, gone{};
        Patience fit;       // refreshed every few observations and each day
        int unfitted = 0;   // observations since the last fit (read for the office and the hours)
        double n = 0;       // observations in all
        double departures = 0;  // of them, gone
    };
    PatienceData patience_;                     // the whole office
    std::vector<PatienceData> sector_patience_; // each sector's, shrunk to the office's
    std::array<PatienceData, 24> hour_patience_; // by local hour of issue, shrunk to the office's
    double within_sigma_ = 0;  // log-sd around an hour's and a sector's median (the hours' joint fit; refit_patience)
    // By (local hour of issue, sector): the hours' seen and gone, sector by sector, so that an
    // hour is fitted on waits scaled by each sector's patience (refit_patience).
    struct PatienceBins {
        std::array<double, kPatienceBins> seen{}, gone{};
    };
    std::map<std::pair<int, int>, PatienceBins> hour_sector_patience_;
    void refit_patience(bool every_hour);  // the office's, every sector's (jointly), the hours grown since (or every hour's), the hours' common spread
    [[nodiscard]] std::vector<double> sector_patience_shifts() const;  // each sector's log median over the office's, shrunk
    std::map<int, std::vector<Acc>> logs_by_day_;  // day → per sector: services and Σ log duration
    Today today_;
    // What history says about a day (arrival rates by sector and hour, between-day variances),
    // computed once when the day begins rather than on every forecast.
    struct HistoryView {
        int day = 0;
        std::vector<std::array<double, 24>> arrivals;
        double speed_variance = 0, volume_variance = 0, past_days = 0;
    };
    [[nodiscard]] HistoryView history_view(int day) const;
    HistoryView history_;
};

}  // namespace csc
