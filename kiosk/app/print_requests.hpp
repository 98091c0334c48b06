// print_requests.hpp — a ticket's paper printed at another device: staff at the Info Point ask
// for it at the entrance kiosk's printer; the entrance kiosk claims the request, prints it and
// records how it went. Also the audit record of a reprint made at one's own printer.
//
// Contents: kPrintAtEntrance, PendingPrint, request_print(), record_reprint(), pending_prints(),
//           claim_print(), finish_print(), ticket_as_now().
// Contract: every step is an office event (shared/events.hpp: print.requested, print.claimed,
// print.finished, ticket.reprinted), so it works for two programs on one store and over the
// LAN alike. A request prints once: a device prints only after its claim applied (in the LAN
// stream's order when in LAN mode), and a request claimed or printed by anyone is refused to
// the others. A printer failure gives the claim up: the request is pending again, with the
// printer's reason, for the Info Point to show.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/office.hpp"

namespace csc::app {

/// The print target meaning "any entrance kiosk".
inline constexpr std::string_view kPrintAtEntrance = "entrance";

/// A print request waiting for a device to take it.
struct PendingPrint {
    std::string request;  ///< the print.requested event's id
    std::string ticket;   ///< the ticket's id
    std::string label;    ///< "A012"
    std::string by;       ///< the staff member who asked
    Millis requested_at = 0;
    bool reprint = false;
    int failures = 0;     ///< earlier attempts that did not print
};

/// Staff member `by` (infopoint or counter role: "input.staff" otherwise) asks for ticket
/// `ticket_id` of today to be printed at `at` ("entrance" or a device name). Returns the
/// request's id. A closed or unknown ticket: Error "refused.print.*".
[[nodiscard]] Result<std::string> request_print(Office& office, const std::string& ticket_id, const std::string& at, bool reprint,
                                                const std::string& by);
/// Staff member `by` reprinted ticket `ticket_id` at their own printer: one ticket.reprinted
/// event (audit). Returns its id.
[[nodiscard]] Result<std::string> record_reprint(Office& office, const std::string& ticket_id, const std::string& by);
/// Requests for `target` ("entrance") or for this device by name, neither claimed nor printed,
/// asked at or after `since` (older ones are left to staff: the citizen may have gone), of
/// tickets still open; oldest first.
[[nodiscard]] std::vector<PendingPrint> pending_prints(const Office& office, std::string_view target, Millis since);
/// Claims request `request` for this device: true = print it now (the claim applied); false =
/// another device took it, or it was printed already (print nothing). In LAN mode waits for the
/// stream's order; not confirmed in time: Error "lan.unconfirmed" (print nothing yet).
[[nodiscard]] Result<bool> claim_print(Office& office, const std::string& request);
/// Records how this device's print of `request` went (`error`: the printer's reason when not ok;
/// `retrying`: not printed yet, the spooler still tries, the claim stays this device's).
[[nodiscard]] Result<void> finish_print(Office& office, const std::string& request, bool ok, const std::string& error,
                                        bool retrying = false);
/// Ticket `ticket_id` as it would be printed now: the people ahead and the forecast of now.
[[nodiscard]] std::optional<IssuedTicket> ticket_as_now(const Office& office, const std::string& ticket_id);

}  // namespace csc::app
