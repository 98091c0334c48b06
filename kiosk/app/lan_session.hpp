// lan_session.hpp — LAN sync for one-shot actions (CLI commands) and `kiosk sync` (application layer).
#pragma once

#include <memory>
#include <string>

#include "kiosk/app/context.hpp"
#include "shared/sync/replicator.hpp"

namespace csc::app {

/// A running Replicator for a command; stops when destroyed.
class LanSession {
public:
    explicit LanSession(std::unique_ptr<sync::Replicator> replicator) : replicator_(std::move(replicator)) {}
    [[nodiscard]] bool online() const { return replicator_->online(); }
    [[nodiscard]] sync::SyncStatus status() const { return replicator_->status(); }
    [[nodiscard]] sync::Replicator& replicator() { return *replicator_; }
    /// One line for people: "sync: online, 1234 events applied" / "sync: OFFLINE (…)".
    [[nodiscard]] std::string status_line() const;
    /// Sends this device's events now and waits up to `timeout_ms` for the stream to confirm
    /// them; "" when confirmed, else why not (they stay queued and are sent later).
    [[nodiscard]] std::string publish_now(Millis timeout_ms);

private:
    std::unique_ptr<sync::Replicator> replicator_;
};

/// When [sync] is configured: starts sync for the opened office and waits up to `wait_ms` to
/// catch up with the stream (a cluster that does not answer is not an error: the command
/// works offline). Returns null without [sync]. `device_index` > 0 overrides the config's.
Result<std::unique_ptr<LanSession>> start_lan_session(Context& ctx, Millis wait_ms, int device_index = 0);

}  // namespace csc::app
