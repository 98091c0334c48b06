#include "kiosk/app/print_requests.hpp"

#include <algorithm>

namespace csc::app {

namespace {

Result<std::string> staff_name(const Office& office, const std::string& by) {
    const auto member = office.find_staff(by);
    if (!member || !(member->has_role("infopoint") || member->has_role("counter")))
        return fail_as("input.staff", "\"" + by.substr(0, 60) + "\" is not a staff member of the info point or a counter",
                       {{"name", by.substr(0, 60)}});
    return member->name;
}

}  // namespace

Result<std::string> request_print(Office& office, const std::string& ticket_id, const std::string& at, bool reprint,
                                  const std::string& by) {
    auto name = staff_name(office, by);
    if (!name) return name.error();
    auto r = office.record(PrintRequested{ticket_id, at, reprint}, *name);
    if (!r) return r.error();
    return r->ticket_id;
}

Result<std::string> record_reprint(Office& office, const std::string& ticket_id, const std::string& by) {
    auto name = staff_name(office, by);
    if (!name) return name.error();
    auto r = office.record(TicketReprinted{ticket_id}, *name);
    if (!r) return r.error();
    return r->ticket_id;
}

std::vector<PendingPrint> pending_prints(const Office& office, std::string_view target, Millis since) {
    std::vector<PendingPrint> out;
    office.read([&](const OfficeState& st) {
        for (const auto& [id, r] : st.print_requests()) {
            if (r.done || !r.claimed_by.empty() || r.requested_at < since) continue;
            if (r.at != target && r.at != office.device()) continue;
            const Ticket* t = st.find_ticket(r.ticket);
            if (!t || !(is_waiting(t->status) || t->status == TicketStatus::Called)) continue;
            out.push_back({id, r.ticket, t->label, r.by, r.requested_at, r.reprint, r.failures});
        }
    });
    std::sort(out.begin(), out.end(), [](const PendingPrint& a, const PendingPrint& b) { return a.requested_at < b.requested_at; });
    return out;
}

Result<bool> claim_print(Office& office, const std::string& request) {
    auto r = office.record_confirmed(PrintClaimed{request});
    if (!r) {
        // Someone was first (seen here already): not ours to print.
        if (r.error().code.rfind("refused", 0) == 0) return false;
        return r.error();
    }
    return r->applied;  // in the stream's order: another device's claim may have come first
}

Result<void> finish_print(Office& office, const std::string& request, bool ok, const std::string& error, bool retrying) {
    // The printer's words, cut to what an event holds without splitting a UTF-8 character.
    std::string why = ok ? std::string() : error;
    if (why.size() > 200) {
        std::size_t cut = 200;  // why[cut] is the first byte left out: move it back to a character's start
        while (cut > 0 && (static_cast<unsigned char>(why[cut]) & 0xC0) == 0x80) --cut;
        why.resize(cut);
    }
    auto r = office.record(PrintFinished{request, ok, why, retrying && !ok});
    if (!r) return r.error();
    return {};
}

std::optional<IssuedTicket> ticket_as_now(const Office& office, const std::string& ticket_id) {
    std::optional<IssuedTicket> out;
    office.read([&](const OfficeState& st) {
        const Ticket* t = st.find_ticket(ticket_id);
        if (!t) return;
        IssuedTicket i;
        i.ticket = *t;
        if (is_waiting(t->status))
            for (const Ticket* q : st.queue(t->sector)) {
                if (q->id == t->id) break;
                ++i.people_ahead;
            }
        out = std::move(i);
    });
    if (out && is_waiting(out->ticket.status)) out->forecast = office.forecast_for(ticket_id);
    return out;
}

}  // namespace csc::app
