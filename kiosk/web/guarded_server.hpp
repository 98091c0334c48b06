// guarded_server.hpp — cpp-httplib's HTTP server with the limits the library (0.11, Debian 12)
// lacks: a deadline for a whole request, a bound on the bytes of a request's head, idle
// connections per client address; and the thread pool and descriptors that many live pages need.
//
// Contents: ConnectionLimits, IdleSlots, GuardedServer, GuardedTlsServer, pool_threads(), raise_open_files_limit().
// Contract: GuardedServer answers exactly as httplib::Server does (the same routes, handlers and
// process_request()); only the connection loop is its own: a request (line, headers, body) must
// arrive within `request_timeout_s` from its first byte and within `max_head_bytes` +
// payload-max bytes, else the connection is closed (a slow or endless client holds a thread for
// at most that long, and is closed after it); a client address has at most `idle_per_address`
// connections waiting for their first request or reading one, more are closed at once (a kept-alive
// connection waiting for its next request is not counted: it needed an answered request, which
// the rate limit bounds); between requests a
// connection sleeps in poll() (the library's loop wakes every 10 ms) for at most the keep-alive
// timeout, and serves at most the keep-alive count. GuardedTlsServer does the same over TLS (the
// handshake inside the first request's deadline).
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

/// The idle connections of each client address (waiting for a first request or reading one).
class IdleSlots {
public:
    explicit IdleSlots(int per_address) : per_address_(per_address) {}
    /// Takes one slot of `address`; false = the address has all its slots.
    bool take(const std::string& address);
    void give(const std::string& address);

private:
    int per_address_;
    std::mutex mutex_;
    std::map<std::string, int> taken_;
};

/// httplib::Server whose connections are served under ConnectionLimits.
class GuardedServer : public httplib::Server {
public:
    /// A server that will apply `limits` to every connection.
    explicit GuardedServer(ConnectionLimits limits) : limits_(limits), slots_(limits.idle_per_address) {}
    /// After bind_to_port(): lets `backlog` connections wait for accept() (the library listens
    /// with 5: a thousand phones reconnecting at once would see dropped SYNs and 1 s retries).
    bool widen_backlog(int backlog);

private:
    bool process_and_close_socket(socket_t sock) override;

    ConnectionLimits limits_;
    IdleSlots slots_;
};

/// httplib::SSLServer (the office's certificate) under the same ConnectionLimits: the TLS
/// handshake counts in the first request's deadline and takes the address's idle slot; the
/// requests are then read and answered as GuardedServer's, through OpenSSL on a non-blocking socket.
class GuardedTlsServer : public httplib::SSLServer {
public:
    /// The certificate and key files (PEM); is_valid() says whether they could be used.
    GuardedTlsServer(const char* cert_file, const char* key_file, ConnectionLimits limits)
        : httplib::SSLServer(cert_file, key_file), limits_(limits), slots_(limits.idle_per_address) {}
    /// As GuardedServer::widen_backlog.
    bool widen_backlog(int backlog);

private:
    bool process_and_close_socket(socket_t sock) override;

    ConnectionLimits limits_;
    IdleSlots slots_;
};

/// The worker threads for `max_streams` live pages (each holds a thread, mostly asleep on the
/// office's change) plus the ones that answer every other request.
[[nodiscard]] int pool_threads(int max_streams);

/// Raises this process's soft limit of open files towards the hard one so that `needed`
/// descriptors fit (systemd's default soft limit is 1024). Returns the limit now in force.
long raise_open_files_limit(long needed);

}  // namespace csc::web
