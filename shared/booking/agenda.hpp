// agenda.hpp — appointments as derived from the log: bookings, holds, declared closures.
//
// Contents: BookingStatus, status_at(), check_in_closed(), BookingStep, Booking, Hold, Closure,
//           SlotInfo, AgendaRefusal, kClosedOffice, kClosedLocalHoliday, closed_reason_english(),
//           agenda_history_start(), kNameOnOtherDevices, Agenda.
// Contract: part of the office state machine (OfficeState holds one and covers it in
// state_hash): judge() is pure and refuses with a reason, apply() changes only after judge()
// said yes, and both read no clock — "now" is the event's time. Unlike the queue, the agenda
// outlives the office day: roll_to(day) — called before an event of a later day is applied, by
// booking events and queue events alike, and equivalent whichever comes first — turns bookings
// of earlier days that nobody checked in into no-shows and forgets bookings (personal data
// included) keep_days after their day. Places follow the log order: a BookingMade or
// BookingMoved needs a free place (or its own live hold) when it is applied, so two devices
// racing for the last place get one booking and one refusal on every device alike.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "shared/config.hpp"
#include "shared/events.hpp"
#include "shared/result.hpp"

namespace csc {

/// Where a booking is in its life.
/// The agenda ends at CheckedIn: what happened at the counter is the check-in ticket's outcome
/// (a past day's queue events are not replayed at start, so the agenda must not depend on them).
/// WalkedIn: the citizen came past the check-in window and staff gave a walk-in ticket instead.
enum class BookingStatus { Booked, CheckedIn, NoShow, CancelledByCitizen, CancelledByOffice, WalkedIn };
/// "booked", "checked-in", "no-show", "cancelled", "cancelled-by-office", "walked-in" (JSON names).
[[nodiscard]] std::string_view to_string(BookingStatus s);
/// Moves a booking may have: the next is refused (booking.too_many_moves). Keeps a booking's
/// history short, so an agenda snapshot always holds it (events.cpp caps it at 200 steps).
inline constexpr int kMaxBookingMoves = 20;
/// The status of a JSON name (every BookingStatus, to_string's inverse); nullopt for another text.
[[nodiscard]] std::optional<BookingStatus> booking_status_named(std::string_view name);

/// The status a booking shows at `now`: Booked on a day already over reads NoShow even before
/// the agenda rolled (the roll happens with the next event; views must not wait for it).
[[nodiscard]] BookingStatus status_at(const struct Booking& b, Millis now, const SiteConfig& config);
/// Whether `b`'s check-in has closed at `now` (past its slot + checkin_late_minutes): a booking
/// not checked in by then never will be (the info point may still turn it into a walk-in).
[[nodiscard]] bool check_in_closed(const struct Booking& b, Millis now, const SiteConfig& config);

/// One entry of a booking's history.
struct BookingStep {
    Millis time = 0;
    std::string what;  ///< made | moved | checked-in | walked-in | no-show | cancelled | cancelled-by-office
    std::string by;    ///< staff member ("" = the citizen or the office itself)
    bool operator==(const BookingStep&) const = default;
};

/// One appointment.
struct Booking {
    std::string code;
    std::string service;  ///< bookable service id
    std::string sector;
    Millis slot = 0;
    std::string name, contact, person, lang, channel;
    BookingStatus status = BookingStatus::Booked;
    std::string ticket;   ///< the check-in ticket's id ("" = not checked in)
    std::string reason;   ///< why it was cancelled (a closure's reason, …)
    std::vector<BookingStep> history;
    /// Booked or checked in: it takes a place in its slot.
    [[nodiscard]] bool takes_place() const { return status == BookingStatus::Booked || status == BookingStatus::CheckedIn; }
};

/// A place held while a citizen chooses.
struct Hold {
    std::string id;  ///< the BookingHeld event's id
    std::string service;
    Millis slot = 0;
    Millis until = 0;  ///< freed at this time unless used
};

/// A closure declared by the office (ClosureDeclared).
struct Closure {
    int date = 0;  ///< YYYYMMDD
    int from_minute = 0, to_minute = 24 * 60;
    std::string reason;
    std::string by;
};

/// A slot of a bookable service and its places.
struct SlotInfo {
    Millis start = 0;
    int capacity = 0;
    int taken = 0;   ///< booked or checked in
    int held = 0;    ///< held by citizens choosing now
    bool open = false;  ///< bookable now: notice, days ahead and closures allow it
    [[nodiscard]] int free() const { return capacity - taken - held > 0 ? capacity - taken - held : 0; }
};

/// Why the agenda refuses an event or a check-in: the English sentence (logs, the CLI) and a
/// code with its arguments for screens (catalogue key "error.booking.<…>"; Office and the
/// application layer pass it on as the Error's code). Empty = no refusal.
struct AgendaRefusal {
    std::string reason;  ///< English; "" = accepted
    std::string code;    ///< "booking.too_early", "booking.full", … ("" = bookkeeping: duplicate, earlier day)
    ErrorArgs args;      ///< {"code", "K7PQX4M"}, {"time", "09:30"}, …
    [[nodiscard]] bool empty() const { return reason.empty(); }
    explicit operator bool() const { return !reason.empty(); }
};

/// closed_reason() for a day the configuration closes (`closed`, and a declared closure with no
/// reason): a catalogue key, translated where shown (Translator::tr_or_text).
inline constexpr std::string_view kClosedOffice = "closure.office_closed";
/// closed_reason() for a yearly local holiday (`closed_every_year`, the patron saint): a catalogue key.
inline constexpr std::string_view kClosedLocalHoliday = "closure.local_holiday";
/// A closed_reason() in English for logs and the CLI (the keys above spelt out; other reasons as they are).
[[nodiscard]] std::string closed_reason_english(std::string_view reason);

/// The earliest time whose booking events can still matter now (the agenda's bookings are kept
/// keep_days after their day and made at most days_ahead before it): what a starting device loads.
[[nodiscard]] Millis agenda_history_start(const SiteConfig& config, Millis now);

/// The name (and nothing as contact) of a booking this device knows only from an agenda
/// snapshot: snapshots never carry names or contacts (shared/booking/agenda_snapshot.hpp).
inline constexpr std::string_view kNameOnOtherDevices = "(name on the other devices)";

/// The office's appointments.
class Agenda {
public:
    /// Whether this kind of event is the agenda's (booking.*, closure.*).
    [[nodiscard]] static bool handles(const EventBody& b);

    /// Empty when `e` (one of handles()'s kinds) applies now, else why not. Judged as this
    /// agenda stands (OfficeState rolls a copy to e's day first when it is behind).
    [[nodiscard]] AgendaRefusal judge(const Event& e, const SiteConfig& config) const;
    /// Applies an event judge() accepted (rolls to its day first).
    void apply(const Event& e, const SiteConfig& config);
    /// Whether an event id was applied (or refused) already.
    [[nodiscard]] bool seen(const std::string& id) const { return seen_.count(id) > 0; }
    /// Remembers a refused event's id (its refusal stays one if it comes again).
    void note_seen(const Event& e, const SiteConfig& config);
    /// Ends the days before `day` (YYYYMMDD): their bookings not checked in become no-shows,
    /// those keep_days older are forgotten, expired holds dropped. Idempotent, monotone.
    void roll_to(int day, const SiteConfig& config);
    /// The day the agenda last rolled to (0 before any).
    [[nodiscard]] int day() const { return day_; }

    /// Check-in of `code` at `t` for a ticket of sector/service: empty or why not (codes
    /// booking.unknown, .other_sector, .already_checked_in, .cancelled, .cancelled_by_office,
    /// .no_show, .other_day {when}, .too_early {time}, .too_late {time}; all with {code}).
    [[nodiscard]] AgendaRefusal check_in_problem(const std::string& code, const std::string& sector, Millis t,
                                               const SiteConfig& config) const;
    /// Marks a check-in done (the ticket's id).
    void checked_in(const std::string& code, const std::string& ticket_id, Millis t);
    /// Why staff cannot turn `code` into a walk-in ticket at `t`: empty only when the check-in is
    /// refused as too late (booking.too_late); booking.not_late {code, time} while it can still
    /// be checked in (or is early); otherwise check_in_problem()'s refusal (other day, cancelled, …).
    [[nodiscard]] AgendaRefusal walk_in_problem(const std::string& code, const std::string& sector, Millis t,
                                              const SiteConfig& config) const;
    /// Marks a late booking as walked in: the walk-in ticket's id and the staff member.
    void walked_in(const std::string& code, const std::string& ticket_id, Millis t, const std::string& by);

    /// A booking by code, or nullptr.
    [[nodiscard]] const Booking* find(std::string_view code) const;
    /// Every booking kept, in the order they were made.
    [[nodiscard]] const std::vector<Booking>& bookings() const { return bookings_; }
    /// Bookings on a local date (YYYYMMDD), by slot time.
    [[nodiscard]] std::vector<const Booking*> on_day(int date, const SiteConfig& config) const;
    /// Live holds at time `at`.
    [[nodiscard]] std::vector<Hold> holds(Millis at) const;
    /// Declared closures, in the order declared.
    [[nodiscard]] const std::vector<Closure>& closures() const { return closures_; }
    /// Why a whole local date is closed for bookings — a national holiday's name ("Natale"),
    /// kClosedOffice, kClosedLocalHoliday, or a declared closure's reason — or "" when it is not.
    [[nodiscard]] std::string closed_reason(const Date& d, const SiteConfig& config) const;
    /// Slots of `service` on `days` local dates from `from`, with their places as of `at`.
    [[nodiscard]] std::vector<SlotInfo> slots(const BookableService& service, const Date& from, int days, Millis at,
                                              const SiteConfig& config) const;
    /// An agenda as a snapshot describes it (agenda_snapshot.hpp checks the parts first).
    [[nodiscard]] static Agenda restore(int day, std::vector<Booking> bookings, std::vector<Hold> holds,
                                        std::vector<Closure> closures);
    /// Takes `snapshot`'s day, bookings, holds and closures; keeps the event ids seen here (so
    /// a duplicate stays a no-op) and adds the snapshot's.
    void adopt(const Agenda& snapshot);
    /// Mixes every field into a state hash (`mix` takes text; numbers are given as text) but a
    /// booking's name and contact: copied from its booking.made as they are, never judged on,
    /// and absent on a device that knows the booking only from a snapshot (which carries no
    /// personal data), whose agenda must still hash like everyone's.
    template <class Mix>
    void hash_into(Mix&& mix) const;

private:
    [[nodiscard]] AgendaRefusal slot_problem(const std::string& service, Millis slot, Millis at, const std::string& hold,
                                           const std::string& moving_code, const std::string& person,
                                           const SiteConfig& config) const;
    [[nodiscard]] const Hold* live_hold(std::string_view id, Millis at) const;
    [[nodiscard]] bool closed_at(Millis slot, const SiteConfig& config) const;
    Booking* find_mut(std::string_view code);

    int day_ = 0;
    std::vector<Booking> bookings_;                      // in the order made
    std::map<std::string, std::size_t, std::less<>> by_code_;  // index of bookings_ (not hashed)
    std::vector<Hold> holds_;                            // made and not yet used, released or expired at the last roll
    std::vector<Closure> closures_;
    std::unordered_map<std::string, int> seen_;          // event id → its day: duplicates stay no-ops
};

template <class Mix>
void Agenda::hash_into(Mix&& mix) const {
    static_assert(sizeof(Booking) > 0);
    mix(std::to_string(day_));
    mix(std::to_string(bookings_.size()));
    for (const auto& b : bookings_) {
        for (const auto* s : {&b.code, &b.service, &b.sector, &b.person, &b.lang, &b.channel, &b.ticket, &b.reason})
            mix(*s);
        mix(std::to_string(b.slot));
        mix(to_string(b.status));
        mix(std::to_string(b.history.size()));
        for (const auto& h : b.history) {
            mix(std::to_string(h.time));
            mix(h.what);
            mix(h.by);
        }
    }
    mix(std::to_string(holds_.size()));
    for (const auto& h : holds_) {
        mix(h.id);
        mix(h.service);
        mix(std::to_string(h.slot));
        mix(std::to_string(h.until));
    }
    mix(std::to_string(closures_.size()));
    for (const auto& c : closures_) {
        mix(std::to_string(c.date));
        mix(std::to_string(c.from_minute));
        mix(std::to_string(c.to_minute));
        mix(c.reason);
        mix(c.by);
    }
}

}  // namespace csc
