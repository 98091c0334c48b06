// lan_view.hpp — one LAN device's view of the office (docs/SYNC.md): the office stream applied
// in stream order (the confirmed state) plus this device's own events the stream has not shown
// yet (pending), and the rules of the LAN link: own events confirmed or ordered differently by
// the stream, offline numbers from the device's range, device-index announcements and their
// conflicts, the agenda's gap and snapshots.
//
// Contents: LanSettings, kOfflineRangeSize, LanView.
// Contract: the view is confirmed + pending, each applied in order (stream order, then device
// order); it is rebuilt from a copy of the confirmed state only when read after a change that
// did not apply on top of it. An event is published to the EventBus once, when it first
// reaches the view: an own event when it is added (add_own), another device's when the stream
// brings it; when the view changes another way (an own event refused or ordered in front of
// others, a snapshot taken) a reset. When the stream confirms an own event, a feed that asked
// for it gets one FeedItem with own_confirmed (shared/event_feed.hpp); one the stream refused
// comes as a reset. No store, no lock, no
// clock: the Office reads and writes the store, holds its lock around every call, and gives
// the time (`now`); the state machine does the rest. Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/booking/agenda.hpp"
#include "shared/booking/agenda_snapshot.hpp"
#include "shared/config.hpp"
#include "shared/event_feed.hpp"
#include "shared/events.hpp"
#include "shared/forecast/learning.hpp"
#include "shared/office_state.hpp"
#include "shared/result.hpp"

namespace csc {

/// LAN-mode settings of this device.
struct LanSettings {
    int device_index = 1;           ///< 1…9: offline numbers are index*1000+1 … index*1000+999
    Millis confirm_timeout = 1500;  ///< an online ticket not confirmed by then is reissued offline
    /// At day open, device_index i publishes the agenda snapshot (i-1) × this after the day's
    /// first event, unless one for the same stream sequence is in the stream by then.
    Millis snapshot_stagger = 5000;
};

/// Offline numbers of device index i: i*1000+1 … i*1000+kOfflineRangeSize, per sector per day.
inline constexpr int kOfflineRangeSize = 999;

/// One device's view of the LAN office: confirmed state, own pending events, the link's rules.
class LanView {
public:
    /// Another device's event the stream applied: what the forecast learns from it (the state
    /// before it as learning needs it, the confirmed state after it, how it applied).
    using LearnForeign =
        std::function<void(const Event& e, const StateBefore& before, const OfficeState& after, const ApplyResult& r)>;
    /// The agenda snapshot this device publishes at day open when its turn comes.
    struct DueSnapshot {
        std::uint64_t based_on = 0;  ///< the stream sequence the agenda stood at
        Agenda agenda;
        Millis due_at = 0;
    };

    /// An empty view of `device` (this device's name in events) for `config` (kept by reference:
    /// it must outlive this); publishes to `bus` (likewise). Fill it with join().
    LanView(const SiteConfig& config, std::string device, LanSettings settings, EventBus& bus);

    /// Starts from what the store holds: `streamed` = the stream prefix in stream order (events
    /// set aside left out), `own_pending` = own events without a stream position (device
    /// order), `applied_seq` = the last stream sequence processed, `agenda_gap_end` = the end
    /// of the stream's messages this device missed (0 = none). Publishes a reset.
    void join(std::span<const SequencedEvent> streamed, std::vector<Event> own_pending, std::uint64_t applied_seq,
              std::uint64_t agenda_gap_end);
    /// New settings (the same device switching LAN mode on again).
    void set_settings(const LanSettings& settings) { settings_ = settings; }
    /// The settings in force.
    [[nodiscard]] const LanSettings& settings() const { return settings_; }

    // ---- The states.
    /// The view: confirmed + pending, rebuilt first if a change left it stale.
    [[nodiscard]] const OfficeState& view() const;
    /// The stream prefix applied in stream order (state_hash() comparable across devices).
    [[nodiscard]] const OfficeState& confirmed() const { return confirmed_; }

    // ---- Own events.
    /// An own event just made durable (judged on view() by the caller): pending until the
    /// stream shows it, applied to the view now; returns how it applied. Not published: the
    /// caller publishes it with the outcome it reports.
    ApplyResult add_own(const Event& e);
    /// Own events another program on this store recorded (same device name): those not
    /// pending yet are added in device order (the view is rebuilt, a reset published); returns
    /// the ones added.
    std::vector<Event> adopt_own(std::vector<Event> own);
    /// Forgets a pending own event that did not become durable after all (a reset published).
    void forget_own(std::string_view id);
    /// Whether own event `id` still waits for the stream.
    [[nodiscard]] bool pending(std::string_view id) const;
    /// The first own event not yet seen in the stream with device seq > after_seq.
    [[nodiscard]] std::optional<Event> next_unconfirmed(std::int64_t after_seq) const;
    /// Own events not yet seen in the stream.
    [[nodiscard]] std::size_t unconfirmed_count() const { return pending_.size(); }
    /// How a recent own event applied in stream order (nullopt = not confirmed, or long ago).
    [[nodiscard]] std::optional<ApplyResult> confirmed_result(std::string_view id) const;

    // ---- The stream.
    /// Applies one stream event (stream sequence `stream_seq`, not applied before) to the
    /// confirmed state. Another device's event reaches the view and the feed, and the forecast
    /// through `learn` (may be empty); an own pending one leaves pending (the view is rebuilt
    /// only if the stream ordered it after others' or refused it) and is announced to feeds
    /// that want own confirmations. `now` times the day's agenda snapshot.
    void apply_confirmed(const Event& e, std::uint64_t stream_seq, Millis now, const LearnForeign& learn = {});
    /// A stream event set aside (stamped on a later day than the servers' time): not applied;
    /// an own pending one ends as not applied (a reset: it was published when recorded).
    void set_aside(const Event& e);
    /// After a batch: every stream message up to `applied_seq` was processed.
    void batch_done(std::uint64_t applied_seq);
    /// Last stream sequence processed (0 before any).
    [[nodiscard]] std::uint64_t applied_seq() const { return applied_seq_; }

    // ---- Offline numbers and device indexes.
    /// The next offline number of `sector` today from this device's range, above every own
    /// offline ticket in the view (so never one twice); an Error when the range is used up.
    [[nodiscard]] Result<int> next_offline_number(const std::string& sector) const;
    /// Whether this device still has to announce its current index on office day `today`.
    [[nodiscard]] bool announcement_due(int today) const;
    /// This device announced its index for `today` (its DeviceHello is recorded).
    void announced(int today);
    /// Other devices that announced this device's index on `today`: offline tickets would collide.
    [[nodiscard]] std::vector<std::string> index_conflicts(int today) const;

    // ---- The agenda's gap and snapshots (shared/booking/agenda_snapshot.hpp).
    /// The stream's messages first_missing … last_missing were gone when this device read it:
    /// returns the new end of the gap to keep in the store (nullopt = nothing new).
    std::optional<std::uint64_t> note_gap(std::uint64_t first_missing, std::uint64_t last_missing);
    /// A gap another program on this store noted (only grows).
    void merge_gap(std::uint64_t gap_end) { gap_end_ = std::max(gap_end_, gap_end); }
    /// No gap in what this device read of the stream, or a snapshot taken after it.
    [[nodiscard]] bool agenda_complete() const { return gap_end_ == 0 || snapshot_base_ >= gap_end_; }
    /// The stream sequence of the snapshot the agenda was taken from (0 = none).
    [[nodiscard]] std::uint64_t agenda_snapshot_base() const { return snapshot_base_; }
    /// A snapshot part came while the agenda is incomplete: take_snapshot() when the batch is in.
    [[nodiscard]] bool snapshot_arrived() const { return snapshot_arrived_; }
    /// Rebuilds the confirmed state from the stored stream events `streamed` (stream order, set
    /// aside ones left out; those after applied_seq() are skipped) if they hold a usable snapshot
    /// after the gap; returns whether it did (then a reset is published).
    bool take_snapshot(std::span<const SequencedEvent> streamed);
    /// Whether this device's day-open snapshot is due at `now`.
    [[nodiscard]] bool snapshot_due(Millis now) const { return due_ && now >= due_->due_at; }
    /// Takes the due snapshot to publish: nullopt when another device's is in the stream or the
    /// agenda is incomplete (it is dropped then).
    std::optional<DueSnapshot> take_due_snapshot();
    /// Publishing failed before any part was recorded: due again.
    void keep_due(DueSnapshot due) { due_ = std::move(due); }
    /// A snapshot based on `based_on` is published (by this device).
    void snapshot_published(std::uint64_t based_on) { snapshot_bases_seen_.insert(based_on); }

private:
    /// Remembers the index a device.hello announces, for its device and day.
    void note_hello(const Event& e);
    /// The view no longer equals confirmed + pending: rebuilt when next read.
    void mark_stale() { view_stale_ = true; }

    const SiteConfig& config_;
    std::string device_;
    LanSettings settings_;
    EventBus& bus_;
    OfficeState confirmed_;
    std::vector<Event> pending_;  // own events not yet seen in the stream, device order
    mutable OfficeState view_;    // confirmed_ + pending_ when !view_stale_
    mutable bool view_stale_ = true;
    std::map<std::string, ApplyResult, std::less<>> results_;  // recent own events: how the stream applied them
    std::uint64_t applied_seq_ = 0;
    struct Announced {
        int index = 0;
        int day = 0;
    };
    std::map<std::string, Announced, std::less<>> announced_;  // device → last DeviceHello
    std::uint64_t gap_end_ = 0;
    std::uint64_t snapshot_base_ = 0;
    bool snapshot_arrived_ = false;
    std::optional<DueSnapshot> due_;
    std::set<std::uint64_t> snapshot_bases_seen_;
};

}  // namespace csc
