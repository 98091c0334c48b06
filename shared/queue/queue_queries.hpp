// queue_queries.hpp — what the Office asks of the queue state for its answers: a ticket named
// by label or id, the people ahead of one, what a counter action leaves, whether anything is
// still open, how many open counters serve a sector.
//
// Contents: CounterOutcome, is_open_status(), resolve_ticket(), people_ahead(), counter_outcome(),
// anything_open(), open_counters_serving().
// Contract: pure reads of an OfficeState (and the configuration); nothing here changes a state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "shared/config.hpp"
#include "shared/office_state.hpp"
#include "shared/result.hpp"

namespace csc {

/// The result of a counter action: the counter after it and the ticket it concerned, if any.
struct CounterOutcome {
    CounterState counter;
    std::optional<Ticket> ticket;
};

/// Whether a ticket in this status has not ended yet (waiting, called or being served).
[[nodiscard]] constexpr bool is_open_status(TicketStatus s) {
    return is_waiting(s) || s == TicketStatus::Called || s == TicketStatus::Serving;
}
/// The id of the ticket named by id or by label ("A007"); Error code "input" ("unknown ticket …",
/// the name cut to 64 characters and made printable) when there is none.
[[nodiscard]] Result<std::string> resolve_ticket(const OfficeState& state, std::string_view label_or_id);
/// How many tickets come before `ticket_id` in its sector's queue (the whole queue if it is not in it).
[[nodiscard]] int people_ahead(const OfficeState& state, std::string_view sector, std::string_view ticket_id);
/// Counter `counter` as it stands (a default CounterState if unknown) and ticket `ticket_id` ("" = none).
[[nodiscard]] CounterOutcome counter_outcome(const OfficeState& state, int counter, std::string_view ticket_id);
/// Whether any ticket is still open or any counter is not closed (a day close would change something).
[[nodiscard]] bool anything_open(const OfficeState& state);
/// Open (or paused) counters configured to serve `sector`.
[[nodiscard]] int open_counters_serving(const OfficeState& state, const SiteConfig& config, std::string_view sector);

}  // namespace csc
