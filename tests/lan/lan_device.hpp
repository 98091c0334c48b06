// lan_device.hpp — one in-process device (store + Office + Replicator) for the LAN tests and
// benchmarks: each has its own data directory and its own connection, like a real device.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "shared/clock.hpp"
#include "shared/config.hpp"
#include "shared/office.hpp"
#include "shared/sync/replicator.hpp"

namespace csc::testing {

/// A fresh directory /tmp/<prefix>-XXXXXX, removed with everything in it at scope exit.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& prefix = "csc-lan");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

/// Sync settings of a test device; stream "<P>_<tag>" and subject "<p>.<tag>" so that tests and
/// benchmarks never share a stream (P = `prefix`, p = its lower case).
[[nodiscard]] SyncConfig sync_for(const std::string& tag, int index, std::vector<std::string> servers,
                                  char prefix = 'T');

inline void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

/// Polls `f` every 20 ms until it holds (true) or `timeout_ms` passes (its last answer).
template <class F>
bool eventually(int timeout_ms, F&& f) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (f()) return true;
        sleep_ms(20);
    }
    return f();
}

/// The sample site configuration (assets/site/office.toml).
const SiteConfig& sample_site();

/// A device of the office in this process.
struct LanDevice {
    std::string name;
    SyncConfig sync;
    std::filesystem::path dir;
    OffsetClock clock;  ///< the wall clock, unless a test moves it (start_at)
    const SiteConfig* site = &sample_site();  ///< the configuration open() uses (must outlive the device)
    std::unique_ptr<Office> office;
    std::unique_ptr<sync::Replicator> replicator;

    /// A device with its own fresh data directory under `root`.
    LanDevice(std::string name, SyncConfig sync, const std::filesystem::path& root);
    ~LanDevice();
    /// Opens the store and starts the replicator (aborts the test on failure).
    void open();
    /// Stops the replicator and closes the store (a clean shutdown).
    void close();
    /// Issues an ordinary ticket (anagrafe / certificati).
    Result<IssuedTicket> issue(const std::string& sector = "anagrafe", const std::string& service = "certificati");
    /// Waits until caught up with the stream (true) or the timeout passes.
    bool catch_up(int timeout_ms);
    [[nodiscard]] std::uint64_t hash() const { return office->confirmed_hash(); }
};

}  // namespace csc::testing
