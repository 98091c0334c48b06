// office_state.hpp — the deterministic state machine over the event log.
//
// Contents: TicketStatus, Ticket, CounterStatus, CounterState, ApplyResult, refused(), QueueRules,
// OfficeState, ticket_label().
// Contract: apply() is a pure function of (state, event, configuration): the same events in the
// same order give the same state on any machine, and replaying them gives it again (the LAN
// sync relies on this). apply() never throws and never reads a clock: "now" is the event's
// time. It judges the event first (check(), which changes nothing) and only then changes the
// state, in place: an event that does not apply is "not applied" with a reason, and the only
// trace it leaves is its id (so it stays a no-op if it comes again) and events_seen(). An
// applied event acts on at most one ticket (ApplyResult::ticket_id), one that was open —
// waiting, called or serving — before it, and on at most its own counter; except day.closed,
// which ends every open ticket and closes every counter, and the first event of a later day,
// which first closes the previous day. The state covers the current office day: the ids of
// earlier days are dropped at the rollover (an event of an earlier day is refused for that
// reason, whenever it comes), so memory and the cost of apply() do not grow with uptime.
// state_hash() covers every field of the derived state (see OfficeState::Derived) but a
// booking's name and contact (Agenda::hash_into says why).
//
// Appointments (shared/booking/agenda.hpp) are part of the state but not of the day: booking
// events are judged by the agenda on their own day, never start an office day nor move "now",
// and a check-in is a TicketIssued naming its booking (judged by both). An agenda.snapshot is
// judged (a malformed part is refused with its reason) and changes nothing: replay_stream()
// (shared/booking/agenda_snapshot.hpp) decides whether a device takes it.
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
#include <unordered_map>
#include <vector>

#include "shared/booking/agenda.hpp"
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
    Millis issued_at = 0;  ///< the issuing device's clock (statistics, the forecast's waited time)
    /// Place in line among walk-ins: the issue time, never earlier than an online ticket issued
    /// before it in the log (a clock stepped back, a device's clock behind the others' cannot
    /// put a later citizen ahead); an offline ticket keeps its own time (it was taken then).
    Millis queued_at = 0;
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
    std::string booking;                   ///< the booking checked in with it ("" = a walk-in)
    std::string token;                     ///< the phone page's key (TicketIssued::token; "" = none)
    std::string feedback;                  ///< the citizen's rating once given (feedback.given: good | so-so | bad; "" = none)
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

/// A ticket's paper asked for at another device (print.requested and what followed), today.
struct PrintRequest {
    std::string id;          ///< the print.requested event's id
    std::string ticket;      ///< the ticket's id
    std::string at;          ///< "entrance" or a device name
    bool reprint = false;
    std::string by;          ///< the staff member who asked
    Millis requested_at = 0;
    std::string claimed_by;  ///< the device printing it now ("" = nobody)
    bool done = false;       ///< printed (by done_by); never printed again
    std::string done_by;     ///< the device that printed it
    int failures = 0;        ///< attempts that did not print
    std::string error;       ///< the last failure's reason ("" = none)
};

/// What apply() did.
struct ApplyResult {
    bool applied = false;
    std::string reason;     ///< why not, when not applied
    std::string ticket_id;  ///< the ticket created or acted on, if any; for an agenda or Info Point event, the event's id (a hold's id)
    std::string code;       ///< why not, for a screen to translate ("counter.closed"; "" = only `reason`)
    ErrorArgs args;         ///< the values `code`'s translation names ({"counter", "2"})
};
/// A refusal as an Error: code "refused.<code>" ("refused" without one), its args, `reason` as the message.
[[nodiscard]] Error refused(const ApplyResult& verdict);

/// The office as derived from the log.
class OfficeState {
public:
    /// The state of an office with this configuration, before any event.
    explicit OfficeState(const SiteConfig& config);

    /// Applies one event in place (idempotent by event id): check(e), then the change.
    ApplyResult apply(const Event& e);
    /// What apply(e) would return now, changing nothing (Office judges an action before storing it).
    [[nodiscard]] ApplyResult check(const Event& e) const;

    /// Office day (YYYYMMDD) of the last applied event; 0 before any.
    [[nodiscard]] int day() const { return d_.day; }
    /// Time of the last event applied (0 before any): the state's "now".
    [[nodiscard]] Millis last_event_time() const { return d_.last_time; }
    /// Today's tickets in the order they were issued.
    [[nodiscard]] const std::vector<Ticket>& tickets() const { return d_.tickets; }
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
    [[nodiscard]] const std::vector<CounterState>& counters() const { return d_.counters; }
    /// A counter by number, or nullptr.
    [[nodiscard]] const CounterState* find_counter(int number) const;
    /// Walk-ins called in a sector since its last priority/appointment call (alternation).
    [[nodiscard]] int walk_ins_since_priority(std::string_view sector) const;
    /// Number of events applied (including those that did not apply).
    [[nodiscard]] std::int64_t events_seen() const { return events_seen_; }
    /// Ids remembered for duplicate detection: those of the current and later office days.
    [[nodiscard]] std::size_t remembered_ids() const { return applied_ids_.size(); }
    /// A hash of every field of the derived state (FNV-1a 64 of a canonical dump) but bookings'
    /// names and contacts: equal on devices that applied the same events in the same order, and
    /// on one that took an agenda snapshot; unchanged by a refused event.
    [[nodiscard]] std::uint64_t state_hash() const;
    /// The configuration it runs with.
    [[nodiscard]] const SiteConfig& config() const { return *config_; }
    /// The appointments (bookings of every kept day, holds, closures).
    [[nodiscard]] const Agenda& agenda() const { return d_.agenda; }
    /// Today's Info Point services (CRS PIN releases, forms handed out on paper): service
    /// ("crs_pin", "form:<id>") → staff member → count (forms: copies). Statistics.
    [[nodiscard]] const std::map<std::string, std::map<std::string, int, std::less<>>, std::less<>>& desk_services() const {
        return d_.desk_services;
    }
    /// Takes a snapshot's agenda (LAN: a device that missed stream messages older than the
    /// retention; only replay_stream() in shared/booking/agenda_snapshot.hpp calls it).
    void adopt_agenda(const Agenda& snapshot) { d_.agenda.adopt(snapshot); }
    /// Today's print requests by id (print.requested / claimed / finished), in id order.
    [[nodiscard]] const std::map<std::string, PrintRequest, std::less<>>& print_requests() const { return d_.print_requests; }
    /// A print request by its id, or nullptr.
    [[nodiscard]] const PrintRequest* find_print_request(std::string_view id) const;
    /// True if `t` belongs to the "first group" (priority or due appointment) at time `at`.
    [[nodiscard]] bool goes_first(const Ticket& t, Millis at) const;

private:
    friend struct OfficeStateProbe;  // tests/core/test_state_hash.cpp: every field, hashed or not

    // Judging (const, refuses with a reason) and then changing (never refuses) per event kind;
    // `verdict` is what the judge returned (the ticket chosen by a call, …).
    ApplyResult judge(const Event& e) const;
    ApplyResult judge(const Event& e, const TicketIssued& b) const;
    ApplyResult judge(const Event& e, const CounterOpened& b) const;
    ApplyResult judge(const Event& e, const TicketCalled& b) const;
    ApplyResult judge(const Event& e, const TicketRecalled& b) const;
    ApplyResult judge(const Event& e, const ServiceStarted& b) const;
    ApplyResult judge(const Event& e, const ServiceFinished& b) const;
    ApplyResult judge(const Event& e, const TicketNoShow& b) const;
    ApplyResult judge(const Event& e, const TicketTransferred& b) const;
    ApplyResult judge(const Event& e, const CounterPaused& b) const;
    ApplyResult judge(const Event& e, const CounterResumed& b) const;
    ApplyResult judge(const Event& e, const CounterClosed& b) const;
    ApplyResult judge(const Event& e, const TicketCancelled& b) const;
    ApplyResult judge(const Event& e, const DayClosed& b) const;
    ApplyResult judge(const Event& e, const DeviceHello& b) const;
    ApplyResult judge(const Event& e, const StaffSaved& b) const;
    ApplyResult judge(const Event& e, const StaffRemoved& b) const;
    ApplyResult judge(const Event& e, const StaffSignIn& b) const;
    ApplyResult judge(const Event& e, const StaffSignedOut& b) const;
    ApplyResult judge(const Event& e, const CrsPinReleased& b) const;
    ApplyResult judge(const Event& e, const FormHandedOut& b) const;
    ApplyResult judge(const Event& e, const AgendaSnapshot& b) const;
    ApplyResult judge(const Event& e, const PrintRequested& b) const;
    ApplyResult judge(const Event& e, const PrintClaimed& b) const;
    ApplyResult judge(const Event& e, const PrintFinished& b) const;
    ApplyResult judge(const Event& e, const TicketReprinted& b) const;
    ApplyResult judge(const Event& e, const MaintenanceDone& b) const;
    ApplyResult judge(const Event& e, const FeedbackGiven& b) const;
    void change(const Event& e, const TicketIssued& b, const ApplyResult& verdict);
    void change(const Event& e, const CounterOpened& b, const ApplyResult& verdict);
    void change(const Event& e, const TicketCalled& b, const ApplyResult& verdict);
    void change(const Event& e, const TicketRecalled& b, const ApplyResult& verdict);
    void change(const Event& e, const ServiceStarted& b, const ApplyResult& verdict);
    void change(const Event& e, const ServiceFinished& b, const ApplyResult& verdict);
    void change(const Event& e, const TicketNoShow& b, const ApplyResult& verdict);
    void change(const Event& e, const TicketTransferred& b, const ApplyResult& verdict);
    void change(const Event& e, const CounterPaused& b, const ApplyResult& verdict);
    void change(const Event& e, const CounterResumed& b, const ApplyResult& verdict);
    void change(const Event& e, const CounterClosed& b, const ApplyResult& verdict);
    void change(const Event& e, const TicketCancelled& b, const ApplyResult& verdict);
    void change(const Event& e, const DayClosed& b, const ApplyResult& verdict);
    void change(const Event& e, const DeviceHello& b, const ApplyResult& verdict);
    void change(const Event& e, const StaffSaved& b, const ApplyResult& verdict);
    void change(const Event& e, const StaffRemoved& b, const ApplyResult& verdict);
    void change(const Event& e, const StaffSignIn& b, const ApplyResult& verdict);
    void change(const Event& e, const StaffSignedOut& b, const ApplyResult& verdict);
    void change(const Event& e, const CrsPinReleased& b, const ApplyResult& verdict);
    void change(const Event& e, const FormHandedOut& b, const ApplyResult& verdict);
    void change(const Event& e, const AgendaSnapshot& b, const ApplyResult& verdict);
    void change(const Event& e, const PrintRequested& b, const ApplyResult& verdict);
    void change(const Event& e, const PrintClaimed& b, const ApplyResult& verdict);
    void change(const Event& e, const PrintFinished& b, const ApplyResult& verdict);
    void change(const Event& e, const TicketReprinted& b, const ApplyResult& verdict);
    void change(const Event& e, const MaintenanceDone& b, const ApplyResult& verdict);
    void change(const Event& e, const FeedbackGiven& b, const ApplyResult& verdict);
    // Booking kinds: judged and applied by the agenda (check() and apply() route them there).
    template <class B>
    ApplyResult judge(const Event&, const B&) const { return {false, "judged by the agenda", {}}; }
    template <class B>
    void change(const Event&, const B&, const ApplyResult&) {}
    /// Who acted (Event::by): the counter's staff, the called ticket's called_by.
    void note_staff(const Event& e, const ApplyResult& verdict);
    void roll_over_to(int day);
    /// queue(sector, at).front() unless it is transferred to a counter, or nullptr: computed
    /// without sorting the queue.
    [[nodiscard]] const Ticket* front_of(std::string_view sector, Millis at) const;
    CounterState* counter(int number);
    Ticket* ticket(std::string_view id);

    /// The derived state: every field is covered by state_hash() (a compile-time count in
    /// office_state.cpp fails when one is added, until it is hashed and the count updated).
    struct Derived {
        int day = 0;                                                  ///< office day, YYYYMMDD
        Millis last_time = 0;                                         ///< latest applied event's time
        std::vector<Ticket> tickets;                                  ///< today's, in issue order
        std::vector<CounterState> counters;                           ///< configuration order
        std::map<std::string, int, std::less<>> last_number;          ///< sector → highest online number
        std::map<std::string, int, std::less<>> walk_ins_since_priority;  ///< sector → alternation count
        Agenda agenda;                                                ///< appointments: outlives the day
        /// Info Point services today: "crs_pin" / "form:<id>" → staff → count.
        std::map<std::string, std::map<std::string, int, std::less<>>, std::less<>> desk_services;
        /// Print requests of today by id.
        std::map<std::string, PrintRequest, std::less<>> print_requests;
    };
    const SiteConfig* config_;  // the configuration, not derived
    Derived d_;
    // Not hashed, on purpose: events_seen_ counts refused and duplicate events too (a process
    // started today counts fewer); by_id_ is an index of d_.tickets; applied_ids_ (id → its
    // office day) is the log's membership record — a refused event adds its id, which must not
    // make the state "changed" — and holds only the current and later days (rollover prunes).
    std::int64_t events_seen_ = 0;
    std::map<std::string, std::size_t, std::less<>> by_id_;
    // No ticket before d_.tickets[first_waiting_] waits (a queue's scans start there): moved on
    // as tickets leave the queues, moved back by a transfer (the only way back into a queue).
    std::size_t first_waiting_ = 0;
    [[nodiscard]] std::vector<Ticket>::const_iterator waiting_from() const {
        return d_.tickets.begin() + static_cast<std::ptrdiff_t>(first_waiting_);
    }
    std::unordered_map<std::string, int> applied_ids_;  // iterated only to prune: order never matters
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
