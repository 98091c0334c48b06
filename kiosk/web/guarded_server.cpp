#include "kiosk/web/guarded_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>

namespace csc::web {

namespace {

using Steady = std::chrono::steady_clock;

// Threads beyond the live pages' ones: every other request, and the slow or idle connections of
// up to this many / idle_per_address addresses at once before others wait in the queue.
constexpr int kAnsweringThreads = 128;
constexpr int kPollSliceMs = 500;  // a connection waiting for a request notices a stop within this

// poll() one event on `sock`, the time in ms; false on timeout or error.
bool wait_for(int sock, short events, int ms) {
    pollfd p{sock, events, 0};
    while (true) {
        const int r = poll(&p, 1, std::max(0, ms));
        if (r < 0 && errno == EINTR) continue;
        return r > 0 && (p.revents & events);
    }
}

std::string peer_address(int sock) {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (getpeername(sock, reinterpret_cast<sockaddr*>(&a), &len) != 0) return {};
    char text[INET6_ADDRSTRLEN] = {};
    if (a.ss_family == AF_INET) inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&a)->sin_addr, text, sizeof text);
    else if (a.ss_family == AF_INET6) inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&a)->sin6_addr, text, sizeof text);
    return text;
}

void ip_and_port(int sock, bool remote, std::string& ip, int& port) {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    const int r = remote ? getpeername(sock, reinterpret_cast<sockaddr*>(&a), &len)
                         : getsockname(sock, reinterpret_cast<sockaddr*>(&a), &len);
    if (r != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (a.ss_family == AF_INET) {
        const auto* v4 = reinterpret_cast<sockaddr_in*>(&a);
        inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
        port = ntohs(v4->sin_port);
    } else if (a.ss_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<sockaddr_in6*>(&a);
        inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
        port = ntohs(v6->sin6_port);
    }
    ip = text;
}

// The library's SocketStream with a deadline and a byte budget per request: its reads time out
// per read, so one byte every few seconds (or an endless header list) would hold a thread forever.
// Plain (recv/send on a blocking socket after poll) or TLS (OpenSSL on a non-blocking socket).
class DeadlineStream final : public httplib::Stream {
public:
    DeadlineStream(int sock, SSL* ssl, int read_timeout_ms, int write_timeout_ms)
        : sock_(sock), ssl_(ssl), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

    void next_request(Steady::time_point deadline, std::size_t budget) {
        deadline_ = deadline;
        budget_ = budget;
    }
    [[nodiscard]] bool has_buffered() const { return off_ < len_ || (ssl_ && SSL_pending(ssl_) > 0); }
    /// A read failed (over budget, too slow, or the peer gone): the connection ends after this request.
    [[nodiscard]] bool cut() const { return cut_; }

    bool is_readable() const override { return has_buffered() || wait_for(sock_, POLLIN, ms_left()); }
    bool is_writable() const override { return wait_for(sock_, POLLOUT, write_timeout_ms_) && alive(); }

    ssize_t read(char* ptr, std::size_t size) override {
        if (off_ >= len_) {
            // Over budget or past the deadline: the request fails (400, or the connection closes).
            const ssize_t got = budget_ > 0 ? receive(std::min(sizeof buffer_, budget_)) : -1;
            if (got <= 0) {
                cut_ = true;
                return -1;
            }
            budget_ -= static_cast<std::size_t>(got);
            off_ = 0;
            len_ = static_cast<std::size_t>(got);
        }
        const std::size_t n = std::min(size, len_ - off_);
        std::memcpy(ptr, buffer_ + off_, n);
        off_ += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, std::size_t size) override {
        if (!ssl_) {
            if (!wait_for(sock_, POLLOUT, write_timeout_ms_)) return -1;
            return send(sock_, ptr, size, MSG_NOSIGNAL);
        }
        // SSL_write is retried with the same buffer until it has taken all of it (no partial writes).
        const auto until = Steady::now() + std::chrono::milliseconds(write_timeout_ms_);
        while (true) {
            const int n = SSL_write(ssl_, ptr, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
            if (n > 0) return n;
            const int err = SSL_get_error(ssl_, n);
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Steady::now()).count();
            if (left <= 0 || (err != SSL_ERROR_WANT_WRITE && err != SSL_ERROR_WANT_READ)) return -1;
            if (!wait_for(sock_, err == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, static_cast<int>(left))) return -1;
        }
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { ip_and_port(sock_, true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { ip_and_port(sock_, false, ip, port); }
    socket_t socket() const override { return sock_; }

private:
    // The wait a read may make: the per-read timeout, never past the request's deadline.
    [[nodiscard]] int ms_left() const {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Steady::now()).count();
        return static_cast<int>(std::clamp<long long>(left, 0, read_timeout_ms_));
    }
    // Up to `n` bytes into buffer_, waiting at most ms_left() for each; ≤ 0 when none came in time.
    ssize_t receive(std::size_t n) {
        if (!ssl_) return Steady::now() < deadline_ && wait_for(sock_, POLLIN, ms_left()) ? recv(sock_, buffer_, n, 0) : -1;
        while (Steady::now() < deadline_) {
            const int got = SSL_read(ssl_, buffer_, static_cast<int>(n));
            if (got > 0) return got;
            const int err = SSL_get_error(ssl_, got);
            if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return -1;  // closed, or a TLS error
            if (!wait_for(sock_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, ms_left())) return -1;
        }
        return -1;
    }
    // A live page's client never sends after its request: readable + nothing to read = gone.
    [[nodiscard]] bool alive() const {
        if (!wait_for(sock_, POLLIN, 0)) return true;
        if (!ssl_) {
            char c;
            return recv(sock_, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
        }
        char c;
        const int n = SSL_peek(ssl_, &c, 1);
        if (n > 0) return true;
        const int err = SSL_get_error(ssl_, n);
        return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE;  // a TLS record without data (a ticket)
    }

    int sock_;
    SSL* ssl_;  // null: plain HTTP
    int read_timeout_ms_;  // per read, as the library's, and the deadline of the whole request
    int write_timeout_ms_;
    Steady::time_point deadline_ = Steady::now();
    std::size_t budget_ = 0;
    char buffer_[4096];
    std::size_t off_ = 0, len_ = 0;
    bool cut_ = false;
};

// The server's settings a connection is served with (the library's timeouts and counts).
struct ConnectionSettings {
    int first_ms = 0, write_ms = 0, keep_alive_ms = 0;
    std::size_t keep_alive_max = 0, budget = 0;
    int request_timeout_s = 10;
};

// The library's timeouts and counts of a server, with `limits`.
ConnectionSettings settings_of(const ConnectionLimits& limits, time_t read_s, time_t read_us, time_t write_s, time_t write_us,
                               time_t keep_alive_s, std::size_t keep_alive_max, std::size_t payload_max) {
    ConnectionSettings cs;
    cs.first_ms = static_cast<int>(read_s * 1000 + read_us / 1000);
    cs.write_ms = static_cast<int>(write_s * 1000 + write_us / 1000);
    cs.keep_alive_ms = static_cast<int>(keep_alive_s * 1000);
    cs.keep_alive_max = keep_alive_max;
    cs.budget = limits.max_head_bytes + std::min(payload_max, std::size_t{1} << 40);
    cs.request_timeout_s = limits.request_timeout_s;
    return cs;
}

// Serves the requests of one connection (plain or TLS) under the limits; `slot_taken`: the
// address's idle slot is already held (the TLS handshake took it). `listening()` is false once
// the server stops; `process` is the library's process_request. Returns its last answer's `ok`.
template <class Listening, class Process>
bool serve_connection(int sock, SSL* ssl, const ConnectionSettings& cs, IdleSlots& slots, const std::string& address,
                      bool slot_taken, Listening listening, Process process) {
    bool ok = false;
    bool idle = slot_taken || slots.take(address);  // over the address's slots: closed before reading anything
    if (!idle) return false;
    DeadlineStream strm(sock, ssl, cs.first_ms, cs.write_ms);
    for (std::size_t count = cs.keep_alive_max; count > 0; --count) {
        // The next request's first byte: a sleep in poll(), in slices so that stop() is seen.
        const auto until = Steady::now() + std::chrono::milliseconds(count == cs.keep_alive_max ? cs.first_ms : cs.keep_alive_ms);
        bool ready = strm.has_buffered();
        while (!ready && listening() && Steady::now() < until) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Steady::now()).count();
            ready = wait_for(sock, POLLIN, static_cast<int>(std::min<long long>(left, kPollSliceMs)));
        }
        if (!ready || !listening()) break;
        if (!idle && !(idle = slots.take(address))) break;
        strm.next_request(Steady::now() + std::chrono::seconds(cs.request_timeout_s), cs.budget);
        bool closed = false;
        // Once the head is read the connection is answering, no longer one of the address's idle ones.
        ok = process(strm, count == 1, closed, [&](httplib::Request&) {
            slots.give(address);
            idle = false;
        });
        if (!ok || closed || strm.cut()) break;
    }
    if (idle) slots.give(address);
    return ok;
}

// The TLS handshake on non-blocking `sock` within `deadline`; the SSL, or null (nothing to free).
SSL* accept_tls(SSL_CTX* ctx, int sock, Steady::time_point deadline) {
    SSL* ssl = SSL_new(ctx);
    if (!ssl) return nullptr;
    const int flags = fcntl(sock, F_GETFL, 0);
    if (flags < 0 || fcntl(sock, F_SETFL, flags | O_NONBLOCK) < 0 || SSL_set_fd(ssl, sock) != 1) {
        SSL_free(ssl);
        return nullptr;
    }
    while (Steady::now() < deadline) {
        const int r = SSL_accept(ssl);
        if (r == 1) return ssl;
        const int err = SSL_get_error(ssl, r);
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) break;  // not TLS, or refused
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now()).count();
        if (!wait_for(sock, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, static_cast<int>(std::max<long long>(left, 0))))
            break;
    }
    SSL_free(ssl);
    return nullptr;
}

}  // namespace

bool IdleSlots::take(const std::string& address) {
    std::lock_guard lock(mutex_);
    int& n = taken_[address];
    if (n >= per_address_) return false;
    ++n;
    return true;
}

void IdleSlots::give(const std::string& address) {
    std::lock_guard lock(mutex_);
    if (auto it = taken_.find(address); it != taken_.end() && --it->second <= 0) taken_.erase(it);
}

bool GuardedServer::widen_backlog(int backlog) { return svr_sock_ != INVALID_SOCKET && ::listen(svr_sock_, backlog) == 0; }
bool GuardedTlsServer::widen_backlog(int backlog) { return svr_sock_ != INVALID_SOCKET && ::listen(svr_sock_, backlog) == 0; }

bool GuardedServer::process_and_close_socket(socket_t sock) {
    const ConnectionSettings cs = settings_of(limits_, read_timeout_sec_, read_timeout_usec_, write_timeout_sec_,
                                              write_timeout_usec_, keep_alive_timeout_sec_, keep_alive_max_count_,
                                              payload_max_length_);
    const bool ok = serve_connection(
        sock, nullptr, cs, slots_, peer_address(sock), false, [this] { return svr_sock_ != INVALID_SOCKET; },
        [this](httplib::Stream& s, bool last, bool& closed, const std::function<void(httplib::Request&)>& setup) {
            return process_request(s, last, closed, setup);
        });
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

bool GuardedTlsServer::process_and_close_socket(socket_t sock) {
    const ConnectionSettings cs = settings_of(limits_, read_timeout_sec_, read_timeout_usec_, write_timeout_sec_,
                                              write_timeout_usec_, keep_alive_timeout_sec_, keep_alive_max_count_,
                                              payload_max_length_);
    const std::string address = peer_address(sock);
    bool ok = false;
    // The handshake is a client's first bytes: it takes the address's idle slot and must end
    // within the first request's deadline (a client that never finishes it holds a thread that long).
    if (slots_.take(address)) {
        // Its first byte within the read timeout, as a plain request's; then the whole handshake
        // within the request's deadline.
        SSL* ssl = wait_for(sock, POLLIN, cs.first_ms)
                       ? accept_tls(ssl_context(), sock, Steady::now() + std::chrono::seconds(cs.request_timeout_s))
                       : nullptr;
        if (ssl) {
            ok = serve_connection(
                sock, ssl, cs, slots_, address, true, [this] { return svr_sock_ != INVALID_SOCKET; },
                [this](httplib::Stream& s, bool last, bool& closed, const std::function<void(httplib::Request&)>& setup) {
                    return process_request(s, last, closed, setup);
                });
            (void)SSL_shutdown(ssl);  // one close_notify, never waited for
            SSL_free(ssl);
        } else {
            slots_.give(address);
        }
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

int pool_threads(int max_streams) { return max_streams + kAnsweringThreads; }

long raise_open_files_limit(long needed) {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) != 0) return -1;
    if (r.rlim_cur != RLIM_INFINITY && r.rlim_cur < static_cast<rlim_t>(needed)) {
        r.rlim_cur = r.rlim_max == RLIM_INFINITY ? static_cast<rlim_t>(needed) : std::min<rlim_t>(r.rlim_max, static_cast<rlim_t>(needed));
        setrlimit(RLIMIT_NOFILE, &r);
        getrlimit(RLIMIT_NOFILE, &r);
    }
    return r.rlim_cur == RLIM_INFINITY ? std::numeric_limits<long>::max() : static_cast<long>(r.rlim_cur);
}

}  // namespace csc::web
