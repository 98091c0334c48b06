// events.hpp — the office's append-only event log entries and their wire/storage codec.
//
// Contents: event bodies (one struct per kind), EventBody, Event, encode_event(), decode_event(),
// validate_event().
// An event records an INTENT with its context (who, where, when), not its outcome: the ticket
// number, which ticket a "call next" gets, … follow from the order in which the deterministic
// state machine (office_state.hpp) applies events. The same log is replicated over the LAN, so
// every event carries a globally unique id ("<device>:<device seq>") and the device that made it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "shared/clock.hpp"
#include "shared/result.hpp"

namespace csc {

/// Version of the encoded form; decode_event rejects others.
inline constexpr int kEventFormatVersion = 1;
/// Largest encoded event accepted from anywhere (bytes).
inline constexpr std::size_t kMaxEncodedEventSize = 16 * 1024;
/// Latest event time accepted (ms since 1970: 3000-01-01); earlier than 1970 is refused too.
inline constexpr Millis kMaxEventTime = 32'503'680'000'000;

/// A citizen took a ticket (at the kiosk, at the info point, or by checking in a booking).
struct TicketIssued {
    static constexpr std::string_view kType = "ticket.issued";
    std::string sector;
    std::string service;                ///< "" when the sector has no services
    std::string priority;               ///< "" = ordinary; else a configured priority class id
    std::string lang = "it";            ///< language chosen by the citizen (spoken call, paper)
    std::string channel = "kiosk";      ///< kiosk | assisted | booking | cli
    std::optional<int> offline_number;  ///< set only by a device that issued while cut off
    std::optional<Millis> appointment_at;  ///< an appointment's slot time (simulations; check-in takes the booking's)
    std::string booking;                   ///< check-in: the booking's code ("" = a walk-in)
    bool walk_in = false;                  ///< with booking: came past the check-in window; staff give a walk-in ticket, the booking ends "walked-in"
    std::string token;                     ///< the phone page's key (/t/TOKEN): 22 random base64url characters, no personal data; "" = none
    /// The wait promised on the ticket, whole minutes as printed (ToldWait low–high); both or
    /// neither (older events, tickets issued without a forecast). Statistics: forecast accuracy.
    std::optional<int> promised_low_min, promised_high_min;
    bool operator==(const TicketIssued&) const = default;
};

// ---- Counter actions. Each names the counter (sportello) it was made at; the ticket acted on
// is the counter's current one unless stated, so the outcome follows from the log order.

/// A counter starts working (closed or paused → open).
struct CounterOpened {
    static constexpr std::string_view kType = "counter.opened";
    int counter = 0;
    bool operator==(const CounterOpened&) const = default;
};
/// The operator calls the next ticket (ticket empty) or a specific one (a ticket id).
struct TicketCalled {
    static constexpr std::string_view kType = "ticket.called";
    int counter = 0;
    std::string ticket;  ///< "" = next by the queue rules; else the id of a waiting ticket
    bool operator==(const TicketCalled&) const = default;
};
/// The counter's called ticket is announced again.
struct TicketRecalled {
    static constexpr std::string_view kType = "ticket.recalled";
    int counter = 0;
    bool operator==(const TicketRecalled&) const = default;
};
/// The citizen of the called ticket arrived at the counter: service starts.
struct ServiceStarted {
    static constexpr std::string_view kType = "service.started";
    int counter = 0;
    bool operator==(const ServiceStarted&) const = default;
};
/// Service of the counter's ticket is over; `service` = what was actually done ("" = as asked).
struct ServiceFinished {
    static constexpr std::string_view kType = "service.finished";
    int counter = 0;
    std::string service;
    bool operator==(const ServiceFinished&) const = default;
};
/// The called citizen did not come.
struct TicketNoShow {
    static constexpr std::string_view kType = "ticket.no_show";
    int counter = 0;
    bool operator==(const TicketNoShow&) const = default;
};
/// The counter's ticket goes back to waiting in another sector and/or for one counter; it keeps
/// its place by original issue time.
struct TicketTransferred {
    static constexpr std::string_view kType = "ticket.transferred";
    int counter = 0;
    std::string to_sector;         ///< "" = same sector
    std::optional<int> to_counter; ///< only this counter may call it
    bool operator==(const TicketTransferred&) const = default;
};
/// The counter pauses, with a reason the display can show ("pausa", "back office", …).
struct CounterPaused {
    static constexpr std::string_view kType = "counter.paused";
    int counter = 0;
    std::string reason;
    bool operator==(const CounterPaused&) const = default;
};
/// A paused counter works again.
struct CounterResumed {
    static constexpr std::string_view kType = "counter.resumed";
    int counter = 0;
    bool operator==(const CounterResumed&) const = default;
};
/// The counter stops for the day (or until opened again).
struct CounterClosed {
    static constexpr std::string_view kType = "counter.closed";
    int counter = 0;
    bool operator==(const CounterClosed&) const = default;
};
/// A waiting ticket is withdrawn (the citizen left and said so, or staff cancelled it).
struct TicketCancelled {
    static constexpr std::string_view kType = "ticket.cancelled";
    std::string ticket;
    /// Why staff withdrew it: a reason key from a short list ("infopoint.cancel.wrong_sector", …;
    /// screens translate it), "" = not given (older events, the LAN withdrawal). Who: Event::by.
    std::string reason;
    bool operator==(const TicketCancelled&) const = default;
};
/// End of the office day: every open ticket is closed as not served, every counter closed.
struct DayClosed {
    static constexpr std::string_view kType = "day.closed";
    bool operator==(const DayClosed&) const = default;
};

/// LAN mode: a device announces the index of its offline ticket range (once a day and after a
/// restart or a change). Changes no queue state; devices use it to detect two devices with the
/// same index (docs/SYNC.md, "Device index conflicts").
struct DeviceHello {
    static constexpr std::string_view kType = "device.hello";
    int device_index = 0;  ///< 1…9
    bool operator==(const DeviceHello&) const = default;
};

// ---- Staff (shared/staff/staff_directory.hpp). Staff records outlive the office day: every
// device keeps them from all the events it has, not only today's. Never a PIN: its hash.

/// A staff member is added or changed: roles and, unless empty, a new PIN hash (argon2id).
struct StaffSaved {
    static constexpr std::string_view kType = "staff.saved";
    std::string name;                ///< unique (case-insensitive), as shown at sign-in
    std::vector<std::string> roles;  ///< counter | infopoint | maintenance
    std::string pin_hash;            ///< crypto_pwhash_str output; "" = keep the current one
    bool operator==(const StaffSaved&) const = default;
};
/// A staff member can no longer sign in.
struct StaffRemoved {
    static constexpr std::string_view kType = "staff.removed";
    std::string name;
    bool operator==(const StaffRemoved&) const = default;
};
/// A sign-in attempt and its outcome (the PIN checked on the device): audit and lockout.
struct StaffSignIn {
    static constexpr std::string_view kType = "staff.sign_in";
    std::string name;
    bool ok = false;
    std::string where;  ///< "counter 3", "infopoint", "service-menu"
    bool operator==(const StaffSignIn&) const = default;
};

/// A signed-in staff member signs out (or is signed out after inactivity): audit.
struct StaffSignedOut {
    static constexpr std::string_view kType = "staff.signed_out";
    std::string name;
    std::string where;  ///< as in StaffSignIn
    bool operator==(const StaffSignedOut&) const = default;
};

// ---- Appointments (shared/booking/agenda.hpp). Booking records outlive the office day, like
// staff records: the agenda holds every booking from its making until keep_days after its day.
// Who and which place follow from the log order, as ticket numbers do.

/// A place in a slot is held while a citizen chooses (the hold's id is this event's id); it is
/// freed after booking.hold_minutes, by BookingReleased, or taken by BookingMade.
struct BookingHeld {
    static constexpr std::string_view kType = "booking.held";
    std::string service;  ///< a bookable service id
    Millis slot = 0;      ///< the slot's start
    bool operator==(const BookingHeld&) const = default;
};
/// A hold is given up (the citizen went back or left).
struct BookingReleased {
    static constexpr std::string_view kType = "booking.released";
    std::string hold;  ///< id of the BookingHeld event
    bool operator==(const BookingReleased&) const = default;
};
/// A citizen books a slot (with the place held before, or straight away by staff and scripts).
struct BookingMade {
    static constexpr std::string_view kType = "booking.made";
    std::string code;     ///< shared/booking/booking_code.hpp, made by the booking device
    std::string service;
    Millis slot = 0;
    std::string hold;     ///< the BookingHeld it takes ("" = none: needs a free place now)
    std::string name;     ///< as the citizen gave it
    std::string contact;  ///< optional phone or e-mail
    std::string person;   ///< opaque key for the per-person limit (a keyed hash; never the fiscal code)
    std::string lang;     ///< the citizen's language (receipt, reminders)
    std::string channel;  ///< kiosk | assisted | cli | web
    bool operator==(const BookingMade&) const = default;
};
/// A booking moves to another slot (the citizen asked, or staff after a closure).
struct BookingMoved {
    static constexpr std::string_view kType = "booking.moved";
    std::string code;
    Millis slot = 0;
    std::string hold;  ///< the BookingHeld for the new slot ("" = needs a free place now)
    bool operator==(const BookingMoved&) const = default;
};
/// A booking is cancelled by the citizen or by the office (Event::by = the staff member).
struct BookingCancelled {
    static constexpr std::string_view kType = "booking.cancelled";
    std::string code;
    bool by_office = false;
    std::string reason;
    bool operator==(const BookingCancelled&) const = default;
};
/// Staff mark a booked citizen as not come (the end of the day does it for those left).
struct BookingNoShow {
    static constexpr std::string_view kType = "booking.no_show";
    std::string code;
    bool operator==(const BookingNoShow&) const = default;
};
/// The office declares a closure (a strike, a training afternoon): no booking in it, and the
/// bookings already on it are cancelled by the office (the agenda lists whom to call).
struct ClosureDeclared {
    static constexpr std::string_view kType = "closure.declared";
    int date = 0;            ///< YYYYMMDD
    int from_minute = 0;     ///< local minutes, [from, to)
    int to_minute = 24 * 60;
    std::string reason;
    bool operator==(const ClosureDeclared&) const = default;
};

/// One step of a booking's history in an agenda snapshot (as BookingStep).
struct SnapshotStep {
    Millis time = 0;
    std::string what;  ///< made | moved | checked-in | no-show | cancelled | cancelled-by-office
    std::string by;
    bool operator==(const SnapshotStep&) const = default;
};
/// A booking in an agenda snapshot: every field of Booking but the citizen's name and contact,
/// which never go into a snapshot (docs/BOOKING.md, "Bookings older than the stream").
struct SnapshotBooking {
    std::string code, service, sector;
    Millis slot = 0;
    std::string person, lang, channel;
    std::string status;  ///< a BookingStatus name (to_string: booked | checked-in | … | walked-in)
    std::string ticket, reason;
    std::vector<SnapshotStep> history;
    bool operator==(const SnapshotBooking&) const = default;
};
/// A live hold in an agenda snapshot (as Hold).
struct SnapshotHold {
    std::string id, service;
    Millis slot = 0, until = 0;
    bool operator==(const SnapshotHold&) const = default;
};
/// A declared closure in an agenda snapshot (as Closure).
struct SnapshotClosure {
    int date = 0, from_minute = 0, to_minute = 24 * 60;
    std::string reason, by;
    bool operator==(const SnapshotClosure&) const = default;
};
/// LAN: one part of the office's confirmed agenda exactly after stream sequence `based_on`
/// (shared/booking/agenda_snapshot.hpp). Published at day open; used only by a device that
/// missed stream messages older than the stream's retention. Changes no state by itself.
struct AgendaSnapshot {
    static constexpr std::string_view kType = "agenda.snapshot";
    std::uint64_t based_on = 0;  ///< the stream sequence it is the agenda after (>= 1)
    int part = 0;                ///< 0 … parts-1
    int parts = 1;               ///< how many parts make the snapshot
    int day = 0;                 ///< the agenda's day (YYYYMMDD) at based_on
    std::vector<SnapshotBooking> bookings;  ///< in the agenda's order, parts in order
    std::vector<SnapshotHold> holds;        ///< in part 0 only
    std::vector<SnapshotClosure> closures;  ///< in part 0 only
    bool operator==(const AgendaSnapshot&) const = default;
};

// ---- The Info Point (kiosk/app/crs_pin.hpp, kiosk/app/forms.hpp; docs/INFOPOINT.md). Counted as
// services of the day (OfficeState::desk_services), by the staff member (Event::by, required).

/// Staff released the first digits of a citizen's CRS / TS-CNS PIN and PUK on a printed receipt.
/// The register keeps the document's type and the last 3 characters of its number, and who
/// asked; NEVER a digit of the PIN or PUK, and not the codice fiscale.
struct CrsPinReleased {
    static constexpr std::string_view kType = "crs_pin.released";
    std::string document;       ///< a document type id (shared/person/identity_document.hpp)
    std::string document_tail;  ///< the last 1–3 characters of its number (A–Z, 0–9)
    std::string relation;       ///< holder | guardian (of a minor or a person under guardianship) | delegate
    std::string form;           ///< guardian and delegate: the signed form's reference ("" for the holder)
    bool digits_printed = false; ///< the receipt carried digits (else only the instructions)
    bool office_copy = false;    ///< an office copy without digits was printed for signing
    bool operator==(const CrsPinReleased&) const = default;
};
/// Staff handed a form (modulistica) out on paper.
struct FormHandedOut {
    static constexpr std::string_view kType = "form.handed_out";
    std::string form;  ///< a configured form id ([[form]] in the site configuration)
    int copies = 1;    ///< 1…50
    bool operator==(const FormHandedOut&) const = default;
};

// ---- Printing a ticket elsewhere (docs/INFOPOINT.md, "Printing at the entrance kiosk"): staff
// ask for a ticket's paper at another device's printer; that device claims the request, prints
// it and says how it went. The claim makes it print once however many devices could (two
// entrance kiosks, two programs on one store): a request already claimed or done is refused.

/// Staff ask for a ticket of today to be printed (or printed again) at another device.
struct PrintRequested {
    static constexpr std::string_view kType = "print.requested";
    std::string ticket;  ///< the ticket's id (the id of the event that issued it)
    std::string at;      ///< "entrance" = any entrance kiosk; else a device name
    bool reprint = false;  ///< a copy of a ticket already printed once (audit)
    bool operator==(const PrintRequested&) const = default;
};
/// A device takes a pending print request (Event::device): from now on only it prints it.
struct PrintClaimed {
    static constexpr std::string_view kType = "print.claimed";
    std::string request;  ///< the PrintRequested event's id
    bool operator==(const PrintClaimed&) const = default;
};
/// The claiming device printed the request (ok), or could not: then the claim is given up, the
/// request is pending again and `error` says why (the printer's words, for staff).
struct PrintFinished {
    static constexpr std::string_view kType = "print.finished";
    std::string request;  ///< the PrintRequested event's id
    bool ok = false;
    std::string error;    ///< when not ok ("paper end", …)
    bool retrying = false;  ///< not ok yet, the device's spooler still tries: the claim stays its own
    bool operator==(const PrintFinished&) const = default;
};
/// Staff reprinted a ticket at their own device's printer (audit: who, which ticket).
struct TicketReprinted {
    static constexpr std::string_view kType = "ticket.reprinted";
    std::string ticket;  ///< the ticket's id
    bool operator==(const TicketReprinted&) const = default;
};

// ---- Satisfaction ("Mettiamoci la faccia", issue 15; docs/WEB.md, "Satisfaction"). Anonymous: no
// staff member (Event::by empty), and the ticket named by its id only so that a ticket is rated
// once; statistics keep sector, service, counter, day, hour, rating and reason, never the ticket.

/// A citizen rates the service of a ticket of today that was served (once per ticket).
struct FeedbackGiven {
    static constexpr std::string_view kType = "feedback.given";
    std::string ticket;   ///< the ticket's id (the id of the event that issued it); never its token
    std::string rating;   ///< good | so-so | bad
    std::string reason;   ///< with "bad" only, one of waiting | staff | came-back | outcome ("" = not given)
    std::string channel;  ///< where it was given: web (the phone page) | screen (beside the counter) | cli
    bool operator==(const FeedbackGiven&) const = default;
};

// ---- Maintenance (issue 14; docs/OPERATIONS.md, "Service menu"): what a maintainer did at a
// device through the service menu, for the audit. Changes no queue state.

/// A maintainer acted on a device (Event::device) from its service menu; Event::by says who.
struct MaintenanceDone {
    static constexpr std::string_view kType = "maintenance.done";
    std::string action;  ///< one of kMaintenanceActions
    std::string detail;  ///< what it concerned ("" = nothing more): the profile chosen, the program's role
    bool operator==(const MaintenanceDone&) const = default;
};
/// What a maintainer can do from the service menu that the audit records.
inline constexpr std::array<std::string_view, 10> kMaintenanceActions{
    "test-page", "paper-changed", "printer-profile", "screen-check", "speaker-check", "config-reload", "restart", "reboot", "shutdown",
    "export"};
/// Whether `action` is one of kMaintenanceActions.
[[nodiscard]] bool known_maintenance_action(std::string_view action);

/// Every kind of event. New kinds are appended (never reordered: the index is not stored, the
/// type name is).
using EventBody = std::variant<TicketIssued, CounterOpened, TicketCalled, TicketRecalled, ServiceStarted,
                               ServiceFinished, TicketNoShow, TicketTransferred, CounterPaused, CounterResumed,
                               CounterClosed, TicketCancelled, DayClosed, DeviceHello, StaffSaved, StaffRemoved,
                               StaffSignIn, StaffSignedOut, BookingHeld, BookingReleased, BookingMade, BookingMoved,
                               BookingCancelled, BookingNoShow, ClosureDeclared, CrsPinReleased, FormHandedOut,
                               AgendaSnapshot, PrintRequested, PrintClaimed, PrintFinished, TicketReprinted,
                               FeedbackGiven, MaintenanceDone>;

/// One entry of the log.
struct Event {
    std::string id;         ///< "<device>:<seq>", unique in the whole office
    std::string device;     ///< device name that made it
    std::int64_t seq = 0;   ///< per-device sequence, 1, 2, 3, …
    Millis time = 0;        ///< when it happened (the making device's clock)
    std::string by;         ///< the staff member who did it ("" = a citizen, the device, a script)
    EventBody body;
    bool operator==(const Event&) const = default;
};

/// The id for a device's nth event.
[[nodiscard]] std::string make_event_id(std::string_view device, std::int64_t seq);
/// The type name of a body ("ticket.issued", …).
[[nodiscard]] std::string_view event_type(const EventBody& body);
/// One-line JSON: {"v":1,"id":…,"device":…,"seq":…,"time":…,"type":…,"body":{…}} (+ "by" when set).
[[nodiscard]] std::string encode_event(const Event& e);
/// Strict decode: any missing/mistyped field, unknown type or version, oversize input or an id
/// that does not match device:seq is an Error (never an exception, never a crash).
[[nodiscard]] Result<Event> decode_event(std::string_view text);
/// Whether `e` can be stored and read back: the decoder's rules (lengths, UTF-8, no control
/// characters, ranges) applied before anything is written. Store::append and Office call it,
/// so no caller can store an event that no program could open again.
[[nodiscard]] Result<void> validate_event(const Event& e);
/// Longest citizen name on a booking and longest contact, in bytes of UTF-8.
inline constexpr std::size_t kMaxBookingNameBytes = 180;
inline constexpr std::size_t kMaxBookingContactBytes = 120;
/// Longest staff name, in bytes of UTF-8 (60 characters of most scripts).
inline constexpr std::size_t kMaxStaffNameBytes = 180;
/// A staff role name: counter | infopoint | maintenance.
[[nodiscard]] bool known_staff_role(std::string_view role);
/// A CRS PIN release's relation to the card's holder: holder | guardian | delegate.
[[nodiscard]] bool known_crs_pin_relation(std::string_view relation);
/// Where a print request may be sent: "entrance" (any entrance kiosk) or a device name.
[[nodiscard]] bool valid_print_target(std::string_view at);
/// Length of a ticket's phone-page token (16 random bytes in base64url, no padding).
inline constexpr std::size_t kTicketTokenLength = 22;
/// A ticket token's shape: kTicketTokenLength characters of [A-Za-z0-9_-].
[[nodiscard]] bool is_ticket_token(std::string_view token);
/// A new ticket token from the kernel's random source (getrandom): unguessable, no personal data.
[[nodiscard]] Result<std::string> new_ticket_token();
/// A satisfaction rating: good | so-so | bad.
[[nodiscard]] bool known_feedback_rating(std::string_view rating);
/// A reason for a "bad" rating: waiting | staff | came-back | outcome.
[[nodiscard]] bool known_feedback_reason(std::string_view reason);
/// Where a rating was given: web | screen | cli.
[[nodiscard]] bool known_feedback_channel(std::string_view channel);
/// A device name: 1–40 of [a-z0-9-_.], no ':'.
[[nodiscard]] bool valid_device_name(std::string_view name);

}  // namespace csc
