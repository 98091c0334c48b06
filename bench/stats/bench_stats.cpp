// bench_stats — statistics over a year of a busy office (issue 14, point 6; docs/PERFORMANCE.md)
//   bench_stats --kiosk build/kiosk [--tickets 250000] [--year 2026] [--runs 5] [--seed 1] [--dir DIR] [--keep]
//
// 1. Makes a store with a year of the sample office (assets/site/office.toml): --tickets walk-ins
//    spread over the year's open days and hours, 5 counters calling, starting and finishing
//    (3% called and absent, 3% cancelled while waiting, two pauses a counter a day), every event
//    judged by the real state machine before it is stored (refused ones are not stored), with a
//    printed promise on every ticket. Stored in batches (one transaction each, as the LAN
//    replicator stores the stream), in --dir (default /dev/shm when writable).
// 3. The same read in this process, split: opening the store (its integrity check included),
//    reading the year's records (kiosk/app read_stats_log_saving), making the table.
// 2. Runs the real `kiosk stats --from YEAR-01-01 --to YEAR-12-31` once (the first run folds the
//    year and saves each day's records), then (--by day, hour, operator) and `kiosk report
//    --month YEAR-12` --runs times each, at CSC_NOW = the next 2 January: wall time and the
//    child's CPU time (user + system), medians. Prints figures; asserts nothing.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "kiosk/app/statistics.hpp"
#include "shared/config.hpp"
#include "shared/office_state.hpp"
#include "shared/office_time.hpp"
#include "shared/rng.hpp"
#include "shared/store.hpp"
#include "shared/store_sync.hpp"
#include "shared/stats/stats_table.hpp"

namespace {

using namespace csc;
using Steady = std::chrono::steady_clock;

struct Options {
    std::string kiosk;
    long tickets = 250'000;
    int year = 2026;
    int runs = 5;
    std::uint64_t seed = 1;
    std::filesystem::path dir;
    bool keep = false;
};

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// The year's office days with their open windows (local minutes).
struct OfficeDay {
    Date date;
    std::vector<TimeRange> windows;
    int open_minutes = 0;
};

std::vector<OfficeDay> open_days(const SiteConfig& cfg, int year) {
    std::vector<OfficeDay> out;
    for (long d = days_from_civil(year, 1, 1); d < days_from_civil(year + 1, 1, 1); ++d) {
        const Date date = civil_from_days(d);
        if (cfg.hours.is_closed_day(date)) continue;
        const auto weekday = static_cast<std::size_t>(((d % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
        OfficeDay od{date, cfg.hours.weekly[weekday], 0};
        for (const auto& w : od.windows) od.open_minutes += w.end - w.begin;
        if (od.open_minutes > 0) out.push_back(od);
    }
    return out;
}

class Generator {
public:
    Generator(const SiteConfig& cfg, Store& store, std::uint64_t seed) : cfg_(cfg), store_(store), state_(cfg), rng_(seed) {}

    long events() const { return events_; }
    long tickets() const { return tickets_; }

    Result<void> day(const OfficeDay& day, long tickets_today) {
        // Arrival times, sorted, spread over the open minutes (none in a window's last 20 minutes).
        std::vector<Millis> arrivals;
        for (long i = 0; i < tickets_today; ++i) {
            double m = rng_.uniform(0, day.open_minutes);
            for (const auto& w : day.windows) {
                const int len = w.end - w.begin;
                if (m < len) {
                    const double minute = w.begin + std::min(m, std::max(0.0, len - 20.0));
                    arrivals.push_back(cfg_.timezone.from_local(day.date, 0) + static_cast<Millis>(minute * 60'000));
                    break;
                }
                m -= len;
            }
        }
        std::sort(arrivals.begin(), arrivals.end());
        struct Desk {
            int number = 0;
            enum { Free, Called, Serving, Paused } what = Free;
            Millis until = 0;
            int pauses_left = 2;
            std::string staff;
        };
        std::vector<Desk> desks;
        for (const auto& c : cfg_.counters) desks.push_back({c.number, Desk::Free, 0, 2, "operatore" + std::to_string(c.number)});
        std::size_t next = 0;
        const Millis day_start = cfg_.timezone.from_local(day.date, 0);
        for (const auto& w : day.windows) {
            const Millis open = day_start + w.begin * 60'000LL, close = day_start + w.end * 60'000LL;
            for (auto& d : desks) {
                if (auto r = put(open, CounterOpened{d.number}, d.staff); !r) return r.error();
                d.what = Desk::Free;
                d.until = open;
            }
            for (Millis t = open; t < close; t += 15'000) {
                for (; next < arrivals.size() && arrivals[next] <= t; ++next) {
                    const auto& sector = pick_sector();
                    TicketIssued b;
                    b.sector = sector.id;
                    b.service = sector.services.empty() ? std::string() : sector.services[rng_.next() % sector.services.size()].id;
                    const int low = static_cast<int>(rng_.uniform(0, 20));
                    b.promised_low_min = low;
                    b.promised_high_min = low + 5 + static_cast<int>(rng_.uniform(0, 10));
                    if (auto r = put(arrivals[next], b, ""); !r) return r.error();
                    if (rng_.chance(0.03)) cancel_later_.push_back({arrivals[next] + 5 * 60'000, last_ticket_});
                }
                for (auto it = cancel_later_.begin(); it != cancel_later_.end();) {
                    if (it->first > t) { ++it; continue; }
                    (void)put(t, TicketCancelled{it->second, ""}, "");
                    it = cancel_later_.erase(it);
                }
                for (auto& d : desks) {
                    if (d.until > t) continue;
                    switch (d.what) {
                        case Desk::Free:
                            if (d.pauses_left > 0 && rng_.chance(0.002)) {
                                --d.pauses_left;
                                (void)put(t, CounterPaused{d.number, rng_.chance(0.5) ? "counter.pause.break" : "counter.pause.phone"}, d.staff);
                                d.what = Desk::Paused;
                                d.until = t + static_cast<Millis>(rng_.uniform(5, 15) * 60'000);
                            } else if (auto called = put(t, TicketCalled{d.number, ""}, d.staff); called && *called) {
                                d.what = Desk::Called;
                                d.until = t + static_cast<Millis>(rng_.uniform(0.1, 0.5) * 60'000);
                            }
                            break;
                        case Desk::Called:
                            if (rng_.chance(0.03)) {
                                (void)put(t, TicketNoShow{d.number}, d.staff);
                                d.what = Desk::Free;
                            } else {
                                (void)put(t, ServiceStarted{d.number}, d.staff);
                                d.what = Desk::Serving;
                                // Short services (certificates, protocol): a busy office of 5 counters
                                // keeps up with ~830 tickets a day only so.
                                d.until = t + static_cast<Millis>(rng_.lognormal_mean(1.1, 0.5) * 60'000);
                            }
                            break;
                        case Desk::Serving:
                            (void)put(t, ServiceFinished{d.number, ""}, d.staff);
                            d.what = Desk::Free;
                            break;
                        case Desk::Paused:
                            (void)put(t, CounterResumed{d.number}, d.staff);
                            d.what = Desk::Free;
                            break;
                    }
                }
            }
            for (auto& d : desks) (void)put(close, CounterClosed{d.number}, d.staff);
        }
        cancel_later_.clear();
        if (auto r = put(day_start + 23 * 3'600'000LL, DayClosed{}, ""); !r) return r.error();
        return flush();
    }

    Result<void> flush() {
        if (batch_.empty()) return {};
        auto r = record_stream_batch(store_, batch_, batch_.back().stream_seq);
        batch_.clear();
        return r;
    }

private:
    const Sector& pick_sector() {
        static const double kShare[] = {0.5, 0.2, 0.15, 0.15};
        double u = rng_.uniform();
        for (std::size_t i = 0; i < cfg_.sectors.size(); ++i) {
            u -= i < 4 ? kShare[i] : 0.0;
            if (u <= 0) return cfg_.sectors[i];
        }
        return cfg_.sectors.front();
    }

    // Judges the event on the real state machine; stores it only if it applies. true = applied.
    Result<bool> put(Millis t, EventBody body, const std::string& by) {
        Event e;
        e.device = "bench";
        e.seq = seq_ + 1;
        e.id = make_event_id("bench", e.seq);
        e.time = t;
        e.by = by;
        e.body = std::move(body);
        // Judged first (check() remembers nothing), so a refused event's id is used again.
        ApplyResult r = state_.check(e);
        if (r.applied) r = state_.apply(e);
        if (!r.applied) {
            // A ticket that is not issued means the generator is wrong, not the office: say why once.
            if (std::holds_alternative<TicketIssued>(e.body) && !warned_) {  // never expected
                std::fprintf(stderr, "bench_stats: a ticket was refused: %s\n", r.reason.c_str());
                warned_ = true;
            }
            return false;
        }
        ++seq_;
        ++events_;
        if (std::holds_alternative<TicketIssued>(e.body)) {
            ++tickets_;
            last_ticket_ = r.ticket_id;
        }
        batch_.push_back({static_cast<std::uint64_t>(seq_), std::move(e), t});
        if (batch_.size() >= 20'000) {
            if (auto f = flush(); !f) return f.error();
        }
        return true;
    }

    const SiteConfig& cfg_;
    Store& store_;
    OfficeState state_;
    Rng rng_;
    std::int64_t seq_ = 0;
    long events_ = 0, tickets_ = 0;
    bool warned_ = false;
    std::string last_ticket_;
    std::vector<std::pair<Millis, std::string>> cancel_later_;
    std::vector<StreamedEvent> batch_;
};

struct Timing {
    double wall_ms = 0, cpu_ms = 0;
    int status = 0;
};

// Runs argv with CSC_NOW set, stdout to /dev/null: wall and the child's CPU time.
Timing run(const std::vector<std::string>& argv, const std::string& now) {
    rusage before{}, after{};
    getrusage(RUSAGE_CHILDREN, &before);
    const auto t0 = Steady::now();
    std::fflush(stdout);  // the child must not inherit (and print again) what is still buffered
    const pid_t pid = fork();
    if (pid == 0) {
        setenv("CSC_NOW", now.c_str(), 1);
        if (!freopen("/dev/null", "w", stdout)) _exit(127);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    Timing out;
    waitpid(pid, &out.status, 0);
    out.wall_ms = std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
    getrusage(RUSAGE_CHILDREN, &after);
    auto ms = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) * 1e3 + static_cast<double>(tv.tv_usec) / 1e3; };
    out.cpu_ms = ms(after.ru_utime) - ms(before.ru_utime) + ms(after.ru_stime) - ms(before.ru_stime);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_stats: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--kiosk") o.kiosk = value();
        else if (a == "--tickets") o.tickets = std::atol(value().c_str());
        else if (a == "--year") o.year = std::atoi(value().c_str());
        else if (a == "--runs") o.runs = std::max(1, std::atoi(value().c_str()));
        else if (a == "--seed") o.seed = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--dir") o.dir = value();
        else if (a == "--keep") o.keep = true;
        else {
            std::fprintf(stderr, "usage: bench_stats --kiosk PATH [--tickets N] [--year Y] [--runs N] [--seed S] [--dir DIR] [--keep]\n");
            return 2;
        }
    }
    if (o.kiosk.empty()) {
        std::fprintf(stderr, "bench_stats: --kiosk PATH (the kiosk binary to time) is required\n");
        return 2;
    }
    if (o.dir.empty()) o.dir = (access("/dev/shm", W_OK) == 0 ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path()) /
                               ("csc-bench-stats-" + std::to_string(getpid()));
    std::filesystem::remove_all(o.dir);
    const std::filesystem::path data = o.dir / "data";
    const std::string assets = CSC_SOURCE_ASSETS;
    auto cfg = load_site_config(assets + "/site/office.toml");
    if (!cfg) {
        std::fprintf(stderr, "bench_stats: %s\n", cfg.error().message.c_str());
        return 1;
    }
    auto store = Store::open(data);
    if (!store) {
        std::fprintf(stderr, "bench_stats: %s\n", store.error().message.c_str());
        return 1;
    }
    const auto days = open_days(*cfg, o.year);
    long minutes = 0;
    for (const auto& d : days) minutes += d.open_minutes;
    const auto g0 = Steady::now();
    Generator gen(*cfg, **store, o.seed);
    long given = 0;
    for (const auto& d : days) {
        const long today = (o.tickets * (minutes ? d.open_minutes : 0)) / std::max(1L, minutes);
        given += today;
        if (auto r = gen.day(d, today); !r) {
            std::fprintf(stderr, "bench_stats: storing %s: %s\n", d.date.iso().c_str(), r.error().message.c_str());
            return 1;
        }
    }
    const double gen_s = std::chrono::duration<double>(Steady::now() - g0).count();
    store->reset();
    std::error_code ec;
    const auto db_bytes = std::filesystem::file_size(data / "office.db", ec);
    std::printf("store: %d open days of %d, %ld tickets, %ld events, office.db %.1f MB (made in %.1f s) in %s\n",
                static_cast<int>(days.size()), o.year, gen.tickets(), gen.events(), static_cast<double>(db_bytes) / 1e6, gen_s,
                data.c_str());

    const std::string from = std::to_string(o.year) + "-01-01", to = std::to_string(o.year) + "-12-31";
    const std::string now = std::to_string(o.year + 1) + "-01-02T09:00";
    struct Case {
        std::string name;
        std::vector<std::string> argv;
    };
    const std::vector<Case> cases{
        {"stats --by day (csv)", {o.kiosk, "--assets", assets, "--data", data.string(), "stats", "--from", from, "--to", to, "--by", "day"}},
        {"stats --by hour (csv)", {o.kiosk, "--assets", assets, "--data", data.string(), "stats", "--from", from, "--to", to, "--by", "hour"}},
        {"stats --by operator (json)", {o.kiosk, "--assets", assets, "--data", data.string(), "stats", "--from", from, "--to", to, "--by", "operator", "--format", "json"}},
        {"report --month " + std::to_string(o.year) + "-12 (PDF, reads Jan–Dec)",
         {o.kiosk, "--assets", assets, "--data", data.string(), "report", "--month", std::to_string(o.year) + "-12", "--output", (o.dir / "report.pdf").string()}},
        // The service menu's Export into a folder (the stick's mount and unmount are not timed):
        // December's six tables, JSON, the last day's visits and the month's report.
        {"export December into a folder (9 files)",
         {o.kiosk, "--assets", assets, "--data", data.string(), "export", (o.dir / "export").string(), "--from",
          std::to_string(o.year) + "-12-01", "--to", to}},
        {"export the whole year into a folder",
         {o.kiosk, "--assets", assets, "--data", data.string(), "export", (o.dir / "export").string(), "--from", from, "--to", to}},
    };
    std::filesystem::create_directories(o.dir / "export");
    // The first statistics over the year fold every day and save their records (store_stats);
    // the runs after it read the saved records. Timed apart.
    {
        const Timing first = run(cases.front().argv, now);
        if (!WIFEXITED(first.status) || WEXITSTATUS(first.status) != 0) {
            std::fprintf(stderr, "bench_stats: the first run failed (status %d)\n", first.status);
            return 1;
        }
        std::error_code size_ec;
        const auto after = std::filesystem::file_size(data / "office.db", size_ec);
        std::printf("first run, %s: wall %.0f ms, cpu %.0f ms (folds the year's events, saves each day's records; office.db now %.1f MB)\n",
                    cases.front().name.c_str(), first.wall_ms, first.cpu_ms, static_cast<double>(after) / 1e6);
    }
    std::printf("%-44s %10s %10s   (median of %d runs; each run's wall/cpu ms)\n", "command", "wall ms", "cpu ms", o.runs);
    for (const auto& c : cases) {
        std::vector<double> wall, cpu;
        std::string each;
        for (int r = 0; r < o.runs; ++r) {
            const Timing t = run(c.argv, now);
            if (!WIFEXITED(t.status) || WEXITSTATUS(t.status) != 0) {
                std::fprintf(stderr, "bench_stats: %s failed (status %d)\n", c.name.c_str(), t.status);
                return 1;
            }
            wall.push_back(t.wall_ms);
            cpu.push_back(t.cpu_ms);
            char buf[48];
            std::snprintf(buf, sizeof buf, " %.0f/%.0f", t.wall_ms, t.cpu_ms);
            each += buf;
        }
        std::printf("%-44s %10.0f %10.0f  %s\n", c.name.c_str(), median(wall), median(cpu), each.c_str());
    }
    // Where the time goes, in this process (wall / this thread's CPU, medians).
    {
        auto cpu_ms = [] {
            timespec ts{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
            return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
        };
        auto wall_ms = [](Steady::time_point t0) { return std::chrono::duration<double, std::milli>(Steady::now() - t0).count(); };
        std::vector<double> open_w, open_c, read_w, read_c, table_w, table_c;
        const Millis at = cfg->timezone.from_local(Date{o.year + 1, 1, 2}, 9 * 60);
        std::size_t visits = 0;
        for (int r = 0; r < o.runs; ++r) {
            auto t0 = Steady::now();
            double c0 = cpu_ms();
            auto st = Store::open(data, StoreAccess::ReadOnly);
            open_w.push_back(wall_ms(t0));
            open_c.push_back(cpu_ms() - c0);
            if (!st) {
                std::fprintf(stderr, "bench_stats: %s\n", st.error().message.c_str());
                return 1;
            }
            t0 = Steady::now();
            c0 = cpu_ms();
            auto log = app::read_stats_log_saving(**st, false, *cfg, {Date{o.year, 1, 1}, Date{o.year, 12, 31}}, at);
            read_w.push_back(wall_ms(t0));
            read_c.push_back(cpu_ms() - c0);
            if (!log) {
                std::fprintf(stderr, "bench_stats: %s\n", log.error().message.c_str());
                return 1;
            }
            visits = log->visits.size();
            t0 = Steady::now();
            c0 = cpu_ms();
            const auto table = stats::compute_stats(*log, *cfg, stats::Grouping::Day, Date{o.year, 1, 1}.key(), Date{o.year, 12, 31}.key());
            table_w.push_back(wall_ms(t0));
            table_c.push_back(cpu_ms() - c0);
            if (table.total.issued == 0) std::fprintf(stderr, "bench_stats: no tickets read back\n");
        }
        std::printf("in process (median of %d; wall / cpu ms): open the store (PRAGMA quick_check included) %.0f / %.0f; "
                    "read the year's saved records (%zu visits) %.0f / %.0f; table by day %.0f / %.0f\n",
                    o.runs, median(open_w), median(open_c), visits, median(read_w), median(read_c), median(table_w), median(table_c));
    }
    // Compaction (last: it deletes the queue's events): the site file with compact_after_days =
    // 62, on 2 January of the next year, so the year's days up to late October go; then the
    // year's statistics again, from the records.
    {
        std::ifstream in(std::filesystem::path(assets) / "site" / "office.toml");
        std::string site((std::istreambuf_iterator<char>(in)), {});
        const auto at_stats = site.find("[statistics]\n");
        if (at_stats == std::string::npos) site += "\n[statistics]\ncompact_after_days = 62\n";
        else site.insert(at_stats + 13, "compact_after_days = 62\n");
        const auto site_file = o.dir / "office-compact.toml";
        std::ofstream(site_file) << site;
        auto events = [&] {
            auto st = Store::open(data, StoreAccess::ReadOnly);
            if (!st) return std::int64_t{-1};
            sqlite3_stmt* q = nullptr;
            std::int64_t n = -1;
            if (sqlite3_prepare_v2((*st)->handle(), "SELECT COUNT(*) FROM events", -1, &q, nullptr) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
                n = sqlite3_column_int64(q, 0);
            sqlite3_finalize(q);
            return n;
        };
        const std::int64_t before = events();
        const Timing t = run({o.kiosk, "--assets", assets, "--config", site_file.string(), "--data", data.string(), "compact"}, now);
        if (!WIFEXITED(t.status) || WEXITSTATUS(t.status) != 0) {
            std::fprintf(stderr, "bench_stats: kiosk compact failed (status %d)\n", t.status);
            return 1;
        }
        std::error_code size_ec;
        std::printf("compact (compact_after_days = 62): wall %.0f ms, cpu %.0f ms; events %lld -> %lld; office.db %.1f MB "
                    "(the file keeps its size: new events reuse the freed pages)\n",
                    t.wall_ms, t.cpu_ms, static_cast<long long>(before), static_cast<long long>(events()),
                    static_cast<double>(std::filesystem::file_size(data / "office.db", size_ec)) / 1e6);
        std::vector<double> wall;
        for (int r = 0; r < o.runs; ++r) {
            const Timing s2 = run(cases.front().argv, now);
            if (!WIFEXITED(s2.status) || WEXITSTATUS(s2.status) != 0) {
                std::fprintf(stderr, "bench_stats: stats after compaction failed (status %d)\n", s2.status);
                return 1;
            }
            wall.push_back(s2.wall_ms);
        }
        std::printf("%-44s %10.0f   (median of %d runs, wall ms)\n", "stats --by day after compaction", median(wall), o.runs);
    }
    if (!o.keep) std::filesystem::remove_all(o.dir);
    else std::printf("kept: %s\n", o.dir.c_str());
    (void)given;
    return 0;
}
