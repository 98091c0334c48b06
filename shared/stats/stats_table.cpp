// stats_table.cpp — grouping statistics records into figures (see stats_table.hpp).
#include "shared/stats/stats_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>

#include "shared/office_time.hpp"

namespace csc::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double minutes(Millis from, Millis to) { return static_cast<double>(to - from) / 60'000.0; }

double mean_of(const std::vector<double>& v) {
    return v.empty() ? kNaN : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
double share(int part, int whole) { return whole > 0 ? static_cast<double>(part) / whole : kNaN; }

std::string iso_day_text(int day) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
    return buf;
}

// Everything measured for one group, reduced to a StatsRow at the end.
struct Accumulator {
    StatsRow row;
    std::vector<double> waits, walks, services, visits, forecast_errors;
    int within_target = 0, inside_range = 0;

    void add(const VisitRecord& v, int target_wait_min) {
        ++row.issued;
        switch (v.outcome) {
            case VisitOutcome::Served: ++row.served; break;
            case VisitOutcome::LeftBeforeCall: ++row.left_before_call; break;
            case VisitOutcome::CalledAbsent: ++row.called_absent; break;
            case VisitOutcome::LeftDuringService: ++row.left_during_service; break;
            case VisitOutcome::Open: ++row.still_open; break;
        }
        if (v.first_called_at) {
            const double wait = minutes(v.issued_at, v.first_called_at);
            waits.push_back(wait);
            if (wait <= target_wait_min) ++within_target;
            if (v.promised_low_min && v.promised_high_min) {
                const double middle = (*v.promised_low_min + *v.promised_high_min) / 2.0;
                forecast_errors.push_back(std::abs(wait - middle));
                if (wait >= *v.promised_low_min && wait <= *v.promised_high_min) ++inside_range;
            }
        }
        if (v.outcome == VisitOutcome::Served && v.started_at) {
            if (v.called_at) walks.push_back(minutes(v.called_at, v.started_at));
            services.push_back(minutes(v.started_at, v.finished_at));
            visits.push_back(minutes(v.issued_at, v.finished_at));
        }
    }
    void add(const PauseRecord& p) {
        ++row.pauses;
        row.pause_min += p.minutes;
    }
    void add(const IdleRecord& i) { row.idle_with_waiting_min += i.minutes; }
    void add(const BookingRecord& b) {
        ++row.bookings;
        if (!b.came) ++row.booking_no_shows;
    }
    void add(const FeedbackRecord& f) {
        ++row.feedback;
        if (f.rating == "good") ++row.feedback_good;
        else if (f.rating == "so-so") ++row.feedback_so_so;
        else if (f.rating == "bad") ++row.feedback_bad;
        if (f.reason == "waiting") ++row.feedback_bad_waiting;
        else if (f.reason == "staff") ++row.feedback_bad_staff;
        else if (f.reason == "came-back") ++row.feedback_bad_came_back;
        else if (f.reason == "outcome") ++row.feedback_bad_outcome;
    }
    StatsRow reduce() {
        StatsRow r = row;
        r.called = static_cast<int>(waits.size());
        r.wait_mean_min = mean_of(waits);
        r.wait_p90_min = percentile_nearest_rank(waits, 0.9);
        r.walk_mean_min = mean_of(walks);
        r.service_mean_min = mean_of(services);
        r.service_p90_min = percentile_nearest_rank(services, 0.9);
        r.visit_mean_min = mean_of(visits);
        r.within_target_share = share(within_target, r.called);
        r.promised = static_cast<int>(forecast_errors.size());
        r.forecast_mae_min = mean_of(forecast_errors);
        r.forecast_inside_share = share(inside_range, r.promised);
        return r;
    }
};

// The group a record falls in: a sort key and the key shown; nullopt = no group of this kind
// (a pause has no sector), counted in the total only.
struct GroupKey {
    std::string sort, shown;
};

std::string padded(int n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06d", n);
    return buf;
}
GroupKey key_of_counter(int counter) {
    return counter ? GroupKey{padded(counter), std::to_string(counter)} : GroupKey{"", ""};
}

}  // namespace

std::optional<Grouping> grouping_named(std::string_view name) {
    for (Grouping g : {Grouping::Hour, Grouping::Day, Grouping::Sector, Grouping::Service, Grouping::Counter, Grouping::Operator})
        if (to_string(g) == name) return g;
    return std::nullopt;
}

std::string_view to_string(Grouping g) {
    switch (g) {
        case Grouping::Hour: return "hour";
        case Grouping::Day: return "day";
        case Grouping::Sector: return "sector";
        case Grouping::Service: return "service";
        case Grouping::Counter: return "counter";
        case Grouping::Operator: return "operator";
    }
    return "day";
}

double percentile_nearest_rank(std::vector<double>& values, double p) {
    if (values.empty()) return kNaN;
    const auto n = values.size();
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(n) - 1e-9));
    rank = std::clamp<std::size_t>(rank, 1, n);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank - 1), values.end());
    return values[rank - 1];
}

StatsTable compute_stats(const StatsLog& log, const SiteConfig& config, Grouping grouping, int from_day, int to_day) {
    StatsTable table;
    table.grouping = grouping;
    table.from_day = from_day;
    table.to_day = to_day;
    table.target_share = config.statistics.target_share;
    std::map<std::string, Accumulator> groups;
    Accumulator total;
    auto in_range = [&](int day) { return day >= from_day && day <= to_day; };
    auto group = [&](const GroupKey& k) -> Accumulator& {
        auto [it, fresh] = groups.try_emplace(k.sort);
        if (fresh) it->second.row.key = k.shown;
        return it->second;
    };
    auto time_key = [&](int day, int hour) {
        return grouping == Grouping::Hour ? GroupKey{two_digits(hour), two_digits(hour)} : GroupKey{padded(day), iso_day_text(day)};
    };

    // Target waits by sector, looked up once.
    std::map<std::string, int, std::less<>> target;
    for (const auto& s : config.sectors) target[s.id] = config.statistics.target_for(&s);
    auto target_of = [&](const std::string& sector) {
        auto it = target.find(sector);
        return it != target.end() ? it->second : config.statistics.target_wait_min;
    };

    for (const VisitRecord& v : log.visits) {
        if (!in_range(v.day)) continue;
        const int t = target_of(v.sector);
        total.add(v, t);
        switch (grouping) {
            case Grouping::Hour:
            case Grouping::Day: group(time_key(v.day, v.hour)).add(v, t); break;
            case Grouping::Sector: group({v.sector, v.sector}).add(v, t); break;
            case Grouping::Service: {
                // Service ids are unique within a sector only: "sector/service" (or the sector's
                // id for a sector without services).
                const std::string k = v.service.empty() ? v.sector : v.sector + "/" + v.service;
                group({k, k}).add(v, t);
                break;
            }
            case Grouping::Counter: group(key_of_counter(v.counter)).add(v, t); break;
            case Grouping::Operator: group({v.staff, v.staff}).add(v, t); break;
        }
    }
    std::map<std::string, PauseReasonRow> reasons;
    for (const PauseRecord& p : log.pauses) {
        if (!in_range(p.day)) continue;
        total.add(p);
        auto& r = reasons[p.reason];
        r.reason = p.reason;
        ++r.pauses;
        r.minutes += p.minutes;
        if (grouping == Grouping::Hour || grouping == Grouping::Day) group(time_key(p.day, p.hour)).add(p);
        if (grouping == Grouping::Counter) group(key_of_counter(p.counter)).add(p);
        if (grouping == Grouping::Operator) group({p.staff, p.staff}).add(p);
    }
    for (const IdleRecord& i : log.idle) {
        if (!in_range(i.day)) continue;
        total.add(i);
        if (grouping == Grouping::Hour || grouping == Grouping::Day) group(time_key(i.day, i.hour)).add(i);
        if (grouping == Grouping::Counter) group(key_of_counter(i.counter)).add(i);
        if (grouping == Grouping::Operator) group({i.staff, i.staff}).add(i);
    }
    for (const BookingRecord& b : log.bookings) {
        if (!in_range(b.day)) continue;
        total.add(b);
        if (grouping == Grouping::Hour || grouping == Grouping::Day) group(time_key(b.day, b.hour)).add(b);
        if (grouping == Grouping::Sector) group({b.sector, b.sector}).add(b);
        if (grouping == Grouping::Service) group({b.service, b.service}).add(b);
    }
    // Ratings are anonymous: by sector, service, counter, hour and day, never by operator (the
    // total only), so no figure reads as a judgement of one named person.
    for (const FeedbackRecord& f : log.feedback) {
        if (!in_range(f.day)) continue;
        total.add(f);
        switch (grouping) {
            case Grouping::Hour:
            case Grouping::Day: group(time_key(f.day, f.hour)).add(f); break;
            case Grouping::Sector: group({f.sector, f.sector}).add(f); break;
            case Grouping::Service: {
                const std::string k = f.service.empty() ? f.sector : f.sector + "/" + f.service;
                group({k, k}).add(f);
                break;
            }
            case Grouping::Counter: group(key_of_counter(f.counter)).add(f); break;
            case Grouping::Operator: break;
        }
    }
    for (auto& [sort, acc] : groups) table.rows.push_back(acc.reduce());
    table.total = total.reduce();
    for (auto& [_, r] : reasons) table.pause_reasons.push_back(r);
    std::stable_sort(table.pause_reasons.begin(), table.pause_reasons.end(),
                     [](const PauseReasonRow& a, const PauseReasonRow& b) { return a.minutes > b.minutes; });
    return table;
}

StatsCell stats_cell(const StatsRow& row, std::string_view key) {
    auto count = [](int n) { return StatsCell{static_cast<double>(n), {}, true}; };
    auto figure = [](double x) { return StatsCell{x, {}, false}; };
    if (key == "key") return {std::nullopt, row.key, false};
    if (key == "issued") return count(row.issued);
    if (key == "served") return count(row.served);
    if (key == "left_before_call") return count(row.left_before_call);
    if (key == "called_absent") return count(row.called_absent);
    if (key == "left_during_service") return count(row.left_during_service);
    if (key == "open") return count(row.still_open);
    if (key == "called") return count(row.called);
    if (key == "wait_mean_min") return figure(row.wait_mean_min);
    if (key == "wait_p90_min") return figure(row.wait_p90_min);
    if (key == "walk_mean_min") return figure(row.walk_mean_min);
    if (key == "service_mean_min") return figure(row.service_mean_min);
    if (key == "service_p90_min") return figure(row.service_p90_min);
    if (key == "visit_mean_min") return figure(row.visit_mean_min);
    if (key == "within_target_share") return figure(row.within_target_share);
    if (key == "bookings") return count(row.bookings);
    if (key == "booking_no_shows") return count(row.booking_no_shows);
    if (key == "pauses") return count(row.pauses);
    if (key == "pause_min") return figure(row.pause_min);
    if (key == "idle_with_waiting_min") return figure(row.idle_with_waiting_min);
    if (key == "promised") return count(row.promised);
    if (key == "forecast_mae_min") return figure(row.forecast_mae_min);
    if (key == "forecast_inside_share") return figure(row.forecast_inside_share);
    if (key == "feedback") return count(row.feedback);
    if (key == "feedback_good") return count(row.feedback_good);
    if (key == "feedback_so_so") return count(row.feedback_so_so);
    if (key == "feedback_bad") return count(row.feedback_bad);
    if (key == "feedback_bad_waiting") return count(row.feedback_bad_waiting);
    if (key == "feedback_bad_staff") return count(row.feedback_bad_staff);
    if (key == "feedback_bad_came_back") return count(row.feedback_bad_came_back);
    if (key == "feedback_bad_outcome") return count(row.feedback_bad_outcome);
    return {std::nullopt, {}, false};
}

}  // namespace csc::stats
