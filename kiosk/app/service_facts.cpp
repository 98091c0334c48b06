#include "kiosk/app/service_facts.hpp"

#include <algorithm>

#include "kiosk/app/statistics.hpp"
#include "shared/stats/queue_length.hpp"
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

StatsRange stats_days(StatsSpan span, Date today, const StatsRange& chosen) {
    switch (span) {
    case StatsSpan::Week: return {civil_from_days(days_from_civil(today.year, today.month, today.day) - 6), today};
    case StatsSpan::Month: return {Date{today.year, today.month, 1}, today};
    case StatsSpan::Chosen: return chosen;
    case StatsSpan::Today: break;
    }
    return {today, today};
}

ServiceFacts gather_service_facts(Context& ctx, const PrintSpooler* spooler, StatsSpan span, const StatsRange& chosen) {
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

    // The communication zone's sources: the folder's files and each feed's last good copy.
    f.content_folder = ctx.config.totem.content;
    if (!f.content_folder.empty()) {
        auto folder = content::load_content_folder(f.content_folder, ctx.config.languages);
        f.content_items = static_cast<int>(folder.items.size());
        f.content_rejected = std::move(folder.rejected);
    }
    if (!ctx.config.totem.feeds.empty()) {
        FeedReader copies(ctx.config.totem.feeds, ctx.data_dir / "content-cache", ctx.config.timezone,
                          [](const std::string&) -> Result<std::string> { return Error{"not fetched by the service menu"}; });
        (void)copies.refresh(f.now, false);
        for (const TotemFeed& feed : ctx.config.totem.feeds) {
            const auto it = copies.states().find(feed.name);
            f.feeds.push_back({feed.name, feed.url, it == copies.states().end() ? FeedState{} : it->second});
        }
    }

    f.warnings = recent_warnings();
    f.log = captured_log();
    if (spooler) f.printer = printer_facts(*spooler);

    f.day.date = ctx.config.timezone.to_local(f.now).date;
    LocalTime day_end = ctx.config.timezone.to_local(f.now);  // the next office day: after today's last minute
    day_end.hour = 23;
    day_end.minute = 59;
    f.day.next_opening = ctx.config.hours.next_opening(day_end);
    office.read([&](const OfficeState& state) {
        if (state.day() != f.day.date.key()) return;  // nothing recorded today yet: yesterday's state is not today's
        for (const Ticket& t : state.tickets()) {
            ++f.day.issued;
            if (is_waiting(t.status)) ++f.day.waiting;
            if (t.status == TicketStatus::Served) ++f.day.served;
        }
        for (const CounterState& c : state.counters())
            if (c.status != CounterStatus::Closed) ++f.day.counters_open;
        f.day.anything_open = f.day.waiting > 0 || f.day.counters_open > 0;
    });

    // The range's events read and folded once, then grouped twice (as the monthly report does).
    const Date day = ctx.config.timezone.to_local(f.now).date;
    f.stats_range = stats_days(span, day, chosen);
    const Date from = f.stats_range.from, to = f.stats_range.to;
    auto log = office_stats_log(ctx, f.stats_range);
    if (!log) {
        f.stats_error = log.error().message;
        return f;
    }
    f.by_hour = stats::compute_stats(*log, ctx.config, stats::Grouping::Hour, from.key(), to.key());
    f.by_sector = stats::compute_stats(*log, ctx.config, stats::Grouping::Sector, from.key(), to.key());
    if (from != day || to != day) return f;  // the queue's line is a day's: today's
    // Today's queue, every quarter of an hour from the first ticket's quarter to now.
    constexpr Millis kQuarter = 15 * 60'000;
    Millis first = 0;
    for (const stats::VisitRecord& v : log->visits)
        if (v.day == day.key() && (first == 0 || v.issued_at < first)) first = v.issued_at;
    if (first > 0) {
        std::vector<Millis> times;
        for (Millis t = first - first % kQuarter; t <= f.now && times.size() < 24 * 4; t += kQuarter) times.push_back(t);
        if (times.empty() || times.back() < f.now) times.push_back(f.now);  // and the queue as it is now
        const std::vector<int> waiting = stats::waiting_at(*log, times);
        for (std::size_t i = 0; i < times.size(); ++i) f.queue_line.emplace_back(times[i], waiting[i]);
    }
    return f;
}

}  // namespace csc::app
