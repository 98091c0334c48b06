#include "kiosk/web/guarded_server.hpp"

#include <arpa/inet.h>
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
class DeadlineStream final : public httplib::Stream {
public:
    DeadlineStream(int sock, int read_timeout_ms, int write_timeout_ms)
        : sock_(sock), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

    void next_request(Steady::time_point deadline, std::size_t budget) {
        deadline_ = deadline;
        budget_ = budget;
    }
    [[nodiscard]] bool has_buffered() const { return off_ < len_; }
    /// A read failed (over budget, too slow, or the peer gone): the connection ends after this request.
    [[nodiscard]] bool cut() const { return cut_; }

    bool is_readable() const override { return has_buffered() || wait_for(sock_, POLLIN, ms_left()); }
    bool is_writable() const override { return wait_for(sock_, POLLOUT, write_timeout_ms_) && alive(); }

    ssize_t read(char* ptr, std::size_t size) override {
        if (!has_buffered()) {
            // Over budget or past the deadline: the request fails (400, or the connection closes).
            const ssize_t got = budget_ > 0 && Steady::now() < deadline_ && wait_for(sock_, POLLIN, ms_left())
                                    ? recv(sock_, buffer_, std::min(sizeof buffer_, budget_), 0)
                                    : -1;
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
        if (!wait_for(sock_, POLLOUT, write_timeout_ms_)) return -1;
        return send(sock_, ptr, size, MSG_NOSIGNAL);
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
    // A live page's client never sends after its request: readable + nothing to read = gone.
    [[nodiscard]] bool alive() const {
        if (!wait_for(sock_, POLLIN, 0)) return true;
        char c;
        return recv(sock_, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
    }

    int sock_;
    int read_timeout_ms_;  // per read, as the library's, and the deadline of the whole request
    int write_timeout_ms_;
    Steady::time_point deadline_ = Steady::now();
    std::size_t budget_ = 0;
    char buffer_[4096];
    std::size_t off_ = 0, len_ = 0;
    bool cut_ = false;
};

}  // namespace

bool GuardedServer::widen_backlog(int backlog) { return svr_sock_ != INVALID_SOCKET && ::listen(svr_sock_, backlog) == 0; }

bool GuardedServer::take_idle(const std::string& address) {
    std::lock_guard lock(idle_mutex_);
    int& n = idle_[address];
    if (n >= limits_.idle_per_address) return false;
    ++n;
    return true;
}

void GuardedServer::give_idle(const std::string& address) {
    std::lock_guard lock(idle_mutex_);
    if (auto it = idle_.find(address); it != idle_.end() && --it->second <= 0) idle_.erase(it);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
    const std::string address = peer_address(sock);
    const int write_ms = static_cast<int>(write_timeout_sec_ * 1000 + write_timeout_usec_ / 1000);
    const int first_ms = static_cast<int>(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000);
    const int keep_alive_ms = static_cast<int>(keep_alive_timeout_sec_ * 1000);
    const std::size_t budget = limits_.max_head_bytes + std::min(payload_max_length_, std::size_t{1} << 40);
    bool ok = false;
    bool idle = take_idle(address);  // over the address's slots: closed before reading anything
    if (idle) {
        DeadlineStream strm(sock, first_ms, write_ms);
        for (std::size_t count = keep_alive_max_count_; count > 0; --count) {
            // The next request's first byte: a sleep in poll(), in slices so that stop() is seen.
            const auto until = Steady::now() + std::chrono::milliseconds(count == keep_alive_max_count_ ? first_ms : keep_alive_ms);
            bool ready = strm.has_buffered();
            while (!ready && svr_sock_ != INVALID_SOCKET && Steady::now() < until) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Steady::now()).count();
                ready = wait_for(sock, POLLIN, static_cast<int>(std::min<long long>(left, kPollSliceMs)));
            }
            if (!ready || svr_sock_ == INVALID_SOCKET) break;
            if (!idle && !(idle = take_idle(address))) break;
            strm.next_request(Steady::now() + std::chrono::seconds(limits_.request_timeout_s), budget);
            bool closed = false;
            // Once the head is read the connection is answering, no longer one of the address's idle ones.
            ok = process_request(strm, count == 1, closed, [&](httplib::Request&) {
                give_idle(address);
                idle = false;
            });
            if (!ok || closed || strm.cut()) break;
        }
        if (idle) give_idle(address);
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
