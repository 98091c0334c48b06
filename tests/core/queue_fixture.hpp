// queue_fixture.hpp — a small office and an event builder for the queue/forecast/sim tests.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "shared/config.hpp"
#include "shared/office_state.hpp"

namespace csc::test {

/// Three sectors (a, b, c), counters 1 [a], 2 [a, b], 3 [b], 4 [c]; open every day 08:00–18:00 UTC.
inline std::string queue_config_text(const std::string& policy = "strict", int n = 2) {
    return R"(
[office]
name = "Test"
timezone = "UTC"
languages = ["it", "en"]
[hours]
monday = ["08:00-18:00"]
tuesday = ["08:00-12:00", "14:00-18:00"]
wednesday = ["08:00-18:00"]
thursday = ["08:00-18:00"]
friday = ["08:00-18:00"]
saturday = ["08:00-18:00"]
sunday = ["08:00-18:00"]
[queue]
policy = ")" + policy + R"("
walk_ins_per_priority = )" + std::to_string(n) + R"(
appointment_early_minutes = 10
appointment_late_minutes = 15
[[priority]]
id = "disabili"
name = { it = "Disabili", en = "Disabled" }
[[priority]]
id = "anziani"
name = { it = "Anziani over 75", en = "Elderly over 75" }
[[sector]]
id = "a"
letter = "A"
colour = "#1F5FAD"
name = "Anagrafe"
[[sector]]
id = "b"
letter = "B"
colour = "#7A2E8C"
name = "Stato civile"
[[sector]]
id = "c"
letter = "C"
colour = "#2C6E31"
name = "Protocollo"
[[counter]]
number = 1
sectors = ["a"]
[[counter]]
number = 2
sectors = ["a", "b"]
[[counter]]
number = 3
sectors = ["b"]
[[counter]]
number = 4
sectors = ["c"]
)";
}

inline SiteConfig queue_config(const std::string& policy = "strict", int n = 2) {
    auto cfg = parse_site_config(queue_config_text(policy, n), "test.toml");
    REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error().message));
    return std::move(*cfg);
}

/// 2026-11-23 (a Monday) 09:00 UTC.
inline constexpr Millis kMonday9 = 1'795'424'400'000;
inline constexpr Millis kMin = 60'000;

/// Builds events from one device with increasing seq, at a time the test moves.
struct EventMaker {
    std::string device = "t1";
    std::int64_t seq = 0;
    Millis now = kMonday9;
    Event make(EventBody body) {
        Event e;
        e.device = device;
        e.seq = ++seq;
        e.id = make_event_id(device, e.seq);
        e.time = now;
        e.body = std::move(body);
        return e;
    }
};

/// A state plus the log that made it.
struct Office1 {
    SiteConfig config;
    OfficeState state;
    EventMaker ev;
    std::vector<Event> log;
    explicit Office1(SiteConfig c) : config(std::move(c)), state(config) {}
    ApplyResult apply(EventBody b) {
        log.push_back(ev.make(std::move(b)));
        return state.apply(log.back());
    }
    std::string issue(const std::string& sector, const std::string& priority = {}, std::optional<Millis> appt = {}) {
        TicketIssued t;
        t.sector = sector;
        t.priority = priority;
        t.appointment_at = appt;
        auto r = apply(t);
        REQUIRE_MESSAGE(r.applied, r.reason);
        ev.now += 1000;  // one second between events unless the test moves time itself
        return state.find_ticket(r.ticket_id)->label;
    }
    std::string call(int counter) {
        auto r = apply(TicketCalled{counter, {}});
        ev.now += 1000;
        if (!r.applied) return "!" + r.reason;
        return state.find_ticket(r.ticket_id)->label;
    }
    void ok(EventBody b) {
        auto r = apply(std::move(b));
        ev.now += 1000;
        REQUIRE_MESSAGE(r.applied, r.reason);
    }
    /// Calls and finishes at once: the label served.
    std::string serve(int counter) {
        auto label = call(counter);
        if (label[0] != '!') ok(ServiceFinished{counter, {}});
        return label;
    }
};

}  // namespace csc::test
