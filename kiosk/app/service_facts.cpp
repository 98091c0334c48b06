#include "kiosk/app/service_facts.hpp"

#include <algorithm>

#include "kiosk/app/statistics.hpp"
#include "shared/presence/presence_board.hpp"

namespace csc::app {

namespace {

PrinterFacts printer_facts(const PrintSpooler& spooler) {
    PrinterFacts p;
    p.profile = spooler.profile_id();
    for (const printer::Profile& known : printer::active_profiles().profiles()) p.profiles.emplace_back(known.id, known.name);
    p.paper = spooler.paper_count();
    p.status = spooler.last_status();
    p.waiting_for_retry = spooler.pending();
    if (auto last = spooler.last_ticket()) {
        p.last_ticket = last->id;
        p.last_label = last->label;
        p.preview = render_paper(last->bytes, last->profile, 288);
    }
    return p;
}

}  // namespace

ServiceFacts gather_service_facts(Context& ctx, const PrintSpooler* spooler) {
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
    if (spooler) f.printer = printer_facts(*spooler);

    f.day.date = ctx.config.timezone.to_local(f.now).date;
    office.read([&](const OfficeState& state) {
        for (const Ticket& t : state.tickets()) {
            ++f.day.issued;
            if (is_waiting(t.status)) ++f.day.waiting;
            if (t.status == TicketStatus::Served) ++f.day.served;
        }
        for (const CounterState& c : state.counters())
            if (c.status != CounterStatus::Closed) ++f.day.counters_open;
        f.day.anything_open = f.day.waiting > 0 || f.day.counters_open > 0;
    });

    // Today's events read and folded once, then grouped twice (as the monthly report does).
    const Date day = ctx.config.timezone.to_local(f.now).date;
    auto log = office_stats_log(ctx, StatsRange{day, day});
    if (!log) {
        f.stats_error = log.error().message;
        return f;
    }
    f.by_hour = stats::compute_stats(*log, ctx.config, stats::Grouping::Hour, day.key(), day.key());
    f.by_sector = stats::compute_stats(*log, ctx.config, stats::Grouping::Sector, day.key(), day.key());
    return f;
}

}  // namespace csc::app
