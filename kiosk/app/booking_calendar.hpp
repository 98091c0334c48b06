// booking_calendar.hpp — bookings as iCalendar (RFC 5545): the citizen's own event (the receipt's
// second QR, `kiosk booking ics --code`) and the staff's agenda export (`kiosk booking ics`).
//
// Contents: CalendarOptions, office_calendar_id(), booking_event(), bookings_calendar().
// Contract: pure (no I/O, no clock: DTSTAMP is the booking's last recorded step); the text is
// written by libical, so it is what any iCalendar reader parses; times are UTC ("…Z"), so no
// VTIMEZONE is needed and a phone shows them in its own zone. UID = "<code>@<office id>", the
// same for a booking on every device and in every export (a moved booking updates the event,
// SEQUENCE = times moved). Nothing personal but the booking code is written unless
// CalendarOptions::with_names (staff only): then the name and contact go in DESCRIPTION.
// Texts are in the booking's language (Booking::lang, else the office's first).
#pragma once

#include <string>
#include <vector>

#include "shared/booking/agenda.hpp"
#include "shared/config.hpp"
#include "shared/i18n.hpp"

namespace csc::app {

/// What a calendar file holds besides the appointment itself.
struct CalendarOptions {
    bool with_names = false;  ///< the citizen's name and contact in DESCRIPTION (staff agenda only)
    bool alarm = true;        ///< a VALARM one day before the slot
    bool documents = true;    ///< what to bring, in DESCRIPTION (off: the code only, for a small QR)
};

/// The office's stable id in UIDs: town and office name, lower-case ASCII letters, digits and
/// dashes ("comune-di-esempio.centro-servizi-al-cittadino").
[[nodiscard]] std::string office_calendar_id(const SiteConfig& config);

/// One booking as a bare VEVENT ("BEGIN:VEVENT" … "END:VEVENT", lines unfolded): what a phone's
/// camera offers to add to its calendar from a QR.
[[nodiscard]] std::string booking_event(const SiteConfig& config, const Translator& tr, const Booking& booking,
                                        const CalendarOptions& options);

/// A whole VCALENDAR (VERSION 2.0) with one VEVENT per booking, in the order given; a cancelled
/// booking is STATUS:CANCELLED (so an imported event is withdrawn), the others CONFIRMED.
[[nodiscard]] std::string bookings_calendar(const SiteConfig& config, const Translator& tr,
                                            const std::vector<Booking>& bookings, const CalendarOptions& options);

}  // namespace csc::app
