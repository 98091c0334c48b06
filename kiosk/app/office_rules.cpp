// The rules a role's screen needs, in one place (office_rules.hpp).
#include "kiosk/app/office_rules.hpp"

#include <type_traits>

#include "shared/office_time.hpp"

namespace csc::app {

EventTouches touches(const EventBody& body) {
    EventTouches t;
    std::visit(
        [&](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (requires { b.counter; }) {
                if constexpr (std::is_same_v<decltype(b.counter), int>) t.counter = b.counter;
            }
            if constexpr (std::is_same_v<T, StaffSaved> || std::is_same_v<T, StaffRemoved> ||
                          std::is_same_v<T, StaffSignIn> || std::is_same_v<T, StaffSignedOut>) {
                t.staff = true;
            } else if constexpr (std::is_same_v<T, PrintRequested> || std::is_same_v<T, PrintClaimed> ||
                                 std::is_same_v<T, PrintFinished>) {
                t.prints = true;
            } else if constexpr (std::is_same_v<T, DeviceHello> || std::is_same_v<T, TicketReprinted> ||
                                 std::is_same_v<T, CrsPinReleased> || std::is_same_v<T, FormHandedOut> ||
                                 std::is_same_v<T, FeedbackGiven> || std::is_same_v<T, MaintenanceDone>) {
                // Bookkeeping, audit records and a served ticket's rating: nothing a queue,
                // counter or agenda shows (the feedback screen reads its own events).
            } else if constexpr (std::is_same_v<T, BookingHeld> || std::is_same_v<T, BookingReleased> ||
                                 std::is_same_v<T, BookingMade> || std::is_same_v<T, BookingMoved> ||
                                 std::is_same_v<T, BookingCancelled> || std::is_same_v<T, BookingNoShow> ||
                                 std::is_same_v<T, ClosureDeclared> || std::is_same_v<T, AgendaSnapshot>) {
                // Today's bookings feed the forecast of the queues they will join.
                t.agenda = true;
                t.queues = true;
            } else if constexpr (std::is_same_v<T, TicketIssued>) {
                t.queues = true;
                t.agenda = !b.booking.empty();  // a check-in or a late walk-in ends its booking
            } else {
                // Calls, service, transfers, counters opened, paused or closed, cancellations, the day's end.
                t.queues = true;
                t.counters = true;
            }
        },
        body);
    return t;
}

std::optional<Reopening> next_reopening(const SiteConfig& config, Millis now) {
    const LocalTime local = config.timezone.to_local(now);
    const auto next = config.hours.next_opening(local);
    if (!next) return std::nullopt;
    const auto& [date, minute] = *next;
    Reopening r;
    r.date = date;
    r.minute = minute;
    const long day = days_from_civil(date.year, date.month, date.day);
    r.days_ahead = static_cast<int>(day - days_from_civil(local.date.year, local.date.month, local.date.day));
    r.weekday = weekday_of(date);
    return r;
}

std::vector<TimeRange> hours_today(const SiteConfig& config, Millis now) {
    const LocalTime local = config.timezone.to_local(now);
    return config.hours.ranges_on(local.date, local.weekday);
}

std::array<bool, kCounterActionKinds> counter_actions_allowed(const OfficeState& state, int counter, Millis now) {
    std::array<bool, kCounterActionKinds> allowed{};
    const CounterState* cs = state.find_counter(counter);
    std::string sector;  // a transfer's target: the ticket's own sector (always a legal one)
    if (cs && !cs->current.empty())
        if (const Ticket* t = state.find_ticket(cs->current)) sector = t->sector;
    auto judged = [&](EventBody body) {
        // The action as it would be recorded now, judged by the state machine without applying it.
        Event e;
        e.id = "desk-check:1";
        e.device = "desk-check";
        e.seq = 1;
        e.time = now;
        e.body = std::move(body);
        return state.check(e).applied;
    };
    using K = CounterActionKind;
    auto set = [&](K k, EventBody body) { allowed[static_cast<std::size_t>(k)] = judged(std::move(body)); };
    set(K::Call, TicketCalled{counter, {}});
    set(K::Recall, TicketRecalled{counter});
    set(K::Start, ServiceStarted{counter});
    set(K::Finish, ServiceFinished{counter, {}});
    set(K::NoShow, TicketNoShow{counter});
    set(K::Transfer, TicketTransferred{counter, sector, std::nullopt});
    set(K::Pause, CounterPaused{counter, "counter.pause.break"});
    set(K::Resume, CounterResumed{counter});
    set(K::Open, CounterOpened{counter});
    set(K::Close, CounterClosed{counter});
    return allowed;
}

BookingActions booking_actions(const Agenda& agenda, const Booking& b, Millis now, const SiteConfig& config) {
    BookingActions a;
    if (status_at(b, now, config) != BookingStatus::Booked) return a;
    std::string sector;
    for (const auto& s : config.booking.services)
        if (s.id == b.service) sector = s.sector;
    const AgendaRefusal in = agenda.check_in_problem(b.code, sector, now, config);
    a.check_in = in.empty() || in.code == "booking.too_early";
    a.walk_in = agenda.walk_in_problem(b.code, sector, now, config).empty();
    a.no_show = b.slot <= now;  // the agenda refuses a no-show before the slot (booking.not_yet)
    a.cancel = b.slot > now;    // a past appointment is a no-show or a walk-in, not a cancellation
    return a;
}

}  // namespace csc::app
