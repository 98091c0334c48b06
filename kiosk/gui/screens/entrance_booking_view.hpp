// entrance_booking_view.hpp — what the entrance kiosk's booking and check-in screens show, and
// what a citizen can ask for on them.
//
// Contents: BookServiceView, CalendarDayView, SlotView, BookPhase, BookingView, CheckInPhase,
// CheckInView, ManagePhase, ManageView, BookingIntents.
// Contract: plain data filled by the role controller (roles/entrance_booking.cpp) before each
// frame; the screens read it and call BookingIntents, nothing else. Texts are i18n keys plus
// arguments, or names already in the citizen's language. A citizen's name appears here only
// masked ("M**** R****"), except the text being typed on the name step.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/gui/qr.hpp"
#include "shared/config.hpp"

namespace csc::gui {

/// A bookable service as a button.
struct BookServiceView {
    std::string id;
    std::string name;         ///< the service's (or sector's) name, in the citizen's language
    std::string sector_name;  ///< "" when it is the sector itself
    std::string icon;         ///< the sector's icon as UTF-8 ("" = none)
    Rgb colour, text;         ///< the sector's colours (text ≥ 4.5:1 on colour)
};

/// One cell of the calendar (whole weeks, Monday first).
struct CalendarDayView {
    std::string id;             ///< "2026-12-14": the touch target is "day:" + id
    int year = 2026, day = 1, month = 1;
    bool in_window = false;     ///< from today to the service's last bookable day
    bool has_slots = false;     ///< the weekly plan has slots that day
    int free = 0;               ///< free places in the open slots
    std::string closed_reason;  ///< a holiday or a declared closure ("" = not closed)
    [[nodiscard]] bool bookable() const { return in_window && free > 0; }
};

/// A slot as a button.
struct SlotView {
    std::string id;  ///< slot start, milliseconds since the epoch: target "time:" + id
    std::string time;  ///< "09:20"
    int weekday = 0, day = 1, month = 1;  ///< its date (alternatives may be on other days)
    int free = 0;
};

/// Where the booking stands once confirmed.
enum class BookPhase {
    Working,      ///< the worker is recording (hold, booking)
    Printing,     ///< booked, the receipt at the printer
    Printed,      ///< booked and printed
    PrinterDown,  ///< booked, not printed: the code on screen is what counts
};

/// The booking flow's state, across its screens.
struct BookingView {
    std::vector<BookServiceView> services;
    int service = -1;  ///< index into services

    // Day step: the calendar from this week to the last bookable day, shown a page of weeks
    // at a time (how many weeks fit is the screen's business).
    std::vector<CalendarDayView> days;  ///< a multiple of 7, Monday first
    int calendar_page = 0;              ///< turned by turn_calendar(); the screen clamps it

    // Time step, and the chosen slot.
    std::vector<SlotView> times;
    std::optional<SlotView> chosen;
    bool busy = false;  ///< the worker is recording (the hold, the booking): taps wait

    // Name step.
    std::string name, contact;  ///< as typed
    int field = 0;              ///< 0 = name, 1 = phone
    bool shift = true;          ///< the next letter is a capital
    std::string masked_name;    ///< for the review and the receipt screen
    std::string masked_contact; ///< "*** ***** 67" ("" = none given)

    /// A message on the current step (i18n key, e.g. "booking.full", "booking.offline"; "" = none)
    /// and, for a place that filled meanwhile, the next free slots to offer instead.
    std::string notice;
    std::vector<std::pair<std::string, std::string>> notice_args;
    std::vector<SlotView> alternatives;

    // Done step.
    BookPhase phase = BookPhase::Working;
    std::string code;  ///< "K7P-4QX-M"
    std::string spoken;  ///< speech mode: the receipt's whole text, as a voice reads it
    std::optional<QrMatrix> qr;
    std::string checkin_from;  ///< "09:30": when check-in opens on the day

    // Moving a booking (by its code): the same day and time steps, then a review of old → new.
    bool moving = false;
    std::optional<SlotView> moving_from;  ///< the booking's current slot

    // Inactivity: after a while without a tap the screen asks whether the citizen is still there.
    bool idle_warning = false;
    int idle_seconds_left = 0;  ///< until home: of the warning, or of the done step's countdown
    int idle_warn_seconds = 20; ///< how long the warning shows before home (said once, in speech mode)
};

/// Where a check-in stands.
enum class CheckInPhase {
    Typing,       ///< entering the code (keypad, keyboard or scanner)
    Checking,     ///< the worker is checking in
    Printing,     ///< checked in, the ticket at the printer
    Printed,      ///< checked in and printed
    PrinterDown,  ///< checked in, not printed: note the number
    TooEarly,     ///< come back at `time`
    InfoPoint,    ///< too late, unknown, mistyped, …: go to the Info Point (`reason` says why)
};

struct CheckInView {
    std::string typed;  ///< the code so far, canonical characters only (≤ 7)
    CheckInPhase phase = CheckInPhase::Typing;
    std::string reason;  ///< i18n key of why (InfoPoint, or a mistyped code while Typing)
    std::vector<std::pair<std::string, std::string>> reason_args;
    std::string time;    ///< TooEarly: when to come back
    std::string label;   ///< the appointment ticket ("A012")
    int sector = -1;     ///< its sector (index into EntranceView::sectors)
    std::string service_name;
    std::string masked_name;
    std::string appointment_time;  ///< "10:00"
    std::string spoken;            ///< speech mode: the ticket's whole text, as a voice reads it
    int seconds_left = 0;
    float time_fraction = 1;
};

/// Where the handling of a booking found by its code stands (outside its check-in window).
enum class ManagePhase {
    Choose,         ///< the booking with "Cancel", "Change day or time", "Back"
    ConfirmCancel,  ///< "Cancel this appointment?": yes, or Back to keep it
    Working,        ///< the worker is cancelling
    Cancelled,      ///< cancelled: the place is free again
};

/// A booking found by its code, shown to the citizen who typed or scanned it.
struct ManageView {
    ManagePhase phase = ManagePhase::Choose;
    std::string code;         ///< "K7P-4QX-M"
    std::string service_name; ///< in the citizen's language
    SlotView slot;            ///< its date and time
    std::string masked_name;  ///< "M**** R****"
    std::string checkin_from; ///< today, too early: when check-in opens ("" = another day)
    std::string notice;       ///< i18n key of a refusal ("" = none)
};

/// What a person can ask for in the booking and check-in flows.
class BookingIntents {
public:
    virtual ~BookingIntents() = default;
    /// Home: "Book an appointment" / "I have an appointment".
    virtual void start_booking() = 0;
    virtual void start_check_in() = 0;
    /// Keys from a keyboard or a USB scanner (a scanner is a keyboard): text typed since the
    /// last frame, then whether Enter was pressed after it.
    virtual void keys_typed(const std::string& utf8, bool enter) = 0;
    virtual void choose_booking_service(const std::string& id) = 0;
    /// Earlier (-1) or later (+1) page of the calendar.
    virtual void turn_calendar(int pages) = 0;
    virtual void choose_day(const std::string& id) = 0;
    /// A slot (SlotView::id) of the time step or an alternative offered.
    virtual void choose_time(const std::string& id) = 0;
    /// On-screen keyboard: a character (UTF-8), Backspace, Shift, the field to type into.
    virtual void keyboard_text(const std::string& utf8) = 0;
    virtual void keyboard_backspace() = 0;
    virtual void keyboard_shift() = 0;
    virtual void keyboard_field(int field) = 0;
    /// Name step → review; review → book.
    virtual void booking_next() = 0;
    virtual void booking_confirm() = 0;
    /// One step back (the name step gives the held place back).
    virtual void booking_back() = 0;
    /// The inactivity warning's "I need more time".
    virtual void still_here() = 0;
    /// Check-in keypad: one character, Backspace, Send.
    virtual void check_in_key(char c) = 0;
    virtual void check_in_backspace() = 0;
    virtual void check_in_submit() = 0;
    /// A booking found by its code: ask to cancel it, confirm the cancellation, or move it
    /// (the day and time steps of its service, then booking_confirm()).
    virtual void manage_cancel() = 0;
    virtual void manage_cancel_confirmed() = 0;
    virtual void manage_move() = 0;
};

}  // namespace csc::gui
