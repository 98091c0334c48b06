#include "kiosk/app/lan_session.hpp"

#include "kiosk/app/presence_beacon.hpp"

namespace csc::app {

std::string LanSession::status_line() const {
    const auto st = replicator_->status();
    std::string line = st.online ? "sync: online" : "sync: OFFLINE";
    if (st.online && st.stale) line += " (catching up)";
    // The stream's length is known only from a server (never below what is applied here).
    if (st.stream_last_seq >= st.applied_seq && st.stream_last_seq > 0)
        line += ", " + std::to_string(st.applied_seq) + " of " + std::to_string(st.stream_last_seq) + " stream events applied";
    else
        line += ", " + std::to_string(st.applied_seq) + " stream events applied (the stream's length is unknown while offline)";
    if (st.unconfirmed) line += ", " + std::to_string(st.unconfirmed) + " own events waiting to be sent";
    if (!st.online && !st.last_error.empty()) line += " (" + st.last_error + ")";
    if (!st.conflict.empty()) line += "; CONFLICT: " + st.conflict;
    return line;
}

std::string LanSession::publish_now(Millis timeout_ms) {
    if (replicator_->wait_caught_up(timeout_ms, true)) return {};
    const auto st = replicator_->status();
    return st.last_error.empty() ? std::string("the office network did not confirm in time") : st.last_error;
}

Result<std::unique_ptr<LanSession>> start_lan_session(Context& ctx, Millis wait_ms, int device_index) {
    SyncConfig cfg = ctx.config.sync;
    if (!cfg.enabled()) return std::unique_ptr<LanSession>();
    if (device_index > 0) cfg.device_index = device_index;
    auto rep = sync::Replicator::create(*ctx.office, cfg);
    if (!rep) return rep.error();
    keep_heard_statuses(**rep, ctx.data_dir, ctx.clock, ctx.office->device());  // the dashboard's view of the other devices (docs/WEB.md)
    if (auto r = (*rep)->start(); !r) return r.error();
    // Returns early when the first connection fails (refused, or silent for connect_timeout_ms).
    (void)(*rep)->wait_caught_up(wait_ms, true);
    return std::make_unique<LanSession>(std::move(*rep));
}

}  // namespace csc::app
