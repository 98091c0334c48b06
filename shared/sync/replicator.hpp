// replicator.hpp — LAN sync: one device's link to the office's JetStream stream.
//
// Contents: SyncStatus, Replicator, set_sync_log().
// Contract (docs/SYNC.md): own events are already durable in the device's store when they are
// published, with Nats-Msg-Id = event id, strictly in device order, each retried until
// acknowledged (a timeout is "unknown": the retry is de-duplicated by the stream, or skipped by
// event id when applied). The stream is applied in stream order from the last applied stream
// sequence, idempotently by event id; malformed, oversized or foreign messages are logged and
// skipped. Nothing here blocks on the network in start()/stop()/online()/status(); two
// background threads (publisher, consumer) do the I/O and reconnect with backoff. The stream is
// read through a push consumer this class manages itself on a plain subscription that is never
// freed while the connection may deliver to it: no libnats JetStream subscription (its
// ordered-consumer reset frees a subscription the connection still delivers to, libnats 3.4.1;
// docs/SYNC.md "Reading: the stream").
// UI-free: the GUI roles start one Replicator next to their Office and redraw on on_change().
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "shared/clock.hpp"
#include "shared/office.hpp"
#include "shared/result.hpp"
#include "shared/sync/sync_config.hpp"

namespace csc::sync {

/// What a screen shows about the link (kiosk status line, "offline" flag on counters/displays).
struct SyncStatus {
    bool online = false;              ///< connected, stream reachable, own events being acknowledged
    bool stale = true;                ///< the view may miss others' events (offline, or behind the stream)
    std::uint64_t applied_seq = 0;    ///< last stream sequence applied here
    std::uint64_t stream_last_seq = 0;///< last stream sequence the server reported
    std::size_t unconfirmed = 0;      ///< own events not yet seen in the stream
    std::int64_t rejected = 0;        ///< stream messages rejected since start
    std::string server;               ///< URL connected to ("" when not connected)
    std::string last_error;           ///< last problem, readable ("" if none)
    /// Device index conflict ("" if none): other devices announced this device's device_index
    /// today, so offline tickets are refused until the configuration is fixed.
    std::string conflict;
};

/// One device's LAN link. Create with create(), then start(); stop() (or the destructor) ends it.
class Replicator final : public EventUplink {
public:
    /// Checks the settings (servers, device index 1…9, credential files readable) — no I/O on
    /// the network. `office` must outlive the Replicator.
    static Result<std::unique_ptr<Replicator>> create(Office& office, SyncConfig config);
    ~Replicator() override;
    Replicator(const Replicator&) = delete;
    Replicator& operator=(const Replicator&) = delete;

    /// Puts the office in LAN mode and starts the background threads. Returns at once; a
    /// cluster that is down is retried with backoff (the office works offline meanwhile).
    Result<void> start();
    /// Stops the threads and closes the connection; the office keeps its LAN-mode state.
    void stop();
    /// Own events are being published and acknowledged right now.
    [[nodiscard]] bool online() const override;
    /// A snapshot of the link.
    [[nodiscard]] SyncStatus status() const;
    /// Called (from a sync thread) after each applied batch and when online/offline flips.
    /// Keep it short; set it before start().
    void on_change(std::function<void()> callback);
    /// Blocks until online and every stream message known to the server is applied here and
    /// every own event is confirmed, or the timeout passes — or, with `give_up_if_unreachable`
    /// (one-shot commands), as soon as the first connection attempt failed (refused, or silent
    /// for connect_timeout_ms); returns whether it got there.
    bool wait_caught_up(Millis timeout_ms, bool give_up_if_unreachable = false);
    /// Wakes the publisher (EventUplink).
    void publish_soon() override;
    /// This program's status (presence::write_device_status) to send on PRESENCE.<device> (core
    /// NATS, never stored in the stream) from the sync thread within ~0.1 s; only the latest is
    /// kept; dropped silently while offline (the next one follows 15 s later).
    void send_presence(std::string json);
    /// Called from the sync thread with each status heard on PRESENCE.> (own ones included), with
    /// the device its subject names and the payload as received (unchecked). May be set at any time.
    void on_presence(std::function<void(std::string_view device, std::string_view payload)> callback);

private:
    struct Nats;  // the C client's handles (nats.h stays out of this header)
    Replicator(Office& office, SyncConfig config);
    void publish_loop();
    void consume_loop();
    bool connect_once();
    [[nodiscard]] bool connected() const;
    bool ensure_stream();
    /// Creates the next push consumer from applied_seq + 1 onto the inbox; false if the API failed.
    bool open_consumer();
    /// Gives up the current consumer: unsubscribes (memory kept) and queues it for deletion.
    void abandon_consumer();
    /// Frees the unsubscribed subscriptions once a flush proves the read loop is past them.
    void release_retired();
    /// Deletes one abandoned consumer on the server (best effort, retried on later calls).
    void delete_abandoned_consumer();
    void refresh_stream_info();
    /// The stream's first message is `first_seq`: a gap after what this device applied is the office's (note_stream_gap).
    void note_retention_gap(std::uint64_t first_seq);
    void set_healthy(bool healthy, const std::string& error = {});
    void notify();
    void check_index_conflict();
    /// An own event came back from the stream stamped `server_time`: feeds the clock check.
    void note_own_publish(const std::string& event_id, Millis server_time);
    /// Sends the status waiting in presence_out_ and hands heard ones to presence_callback_.
    void exchange_presence();
    bool sleep_for(Millis ms);  // false when stopping

    Office& office_;
    SyncConfig config_;
    SystemClock clock_;
    std::unique_ptr<Nats> nats_;
    std::thread publisher_, consumer_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> started_{false};
    std::atomic<bool> healthy_{false};
    std::atomic<bool> connected_once_{false};
    std::atomic<bool> stream_ready_{false};
    std::atomic<std::uint64_t> stream_last_seq_{0};
    std::atomic<Millis> stream_info_at_{0};
    std::atomic<Millis> last_progress_at_{0};
    std::atomic<std::int64_t> rejected_{0};
    std::atomic<int> connect_failures_{0};  // failed first-connection attempts
    mutable std::mutex mutex_;  // guards last_error_, callback_, wake_
    std::condition_variable wake_cv_;
    bool wake_ = false;
    std::string last_error_;
    std::string conflict_;  // guarded by mutex_
    std::function<void()> callback_;
    std::string presence_out_;  // guarded by mutex_: the status to send ("" = none waiting)
    std::function<void(std::string_view, std::string_view)> presence_callback_;  // guarded by mutex_
    std::map<std::string, std::pair<Millis, Millis>> publish_window_;  // guarded by mutex_: event id → sent, acked
};

/// Where sync log lines go (default: stderr, "kiosk sync: …"). Thread-safe.
void set_sync_log(std::function<void(const std::string&)> sink);
/// Writes one log line.
void sync_log(const std::string& line);

}  // namespace csc::sync
