// bench_web — 1,000 phones following their turn (docs/PERFORMANCE.md, "Web (issue 15)").
//
//   bench_web [PAGES] [CALLS] [RUNS]        defaults 1000 pages, 30 calls, 3 runs
//   (CSC_BENCH_VERBOSE=1: each call's time on stderr)
//
// Per run, on a fresh store, on loopback: the real `kiosk serve` (another process, following the
// store as it does in the office) and, in this process, the entrance and counter 1 on the same
// store (Office::issue, Office::call_next: fsync'd appends, as the kiosks make them).
//   1. PAGES tickets issued in sector "anagrafe" (the queue every page is in).
//   2. Without pages: the counter calls every second while the entrance issues every 250 ms;
//      each issue is timed (tap → ticket: Office::issue, its forecast included).
//   3. PAGES live pages opened (/api/t/TOKEN/events, one per ticket, plain non-blocking sockets in
//      one epoll loop), each waiting for its first event.
//   4. The same as 2 with the pages open; for each call, the time from just before call_next()
//      until EVERY page of a ticket that was waiting has received an event whose people-ahead or
//      state changed (the call moves every one of them).
// The server's RSS and threads (/proc) are read idle, with the pages open, and at the end.
// Figures per run, then the medians of the runs.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/common/proc_stats.hpp"
#include "kiosk/app/context.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

namespace {

constexpr const char* kOpenTime = "2026-11-26T09:00";  // a Thursday: open until 12:30

double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5))];
}

double ms_since(Steady::time_point t0, Steady::time_point t1) { return std::chrono::duration<double, std::milli>(t1 - t0).count(); }

// One live page: a socket, what arrived and not yet parsed, and the page's last people-ahead/state.
struct Page {
    int fd = -1;
    std::string token, ticket_id, buffer;
    std::string state;
    int ahead = -1;
    int events = 0;
    bool closed = false;
};

// A change a page saw: its index and when (for a call: the first change after it).
struct Change {
    int page;
    Steady::time_point at;
};

// The epoll loop over every page: parses "data: {...}\n\n" out of the chunked stream (one event
// per chunk, so an event's bytes are contiguous) and logs each change of ahead/state.
class Pages {
public:
    explicit Pages(int port) : port_(port) { ep_ = epoll_create1(0); }
    ~Pages() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        for (auto& p : pages_)
            if (p.fd >= 0) close(p.fd);
        close(ep_);
    }

    // Opens one page per token, `batch` connects at a time (each waits until it has its first event).
    bool open(const std::vector<std::pair<std::string, std::string>>& tickets) {
        pages_.resize(tickets.size());
        thread_ = std::thread([this] { loop(); });
        for (std::size_t i = 0; i < tickets.size(); ++i) {
            Page& p = pages_[i];
            p.ticket_id = tickets[i].first;
            p.token = tickets[i].second;
            p.fd = socket(AF_INET, SOCK_STREAM, 0);
            if (p.fd < 0) {
                std::perror("bench_web: socket");
                return false;
            }
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(static_cast<std::uint16_t>(port_));
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (connect(p.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
                std::perror("bench_web: connect");
                return false;
            }
            const std::string req = "GET /api/t/" + p.token +
                                    "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
            if (send(p.fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
                std::perror("bench_web: send");
                return false;
            }
            fcntl(p.fd, F_SETFL, fcntl(p.fd, F_GETFL) | O_NONBLOCK);
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.u32 = static_cast<std::uint32_t>(i);
            epoll_ctl(ep_, EPOLL_CTL_ADD, p.fd, &ev);
            // Phones do not all arrive in the same millisecond: a few at a time.
            if (i % 50 == 49) {
                const auto until = Steady::now() + 10s;
                while (with_first_event() < static_cast<int>(i + 1) && Steady::now() < until) std::this_thread::sleep_for(5ms);
            }
        }
        const auto until = Steady::now() + 30s;
        while (with_first_event() < static_cast<int>(pages_.size()) && Steady::now() < until) std::this_thread::sleep_for(10ms);
        return with_first_event() == static_cast<int>(pages_.size());
    }

    [[nodiscard]] int with_first_event() const { return first_events_.load(); }
    [[nodiscard]] int closed() const { return closed_.load(); }
    [[nodiscard]] std::size_t size() const { return pages_.size(); }

    // The page of a ticket id, or -1.
    [[nodiscard]] int index_of(const std::string& ticket_id) const {
        for (std::size_t i = 0; i < pages_.size(); ++i)
            if (pages_[i].ticket_id == ticket_id) return static_cast<int>(i);
        return -1;
    }

    // The time until every page in `expected` has seen a change after t0 (ms), or -1 after `limit`;
    // with the first page's time and how many had it within 100 ms.
    double all_changed_after(Steady::time_point t0, const std::vector<int>& expected, std::chrono::milliseconds limit,
                             int& missing, double* first_ms = nullptr, int* within_100ms = nullptr) {
        std::vector<char> seen(pages_.size(), 0);
        Steady::time_point first = Steady::time_point::max();
        int fast = 0;
        std::size_t from = 0, have = 0;
        Steady::time_point last = t0;
        const auto until = t0 + limit;
        std::vector<char> want(pages_.size(), 0);
        for (int i : expected) want[static_cast<std::size_t>(i)] = 1;
        while (true) {
            {
                std::lock_guard lock(mutex_);
                for (; from < changes_.size(); ++from) {
                    const Change& c = changes_[from];
                    if (c.at < t0 || !want[static_cast<std::size_t>(c.page)] || seen[static_cast<std::size_t>(c.page)]) continue;
                    seen[static_cast<std::size_t>(c.page)] = 1;
                    last = std::max(last, c.at);
                    first = std::min(first, c.at);
                    if (c.at - t0 <= 100ms) ++fast;
                    ++have;
                }
            }
            if (have == expected.size()) {
                if (first_ms) *first_ms = have ? ms_since(t0, first) : 0;
                if (within_100ms) *within_100ms = fast;
                return ms_since(t0, last);
            }
            if (Steady::now() > until) {
                missing = static_cast<int>(expected.size() - have);
                return -1;
            }
            std::this_thread::sleep_for(1ms);
        }
    }

private:
    void loop() {
        std::vector<epoll_event> evs(256);
        char buf[16384];
        while (!stop_) {
            const int n = epoll_wait(ep_, evs.data(), static_cast<int>(evs.size()), 50);
            for (int k = 0; k < n; ++k) {
                Page& p = pages_[evs[static_cast<std::size_t>(k)].data.u32];
                while (true) {
                    const ssize_t got = recv(p.fd, buf, sizeof buf, 0);
                    if (got > 0) {
                        p.buffer.append(buf, static_cast<std::size_t>(got));
                        continue;
                    }
                    if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                        if (!p.closed) ++closed_;
                        p.closed = true;
                        epoll_ctl(ep_, EPOLL_CTL_DEL, p.fd, nullptr);
                    }
                    break;
                }
                parse(evs[static_cast<std::size_t>(k)].data.u32, Steady::now());
            }
        }
    }

    void parse(std::uint32_t index, Steady::time_point now) {
        Page& p = pages_[index];
        while (true) {
            const auto start = p.buffer.find("data: ");
            if (start == std::string::npos) return;
            const auto end = p.buffer.find("\n\n", start);
            if (end == std::string::npos) return;
            const auto j = nlohmann::json::parse(p.buffer.substr(start + 6, end - start - 6), nullptr, false);
            p.buffer.erase(0, end + 2);
            if (!j.is_object()) continue;
            const std::string state = j.value("state", "");
            const int ahead = j.value("ahead", -1);
            if (p.events++ == 0) ++first_events_;
            if (state != p.state || ahead != p.ahead) {
                const bool first = p.state.empty();
                p.state = state;
                p.ahead = ahead;
                if (!first) {
                    std::lock_guard lock(mutex_);
                    changes_.push_back({static_cast<int>(index), now});
                }
            }
        }
    }

    int port_;
    int ep_ = -1;
    std::vector<Page> pages_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<int> first_events_{0}, closed_{0};
    std::mutex mutex_;
    std::vector<Change> changes_;
};

struct RunFigures {
    double tap_p50_without = 0, tap_p99_without = 0, tap_p50_with = 0, tap_p99_with = 0;
    double call_p50 = 0, call_p99 = 0, call_max = 0;
    int calls_missed = 0;
    double open_s = 0;
    long rss_idle_kb = 0, rss_pages_kb = 0, rss_end_kb = 0, threads_pages = 0;
    double serve_cpu_s = 0;
};

pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
    std::vector<std::string> a = args;
    std::vector<char*> argv;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

// The load of the office: counter 1 calls every second while the entrance issues every 250 ms.
// Returns the taps' times; `on_call` measures a call (given the called ticket's id and t0).
template <class OnCall>
std::vector<double> office_load(csc::Office& office, int calls, OnCall&& on_call) {
    std::vector<double> taps;
    csc::IssueRequest req;
    req.sector = "anagrafe";
    req.service = "certificati";
    req.channel = "kiosk";
    for (int c = 0; c < calls; ++c) {
        for (int i = 0; i < 3; ++i) {
            const auto t0 = Steady::now();
            auto issued = office.issue(req);
            taps.push_back(ms_since(t0, Steady::now()));
            if (!issued) std::cerr << "bench_web: issue: " << issued.error().message << '\n';
            std::this_thread::sleep_until(t0 + 250ms);
        }
        const auto t0 = Steady::now();
        on_call(t0);
        std::this_thread::sleep_until(t0 + 250ms);
        const auto t1 = Steady::now();
        auto issued = office.issue(req);
        taps.push_back(ms_since(t1, Steady::now()));
        if (!issued) std::cerr << "bench_web: issue: " << issued.error().message << '\n';
    }
    if (std::getenv("CSC_BENCH_VERBOSE")) {
        // The slowest taps and where they fell: 0–2 before the call (750, 500, 250 ms before it), 3 = 250 ms after it.
        std::vector<std::size_t> order(taps.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return taps[a] > taps[b]; });
        std::fprintf(stderr, "slowest taps:");
        for (std::size_t k = 0; k < std::min<std::size_t>(5, order.size()); ++k)
            std::fprintf(stderr, " %.1f ms (call %zu, slot %zu)", taps[order[k]], order[k] / 4 + 1, order[k] % 4);
        std::fprintf(stderr, "\n");
    }
    return taps;
}

bool one_run(int n_pages, int calls, RunFigures& f) {
    const fs::path dir = fs::temp_directory_path() / ("csc-bench-web-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path config = dir / "office.toml", ready = dir / "ready.json";
    {
        std::ifstream site(fs::path(CSC_SOURCE_ASSETS) / "site" / "office.toml");
        std::ofstream out(config);
        out << site.rdbuf() << "\n[web]\nmax_streams = " << n_pages << "\nrequests_per_minute = 100000\n";
    }
    csc::app::GlobalOptions options;
    options.config = config;
    options.data = dir / "data";
    options.assets = CSC_SOURCE_ASSETS;
    options.device = "bench-entrance";
    auto ctx = csc::app::open_context(options);
    if (!ctx) {
        std::cerr << "bench_web: " << ctx.error().message << '\n';
        return false;
    }
    csc::Office& office = *(*ctx)->office;
    const pid_t pid = spawn({CSC_KIOSK_BINARY, "--assets", CSC_SOURCE_ASSETS, "--config", config.string(), "--data",
                             options.data.string(), "--device", "web-1", "serve", "--listen", "127.0.0.1:0",
                             "--ready-file", ready.string()},
                            dir / "serve.log");
    if (pid <= 0) {
        std::cerr << "bench_web: cannot start " << CSC_KIOSK_BINARY << '\n';
        return false;
    }
    const auto started = Steady::now();
    while (!fs::exists(ready) && Steady::now() - started < 30s) std::this_thread::sleep_for(10ms);
    int port = 0;
    try {
        port = nlohmann::json::parse(std::ifstream(ready)).at("port").get<int>();
    } catch (const std::exception&) {
        std::cerr << "bench_web: kiosk serve did not start (" << (dir / "serve.log") << ")\n";
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        return false;
    }

    std::vector<std::pair<std::string, std::string>> tickets;  // id, token
    csc::IssueRequest req;
    req.sector = "anagrafe";
    req.service = "certificati";
    req.channel = "kiosk";
    for (int i = 0; i < n_pages; ++i) {
        auto issued = office.issue(req);
        if (!issued) {
            std::cerr << "bench_web: issue: " << issued.error().message << '\n';
            return false;
        }
        tickets.emplace_back(issued->ticket.id, issued->ticket.token);
    }
    if (auto r = office.open_counter(1); !r) std::cerr << "bench_web: " << r.error().message << '\n';
    std::this_thread::sleep_for(1s);
    f.rss_idle_kb = csc::bench::status_kb(pid, "VmRSS");
    const long cpu0 = csc::bench::cpu_ticks(pid);

    // 2. Without pages. Each call's ticket is finished at once (a counter's minutes, compressed).
    auto call = [&office](Steady::time_point) {
        auto called = office.call_next(1);
        if (!called) std::cerr << "bench_web: call: " << called.error().message << '\n';
        (void)office.start_service(1);
        (void)office.finish_service(1);
        return called ? (called->ticket ? called->ticket->id : std::string{}) : std::string{};
    };
    auto taps_without = office_load(office, calls, [&](Steady::time_point t0) { (void)call(t0); });

    // 3. The pages, one per ticket still waiting.
    std::vector<std::pair<std::string, std::string>> waiting(tickets.begin() + calls, tickets.end());
    Pages pages(port);
    const auto open0 = Steady::now();
    if (!pages.open(waiting)) {
        std::cerr << "bench_web: only " << pages.with_first_event() << " of " << waiting.size()
                  << " pages got their first event (see " << (dir / "serve.log") << ")\n";
    }
    f.open_s = ms_since(open0, Steady::now()) / 1000;
    std::this_thread::sleep_for(2s);
    f.rss_pages_kb = csc::bench::status_kb(pid, "VmRSS");
    f.threads_pages = csc::bench::status_kb(pid, "Threads");

    // 4. With the pages: each call must reach every page that was waiting.
    std::vector<double> call_ms;
    std::vector<char> done(pages.size(), 0);
    auto taps_with = office_load(office, calls, [&](Steady::time_point) {
        std::vector<int> expected;
        for (std::size_t i = 0; i < pages.size(); ++i)
            if (!done[i]) expected.push_back(static_cast<int>(i));
        const auto t0 = Steady::now();
        auto called = office.call_next(1);
        const double call_ms_only = ms_since(t0, Steady::now());
        if (!called || !called->ticket) {
            std::cerr << "bench_web: call: " << (called ? "nobody waiting" : called.error().message) << '\n';
            return;
        }
        int missing = 0, fast = 0;
        double first_ms = 0;
        const double ms = pages.all_changed_after(t0, expected, 5000ms, missing, &first_ms, &fast);
        if (ms < 0) {
            ++f.calls_missed;
            std::cerr << "bench_web: a call reached " << expected.size() - static_cast<std::size_t>(missing) << " of "
                      << expected.size() << " pages within 5 s\n";
        } else {
            call_ms.push_back(ms);
            if (std::getenv("CSC_BENCH_VERBOSE"))
                std::fprintf(stderr, "call %zu: every page in %.0f ms (call_next %.1f ms, first page %.0f ms, %d of %zu within 100 ms)\n",
                             call_ms.size(), ms, call_ms_only, first_ms, fast, expected.size());
        }
        if (int i = pages.index_of(called->ticket->id); i >= 0) done[static_cast<std::size_t>(i)] = 1;
        (void)office.start_service(1);
        (void)office.finish_service(1);
    });
    f.rss_end_kb = csc::bench::status_kb(pid, "VmRSS");
    f.serve_cpu_s = static_cast<double>(csc::bench::cpu_ticks(pid) - cpu0) / static_cast<double>(sysconf(_SC_CLK_TCK));
    if (pages.closed() > 0) std::cerr << "bench_web: " << pages.closed() << " pages were closed by the server\n";

    f.tap_p50_without = pct(taps_without, 0.5);
    f.tap_p99_without = pct(taps_without, 0.99);
    f.tap_p50_with = pct(taps_with, 0.5);
    f.tap_p99_with = pct(taps_with, 0.99);
    f.call_p50 = pct(call_ms, 0.5);
    f.call_p99 = pct(call_ms, 0.99);
    f.call_max = call_ms.empty() ? 0 : *std::max_element(call_ms.begin(), call_ms.end());

    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    fs::remove_all(dir);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    const int n_pages = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;
    const int calls = argc > 2 ? std::max(1, std::atoi(argv[2])) : 30;
    const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
    // One descriptor per page here, and as many in the server (it raises its own limit).
    rlimit nofile{};
    getrlimit(RLIMIT_NOFILE, &nofile);
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
    if (nofile.rlim_cur < static_cast<rlim_t>(n_pages + 64)) {
        std::cerr << "bench_web: " << n_pages << " pages need more open files than the hard limit " << nofile.rlim_max
                  << " (ulimit -Hn)\n";
        return 1;
    }
    setenv("CSC_NOW", kOpenTime, 1);
    signal(SIGPIPE, SIG_IGN);
    std::printf("bench_web: %d live pages, %d calls while the entrance issues every 250 ms, %d runs\n", n_pages, calls,
                runs);
    std::vector<RunFigures> all;
    for (int r = 0; r < runs; ++r) {
        RunFigures f;
        if (!one_run(n_pages, calls, f)) return 1;
        std::printf("run %d: call -> every page p50 %.0f ms, p99 %.0f ms, max %.0f ms (missed %d); tap p50/p99 "
                    "without pages %.1f/%.1f ms, with %.1f/%.1f ms; pages opened in %.1f s; server RSS idle %ld MB, "
                    "with pages %ld MB (%ld threads), end %ld MB; server CPU %.1f s\n",
                    r + 1, f.call_p50, f.call_p99, f.call_max, f.calls_missed, f.tap_p50_without, f.tap_p99_without,
                    f.tap_p50_with, f.tap_p99_with, f.open_s, f.rss_idle_kb / 1024, f.rss_pages_kb / 1024,
                    f.threads_pages, f.rss_end_kb / 1024, f.serve_cpu_s);
        std::fflush(stdout);
        all.push_back(f);
    }
    auto med = [&](auto field) {
        std::vector<double> v;
        for (const auto& f : all) v.push_back(static_cast<double>(f.*field));
        return pct(v, 0.5);
    };
    std::printf("median of %d runs: call -> every page p50 %.0f ms, p99 %.0f ms (target <= 1000); tap p99 without "
                "pages %.1f ms, with %.1f ms (%+.0f%%, target within 10%%); server RSS with %d pages %.0f MB\n",
                runs, med(&RunFigures::call_p50), med(&RunFigures::call_p99), med(&RunFigures::tap_p99_without),
                med(&RunFigures::tap_p99_with),
                100.0 * (med(&RunFigures::tap_p99_with) / std::max(1e-9, med(&RunFigures::tap_p99_without)) - 1), n_pages,
                med(&RunFigures::rss_pages_kb) / 1024);
    return 0;
}
