// office.hpp — the office as one object: configuration + store + state machine + clock.
//
// Contents: IssueRequest, IssuedTicket, Office.
// Contract: every change goes record() → store (durable) → state machine, in that order, under
// one lock; so what a screen or the CLI was told happened is on disk. Thread-safe: the frame
// loop reads snapshots while a worker thread records.
#pragma once

#include <filesystem>
#include <condition_variable>
#include <functional>
#include <map>
#include <span>
#include <memory>
#include <mutex>
#include <string>

#include "shared/clock.hpp"
#include "shared/config.hpp"
#include "shared/office_state.hpp"
#include "shared/result.hpp"
#include "shared/store.hpp"
#include "shared/store_sync.hpp"

namespace csc {

/// What a citizen (or staff for them) asks for.
struct IssueRequest {
    std::string sector;
    std::string service;   ///< required when the sector has services
    std::string priority;  ///< "" = ordinary
    std::string lang = "it";
    std::string channel = "kiosk";
};

/// A ticket just issued, with what is printed on it.
struct IssuedTicket {
    Ticket ticket;
    int people_ahead = 0;
};

/// How a LAN-mode office reaches the office's event stream (csc::sync::Replicator, docs/SYNC.md).
class EventUplink {
public:
    virtual ~EventUplink() = default;
    /// A new own event is durable in the store and waits to be published.
    virtual void publish_soon() = 0;
    /// True while own events get published and acknowledged (decides online vs offline tickets).
    [[nodiscard]] virtual bool online() const = 0;
};

/// LAN-mode settings of this device.
struct LanSettings {
    int device_index = 1;           ///< 1…9: offline numbers are index*1000+1 … index*1000+999
    Millis confirm_timeout = 1500;  ///< an online ticket not confirmed by then is reissued offline
};

/// The single-machine office (and, later, one device's view of the LAN office).
class Office {
public:
    /// Opens the store in `data_dir` and replays today's events. `device` names this device
    /// in events ("" = the name kept in the store, else "kiosk-1").
    static Result<std::unique_ptr<Office>> open(SiteConfig config, const std::filesystem::path& data_dir,
                                                const Clock& clock, std::string device = {});

    /// Validates the request against the configuration, records a TicketIssued and returns the
    /// ticket. An unknown sector or service is an Error and nothing is written.
    Result<IssuedTicket> issue(const IssueRequest& request);

    /// Records any event body made by this device now (validated by the state machine).
    Result<ApplyResult> record(EventBody body);

    /// Runs `reader` with the current state under the lock (keep it short: copy what you need).
    void read(const std::function<void(const OfficeState&)>& reader) const;

    /// Incremented on every change; screens compare it to know when to redraw.
    [[nodiscard]] std::uint64_t version() const;

    [[nodiscard]] const SiteConfig& config() const { return *config_; }
    [[nodiscard]] const Clock& clock() const { return clock_; }
    [[nodiscard]] const std::string& device() const { return device_; }
    [[nodiscard]] Store& store() { return *store_; }

    // ---- LAN mode (shared/office_lan.cpp, driven by shared/sync; docs/SYNC.md). In LAN mode
    // the "confirmed" state is the office stream applied in stream order — equal on every
    // device that applied the same prefix — and read() shows it plus this device's own events
    // not yet seen in the stream, applied on top. issue() then returns an online ticket only
    // once the stream has ordered it; if the cluster is unreachable, or does not confirm within
    // LanSettings::confirm_timeout, the ticket is numbered from this device's offline range.
    /// Switches to LAN mode (idempotent); `uplink` may be null (read-only: tickets are offline).
    Result<void> enable_lan(const LanSettings& settings, EventUplink* uplink);
    /// Forgets the uplink (stays in LAN mode).
    void detach_uplink();
    [[nodiscard]] bool lan_mode() const;
    /// Applies and stores events read from the stream, in stream order (one transaction);
    /// `applied_seq` = last stream sequence processed, rejected messages included.
    Result<void> apply_stream(std::span<const StreamedEvent> batch, std::uint64_t applied_seq);
    /// Last stream sequence processed (0 before any).
    [[nodiscard]] std::uint64_t applied_stream_seq() const;
    /// The first own event not yet seen in the stream with device seq > after_seq (publish order).
    [[nodiscard]] std::optional<Event> next_unconfirmed(std::int64_t after_seq) const;
    /// Own events not yet seen in the stream.
    [[nodiscard]] std::size_t unconfirmed_count() const;
    /// Runs `reader` on the confirmed state (LAN) or the state (single machine), under the lock.
    void read_confirmed(const std::function<void(const OfficeState&)>& reader) const;
    /// state_hash() of the confirmed state: equal on devices that applied the same events.
    [[nodiscard]] std::uint64_t confirmed_hash() const;
    /// Records a body and, in LAN mode, waits (up to confirm_timeout) until the stream ordered
    /// it; returns how it applied in stream order. A timeout is an Error: the event stays
    /// queued, is published when possible and applied in order (visible later in read()).
    Result<ApplyResult> record_confirmed(EventBody body);
    /// Blocks until version() differs from `seen_version` or `timeout_ms` passes.
    void wait_for_change(std::uint64_t seen_version, Millis timeout_ms) const;

private:
    Office(std::unique_ptr<SiteConfig> config, std::unique_ptr<Store> store, const Clock& clock, std::string device);
    Result<ApplyResult> record_locked(EventBody body);
    // LAN mode helpers (office_lan.cpp).
    void note_own_event_locked(const Event& e);
    Result<ApplyResult> issue_lan_locked(std::unique_lock<std::mutex>& lock, TicketIssued body);
    bool wait_confirmed_locked(std::unique_lock<std::mutex>& lock, const std::string& event_id);
    void rebuild_view_locked();
    [[nodiscard]] Result<int> next_offline_number_locked() const;

    std::unique_ptr<SiteConfig> config_;  // stable address: OfficeState points to it
    std::unique_ptr<Store> store_;
    const Clock& clock_;
    std::string device_;
    OfficeState state_;
    std::int64_t next_seq_ = 1;
    std::uint64_t version_ = 0;
    // LAN mode: confirmed_ = the stream prefix applied in stream order; pending_ = own events
    // not yet seen in the stream (state_ = confirmed_ + pending_).
    std::optional<OfficeState> confirmed_;
    std::vector<Event> pending_;
    std::map<std::string, ApplyResult, std::less<>> confirmed_results_;
    std::uint64_t applied_seq_ = 0;
    EventUplink* uplink_ = nullptr;
    LanSettings lan_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
};

}  // namespace csc
