// office.hpp — the office as one object: configuration + store + state machine + clock.
//
// Contents: IssueRequest, IssuedTicket, Office.
// Contract: every change goes record() → store (durable) → state machine, in that order, under
// one lock; so what a screen or the CLI was told happened is on disk. Thread-safe: the frame
// loop reads snapshots while a worker thread records.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "shared/clock.hpp"
#include "shared/config.hpp"
#include "shared/office_state.hpp"
#include "shared/result.hpp"
#include "shared/store.hpp"

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

private:
    Office(std::unique_ptr<SiteConfig> config, std::unique_ptr<Store> store, const Clock& clock, std::string device);
    Result<ApplyResult> record_locked(EventBody body);

    std::unique_ptr<SiteConfig> config_;  // stable address: OfficeState points to it
    std::unique_ptr<Store> store_;
    const Clock& clock_;
    std::string device_;
    OfficeState state_;
    std::int64_t next_seq_ = 1;
    std::uint64_t version_ = 0;
    mutable std::mutex mutex_;
};

}  // namespace csc
