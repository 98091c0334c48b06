// feedback.cpp — recording a citizen's rating (see feedback.hpp).
#include "kiosk/app/feedback.hpp"

#include <algorithm>

namespace csc::app {

namespace {

// The ticket a request names, as its id ("" = none today). A token is looked up in today's
// state only, so yesterday's token finds nothing (the state holds the current day).
std::string ticket_id_of(const Office& office, const FeedbackRequest& request, std::string& label) {
    std::string id;
    office.read([&](const OfficeState& state) {
        const Ticket* found = nullptr;
        if (request.by_token) {
            if (!is_ticket_token(request.ticket)) return;
            const auto& tickets = state.tickets();
            // The latest with the token, as the ticket page finds it (web_views.cpp).
            const auto it = std::find_if(tickets.rbegin(), tickets.rend(), [&](const Ticket& t) { return t.token == request.ticket; });
            if (it != tickets.rend()) found = &*it;
        } else {
            found = state.find_ticket(request.ticket);
        }
        if (found) {
            id = found->id;
            label = found->label;
        }
    });
    return id;
}

}  // namespace

Result<RecordedFeedback> record_feedback(Office& office, const FeedbackRequest& request) {
    // What the state machine would refuse, said before anything else (the event's own check
    // would only say it cannot be stored): the same codes as its refusals.
    if (!known_feedback_rating(request.rating))
        return fail_as("refused.feedback.rating", "a rating is good, so-so or bad, not \"" + request.rating + "\"");
    if (!request.reason.empty() && !known_feedback_reason(request.reason))
        return fail_as("refused.feedback.reason", "a reason is waiting, staff, came-back or outcome, not \"" + request.reason + "\"");
    if (!request.reason.empty() && request.rating != "bad")
        return fail_as("refused.feedback.reason", "a reason goes only with a \"bad\" rating, not with \"" + request.rating + "\"");
    if (!known_feedback_channel(request.channel))
        return fail_as("input", "a rating is given at web, screen or cli, not \"" + request.channel + "\"");
    RecordedFeedback out;
    const std::string id = ticket_id_of(office, request, out.label);
    if (id.empty())
        return fail_as("feedback.unknown_ticket", request.by_token ? "no ticket of today has this token (a ticket is valid only on its day)"
                                                                   : "no ticket " + request.ticket + " today");
    // Anonymous: recorded by nobody, whoever is signed in where it was given.
    auto applied = office.record(FeedbackGiven{id, request.rating, request.reason, request.channel}, {});
    if (!applied) return applied.error();
    out.event = applied->ticket_id;
    return out;
}

bool feedback_open(const Office& office, const std::string& ticket_id) {
    bool open = false;
    office.read([&](const OfficeState& state) {
        const Ticket* t = state.find_ticket(ticket_id);
        open = t && t->status == TicketStatus::Served && t->feedback.empty();
    });
    return open;
}

}  // namespace csc::app
