// office_rules.hpp — the rules a role's screen needs, asked here once instead of re-derived in
// each role: what an applied event changes (so a role reads again only that), when the office
// next opens, which counter actions the state machine would take now, what staff can do with a
// booking now. (The forecast's rounding is told_wait(), shared/forecast.hpp; its words are
// wait_words(), kiosk/app/wait_words.hpp: paper, screens and the web all use them.)
//
// Contents: EventTouches, touches(), Reopening, next_reopening(), hours_today(), counter_actions_allowed(),
//           BookingActions, booking_actions().
// Contract: pure functions of their arguments (the state as read under the office's lock, the
// configuration, a time); nothing is recorded. counter_actions_allowed() asks the state
// machine's own check() with the action as it would be recorded now, so a button is enabled
// exactly when the action would apply (the state machine keeps the last word when it is tapped).
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "shared/booking/agenda.hpp"
#include "shared/config.hpp"
#include "shared/events.hpp"
#include "shared/office_state.hpp"

namespace csc::app {

/// What parts of the office an applied event changes, for a role deciding what to read again.
struct EventTouches {
    bool queues = false;    ///< waiting tickets, their order or the counters serving them (counts, forecasts, calls)
    bool counters = false;  ///< a counter's status, ticket or operator
    bool agenda = false;    ///< bookings, holds, closures
    bool staff = false;     ///< staff records or their sign-in lockout
    bool prints = false;    ///< print requests (print.requested, .claimed, .finished)
    int counter = 0;        ///< the counter it names (0 = none or several)
};
/// What `body` changes once applied.
[[nodiscard]] EventTouches touches(const EventBody& body);

/// When a closed office opens again, as the closed screen says it.
struct Reopening {
    Date date;
    int minute = 0;      ///< minutes after local midnight
    int days_ahead = 0;  ///< 0 = today, 1 = tomorrow, …
    int weekday = 0;     ///< 0 = Monday … 6 = Sunday
};
/// The next opening after `now` by the configured hours and closed days (nullopt = none within the hours' horizon).
[[nodiscard]] std::optional<Reopening> next_reopening(const SiteConfig& config, Millis now);

/// Today's opening intervals at `now` (local minutes), none on a closed day (a public holiday,
/// a yearly or a single closure, a weekday without hours).
[[nodiscard]] std::vector<TimeRange> hours_today(const SiteConfig& config, Millis now);

/// The counter actions, in the order of CounterActionKind.
enum class CounterActionKind { Call, Recall, Start, Finish, NoShow, Transfer, Pause, Resume, Open, Close };
inline constexpr int kCounterActionKinds = 10;
/// Which of the counter actions the state machine would apply at `counter` now (`now`: the clock).
[[nodiscard]] std::array<bool, kCounterActionKinds> counter_actions_allowed(const OfficeState& state, int counter, Millis now);

/// What staff at the Info Point can do with a booking now.
struct BookingActions {
    bool check_in = false;  ///< within its check-in window (or early: the tap says when it opens)
    bool walk_in = false;   ///< past the window, today: a walk-in ticket instead
    bool no_show = false;   ///< still booked and its slot has begun
    bool cancel = false;    ///< still booked and its slot not yet begun (also: move)
};
/// The actions on `b` at `now`, judged by the agenda (check-in and walk-in windows).
[[nodiscard]] BookingActions booking_actions(const Agenda& agenda, const Booking& b, Millis now, const SiteConfig& config);

}  // namespace csc::app
