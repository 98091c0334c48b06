// Determinism and day boundaries of the queue engine.
#include <doctest/doctest.h>

#include "shared/rng.hpp"
#include "tests/core/queue_fixture.hpp"

using namespace csc;
using namespace csc::test;

namespace {

// A long random day of every kind of action (many of which do not apply).
std::vector<Event> random_log(std::uint64_t seed, int n) {
    Rng rng(seed);
    EventMaker ev;
    std::vector<Event> log;
    const char* sectors[] = {"a", "b", "c"};
    const char* prios[] = {"", "", "", "anziani"};
    for (int i = 0; i < n; ++i) {
        ev.now += static_cast<Millis>(rng.uniform(0, 90'000));
        const int counter = 1 + static_cast<int>(rng.uniform(0, 4.4));
        const int kind = static_cast<int>(rng.uniform(0, 12));
        EventBody b;
        switch (kind) {
            case 0:
            case 1:
            case 2: {
                TicketIssued t;
                t.sector = sectors[static_cast<int>(rng.uniform(0, 3))];
                t.priority = prios[static_cast<int>(rng.uniform(0, 4))];
                if (rng.chance(0.1)) t.appointment_at = ev.now + static_cast<Millis>(rng.uniform(-20, 30) * kMin);
                b = t;
                break;
            }
            case 3: b = CounterOpened{counter}; break;
            case 4:
            case 5: b = TicketCalled{counter, {}}; break;
            case 6: b = ServiceStarted{counter}; break;
            case 7:
            case 8: b = ServiceFinished{counter, {}}; break;
            case 9: b = TicketNoShow{counter}; break;
            case 10: b = TicketTransferred{counter, sectors[static_cast<int>(rng.uniform(0, 3))], std::nullopt}; break;
            default: b = rng.chance(0.5) ? EventBody{CounterPaused{counter, "pausa"}} : EventBody{CounterResumed{counter}}; break;
        }
        log.push_back(ev.make(b));
    }
    return log;
}

}  // namespace

TEST_CASE("replay: the same log gives the same state, on a fresh state and again") {
    const SiteConfig cfg = queue_config("alternate", 2);
    const auto log = random_log(7, 600);
    OfficeState a(cfg), b(cfg);
    int applied = 0;
    for (const auto& e : log) applied += a.apply(e).applied;
    for (const auto& e : log) (void)b.apply(e);
    CHECK(applied > 200);
    CHECK(a.state_hash() == b.state_hash());
    // Re-applying the same events is a no-op (idempotent by id).
    const auto h = a.state_hash();
    for (const auto& e : log) CHECK_FALSE(a.apply(e).applied);
    CHECK(a.state_hash() == h);
    // Through the codec (what another device receives) the result is the same.
    OfficeState c(cfg);
    for (const auto& e : log) {
        auto d = decode_event(encode_event(e));
        REQUIRE(d.ok());
        (void)c.apply(*d);
    }
    CHECK(c.state_hash() == h);
    // A different order gives (in general) a different state: order is what decides.
    OfficeState d(cfg);
    auto shuffled = random_log(8, 600);
    for (const auto& e : shuffled) (void)d.apply(e);
    CHECK(d.state_hash() != h);
}

TEST_CASE("replay: every new event kind survives the codec") {
    EventMaker ev;
    TicketIssued issued;
    issued.sector = "a";
    issued.channel = "booking";
    issued.appointment_at = kMonday9 + 3600'000;
    const std::vector<EventBody> bodies{issued,
                                        CounterOpened{3},
                                        TicketCalled{3, "t1:7"},
                                        TicketCalled{3, ""},
                                        TicketRecalled{3},
                                        ServiceStarted{3},
                                        ServiceFinished{3, "certificati"},
                                        TicketNoShow{3},
                                        TicketTransferred{3, "b", 4},
                                        TicketTransferred{3, "b", std::nullopt},
                                        CounterPaused{3, "back office"},
                                        CounterResumed{3},
                                        CounterClosed{3},
                                        TicketCancelled{"t1:2"},
                                        DayClosed{}};
    for (const auto& b : bodies) {
        const Event e = ev.make(b);
        auto d = decode_event(encode_event(e));
        REQUIRE_MESSAGE(d.ok(), encode_event(e));
        CHECK(*d == e);
    }
    CHECK_FALSE(decode_event(R"({"v":1,"id":"k:1","device":"k","seq":1,"time":5,"type":"ticket.called","body":{"counter":"2","ticket":""}})").ok());
    CHECK_FALSE(decode_event(R"({"v":1,"id":"k:1","device":"k","seq":1,"time":5,"type":"ticket.called","body":{"ticket":""}})").ok());
    CHECK_FALSE(decode_event(R"({"v":1,"id":"k:1","device":"k","seq":1,"time":5,"type":"counter.paused","body":{"counter":0,"reason":"x"}})").ok());
    CHECK_FALSE(decode_event(R"({"v":1,"id":"k:1","device":"k","seq":1,"time":5,"type":"ticket.issued","body":{"sector":"a","lang":"it","channel":"kiosk","appointment_at":"10:00"}})").ok());
}

TEST_CASE("day boundaries: closing the day ends open tickets; the next day starts afresh") {
    Office1 o(queue_config());
    o.issue("a");
    o.issue("a");
    o.issue("b");
    o.ok(CounterOpened{1});
    CHECK(o.call(1) == "A001");
    o.ok(DayClosed{});
    for (const auto& t : o.state.tickets()) CHECK(t.status == TicketStatus::NotServed);
    CHECK(o.state.find_counter(1)->status == CounterStatus::Closed);
    CHECK(o.state.waiting("a") == 0);
    // Next morning: numbering restarts, counters start closed.
    o.ev.now = kMonday9 + 24 * 3600'000;
    CHECK(o.issue("a") == "A001");
    CHECK(o.state.day() == 20261124);
    CHECK(o.state.tickets().size() == 1);
    // An event of a day already closed does not apply.
    Event old = o.ev.make(CounterOpened{1});
    old.time = kMonday9;
    CHECK_FALSE(o.state.apply(old).applied);
}

TEST_CASE("day boundaries: an event after midnight rolls over without DayClosed") {
    Office1 o(queue_config());
    o.ev.now = kMonday9 + 14 * 3600'000 + 59 * kMin;  // 23:59
    o.issue("a");
    o.ok(CounterOpened{2});
    o.ev.now += 2 * kMin;  // 00:01
    CHECK(o.issue("a") == "A001");
    CHECK(o.state.find_counter(2)->status == CounterStatus::Closed);
}
