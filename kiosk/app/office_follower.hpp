// office_follower.hpp — keeps a long-running program's office current with what other
// programs write to the same store, and does the office's housekeeping (end of day, purge).
//
// Contents: OfficeFollower.
// Contract: on a thread of its own: as soon as the store's files change (inotify, StoreWatch) —
// at the latest every 200 ms — it applies the other programs' events in the store's order
// (Office::refresh) and calls `changed` when something changed (also the LAN link's state, or
// a change made without refresh: the LAN stream's thread). Once a minute it closes the office
// day once the last opening interval is over and purges the personal data of bookings the
// agenda has forgotten; and it compacts the queue's events of days older than [statistics]
// compact_after_days into their statistics records (from two minutes after it starts: at most
// a week of days a minute until none is left, then it looks again every hour). Used by every GUI role (`kiosk run`) and the
// web server (`kiosk serve`).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "shared/office.hpp"
#include "shared/store_watch.hpp"

namespace csc::app {

class OfficeFollower {
public:
    /// Starts following; `changed` (thread-safe, quick) is called after each change seen;
    /// `link_state` (may be empty) names the LAN link's state, a change of which counts too.
    OfficeFollower(Office& office, const std::filesystem::path& data_dir, std::function<void()> changed,
                   std::function<std::string()> link_state = {});
    /// Stops the thread (within one wait) and joins it.
    ~OfficeFollower();
    OfficeFollower(const OfficeFollower&) = delete;
    OfficeFollower& operator=(const OfficeFollower&) = delete;

private:
    void run(Office& office, const std::function<void()>& changed, const std::function<std::string()>& link_state);

    void compact_if_due(Office& office);

    std::filesystem::path data_dir_;
    std::chrono::steady_clock::time_point next_compaction_{};
    StoreWatch watch_;
    std::atomic<bool> stop_{false};
    std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace csc::app
