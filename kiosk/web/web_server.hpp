// web_server.hpp — the office's pages on the LAN: a citizen's ticket on the phone, live waits
// for the town's site, today's hours (docs/WEB.md). Built on cpp-httplib (Debian's
// libcpp-httplib-dev); pages are plain files under assets/web/.
//
// Contents: WebServer.
// Contract: only GET and HEAD (405 otherwise); every answer carries a strict
// Content-Security-Policy and the usual hardening headers; request size, header count and
// time are bounded; each client address gets `requests_per_minute` (429 beyond); live ticket
// pages (server-sent events) are at most `max_streams` at once (503 beyond, the browser
// retries) and each lasts at most a few minutes (the browser reconnects). A malformed request
// is answered 400 by the library, never crashes the program. Nothing personal is ever served:
// a ticket's page is found only by its random token, and only on the ticket's own day.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "kiosk/app/context.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace csc::web {

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
    [[nodiscard]] std::string ticket_body(const std::string& token, std::uint64_t* version = nullptr);
    [[nodiscard]] std::string waits_body(const std::string& lang);
    [[nodiscard]] std::string pick_lang(const httplib::Request& req) const;

    app::Context& ctx_;
    std::unique_ptr<httplib::Server> server_;
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
};

}  // namespace csc::web
