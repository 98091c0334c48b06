// office_state.hpp — the deterministic state machine over the event log.
//
// Contents: TicketStatus, Ticket, CounterStatus, CounterState, ApplyResult, QueueRules,
// OfficeState, ticket_label().
// Contract: apply() is a pure function of (state, event, configuration): the same events in the
// same order give the same state on any machine, and replaying them gives it again (the LAN
// sync relies on this). apply() never throws and never reads a clock: "now" is the event's
// time. An event that does not apply is recorded as "not applied" with a reason and leaves the
// state unchanged. The state covers the current office day; an event of a later day first
// closes the previous day.
//
// Queue rules (see QueueRules): in each sector, priority citizens and appointments due at their
// slot ("first group") go before walk-ins, strictly or alternating with N walk-ins; within a
// group by place in line (issue time; an appointment's place is its slot time). A counter takes
// first the tickets transferred to it, then its sectors in its configured order, the first
// sector with someone waiting giving the ticket.
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

/// Where a ticket is in its life. Transferred = waiting again after a transfer (its place kept).
enum class TicketStatus { Waiting, Called, Serving, Served, NoShow, Cancelled, NotServed, Transferred };
/// "waiting", "called", … (stable names used in JSON).
[[nodiscard]] std::string_view to_string(TicketStatus s);
/// True for the states in which a ticket is in a queue (Waiting, Transferred).
[[nodiscard]] constexpr bool is_waiting(TicketStatus s) {
    return s == TicketStatus::Waiting || s == TicketStatus::Transferred;
}

/// One ticket of the current day.
struct Ticket {
    std::string id;        ///< id of the event that issued it
    std::string sector;    ///< current sector (changes on a transfer)
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
    std::optional<Millis> appointment_at;  ///< booking: the slot time
    int counter = 0;                       ///< counter that called / serves / served it (0 = none yet)
    std::optional<int> for_counter;        ///< transferred to this counter: only it may call the ticket
    std::string from_sector;               ///< sector before the last transfer ("" = never transferred)
    int transfers = 0;
    int recalls = 0;
    Millis called_at = 0, started_at = 0, finished_at = 0;
    std::string performed_service;         ///< what the counter actually did (finish)
    std::string called_by;                 ///< the staff member who called it ("" = not signed)
    /// An appointment within its early/late window at time t.
    [[nodiscard]] bool appointment_due(Millis t, const QueuePolicy& p) const {
        return appointment_at && t >= *appointment_at - p.appointment_early_min * 60'000LL &&
               t <= *appointment_at + p.appointment_late_min * 60'000LL;
    }
};

/// What a counter is doing.
enum class CounterStatus { Closed, Open, Paused };
/// "closed", "open", "paused".
[[nodiscard]] std::string_view to_string(CounterStatus s);

/// One counter of the office, as derived from the log.
struct CounterState {
    int number = 0;
    CounterStatus status = CounterStatus::Closed;
    std::string pause_reason;  ///< when paused
    std::string current;       ///< id of the ticket called or being served ("" = none)
    Millis since = 0;          ///< time of the last status change
    std::string staff;         ///< who made the last action here ("" = not known); cleared on close
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
    /// Time of the last event applied (0 before any): the state's "now".
    [[nodiscard]] Millis last_event_time() const { return last_time_; }
    /// Today's tickets in the order they were issued.
    [[nodiscard]] const std::vector<Ticket>& tickets() const { return tickets_; }
    /// A ticket by id, or nullptr.
    [[nodiscard]] const Ticket* find_ticket(std::string_view id) const;
    /// A ticket of today by label ("A007"), or nullptr (the most recent one if offline numbers clash).
    [[nodiscard]] const Ticket* find_label(std::string_view label) const;
    /// People waiting in a sector (including tickets transferred to one of its counters).
    [[nodiscard]] int waiting(std::string_view sector) const;
    /// Highest online number issued today in a sector (0 if none).
    [[nodiscard]] int last_number(std::string_view sector) const;
    /// Waiting tickets of a sector in the order the rules will call them, as of the last event.
    [[nodiscard]] std::vector<const Ticket*> queue(std::string_view sector) const;
    /// The same as of time `at` (appointments become due or stop being due with time).
    [[nodiscard]] std::vector<const Ticket*> queue(std::string_view sector, Millis at) const;
    /// The ticket "call next" at this counter would get at time `at`, or nullptr.
    [[nodiscard]] const Ticket* next_for(int counter, Millis at) const;
    /// Every configured counter, in configuration order.
    [[nodiscard]] const std::vector<CounterState>& counters() const { return counters_; }
    /// A counter by number, or nullptr.
    [[nodiscard]] const CounterState* find_counter(int number) const;
    /// Walk-ins called in a sector since its last priority/appointment call (alternation).
    [[nodiscard]] int walk_ins_since_priority(std::string_view sector) const;
    /// Number of events applied (including those that did not apply).
    [[nodiscard]] std::int64_t events_seen() const { return events_seen_; }
    /// A hash of the derived state (FNV-1a 64 of a canonical dump): equal on devices that
    /// applied the same events in the same order.
    [[nodiscard]] std::uint64_t state_hash() const;
    /// The configuration it runs with.
    [[nodiscard]] const SiteConfig& config() const { return *config_; }
    /// True if `t` belongs to the "first group" (priority or due appointment) at time `at`.
    [[nodiscard]] bool goes_first(const Ticket& t, Millis at) const;

private:
    ApplyResult on(const Event& e, const TicketIssued& b);
    ApplyResult on(const Event& e, const CounterOpened& b);
    ApplyResult on(const Event& e, const TicketCalled& b);
    ApplyResult on(const Event& e, const TicketRecalled& b);
    ApplyResult on(const Event& e, const ServiceStarted& b);
    ApplyResult on(const Event& e, const ServiceFinished& b);
    ApplyResult on(const Event& e, const TicketNoShow& b);
    ApplyResult on(const Event& e, const TicketTransferred& b);
    ApplyResult on(const Event& e, const CounterPaused& b);
    ApplyResult on(const Event& e, const CounterResumed& b);
    ApplyResult on(const Event& e, const CounterClosed& b);
    ApplyResult on(const Event& e, const TicketCancelled& b);
    ApplyResult on(const Event& e, const DayClosed& b);
    ApplyResult on(const Event& e, const DeviceHello& b);
    ApplyResult on(const Event& e, const StaffSaved& b);
    ApplyResult on(const Event& e, const StaffRemoved& b);
    ApplyResult on(const Event& e, const StaffSignIn& b);
    /// Who acted (Event::by): the counter's staff, the called ticket's called_by.
    void note_staff(const Event& e, const ApplyResult& r);
    void roll_over_to(int day);
    CounterState* counter(int number);
    Ticket* ticket(std::string_view id);

    const SiteConfig* config_;
    int day_ = 0;
    Millis last_time_ = 0;
    std::int64_t events_seen_ = 0;
    std::vector<Ticket> tickets_;
    std::vector<CounterState> counters_;
    std::map<std::string, std::size_t, std::less<>> by_id_;
    std::map<std::string, int, std::less<>> last_number_;
    std::map<std::string, int, std::less<>> walk_ins_since_priority_;
    std::unordered_set<std::string> applied_ids_;  // membership only: never iterated
};

/// Online ticket numbers run 1…kLastPlainOnlineNumber, then continue at kFirstHighOnlineNumber:
/// the numbers in between are the devices' offline ranges (LAN mode).
inline constexpr int kLastPlainOnlineNumber = 999;
inline constexpr int kFirstHighOnlineNumber = 10000;

/// Formats a ticket label: letter + number padded to 3 digits ("A007", "B123", "C1042").
[[nodiscard]] std::string ticket_label(std::string_view letter, int number);

/// Orders a sector's candidates by the queue policy: `first` (priority / due appointments,
/// sorted) interleaved with `walk_ins` (sorted), `since` = walk-ins called since the last
/// first-group call. Shared by the state machine and the forecaster so both follow one rule.
template <class T>
std::vector<T> merge_by_policy(const std::vector<T>& first, const std::vector<T>& walk_ins, int since,
                               const QueuePolicy& policy) {
    std::vector<T> out;
    out.reserve(first.size() + walk_ins.size());
    std::size_t i = 0, j = 0;
    while (i < first.size() || j < walk_ins.size()) {
        const bool take_first = i < first.size() && (j >= walk_ins.size() || policy.mode == QueuePolicy::Mode::Strict ||
                                                     since >= policy.walk_ins_per_priority);
        if (take_first) {
            out.push_back(first[i++]);
            since = 0;
        } else {
            out.push_back(walk_ins[j++]);
            ++since;
        }
    }
    return out;
}

}  // namespace csc
