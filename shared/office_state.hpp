// office_state.hpp — the deterministic state machine over the event log.
//
// Contents: TicketStatus, Ticket, ApplyResult, OfficeState.
// Contract: apply() is a pure function of (state, event, configuration): the same events in the
// same order give the same state on any machine, and replaying them gives it again (the LAN
// sync relies on this). apply() never throws; an event that does not apply is recorded as
// "not applied" with a reason and leaves the state unchanged. The state covers the current
// office day; an event of a later day first closes the previous day.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "shared/config.hpp"
#include "shared/events.hpp"

namespace csc {

/// Where a ticket is in its life.
enum class TicketStatus { Waiting, Called, Serving, Served, NoShow, Cancelled, NotServed };
/// "waiting", "called", … (stable names used in JSON).
[[nodiscard]] std::string_view to_string(TicketStatus s);

/// One ticket of the current day.
struct Ticket {
    std::string id;        ///< id of the event that issued it
    std::string sector;
    std::string service;
    std::string priority;  ///< "" = ordinary
    std::string lang;
    std::string channel;
    std::string device;    ///< device that issued it
    int number = 0;        ///< per sector per day, 1…
    std::string label;     ///< letter + 3 digits, e.g. "A007"
    bool offline = false;  ///< numbered from the issuing device's offline range
    Millis issued_at = 0;
    TicketStatus status = TicketStatus::Waiting;
};

/// What apply() did.
struct ApplyResult {
    bool applied = false;
    std::string reason;     ///< why not, when not applied
    std::string ticket_id;  ///< the ticket created or acted on, if any
};

/// The office as derived from the log.
class OfficeState {
public:
    /// The state of an office with this configuration, before any event.
    explicit OfficeState(const SiteConfig& config);

    /// Applies one event (idempotent by event id).
    ApplyResult apply(const Event& e);

    /// Office day (YYYYMMDD) of the last applied event; 0 before any.
    [[nodiscard]] int day() const { return day_; }
    /// Today's tickets in the order they were issued.
    [[nodiscard]] const std::vector<Ticket>& tickets() const { return tickets_; }
    /// A ticket by id, or nullptr.
    [[nodiscard]] const Ticket* find_ticket(std::string_view id) const;
    /// A ticket of today by label ("A007"), or nullptr.
    [[nodiscard]] const Ticket* find_label(std::string_view label) const;
    /// People waiting in a sector.
    [[nodiscard]] int waiting(std::string_view sector) const;
    /// Highest online number issued today in a sector (0 if none).
    [[nodiscard]] int last_number(std::string_view sector) const;
    /// Waiting tickets of a sector in the order they will be called.
    [[nodiscard]] std::vector<const Ticket*> queue(std::string_view sector) const;
    /// Number of events applied (including those that did not apply).
    [[nodiscard]] std::int64_t events_seen() const { return events_seen_; }
    /// A hash of the derived state (FNV-1a 64 of a canonical dump): equal on devices that
    /// applied the same events in the same order.
    [[nodiscard]] std::uint64_t state_hash() const;
    /// The configuration it runs with.
    [[nodiscard]] const SiteConfig& config() const { return *config_; }

private:
    ApplyResult on(const Event& e, const TicketIssued& b);
    void roll_over_to(int day);

    const SiteConfig* config_;
    int day_ = 0;
    std::int64_t events_seen_ = 0;
    std::vector<Ticket> tickets_;
    std::map<std::string, std::size_t, std::less<>> by_id_;
    std::map<std::string, int, std::less<>> last_number_;
    std::unordered_set<std::string> applied_ids_;
};

/// Formats a ticket label: letter + number padded to 3 digits ("A007", "B123", "C1042").
[[nodiscard]] std::string ticket_label(std::string_view letter, int number);

}  // namespace csc
