// issue_request.hpp — a request for a ticket, as a citizen (or staff for them) makes it, and
// the ticket.issued event it becomes.
//
// Contents: IssueRequest, IssuedTicket, ticket_issued_of().
// Contract: ticket_issued_of() is pure: it judges the request against the configuration only
// (sector, service, priority class); the office adds what needs time or the store (the clock
// alarm, the hours, the numbering by the state machine).
#pragma once

#include <optional>
#include <string>

#include "shared/config.hpp"
#include "shared/events.hpp"
#include "shared/forecast.hpp"
#include "shared/office_state.hpp"
#include "shared/result.hpp"

namespace csc {

/// What a citizen (or staff for them) asks for.
struct IssueRequest {
    std::string sector;
    std::string service;   ///< required when the sector has services
    std::string priority;  ///< "" = ordinary; else a configured priority class id
    std::string lang;  ///< "" = the office's first language
    std::string channel = "kiosk";
    std::string by;        ///< the staff member who issued it for the citizen ("" = the citizen; audit)
    std::optional<Millis> appointment_at;  ///< an appointment's slot time (simulations; a check-in takes its booking's)
    std::string booking;                   ///< check-in: the booking's code (sector and service must be its own)
    bool walk_in = false;                  ///< with booking: a late booking's walk-in ticket (staff: `by` required)
    /// Staff/tests only (never offered to citizens): issue even when the office is closed.
    bool allow_when_closed = false;
};

/// A ticket just issued, with what is printed on it.
struct IssuedTicket {
    Ticket ticket;
    int people_ahead = 0;
    std::optional<WaitForecast> forecast;  ///< "attesa prevista low–high min"; empty if none could be made
};

/// The ticket.issued body of `request` (lang "" = the office's first language), or an Error with
/// code "input" naming what is unknown: the sector, a service of it, a priority class, or a
/// missing service where the sector has several. Echoed names are cut to 60 characters and made printable.
[[nodiscard]] Result<TicketIssued> ticket_issued_of(const IssueRequest& request, const SiteConfig& config);

}  // namespace csc
