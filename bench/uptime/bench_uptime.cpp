// bench_uptime — does uptime slow the office down? (issue 10, point 5; docs/PERFORMANCE.md)
//   bench_uptime [--days 60] [--tickets 300] [--catchup 20000] [--runs 3] [--batch 2048] [--seed 1] [--dir DIR]
//
// 1. One long-running Office (the site sample assets/site/office.toml, a ManualClock) lives
//    through --days office days of a busy office (--tickets walk-ins a day, 5 counters calling,
//    starting and finishing): tap to ticket (Office::issue, forecast included) and a counter's
//    call (Office::call_next) per day, and the process's memory (/proc/self/status) at the end
//    of each day.
// 2. Catch-up after a day offline, single machine: a display process (an Office on the store)
//    applies a whole day of --catchup events another program appended, in one refresh().
// 3. Catch-up after a day offline, LAN: a kiosk with 50 own offline tickets applies the day's
//    stream (apply_stream, batches of --batch 2048 as the replicator hands them) — no NATS here, the
//    cluster's part is in bench_lan; the store's share is measured alone beside it.
// The store lives in --dir (default /dev/shm when writable: fsync costs nothing there, so the
// figures are the program's own work, not the disk's). Prints figures; asserts nothing.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/common/proc_stats.hpp"
#include "shared/clock.hpp"
#include "shared/config.hpp"
#include "shared/office.hpp"
#include "shared/office_state.hpp"
#include "shared/rng.hpp"
#include "shared/store.hpp"
#include "shared/store_sync.hpp"

namespace {

using namespace csc;
using Steady = std::chrono::steady_clock;

double ms_since(Steady::time_point t0) { return std::chrono::duration<double, std::milli>(Steady::now() - t0).count(); }

// CPU time of this (single-threaded) process, user + system: less disturbed than the wall
// clock by other programs on a shared machine.
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// CPU time of the calling thread, ms: the tap's own work, without the time it was preempted.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5))];
}

// What a busy office day does, to a real Office (timed) or to an event log (generated).
class DaySink {
public:
    virtual ~DaySink() = default;
    virtual bool issue(Millis t, const TicketIssued& body) = 0;
    virtual bool counter(Millis t, const EventBody& body) = 0;  // false: it did not apply
    virtual void end_of_day(Millis t) = 0;
};

// One office day: walk-ins arrive (exponential gaps) while the office is open, 8% priority;
// every counter opens at the first opening, calls whenever it is free and someone waits for it,
// starts ≤ 30 s after the call and serves a lognormal time, sized so the counters are ~95% busy;
// 4% of the called do not come (a recall, then a no-show). After the last interval the counters
// serve whoever still waits and close. Returns false on a closed day.
bool busy_day(const SiteConfig& config, Date date, int tickets, Rng& rng, DaySink& sink) {
    const auto& tz = config.timezone;
    const LocalTime noon = tz.to_local(tz.from_local(date, 12 * 60));
    const auto& ranges = config.hours.weekly[static_cast<std::size_t>(noon.weekday)];
    if (ranges.empty() || std::find(config.hours.closed_days.begin(), config.hours.closed_days.end(), date) !=
                              config.hours.closed_days.end())
        return false;
    int open_minutes = 0;
    for (const auto& r : ranges) open_minutes += r.end - r.begin;
    const double gap_min = static_cast<double>(open_minutes) / tickets;
    // A counter's time per citizen (call → start → finish), ~95% of what keeps up with arrivals.
    const double cycle_min = 0.95 * static_cast<double>(config.counters.size()) * open_minutes / tickets;
    const double service_min = 0.9 * cycle_min;
    const Millis start_after = std::min<Millis>(30'000, static_cast<Millis>(0.1 * cycle_min * 60'000.0));
    const Millis gone_after = std::min<Millis>(60'000, static_cast<Millis>(0.5 * cycle_min * 60'000.0));

    struct Desk {
        int number;
        enum { Idle, Called, Serving } what = Idle;
        Millis next = 0;  // when the called citizen is started / the service ends
        bool no_show = false;
    };
    std::vector<Desk> desks;
    for (const auto& c : config.counters) desks.push_back({c.number});
    const Millis first_open = tz.from_local(date, ranges.front().begin);
    for (auto& d : desks) (void)sink.counter(first_open, CounterOpened{d.number});
    int waiting = 0;
    auto try_calls = [&](Millis t) {
        for (auto& d : desks) {
            if (d.what != Desk::Idle || waiting == 0) continue;
            if (!sink.counter(t, TicketCalled{d.number, {}})) continue;
            --waiting;
            d.what = Desk::Called;
            d.no_show = rng.chance(0.04);
            d.next = t + (d.no_show ? gone_after : start_after);
        }
    };
    auto run_desks_until = [&](Millis until) {
        for (;;) {
            Desk* due = nullptr;
            for (auto& d : desks)
                if (d.what != Desk::Idle && d.next <= until && (!due || d.next < due->next)) due = &d;
            if (!due) return;
            const Millis t = due->next;
            if (due->what == Desk::Called && due->no_show) {
                (void)sink.counter(t, TicketRecalled{due->number});
                (void)sink.counter(t + gone_after, TicketNoShow{due->number});
                due->what = Desk::Idle;
                try_calls(t + gone_after + 1);
            } else if (due->what == Desk::Called) {
                (void)sink.counter(t, ServiceStarted{due->number});
                due->what = Desk::Serving;
                due->next = t + static_cast<Millis>(rng.lognormal_mean(service_min, 0.5) * 60'000.0);
            } else {
                (void)sink.counter(t, ServiceFinished{due->number, {}});
                due->what = Desk::Idle;
                try_calls(t + 1);
            }
        }
    };
    const auto& sectors = config.sectors;
    for (const auto& r : ranges) {
        Millis t = tz.from_local(date, r.begin);
        const Millis end = tz.from_local(date, r.end);
        for (;;) {
            t += static_cast<Millis>(rng.exponential(gap_min) * 60'000.0) + 1;
            if (t >= end) break;
            run_desks_until(t);
            // Sectors by weight: the registry office is the busiest.
            const double u = rng.uniform();
            const std::size_t s = u < 0.4 ? 0 : u < 0.55 ? 1 : u < 0.8 ? 2 : 3;
            const Sector& sec = sectors[std::min(s, sectors.size() - 1)];
            TicketIssued body;
            body.sector = sec.id;
            if (!sec.services.empty())
                body.service = sec.services[static_cast<std::size_t>(rng.uniform(0, static_cast<double>(sec.services.size())))].id;
            if (rng.chance(0.08) && !config.priorities.empty()) body.priority = config.priorities.front().id;
            if (sink.issue(t, body)) ++waiting;
            try_calls(t + 1);
        }
        run_desks_until(end);
    }
    // After closing: whoever still waits is served, then each counter closes.
    Millis t = tz.from_local(date, ranges.back().end);
    for (int guard = 0; guard < 100'000; ++guard) {
        bool busy = false;
        for (const auto& d : desks) busy = busy || d.what != Desk::Idle;
        if (!busy) {
            try_calls(t);
            busy = std::any_of(desks.begin(), desks.end(), [](const Desk& d) { return d.what != Desk::Idle; });
            if (!busy) break;
        }
        Millis next = INT64_MAX;
        for (const auto& d : desks)
            if (d.what != Desk::Idle) next = std::min(next, d.next);
        run_desks_until(next);
        t = next + 1;
    }
    for (auto& d : desks) (void)sink.counter(t + 60'000, CounterClosed{d.number});
    sink.end_of_day(t + 120'000);
    return true;
}

// The long-running office: every action through the real Office, the clock moved to its time.
class OfficeSink final : public DaySink {
public:
    OfficeSink(Office& office, ManualClock& clock) : office_(office), clock_(clock) {}
    bool issue(Millis t, const TicketIssued& body) override {
        clock_.set(t);
        IssueRequest r;
        r.sector = body.sector;
        r.service = body.service;
        r.priority = body.priority;
        const auto t0 = Steady::now();
        const double c0 = thread_cpu_ms();
        auto issued = office_.issue(r);
        tap_cpu.push_back(thread_cpu_ms() - c0);
        tap.push_back(ms_since(t0));
        ++events;
        return issued.ok();
    }
    bool counter(Millis t, const EventBody& body) override {
        clock_.set(t);
        const bool is_call = std::holds_alternative<TicketCalled>(body);
        const auto t0 = Steady::now();
        auto r = office_.record(body);
        if (is_call && r) call.push_back(ms_since(t0));
        events += r.ok();
        return r.ok();
    }
    void end_of_day(Millis t) override {
        clock_.set(t);
        (void)office_.close_day_if_over();
    }
    std::vector<double> tap, tap_cpu, call;
    long events = 0;

private:
    Office& office_;
    ManualClock& clock_;
};

// An event log as the devices of a busy office would make it: kiosks kiosk-x0…x3 issue, one
// counter device acts; each event is kept only if it applies (checked on a state machine).
class LogSink final : public DaySink {
public:
    explicit LogSink(const SiteConfig& config) : state_(config) {}
    bool issue(Millis t, const TicketIssued& body) override {
        return add("kiosk-x" + std::to_string(issued_++ % 4), t, body);
    }
    bool counter(Millis t, const EventBody& body) override { return add("counter-x", t, body); }
    void end_of_day(Millis) override {}
    std::vector<Event> log;
    [[nodiscard]] const OfficeState& state() const { return state_; }

private:
    bool add(const std::string& device, Millis t, EventBody body) {
        Event e;
        e.device = device;
        e.seq = ++seq_[device];
        e.id = make_event_id(device, e.seq);
        e.time = t;
        e.body = std::move(body);
        if (!state_.apply(e).applied) return false;  // left out of the log (its sequence number stays unused)
        log.push_back(std::move(e));
        return true;
    }
    OfficeState state_;
    std::map<std::string, std::int64_t> seq_;
    int issued_ = 0;
};

long rss_kb(const char* key) { return bench::status_kb(getpid(), key); }

}  // namespace

int main(int argc, char** argv) {
    int days = 60, tickets = 300, catchup = 20000, runs = 3, batch = 2048;
    std::uint64_t seed = 1;
    std::filesystem::path base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    const char* usage =
        "usage: bench_uptime [--days N] [--tickets N] [--catchup N] [--runs N] [--batch N] [--seed S] [--dir DIR]\n"
        "  --days 0 runs only the catch-ups; --batch = events per apply_stream() (the replicator's batch)\n";
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 == argc) {  // a flag without its value (--help)
            std::fputs(usage, stderr);
            return 2;
        }
        if (!std::strcmp(argv[i], "--days")) days = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--tickets")) tickets = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--catchup")) catchup = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--batch")) batch = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
        else if (!std::strcmp(argv[i], "--dir")) base = argv[i + 1];
        else {
            std::fputs(usage, stderr);
            return 2;
        }
    }
    auto loaded = load_site_config(std::filesystem::path(CSC_SOURCE_ASSETS) / "site" / "office.toml");
    if (!loaded) {
        std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
        return 1;
    }
    const SiteConfig config = *loaded;
    const auto& tz = config.timezone;
    const std::filesystem::path root = base / ("csc-bench-uptime-" + std::to_string(getpid()));
    std::filesystem::create_directories(root);
    std::printf("store in %s; %d office days of %d walk-ins, catch-up day of ~%d events, %d runs, seed %llu\n",
                root.c_str(), days, tickets, catchup, runs, static_cast<unsigned long long>(seed));

    // ---- 1. One Office through `days` office days (from Monday 2027-01-11: no holiday until
    // the end of March, so 60 office days are 10 whole weeks, Monday to Saturday).
    if (days > 0) {
        const long first = days_from_civil(2027, 1, 11);
        ManualClock clock(tz.from_local(Date{2027, 1, 11}, 8 * 60));
        auto office = Office::open(config, root / "uptime", clock, "kiosk-1");
        if (!office) {
            std::fprintf(stderr, "%s\n", office.error().message.c_str());
            return 1;
        }
        Rng rng(seed);
        struct Day {
            Date date;
            long events;
            double tap50, tap99, call50, call99, cpu50, cpu99;
            long rss, anon;
        };
        std::vector<Day> seen;
        const auto t_all = Steady::now();
        std::printf("\nday  date        events  tap p50/p99 ms    tap CPU p50/p99   call p50/p99 ms   VmRSS/RssAnon kB\n");
        for (long d = first; static_cast<int>(seen.size()) < days; ++d) {
            const Date date = civil_from_days(d);
            OfficeSink sink(**office, clock);
            if (!busy_day(config, date, tickets, rng, sink)) continue;
            Day row{date, sink.events, pct(sink.tap, 0.5), pct(sink.tap, 0.99), pct(sink.call, 0.5), pct(sink.call, 0.99),
                    pct(sink.tap_cpu, 0.5), pct(sink.tap_cpu, 0.99), rss_kb("VmRSS"), rss_kb("RssAnon")};
            seen.push_back(row);
            std::printf("%3zu  %s  %6ld  %6.3f / %6.3f   %6.3f / %6.3f   %6.3f / %6.3f   %ld / %ld\n", seen.size(),
                        date.iso().c_str(), row.events, row.tap50, row.tap99, row.cpu50, row.cpu99, row.call50, row.call99, row.rss,
                        row.anon);
            std::fflush(stdout);
        }
        const Day& a = seen.front();
        const Day& z = seen.back();
        auto week = [&](std::size_t from, double Day::*field) {
            std::vector<double> v;
            for (std::size_t i = from; i < std::min(seen.size(), from + 6); ++i) v.push_back(seen[i].*field);
            return pct(v, 0.5);
        };
        const std::size_t last_week = seen.size() >= 6 ? seen.size() - 6 : 0;
        std::printf("\n%zu office days in %.1f s\n", seen.size(), ms_since(t_all) / 1000);
        std::printf("tap to ticket, day 1 vs day %zu: p50 %.3f -> %.3f ms (x%.2f), p99 %.3f -> %.3f ms (x%.2f)\n", seen.size(),
                    a.tap50, z.tap50, z.tap50 / a.tap50, a.tap99, z.tap99, z.tap99 / a.tap99);
        std::printf("tap to ticket, median of week 1 vs last week's daily figures: p50 %.3f -> %.3f ms (x%.2f), p99 %.3f -> %.3f ms (x%.2f)\n",
                    week(0, &Day::tap50), week(last_week, &Day::tap50), week(last_week, &Day::tap50) / week(0, &Day::tap50),
                    week(0, &Day::tap99), week(last_week, &Day::tap99), week(last_week, &Day::tap99) / week(0, &Day::tap99));
        std::printf("tap to ticket, thread CPU time, day 1 vs day %zu: p50 %.3f -> %.3f ms (x%.2f), p99 %.3f -> %.3f ms (x%.2f)\n",
                    seen.size(), a.cpu50, z.cpu50, z.cpu50 / a.cpu50, a.cpu99, z.cpu99, z.cpu99 / a.cpu99);
        std::printf("tap to ticket, thread CPU time, median of week 1 vs last week: p50 %.3f -> %.3f ms (x%.2f), p99 %.3f -> %.3f ms (x%.2f)\n",
                    week(0, &Day::cpu50), week(last_week, &Day::cpu50), week(last_week, &Day::cpu50) / week(0, &Day::cpu50),
                    week(0, &Day::cpu99), week(last_week, &Day::cpu99), week(last_week, &Day::cpu99) / week(0, &Day::cpu99));
        std::printf("counter call, day 1 vs day %zu: p50 %.3f -> %.3f ms (x%.2f), p99 %.3f -> %.3f ms (x%.2f)\n", seen.size(),
                    a.call50, z.call50, z.call50 / a.call50, a.call99, z.call99, z.call99 / a.call99);
        std::printf("counter call, median of week 1 vs last week: p50 %.3f -> %.3f ms (x%.2f), p99 %.3f -> %.3f ms (x%.2f)\n",
                    week(0, &Day::call50), week(last_week, &Day::call50), week(last_week, &Day::call50) / week(0, &Day::call50),
                    week(0, &Day::call99), week(last_week, &Day::call99), week(last_week, &Day::call99) / week(0, &Day::call99));
        std::printf("memory at the end of day 1 vs day %zu: VmRSS %ld -> %ld kB (%+.1f%%), RssAnon %ld -> %ld kB (%+.1f%%)\n",
                    seen.size(), a.rss, z.rss, 100.0 * (z.rss - a.rss) / a.rss, a.anon, z.anon, 100.0 * (z.anon - a.anon) / a.anon);
    }

    // ---- 2 and 3. A stress day (a Tuesday, 08:30-12:30 and 14:30-17:30) of ~`catchup` events
    // made by four kiosks and the counters, applied after a day away.
    const Date day{2027, 1, 12};
    LogSink gen(config);
    Rng day_rng(seed + 1000);
    (void)busy_day(config, day, catchup / 4, day_rng, gen);
    const std::vector<Event>& log = gen.log;
    std::printf("\ncatch-up day: %zu events (%zu tickets)\n", log.size(), gen.state().tickets().size());

    std::vector<double> single_rate, lan_rate, store_rate, single_cpu_rate, lan_cpu_rate, store_cpu_rate;
    for (int run = 0; run < runs; ++run) {
        // 2. Single machine: a display that was stopped while another program recorded the day.
        {
            const auto dir = root / ("single-" + std::to_string(run));
            ManualClock clock(tz.from_local(day, 8 * 60));
            auto display = Office::open(config, dir, clock, "display-1");
            if (!display) return 1;
            {
                auto writer = Store::open(dir);
                if (!writer) return 1;
                for (const auto& e : log)
                    if (auto r = (*writer)->append(e); !r) {
                        std::fprintf(stderr, "append: %s\n", r.error().message.c_str());
                        return 1;
                    }
            }
            clock.set(tz.from_local(day, 18 * 60));
            const auto t0 = Steady::now();
            const double c0 = cpu_seconds();
            auto changed = (*display)->refresh();
            const double secs = ms_since(t0) / 1000, cpu = cpu_seconds() - c0;
            std::uint64_t hash = 0;
            (*display)->read([&](const OfficeState& s) { hash = s.state_hash(); });
            single_rate.push_back(static_cast<double>(log.size()) / secs);
            single_cpu_rate.push_back(static_cast<double>(log.size()) / cpu);
            std::printf("run %d  single machine: refresh() applied %zu events in %.3f s = %.0f events/s (CPU %.3f s = %.0f/s)%s\n",
                        run + 1, log.size(), secs, single_rate.back(), cpu, single_cpu_rate.back(),
                        !changed || hash != gen.state().state_hash() ? "  (STATE DIFFERS FROM THE LOG'S)" : "");
        }
        // 3. LAN: 50 own offline tickets, then the day's stream and those tickets at its end.
        {
            const auto dir = root / ("lan-" + std::to_string(run));
            ManualClock clock(tz.from_local(day, 17 * 60));
            auto kiosk = Office::open(config, dir, clock, "kiosk-c");
            if (!kiosk) return 1;
            LanSettings lan;
            lan.device_index = 3;
            if (auto r = (*kiosk)->enable_lan(lan, nullptr); !r) return 1;  // no uplink: offline
            for (int i = 0; i < 50; ++i) {
                clock.advance(1000);
                IssueRequest r;
                r.sector = "protocollo";
                if (auto t = (*kiosk)->issue(r); !t) {
                    std::fprintf(stderr, "offline issue: %s\n", t.error().message.c_str());
                    return 1;
                }
            }
            std::vector<StreamedEvent> stream;
            // As the replicator hands them: each event with the message's bytes (as published).
            for (const auto& e : log) stream.push_back({stream.size() + 1, e, e.time, encode_event(e)});
            for (std::int64_t after = 0;;) {
                auto own = (*kiosk)->next_unconfirmed(after);
                if (!own) break;
                after = own->seq;
                stream.push_back({stream.size() + 1, *own, own->time, encode_event(*own)});
            }
            clock.set(tz.from_local(day, 18 * 60));
            const auto t0 = Steady::now();
            const double c0 = cpu_seconds();
            for (std::size_t i = 0; i < stream.size(); i += static_cast<std::size_t>(batch)) {
                const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(batch), stream.size() - i);
                if (auto r = (*kiosk)->apply_stream(std::span(stream).subspan(i, n), stream[i + n - 1].stream_seq); !r) {
                    std::fprintf(stderr, "apply_stream: %s\n", r.error().message.c_str());
                    return 1;
                }
            }
            const double secs = ms_since(t0) / 1000, cpu = cpu_seconds() - c0;
            // The stream applied in order on a bare state machine: what the kiosk must have confirmed.
            OfficeState expected(config);
            for (const auto& se : stream) (void)expected.apply(se.event);
            const bool same = (*kiosk)->confirmed_hash() == expected.state_hash();
            lan_rate.push_back(static_cast<double>(stream.size()) / secs);
            lan_cpu_rate.push_back(static_cast<double>(stream.size()) / cpu);
            // The store's share: the same batches written to a fresh store, no state machine.
            auto alone = Store::open(root / ("store-" + std::to_string(run)));
            if (!alone) return 1;
            const auto t1 = Steady::now();
            const double c1 = cpu_seconds();
            for (std::size_t i = 0; i < stream.size(); i += static_cast<std::size_t>(batch)) {
                const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(batch), stream.size() - i);
                (void)record_stream_batch(**alone, std::span(stream).subspan(i, n), stream[i + n - 1].stream_seq);
            }
            const double store_secs = ms_since(t1) / 1000, store_cpu = cpu_seconds() - c1;
            store_rate.push_back(static_cast<double>(stream.size()) / store_secs);
            store_cpu_rate.push_back(static_cast<double>(stream.size()) / store_cpu);
            std::printf("run %d  LAN: apply_stream() took %zu events (50 own) in %.3f s = %.0f events/s (CPU %.0f/s); unconfirmed "
                        "after: %zu; store writes alone %.3f s = %.0f events/s (CPU %.0f/s)%s\n",
                        run + 1, stream.size(), secs, lan_rate.back(), lan_cpu_rate.back(), (*kiosk)->unconfirmed_count(),
                        store_secs, store_rate.back(), store_cpu_rate.back(), same ? "" : "  (CONFIRMED STATE DIFFERS FROM THE STREAM'S)");
        }
    }
    std::printf("\ncatch-up after a day offline, median of %d runs (wall clock / CPU time): single machine %.0f / %.0f events/s; "
                "LAN %.0f / %.0f events/s (the store's writes alone: %.0f / %.0f events/s)\n",
                runs, pct(single_rate, 0.5), pct(single_cpu_rate, 0.5), pct(lan_rate, 0.5), pct(lan_cpu_rate, 0.5),
                pct(store_rate, 0.5), pct(store_cpu_rate, 0.5));
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
    return 0;
}
