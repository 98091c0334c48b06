// lan_device.hpp — one in-process device (store + Office + Replicator) for the LAN tests and
// benchmarks: each has its own data directory and its own connection, like a real device.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "shared/clock.hpp"
#include "shared/config.hpp"
#include "shared/office.hpp"
#include "shared/sync/replicator.hpp"

namespace csc::testing {

/// The sample site configuration (assets/site/office.toml).
const SiteConfig& sample_site();

/// A device of the office in this process.
struct LanDevice {
    std::string name;
    SyncConfig sync;
    std::filesystem::path dir;
    SystemClock clock;
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
