#include "shared/sim/simulator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <queue>

#include <malloc.h>
#include <time.h>

#include <nlohmann/json.hpp>

#include "shared/booking/booking_code.hpp"
#include "shared/forecast.hpp"
#include "shared/office_state.hpp"
#include "shared/rng.hpp"
#include "shared/sim/true_pace.hpp"

namespace csc::sim {

namespace {

constexpr Millis kMin = 60'000;
// A fork whose target is not called by the end of the day counts as this long (as the engine's horizon).
constexpr double kForkHorizonMin = 600.0;
// "oracle" is the independent one (forks of the simulator's own true future); "engine_oracle"
// and "engine_clairvoyant" run our engine (forecast_wait) with true inputs; "oracle_mean"
// scores the mean of the oracle's paths instead of their median.
const char* const kPredictors[] = {"ours", "naive", "ql", "ewma", "oracle", "engine_oracle", "engine_clairvoyant", "oracle_mean",
                                    "oracle_blind"};
constexpr int kOurs = 0, kNaive = 1, kQl = 2, kEwma = 3, kOracle = 4, kEngineOracle = 5, kEngineClairvoyant = 6,
              kOracleMean = 7, kOracleBlind = 8, kCount = 9;

// The q-quantile of sorted values (linear interpolation), as the engine reports its range.
double quantile_of(const std::vector<double>& v, double q) {
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

// A sector's service time as one lognormal: its mean and log-sd (for a bimodal sector, the
// mixture's mean and the log-sd of its coefficient of variation: what "one kind" would be).
double mix_mean(const SectorScenario& s) { return (1 - s.service_share_2) * s.service_mean + s.service_share_2 * s.service_mean_2; }
double mix_sigma(const SectorScenario& s) {
    const double q = s.service_share_2, m = mix_mean(s);
    const double m2 = (1 - q) * s.service_mean * s.service_mean * (1 + s.service_cv * s.service_cv) +
                      q * s.service_mean_2 * s.service_mean_2 * (1 + s.service_cv_2 * s.service_cv_2);
    return sigma_of_cv(std::sqrt(std::max(0.0, m2 / (m * m) - 1)));
}

// Measurement only (never part of a result that is compared): this thread's CPU time.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Forecast3 {
    double median = 0, low = 0, high = 0;
};

// The staff member at the info point who turns a late booking into a walk-in ticket.
const char* const kInfoPointStaff = "sim-infopoint";

// The true booking rule of a sector: the share of booked citizens who come and, of those, the
// share who come late (after the slot; exponential with mean late_mean minutes), the others up
// to 10 minutes early (uniform). P(a citizen who comes has not come by `u` minutes after the slot).
double not_yet_came(const BookingKind& k, double u) {
    const double early = u < -10 ? 1.0 : u >= 0 ? 0.0 : -u / 10.0;
    const double late = u <= 0 ? 1.0 : std::exp(-u / k.late_mean);
    return (1 - k.late_share) * early + k.late_share * late;
}

// The true booking rule as the queue sees it: the share of booked citizens who check in inside
// the window (`window` minutes after the slot; the others come too late, become walk-ins, or
// never come), and `n` check-in offsets from the slot spread over their distribution.
struct TrueBooking {
    double show = 0;
    std::vector<double> offsets;
};
TrueBooking true_booking(const BookingKind& k, double window, int n) {
    TrueBooking out;
    const double w_early = 1 - k.late_share;
    const double w_late = k.late_share * (1 - std::exp(-window / k.late_mean));
    out.show = (1 - k.no_show) * (w_early + w_late);
    const int n_late = static_cast<int>(std::lround(n * w_late / (w_early + w_late)));
    for (int i = 0; i < n - n_late; ++i) out.offsets.push_back(-10.0 + 10.0 * (i + 0.5) / (n - n_late));
    for (int i = 0; i < n_late; ++i)
        out.offsets.push_back(-k.late_mean * std::log(1 - (i + 0.5) / n_late * (1 - std::exp(-window / k.late_mean))));
    return out;
}

// Each predictor's scored rows (median, low, high, actual wait): every scored ticket, and those
// issued while a disruption (a surge on a surge day, an unplanned closure) was under way.
using Rows = std::vector<std::vector<std::array<double, 4>>>;  // by predictor
struct ScoreRows {
    Rows all = Rows(kCount), disrupted = Rows(kCount), onset = Rows(kCount);
};
// The first minutes of a disruption, when the forecast has to notice it (SimResult::onset).
constexpr double kOnsetMinutes = 15.0;

// A citizen of the simulated day and what each predictor said at the ticket's issue.
struct Citizen {
    int sector = 0;
    bool priority = false;
    std::optional<Millis> appointment;  // booked: the slot (cleared when a late one becomes a walk-in)
    std::string booking;                // booked: the code of the real booking (BookingMade) made for them
    int kind = 0;                       // booked: its bookable service (SectorScenario::bookings)
    bool shows = true;  // booked citizens only
    Millis arrive = 0;
    Millis leave_at = 0;  // patience runs out (unknown to the kiosk)
    std::string ticket;
    bool scored = false;
    Forecast3 forecast[kCount];
    Millis called_at = 0;
    bool served = false;
    double disrupted_for = -1;  // at the issue: minutes since the latest disruption under way began (-1 = none)
};

enum class Kind { Arrive, WindowStart, WindowEnd, CounterFree, Finish, NoShowDone, PauseEnd, OutageEnd };
struct Timed {
    Millis t;
    std::int64_t seq;
    Kind kind;
    int index;
    bool operator>(const Timed& o) const { return t != o.t ? t > o.t : seq > o.seq; }
};

struct CounterSim {
    int number = 0;
    std::vector<std::pair<Millis, Millis>> windows;
    bool until_empty = false;  // its last window ends at closing: serves who is left
    bool idle = false;
    Millis next_pause = 0;
    Millis pause_checked = 0;  // the last time the pause rule was looked at (the next pause is later)
    Millis paused_at = 0;
    Millis opened_at = 0;
    Millis next_outage = 0;
    Millis out_since = 0, out_until = 0;  // an unplanned closure in progress (out_until 0 = none)
};

// One simulated day over a persistent state machine and learner.
class Day {
public:
    Day(const Scenario& sc, const SiteConfig& cfg, OfficeState& state, ForecastLearner& learner, const SimOptions& opt,
        int day_index, SimResult& result, ScoreRows& scores)
        : sc_(&sc), cfg_(&cfg), state_(&state), learner_(&learner), opt_(&opt), result_(&result), scores_(&scores),
          rng_(opt.seed * 1'000'003ULL + static_cast<std::uint64_t>(day_index) * 7919ULL + 17) {
        const long first = days_from_civil(sc.start.year, sc.start.month, sc.start.day);
        date_ = civil_from_days(first + day_index);
        day_key_ = date_.key();
        open_ = cfg.timezone.from_local(date_, sc.hours.front().begin);
        close_ = cfg.timezone.from_local(date_, sc.hours.back().end);
        speed_ = std::exp(sc.day_speed_sd * rng_.normal());
        pace_ = std::make_shared<TruePace>(sc.day_speed_sd);
        for (const auto& sec : sc.sectors) laws_.push_back(service_law_of(sec));
        surge_today_ = sc.surge_share > 0 && rng_.chance(sc.surge_share);
        ewma_.assign(sc.sectors.size(), -1.0);
        device_ = "sim";
        seq_base_ = static_cast<std::int64_t>(day_index) * 1'000'000;
    }

    void run() {
        plan_citizens();
        plan_counters();
        run_events();
        end_day();
    }

private:
    // Processes the agenda; a fork stops when its target is called.
    void run_events() {
        while (!agenda_.empty() && fork_called_ < 0) {
            const Timed e = agenda_.top();
            agenda_.pop();
            now_ = e.t;
            switch (e.kind) {
                case Kind::Arrive: arrive(e.index); break;
                case Kind::WindowStart:
                    if (counters_[idx(e.index)].out_until > now_) break;  // still out: reopens when the outage ends
                    if (apply(CounterOpened{counters_[idx(e.index)].number}).applied) counters_[idx(e.index)].opened_at = now_;
                    counter_free(e.index);
                    break;
                case Kind::WindowEnd:
                    if (counters_[idx(e.index)].idle) counter_free(e.index);
                    break;
                case Kind::CounterFree: counter_free(e.index); break;
                case Kind::Finish: {
                    auto r = apply(ServiceFinished{counters_[idx(e.index)].number, {}});
                    // The oracle's evidence on today's pace: the service, by its sector's true law.
                    if (const Ticket* t = r.applied ? state_->find_ticket(r.ticket_id) : nullptr)
                        if (pace_)
                            pace_->add_finished(laws_[idx(citizens_[by_ticket_.at(t->id)].sector)],
                                                static_cast<double>(t->finished_at - t->started_at) / kMin);
                    learn_end(r);
                    counter_free(e.index);
                    break;
                }
                case Kind::NoShowDone: {
                    auto r = apply(TicketNoShow{counters_[idx(e.index)].number});
                    learn_end(r);
                    counter_free(e.index);
                    break;
                }
                case Kind::OutageEnd: {
                    auto& c = counters_[idx(e.index)];
                    c.out_until = 0;
                    c.pause_checked = now_;
                    c.next_outage = now_ + next_outage_gap();
                    const Millis end = window_end(c);
                    if (now_ < end || (end == c.windows.back().second && c.until_empty)) {
                        if (apply(CounterOpened{c.number}).applied) {
                            c.opened_at = now_;
                            // What the kiosk learns: closed inside the planned window, reopened.
                            if (learner_ && c.out_since < end) learner_->observe_outage(static_cast<double>(now_ - c.out_since) / kMin);
                        }
                        counter_free(e.index);
                    }
                    break;
                }
                case Kind::PauseEnd: {
                    auto& c = counters_[idx(e.index)];
                    (void)apply(CounterResumed{c.number});
                    if (learner_) learner_->observe_pause(static_cast<double>(now_ - c.paused_at) / kMin);
                    c.pause_checked = now_;
                    c.next_pause = now_ + next_pause_gap();
                    counter_free(e.index);
                    break;
                }
            }
        }
    }

    void end_day() {
        // End of the day: whoever is still open was not served.
        now_ = std::max(now_, close_) + kMin;
        (void)apply(DayClosed{});
        for (const auto& t : state_->tickets())
            if (t.status == TicketStatus::NotServed && t.finished_at == now_)
                if (auto o = outcome_of(t, day_key_)) learner_->observe(*o);
        for (auto& c : counters_)
            if (c.opened_at) learner_->observe_open_time(static_cast<double>(now_ - c.opened_at) / kMin);
        // The day's agenda as the kiosk learns it (OfficeLearning::learn_bookings): rolled to the
        // next day by the core's own rule (booked and not come = no-show), then each booking.
        Agenda ended = state_->agenda();
        ended.roll_to(civil_from_days(days_from_civil(date_.year, date_.month, date_.day) + 1).key(), *cfg_);
        for (const Booking* b : ended.on_day(day_key_, *cfg_)) {
            learner_->observe_booking(*b);
            auto& n = result_->bookings;
            ++n.made;
            if (b->status == BookingStatus::CheckedIn) ++n.checked_in;
            else if (b->status == BookingStatus::WalkedIn) ++n.walked_in;
            else if (b->status == BookingStatus::NoShow) ++n.no_show;
            if (b->status == BookingStatus::CheckedIn)
                for (const Ticket& t : state_->tickets())
                    if (t.id == b->ticket && t.booking == b->code && t.appointment_at == b->slot) ++n.appointment_tickets;
        }
        // Outcomes.
        for (const auto& z : citizens_) {
            if (!z.shows) continue;
            if (z.served) ++result_->served;
            else if (z.leave_at < (z.called_at ? z.called_at : now_)) ++result_->abandoned;
            // Scored: every walk-in whose number was called, there or gone. The forecast is of
            // the call, which does not depend on the citizen's own patience; scoring only those
            // served would select the patient ones, whose waits ran short (on a day where many
            // leave, a forecast that under-predicts would look better than the truth).
            if (!z.scored || !z.called_at) continue;
            const double actual = static_cast<double>(z.called_at - z.arrive) / kMin;
            for (int p = 0; p < kCount; ++p) {
                const auto& f = z.forecast[p];
                const std::array<double, 4> row{f.median, f.low, f.high, actual};
                scores_->all[idx(p)].push_back(row);
                if (z.disrupted_for >= 0) scores_->disrupted[idx(p)].push_back(row);
                if (z.disrupted_for >= 0 && z.disrupted_for < kOnsetMinutes) scores_->onset[idx(p)].push_back(row);
            }
        }
    }

    static std::size_t idx(int i) { return static_cast<std::size_t>(i); }

    ApplyResult apply(EventBody body, const std::string& by = {}) {
        Event e;
        e.device = device_;
        e.by = by;
        e.seq = seq_base_ + ++seq_;
        e.id = make_event_id(device_, e.seq);
        e.time = now_;
        e.body = std::move(body);
        ApplyResult r = state_->apply(e);
        // As the kiosk's OfficeLearning does on every event: today's settled bookings.
        if (learner_) learner_->observe_settled_bookings(state_->agenda(), now_);
        return r;
    }

    Millis next_pause_gap() {
        if (sc_->pause_rate_per_hour <= 0) return 1'000'000'000'000;
        return static_cast<Millis>(rng_.exponential(60.0 / sc_->pause_rate_per_hour) * kMin);
    }

    Millis next_outage_gap() {
        if (sc_->outage_rate_per_hour <= 0) return 1'000'000'000'000;
        return static_cast<Millis>(rng_.exponential(60.0 / sc_->outage_rate_per_hour) * kMin);
    }

    // Today's walk-in rate multiplier at minute t of the local day (a surge), and the next
    // minute after t where it changes.
    double surge_at(double t) const {
        if (!surge_today_) return 1.0;
        for (const auto& r : sc_->surge)
            if (t >= r.begin && t < r.end) return sc_->surge_factor;
        return 1.0;
    }
    double surge_edge_after(double t) const {
        double next = 1e9;
        for (const auto& r : sc_->surge) {
            if (r.begin > t) next = std::min(next, static_cast<double>(r.begin));
            if (r.end > t) next = std::min(next, static_cast<double>(r.end));
        }
        return next;
    }

    // Minutes since the latest disruption under way now began: a surge window on a surge day, or
    // a counter's unplanned closure (-1 = none).
    double disrupted_for() const {
        double since = -1;
        const auto take = [&](double m) { since = since < 0 ? m : std::min(since, m); };
        const double t = static_cast<double>(now_ - cfg_->timezone.start_of_day(now_)) / kMin;
        if (surge_today_)
            for (const auto& r : sc_->surge)
                if (t >= r.begin && t < r.end) take(t - r.begin);
        for (const auto& c : counters_)
            if (c.out_until > now_ && c.out_since > 0) take(static_cast<double>(now_ - c.out_since) / kMin);
        return since;
    }

    void push(Millis t, Kind k, int i) { agenda_.push(Timed{t, ++agenda_seq_, k, i}); }

    // Walk-ins: a Poisson process with hourly rates; booked citizens at their slots.
    void plan_citizens() {
        const int first_hour = sc_->hours.front().begin / 60;
        // Open minutes per profile hour, to turn the daily volume into hourly rates.
        std::vector<double> open_min(sc_->profile.size(), 0.0);
        double weight = 0;
        for (std::size_t k = 0; k < sc_->profile.size(); ++k) {
            const int h = first_hour + static_cast<int>(k);
            for (const auto& r : sc_->hours) open_min[k] += std::max(0, std::min(r.end, (h + 1) * 60) - std::max(r.begin, h * 60));
            weight += sc_->profile[k] * open_min[k] / 60.0;
        }
        true_params_.sectors.clear();
        true_params_.services.assign(cfg_->booking.services.size(), {});
        for (std::size_t s = 0; s < sc_->sectors.size(); ++s) {
            const auto& sec = sc_->sectors[s];
            SectorParams sp;
            sp.service_mean_min.fill(mix_mean(sec) * speed_);
            sp.service_sigma = mix_sigma(sec);
            sp.priority_share = sec.priority_share;
            for (std::size_t k = 0; k < sc_->profile.size(); ++k) {
                const int h = first_hour + static_cast<int>(k);
                if (h >= 0 && h < 24) sp.arrivals_per_hour[static_cast<std::size_t>(h)] = weight > 0 ? sec.walk_ins * sc_->profile[k] / weight : 0;
            }
            // The true booking rule as the queue sees it, per bookable service and for the
            // sector as a whole (its services' mixture: offsets in proportion to who comes).
            const double window = cfg_->booking.checkin_late_minutes;
            double sector_show = 0;
            std::vector<TrueBooking> kinds;
            for (const auto& k : sec.bookings) {
                kinds.push_back(true_booking(k, window, 40));
                sector_show += k.share * kinds.back().show;
            }
            sp.appointment_show_prob = sector_show;
            for (std::size_t k = 0; k < kinds.size(); ++k) {
                const int n = sector_show > 0 ? static_cast<int>(std::lround(40 * sec.bookings[k].share * kinds[k].show / sector_show)) : 0;
                const auto part = sec.bookings.size() == 1 ? kinds[k] : true_booking(sec.bookings[k], window, n);
                sp.appointment_offsets_min.insert(sp.appointment_offsets_min.end(), part.offsets.begin(), part.offsets.end());
                if (const BookableService* b = cfg_->booking.find(sec.bookings[k].id)) {
                    const auto j = static_cast<std::size_t>(b - cfg_->booking.services.data());
                    true_params_.services[j].appointment_show_prob = kinds[k].show;
                    true_params_.services[j].appointment_offsets_min = kinds[k].offsets;
                }
            }
            if (sec.patience_mean || sec.patience_cv) {
                sp.patience_mean_min = patience_mean(static_cast<int>(s));
                sp.patience_sigma = patience_sigma(static_cast<int>(s));
            }
            true_params_.sectors.push_back(sp);
            walk_ins(s, 0.0);
            book_citizens(s);
        }
        true_params_.patience_lognormal = true;
        true_params_.patience_mean_min = sc_->patience_mean;
        true_params_.patience_sigma = sigma_of_cv(sc_->patience_cv);
        for (int h = 0; h < 24; ++h) true_params_.patience_hour_factor[static_cast<std::size_t>(h)] = patience_factor(h);
        true_params_.no_show_cost_min = sc_->no_show_cost;
        true_params_.pause_rate_per_hour = sc_->pause_rate_per_hour;
        true_params_.pause_mean_min = sc_->pause_minutes;
        double shows = 0, booked = 0;
        for (std::size_t s = 0; s < sc_->sectors.size(); ++s)
            if (sc_->sectors[s].appointments) {
                shows += sc_->sectors[s].appointments * true_params_.sectors[s].appointment_show_prob;
                booked += sc_->sectors[s].appointments;
            }
        true_params_.appointment_show_prob = booked > 0 ? shows / booked : 0.85;
        true_params_.appointment_lead_min = 5.0;
    }

    // The booked citizens of sector s: real bookings (BookingMade, the core's rules: a free
    // place in a slot of the bookable service) made before opening, one per slot from the
    // second slot on; each comes (1 − no-show) early or late by the true rule, or never.
    void book_citizens(std::size_t s) {
        const auto& sec = sc_->sectors[s];
        const BookableService* first = sec.appointments > 0 ? cfg_->booking.find(sec.bookings.front().id) : nullptr;
        if (!first) return;
        const auto starts = first->slot_starts(cfg_->timezone.to_local(open_).weekday);  // every service of the sector has these
        const Millis saved = now_;
        now_ = open_ - 60 * kMin;  // booked earlier: the evening before, as far as the agenda cares
        for (int a = 0; a < sec.appointments && a + 1 < static_cast<int>(starts.size()); ++a) {
            const Millis slot = cfg_->timezone.from_local(date_, starts[static_cast<std::size_t>(a + 1)]);
            if (slot >= close_ - 5 * kMin) break;
            // Its service: drawn by the shares (no draw with one service: the same days as before).
            int kind = 0;
            if (sec.bookings.size() > 1) {
                double u = rng_.uniform(), acc = 0;
                while (kind + 1 < static_cast<int>(sec.bookings.size()) && u >= (acc += sec.bookings[static_cast<std::size_t>(kind)].share)) ++kind;
            }
            const BookingKind& bk = sec.bookings[static_cast<std::size_t>(kind)];
            BookingMade b;
            b.service = bk.id;
            b.slot = slot;
            b.name = "Cittadino " + std::to_string(a + 1);
            b.person = "sim-" + sec.id + "-" + std::to_string(a);
            b.lang = "it";
            b.channel = "web";
            ApplyResult r;
            for (int attempt = 0; attempt < 4 && !r.applied; ++attempt) {  // a code taken (never seen): another
                std::array<std::uint8_t, kBookingCodeLength - 1> random{};
                for (auto& v : random) v = static_cast<std::uint8_t>(rng_.next() % kBookingCodeAlphabet.size());
                b.code = make_booking_code(random);
                r = apply(b);
            }
            if (!r.applied) continue;
            Citizen z;
            z.sector = static_cast<int>(s);
            z.appointment = slot;
            z.booking = b.code;
            z.kind = kind;
            z.shows = !rng_.chance(bk.no_show);
            const bool late = rng_.chance(bk.late_share);
            z.arrive = late ? slot + static_cast<Millis>(rng_.exponential(bk.late_mean) * kMin)
                            : std::max(open_, slot - static_cast<Millis>(rng_.uniform(0, 10) * kMin));
            if (z.arrive >= close_ - kMin) z.shows = false;  // would come after closing: does not come
            add(z);
        }
        now_ = saved;
    }

    // Walk-ins of sector s from `from` (minutes of the local day) to the end of each opening
    // interval: a Poisson process with the sector's hourly rates.
    void walk_ins(std::size_t s, double from) {
        const auto& sec = sc_->sectors[s];
        const auto& sp = true_params_.sectors[s];
        for (const auto& r : sc_->hours) {
            if (r.end <= from) continue;
            double t = std::max(from, static_cast<double>(r.begin));
            while (true) {
                const int h = static_cast<int>(t) / 60;
                const double rate = h < 24 ? sp.arrivals_per_hour[static_cast<std::size_t>(h)] / 60.0 * surge_at(t) : 0.0;
                const double boundary = std::min({static_cast<double>(r.end), (h + 1) * 60.0, surge_edge_after(t)});
                const double dt = rate > 0 ? rng_.exponential(1.0 / rate) : 1e9;
                if (t + dt >= boundary) {
                    if (boundary >= r.end) break;
                    t = boundary;
                    continue;
                }
                t += dt;
                Citizen z;
                z.sector = static_cast<int>(s);
                z.priority = rng_.chance(sec.priority_share);
                z.arrive = cfg_->timezone.from_local(date_, 0) + static_cast<Millis>(t * kMin);
                z.scored = true;
                add(z);
            }
        }
    }

    // A sector's citizens' patience: its own, else the scenario's; times the patience profile's
    // factor for the hour the citizen arrived in.
    double patience_mean(int sector) const { return sc_->sectors[idx(sector)].patience_mean.value_or(sc_->patience_mean); }
    double patience_mean(int sector, Millis arrive) const {
        return patience_mean(sector) * patience_factor(cfg_->timezone.to_local(arrive).hour);
    }
    double patience_factor(int hour) const {
        const int k = hour - sc_->hours.front().begin / 60;
        return k >= 0 && k < static_cast<int>(sc_->patience_profile.size()) ? sc_->patience_profile[static_cast<std::size_t>(k)] : 1.0;
    }
    double patience_sigma(int sector) const { return sigma_of_cv(sc_->sectors[idx(sector)].patience_cv.value_or(sc_->patience_cv)); }

    void add(Citizen z) {
        z.leave_at = z.arrive + static_cast<Millis>(rng_.lognormal_mean(patience_mean(z.sector, z.arrive), patience_sigma(z.sector)) * kMin);
        citizens_.push_back(z);
        if (z.shows) push(z.arrive, Kind::Arrive, static_cast<int>(citizens_.size()) - 1);
    }

    void plan_counters() {
        for (const auto& c : sc_->counters) {
            CounterSim x;
            x.number = c.number;
            for (const auto& r : c.staffed.empty() ? sc_->hours : c.staffed)
                x.windows.emplace_back(cfg_->timezone.from_local(date_, r.begin), cfg_->timezone.from_local(date_, r.end));
            x.until_empty = x.windows.back().second >= close_;
            x.pause_checked = x.windows.front().first;
            x.next_pause = x.pause_checked + next_pause_gap();
            x.next_outage = x.pause_checked + next_outage_gap();
            counters_.push_back(x);
            const int i = static_cast<int>(counters_.size()) - 1;
            for (const auto& [b, e] : x.windows) {
                push(b, Kind::WindowStart, i);
                push(e, Kind::WindowEnd, i);
            }
        }
    }

    // The end of the window the counter is working in (or the last one that started).
    Millis window_end(const CounterSim& c) const {
        Millis end = 0;
        for (const auto& [b, e] : c.windows)
            if (b <= now_) end = e;
        return end;
    }

    void counter_free(int i) {
        CounterSim& c = counters_[idx(i)];
        const CounterState* cs = state_->find_counter(c.number);
        if (!cs || cs->status != CounterStatus::Open || !cs->current.empty()) return;
        c.idle = false;
        const Millis end = window_end(c);
        const bool last_window = end == c.windows.back().second;
        if (now_ >= end && !(last_window && c.until_empty)) {
            close(c);
            return;
        }
        if (now_ < end) c.pause_checked = now_;
        if (now_ < end && now_ >= c.next_pause) {
            if (apply(CounterPaused{c.number, "pausa"}).applied) {
                c.paused_at = now_;
                push(now_ + static_cast<Millis>(rng_.lognormal_mean(sc_->pause_minutes, 0.3) * kMin), Kind::PauseEnd, i);
                return;
            }
        }
        if (now_ < end && now_ >= c.next_outage) {
            // An unplanned closure (the counter's PC fails, the clerk is called away).
            close(c);
            c.out_since = now_;
            c.out_until = now_ + std::max<Millis>(kMin, static_cast<Millis>(rng_.lognormal_mean(sc_->outage_minutes, 0.5) * kMin));
            push(c.out_until, Kind::OutageEnd, i);
            return;
        }
        auto r = apply(TicketCalled{c.number, {}});
        if (!r.applied) {
            if (now_ >= close_) close(c);
            else c.idle = true;
            return;
        }
        if (fork_ && r.ticket_id == fork_target_) {
            fork_called_ = now_;
            return;
        }
        Citizen& z = citizens_[by_ticket_.at(r.ticket_id)];
        z.called_at = now_;
        // EWMA baseline: the waits of the latest calls in the sector.
        const double wait = static_cast<double>(now_ - z.arrive) / kMin;
        double& ew = ewma_[idx(z.sector)];
        if (!z.appointment) ew = ew < 0 ? wait : 0.8 * ew + 0.2 * wait;
        if (z.leave_at <= now_) {
            push(now_ + static_cast<Millis>(sc_->no_show_cost * kMin), Kind::NoShowDone, i);
        } else {
            (void)apply(ServiceStarted{c.number});
            z.served = true;
            const auto& sec = sc_->sectors[idx(z.sector)];
            const bool second = sec.service_share_2 > 0 && rng_.chance(sec.service_share_2);
            const double d = second ? rng_.lognormal_mean(sec.service_mean_2 * speed_, sigma_of_cv(sec.service_cv_2))
                                    : rng_.lognormal_mean(sec.service_mean * speed_, sigma_of_cv(sec.service_cv));
            push(now_ + std::max<Millis>(1000, static_cast<Millis>(d * kMin)), Kind::Finish, i);
        }
    }

    void close(CounterSim& c) {
        if (apply(CounterClosed{c.number}).applied && c.opened_at) {
            if (learner_) learner_->observe_open_time(static_cast<double>(now_ - c.opened_at) / kMin);
            c.opened_at = 0;
        }
    }

    void learn_end(const ApplyResult& r) {
        if (!r.applied || !learner_) return;
        if (const Ticket* t = state_->find_ticket(r.ticket_id))
            if (auto o = outcome_of(*t, day_key_)) learner_->observe(*o);
    }

    void arrive(int i) {
        Citizen& z = citizens_[idx(i)];
        TicketIssued b;
        b.sector = sc_->sectors[idx(z.sector)].id;
        b.priority = z.priority ? "priority" : "";
        b.channel = z.booking.empty() ? "kiosk" : "booking";
        b.booking = z.booking;  // a check-in: the state machine judges the window, the ticket gets the slot
        auto r = apply(b);
        if (!r.applied && r.code == "booking.too_late") {
            // Past the check-in window: sent to the info point, where staff turn the booking
            // into a walk-in ticket (one event: the ticket, and the booking ends "walked-in").
            b.walk_in = true;
            b.channel = "assisted";
            r = apply(b, kInfoPointStaff);
            if (r.applied) {
                z.appointment.reset();
                z.scored = true;  // a walk-in ticket like any other
            }
        }
        if (!r.applied) return;
        z.ticket = r.ticket_id;
        by_ticket_[r.ticket_id] = idx(i);
        checked_in_.push_back(idx(i));
        if (learner_) learner_->observe_issue(day_key_, b.sector, cfg_->timezone.to_local(now_).hour, z.appointment.has_value());
        if (z.scored && !fork_) {
            z.disrupted_for = disrupted_for();
            predict(z);
        }
        for (std::size_t k = 0; k < counters_.size(); ++k)
            if (counters_[k].idle) counter_free(static_cast<int>(k));
    }

    // ---- The independent oracle -------------------------------------------------------------
    // One path of the true future, forked from the true state of the simulated office at this
    // moment: a copy of this Day (its own copy of the state machine, the agenda, the citizens)
    // run on by the simulator's own rules, with fresh randomness for everything not yet
    // decided: future walk-ins, whether and when booked citizens not yet checked in come,
    // the patience left to citizens still waiting, the rest of services and pauses in
    // progress, the next pauses, and today's pace (drawn from its posterior: log_pace). What is
    // already decided stays: who is waiting, who has already left, who is being served and
    // since when. A `blind` path does not know who has already left (no device can): every
    // citizen waiting draws their whole patience afresh, so some who left come back and some
    // who stayed have left. Returns the minutes until `ticket` is called (kForkHorizonMin if never).
    double fork_wait(const std::string& ticket, double log_pace, std::uint64_t seed, bool blind) const {
        Day f(*this);
        OfficeState own = *state_;
        f.state_ = &own;
        f.learner_ = nullptr;
        f.result_ = nullptr;
        f.scores_ = nullptr;
        f.pace_ = nullptr;  // a fork never forecasts: the day's evidence on its pace stays the day's
        f.fork_ = true;
        f.fork_target_ = ticket;
        f.fork_blind_ = blind;
        f.rng_ = Rng(seed);
        f.speed_ = std::exp(log_pace);
        f.citizens_.reserve(f.citizens_.size() + 128);  // the redrawn arrivals, without regrowing
        f.redraw_future();
        // As after an arrival: idle counters look at the queue now.
        for (std::size_t k = 0; k < f.counters_.size() && f.fork_called_ < 0; ++k)
            if (f.counters_[k].idle) f.counter_free(static_cast<int>(k));
        if (f.fork_called_ < 0) f.run_events();
        return f.fork_called_ >= 0 ? static_cast<double>(f.fork_called_ - now_) / kMin : kForkHorizonMin;
    }

    void redraw_future() {
        std::vector<Timed> kept;
        for (; !agenda_.empty(); agenda_.pop()) {
            Timed e = agenda_.top();
            if (e.kind == Kind::Arrive) continue;  // citizens still to come: redrawn below
            if (e.kind == Kind::Finish) {
                // The service in progress: its end given how long it has run, at this path's pace.
                const CounterState* cs = state_->find_counter(counters_[idx(e.index)].number);
                if (const Ticket* t = cs && !cs->current.empty() ? state_->find_ticket(cs->current) : nullptr) {
                    const auto& sec = sc_->sectors[idx(citizens_[by_ticket_.at(t->id)].sector)];
                    const double elapsed = static_cast<double>(now_ - t->started_at) / kMin;
                    // A bimodal sector: which kind of service it is, given how long it has run.
                    double mean = sec.service_mean * speed_, sig = sigma_of_cv(sec.service_cv);
                    if (sec.service_share_2 > 0) {
                        const double mean2 = sec.service_mean_2 * speed_, sig2 = sigma_of_cv(sec.service_cv_2);
                        const double w1 = (1 - sec.service_share_2) * lognormal_survival(mean, sig, elapsed);
                        const double w2 = sec.service_share_2 * lognormal_survival(mean2, sig2, elapsed);
                        if (rng_.uniform() * (w1 + w2) < w2) {
                            mean = mean2;
                            sig = sig2;
                        }
                    }
                    const double total = lognormal_residual_total(rng_, mean, sig, elapsed);
                    e.t = std::max(now_, t->started_at + std::max<Millis>(1000, static_cast<Millis>(total * kMin)));
                }
            } else if (e.kind == Kind::OutageEnd) {
                CounterSim& c = counters_[idx(e.index)];
                const double elapsed = static_cast<double>(now_ - c.out_since) / kMin;
                e.t = std::max(now_, c.out_since + std::max<Millis>(kMin, static_cast<Millis>(lognormal_residual_total(rng_, sc_->outage_minutes, 0.5, elapsed) * kMin)));
                c.out_until = e.t;
            } else if (e.kind == Kind::PauseEnd) {
                const CounterSim& c = counters_[idx(e.index)];
                const double elapsed = static_cast<double>(now_ - c.paused_at) / kMin;
                e.t = std::max(now_, c.paused_at + static_cast<Millis>(lognormal_residual_total(rng_, sc_->pause_minutes, 0.3, elapsed) * kMin));
            }
            kept.push_back(e);
        }
        for (const auto& e : kept) agenda_.push(e);
        // The next pause of each counter: exponential gaps, so from the last time the rule was
        // looked at (it may fall before now: then it is due at the counter's next free moment).
        for (auto& c : counters_) {
            c.next_pause = c.pause_checked + next_pause_gap();
            c.next_outage = c.pause_checked + next_outage_gap();
        }
        // A surge day: before the surge's first minute nothing has told; after it, the surge is
        // taken as known (its first minutes show it).
        if (sc_->surge_share > 0 && !sc_->surge.empty() &&
            now_ < cfg_->timezone.from_local(date_, sc_->surge.front().begin))
            surge_today_ = rng_.chance(sc_->surge_share);
        // Citizens waiting: those already gone stay gone; the others' patience is redrawn given
        // how long they have waited. On a blind path, everyone's is drawn whole (gone or not).
        for (std::size_t i : checked_in_) {
            Citizen& z = citizens_[i];
            if (z.called_at || (!fork_blind_ && z.leave_at <= now_)) continue;
            // (A blind path draws as if nobody had waited yet: the same one uniform per citizen.)
            const double waited = fork_blind_ ? 0.0 : static_cast<double>(now_ - z.arrive) / kMin;
            z.leave_at = z.arrive + static_cast<Millis>(lognormal_residual_total(rng_, patience_mean(z.sector, z.arrive), patience_sigma(z.sector), waited) * kMin);
        }
        // Booked citizens not come yet: the simulator's rule (show with 1 − no-show; late with
        // the late share, exponential after the slot; else up to 10 minutes early) given that
        // they have not come by now.
        const std::size_t planned = citizens_.size();
        for (std::size_t i = 0; i < planned; ++i) {
            Citizen& z = citizens_[i];
            if (!z.appointment || !z.ticket.empty()) continue;
            z.shows = false;
            const auto& bk = sc_->sectors[idx(z.sector)].bookings[static_cast<std::size_t>(z.kind)];
            const Millis slot = *z.appointment;
            const double u = static_cast<double>(now_ - slot) / kMin;  // minutes past the slot now
            const double early_left = (1 - bk.late_share) * (u < -10 ? 1.0 : u >= 0 ? 0.0 : -u / 10.0);
            const double later = not_yet_came(bk, u);  // P(arrive after now | shows)
            const double p = 1 - bk.no_show;
            if (later <= 0 || !rng_.chance(p * later / (p * later + 1 - p))) continue;
            Citizen y = z;
            if (rng_.uniform() * later < early_left) {
                const double from = std::max(u, -10.0);
                y.arrive = slot + static_cast<Millis>(rng_.uniform(from, 0.0) * kMin);
            } else {
                y.arrive = slot + static_cast<Millis>((std::max(u, 0.0) + rng_.exponential(bk.late_mean)) * kMin);
            }
            y.arrive = std::max({y.arrive, now_, open_});
            if (y.arrive >= close_ - kMin) continue;
            y.shows = true;
            add(y);
        }
        // Walk-ins from now on.
        const double from_min = static_cast<double>(now_ - cfg_->timezone.from_local(date_, 0)) / kMin;
        for (std::size_t s = 0; s < sc_->sectors.size(); ++s) walk_ins(s, from_min);
    }

    // Every predictor's forecast for the ticket just issued.
    void predict(Citizen& z) {
        // The booking agenda as the kiosk reads it: today's real bookings not checked in (yet).
        QueueSnapshot snap = snapshot_of(*state_, now_, booked_today(*state_, *cfg_, now_));
        const int target = find_target(snap, *cfg_, QueueTarget{z.ticket, {}, {}});
        const LocalTime lt = cfg_->timezone.to_local(now_);
        const std::uint64_t seed = Rng::seed_of(z.ticket.c_str(), opt_->seed);

        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = thread_cpu_ms();
        const ForecastParams ours = learner_->params(day_key_, lt.minute_of_day(), ForecastLearner::running_in(snap));
        const WaitForecast f = forecast_wait(snap, target, ours, opt_->paths, seed);
        result_->forecast_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        result_->forecast_cpu_ms.push_back(thread_cpu_ms() - c0);
        z.forecast[kOurs] = {f.median_min, f.low_min, f.high_min};

        // Oracle: the same forward simulation from the TRUE state (who has already left) with
        // the TRUE parameters: service means and spreads, the between-day spread of the pace
        // (day_speed_sd), arrival rates, patience, pauses, show rate. Today's pace is a draw of
        // the day, like every service's duration: like the kiosk, the oracle infers it from
        // today's services (finished and running), but with the true prior and true means.
        QueueSnapshot truth = snap;
        for (auto& it : truth.waiting) {
            auto found = by_ticket_.find(it.id);
            if (found == by_ticket_.end()) continue;
            it.presence = citizens_[found->second].leave_at <= now_ ? Presence::Gone : Presence::Present;
        }
        truth.waiting[static_cast<std::size_t>(target)].presence = Presence::Present;
        // Today's pace: its exact posterior from today's services under the true laws
        // (true_pace.hpp), the services still running by how long they have run.
        std::vector<std::pair<ServiceLaw, double>> running;
        for (const auto& c : counters_) {
            const CounterState* cs = state_->find_counter(c.number);
            const Ticket* t = cs && !cs->current.empty() ? state_->find_ticket(cs->current) : nullptr;
            if (!t || t->started_at <= 0 || t->started_at >= now_) continue;  // just started: says nothing
            running.emplace_back(laws_[idx(citizens_[by_ticket_.at(t->id)].sector)], static_cast<double>(now_ - t->started_at) / kMin);
        }
        const TruePace::Posterior pace = pace_ ? pace_->posterior(running) : TruePace::Posterior{};
        ForecastParams oracle = true_params_;
        for (std::size_t s = 0; s < oracle.sectors.size(); ++s) {
            oracle.sectors[s].service_mean_min.fill(mix_mean(sc_->sectors[s]) * std::exp(pace.mean));
            oracle.sectors[s].speed_uncertainty = pace.sd;
        }
        const WaitForecast o = forecast_wait(truth, target, oracle, opt_->paths, seed ^ 0x5bd1e995ULL);
        z.forecast[kEngineOracle] = {o.median_min, o.low_min, o.high_min};
        // Clairvoyant: the oracle told today's realized pace as well, which also governs the
        // services not started yet. Reported beside it: the part no forecaster can close.
        const WaitForecast c = forecast_wait(truth, target, true_params_, opt_->paths, seed ^ 0x5bd1e995ULL);
        z.forecast[kEngineClairvoyant] = {c.median_min, c.low_min, c.high_min};

        // The independent oracle: forks of the simulator's own future from its true state;
        // each path draws today's pace from the same posterior (true prior, true means).
        // The blind oracle (SimOptions::blind_oracle_paths) takes the same seeds, so that where
        // nobody has left the two agree path by path. Each returns its waits, sorted.
        const auto fork_waits = [&](int paths, bool blind) {
            Rng fork_rng(seed ^ 0x2545f4914f6cdd1dULL);
            std::vector<double> out;
            for (int k = 0; k < paths; ++k) {
                const double log_pace = pace.quantile(fork_rng.uniform());
                out.push_back(fork_wait(z.ticket, log_pace, fork_rng.next(), blind));
            }
            std::sort(out.begin(), out.end());
            return out;
        };
        const std::vector<double> waits = fork_waits(opt_->oracle_paths, false);
        double path_mean = 0;
        for (double w : waits) path_mean += w / static_cast<double>(waits.size());
        const Forecast3 fork{quantile_of(waits, 0.5), quantile_of(waits, 0.1), quantile_of(waits, 0.9)};
        z.forecast[kOracle] = fork;
        z.forecast[kOracleMean] = {path_mean, fork.low, fork.high};
        if (opt_->blind_oracle_paths > 0) {  // not told who has already left
            const std::vector<double> blind = fork_waits(opt_->blind_oracle_paths, true);
            z.forecast[kOracleBlind] = {quantile_of(blind, 0.5), quantile_of(blind, 0.1), quantile_of(blind, 0.9)};
        }

        // Baselines from what the queue shows: people ahead, open counters, known means.
        const auto& sid = sc_->sectors[idx(z.sector)].id;
        int ahead = 0;
        for (const Ticket* t : state_->queue(sid, now_)) {
            if (t->id == z.ticket) break;
            ++ahead;
        }
        int open = 0, idle = 0;
        for (const auto& c : cfg_->counters) {
            if (std::find(c.sectors.begin(), c.sectors.end(), sid) == c.sectors.end()) continue;
            const CounterState* cs = state_->find_counter(c.number);
            if (!cs || cs->status == CounterStatus::Closed) continue;
            ++open;
            if (cs->status == CounterStatus::Open && cs->current.empty()) ++idle;
        }
        const double mean = mix_mean(sc_->sectors[idx(z.sector)]);
        const double s = std::max(1, open);
        const double naive = ahead * mean / s;
        double ql = 0;
        if (idle == 0 || ahead >= idle)
            for (int i = 0; i <= ahead; ++i) ql += 1.0 / (s / mean + i / patience_mean(z.sector, z.arrive));
        const double ew = ewma_[idx(z.sector)] < 0 ? naive : ewma_[idx(z.sector)];
        // Their range: the spread of a sum of ahead+1 service completions, ±1.28/√(n+1).
        auto band = [&](double c) {
            const double half = 1.2816 * c / std::sqrt(ahead + 1.0);
            return Forecast3{c, std::max(0.0, c - half), c + half};
        };
        z.forecast[kNaive] = band(naive);
        z.forecast[kQl] = band(ql);
        z.forecast[kEwma] = band(ew);
    }

    // Pointers, not references, so that a Day can be copied into a fork (whose state_ is its
    // own copy and whose learner_, result_ and scores_ are null).
    const Scenario* sc_;
    const SiteConfig* cfg_;
    OfficeState* state_;
    ForecastLearner* learner_;
    const SimOptions* opt_;
    SimResult* result_;
    ScoreRows* scores_;
    Rng rng_;
    Date date_;
    int day_key_ = 0;
    Millis open_ = 0, close_ = 0, now_ = 0;
    double speed_ = 1;                   // today's realized pace (a factor on every service time)
    bool surge_today_ = false;           // today has the scenario's surge of walk-ins
    // The oracle's evidence on today's pace (null in a fork, which never forecasts), and each
    // sector's true service law.
    std::shared_ptr<TruePace> pace_;
    std::vector<ServiceLaw> laws_;
    std::string device_;
    std::int64_t seq_base_ = 0, seq_ = 0, agenda_seq_ = 0;
    std::vector<Citizen> citizens_;
    std::map<std::string, std::size_t> by_ticket_;
    std::vector<std::size_t> checked_in_;
    std::vector<CounterSim> counters_;
    std::vector<double> ewma_;
    ForecastParams true_params_;
    std::priority_queue<Timed, std::vector<Timed>, std::greater<>> agenda_;
    bool fork_ = false;          // an independent oracle's path: no learning, no predictions
    std::string fork_target_;    // its ticket: the path ends when it is called
    bool fork_blind_ = false;    // a blind oracle's path: who has already left is not known
    Millis fork_called_ = -1;
};

PredictorScore score(std::vector<std::array<double, 4>> rows) {
    PredictorScore s;
    s.n = static_cast<int>(rows.size());
    if (rows.empty()) return s;
    std::vector<double> abs;
    for (const auto& r : rows) {
        const double e = r[0] - r[3];
        abs.push_back(std::fabs(e));
        s.mae += std::fabs(e);
        s.bias += e;
        s.hit += std::fabs(e) <= std::max(3.0, 0.2 * r[3]) ? 1 : 0;
        const bool inside = r[3] >= r[1] && r[3] <= r[2];
        s.coverage += inside ? 1 : 0;
        s.width += r[2] - r[1];
        // Winkler score of the 80% range (α = 0.2): its width plus 2/α times the miss.
        s.interval_score += r[2] - r[1] + (r[3] < r[1] ? 10 * (r[1] - r[3]) : 0) + (r[3] > r[2] ? 10 * (r[3] - r[2]) : 0);
        if (r[3] >= 2.0) {
            ++s.n_2min;
            s.coverage_2min += inside ? 1 : 0;
        }
    }
    if (s.n_2min) s.coverage_2min /= s.n_2min;
    const double n = static_cast<double>(rows.size());
    s.mae /= n;
    s.bias /= n;
    s.hit /= n;
    s.coverage /= n;
    s.width /= n;
    s.interval_score /= n;
    std::sort(abs.begin(), abs.end());
    s.p90 = abs[static_cast<std::size_t>(std::min(n - 1, std::ceil(0.9 * n) - 1))];
    return s;
}

}  // namespace

Result<SimResult> run_simulation(const Scenario& scenario, const SimOptions& options) {
    if (options.days < 1) return fail("simulate: --days must be at least 1");
    if (options.paths < 10) return fail("simulate: at least 10 Monte Carlo paths are needed");
    const SiteConfig cfg = site_config_of(scenario);
    ForecastLearner learner(cfg);
    SimResult result;
    ScoreRows scores;
    for (int d = 0; d < options.days; ++d) {
        // A state machine per day: the same as one rolled over to the next day (which starts
        // empty), without the ids of every past day's events, which each oracle fork would copy.
        OfficeState state(cfg);
        Day day(scenario, cfg, state, learner, options, d, result, scores);
        day.run();
        if (d == 0)
            for (int p = 0; p < kCount; ++p)
                if (p != kOracleBlind || options.blind_oracle_paths > 0) result.first_day[kPredictors[p]] = score(scores.all[static_cast<std::size_t>(p)]);
    }
    for (int p = 0; p < kCount; ++p) {
        if (p == kOracleBlind && options.blind_oracle_paths <= 0) continue;  // not run
        const auto i = static_cast<std::size_t>(p);
        result.predictors[kPredictors[p]] = score(scores.all[i]);
        if (!scores.disrupted[i].empty()) result.disrupted[kPredictors[p]] = score(scores.disrupted[i]);
        if (!scores.onset[i].empty()) result.onset[kPredictors[p]] = score(scores.onset[i]);
    }
    return result;
}

std::string to_json(const SimResult& r) {
    auto round = [](double v, double q) { return std::round(v * q) / q; };
    const auto scores = [&](const std::map<std::string, PredictorScore>& of) {
        nlohmann::json preds = nlohmann::json::object();
        for (const auto& [name, s] : of)
            preds[name] = {{"mae", round(s.mae, 1000)},
                           {"p90", round(s.p90, 1000)},
                           {"bias", round(s.bias, 1000)},
                           {"hit", round(s.hit, 10000)},
                           {"coverage", round(s.coverage, 10000)},
                           {"width", round(s.width, 1000)},
                           {"interval_score", round(s.interval_score, 1000)},
                           {"coverage_2min", round(s.coverage_2min, 10000)},
                           {"n", s.n},
                           {"n_2min", s.n_2min}};
        return preds;
    };
    const auto& b = r.bookings;
    const nlohmann::json bookings{{"made", b.made},           {"checked_in", b.checked_in},
                                  {"appointment_tickets", b.appointment_tickets}, {"walked_in", b.walked_in},
                                  {"no_show", b.no_show}};
    return nlohmann::json{{"served", r.served}, {"abandoned", r.abandoned}, {"bookings", bookings},
                          {"predictors", scores(r.predictors)}, {"first_day", scores(r.first_day)},
                          {"disrupted", scores(r.disrupted)}, {"onset", scores(r.onset)}}
        .dump();
}

void keep_freed_memory_for_forks() {
    // The oracle's forks copy the whole simulated day, tens of times per ticket. By default glibc
    // hands each large copy back to the kernel when it is freed and faults the next one in again
    // (busy day, 6 days: ~10% of the time in page faults, system time 1.3 s of 9.5); a fixed mmap
    // threshold of 32 MiB and a trim threshold of 1 GiB keep them in the heap for reuse.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace csc::sim
