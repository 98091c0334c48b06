// The state machine's hash and its memory over time (issue 10): state_hash() covers every field
// of the derived state, so "converged" and "unchanged" mean what they say; apply() judges
// before it changes anything and changes the state in place; the ids of earlier days are
// dropped at the rollover without letting an old event in again.
#include <doctest/doctest.h>

#include <functional>

#include "queue_fixture.hpp"
#include "shared/office_state.hpp"
#include "shared/rng.hpp"

namespace csc {

// Reaches OfficeState's private fields (it is the class's friend), to change one at a time.
struct OfficeStateProbe {
    using Derived = OfficeState::Derived;
    static Derived& derived(OfficeState& s) { return s.d_; }
    static Ticket& ticket(OfficeState& s, std::size_t i) { return s.d_.tickets.at(i); }
    static CounterState& counter(OfficeState& s, std::size_t i) { return s.d_.counters.at(i); }
    static std::int64_t& events_seen(OfficeState& s) { return s.events_seen_; }
    static std::unordered_map<std::string, int>& applied_ids(OfficeState& s) { return s.applied_ids_; }
};

}  // namespace csc

using namespace csc;
using namespace csc::test;
using Probe = OfficeStateProbe;

namespace {

// How many initialisers an aggregate takes = its fields (the same count office_state.cpp
// static_asserts against what state_hash() mixes).
struct AnyField {
    template <class T>
    operator T() const;
};
template <class T, class... Fields>
constexpr std::size_t field_count() {
    if constexpr (requires { T{Fields{}..., AnyField{}}; }) return field_count<T, Fields..., AnyField>();
    else return sizeof...(Fields);
}

// A state whose first ticket has every field set (transferred, called, recalled, being served)
// and whose counter 2 is busy. (Filled in place: the state points to o.config.)
void make_busy(Office1& o) {
    TicketIssued t;
    t.sector = "a";
    t.priority = "disabili";
    t.lang = "en";
    t.channel = "assisted";
    t.appointment_at = kMonday9 + 30 * kMin;
    o.ok(t);
    o.issue("a");
    o.ok(CounterOpened{1});
    o.ok(CounterOpened{2});
    CHECK(o.call(1) == "A001");
    o.ok(TicketTransferred{1, "b", 2});
    CHECK(o.call(2) == "A001");
    o.ok(TicketRecalled{2});
    o.ok(ServiceStarted{2});
}

using Change = std::function<void(OfficeState&)>;

void each_changes_the_hash(const Office1& base, const std::vector<std::pair<const char*, Change>>& changes) {
    const std::uint64_t h = base.state.state_hash();
    for (const auto& [name, change] : changes) {
        OfficeState s = base.state;
        change(s);
        CHECK_MESSAGE(s.state_hash() != h, ("changing " + std::string(name) + " left state_hash() unchanged"));
    }
}

}  // namespace

TEST_CASE("state_hash: changing any one field of a ticket changes it") {
    Office1 o(queue_config("alternate", 2));
    make_busy(o);
    auto t = [](OfficeState& s) -> Ticket& { return Probe::ticket(s, 0); };
    const std::vector<std::pair<const char*, Change>> changes{
        {"id", [&](OfficeState& s) { t(s).id += "x"; }},
        {"sector", [&](OfficeState& s) { t(s).sector = "c"; }},
        {"service", [&](OfficeState& s) { t(s).service = "other"; }},
        {"priority", [&](OfficeState& s) { t(s).priority = "anziani"; }},
        {"lang", [&](OfficeState& s) { t(s).lang = "it"; }},
        {"channel", [&](OfficeState& s) { t(s).channel = "kiosk"; }},
        {"device", [&](OfficeState& s) { t(s).device = "kiosk-9"; }},
        {"number", [&](OfficeState& s) { t(s).number += 1; }},
        {"label", [&](OfficeState& s) { t(s).label = "Z001"; }},
        {"offline", [&](OfficeState& s) { t(s).offline = !t(s).offline; }},
        {"issued_at", [&](OfficeState& s) { t(s).issued_at += 1; }},
        {"queued_at", [&](OfficeState& s) { t(s).queued_at += 1; }},
        {"status", [&](OfficeState& s) { t(s).status = TicketStatus::Served; }},
        {"appointment_at", [&](OfficeState& s) { t(s).appointment_at.reset(); }},
        {"counter", [&](OfficeState& s) { t(s).counter = 4; }},
        {"for_counter", [&](OfficeState& s) { t(s).for_counter = 3; }},
        {"from_sector", [&](OfficeState& s) { t(s).from_sector = "c"; }},
        {"transfers", [&](OfficeState& s) { t(s).transfers += 1; }},
        {"recalls", [&](OfficeState& s) { t(s).recalls += 1; }},
        {"called_at", [&](OfficeState& s) { t(s).called_at += 1; }},
        {"started_at", [&](OfficeState& s) { t(s).started_at += 1; }},
        {"finished_at", [&](OfficeState& s) { t(s).finished_at += 1; }},
        {"performed_service", [&](OfficeState& s) { t(s).performed_service = "other"; }},
        {"called_by", [&](OfficeState& s) { t(s).called_by = "Anna"; }},
        {"booking", [&](OfficeState& s) { t(s).booking = "K7P4QXM"; }},
        {"token", [&](OfficeState& s) { t(s).token = "AAAAAAAAAAAAAAAAAAAAAA"; }},
        {"feedback", [&](OfficeState& s) { t(s).feedback = "good"; }},
    };
    // A field added to Ticket needs a line here (and its place in state_hash()).
    CHECK(changes.size() == field_count<Ticket>());
    each_changes_the_hash(o, changes);
    // An optional field: absent and 0 are not the same.
    OfficeState zero = o.state;
    Probe::ticket(zero, 1).for_counter = 0;
    CHECK(zero.state_hash() != o.state.state_hash());
}

TEST_CASE("state_hash: changing any one field of a counter, or of the day, changes it") {
    Office1 o(queue_config("alternate", 2));
    make_busy(o);
    auto c = [](OfficeState& s) -> CounterState& { return Probe::counter(s, 1); };
    const std::vector<std::pair<const char*, Change>> counter_changes{
        {"number", [&](OfficeState& s) { c(s).number = 9; }},
        {"status", [&](OfficeState& s) { c(s).status = CounterStatus::Paused; }},
        {"pause_reason", [&](OfficeState& s) { c(s).pause_reason = "pausa"; }},
        {"current", [&](OfficeState& s) { c(s).current.clear(); }},
        {"since", [&](OfficeState& s) { c(s).since += 1; }},
        {"staff", [&](OfficeState& s) { c(s).staff = "Anna"; }},
    };
    CHECK(counter_changes.size() == field_count<CounterState>());
    each_changes_the_hash(o, counter_changes);

    auto d = [](OfficeState& s) -> Probe::Derived& { return Probe::derived(s); };
    const std::vector<std::pair<const char*, Change>> day_changes{
        {"day", [&](OfficeState& s) { d(s).day += 1; }},
        {"last_time", [&](OfficeState& s) { d(s).last_time += 1; }},
        {"tickets", [&](OfficeState& s) { d(s).tickets.pop_back(); }},
        {"counters", [&](OfficeState& s) { d(s).counters.pop_back(); }},
        {"last_number", [&](OfficeState& s) { d(s).last_number["b"] = 1; }},
        {"walk_ins_since_priority", [&](OfficeState& s) { d(s).walk_ins_since_priority["a"] += 1; }},
        {"agenda", [&](OfficeState& s) { d(s).agenda.roll_to(29991231, s.config()); }},
        {"desk_services", [&](OfficeState& s) { d(s).desk_services["crs_pin"]["Anna"] += 1; }},
        {"print_requests", [&](OfficeState& s) { d(s).print_requests["k1:9"].at = "entrance"; }},
    };
    // A field added to the derived state needs a line here (and its place in state_hash()).
    CHECK(day_changes.size() == field_count<Probe::Derived>());
    each_changes_the_hash(o, day_changes);
}

TEST_CASE("state_hash: what it leaves out on purpose is bookkeeping, not the office") {
    Office1 o(queue_config("alternate", 2));
    make_busy(o);
    OfficeState s = o.state;
    Probe::events_seen(s) += 5;
    Probe::applied_ids(s).emplace("elsewhere:1", s.day());
    CHECK(s.state_hash() == o.state.state_hash());
}

TEST_CASE("apply: check() says what apply() will do, and neither a check nor a refusal changes the state") {
    Office1 o(queue_config("alternate", 2));
    o.issue("a");
    o.issue("b", "anziani");
    const std::vector<EventBody> bodies{
        EventBody{CounterOpened{1}},         EventBody{TicketCalled{2, {}}},   EventBody{TicketCalled{1, {}}},
        EventBody{ServiceFinished{1, "x"}},  EventBody{TicketNoShow{1}},       EventBody{CounterPaused{1, "pausa"}},
        EventBody{TicketRecalled{1}},        EventBody{ServiceStarted{1}},     EventBody{TicketTransferred{1, "c", {}}},
        EventBody{CounterOpened{2}},         EventBody{TicketCalled{2, {}}},   EventBody{ServiceFinished{2, {}}},
        EventBody{TicketCancelled{"t1:99"}}, EventBody{CounterClosed{4}},      EventBody{DayClosed{}},
    };
    int applied = 0, refused = 0;
    for (const auto& body : bodies) {
        const Event e = o.ev.make(body);
        o.ev.now += kMin;
        const std::uint64_t before = o.state.state_hash();
        const ApplyResult judged = o.state.check(e);
        CHECK(o.state.state_hash() == before);
        const ApplyResult done = o.state.apply(e);
        CHECK(done.applied == judged.applied);
        CHECK(done.reason == judged.reason);
        CHECK(done.ticket_id == judged.ticket_id);
        if (!done.applied) {
            CHECK(o.state.state_hash() == before);
            // Still refused when it comes again (its id is remembered), whatever changed since.
            CHECK(o.state.apply(e).reason == "duplicate event " + e.id);
        }
        (done.applied ? applied : refused) += 1;
    }
    CHECK(applied >= 6);
    CHECK(refused >= 4);
}

TEST_CASE("rollover: earlier days' ids are dropped, and an earlier day's event stays refused for its day") {
    Office1 o(queue_config("strict", 2));
    o.issue("a");
    o.ok(CounterOpened{1});
    const Event monday_call = o.ev.make(TicketCalled{1, {}});
    REQUIRE(o.state.apply(monday_call).applied);
    const std::size_t monday_ids = o.state.remembered_ids();
    CHECK(monday_ids == 3);
    // An announcement stamped on Tuesday, seen on Monday, does not start Tuesday (nor is its id
    // forgotten when Tuesday starts).
    Event hello = o.ev.make(DeviceHello{2});
    hello.time = kMonday9 + 24 * 60 * kMin;
    REQUIRE(o.state.apply(hello).applied);
    CHECK(o.state.day() == 20261123);
    // A Tuesday call that does not apply does not start Tuesday either: nothing changes.
    const std::uint64_t monday_hash = o.state.state_hash();
    Event early = o.ev.make(TicketCalled{2, {}});
    early.time = kMonday9 + 24 * 60 * kMin;
    CHECK(o.state.apply(early).reason == "counter 2 is closed: open it first");
    CHECK(o.state.state_hash() == monday_hash);
    CHECK(o.state.tickets().size() == 1);

    // Tuesday starts with its first ticket: Monday's ids go, Tuesday's stay.
    o.ev.now = kMonday9 + 24 * 60 * kMin + kMin;
    CHECK(o.issue("a") == "A001");
    CHECK(o.state.day() == 20261124);
    CHECK(o.state.remembered_ids() == 3);  // the hello, the refused call, the ticket
    CHECK(o.state.apply(monday_call).reason == "event " + monday_call.id + " belongs to an earlier day");
    CHECK(o.state.apply(o.log.front()).reason == "event " + o.log.front().id + " belongs to an earlier day");
    CHECK(o.state.apply(hello).reason == "duplicate event " + hello.id);
    CHECK(o.state.apply(early).reason == "duplicate event " + early.id);
    CHECK(o.state.tickets().size() == 1);

    // A month of busy days: the ids remembered are one day's, never the month's.
    for (int day = 2; day < 32; ++day) {
        o.ev.now = kMonday9 + day * 24 * 60 * kMin;
        for (int i = 0; i < 40; ++i) o.issue(i % 2 ? "a" : "c");
        CHECK(o.state.remembered_ids() == 40);
    }
    CHECK(o.state.events_seen() > 1200);
}

TEST_CASE("next_for: the front of the sorted queue, found without sorting it") {
    for (const char* policy : {"strict", "alternate"}) {
        Office1 o(queue_config(policy, 2));
        Rng rng(std::string_view(policy) == "strict" ? 11u : 12u);
        const std::vector<std::string> sectors{"a", "b", "c"};
        for (int c = 1; c <= 4; ++c) o.ok(CounterOpened{c});
        int compared = 0;
        for (int i = 0; i < 1500; ++i) {
            o.ev.now += static_cast<Millis>(rng.uniform(0, 40'000));
            const int counter = 1 + static_cast<int>(rng.uniform(0, 4));
            const double u = rng.uniform();
            if (u < 0.45) {
                TicketIssued t;
                t.sector = sectors[static_cast<std::size_t>(rng.uniform(0, 3))];
                if (rng.chance(0.15)) t.priority = "anziani";
                if (rng.chance(0.15)) t.appointment_at = o.ev.now + static_cast<Millis>(rng.uniform(-30, 30)) * kMin;
                (void)o.apply(t);
            } else if (u < 0.75) {
                // The reference: transferred-here first, then each sector's sorted queue.
                const Ticket* expected = nullptr;
                for (const auto& t : o.state.tickets())
                    if (is_waiting(t.status) && t.for_counter == counter && (!expected || t.issued_at < expected->issued_at))
                        expected = &t;
                if (!expected)
                    for (const auto& sector : o.config.find_counter(counter)->sectors) {
                        auto q = o.state.queue(sector, o.ev.now);
                        if (!q.empty() && !q.front()->for_counter) {
                            expected = q.front();
                            break;
                        }
                    }
                CHECK(o.state.next_for(counter, o.ev.now) == expected);
                ++compared;
                (void)o.apply(TicketCalled{counter, {}});
            } else if (u < 0.85) {
                (void)o.apply(TicketTransferred{counter, sectors[static_cast<std::size_t>(rng.uniform(0, 3))],
                                                rng.chance(0.3) ? std::optional<int>(1 + static_cast<int>(rng.uniform(0, 4))) : std::nullopt});
            } else {
                (void)o.apply(ServiceFinished{counter, {}});
            }
        }
        CHECK(compared > 400);
    }
}
