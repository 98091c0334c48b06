// sync_config.hpp — the [sync] table of the site configuration: how a device reaches the
// office's NATS JetStream cluster. No servers = the single-machine office, unchanged.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace csc {

/// LAN sync settings ([sync] in office.toml; see docs/SYNC.md).
struct SyncConfig {
    std::vector<std::string> servers;     ///< "nats://host:4222" or "tls://…"; empty = no sync
    int device_index = 0;                 ///< 1…9, unique per device: offline ticket range
    std::string stream = "CSC_EVENTS";    ///< JetStream stream of the office
    std::string subject = "csc.events";   ///< own events go to SUBJECT.<device>
    /// Each program's status ("presence", not stored in the stream) goes to PRESENCE.<device>.
    std::string presence_subject = "csc.presence";
    int replicas = 0;                     ///< 0 = min(3, number of servers)
    std::string user, password;           ///< user/password authentication
    std::string nkey;                     ///< NKey public key ("U…") …
    std::filesystem::path nkey_seed_file; ///< … and the file holding its seed
    std::filesystem::path tls_ca_file;    ///< CA that signed the servers' certificates (enables TLS)
    int confirm_timeout_ms = 1500;        ///< an online ticket not confirmed by then is reissued offline
    /// How long a connection attempt waits for a server that does not answer (a refused
    /// connection fails at once): bounds how long a command takes to decide "offline".
    int connect_timeout_ms = 800;
    int duplicate_window_s = 600;         ///< stream de-duplication window for retried publishes
    int retention_days = 14;              ///< how long the stream keeps events (catch-up horizon)
    /// Tests only (never read from the configuration): the stream's max age in milliseconds
    /// instead of retention_days, and its duplicate window cut to it (0 = retention_days).
    int max_age_ms_for_tests = 0;
    /// True when sync is configured.
    [[nodiscard]] bool enabled() const { return !servers.empty(); }
};

}  // namespace csc
