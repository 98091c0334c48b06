// web_server.hpp — the office's pages on the LAN: a citizen's ticket on the phone, live waits
// for the town's site, today's hours (docs/WEB.md). Built on cpp-httplib (Debian's
// libcpp-httplib-dev); pages are plain files under assets/web/.
//
// Contents: WebServer, is_feedback_post().
// Contract: only GET and HEAD (405 otherwise), but for a citizen's rating (POST
// /api/t/TOKEN/feedback, web_feedback.cpp: same origin only, a small body) and the dashboard's
// sign-in and sign-out POSTs (kAdminPostPaths, same-origin only: 403 otherwise); every answer carries a strict
// Content-Security-Policy and the usual hardening headers; without a certificate the
// connections are served by GuardedServer (guarded_server.hpp: a request within 10 s of its first
// byte and 32 KB of head, 16 idle connections per client address, keep-alive bounded), with one
// by the library's own loop (docs/WEB.md, "Security"); the body is bounded; each client address
// gets `requests_per_minute` (429 beyond); live ticket pages (server-sent events) are at most
// `max_streams` at once (503 beyond: the page falls back to polling), each on a thread of its own
// (pool_threads(): the library's default pool is 8 threads for everything) and each lasts at most
// a few minutes (the browser reconnects); a change goes out to a page at once, its forecast
// is made again at most every 20-30 s, after the change has gone out, and all pages' forecasts
// at most 50 a second and ~15% of a core; /api/waits at most every 5 s. A malformed request is answered 400,
// never crashes the program. Nothing personal is ever served:
// a ticket's page is found only by its random token, and only on the ticket's own day.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "kiosk/app/context.hpp"
#include "kiosk/web/web_views.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace csc::web {

/// True for the citizen's POST: /api/t/TOKEN/feedback (web_feedback.cpp).
[[nodiscard]] bool is_feedback_post(const httplib::Request& req);

class AdminPages;
class GuardedServer;
class GuardedTlsServer;

/// The office's pages served on one address (docs/WEB.md).
class WebServer {
public:
    /// Serves `ctx`'s office (the context must outlive the server).
    explicit WebServer(app::Context& ctx);
    ~WebServer();
    WebServer(const WebServer&) = delete;
    WebServer& operator=(const WebServer&) = delete;

    /// Binds `address:port` and starts answering on a thread of its own. Error: the address
    /// cannot be bound (in use, not this machine's, no permission), with the reason.
    Result<void> start(const std::string& address, int port);
    /// The port bound (useful with port 0 in tests).
    [[nodiscard]] int port() const { return port_; }
    /// Stops answering; open live pages end within a second.
    void stop();

private:
    void routes();
    [[nodiscard]] bool allow(const httplib::Request& req, httplib::Response& res);
    void serve_file(httplib::Response& res, const std::string& name, const std::string& lang, bool frameable);
    void ticket_events(const std::string& token, httplib::Response& res);
    /// The ticket's page data now, without its forecast (cheap: one read of the state).
    [[nodiscard]] std::optional<TicketInput> ticket_now(const std::string& token);
    /// Every ticket's page data (without forecasts) at the office's current version and minute,
    /// by token: made once per change for all live pages (each would otherwise scan the day's
    /// tickets and its queue: 1,000 pages x 1,000 tickets at every change).
    struct PageSnapshot {
        std::uint64_t version = 0;
        int minute = -1;
        std::unordered_map<std::string, TicketInput> by_token;
    };
    /// A snapshot of the office at `version` and local `minute` (one read of the state).
    [[nodiscard]] std::shared_ptr<const PageSnapshot> make_pages(std::uint64_t version, int minute);
    /// Whether any ticket of `before` shows differently in `after` (state, counter, sector,
    /// rating, people ahead) or is gone: else no page needs waking (new tickets are not watched yet).
    [[nodiscard]] static bool pages_moved(const PageSnapshot& before, const PageSnapshot& after);
    /// The live pages' one follower of the office: a new snapshot at each change of its version or
    /// minute, then every page woken at once (pages_gen_); runs until stop().
    void pump();
    /// A live page sleeps until the snapshot after `seen_gen`, at most `timeout_ms`.
    void wait_pages(std::uint32_t seen_gen, long timeout_ms);
    /// Whether a live page may make its forecast now: all pages together at a steady pace.
    [[nodiscard]] bool forecast_turn();
    /// A live page's forecast took `took`: the next turn waits so that they stay near 15% of a core.
    void forecast_spent(std::chrono::steady_clock::duration took);
    /// The ticket's forecast from one Monte Carlo run for its whole sector
    /// (Office::forecasts_for_sector), shared by every page of that queue: made again when the
    /// office changed since (`version`) or the run is older than `max_age`, by one page while the
    /// others keep their forecast; `spent` = the run's time when this call made it, else zero.
    [[nodiscard]] std::optional<WaitForecast> sector_forecast(const std::string& sector, const std::string& ticket_id,
                                                              std::uint64_t version, std::chrono::steady_clock::duration max_age,
                                                              std::chrono::steady_clock::duration& spent);
    /// The ticket's JSON ("" = no such ticket today), its forecast made afresh.
    [[nodiscard]] std::string ticket_body(const std::string& token);
    /// /api/waits in `lang`, made at most every few seconds whatever the number of clients.
    [[nodiscard]] std::string waits_body(const std::string& lang);
    [[nodiscard]] std::string pick_lang(const httplib::Request& req) const;
    /// POST /api/t/TOKEN/feedback: records the rating in the body (web_feedback.cpp).
    void feedback_post(const std::string& token, const httplib::Request& req, httplib::Response& res);

    app::Context& ctx_;
    std::unique_ptr<AdminPages> admin_;  ///< /admin: the IT dashboard (admin_pages.hpp)
    std::unique_ptr<httplib::Server> server_;
    GuardedServer* guarded_ = nullptr;         ///< server_ without a certificate (the connection limits)
    GuardedTlsServer* guarded_tls_ = nullptr;  ///< server_ with the office's certificate (the same limits)
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> streams_{0};
    int port_ = 0;

    std::mutex rate_mutex_;
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point at;
    };
    std::map<std::string, Bucket> buckets_;  ///< per client address

    std::mutex pace_mutex_;
    std::chrono::steady_clock::time_point forecast_next_;  ///< the next live page's forecast, not before
    std::mutex sector_mutex_;
    struct SectorRun {
        std::map<std::string, WaitForecast> by_id;  ///< every waiting ticket of the sector
        std::uint64_t version = 0;                  ///< the office's version it was made at
        std::chrono::steady_clock::time_point made;
        bool running = false;                       ///< a page is making it now
    };
    std::map<std::string, SectorRun> sector_runs_;  ///< guarded by sector_mutex_
    /// The newest snapshot (pump()); live pages read it without a lock.
    std::atomic<std::shared_ptr<const PageSnapshot>> pages_;
    /// Counts the snapshots; live pages sleep on it as a futex, so a change wakes 1,000 pages at
    /// once with no lock to take in turn (a condition variable's mutex made them queue: 1.5 s).
    std::atomic<std::uint32_t> pages_gen_{0};
    std::thread pump_;

    std::mutex waits_mutex_;
    struct CachedWaits {
        std::string body;
        std::uint64_t version = 0;
        std::chrono::steady_clock::time_point made;
    };
    std::map<std::string, CachedWaits> waits_cache_;  ///< per language
};

}  // namespace csc::web
