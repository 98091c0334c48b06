// feedback.hpp — a citizen's satisfaction rating of a service ("Mettiamoci la faccia", issue 15
// point 4): the one call every front end uses (the phone page, the screen beside a counter, the CLI).
//
// Contents: FeedbackRequest, RecordedFeedback, record_feedback(), feedback_open().
// Contract: the rules are the state machine's (feedback.given in shared/office_state.cpp): a
// ticket of today that was served, rated once, anonymously (recorded with no staff member);
// the event names the ticket by its id, never its token. Refusals are Errors whose code a front
// end acts on: "feedback.unknown_ticket" (no ticket of today with that token or id),
// "refused.feedback.already" (rated before), "refused.feedback.not_served", "refused.feedback.rating"
// / "refused.feedback.reason" (bad input); and the store's and clock's own codes.
#pragma once

#include <string>

#include "shared/office.hpp"

namespace csc::app {

/// What a citizen answered, and about which ticket.
struct FeedbackRequest {
    std::string ticket;      ///< the ticket's id, or its phone token when by_token
    bool by_token = false;   ///< `ticket` is the /t/TOKEN token (the web)
    std::string rating;      ///< good | so-so | bad
    std::string reason;      ///< with bad only: waiting | staff | came-back | outcome ("" = not given)
    std::string channel;     ///< web | screen | cli
};

/// What was recorded.
struct RecordedFeedback {
    std::string event;  ///< the feedback.given event's id
    std::string label;  ///< the ticket's number ("A012"), for a thank-you
};

/// Records one rating (durable when it returns). Error as in the header's contract.
[[nodiscard]] Result<RecordedFeedback> record_feedback(Office& office, const FeedbackRequest& request);

/// Whether today's ticket `ticket_id` may be rated now: served and not rated yet (the state
/// machine's rules for feedback.given; nothing recorded).
[[nodiscard]] bool feedback_open(const Office& office, const std::string& ticket_id);

}  // namespace csc::app
