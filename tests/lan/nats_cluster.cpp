#include "tests/lan/nats_cluster.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>

namespace csc::testing {

namespace {

bool port_free(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
}

int connect_local(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

// GET /healthz on the monitoring port: 200 once JetStream is ready on that node.
bool healthz(int port) {
    const int fd = connect_local(port);
    if (fd < 0) return false;
    timeval tv{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const char req[] = "GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (write(fd, req, sizeof req - 1) < 0) {
        close(fd);
        return false;
    }
    char buf[512];
    const ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return false;
    buf[n] = 0;
    return std::strstr(buf, " 200 ") != nullptr;
}

}  // namespace

int free_port_block(int count) {
    static std::atomic<int> offset{0};
    const int start = 20000 + (static_cast<int>(getpid()) % 3000) * 10;
    for (int attempt = 0; attempt < 500; ++attempt) {
        const int base = 20000 + ((start - 20000 + offset.fetch_add(count) + attempt * 10) % 40000);
        bool ok = true;
        for (int p = base; p < base + count && ok; ++p) ok = port_free(p);
        if (ok) return base;
    }
    throw std::runtime_error("no free port block on 127.0.0.1");
}

NatsCluster::NatsCluster(Options options) : options_(std::move(options)), pids_(options_.nodes, 0) {
    char tmpl[] = "/tmp/csc-nats-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    base_port_ = free_port_block(3 * options_.nodes);  // client, cluster, monitoring per node
    for (int i = 0; i < options_.nodes; ++i) write_config(i);
}

NatsCluster::~NatsCluster() {
    kill_all();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

int NatsCluster::client_port(int i) const { return base_port_ + i; }
std::string NatsCluster::url(int i) const { return "nats://127.0.0.1:" + std::to_string(client_port(i)); }
std::vector<std::string> NatsCluster::urls() const {
    std::vector<std::string> out;
    for (int i = 0; i < options_.nodes; ++i) out.push_back(url(i));
    return out;
}

void NatsCluster::write_config(int i) const {
    const int n = options_.nodes;
    std::ofstream f(dir_ / ("n" + std::to_string(i) + ".conf"));
    f << "server_name: n" << i << "\n"
      << "listen: 127.0.0.1:" << client_port(i) << "\n"
      << "http: 127.0.0.1:" << base_port_ + 2 * n + i << "\n"
      << "jetstream { store_dir: \"" << (dir_ / ("n" + std::to_string(i))).string() << "\" }\n";
    if (n > 1) {
        f << "cluster {\n  name: office\n  listen: 127.0.0.1:" << base_port_ + n + i << "\n  no_advertise: true\n  routes: [\n";
        for (int j = 0; j < n; ++j)
            if (j != i) f << "    nats-route://127.0.0.1:" << base_port_ + n + j << "\n";
        f << "  ]\n}\n";
    }
    if (!options_.user.empty())
        f << "authorization { users = [ { user: \"" << options_.user << "\", password: \"" << options_.password
          << "\" } ] }\n";
    f << options_.extra << "\n";
}

void NatsCluster::start(int i) {
    if (pids_[i] > 0) return;
    const auto conf = dir_ / ("n" + std::to_string(i) + ".conf");
    const auto log = dir_ / ("n" + std::to_string(i) + ".log");
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
        if (getppid() != parent) _exit(1);
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execlp("nats-server", "nats-server", "-c", conf.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    pids_[i] = pid;
}

void NatsCluster::start_all() {
    for (int i = 0; i < options_.nodes; ++i) start(i);
}

void NatsCluster::kill(int i) {
    if (pids_[i] <= 0) return;
    ::kill(pids_[i], SIGKILL);
    waitpid(pids_[i], nullptr, 0);
    pids_[i] = 0;
}

void NatsCluster::kill_all() {
    for (int i = 0; i < options_.nodes; ++i) kill(i);
}

bool NatsCluster::wait_healthy(int timeout_ms) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        bool all = true;
        for (int i = 0; i < options_.nodes && all; ++i)
            if (pids_[i] > 0) all = healthz(base_port_ + 2 * options_.nodes + i);
        if (all) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

// ---- TcpProxy ----------------------------------------------------------------------------------

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
    port_ = free_port_block(1);
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(listen_fd_, 16) != 0)
        throw std::runtime_error("proxy: cannot listen");
    thread_ = std::thread([this] { run(); });
}

TcpProxy::~TcpProxy() {
    stop_ = true;
    thread_.join();
    close(listen_fd_);
}

void TcpProxy::cut() { cut_ = true; }
void TcpProxy::heal() { cut_ = false; }

void TcpProxy::run() {
    std::map<int, int> peer;  // fd → the other side
    auto drop = [&](int fd) {
        auto it = peer.find(fd);
        if (it == peer.end()) return;
        const int other = it->second;
        close(fd);
        close(other);
        peer.erase(fd);
        peer.erase(other);
    };
    while (!stop_) {
        if (cut_) {
            while (!peer.empty()) drop(peer.begin()->first);
        }
        std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
        for (const auto& [fd, other] : peer) fds.push_back({fd, POLLIN, 0});
        if (poll(fds.data(), fds.size(), 50) <= 0) continue;
        if (fds[0].revents & POLLIN) {
            const int c = accept(listen_fd_, nullptr, nullptr);
            if (c >= 0) {
                const int s = cut_ ? -1 : connect_local(target_port_);
                if (s < 0) {
                    close(c);
                } else {
                    peer[c] = s;
                    peer[s] = c;
                }
            }
        }
        char buf[65536];
        for (std::size_t k = 1; k < fds.size(); ++k) {
            if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const int fd = fds[k].fd;
            auto it = peer.find(fd);
            if (it == peer.end()) continue;
            const ssize_t n = read(fd, buf, sizeof buf);
            if (n <= 0) {
                drop(fd);
                continue;
            }
            ssize_t off = 0;
            while (off < n) {
                const ssize_t w = write(it->second, buf + off, static_cast<std::size_t>(n - off));
                if (w <= 0) break;
                off += w;
            }
            if (off < n) drop(fd);
        }
    }
    while (!peer.empty()) drop(peer.begin()->first);
}

NatsCluster* shared_office_cluster() {
    static NatsCluster cluster({.nodes = 3});
    static const bool healthy = [] {
        cluster.start_all();
        return cluster.wait_healthy(60000);
    }();
    return healthy ? &cluster : nullptr;
}

NatsCluster& office_cluster() {
    NatsCluster* cluster = shared_office_cluster();
    if (!cluster) throw std::runtime_error("the shared 3-node nats-server cluster did not become healthy within 60 s");
    return *cluster;
}

}  // namespace csc::testing
