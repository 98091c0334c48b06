// nats_cluster.hpp — real nats-server processes for the LAN tests and benchmarks, on 127.0.0.1.
//
// Contents: NatsCluster, TcpProxy, shared_office_cluster(), office_cluster(), free_port_block().
// Ports come from the process id (so parallel test binaries do not clash) and are checked free;
// each node gets a temporary store_dir. Servers die with the test process (PR_SET_PDEATHSIG)
// and in the destructor, even when a test fails.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace csc::testing {

/// A 1- or 3-node nats-server JetStream cluster.
class NatsCluster {
public:
    struct Options {
        int nodes = 3;
        std::string user, password;  ///< when set, clients must authenticate
        std::string extra;           ///< appended to every node's config (tls { … }, authorization { … })
    };
    explicit NatsCluster(Options options);
    ~NatsCluster();
    NatsCluster(const NatsCluster&) = delete;
    NatsCluster& operator=(const NatsCluster&) = delete;

    /// Starts every node (not yet running); returns at once.
    void start_all();
    /// Waits until every running node answers /healthz with JetStream ready.
    bool wait_healthy(int timeout_ms) const;
    /// SIGKILLs node i (a crash: nothing is flushed).
    void kill(int i);
    /// Starts node i again (same store_dir).
    void start(int i);
    /// Kills every node.
    void kill_all();
    [[nodiscard]] bool running(int i) const { return pids_[i] > 0; }
    [[nodiscard]] int size() const { return options_.nodes; }
    /// "nats://127.0.0.1:PORT" of node i.
    [[nodiscard]] std::string url(int i) const;
    [[nodiscard]] int client_port(int i) const;
    /// Every node's URL.
    [[nodiscard]] std::vector<std::string> urls() const;
    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

private:
    void write_config(int i) const;
    Options options_;
    std::filesystem::path dir_;
    int base_port_ = 0;
    std::vector<int> pids_;
};

/// A TCP forwarder the test can cut and heal: a device that connects through it loses the
/// network on cut() (every connection closed, new ones refused) without touching the servers.
class TcpProxy {
public:
    /// Listens on a free port of 127.0.0.1 and forwards to 127.0.0.1:target_port.
    explicit TcpProxy(int target_port);
    ~TcpProxy();
    TcpProxy(const TcpProxy&) = delete;
    TcpProxy& operator=(const TcpProxy&) = delete;
    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
    void cut();
    void heal();

private:
    void run();
    int target_port_;
    int port_ = 0;
    int listen_fd_ = -1;
    std::atomic<bool> cut_{false};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

/// The 3-node cluster a test binary shares, started on the first call (a cold start of 2.9
/// takes 17–34 s, so tests share it and each uses its own stream); nullptr if it did not become
/// healthy within 60 s.
NatsCluster* shared_office_cluster();
/// The shared cluster; throws std::runtime_error (a failed test) when it did not become healthy.
NatsCluster& office_cluster();

/// A free TCP port block of `count` ports on 127.0.0.1, starting near a pid-derived base.
int free_port_block(int count);

}  // namespace csc::testing
