// booking.hpp — the application's booking actions: what the kiosk, the info point, the web and
// the CLI call to find slots, hold, book, move, cancel, check in and close days.
//
// Contents: kMaxBookingNameChars, clean_citizen_name(), clean_contact(), person_key(), new_booking_code(),
//           free_slots(), next_free_slots(), BookingRequest, hold_place(), release_hold(), book(),
//           find_bookings(), move_booking(), cancel_booking(), mark_booking_no_show(), declare_closure(),
//           MovedBooking, ClosureOutcome, declare_closure_moving(), walk_in_late_booking(), check_in_booking().
// Contract: every action is one agenda event recorded through Office::record_agenda (LAN: only
// online, decided by the stream's order); citizen input is checked here first and a bad one is
// an Error with code "input" and nothing recorded; a place taken meanwhile is an Error with
// code "booking.full" whose message lists the next free slots. The fiscal code is never kept:
// only a keyed hash of it (person_key) for the per-person limit. Names and contacts are never
// logged by this layer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "shared/office.hpp"

namespace csc::app {

/// Longest citizen name on a booking (characters).
inline constexpr std::size_t kMaxBookingNameChars = 60;

/// The name as given, trimmed: 1–60 characters, letters of any script, no control characters.
[[nodiscard]] Result<std::string> clean_citizen_name(std::string_view name);
/// An optional phone (+39 333 1234567: digits, spaces, +) or e-mail, trimmed; "" stays "".
[[nodiscard]] Result<std::string> clean_contact(std::string_view contact);
/// The opaque per-person key: BLAKE2b of the fiscal code (checked) if given, else of the contact,
/// else of the name, keyed by the office's name (pseudonymous: purged with the booking).
[[nodiscard]] Result<std::string> person_key(const SiteConfig& config, std::string_view fiscal_code,
                                             std::string_view contact, std::string_view name);
/// A fresh random booking code (libsodium randombytes, unbiased).
[[nodiscard]] std::string new_booking_code();

/// Slots of a bookable service on `days` dates from `from` as the agenda stands now (closed and
/// past ones included, marked; see SlotInfo::open).
[[nodiscard]] Result<std::vector<SlotInfo>> free_slots(const Office& office, const std::string& service, const Date& from,
                                                       int days);
/// Up to `n` open slots with a free place: the first ones at or after `near` (0 = now), then the
/// latest ones before it — what to offer when the wanted slot is gone.
[[nodiscard]] std::vector<Millis> next_free_slots(const Office& office, const std::string& service, std::size_t n,
                                                  Millis near = 0);

/// What a citizen (or staff for them) asks to book.
struct BookingRequest {
    std::string service;
    Millis slot = 0;
    std::string name;
    std::string contact;
    std::string fiscal_code;  ///< optional, for the per-person limit only
    std::string lang;         ///< "" = the office's first language
    std::string channel = "kiosk";
    std::string hold;         ///< the place held while choosing ("" = none)
};

/// Holds a place in a slot while the citizen types their name: the hold's id. "booking.full"
/// when the slot filled meanwhile (with the next free slots), "offline" in LAN mode offline.
[[nodiscard]] Result<std::string> hold_place(Office& office, const std::string& service, Millis slot);
/// Gives a held place back (the citizen went back); an expired hold is not an error.
Result<void> release_hold(Office& office, const std::string& hold);
/// Books: the booking as recorded (with its code), or an Error ("input", "booking.full", "offline", …).
[[nodiscard]] Result<Booking> book(Office& office, const BookingRequest& request, const std::string& by = {});
/// Bookings whose code, name or contact matches `query` (staff search; a code typed by a citizen
/// finds only its own booking), newest slot first.
[[nodiscard]] std::vector<Booking> find_bookings(const Office& office, std::string_view query);
/// Moves a booking (code as typed) to another slot of its service. LAN, not confirmed in time:
/// an Error (code "booking"), and the move is withdrawn — a move back to the old slot and the
/// release of `hold` follow it in publish order, so a late move never surprises the citizen.
[[nodiscard]] Result<Booking> move_booking(Office& office, std::string_view code, Millis slot, const std::string& hold,
                                           const std::string& by = {});
/// Cancels a booking (code as typed); by_office = staff on the office's behalf.
[[nodiscard]] Result<Booking> cancel_booking(Office& office, std::string_view code, bool by_office, const std::string& reason,
                                             const std::string& by = {});
/// Marks a booking as not come (staff).
[[nodiscard]] Result<Booking> mark_booking_no_show(Office& office, std::string_view code, const std::string& by);
/// Declares a closure of `date` from `from_minute` to `to_minute` (whole day 0–1440) and returns
/// the bookings it cancelled: the citizens to call (staff only: names and contacts).
[[nodiscard]] Result<std::vector<Booking>> declare_closure(Office& office, const Date& date, int from_minute, int to_minute,
                                                          const std::string& reason, const std::string& by);
/// A booking moved away from a closure: as it is now, and the slot it had.
struct MovedBooking {
    Booking booking;
    Millis from = 0;
};
/// What a closure did to the bookings on it: the citizens to call.
struct ClosureOutcome {
    std::vector<MovedBooking> moved;  ///< each moved to the first free slot of its service after the closure
    std::vector<Booking> cancelled;   ///< no free slot (or the citizen's limit): cancelled by the office
};
/// As declare_closure, but first moves each booking on the closed time (in slot order) to the
/// first open slot of its service with a free place after the closure (BookingMoved each, by
/// `by`, within days_ahead); the closure then cancels those that found none. Nothing is moved
/// when the closure itself would be refused (past day, bad range). A move that fails for another
/// reason than a full slot (offline, LAN not confirmed) stops here with that Error: the bookings
/// moved so far stay moved, the closure is not declared (run it again).
[[nodiscard]] Result<ClosureOutcome> declare_closure_moving(Office& office, const Date& date, int from_minute, int to_minute,
                                                            const std::string& reason, const std::string& by);
/// A citizen past the check-in window (sent to the info point): staff `by` give a walk-in ticket
/// for the booking's service, the booking ends "walked-in" — one event. booking.not_late while it
/// can still be checked in; booking.staff_only without `by`; unknown, other_day, cancelled, … as check-in.
[[nodiscard]] Result<IssuedTicket> walk_in_late_booking(Office& office, std::string_view code, const std::string& lang,
                                                        const std::string& by);
/// Checks a booking in (code as typed or scanned): the appointment ticket; `by` = the staff member
/// who checked the citizen in ("" = the citizen at the kiosk).
[[nodiscard]] Result<IssuedTicket> check_in_booking(Office& office, std::string_view code, const std::string& lang,
                                                    const std::string& channel, const std::string& by = {});

}  // namespace csc::app
