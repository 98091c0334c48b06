#include "kiosk/app/service_facts.hpp"

#include <algorithm>

#include "kiosk/app/statistics.hpp"
#include "shared/presence/presence_board.hpp"

namespace csc::app {

ServiceFacts gather_service_facts(Context& ctx) {
    ServiceFacts f;
    Office& office = *ctx.office;
    f.now = ctx.clock.now();
    f.device = office.device();
    f.lan = office.lan_mode();
    if (f.lan) f.index_conflicts = office.index_conflicts();

    presence::Board board = presence::read_board(ctx.data_dir, f.now);
    f.presence_problems = std::move(board.problems);
    for (auto& h : board.statuses)
        f.programs.push_back(ProgramFact{h.status, presence::liveness(h.status, h.received, f.now), h.received});
    // This device's programs first, then the others by name (read_board sorts by key).
    std::stable_partition(f.programs.begin(), f.programs.end(),
                          [&](const ProgramFact& p) { return p.status.device == f.device; });

    f.config_file = ctx.config.source.string();
    if (auto checked = load_site_config(ctx.config.source); !checked) f.config_error = checked.error().message;

    f.warnings = recent_warnings();

    const Date day = ctx.config.timezone.to_local(f.now).date;
    if (auto hours = office_statistics(ctx, StatsRange{day, day}, stats::Grouping::Hour)) f.by_hour = std::move(*hours);
    else f.stats_error = hours.error().message;
    if (auto sectors = office_statistics(ctx, StatsRange{day, day}, stats::Grouping::Sector)) f.by_sector = std::move(*sectors);
    else f.stats_error = sectors.error().message;
    return f;
}

}  // namespace csc::app
