#include "shared/forecast/outlook.hpp"

#include "shared/hours/office_hours.hpp"
#include "shared/queue/queue_queries.hpp"
#include "shared/rng.hpp"

namespace csc {

ForecastJob prepare_forecast(const OfficeState& state, const SiteConfig& config, const ForecastLearner& learner, Millis now,
                             const QueueTarget& target) {
    ForecastJob job;
    job.snapshot = snapshot_of(state, now, booked_today(state, config, now));
    job.target = find_target(job.snapshot, config, target);
    const LocalTime lt = config.timezone.to_local(now);
    job.params = learner.params(lt.date.key(), lt.minute_of_day(), ForecastLearner::running_in(job.snapshot));
    const std::string key = target.ticket_id.empty() ? target.sector + "@" + std::to_string(now) : target.ticket_id;
    job.seed = Rng::seed_of(key.c_str());
    return job;
}

ForecastJob prepare_new_ticket_forecast(const OfficeState& state, const SiteConfig& config, const ForecastLearner& learner,
                                        Millis now, const std::string& sector, const std::string& priority,
                                        const std::string& id) {
    ForecastJob job;
    job.snapshot = snapshot_of(state, now, booked_today(state, config, now));
    QueueSnapshot::Item it;
    it.sector = -1;
    for (std::size_t i = 0; i < config.sectors.size(); ++i)
        if (config.sectors[i].id == sector) it.sector = static_cast<int>(i);
    if (it.sector < 0) return job;
    it.priority = !priority.empty();
    it.issued_at = now;
    it.id = id;
    job.snapshot.waiting.push_back(std::move(it));
    job.target = static_cast<int>(job.snapshot.waiting.size()) - 1;
    const LocalTime lt = config.timezone.to_local(now);
    job.params = learner.params(lt.date.key(), lt.minute_of_day(), ForecastLearner::running_in(job.snapshot));
    job.seed = Rng::seed_of(id.c_str());
    return job;
}

WaitForecast run_forecast(const ForecastJob& job) {
    return forecast_wait(job.snapshot, job.target, job.params, kForecastPaths, job.seed);
}

ForecastJob prepare_sector_forecasts(const OfficeState& state, const SiteConfig& config, const ForecastLearner& learner,
                                     Millis now, const std::string& sector) {
    ForecastJob job;
    job.snapshot = snapshot_of(state, now, booked_today(state, config, now));
    int index = -1;
    for (std::size_t i = 0; i < config.sectors.size(); ++i)
        if (config.sectors[i].id == sector) index = static_cast<int>(i);
    for (std::size_t i = 0; i < job.snapshot.waiting.size() && job.target < 0; ++i)
        if (job.snapshot.waiting[i].sector == index) job.target = static_cast<int>(i);
    const LocalTime lt = config.timezone.to_local(now);
    job.params = learner.params(lt.date.key(), lt.minute_of_day(), ForecastLearner::running_in(job.snapshot));
    job.seed = Rng::seed_of((sector + "@" + std::to_string(now / 60'000)).c_str());
    return job;
}

std::map<std::string, WaitForecast> run_sector_forecasts(const ForecastJob& job) {
    std::map<std::string, WaitForecast> out;
    if (job.target < 0) return out;
    const int sector = job.snapshot.waiting[static_cast<std::size_t>(job.target)].sector;
    const auto all = forecast_sector_waits(job.snapshot, sector, job.params, kForecastPaths, job.seed);
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i]) out.emplace(job.snapshot.waiting[i].id, *all[i]);
    return out;
}

OutlookJob prepare_sector_outlook(const OfficeState& state, const SiteConfig& config, const ForecastLearner& learner,
                                  Millis now) {
    OutlookJob job;
    job.now = now;
    job.open = is_open_at(config, now);
    job.base = snapshot_of(state, now, booked_today(state, config, now));
    const LocalTime lt = config.timezone.to_local(now);
    job.params = learner.params(lt.date.key(), lt.minute_of_day(), ForecastLearner::running_in(job.base));
    for (const auto& sec : config.sectors) {
        SectorOutlook o;
        o.sector = sec.id;
        o.waiting = state.waiting(sec.id);
        o.last_number = state.last_number(sec.id);
        o.open_counters = open_counters_serving(state, config, sec.id);
        job.sectors.push_back(std::move(o));
    }
    return job;
}

std::vector<SectorOutlook> run_sector_outlook(OutlookJob job, const SiteConfig& config) {
    if (!job.open) return std::move(job.sectors);
    for (auto& o : job.sectors) {
        QueueSnapshot snap = job.base;
        const int idx = find_target(snap, config, QueueTarget{{}, o.sector, {}});
        const std::string key = o.sector + "@" + std::to_string(job.now);
        o.forecast = forecast_wait(snap, idx, job.params, kForecastPaths, Rng::seed_of(key.c_str()));
    }
    return std::move(job.sectors);
}

}  // namespace csc
