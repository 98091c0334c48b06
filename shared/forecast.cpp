#include "shared/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "shared/rng.hpp"

namespace csc {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// An item's leave time not drawn yet (drawn when a counter reaches it, if ever).
constexpr double kUndrawn = std::numeric_limits<double>::quiet_NaN();
constexpr double kMinuteMs = 60'000.0;
// A path that has not reached the target after this many minutes stops (reported as "after closing").
constexpr double kHorizonMin = 600.0;
// Work budget per forecast (counter decisions over all paths) and the paths always run: after
// kMinPaths, a path starts while the work is under kStepBudget and fewer than kBudgetPaths have
// run, or while it is under kCheapBudget (a short queue's forecast takes more paths, up to the
// caller's, for less Monte Carlo noise at a cost that stays small).
constexpr std::int64_t kStepBudget = 30'000, kCheapBudget = 10'000;
constexpr int kMinPaths = 80, kBudgetPaths = 240;
bool another_path(int done, std::int64_t steps) {
    return done < kMinPaths || (done < kBudgetPaths && steps < kStepBudget) || steps < kCheapBudget;
}

double rel_min(Millis t, Millis now) { return static_cast<double>(t - now) / kMinuteMs; }

int sector_of(const SiteConfig& config, std::string_view id) {
    for (std::size_t i = 0; i < config.sectors.size(); ++i)
        if (config.sectors[i].id == id) return static_cast<int>(i);
    return -1;
}

// Today's opening intervals and a counter's planned windows as absolute times.
std::vector<std::pair<Millis, Millis>> windows_today(const SiteConfig& config, const LocalTime& lt,
                                                     const std::vector<TimeRange>& ranges) {
    std::vector<std::pair<Millis, Millis>> out;
    for (const auto& r : ranges)
        out.emplace_back(config.timezone.from_local(lt.date, r.begin), config.timezone.from_local(lt.date, r.end));
    return out;
}

}  // namespace

// The forecast expects each with the learned show rate.
std::vector<QueueSnapshot::Booked> booked_today(const OfficeState& state, const SiteConfig& config, Millis now) {
    std::vector<QueueSnapshot::Booked> out;
    const int today = config.timezone.day_key(now);
    for (const Booking* b : state.agenda().on_day(today, config)) {
        if (b->status != BookingStatus::Booked || check_in_closed(*b, now, config)) continue;
        const BookableService* service = config.booking.find(b->service);
        const int j = service ? static_cast<int>(service - config.booking.services.data()) : -1;
        for (std::size_t i = 0; i < config.sectors.size(); ++i)
            if (config.sectors[i].id == b->sector) out.push_back({static_cast<int>(i), b->slot, j});
    }
    return out;
}

QueueSnapshot snapshot_of(const OfficeState& state, Millis now, const std::vector<QueueSnapshot::Booked>& booked) {
    const SiteConfig& config = state.config();
    QueueSnapshot s;
    s.now = now;
    s.policy = config.queue;
    s.day_start = config.timezone.start_of_day(now);
    const LocalTime lt = config.timezone.to_local(now);
    const bool closed_day = config.hours.is_closed_day(lt.date);  // holidays and yearly closures too
    const auto& today = config.hours.weekly[static_cast<std::size_t>(lt.weekday)];
    const auto open_windows = closed_day ? std::vector<std::pair<Millis, Millis>>{} : windows_today(config, lt, today);
    s.closes_at = open_windows.empty() ? 0 : open_windows.back().second;
    for (const auto& w : open_windows)
        if (now >= w.first && now < w.second) s.arrivals_end = w.second;

    for (const auto& t : state.tickets()) {
        if (!is_waiting(t.status)) continue;
        QueueSnapshot::Item it;
        it.sector = sector_of(config, t.sector);
        if (it.sector < 0) continue;
        it.priority = !t.priority.empty();
        it.appointment_at = t.appointment_at;
        it.issued_at = t.queued_at;  // the place in line (OfficeState::queue's order)
        it.for_counter = t.for_counter.value_or(0);
        it.id = t.id;
        s.waiting.push_back(std::move(it));
    }
    // Log order breaks ties of the same millisecond, as in OfficeState::queue.
    std::stable_sort(s.waiting.begin(), s.waiting.end(), [](const auto& a, const auto& b) { return a.issued_at < b.issued_at; });
    for (const auto& cc : config.counters) {
        QueueSnapshot::Counter c;
        c.number = cc.number;
        for (const auto& sid : cc.sectors) c.sectors.push_back(sector_of(config, sid));
        if (const CounterState* cs = state.find_counter(cc.number)) {
            c.status = cs->status;
            if (cs->status == CounterStatus::Paused) c.paused_since = cs->since;
            if (cs->status == CounterStatus::Closed) c.closed_since = cs->since;
            if (const Ticket* cur = cs->current.empty() ? nullptr : state.find_ticket(cs->current)) {
                c.serving = cur->status == TicketStatus::Serving;
                c.busy_since = c.serving ? cur->started_at : cur->called_at;
                if (!c.serving) c.called_waited_min = static_cast<double>(cur->called_at - cur->issued_at) / kMinuteMs;
                c.busy_sector = std::max(0, sector_of(config, cur->sector));
            }
        }
        c.staffed = closed_day ? std::vector<std::pair<Millis, Millis>>{}
                               : (cc.staffed.empty() ? open_windows : windows_today(config, lt, cc.staffed));
        c.serves_until_empty = !c.staffed.empty() && c.staffed.back().second >= s.closes_at;
        s.counters.push_back(std::move(c));
    }
    for (const auto& sec : config.sectors) s.since.push_back(std::min(state.walk_ins_since_priority(sec.id), 1000));
    s.booked = booked;
    return s;
}

int find_target(QueueSnapshot& snapshot, const SiteConfig& config, const QueueTarget& target) {
    if (!target.ticket_id.empty()) {
        for (std::size_t i = 0; i < snapshot.waiting.size(); ++i)
            if (snapshot.waiting[i].id == target.ticket_id) return static_cast<int>(i);
        return -1;
    }
    const int sector = sector_of(config, target.sector);
    if (sector < 0) return -1;
    QueueSnapshot::Item it;
    it.sector = sector;
    it.priority = !target.priority.empty();
    it.issued_at = snapshot.now;
    it.presence = Presence::Present;
    it.id = "(new)";  // last: after every ticket issued at the same millisecond
    snapshot.waiting.push_back(std::move(it));
    return static_cast<int>(snapshot.waiting.size()) - 1;
}

namespace {

// One Monte Carlo path over a compact copy of the snapshot; times in minutes from now.
class PathSimulator {
public:
    PathSimulator(const QueueSnapshot& s, int target, const ForecastParams& p) : s_(s), p_(p) {
        target_sector_ = s.waiting[static_cast<std::size_t>(target)].sector;
        target_priority_ = s.waiting[static_cast<std::size_t>(target)].priority;
        const std::size_t nsec = s.since.size();
        relevant_.assign(nsec, false);
        relevant_[static_cast<std::size_t>(target_sector_)] = true;
        // Every sector linked to the target's through counters that serve both, however many
        // counters away: a sector that keeps a counter from the target's sector is itself held
        // up by the sectors its other counters prefer (a polifunzionale ticket waits for counter
        // 2's anagrafe queue, which waits for counter 3's protocollo queue).
        for (bool grew = true; grew;) {
            grew = false;
            for (const auto& c : s.counters)
                if (std::any_of(c.sectors.begin(), c.sectors.end(), [&](int sec) { return relevant_[static_cast<std::size_t>(sec)]; }))
                    for (int sec : c.sectors)
                        if (!relevant_[static_cast<std::size_t>(sec)]) relevant_[static_cast<std::size_t>(sec)] = grew = true;
        }
        for (std::size_t i = 0; i < s.counters.size(); ++i) {
            const auto& c = s.counters[i];
            bool uses = std::any_of(c.sectors.begin(), c.sectors.end(), [&](int sec) { return relevant_[static_cast<std::size_t>(sec)]; });
            if (uses) counters_.push_back(static_cast<int>(i));
        }
        base_minute_ = static_cast<double>(s.now - s.day_start) / kMinuteMs;
        arrivals_end_ = s.arrivals_end > s.now ? rel_min(s.arrivals_end, s.now) : 0.0;
        closes_ = s.closes_at > 0 ? rel_min(s.closes_at, s.now) : 0.0;
        for (std::size_t i = 0; i < s.waiting.size(); ++i) {
            const auto& w = s.waiting[i];
            if (!relevant_[static_cast<std::size_t>(w.sector)]) continue;
            Item it{w.sector, w.priority, w.appointment_at ? rel_min(*w.appointment_at, s.now) : kInf,
                    rel_min(w.issued_at, s.now), -1, kUndrawn, static_cast<int>(i) == target, w.presence, static_cast<int>(i)};
            if (w.for_counter)
                for (std::size_t k = 0; k < s.counters.size(); ++k)
                    if (s.counters[k].number == w.for_counter) it.for_counter = static_cast<int>(k);
            base_items_.push_back(it);
        }
        // Per-sector queues (indices into the item pool), each kept in the office's order, so
        // that a counter's choice costs O(sectors + appointments), not O(waiting).
        base_walk_.assign(nsec, {});
        base_prio_.assign(nsec, {});
        base_appt_.assign(nsec, {});
        for (std::size_t i = 0; i < base_items_.size(); ++i) enqueue(base_items_, static_cast<int>(i), base_walk_, base_prio_, base_appt_, base_directed_);
        head_walk_.assign(nsec, 0);
        head_prio_.assign(nsec, 0);
        // Booked citizens not checked in: they come with the sector's show rate, at its learned
        // offsets from the slot, given that they have not come yet. A slot whose offsets all lie
        // in the past is a no-show (no phantom arrival after it); a slot still ahead keeps its
        // chance: P(show | not yet) = p·F̄ / (p·F̄ + 1 − p), F̄ the share of offsets still ahead.
        for (const auto& b : s.booked) {
            if (!relevant_[static_cast<std::size_t>(b.sector)]) continue;
            // Its service's own behaviour where known, else its sector's, else the office default.
            const auto& sp = p.sectors[static_cast<std::size_t>(b.sector)];
            const ServiceParams* sv = b.service >= 0 && static_cast<std::size_t>(b.service) < p.services.size()
                                          ? &p.services[static_cast<std::size_t>(b.service)] : nullptr;
            const double pshow = sv && sv->appointment_show_prob >= 0 ? sv->appointment_show_prob
                                 : sp.appointment_show_prob >= 0      ? sp.appointment_show_prob
                                                                      : p.appointment_show_prob;
            Booked x{b.sector, rel_min(b.slot, s.now), 0, {}};
            const std::vector<double> lead{-p.appointment_lead_min};
            const auto& offsets = sv && !sv->appointment_offsets_min.empty() ? sv->appointment_offsets_min
                                  : sp.appointment_offsets_min.empty()       ? lead
                                                                             : sp.appointment_offsets_min;
            for (double off : offsets)
                if (x.slot + off > 0) x.arrivals.push_back(x.slot + off);
            if (x.arrivals.empty()) continue;
            const double later = static_cast<double>(x.arrivals.size()) / static_cast<double>(offsets.size());
            x.show = pshow * later / (pshow * later + 1 - pshow);
            booked_.push_back(std::move(x));
        }
    }

    // Every waiting ticket of the target's sector is tracked instead of the target alone
    // (run(rng, &reached)): the path goes on past each of them.
    void track_sector() {
        tracked_ = 0;
        for (auto& it : base_items_) {
            it.target = false;
            if (it.sector == target_sector_) ++tracked_;
        }
    }

    // Minutes from now until the target is called in one sampled future (kInf if never). With
    // `reached` (after track_sector()): the minutes at which each tracked ticket is reached, by
    // its index in the snapshot (left as they are when never reached).
    double run(Rng& rng, std::vector<double>* reached = nullptr) {
        int left = tracked_;
        items_ = base_items_;
        walk_ = base_walk_;
        prio_ = base_prio_;
        appt_ = base_appt_;
        directed_ = base_directed_;
        std::fill(head_walk_.begin(), head_walk_.end(), 0);
        std::fill(head_prio_.begin(), head_prio_.end(), 0);
        since_ = s_.since;
        speed_ = 1.0;
        for (const auto& sp : p_.sectors)
            if (sp.speed_uncertainty > 0) {
                speed_ = std::exp(sp.speed_uncertainty * rng.normal());
                break;
            }
        pat_scale_.assign(p_.sectors.size(), 1.0);
        for (std::size_t k = 0; k < p_.sectors.size(); ++k)
            if (p_.sectors[k].patience_uncertainty > 0) pat_scale_[k] = std::exp(p_.sectors[k].patience_uncertainty * rng.normal());
        if (p_.patience_uncertainty > 0) {  // the office's doubt: one factor for every sector
            const double office = std::exp(p_.patience_uncertainty * rng.normal());
            for (double& f : pat_scale_) f *= office;
        }
        // The doubt on today's arrival pace: a factor per sector and one for every sector, each
        // lognormal with mean 1 (the pace is the rate's posterior mean).
        arr_scale_.assign(p_.sectors.size(), 1.0);
        for (std::size_t k = 0; k < p_.sectors.size(); ++k)
            if (const double u = p_.sectors[k].arrival_uncertainty; u > 0) arr_scale_[k] = std::exp(u * rng.normal() - 0.5 * u * u);
        if (const double u = p_.arrival_uncertainty; u > 0) {
            const double office = std::exp(u * rng.normal() - 0.5 * u * u);
            for (double& f : arr_scale_) f *= office;
        }
        init_arrivals(rng);
        init_counters(rng);
        for (int guard = 0; guard < 5000; ++guard, ++steps_) {
            // The counter that frees first picks next.
            int ci = -1;
            for (std::size_t k = 0; k < cs_.size(); ++k)
                if (cs_[k].active && (ci < 0 || cs_[k].free_at < cs_[static_cast<std::size_t>(ci)].free_at)) ci = static_cast<int>(k);
            if (ci < 0) return kInf;
            Counter& c = cs_[static_cast<std::size_t>(ci)];
            const double t = c.free_at;
            if (t > kHorizonMin) return kInf;
            if (!available(c, t)) continue;
            if (p_.pause_rate_per_hour > 0 && t >= c.next_pause) {
                c.free_at = t + rng.lognormal_mean(p_.pause_mean_min, 0.3);
                c.next_pause = c.free_at + rng.exponential(60.0 / p_.pause_rate_per_hour);
                continue;
            }
            if (p_.outage_rate_per_hour > 0 && t >= c.next_outage) {
                c.free_at = t + rng.lognormal_mean(p_.outage_mean_min, p_.outage_sigma);
                c.next_outage = c.free_at + rng.exponential(60.0 / p_.outage_rate_per_hour);
                continue;
            }
            admit_arrivals(rng, t);
            const int pick = choose(c, t);
            if (pick < 0) {
                const double next = next_arrival_time();
                if (next == kInf) c.active = false;
                else c.free_at = std::max(next, t + 1e-6);
                continue;
            }
            Item& it = items_[static_cast<std::size_t>(pick)];
            if (it.target) return std::max(0.0, t);
            // A tracked ticket is reached as the target would be; whether it is there then
            // matters only to those behind it, as for any other citizen (below).
            if (reached && static_cast<std::size_t>(pick) < base_items_.size() && it.sector == target_sector_) {
                (*reached)[static_cast<std::size_t>(it.order)] = std::max(0.0, t);
                if (--left == 0) return 0.0;
            }
            // Whether the citizen is still there is drawn when a counter reaches them (one
            // draw per citizen reached, not one per citizen waiting).
            if (std::isnan(it.leave_at)) it.leave_at = sample_leave(rng, it);
            if (it.leave_at < t) {
                c.free_at = t + p_.no_show_cost_min;
            } else {
                c.free_at = t + draw_service(rng, it.sector, service_mean(it.sector, t));
            }
        }
        return kInf;
    }

private:
    struct Item {
        int sector;
        bool priority;
        double appt;  // slot (kInf = walk-in)
        double issued;
        int for_counter;  // index into s_.counters, -1 = any
        double leave_at;
        bool target;
        Presence presence;
        int order;  // tie-break: snapshot order, then arrival order
    };
    struct Counter {
        int index;
        double free_at = 0;
        bool active = true;
        double next_pause = kInf;
        double next_outage = kInf;
        std::vector<std::pair<double, double>> intervals;  // when it may pick
    };
    struct Pending {
        double at;
        int sector;
        double appt;
    };
    struct Booked {
        int sector;
        double slot;
        double show;                  // probability that this citizen comes, given not yet
        std::vector<double> arrivals; // the arrival times (minutes from now) they may come at
    };

    double hour_of(double t) const { return (base_minute_ + t) / 60.0; }
    double service_mean(int sector, double t) const {
        const int h = std::clamp(static_cast<int>(hour_of(t)), 0, 23);
        return p_.sectors[static_cast<std::size_t>(sector)].service_mean_min[static_cast<std::size_t>(h)] * speed_;
    }
    double sigma(int sector) const { return p_.sectors[static_cast<std::size_t>(sector)].service_sigma; }
    // A service time with this mean: from the sector's learned shape (the recent services ÷
    // their mean, which keeps a bimodal sector bimodal) when it has one, else lognormal.
    double draw_service(Rng& rng, int sector, double mean) const {
        const auto& shape = p_.sectors[static_cast<std::size_t>(sector)].service_shape;
        if (shape.empty()) return rng.lognormal_mean(mean, sigma(sector));
        return mean * shape[std::min(shape.size() - 1, static_cast<std::size_t>(rng.uniform() * static_cast<double>(shape.size())))];
    }
    // The total length of a service that has run `elapsed` minutes: drawn among the shape's
    // services longer than that (a service at 5 minutes in a 3-or-25 sector is a long one).
    double draw_service_total(Rng& rng, int sector, double mean, double elapsed) const {
        const auto& shape = p_.sectors[static_cast<std::size_t>(sector)].service_shape;
        if (shape.empty()) return lognormal_residual_total(rng, mean, sigma(sector), elapsed);
        const auto k = static_cast<std::size_t>(std::upper_bound(shape.begin(), shape.end(), elapsed / mean) - shape.begin());
        if (k >= shape.size()) return elapsed * 1.02 + 0.1;
        const auto n = shape.size() - k;
        return std::max(elapsed, mean * shape[k + std::min(n - 1, static_cast<std::size_t>(rng.uniform() * static_cast<double>(n)))]);
    }

    // A sector's patience: its own when it has one (always lognormal), else the office's; its
    // mean times the factor of the hour the citizen took the ticket in (`issued`: minutes from now).
    struct PatienceLaw {
        bool lognormal;
        double mean, sigma;
    };
    PatienceLaw patience_of(int sector, double issued) const {
        const auto& sp = p_.sectors[static_cast<std::size_t>(sector)];
        const int hour = std::clamp(static_cast<int>(std::floor((base_minute_ + issued) / 60.0)), 0, 23);
        const double f = p_.patience_hour_factor[static_cast<std::size_t>(hour)] *
                         (static_cast<std::size_t>(sector) < pat_scale_.size() ? pat_scale_[static_cast<std::size_t>(sector)] : 1.0);
        if (sp.patience_mean_min >= 0) return {true, sp.patience_mean_min * f, sp.patience_sigma};
        return {p_.patience_lognormal, p_.patience_mean_min * f, p_.patience_sigma};
    }
    // P(patience <= w): the share of the sector's citizens (ticket taken at `issued`) gone
    // after waiting w minutes.
    double patience_cdf(int sector, double issued, double w) const {
        if (w <= 0) return 0.0;
        const PatienceLaw law = patience_of(sector, issued);
        if (!law.lognormal) return 1.0 - std::exp(-w / law.mean);
        const double mu = std::log(law.mean) - 0.5 * law.sigma * law.sigma;
        return normal_cdf((std::log(w) - mu) / law.sigma);
    }
    double sample_leave(Rng& rng, const Item& it) const {
        const PatienceLaw law = patience_of(it.sector, it.issued);
        switch (it.presence) {
            case Presence::Gone: return -kInf;
            case Presence::Present: {
                const double elapsed = std::max(0.0, -it.issued);
                const double total = law.lognormal ? lognormal_residual_total(rng, law.mean, law.sigma, elapsed)
                                                   : elapsed + rng.exponential(law.mean);
                return it.issued + total;
            }
            case Presence::Unknown: break;
        }
        return it.issued + (law.lognormal ? rng.lognormal_mean(law.mean, law.sigma) : rng.exponential(law.mean));
    }

    void init_arrivals(Rng& rng) {
        pending_.clear();
        next_walk_in_.assign(s_.since.size(), kInf);
        for (std::size_t sec = 0; sec < s_.since.size(); ++sec)
            if (relevant_[sec]) next_walk_in_[sec] = draw_arrival(rng, static_cast<int>(sec), 0.0);
        for (const auto& b : booked_) {
            if (b.arrivals.empty() || !rng.chance(b.show)) continue;
            const double at = b.arrivals[std::min(b.arrivals.size() - 1, static_cast<std::size_t>(rng.uniform() * static_cast<double>(b.arrivals.size())))];
            pending_.push_back({at, b.sector, b.slot});
        }
        std::sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) { return a.at < b.at; });
        pending_next_ = 0;
        next_order_ = static_cast<int>(s_.waiting.size());
    }

    // The rate of arrivals that can matter: in the target's own sector, later walk-ins queue
    // behind a walk-in target and every later arrival behind a priority target, except
    // priority citizens overtaking a walk-in.
    double rate_per_min(int sector, double t) const {
        const int h = static_cast<int>(hour_of(t));
        if (h < 0 || h > 23) return 0.0;
        const auto& sp = p_.sectors[static_cast<std::size_t>(sector)];
        double r = sp.arrivals_per_hour[static_cast<std::size_t>(h)] / 60.0 * arr_scale_[static_cast<std::size_t>(sector)];
        if (sector == target_sector_) r = target_priority_ ? 0.0 : r * sp.priority_share;
        return r;
    }
    double draw_arrival(Rng& rng, int sector, double from) const {
        double t = from;
        while (t < arrivals_end_) {
            const double boundary = std::min(arrivals_end_, (std::floor(hour_of(t)) + 1) * 60.0 - base_minute_);
            const double r = rate_per_min(sector, t);
            if (r > 0) {
                const double dt = rng.exponential(1.0 / r);
                if (t + dt < boundary) return t + dt;
            }
            t = boundary + 1e-9;
        }
        return kInf;
    }
    double next_arrival_time() const {
        double next = pending_next_ < pending_.size() ? pending_[pending_next_].at : kInf;
        for (double a : next_walk_in_) next = std::min(next, a);
        return next;
    }
    void admit_arrivals(Rng& rng, double t) {
        for (std::size_t sec = 0; sec < next_walk_in_.size(); ++sec)
            while (next_walk_in_[sec] <= t) {
                const double at = next_walk_in_[sec];
                const auto& sp = p_.sectors[sec];
                const bool prio = static_cast<int>(sec) == target_sector_ ? true : rng.chance(sp.priority_share);
                Item it{static_cast<int>(sec), prio, kInf, at, -1, kUndrawn, false, Presence::Unknown, next_order_++};
                items_.push_back(it);
                enqueue(items_, static_cast<int>(items_.size()) - 1, walk_, prio_, appt_, directed_);
                next_walk_in_[sec] = draw_arrival(rng, static_cast<int>(sec), at);
            }
        while (pending_next_ < pending_.size() && pending_[pending_next_].at <= t) {
            const auto& pa = pending_[pending_next_++];
            Item it{pa.sector, false, pa.appt, pa.at, -1, kUndrawn, false, Presence::Present, next_order_++};
            items_.push_back(it);
            enqueue(items_, static_cast<int>(items_.size()) - 1, walk_, prio_, appt_, directed_);
        }
    }

    void init_counters(Rng& rng) {
        cs_.clear();
        for (int idx : counters_) {
            const auto& sc = s_.counters[static_cast<std::size_t>(idx)];
            Counter c;
            c.index = idx;
            std::vector<std::pair<double, double>> w;
            for (const auto& [b, e] : sc.staffed) w.emplace_back(rel_min(b, s_.now), rel_min(e, s_.now));
            const bool working = sc.status != CounterStatus::Closed;
            if (working) {
                // Working now: until the end of the window it is in (or the next one, or closing).
                double until = closes_;
                for (const auto& [b, e] : w)
                    if (e > 0) {
                        until = e;
                        break;
                    }
                c.intervals.emplace_back(0.0, std::max(until, 0.0));
                for (const auto& [b, e] : w)
                    if (b > until) c.intervals.emplace_back(b, e);
            } else {
                // Closed now: it opens at its next planned window; a closed counter inside a
                // planned window (staff not logged in yet) is expected to open now.
                for (const auto& [b, e] : w)
                    if (e > 0) c.intervals.emplace_back(std::max(b, 0.0), e);
            }
            if (c.intervals.empty()) continue;
            if (sc.serves_until_empty || c.intervals.back().second >= closes_ - 1e-9) c.intervals.back().second = kInf;
            c.free_at = c.intervals.front().first;
            if (!working && sc.closed_since > 0) {
                // Closed inside the planned window it was working in: an outage, back after the
                // rest of a learned outage length (not at once, as a counter not yet opened).
                const double since = rel_min(sc.closed_since, s_.now);
                for (const auto& [b, e] : w)
                    if (b <= since && since < e && e > 0) {
                        const double elapsed = -since;
                        c.free_at = std::max(c.free_at, lognormal_residual_total(rng, p_.outage_mean_min, p_.outage_sigma, elapsed) - elapsed);
                        break;
                    }
            }
            if (sc.status == CounterStatus::Paused) {
                const double elapsed = std::max(0.0, rel_min(s_.now, sc.paused_since));
                c.free_at = lognormal_residual_total(rng, p_.pause_mean_min, 0.3, elapsed) - elapsed;
            } else if (sc.busy_since && !sc.serving) {
                // Called, not started: a citizen who is there reaches the counter within the
                // walk-up time; one who has left costs the counter the no-show time only. Gone
                // with the posterior of F(waited) given no start after `elapsed`.
                const double elapsed = std::max(0.0, rel_min(s_.now, *sc.busy_since));
                const double f = patience_cdf(sc.busy_sector, -elapsed - sc.called_waited_min, sc.called_waited_min);
                const double still = std::max(0.0, 1.0 - elapsed / std::max(p_.walk_up_min, 1e-9));
                const double gone = f + (1 - f) * still > 0 ? f / (f + (1 - f) * still) : 1.0;
                if (rng.chance(gone)) c.free_at = std::max(0.0, p_.no_show_cost_min - elapsed);
                else c.free_at = rng.lognormal_mean(service_mean(sc.busy_sector, 0.0), sigma(sc.busy_sector));
            } else if (sc.busy_since) {
                const double elapsed = std::max(0.0, rel_min(s_.now, *sc.busy_since));
                const double start = -elapsed;
                const double total =
                    draw_service_total(rng, sc.busy_sector, service_mean(sc.busy_sector, start), elapsed);
                c.free_at = total - elapsed;
            }
            if (p_.pause_rate_per_hour > 0) c.next_pause = rng.exponential(60.0 / p_.pause_rate_per_hour);
            if (p_.outage_rate_per_hour > 0) c.next_outage = rng.exponential(60.0 / p_.outage_rate_per_hour);
            cs_.push_back(std::move(c));
        }
    }

    // May the counter pick at t? If not now but later, moves free_at there; else deactivates.
    bool available(Counter& c, double t) {
        for (const auto& [b, e] : c.intervals) {
            if (t < b) {
                c.free_at = b;
                return false;
            }
            if (t < e) return true;
        }
        c.active = false;
        return false;
    }

    using Queues = std::vector<std::vector<int>>;
    // Files item i in its queue: directed to a counter, booked (its turn depends on the time),
    // priority or walk-in of its sector; the last two stay sorted by (issued, order).
    static void enqueue(const std::vector<Item>& items, int i, Queues& walk, Queues& prio, Queues& appt,
                        std::vector<int>& directed) {
        const Item& it = items[static_cast<std::size_t>(i)];
        if (it.for_counter >= 0) {
            directed.push_back(i);
            return;
        }
        const auto sec = static_cast<std::size_t>(it.sector);
        if (it.appt != kInf) {
            appt[sec].push_back(i);
            return;
        }
        auto& q = it.priority ? prio[sec] : walk[sec];
        q.push_back(i);
        for (std::size_t k = q.size() - 1; k > 0 && before(it, items[static_cast<std::size_t>(q[k - 1])]); --k) std::swap(q[k], q[k - 1]);
    }

    // The counter's choice at t by the office's queue rules (same as OfficeState::next_for);
    // the chosen item leaves its queue.
    int choose(const Counter& c, double t) {
        const int ci = c.index;
        int best = -1;
        std::size_t best_pos = 0;
        for (std::size_t k = 0; k < directed_.size(); ++k) {
            const int i = directed_[k];
            if (items_[static_cast<std::size_t>(i)].for_counter == ci &&
                (best < 0 || before(items_[static_cast<std::size_t>(i)], items_[static_cast<std::size_t>(best)]))) {
                best = i;
                best_pos = k;
            }
        }
        if (best >= 0) {
            directed_.erase(directed_.begin() + static_cast<std::ptrdiff_t>(best_pos));
            return best;
        }
        const double early = s_.policy.appointment_early_min, late = s_.policy.appointment_late_min;
        constexpr std::size_t kHead = static_cast<std::size_t>(-1);
        for (int sec : s_.counters[static_cast<std::size_t>(ci)].sectors) {
            const auto su = static_cast<std::size_t>(sec);
            auto& wq = walk_[su];
            auto& pq = prio_[su];
            auto& aq = appt_[su];
            std::size_t& wh = head_walk_[su];
            std::size_t& ph = head_prio_[su];
            // Candidates: the first group (priority by issue, due appointments by slot) and
            // the first walk-in; kHead = the head of the sorted queue, else a position in aq.
            int first = -1, walk = -1;
            std::size_t first_pos = kHead, walk_pos = kHead;
            double first_key = kInf;
            if (ph < pq.size()) {
                first = pq[ph];
                first_key = items_[static_cast<std::size_t>(first)].issued;
            }
            if (wh < wq.size()) walk = wq[wh];
            for (std::size_t k = 0; k < aq.size(); ++k) {
                const int i = aq[k];
                const Item& it = items_[static_cast<std::size_t>(i)];
                const bool due = t >= it.appt - early && t <= it.appt + late;
                if (it.priority || due) {
                    const double key = due ? it.appt : it.issued;
                    if (first < 0 || key < first_key || (key == first_key && it.order < items_[static_cast<std::size_t>(first)].order)) {
                        first = i;
                        first_key = key;
                        first_pos = k;
                    }
                } else if (walk < 0 || before(it, items_[static_cast<std::size_t>(walk)])) {
                    walk = i;
                    walk_pos = k;
                }
            }
            if (first < 0 && walk < 0) continue;
            int& since = since_[su];
            const bool take_first = first >= 0 && (walk < 0 || s_.policy.mode == QueuePolicy::Mode::Strict ||
                                                   since >= s_.policy.walk_ins_per_priority);
            if (take_first) {
                since = 0;
                if (first_pos == kHead) ++ph;
                else aq.erase(aq.begin() + static_cast<std::ptrdiff_t>(first_pos));
                return first;
            }
            since = std::min(since + 1, 1000);
            if (walk_pos == kHead) ++wh;
            else aq.erase(aq.begin() + static_cast<std::ptrdiff_t>(walk_pos));
            return walk;
        }
        return -1;
    }
    static bool before(const Item& a, const Item& b) {
        return a.issued != b.issued ? a.issued < b.issued : a.order < b.order;
    }

public:
    /// Counter decisions simulated so far (all paths): the work done.
    std::int64_t steps_ = 0;

private:
    const QueueSnapshot& s_;
    const ForecastParams& p_;
    int target_sector_ = 0;
    bool target_priority_ = false;
    std::vector<bool> relevant_;
    std::vector<int> counters_;
    double base_minute_ = 0, arrivals_end_ = 0, closes_ = 0, speed_ = 1;
    std::vector<double> pat_scale_;  // this path's factor on each sector's patience
    std::vector<double> arr_scale_;  // this path's factor on each sector's arrival rates
    std::vector<Item> base_items_, items_;  // the pool: snapshot items, then arrivals of the path
    int tracked_ = 0;                       // track_sector(): waiting tickets of the target's sector
    Queues base_walk_, base_prio_, base_appt_, walk_, prio_, appt_;
    std::vector<int> base_directed_, directed_;
    std::vector<std::size_t> head_walk_, head_prio_;
    std::vector<int> since_;
    std::vector<Counter> cs_;
    std::vector<Pending> pending_;
    std::vector<Booked> booked_;
    std::size_t pending_next_ = 0;
    std::vector<double> next_walk_in_;
    int next_order_ = 0;
};

double quantile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0;
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    if (sorted[hi] == kInf) return sorted[lo] == kInf ? kHorizonMin : sorted[lo];
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace

namespace {
// The forecast told from sampled waits (sorted here).
WaitForecast summarise(std::vector<double>& waits, const QueueSnapshot& snapshot) {
    WaitForecast f;
    std::sort(waits.begin(), waits.end());
    f.median_min = quantile(waits, 0.5);
    f.low_min = quantile(waits, 0.1);
    f.high_min = quantile(waits, 0.9);
    const double closes = snapshot.closes_at > 0 ? rel_min(snapshot.closes_at, snapshot.now) : 0.0;
    f.after_closing = waits[waits.size() / 2] == kInf || f.median_min > closes;
    f.paths = static_cast<int>(waits.size());
    return f;
}
}  // namespace

WaitForecast forecast_wait(const QueueSnapshot& snapshot, int target, const ForecastParams& params, int paths,
                           std::uint64_t seed) {
    WaitForecast f;
    if (target < 0 || static_cast<std::size_t>(target) >= snapshot.waiting.size() || params.sectors.empty()) return f;
    PathSimulator sim(snapshot, target, params);
    Rng rng(seed);
    std::vector<double> waits;
    waits.reserve(static_cast<std::size_t>(paths));
    // A deterministic work budget bounds the time at the tap on very long queues (another_path).
    for (int i = 0; i < paths && another_path(i, sim.steps_); ++i) waits.push_back(sim.run(rng));
    return summarise(waits, snapshot);
}

std::vector<std::optional<WaitForecast>> forecast_sector_waits(const QueueSnapshot& snapshot, int sector,
                                                               const ForecastParams& params, int paths, std::uint64_t seed) {
    const std::size_t n = snapshot.waiting.size();
    std::vector<std::optional<WaitForecast>> out(n);
    std::vector<std::size_t> mine;
    for (std::size_t i = 0; i < n; ++i)
        if (snapshot.waiting[i].sector == sector) mine.push_back(i);
    if (mine.empty() || params.sectors.empty()) return out;
    PathSimulator sim(snapshot, static_cast<int>(mine.front()), params);
    sim.track_sector();
    Rng rng(seed);
    std::vector<std::vector<double>> waits(n);
    for (std::size_t i : mine) waits[i].reserve(static_cast<std::size_t>(paths));
    std::vector<double> reached(n, kInf);
    // The same budget as one forecast: a path here costs what the sector's last ticket's does.
    for (int p = 0; p < paths && another_path(p, sim.steps_); ++p) {
        std::fill(reached.begin(), reached.end(), kInf);
        (void)sim.run(rng, &reached);
        for (std::size_t i : mine) waits[i].push_back(reached[i]);
    }
    for (std::size_t i : mine) out[i] = summarise(waits[i], snapshot);
    return out;
}

// ---- Learning ------------------------------------------------------------------------------

std::string_view to_string(TicketOutcome::Kind k) {
    switch (k) {
        case TicketOutcome::Kind::Served: return "served";
        case TicketOutcome::Kind::NoShow: return "no-show";
        case TicketOutcome::Kind::Cancelled: return "cancelled";
        case TicketOutcome::Kind::NotServed: return "not-served";
    }
    return "?";
}

std::optional<TicketOutcome> outcome_of(const Ticket& t, int day) {
    TicketOutcome o;
    switch (t.status) {
        case TicketStatus::Served: o.kind = TicketOutcome::Kind::Served; break;
        case TicketStatus::NoShow: o.kind = TicketOutcome::Kind::NoShow; break;
        case TicketStatus::Cancelled: o.kind = TicketOutcome::Kind::Cancelled; break;
        case TicketStatus::NotServed: o.kind = TicketOutcome::Kind::NotServed; break;
        default: return std::nullopt;
    }
    o.id = t.id;
    o.day = day;
    o.sector = t.sector;
    o.service = t.performed_service.empty() ? t.service : t.performed_service;
    o.priority = !t.priority.empty();
    o.appointment = t.appointment_at.has_value();
    o.issued_at = t.issued_at;
    o.called_at = t.called_at;
    o.started_at = t.started_at;
    o.finished_at = t.finished_at;
    return o;
}

namespace {
// Priors for a new office (docs/FORECAST.md): an 8-minute service with log-sd 0.55, six
// tickets an hour per sector (these two unless the site configuration expects others), 5%
// priority, a patience of 90 minutes, no pauses.
constexpr double kPriorServiceMin = 8.0, kPriorServiceWeight = 5.0, kHourShrink = 300.0;
constexpr double kPriorSigma = 0.55, kPriorSigmaWeight = 5.0;
constexpr double kPriorArrivalsPerHour = 6.0;
constexpr double kPriorPriorityShare = 0.05, kPriorShareWeight = 20.0;
// Bookings of a new office: 85% come (weight 20 bookings), checking in 1–9 minutes before the
// slot (five pseudo-offsets, mean 5 minutes early).
constexpr double kPriorShowRate = 0.85, kPriorShowWeight = 20.0;
constexpr double kPriorOffsetsMin[] = {-9.0, -7.0, -5.0, -3.0, -1.0};
// A bookable service's own bookings are shrunk to its sector's: the sector's show rate worth
// this many bookings, its offsets as this many pseudo-offsets (evenly spaced quantiles).
constexpr double kServiceShowWeight = 10.0;
constexpr std::size_t kServiceOffsetQuantiles = 10;
constexpr double kPriorPatienceMin = 90.0, kPriorPatienceSigma = 0.5;
// A sector's patience prior is the office's fit, worth this many pseudo-citizens at each of the
// 18 waits (the office's own prior: kPatiencePriorWeight; both measured, docs/FORECAST.md).
constexpr double kSectorPatienceWeight = 0.3;
// An hour's patience (by the hour of the ticket's issue) likewise: a factor on every sector's,
// then shrunk towards 1 by the hours' spread beyond their noise, whose variance is taken as
// this share of σ² per departure (0.1: chosen on seeds 7–9, not the judged ones, over 0.5 and
// 2: as good as no hour factor where hours do not differ, as good as unshrunk where they do;
// docs/FORECAST.md).
constexpr double kHourPatienceWeight = 0.3, kHourPatienceNoise = 0.1;
// Patience is refitted once its data have grown by this share (and each day).
constexpr double kPatienceRefitShare = 0.02;
constexpr double kPriorPauseMin = 8.0, kPriorPauseWeight = 3.0, kPauseRateHours = 10.0;
// The walk-up (a called citizen who is there reaches the counter within it): the 90th
// percentile of the latest call-to-start times of served citizens, shrunk to the prior with
// the weight of this many; longer than kWalkUpMaxMin is a recall, not a walk (left out); kept
// at least kWalkUpFloorMin (a counter that starts at the call would otherwise read 0).
constexpr double kPriorWalkUpMin = 0.5, kPriorWalkUpWeight = 20.0, kWalkUpMaxMin = 10.0, kWalkUpFloorMin = 0.1;
constexpr double kPriorOutageMin = 30.0, kPriorOutageSigma = 0.6, kPriorOutageWeight = 3.0;
// Day-level variation before history shows it: log-sd 0.08 of the speed factor, sd 0.15 of
// the volume factor, each worth this many days of history.
constexpr double kDaySpeedSd = 0.08, kDayVolumeSd = 0.15, kDayPriorDays = 5.0;
// A sector's services count towards the between-day speed variance once its mean rests on this many.
constexpr double kSpeedHistoryMin = 30.0;
}  // namespace

ForecastLearner::ForecastLearner(const SiteConfig& config)
    : config_(&config), sectors_(config.sectors.size()), services_(config.booking.services.size()),
      sector_patience_(config.sectors.size()) {
    refit_patience(true);
    today_.arrivals.assign(config.sectors.size(), 0.0);
    today_.by_hour.assign(config.sectors.size(), {});
}

int ForecastLearner::sector_index(std::string_view id) const { return sector_of(*config_, id); }

void ForecastLearner::begin_day(int day) {
    if (day <= today_.day) return;
    refit_patience(true);
    // The day that ends: its hours' residuals, less the day's own level, join the history.
    const double level = today_level();
    for (std::size_t s = 0; s < today_.by_hour.size(); ++s) {
        const double mean_log = sector_mean_log(static_cast<int>(s));
        for (std::size_t h = 0; h < 24; ++h) {
            const Acc& a = today_.by_hour[s][h];
            Acc& into = sectors_[s].by_hour[h];
            into.n += a.n;
            into.sum += a.sum_log - a.n * (mean_log + level);
        }
    }
    today_ = Today{};
    today_.day = day;
    today_.arrivals.assign(config_->sectors.size(), 0.0);
    today_.by_hour.assign(config_->sectors.size(), {});
    history_ = history_view(day);
}

ForecastLearner::HistoryView ForecastLearner::history_view(int day) const {
    HistoryView h;
    h.day = day;
    for (std::size_t s = 0; s < sectors_.size(); ++s) h.arrivals.push_back(base_arrivals(static_cast<int>(s), day));
    h.speed_variance = day_speed_variance(day);
    h.volume_variance = day_volume_variance(day);
    h.past_days = static_cast<double>(std::distance(arrivals_by_day_.begin(), arrivals_by_day_.lower_bound(day)));
    return h;
}

double ForecastLearner::sector_mean_log(int sector) const {
    const double sig = sector_sigma(sector);
    return std::log(sector_service_mean(sector)) - 0.5 * sig * sig;
}

double ForecastLearner::today_level() const {
    double n = 0, sum = 0;
    for (std::size_t s = 0; s < today_.by_hour.size(); ++s) {
        const double mean_log = sector_mean_log(static_cast<int>(s));
        for (const Acc& a : today_.by_hour[s]) {
            n += a.n;
            sum += a.sum_log - a.n * mean_log;
        }
    }
    return n > 0 ? sum / n : 0.0;
}

std::array<double, 24> ForecastLearner::hour_effects(int sector) const {
    // Each hour's mean log residual within its days (past days, and today's hours against
    // today's level so far), shrunk towards no effect with the weight of kHourShrink services:
    // hour effects are small beside the spread of single services, and an hour's mean over a
    // few weeks is mostly that spread.
    const auto& st = sectors_[static_cast<std::size_t>(sector)];
    const bool has_today = static_cast<std::size_t>(sector) < today_.by_hour.size();
    const double mean_log = sector_mean_log(sector), level = has_today ? today_level() : 0.0;
    std::array<double, 24> out{};
    for (std::size_t h = 0; h < 24; ++h) {
        double n = st.by_hour[h].n, sum = st.by_hour[h].sum;
        if (has_today) {
            const Acc& a = today_.by_hour[static_cast<std::size_t>(sector)][h];
            n += a.n;
            sum += a.sum_log - a.n * (mean_log + level);
        }
        out[h] = std::exp(sum / (n + kHourShrink));
    }
    return out;
}

double ForecastLearner::sector_service_mean(int sector) const {
    const auto& st = sectors_[static_cast<std::size_t>(sector)];
    const auto& configured = config_->sectors[static_cast<std::size_t>(sector)].expected_service_minutes;
    const double prior = configured ? *configured : kPriorServiceMin;
    return (st.all.sum + kPriorServiceWeight * prior) / (st.all.n + kPriorServiceWeight);
}


double ForecastLearner::sector_sigma(int sector) const {
    const auto& st = sectors_[static_cast<std::size_t>(sector)];
    double var = kPriorSigma * kPriorSigma * kPriorSigmaWeight;
    if (st.all.n > 1) {
        const double mean_log = st.all.sum_log / st.all.n;
        var += std::max(0.0, st.all.sum_log2 / st.all.n - mean_log * mean_log) * st.all.n;
    }
    return std::sqrt(var / (st.all.n + kPriorSigmaWeight));
}

ForecastLearner::DaySpeed ForecastLearner::day_speed(double sum_wr, double sum_w, double prior_sd) {
    if (prior_sd <= 0) return {};
    const double precision = 1.0 / (prior_sd * prior_sd) + sum_w;
    return {std::exp(sum_wr / precision), std::sqrt(1.0 / precision)};
}

ForecastLearner::DaySpeed ForecastLearner::day_speed(double sum_wr, double sum_w, double prior_sd,
                                                    const std::vector<std::pair<double, double>>& censored) {
    const DaySpeed gauss = day_speed(sum_wr, sum_w, prior_sd);
    if (censored.empty() || prior_sd <= 0) return gauss;
    // log posterior(x) = −(x − m)²/(2s²) + Σ log P(log d_i − x > c_i − x … ) over a grid of x.
    const double m = std::log(gauss.factor), sd = gauss.log_sd;
    constexpr int kGrid = 161;
    std::array<double, kGrid> lp{};
    double best = -kInf;
    for (int g = 0; g < kGrid; ++g) {
        const double x = m + sd * (-8.0 + 16.0 * g / (kGrid - 1));
        double v = -0.5 * (x - m) * (x - m) / (sd * sd);
        for (const auto& [c, sig] : censored) v += std::log(std::max(1e-300, normal_cdf((x - c) / sig)));
        lp[static_cast<std::size_t>(g)] = v;
        best = std::max(best, v);
    }
    double w = 0, s1 = 0, s2 = 0;
    for (int g = 0; g < kGrid; ++g) {
        const double x = m + sd * (-8.0 + 16.0 * g / (kGrid - 1));
        const double p = std::exp(lp[static_cast<std::size_t>(g)] - best);
        w += p;
        s1 += p * x;
        s2 += p * x * x;
    }
    const double mean = s1 / w;
    return {std::exp(mean), std::sqrt(std::max(0.0, s2 / w - mean * mean))};
}

std::vector<ForecastLearner::Running> ForecastLearner::running_in(const QueueSnapshot& snapshot) {
    std::vector<Running> out;
    for (const auto& c : snapshot.counters)
        if (c.serving && c.busy_since && *c.busy_since <= snapshot.now)
            out.push_back({c.busy_sector, *c.busy_since, static_cast<double>(snapshot.now - *c.busy_since) / kMinuteMs});
    return out;
}

double ForecastLearner::arrival_pace(double actual, double expected, double prior_var) {
    const double k = 1.0 / std::max(prior_var, 1e-6);
    return (actual + k) / (expected + k);
}

double ForecastLearner::day_speed_variance(int before_day) const {
    // Method of moments over past days: the spread of the days' levels (each day's mean log
    // duration against its sector's mean log over all days, weighted by 1/σ²) minus the part
    // their own sampling noise explains. Sectors whose mean rests on few services are left out.
    std::vector<double> mean_log(sectors_.size()), weight(sectors_.size(), 0.0);
    for (std::size_t s = 0; s < sectors_.size(); ++s) {
        const Acc& a = sectors_[s].all;
        if (a.n < kSpeedHistoryMin) continue;
        mean_log[s] = a.sum_log / a.n;
        const double sig = sector_sigma(static_cast<int>(s));
        weight[s] = 1.0 / std::max(sig * sig, 0.01);
    }
    double n = 0, s1 = 0, s2 = 0, noise = 0;
    int used = 0;
    for (auto it = logs_by_day_.lower_bound(before_day); it != logs_by_day_.begin() && used < kForecastHistoryDays; ++used) {
        --it;
        double wr = 0, w = 0;
        for (std::size_t s = 0; s < sectors_.size() && s < it->second.size(); ++s) {
            const Acc& a = it->second[s];
            wr += weight[s] * (a.sum_log - a.n * mean_log[s]);
            w += weight[s] * a.n;
        }
        if (w < 10.0) continue;
        const double r = wr / w;
        n += 1;
        s1 += r;
        s2 += r * r;
        noise += 1.0 / w;
    }
    const double est = n > 1 ? std::max(0.0, (s2 - s1 * s1 / n) / (n - 1) - noise / n) : 0.0;
    return (kDayPriorDays * kDaySpeedSd * kDaySpeedSd + n * est) / (kDayPriorDays + n);
}

double ForecastLearner::day_volume_variance(int before_day) const {
    // Daily walk-ins N_d against the expected E_d (learned rates × open hours): for Poisson
    // counts with a day factor of variance v, E[(N−E)² − E] = v·E².
    std::vector<std::array<double, 24>> base(sectors_.size());
    for (std::size_t s = 0; s < sectors_.size(); ++s) base[s] = base_arrivals(static_cast<int>(s), before_day);
    double z = 0, e2 = 0, n = 0;
    int used = 0;
    for (auto it = arrivals_by_day_.lower_bound(before_day); it != arrivals_by_day_.begin() && used < kForecastHistoryDays; ++used) {
        --it;
        double actual = 0, expected = 0;
        for (std::size_t h = 0; h < 24; ++h) {
            const double f = open_fraction(it->first, static_cast<int>(h));
            if (f <= 0) continue;
            for (std::size_t s = 0; s < sectors_.size(); ++s) {
                actual += it->second[s][h];
                expected += base[s][h] * f;
            }
        }
        if (expected <= 0) continue;
        z += (actual - expected) * (actual - expected) - expected;
        e2 += expected * expected;
        n += 1;
    }
    const double est = e2 > 0 ? std::max(0.0, z / e2) : 0.0;
    return (kDayPriorDays * kDayVolumeSd * kDayVolumeSd + n * est) / (kDayPriorDays + n);
}

void ForecastLearner::observe_booking(const Booking& b) {
    if (auto it = settled_.find({b.code, b.slot}); it != settled_.end()) {
        settled_.erase(it);  // learned while its day ran; its day is over now
        return;
    }
    if (b.status == BookingStatus::CancelledByCitizen || b.status == BookingStatus::CancelledByOffice) return;
    std::optional<Millis> came;
    for (const auto& h : b.history)
        if (h.what == "checked-in") came = h.time;
    observe_booking(b.sector, b.slot, came, b.service);
}

void ForecastLearner::observe_settled_bookings(const Agenda& agenda, Millis now) {
    // Called on every event: slots are compared with the day's start, not dated one by one.
    const Millis day_start = config_->timezone.start_of_day(now);
    // Left over from days that ended (a booking moved or cancelled after it settled).
    std::erase_if(settled_, [&](const auto& s) { return s.second < day_start; });
    for (const Booking& b : agenda.bookings()) {
        if (b.slot < day_start || !check_in_closed(b, now, *config_) || settled_.count({b.code, b.slot})) continue;
        // Cancelled: skipped, as at the end of the day. One cancelled after it settled stays
        // learned as it settled (its citizen had not come).
        if (b.status == BookingStatus::CancelledByCitizen || b.status == BookingStatus::CancelledByOffice) continue;
        observe_booking(b);
        settled_.insert({b.code, b.slot});
    }
}

void ForecastLearner::observe_booking(std::string_view sector, Millis slot, std::optional<Millis> checked_in_at,
                                      std::string_view service) {
    const int s = sector_index(sector);
    if (s < 0) return;
    const BookableService* bs = service.empty() ? nullptr : config_->booking.find(service);
    if (bs && bs->sector != sector) bs = nullptr;  // a service of another sector: not this booking's
    auto* sv = bs ? &services_[static_cast<std::size_t>(bs - config_->booking.services.data())] : nullptr;
    auto& st = sectors_[static_cast<std::size_t>(s)];
    st.booked += 1;
    if (sv) sv->booked += 1;
    if (!checked_in_at) return;
    const double offset = static_cast<double>(*checked_in_at - slot) / kMinuteMs;
    // The most recent offsets only (a bounded list: the forecast copies it).
    const auto keep = [&](double& showed, std::vector<double>& offsets) {
        showed += 1;
        if (offsets.size() >= kMaxOffsets) offsets.erase(offsets.begin());
        offsets.push_back(offset);
    };
    keep(st.showed, st.offsets);
    if (sv) keep(sv->showed, sv->offsets);
}

void ForecastLearner::observe(const TicketOutcome& o) {
    const int s = sector_index(o.sector);
    if (s < 0) return;
    begin_day(o.day);
    auto& st = sectors_[static_cast<std::size_t>(s)];
    const auto& tz = config_->timezone;
    if (o.kind == TicketOutcome::Kind::Served && o.called_at > 0 && o.started_at >= o.called_at) {
        const double w = static_cast<double>(o.started_at - o.called_at) / kMinuteMs;
        if (w <= kWalkUpMaxMin) {
            if (walk_ups_.size() >= kMaxWalkUps) walk_ups_.erase(walk_ups_.begin());
            walk_ups_.push_back(w);
        }
    }
    if (o.kind == TicketOutcome::Kind::Served && o.started_at > 0 && o.finished_at > o.started_at) {
        const double d = static_cast<double>(o.finished_at - o.started_at) / kMinuteMs;
        const int hour = tz.to_local(o.started_at).hour;
        auto& day_logs = logs_by_day_[o.day];
        day_logs.resize(sectors_.size());
        day_logs[static_cast<std::size_t>(s)].n += 1;
        day_logs[static_cast<std::size_t>(s)].sum_log += std::log(d);
        if (o.day == today_.day) {
            Acc& a = today_.by_hour[static_cast<std::size_t>(s)][static_cast<std::size_t>(hour)];
            a.n += 1;
            a.sum_log += std::log(d);
        }
        if (st.recent.size() < kShapeSize) st.recent.push_back(d);
        else st.recent[st.recent_next] = d;
        st.recent_next = (st.recent_next + 1) % kShapeSize;
        st.all.n += 1;
        st.all.sum += d;
        st.all.sum_log += std::log(d);
        st.all.sum_log2 += std::log(d) * std::log(d);
    }
    // Patience: who was still there after waiting how long. A call finds the citizen there
    // (served) or gone (no-show); a cancellation is a departure; a ticket still waiting at the
    // end of the day was there at closing. Booked citizens come for their slot: not counted.
    if (!o.appointment) {
        const bool gone = o.kind == TicketOutcome::Kind::NoShow || o.kind == TicketOutcome::Kind::Cancelled;
        const Millis at = o.called_at > 0 ? o.called_at : o.finished_at;
        if (at > o.issued_at && (gone || o.kind == TicketOutcome::Kind::Served || o.kind == TicketOutcome::Kind::NotServed)) {
            const auto bin = static_cast<std::size_t>(std::min<Millis>(kPatienceBins - 1, (at - o.issued_at) / 60'000));
            const auto hour = static_cast<std::size_t>(tz.to_local(o.issued_at).hour);
            // An hour's seen and gone are kept by sector (hour_sector_patience_), its own arrays unused.
            PatienceBins& cell = hour_sector_patience_[{static_cast<int>(hour), s}];
            cell.seen[bin] += 1;
            if (gone) cell.gone[bin] += 1;
            for (PatienceData* d : {&patience_, &sector_patience_[static_cast<std::size_t>(s)]}) {
                d->seen[bin] += 1;
                if (gone) d->gone[bin] += 1;
            }
            for (PatienceData* d : {&patience_, &sector_patience_[static_cast<std::size_t>(s)], &hour_patience_[hour]}) {
                if (gone) d->departures += 1;
                d->n += 1;
                d->unfitted += 1;
            }
            // Refitted when the data have grown by 2%, and each day.
            if (patience_.unfitted >= std::max(1.0, kPatienceRefitShare * patience_.n)) refit_patience(false);
        }
    }
    if (!o.appointment) {
        auto& counts = arrivals_by_day_[o.day];
        if (counts.empty()) counts.resize(config_->sectors.size(), std::array<double, 24>{});
        counts[static_cast<std::size_t>(s)][static_cast<std::size_t>(tz.to_local(o.issued_at).hour)] += 1;
        st.tickets += 1;
        if (o.priority) st.priority += 1;
        if (!std::binary_search(days_.begin(), days_.end(), o.day)) days_.insert(std::upper_bound(days_.begin(), days_.end(), o.day), o.day);
    }
}

ForecastLearner::Patience ForecastLearner::fit_patience(const std::array<double, kPatienceBins>& seen,
                                                        const std::array<double, kPatienceBins>& gone,
                                                        std::optional<Patience> prior, double prior_weight) {
    return fit_patience_groups({{&seen, &gone}}, prior, prior_weight).front();
}

std::vector<ForecastLearner::Patience> ForecastLearner::fit_patience_groups(const std::vector<PatienceCounts>& groups,
                                                                            std::optional<Patience> prior, double prior_weight) {
    // P(gone after waiting w) = Φ(a_g + b·log w) in group g, with b = 1/σ and a_g = −μ_g/σ.
    struct Row {
        double x, n, k;
    };
    const std::size_t count = groups.size();
    std::vector<std::vector<Row>> rows(count);
    prior_weight = std::max(prior_weight, 1e-6);  // every group's information stays positive
    const double sigma0 = prior ? prior->sigma : kPriorPatienceSigma;
    const double mu0 = prior ? prior->mu : std::log(kPriorPatienceMin) - 0.5 * kPriorPatienceSigma * kPriorPatienceSigma;
    for (std::size_t g = 0; g < count; ++g) {
        for (int q = 0; q < kPatiencePriorPoints; ++q) {
            const double z = 0.25 * (q - (kPatiencePriorPoints - 1) / 2.0);  // −2.125 … 2.125, symmetric
            rows[g].push_back({mu0 + sigma0 * z, prior_weight, prior_weight * normal_cdf(z)});
        }
        for (std::size_t i = 0; i < kPatienceBins; ++i)
            if ((*groups[g].seen)[i] > 0) rows[g].push_back({std::log(static_cast<double>(i) + 0.5), (*groups[g].seen)[i], (*groups[g].gone)[i]});
    }
    // The log-likelihood; Fisher scoring steps, halved until the likelihood does not fall.
    auto loglik = [&](const std::vector<double>& a, double b) {
        double ll = 0;
        for (std::size_t g = 0; g < count; ++g)
            for (const Row& r : rows[g]) {
                const double cdf = std::clamp(normal_cdf(a[g] + b * r.x), 1e-300, 1.0);
                const double sf = std::clamp(normal_cdf(-(a[g] + b * r.x)), 1e-300, 1.0);
                ll += r.k * std::log(cdf) + (r.n - r.k) * std::log(sf);
            }
        return ll;
    };
    // The information is arrow-shaped: d_g = J(a_g, a_g), c_g = J(a_g, b), e = J(b, b) (groups
    // share only b); with the scores s_g and s_b.
    std::vector<double> d(count), c(count), sg(count);
    double e = 0, sb = 0;
    auto information = [&](const std::vector<double>& a, double b) {
        e = sb = 0;
        for (std::size_t g = 0; g < count; ++g) {
            d[g] = c[g] = sg[g] = 0;
            for (const Row& r : rows[g]) {
                const double eta = std::clamp(a[g] + b * r.x, -8.0, 8.0);
                const double cdf = std::clamp(normal_cdf(eta), 1e-12, 1 - 1e-12);
                const double pdf = std::exp(-0.5 * eta * eta) / std::sqrt(2 * M_PI);
                const double v = cdf * (1 - cdf);
                const double wgt = r.n * pdf * pdf / v, sc = pdf * (r.k - r.n * cdf) / v;
                d[g] += wgt;
                c[g] += wgt * r.x;
                e += wgt * r.x * r.x;
                sg[g] += sc;
                sb += sc * r.x;
            }
        }
        // The Schur complement of the groups' block: b's information once the a_g are known.
        double schur = e;
        for (std::size_t g = 0; g < count; ++g) schur -= c[g] * c[g] / d[g];
        return schur;
    };
    std::vector<double> a(count, -mu0 / sigma0), na(count), da(count);
    double b = 1.0 / sigma0;
    double ll = loglik(a, b);
    for (int iter = 0; iter < 30; ++iter) {
        const double schur = information(a, b);
        if (!(schur > 1e-12)) break;
        // The step solves J·(da, db) = (s_g, s_b): db = (s_b − Σ c_g s_g/d_g) / S, da_g = (s_g − c_g·db) / d_g.
        double db = sb;
        for (std::size_t g = 0; g < count; ++g) db -= c[g] * sg[g] / d[g];
        db /= schur;
        for (std::size_t g = 0; g < count; ++g) da[g] = (sg[g] - c[g] * db) / d[g];
        bool moved = false;
        for (int half = 0; half < 30; ++half) {
            // Keep the log-sd within 0.1–3 and the median patience within 1 minute – 1000 minutes.
            const double step = std::ldexp(1.0, -half);
            const double nb = std::clamp(b + step * db, 1.0 / 3.0, 10.0);
            double change = std::fabs(nb - b);
            for (std::size_t g = 0; g < count; ++g) {
                na[g] = std::clamp(a[g] + step * da[g], -std::log(1000.0) * nb, 0.0);
                change += std::fabs(na[g] - a[g]);
            }
            const double nll = loglik(na, nb);
            if (nll >= ll) {
                moved = change > 1e-9;
                a = na;
                b = nb;
                ll = nll;
                break;
            }
        }
        if (!moved) break;
    }
    // Each μ_g = −a_g/b with its standard error, from the inverse of the information at the fit:
    // Var(b) = 1/S, Cov(a_g, b) = −(c_g/d_g)/S, Var(a_g) = 1/d_g + (c_g/d_g)²/S.
    const double schur = information(a, b);
    std::vector<Patience> out;
    for (std::size_t g = 0; g < count; ++g) {
        double var = 0;
        if (schur > 1e-12) {
            const double ga = -1.0 / b, gb = a[g] / (b * b), r = c[g] / d[g];
            var = ga * ga * (1.0 / d[g] + r * r / schur) - 2 * ga * gb * r / schur + gb * gb / schur;
        }
        out.push_back({-a[g] / b, 1.0 / b, std::sqrt(std::max(0.0, var))});
    }
    return out;
}

std::vector<double> ForecastLearner::sector_patience_shifts() const {
    // Each sector's log median over the office's, δ_s, shrunk towards the office's by empirical
    // Bayes (as James–Stein): its noise v_s the square of its fit's own standard error (a few
    // sectors' medians spread by their few departures as much as by their citizens), the spread
    // of the true effects τ² = max(0, mean of δ_s² − v_s) over the sectors with data, and δ_s
    // scaled by τ² / (τ² + v_s). The log-sd is the one the sectors' joint fit shares; the
    // standard error is also the sector's doubt on its median, which the forecast draws once
    // per path.
    const std::size_t count = sector_patience_.size();
    std::vector<double> delta(count, 0.0), noise(count, 0.0);
    double excess = 0, with_data = 0;
    for (std::size_t s = 0; s < count; ++s) {
        const PatienceData& d = sector_patience_[s];
        if (d.n <= 0) continue;
        delta[s] = d.fit.mu - patience_.fit.mu;
        noise[s] = d.fit.mu_sd * d.fit.mu_sd;
        excess += delta[s] * delta[s] - noise[s];
        with_data += 1;
    }
    const double tau2 = with_data > 0 ? std::max(0.0, excess / with_data) : 0.0;
    std::vector<double> shift(count, 0.0);
    for (std::size_t s = 0; s < count; ++s)
        if (sector_patience_[s].n > 0 && tau2 + noise[s] > 0) shift[s] = delta[s] * tau2 / (tau2 + noise[s]);
    return shift;
}

void ForecastLearner::refit_patience(bool every_hour) {
    patience_.fit = fit_patience(patience_.seen, patience_.gone);
    patience_.unfitted = 0;
    // The sectors together: each its own median, starting from the office's, worth
    // kSectorPatienceWeight citizens at each of the prior's 18 waits (a sector with few
    // departures keeps the office's); one log-sd for all (a sector's few departures, seen only
    // at its calls, cannot tell a shape apart from a scale).
    std::vector<PatienceCounts> counts;
    for (const PatienceData& d : sector_patience_) counts.push_back({&d.seen, &d.gone});
    const std::vector<Patience> fits = fit_patience_groups(counts, patience_.fit, kSectorPatienceWeight);
    for (std::size_t s = 0; s < sector_patience_.size(); ++s) {
        sector_patience_[s].fit = fits[s];
    }
    // Each hour's likewise (the office's citizens by the hour they took their ticket in), on
    // waits scaled by each sector's patience: a wait w in sector s counts as w·e^(−δ_s), δ_s its
    // log median over the office's as the forecast takes it (sector_patience_shifts), so
    // that an hour whose citizens are mostly of an impatient sector is not an impatient hour.
    const std::vector<double> shift = sector_patience_shifts();
    std::vector<PatienceBins> scaled(24);  // each hour's bins on scaled waits
    std::vector<PatienceCounts> together;  // the hours with data
    for (std::size_t h = 0; h < 24; ++h) {
        PatienceData& d = hour_patience_[h];
        PatienceBins& b = scaled[h];
        for (auto it = hour_sector_patience_.lower_bound({static_cast<int>(h), 0});
             it != hour_sector_patience_.end() && it->first.first == static_cast<int>(h); ++it) {
            const double scale = std::exp(-shift[static_cast<std::size_t>(it->first.second)]);
            for (std::size_t i = 0; i < kPatienceBins; ++i) {
                if (it->second.seen[i] <= 0) continue;
                const auto j = static_cast<std::size_t>(std::min(static_cast<double>(kPatienceBins - 1), std::floor((static_cast<double>(i) + 0.5) * scale)));
                b.seen[j] += it->second.seen[i];
                b.gone[j] += it->second.gone[i];
            }
        }
        if (d.n > 0) together.push_back({&b.seen, &b.gone});
        if (!every_hour && d.unfitted < std::max(1.0, kPatienceRefitShare * d.n)) continue;
        d.fit = fit_patience(b.seen, b.gone, patience_.fit, kHourPatienceWeight);
        d.unfitted = 0;
    }
    // The hours together, each its own median and one log-sd for all: the spread of one
    // citizen's patience around the median of their hour and sector. The office's own fit
    // mixes the hours' medians (and the sectors'), and is wider whenever the hours differ.
    within_sigma_ = together.empty() ? patience_.fit.sigma
                                     : fit_patience_groups(together, patience_.fit, kHourPatienceWeight).front().sigma;
}

void ForecastLearner::observe_pause(double minutes) {
    pauses_ += 1;
    pause_minutes_ += minutes;
}

void ForecastLearner::observe_open_time(double minutes) { open_minutes_ += minutes; }

void ForecastLearner::observe_outage(double minutes) {
    if (!(minutes > 0)) return;
    outages_ += 1;
    outage_log_ += std::log(minutes);
    outage_log2_ += std::log(minutes) * std::log(minutes);
}

void ForecastLearner::observe_issue(int day, std::string_view sector, int, bool appointment) {
    begin_day(day);
    const int s = sector_index(sector);
    if (s < 0 || appointment || day != today_.day) return;
    today_.arrivals[static_cast<std::size_t>(s)] += 1;
}

double ForecastLearner::open_fraction(int day, int hour) const {
    const Date date{day / 10000, day / 100 % 100, day % 100};
    if (std::find(config_->hours.closed_days.begin(), config_->hours.closed_days.end(), date) != config_->hours.closed_days.end())
        return 0.0;
    const long days = days_from_civil(date.year, date.month, date.day);
    const auto wd = static_cast<std::size_t>(((days % 7) + 7 + 3) % 7);
    double open = 0;
    for (const auto& r : config_->hours.weekly[wd])
        open += std::max(0, std::min(r.end, (hour + 1) * 60) - std::max(r.begin, hour * 60));
    return open / 60.0;
}

std::array<double, 24> ForecastLearner::base_arrivals(int sector, int before_day) const {
    std::array<double, 24> sum{}, days{};
    int used = 0;
    for (auto it = arrivals_by_day_.lower_bound(before_day); it != arrivals_by_day_.begin() && used < kForecastHistoryDays; ++used) {
        --it;
        for (std::size_t h = 0; h < 24; ++h) {
            const double f = open_fraction(it->first, static_cast<int>(h));
            if (f <= 0) continue;
            sum[h] += it->second[static_cast<std::size_t>(sector)][h];
            days[h] += f;
        }
    }
    // The prior, worth one day: the site's expected walk-ins of a day spread evenly over the
    // hours `before_day` is open, else six an hour.
    double prior = kPriorArrivalsPerHour;
    if (const auto& per_day = config_->sectors[static_cast<std::size_t>(sector)].expected_walk_ins_per_day) {
        double open_hours = 0;
        for (int h = 0; h < 24; ++h) open_hours += open_fraction(before_day, h);
        if (open_hours > 0) prior = *per_day / open_hours;
    }
    std::array<double, 24> rate{};
    for (std::size_t h = 0; h < 24; ++h) rate[h] = (sum[h] + prior) / (days[h] + 1.0);
    return rate;
}

ForecastParams ForecastLearner::params(int day, int minute_of_day, const std::vector<Running>& running) const {
    ForecastParams p;
    const bool today = day == today_.day;
    // Today's pace: today's services (finished, and those still running, which have taken at
    // least their elapsed time) against what history expected, shrunk towards 1 by the
    // between-day spread that history shows.
    // Each service's log residual: log(actual ÷ expected) + σ²/2 (E[log d] = log mean − σ²/2),
    // weighted by its precision 1/σ².
    std::vector<double> means(sectors_.size()), sigmas(sectors_.size());
    std::vector<std::array<double, 24>> effects(sectors_.size());
    for (std::size_t s = 0; s < sectors_.size(); ++s) {
        means[s] = sector_service_mean(static_cast<int>(s));
        sigmas[s] = sector_sigma(static_cast<int>(s));
        effects[s] = hour_effects(static_cast<int>(s));
    }
    const auto expected_log = [&](std::size_t s, std::size_t h) {
        return std::log(means[s] * effects[s][h]) - 0.5 * sigmas[s] * sigmas[s];
    };
    double sum_wr = 0, sum_w = 0;
    if (today)
        for (std::size_t s = 0; s < today_.by_hour.size(); ++s) {
            const double w = 1.0 / std::max(sigmas[s] * sigmas[s], 0.01);
            for (std::size_t h = 0; h < 24; ++h) {
                const Acc& a = today_.by_hour[s][h];
                sum_wr += w * (a.sum_log - a.n * expected_log(s, h));
                sum_w += w * a.n;
            }
        }
    std::vector<std::pair<double, double>> censored;
    for (const Running& r : running) {
        if (r.sector < 0 || static_cast<std::size_t>(r.sector) >= sectors_.size() || r.elapsed_min <= 0) continue;
        const auto su = static_cast<std::size_t>(r.sector);
        const auto hour = static_cast<std::size_t>(config_->timezone.to_local(r.started_at).hour);
        censored.emplace_back(std::log(r.elapsed_min) - expected_log(su, hour), sigmas[su]);
    }
    HistoryView computed;
    const HistoryView& hist = day == history_.day ? history_ : (computed = history_view(day));
    const DaySpeed ds = day_speed(sum_wr, sum_w, std::sqrt(hist.speed_variance), censored);
    const double speed = ds.factor, speed_sd = ds.log_sd;
    const Date date{day / 10000, day / 100 % 100, day % 100};
    // Today's arrival pace: walk-ins so far against what the learned rates expected so far, for
    // the office (shrunk by the between-day spread of the volume, widened while the rates
    // themselves rest on few days) and then for each sector (shrunk towards the office's pace,
    // as much as its own rates are known).
    std::vector<double> actual(sectors_.size(), 0.0), expected(sectors_.size(), 0.0), per_day(sectors_.size(), 0.0);
    const std::vector<std::array<double, 24>>& base = hist.arrivals;
    const double past_days = hist.past_days;
    const long dn = days_from_civil(date.year, date.month, date.day);
    const auto wd = static_cast<std::size_t>(((dn % 7) + 7 + 3) % 7);
    for (std::size_t s = 0; s < sectors_.size(); ++s) {
        if (today) actual[s] = today_.arrivals[s];
        for (int h = 0; h < 24; ++h) {
            // Share of hour h that was open (and, for `expected`, is already past).
            double open = 0, past = 0;
            for (const auto& r : config_->hours.weekly[wd]) {
                open += std::max(0, std::min(r.end, (h + 1) * 60) - std::max(r.begin, h * 60));
                past += std::max(0, std::min({r.end, (h + 1) * 60, minute_of_day}) - std::max(r.begin, h * 60));
            }
            if (today) expected[s] += base[s][static_cast<std::size_t>(h)] * past / 60.0;
            per_day[s] += base[s][static_cast<std::size_t>(h)] * open / 60.0;
        }
    }
    double pace = 1.0;
    std::vector<double> sector_pace(sectors_.size(), 1.0);
    std::vector<double> sector_doubt(sectors_.size(), 0.0);  // log-sd of each sector's pace around the office's
    {  // before today's first walk-in (a day not begun), no walk-ins against none expected: pace 1
        const double v = hist.volume_variance;
        double a = 0, e = 0, daily = 0;
        for (std::size_t s = 0; s < sectors_.size(); ++s) {
            a += actual[s];
            e += expected[s];
            daily += per_day[s];
        }
        // Relative variance of a rate learned from n days of Poisson counts with day factors of
        // variance v: v/n + 1/(n·expected per day); a new office's prior rates are a guess (1).
        const auto rate_var = [&](double per) { return past_days > 0 ? v / past_days + 1.0 / (past_days * std::max(per, 1.0)) : 1.0; };
        const double office_var = v + rate_var(daily), k_office = 1.0 / std::max(office_var, 1e-6);  // as arrival_pace's weight
        pace = arrival_pace(a, e, office_var);
        // Each pace is a gamma posterior (shape: the walk-ins seen plus the prior's weight), whose
        // coefficient of variation is 1/√shape: its doubt, drawn per path as a lognormal of that
        // CV, the office's for every sector at once and each sector's around it.
        p.arrival_uncertainty = std::sqrt(std::log1p(1.0 / (a + k_office)));
        for (std::size_t s = 0; s < sectors_.size(); ++s) {
            const double k = 1.0 / rate_var(per_day[s]);
            sector_pace[s] = (actual[s] + k * pace) / (expected[s] + k);
            sector_doubt[s] = std::sqrt(std::log1p(1.0 / (actual[s] + k * pace)));
        }
    }
    for (std::size_t s = 0; s < sectors_.size(); ++s) {
        const auto& st = sectors_[s];
        SectorParams sp;
        for (std::size_t h = 0; h < 24; ++h) {
            sp.service_mean_min[h] = means[s] * effects[s][h] * speed;
            sp.arrivals_per_hour[h] = base[s][h] * sector_pace[s];
        }
        sp.service_sigma = sigmas[s];
        sp.priority_share = (st.priority + kPriorPriorityShare * kPriorShareWeight) / (st.tickets + kPriorShareWeight);
        sp.speed_uncertainty = speed_sd;
        sp.arrival_uncertainty = sector_doubt[s];
        if (st.recent.size() >= kShapeMin) {
            double sum = 0;
            for (double d : st.recent) sum += d;
            sp.service_shape.reserve(st.recent.size());
            for (double d : st.recent) sp.service_shape.push_back(d * static_cast<double>(st.recent.size()) / sum);
            std::sort(sp.service_shape.begin(), sp.service_shape.end());
        }
        // Bookings: the show rate shrunk to the prior; the arrival offsets seen, after the
        // prior's pseudo-offsets (so that a sector with few bookings keeps the default spread).
        sp.appointment_show_prob = (st.showed + kPriorShowRate * kPriorShowWeight) / (st.booked + kPriorShowWeight);
        sp.appointment_offsets_min.assign(std::begin(kPriorOffsetsMin), std::end(kPriorOffsetsMin));
        sp.appointment_offsets_min.insert(sp.appointment_offsets_min.end(), st.offsets.begin(), st.offsets.end());
        p.sectors.push_back(std::move(sp));
    }
    // Each bookable service with bookings of its own: its show rate and offsets, shrunk to its
    // sector's (so that a service seen a few times stays close to the sector).
    p.services.resize(services_.size());
    for (std::size_t j = 0; j < services_.size(); ++j) {
        const auto& sv = services_[j];
        const int s = sector_index(config_->booking.services[j].sector);
        if (sv.booked <= 0 || s < 0) continue;
        const auto& sp = p.sectors[static_cast<std::size_t>(s)];
        auto& out = p.services[j];
        out.appointment_show_prob = (sv.showed + sp.appointment_show_prob * kServiceShowWeight) / (sv.booked + kServiceShowWeight);
        std::vector<double> sorted = sp.appointment_offsets_min;
        std::sort(sorted.begin(), sorted.end());
        for (std::size_t q = 0; q < kServiceOffsetQuantiles; ++q)
            out.appointment_offsets_min.push_back(sorted[(2 * q + 1) * sorted.size() / (2 * kServiceOffsetQuantiles)]);
        out.appointment_offsets_min.insert(out.appointment_offsets_min.end(), sv.offsets.begin(), sv.offsets.end());
    }
    const Patience& pat = patience_.fit;
    p.patience_lognormal = true;
    p.patience_sigma = pat.sigma;
    // The office's median's own doubt (its fit's standard error, the prior included), drawn once
    // per path for every sector: a new office does not yet know how patient its citizens are,
    // and the sectors' fits, which take the office's as their prior, share that doubt.
    p.patience_uncertainty = pat.mu_sd;
    p.patience_mean_min = std::exp(pat.mu + 0.5 * pat.sigma * pat.sigma);
    // Each hour's factor on patience: its log median over the office's, δ_h, shrunk towards no
    // effect by how far the hours spread beyond their noise (empirical Bayes, as James–Stein):
    // δ_h's noise variance is taken as kHourPatienceNoise·σ² / (its departures + 1), the spread of the true
    // effects τ² = max(0, mean of δ_h² − noise) over the hours with data, and δ_h is scaled
    // by τ² / (τ² + noise_h). An office whose hours do not differ keeps factors near 1.
    std::array<double, 24> delta{}, noise{};
    double excess = 0, hours = 0;
    for (std::size_t h = 0; h < 24; ++h) {
        const PatienceData& d = hour_patience_[h];
        if (d.n <= 0) continue;
        delta[h] = d.fit.mu - pat.mu;
        noise[h] = kHourPatienceNoise * pat.sigma * pat.sigma / (d.departures + 1);
        excess += delta[h] * delta[h] - noise[h];
        hours += 1;
    }
    const double tau2 = hours > 0 ? std::max(0.0, excess / hours) : 0.0;
    for (std::size_t h = 0; h < 24; ++h)
        if (hour_patience_[h].n > 0) p.patience_hour_factor[h] = std::clamp(std::exp(delta[h] * tau2 / (tau2 + noise[h])), 0.2, 5.0);
    const std::vector<double> shift = sector_patience_shifts();
    for (std::size_t s = 0; s < sectors_.size(); ++s) {
        const Patience& sp = sector_patience_[s].fit;
        p.sectors[s].patience_sigma = within_sigma_;
        p.sectors[s].patience_mean_min = std::exp(pat.mu + shift[s] + 0.5 * within_sigma_ * within_sigma_);
        p.sectors[s].patience_uncertainty = sp.mu_sd;
    }
    p.pause_mean_min = (pause_minutes_ + kPriorPauseMin * kPriorPauseWeight) / (pauses_ + kPriorPauseWeight);
    if (!walk_ups_.empty()) {
        std::vector<double> w = walk_ups_;
        const auto k = static_cast<std::ptrdiff_t>(0.9 * static_cast<double>(w.size() - 1));
        std::nth_element(w.begin(), w.begin() + k, w.end());
        const double n = static_cast<double>(w.size());
        p.walk_up_min = std::max(kWalkUpFloorMin, (n * w[static_cast<std::size_t>(k)] + kPriorWalkUpWeight * kPriorWalkUpMin) / (n + kPriorWalkUpWeight));
    }
    p.pause_rate_per_hour = pauses_ / (open_minutes_ / 60.0 + kPauseRateHours);
    // Outages: rate per open hour (none until one is seen); length lognormal, its log-mean and
    // log-sd shrunk towards the prior's (30 minutes, 0.6) with the weight of 3 outages.
    p.outage_rate_per_hour = outages_ / (open_minutes_ / 60.0 + kPauseRateHours);
    {
        const double w = kPriorOutageWeight, n = outages_;
        const double prior_mu = std::log(kPriorOutageMin) - 0.5 * kPriorOutageSigma * kPriorOutageSigma;
        const double mu = (outage_log_ + w * prior_mu) / (n + w);
        const double ss = outage_log2_ - 2 * mu * outage_log_ + n * mu * mu + w * kPriorOutageSigma * kPriorOutageSigma;
        p.outage_sigma = std::sqrt(std::max(0.01, ss / (n + w)));
        p.outage_mean_min = std::exp(mu + 0.5 * p.outage_sigma * p.outage_sigma);
    }
    return p;
}

ToldWait told_wait(const WaitForecast& f) {
    ToldWait w;
    w.low_min = std::max(0, static_cast<int>(std::floor(f.low_min)));
    w.high_min = std::max(w.low_min + 1, static_cast<int>(std::ceil(f.high_min)));
    w.about_min = std::clamp(static_cast<int>(std::lround(f.median_min)), w.low_min, w.high_min);
    w.after_closing = f.after_closing;
    w.form = w.high_min <= 2                ? ToldWait::Form::Short
             : w.high_min - w.low_min <= 2 ? ToldWait::Form::About
                                           : ToldWait::Form::Range;
    return w;
}

}  // namespace csc
