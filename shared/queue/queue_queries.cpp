#include "shared/queue/queue_queries.hpp"

#include <algorithm>

#include "shared/text_check.hpp"

namespace csc {

Result<std::string> resolve_ticket(const OfficeState& state, std::string_view label_or_id) {
    if (const Ticket* t = state.find_ticket(label_or_id)) return t->id;
    if (const Ticket* t = state.find_label(label_or_id)) return t->id;
    const std::string shown = utf8_from_terminal(label_or_id.substr(0, 64));
    return fail_as("input", "unknown ticket \"" + shown + (label_or_id.size() > 64 ? "…" : "") + "\"");
}

int people_ahead(const OfficeState& state, std::string_view sector, std::string_view ticket_id) {
    int ahead = 0;
    for (const Ticket* t : state.queue(sector)) {
        if (t->id == ticket_id) break;
        ++ahead;
    }
    return ahead;
}

CounterOutcome counter_outcome(const OfficeState& state, int counter, std::string_view ticket_id) {
    CounterOutcome out;
    if (const CounterState* c = state.find_counter(counter)) out.counter = *c;
    if (!ticket_id.empty())
        if (const Ticket* t = state.find_ticket(ticket_id)) out.ticket = *t;
    return out;
}

bool anything_open(const OfficeState& state) {
    for (const auto& t : state.tickets())
        if (is_open_status(t.status)) return true;
    for (const auto& c : state.counters())
        if (c.status != CounterStatus::Closed) return true;
    return false;
}

int open_counters_serving(const OfficeState& state, const SiteConfig& config, std::string_view sector) {
    int n = 0;
    for (const auto& cc : config.counters) {
        const CounterState* cs = state.find_counter(cc.number);
        if (cs && cs->status != CounterStatus::Closed && std::find(cc.sectors.begin(), cc.sectors.end(), sector) != cc.sectors.end())
            ++n;
    }
    return n;
}

}  // namespace csc
