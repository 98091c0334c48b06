// guarded_server.hpp — cpp-httplib's HTTP server with the limits the library (0.11, Debian 12)
// lacks: a deadline for a whole request, a bound on the bytes of a request's head, idle
// connections per client address; and the thread pool and descriptors that many live pages need.
//
// Contents: ConnectionLimits, GuardedServer, pool_threads(), raise_open_files_limit().
// Contract: GuardedServer answers exactly as httplib::Server does (the same routes, handlers and
// process_request()); only the connection loop is its own: a request (line, headers, body) must
// arrive within `request_timeout_s` from its first byte and within `max_head_bytes` +
// payload-max bytes, else the connection is closed (a slow or endless client holds a thread for
// at most that long, and is closed after it); a client address has at most `idle_per_address`
// connections waiting for their first request or reading one, more are closed at once (a kept-alive
// connection waiting for its next request is not counted: it needed an answered request, which
// the rate limit bounds); between requests a
// connection sleeps in poll() (the library's loop wakes every 10 ms) for at most the keep-alive
// timeout, and serves at most the keep-alive count. Plain HTTP only: with a certificate the
// library's httplib::SSLServer serves, with the library's limits (docs/WEB.md, "Security").
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include <httplib.h>

namespace csc::web {

/// What one client may take of the server.
struct ConnectionLimits {
    int request_timeout_s = 10;           ///< a request's head and body, from its first byte
    std::size_t max_head_bytes = 32 * 1024;  ///< request line + header lines, all together
    int idle_per_address = 16;            ///< connections of one address waiting for a first request or reading one
};

/// httplib::Server whose connections are served under ConnectionLimits.
class GuardedServer : public httplib::Server {
public:
    /// A server that will apply `limits` to every connection.
    explicit GuardedServer(ConnectionLimits limits) : limits_(limits) {}
    /// After bind_to_port(): lets `backlog` connections wait for accept() (the library listens
    /// with 5: a thousand phones reconnecting at once would see dropped SYNs and 1 s retries).
    bool widen_backlog(int backlog);

private:
    bool process_and_close_socket(socket_t sock) override;
    /// Takes one idle slot of `address`; false = the address has all its slots.
    bool take_idle(const std::string& address);
    void give_idle(const std::string& address);

    ConnectionLimits limits_;
    std::mutex idle_mutex_;
    std::map<std::string, int> idle_;  ///< per client address: connections waiting for or reading a request
};

/// The worker threads for `max_streams` live pages (each holds a thread, mostly asleep on the
/// office's change) plus the ones that answer every other request.
[[nodiscard]] int pool_threads(int max_streams);

/// Raises this process's soft limit of open files towards the hard one so that `needed`
/// descriptors fit (systemd's default soft limit is 1024). Returns the limit now in force.
long raise_open_files_limit(long needed);

}  // namespace csc::web
