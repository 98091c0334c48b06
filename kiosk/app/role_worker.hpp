// role_worker.hpp — the one worker + queue + inbox every front end's role uses: slow work (an
// fsync, a PIN's argon2id check, the LAN stream's answer, a forecast, speech synthesis) runs on
// the worker's own thread, in the order it was asked; what it returns (a closure) is posted to
// the owner's inbox and applied on the owner's thread (the GUI's frame loop) by apply_posted().
//
// Contents: RoleWorker.
// Contract: one thread per RoleWorker, sleeping on a condition variable while there is nothing
// to do (no polling); `wake` is called after each post (thread-safe, quick: the frame loop's
// wake). Work runs in submission order, one at a time (coalesced work
// replaces its own kind still waiting); results are applied in posting order.
// A result posted for a session that has ended (new_session() since the work was asked, or the
// result posted) is dropped, never applied. Stopping (stop() or the destructor) either finishes
// the work already queued (OnStop::Finish: a ticket tapped is still recorded) or drops what has
// not started (OnStop::Drop), then joins; results not yet applied are dropped. No GUI here: the
// web server can use it too.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

namespace csc::app {

class RoleWorker {
public:
    /// Applied on the owner's thread.
    using Apply = std::function<void()>;
    /// Runs on the worker; returns what to apply on the owner's thread (may be empty).
    using Work = std::function<Apply()>;
    /// What stopping does with work queued but not started.
    enum class OnStop { Finish, Drop };

    /// Starts the thread. `wake`: called after each post, from any thread (may be empty).
    explicit RoleWorker(std::function<void()> wake, OnStop on_stop = OnStop::Finish);
    /// stop().
    ~RoleWorker();
    RoleWorker(const RoleWorker&) = delete;
    RoleWorker& operator=(const RoleWorker&) = delete;

    /// Queues `work` (ignored once stopped); its result is applied by apply_posted() if the session is still the one of now.
    void run(Work work);
    /// Queues work with nothing to apply afterwards (an audit record, a sign-out).
    void run_only(std::function<void()> work);
    /// run(), except that it replaces coalesced work still waiting to start (a forecast asked
    /// again before the last request began: only the newest runs).
    void run_coalesced(Work work);
    /// Posts `apply` from any thread (a print spooler's report), for the session of now.
    void post(Apply apply);
    /// Owner's thread: applies the posted results in order (stale sessions' dropped); returns how many ran.
    std::size_t apply_posted();

    /// Owner's thread: a new session; results of work asked, or posted, before are dropped.
    void new_session();
    /// The current session (starts at 1).
    [[nodiscard]] std::uint64_t session() const;
    /// Work queued or running (not yet returned).
    [[nodiscard]] std::size_t in_flight() const;
    /// Stops the thread as OnStop says and joins it (idempotent).
    void stop();

private:
    void loop();

    std::function<void()> wake_;
    OnStop on_stop_;
    mutable std::mutex mutex_;
    std::condition_variable work_ready_;
    struct Queued {
        std::uint64_t session = 0;  // the session it was asked in
        bool coalesced = false;
        Work work;
    };
    std::deque<Queued> queue_;
    std::deque<std::pair<std::uint64_t, Apply>> inbox_;   // (session, result)
    std::uint64_t session_ = 1;
    std::size_t running_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace csc::app
