// Statistics (shared/stats, issue 14): every figure computed on small hand-made event logs.
// The expected values are worked out by hand in the comments beside each check, from the
// event times below — never copied from the program's output.
#include <doctest/doctest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "shared/booking/booking_code.hpp"
#include "shared/stats/stats_export.hpp"
#include "shared/stats/queue_length.hpp"
#include "shared/stats/stats_log.hpp"
#include "shared/stats/stats_table.hpp"

using namespace csc;
using namespace csc::stats;

namespace stats_test {

// Sector "a" (two services, its own target wait of 10 minutes) at counter 1, sector "c" (the
// office's target, 15 minutes) at counter 2; UTC, so local hours are the UTC ones. One bookable
// service: a's "ci", Mondays 09:00–10:30, 20-minute slots with a 10-minute gap (09:00, 09:30, 10:00).
SiteConfig config() {
    const char* text = R"(
[office]
name = "CSC test"
timezone = "UTC"
[hours]
monday = ["08:00-18:00"]
tuesday = ["08:00-18:00"]
wednesday = ["08:00-18:00"]
thursday = ["08:00-18:00"]
friday = ["08:00-18:00"]
[statistics]
target_wait_min = 15
target_share = 80
[[sector]]
id = "a"
letter = "A"
colour = "#1F5FAD"
name = "Anagrafe"
target_wait_min = 10
  [[sector.service]]
  id = "ci"
  name = "Carta d'identità"
  [[sector.service]]
  id = "cert"
  name = "Certificati"
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
sectors = ["c"]
[booking]
keep_days = 30
[[booking.service]]
sector = "a"
service = "ci"
slot_minutes = 20
capacity = 1
buffer_minutes = 10
min_notice_minutes = 60
days_ahead = 14
counters = [1]
monday = ["09:00-10:30"]
)";
    auto cfg = parse_site_config(text, "stats.toml");
    REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error().message));
    return std::move(*cfg);
}

constexpr Millis kMinute = 60'000;
// 2026-11-23, a Monday, 00:00 UTC.
constexpr Millis kDay1 = 1'795'392'000'000;
constexpr Millis at(int hour, int minute, Millis day = kDay1) { return day + (hour * 60 + minute) * kMinute; }

struct Log {
    std::vector<Event> events;
    std::int64_t seq = 0;
    std::string add(Millis time, EventBody body, std::string by = {}) {
        Event e;
        e.device = "t1";
        e.seq = ++seq;
        e.id = make_event_id("t1", e.seq);
        e.time = time;
        e.by = std::move(by);
        e.body = std::move(body);
        events.push_back(e);
        return e.id;
    }
    std::string issue(Millis time, std::string sector, std::string service, std::optional<std::pair<int, int>> promise) {
        TicketIssued t;
        t.sector = std::move(sector);
        t.service = std::move(service);
        if (promise) {
            t.promised_low_min = promise->first;
            t.promised_high_min = promise->second;
        }
        return add(time, t);
    }
    StatsLog fold(const SiteConfig& cfg, Millis now) const {
        StatsCollector c(cfg);
        for (const auto& e : events) c.add(e);
        return c.finish(now);
    }
};

std::string booking_code(int n) {
    std::array<std::uint8_t, kBookingCodeLength - 1> r{};
    for (auto& v : r) {
        v = static_cast<std::uint8_t>(n % 30);
        n = n / 30 + 7;
    }
    return make_booking_code(r);
}

// The day of the tests: five tickets, two counters, one pause (times in the comments).
Log first_day() {
    Log l;
    l.add(at(9, 0), CounterOpened{1}, "Anna");
    l.add(at(9, 0), CounterOpened{2}, "Bruno");
    l.issue(at(9, 0), "a", "ci", std::pair{5, 10});    // T1
    l.issue(at(9, 2), "a", "cert", std::pair{10, 20}); // T2
    l.issue(at(9, 4), "c", "", std::pair{0, 3});       // T3
    l.add(at(9, 5), CounterPaused{2, "counter.pause.break"}, "Bruno");
    l.add(at(9, 6), TicketCalled{1, ""}, "Anna");      // T1 called: wait 6
    l.add(at(9, 7), ServiceStarted{1}, "Anna");        // walk 1
    l.add(at(9, 15), CounterResumed{2}, "Bruno");      // pause 10
    l.add(at(9, 16), TicketCalled{2, ""}, "Bruno");    // T3 called: wait 12
    l.add(at(9, 17), ServiceFinished{1, ""}, "Anna");  // T1 served: service 10, visit 17
    l.add(at(9, 18), ServiceStarted{2}, "Bruno");      // walk 2
    l.add(at(9, 20), TicketCalled{1, ""}, "Anna");     // T2 called: wait 18
    l.add(at(9, 25), TicketNoShow{1}, "Anna");         // T2 absent
    l.add(at(9, 30), ServiceFinished{2, ""}, "Bruno"); // T3 served: service 12, visit 26
    const std::string t4 = l.issue(at(9, 40), "c", "", std::pair{2, 6});
    l.add(at(9, 50), TicketCancelled{t4, ""});         // T4 left before its call
    l.issue(at(10, 0), "a", "ci", std::nullopt);       // T5, no promise recorded (an older event)
    l.add(at(10, 5), TicketCalled{1, ""}, "Anna");     // T5 called: wait 5
    l.add(at(10, 6), ServiceStarted{1}, "Anna");
    l.add(at(18, 0), DayClosed{});                     // T5 still in service: interrupted
    return l;
}

bool near(double a, double b) { return std::abs(a - b) < 1e-9; }

}  // namespace stats_test

using namespace stats_test;

TEST_CASE("stats: tickets issued, served and abandonment by stage on a hand-made day") {
    const SiteConfig cfg = config();
    const StatsLog log = first_day().fold(cfg, at(0, 0, kDay1 + 86'400'000));
    const StatsTable t = compute_stats(log, cfg, Grouping::Day, 20261123, 20261123);
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].key == "2026-11-23");
    const StatsRow& r = t.total;
    CHECK(r.issued == 5);               // T1…T5
    CHECK(r.served == 2);               // T1, T3
    CHECK(r.left_before_call == 1);     // T4 (cancelled while waiting)
    CHECK(r.called_absent == 1);        // T2 (no-show)
    CHECK(r.left_during_service == 1);  // T5 (day closed while serving)
    CHECK(r.still_open == 0);
    CHECK(r.called == 4);               // T1, T2, T3, T5
}

TEST_CASE("stats: the queue's length moment by moment, from issue to first call (or the end of a ticket never called)") {
    const SiteConfig cfg = config();
    const StatsLog log = first_day().fold(cfg, at(0, 0, kDay1 + 86'400'000));
    const std::vector<Millis> times{at(8, 59), at(9, 0), at(9, 3), at(9, 5), at(9, 6), at(9, 16), at(9, 19), at(9, 20),
                                    at(9, 45), at(9, 50), at(10, 1), at(10, 5)};
    // 09:00 T1 in; 09:02 T2; 09:04 T3; 09:06 T1 called; 09:16 T3 called; 09:20 T2 called;
    // 09:40 T4 in, cancelled 09:50; 10:00 T5 in, called 10:05.
    CHECK(waiting_at(log, times) == std::vector<int>{0, 1, 2, 3, 2, 1, 1, 0, 1, 0, 1, 0});
    CHECK(waiting_at(log, times, "c") == std::vector<int>{0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0});  // T3, then T4
    // The day's close ends what is left: a ticket never called stops waiting then, not "forever".
    Log l;
    l.issue(at(17, 50), "c", "", std::nullopt);
    l.add(at(18, 0), DayClosed{});
    const StatsLog closed = l.fold(cfg, at(0, 0, kDay1 + 86'400'000));
    const std::vector<Millis> evening{at(17, 55), at(18, 0), at(19, 0)};
    CHECK(waiting_at(closed, evening) == std::vector<int>{1, 0, 0});
    // Still open today (the fold ends before the day does): it waits on.
    Log waiting;
    waiting.issue(at(17, 50), "c", "", std::nullopt);
    CHECK(waiting_at(waiting.fold(cfg, at(17, 58)), evening) == std::vector<int>{1, 1, 1});
}

TEST_CASE("stats: wait (issue to first call) mean and p90, walk, service and visit times") {
    const SiteConfig cfg = config();
    const StatsRow r = compute_stats(first_day().fold(cfg, at(0, 0, kDay1 + 86'400'000)), cfg, Grouping::Day, 20261123, 20261123).total;
    CHECK(near(r.wait_mean_min, (6 + 18 + 12 + 5) / 4.0));  // 10.25
    CHECK(near(r.wait_p90_min, 18));                        // nearest rank: ceil(0.9·4) = 4th of 5, 6, 12, 18
    CHECK(near(r.walk_mean_min, (1 + 2) / 2.0));            // served tickets only: T1 1, T3 2
    CHECK(near(r.service_mean_min, (10 + 12) / 2.0));
    CHECK(near(r.service_p90_min, 12));                     // ceil(0.9·2) = 2nd of 10, 12
    CHECK(near(r.visit_mean_min, (17 + 26) / 2.0));         // T1 09:00→09:17, T3 09:04→09:30
}

TEST_CASE("stats: share called within the sector's target wait (a sector's own target, else the office's)") {
    const SiteConfig cfg = config();
    const StatsTable t = compute_stats(first_day().fold(cfg, at(0, 0, kDay1 + 86'400'000)), cfg, Grouping::Sector, 20261123, 20261123);
    // a: target 10 → T1 6 yes, T2 18 no, T5 5 yes; c: target 15 → T3 12 yes.
    CHECK(near(t.total.within_target_share, 3.0 / 4.0));
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0].key == "a");
    CHECK(near(t.rows[0].within_target_share, 2.0 / 3.0));
    CHECK(t.rows[1].key == "c");
    CHECK(near(t.rows[1].within_target_share, 1.0));
    CHECK(t.rows[1].issued == 2);  // T3, T4
    CHECK(t.target_share == 80);
}

TEST_CASE("stats: the forecast's accuracy against the printed range (MAE to its middle, share inside)") {
    const SiteConfig cfg = config();
    const StatsRow r = compute_stats(first_day().fold(cfg, at(0, 0, kDay1 + 86'400'000)), cfg, Grouping::Day, 20261123, 20261123).total;
    // T1 [5,10] waited 6: error |6 − 7.5| = 1.5, inside; T2 [10,20] waited 18: 3, inside;
    // T3 [0,3] waited 12: 10.5, outside. T4 never called, T5 has no promise: not counted.
    CHECK(r.promised == 3);
    CHECK(near(r.forecast_mae_min, (1.5 + 3 + 10.5) / 3));
    CHECK(near(r.forecast_inside_share, 2.0 / 3.0));
}

TEST_CASE("stats: pauses by reason and operator idle time while people waited") {
    const SiteConfig cfg = config();
    const StatsLog log = first_day().fold(cfg, at(0, 0, kDay1 + 86'400'000));
    const StatsTable t = compute_stats(log, cfg, Grouping::Operator, 20261123, 20261123);
    CHECK(t.total.pauses == 1);
    CHECK(near(t.total.pause_min, 10));
    REQUIRE(t.pause_reasons.size() == 1);
    CHECK(t.pause_reasons[0].reason == "counter.pause.break");
    // Counter 1 (Anna): 09:00–09:06 (T1 waiting), 09:17–09:20 (T2), 10:00–10:05 (T5) = 14.
    // Counter 2 (Bruno): 09:04–09:05 (T3, then paused), 09:15–09:16, 09:40–09:50 (T4) = 12.
    CHECK(near(t.total.idle_with_waiting_min, 26));
    REQUIRE(t.rows.size() == 3);  // "" (T4, never called), Anna, Bruno
    CHECK(t.rows[0].key == "");
    CHECK(t.rows[0].issued == 1);
    CHECK(t.rows[1].key == "Anna");
    CHECK(t.rows[1].issued == 3);  // T1, T2, T5 called by her
    CHECK(near(t.rows[1].idle_with_waiting_min, 14));
    CHECK(t.rows[1].pauses == 0);
    CHECK(t.rows[2].key == "Bruno");
    CHECK(near(t.rows[2].idle_with_waiting_min, 12));
    CHECK(near(t.rows[2].pause_min, 10));
}

TEST_CASE("stats: grouping by hour, counter and service puts each record where it belongs") {
    const SiteConfig cfg = config();
    const StatsLog log = first_day().fold(cfg, at(0, 0, kDay1 + 86'400'000));
    const StatsTable h = compute_stats(log, cfg, Grouping::Hour, 20261123, 20261123);
    REQUIRE(h.rows.size() == 2);
    CHECK(h.rows[0].key == "09");
    CHECK(h.rows[0].issued == 4);                              // T1–T4
    CHECK(near(h.rows[0].idle_with_waiting_min, 6 + 3 + 1 + 1 + 10));  // idle stretches begun at 09:xx
    CHECK(h.rows[1].key == "10");
    CHECK(h.rows[1].issued == 1);
    CHECK(near(h.rows[1].idle_with_waiting_min, 5));
    const StatsTable c = compute_stats(log, cfg, Grouping::Counter, 20261123, 20261123);
    REQUIRE(c.rows.size() == 3);  // "" (never called), 1, 2
    CHECK(c.rows[1].key == "1");
    CHECK(c.rows[1].issued == 3);
    CHECK(c.rows[2].key == "2");
    CHECK(near(c.rows[2].pause_min, 10));
    const StatsTable s = compute_stats(log, cfg, Grouping::Service, 20261123, 20261123);
    REQUIRE(s.rows.size() == 3);  // a's cert and ci (service ids are a sector's own), c (a sector without services)
    CHECK(s.rows[0].key == "a/cert");
    CHECK(s.rows[1].key == "a/ci");
    CHECK(s.rows[1].issued == 2);  // T1, T5
    CHECK(s.rows[2].key == "c");
}

TEST_CASE("stats: a range leaves out the days outside it") {
    const SiteConfig cfg = config();
    const StatsLog log = first_day().fold(cfg, at(0, 0, kDay1 + 86'400'000));
    const StatsTable t = compute_stats(log, cfg, Grouping::Day, 20261124, 20261130);
    CHECK(t.rows.empty());
    CHECK(t.total.issued == 0);
    CHECK(std::isnan(t.total.wait_mean_min));  // no data, never 0
    CHECK(std::isnan(t.total.within_target_share));
}

TEST_CASE("stats: a day left open ends at the next day's first event; today's tickets stay open") {
    const SiteConfig cfg = config();
    Log l;
    l.add(at(9, 0), CounterOpened{1}, "Anna");
    l.issue(at(9, 0), "a", "ci", std::nullopt);   // never called, the day never closed
    l.issue(at(9, 1), "a", "ci", std::nullopt);
    l.add(at(9, 3), TicketCalled{1, ""}, "Anna");  // the first one called, never started
    l.add(at(9, 3), CounterOpened{2}, "Bruno");
    l.add(at(9, 4), CounterPaused{2, "pausa"}, "Bruno");
    const Millis day2 = kDay1 + 86'400'000;
    l.add(at(9, 10, day2), CounterPaused{1, "late"}, "Anna");  // refused: counters start the day closed
    l.issue(at(9, 30, day2), "a", "ci", std::nullopt);    // today's, still waiting
    const StatsLog log = l.fold(cfg, at(12, 0, day2));
    const StatsTable t = compute_stats(log, cfg, Grouping::Day, 20261123, 20261124);
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0].issued == 2);
    CHECK(t.rows[0].called_absent == 1);     // called, the day ended before service
    CHECK(t.rows[0].left_before_call == 1);  // never called
    CHECK(t.rows[1].still_open == 1);
    // Counter 2's pause from 09:04 ends with day 1's last event (09:04 itself): 0 minutes.
    CHECK(t.total.pauses == 1);
    CHECK(t.total.pause_min == 0);
}

TEST_CASE("stats: bookings whose day is over count as came or no-show; cancelled ones are left out") {
    const SiteConfig cfg = config();
    Log l;
    const Millis friday = kDay1 - 3 * 86'400'000;  // 2026-11-20
    const std::string came = booking_code(1), absent = booking_code(2), cancelled = booking_code(3);
    l.add(at(10, 0, friday), BookingMade{came, "ci", at(9, 0), "", "Maria Rossi", "", "", "it", "cli"});
    l.add(at(10, 1, friday), BookingMade{absent, "ci", at(9, 30), "", "Luca Bianchi", "", "", "it", "cli"});
    l.add(at(10, 2, friday), BookingMade{cancelled, "ci", at(10, 0), "", "Sara Verdi", "", "", "it", "cli"});
    l.add(at(10, 3, friday), BookingCancelled{cancelled, false, ""});
    TicketIssued check_in;
    check_in.sector = "a";
    check_in.service = "ci";
    check_in.channel = "booking";
    check_in.booking = came;
    l.add(at(8, 55), check_in);
    l.add(at(9, 0), CounterOpened{1}, "Anna");
    StatsLog before_end = l.fold(cfg, at(12, 0));  // the day is not over: nobody judged yet
    CHECK(before_end.bookings.empty());
    const StatsLog log = l.fold(cfg, at(0, 0, kDay1 + 86'400'000));
    const StatsTable t = compute_stats(log, cfg, Grouping::Hour, 20261123, 20261123);
    CHECK(t.total.bookings == 2);
    CHECK(t.total.booking_no_shows == 1);
    REQUIRE(t.rows.size() == 2);  // 08 (the check-in ticket), 09 (both slots)
    CHECK(t.rows[1].key == "09");
    CHECK(t.rows[1].bookings == 2);
    CHECK(t.rows[1].booking_no_shows == 1);
}

TEST_CASE("stats: p90 by nearest rank; none is NaN") {
    std::vector<double> v{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    CHECK(percentile_nearest_rank(v, 0.9) == 9);  // ceil(0.9·10) = 9th
    std::vector<double> one{4};
    CHECK(percentile_nearest_rank(one, 0.9) == 4);
    std::vector<double> none;
    CHECK(std::isnan(percentile_nearest_rank(none, 0.9)));
}

TEST_CASE("stats: CSV with ';' uses decimal commas, quotes text, keeps empty cells for no data; ',' uses points") {
    const SiteConfig cfg = config();
    const StatsTable t = compute_stats(first_day().fold(cfg, at(0, 0, kDay1 + 86'400'000)), cfg, Grouping::Day, 20261123, 20261123);
    std::vector<std::string> headers{"Giorno", "Nome"};
    for (std::size_t i = 1; i < kStatsColumns.size(); ++i) headers.push_back(std::string(kStatsColumns[i]));
    headers[2] = "Biglietti; emessi";  // a separator inside a header is quoted
    const std::string csv = stats_csv(t, headers, {"23/11", "=Totale"}, {';', true});
    CHECK(csv.rfind("\xEF\xBB\xBF" "Giorno;Nome;\"Biglietti; emessi\";", 0) == 0);
    CHECK(csv.find("\r\n2026-11-23;23/11;5;2;1;1;1;0;4;10,25;18,00;") != std::string::npos);
    CHECK(csv.find(";'=Totale;") != std::string::npos);  // never a formula
    // The one cell rule the exports share (the USB export's visits too): a tab or CR first is a
    // formula to some spreadsheets as well; a quote doubled inside quotes.
    CHECK(csv_cell("\tSUM(A1)", ';') == "'\tSUM(A1)");
    CHECK(csv_cell("-2", ',') == "'-2");
    CHECK(csv_cell("say \"hi\"", ';') == "\"say \"\"hi\"\"\"");
    CHECK(csv_cell("a,b", ';') == "a,b");
    CHECK(csv_cell("a,b", ',') == "\"a,b\"");
    const std::string comma = stats_csv(t, headers, {"d", "t"}, {',', false});
    CHECK(comma.rfind("Giorno,", 0) == 0);
    CHECK(comma.find(",10.25,18.00,") != std::string::npos);
    const StatsTable empty = compute_stats(StatsLog{}, cfg, Grouping::Day, 20261123, 20261123);
    const std::string none = stats_csv(empty, headers, {"Totale"}, {';', false});
    CHECK(none.find("\r\n;Totale;0;0;0;0;0;0;0;;;") != std::string::npos);  // no data: empty cells
}

TEST_CASE("stats: JSON has machine keys, null for no data and shares as fractions") {
    const SiteConfig cfg = config();
    const StatsTable t = compute_stats(first_day().fold(cfg, at(0, 0, kDay1 + 86'400'000)), cfg, Grouping::Sector, 20261123, 20261123);
    const auto j = nlohmann::json::parse(stats_json(t, {"Anagrafe", "Protocollo", "Totale"}));
    CHECK(j["from"] == "2026-11-23");
    CHECK(j["by"] == "sector");
    CHECK(j["rows"][0]["key"] == "a");
    CHECK(j["rows"][0]["name"] == "Anagrafe");
    CHECK(j["total"]["issued"] == 5);
    CHECK(j["total"]["within_target_share"] == 0.75);
    CHECK(j["rows"][1]["walk_mean_min"] == 2.0);
    CHECK(j["target_share"] == 0.8);
    CHECK(j["pause_reasons"][0]["reason"] == "counter.pause.break");
    const StatsTable empty = compute_stats(StatsLog{}, cfg, Grouping::Day, 20261123, 20261123);
    CHECK(nlohmann::json::parse(stats_json(empty, {"Totale"}))["total"]["wait_mean_min"].is_null());
}

TEST_CASE("stats: the printed promise is kept by the event codec; older events without it still read") {
    TicketIssued t;
    t.sector = "a";
    t.promised_low_min = 5;
    t.promised_high_min = 12;
    Event e;
    e.device = "k1";
    e.seq = 1;
    e.id = make_event_id("k1", 1);
    e.time = kDay1;
    e.body = t;
    const std::string text = encode_event(e);
    CHECK(text.find("\"promised\":[5,12]") != std::string::npos);
    auto back = decode_event(text);
    REQUIRE(back.ok());
    CHECK(*back == e);
    CHECK(validate_event(e).ok());
    const std::string old_event = R"({"v":1,"id":"k1:1","device":"k1","seq":1,"time":1795392000000,"type":"ticket.issued","body":{"sector":"a","service":"","priority":"","lang":"it","channel":"kiosk"}})";
    auto old = decode_event(old_event);
    REQUIRE(old.ok());
    CHECK_FALSE(std::get<TicketIssued>(old->body).promised_low_min.has_value());
    for (const char* bad : {R"([12,5])", R"([-1,5])", R"([0,2000])", R"([1])", R"("5-12")", R"([1.5,3])"}) {
        std::string s = text;
        s.replace(s.find("[5,12]"), 6, bad);
        auto r = decode_event(s);
        CHECK_MESSAGE(!r.ok(), bad);
        if (!r.ok()) CHECK(r.error().message.find("promised") != std::string::npos);
    }
    t.promised_high_min.reset();
    e.body = t;
    auto half = validate_event(e);
    REQUIRE_FALSE(half.ok());
    CHECK(half.error().message.find("both its low and its high end") != std::string::npos);
}

TEST_CASE("stats: satisfaction ratings counted by sector, service, counter, day and hour; never by operator; anonymous") {
    const SiteConfig cfg = config();
    Log l = first_day();
    // T1 (a/ci, counter 1, issued 09:00) and T3 (c, counter 2, issued 09:04) were served.
    const std::string t1 = l.events[2].id, t3 = l.events[4].id;
    l.add(at(9, 18), FeedbackGiven{t1, "bad", "waiting", "web"});
    l.add(at(9, 19), FeedbackGiven{t1, "good", "", "screen"});   // a second rating: refused, not counted
    l.add(at(9, 31), FeedbackGiven{t3, "so-so", "", "screen"});
    l.add(at(9, 32), FeedbackGiven{l.events[3].id, "good", "", "web"});  // T2 was absent: refused
    // The next day: a ticket served there and rated.
    const Millis day2 = kDay1 + 86'400'000;
    l.add(at(11, 0, day2), CounterOpened{1}, "Anna");
    const std::string t6 = l.issue(at(11, 0, day2), "a", "cert", std::nullopt);
    l.add(at(11, 1, day2), TicketCalled{1, ""}, "Anna");
    l.add(at(11, 2, day2), ServiceFinished{1, ""}, "Anna");
    l.add(at(11, 3, day2), FeedbackGiven{t6, "good", "", "web"});
    const StatsLog log = l.fold(cfg, at(0, 0, day2 + 86'400'000));

    REQUIRE(log.feedback.size() == 3);
    CHECK(log.feedback[0].sector == "a");
    CHECK(log.feedback[0].service == "ci");
    CHECK(log.feedback[0].counter == 1);
    CHECK(log.feedback[0].day == 20261123);
    CHECK(log.feedback[0].hour == 9);
    CHECK(log.feedback[0].rating == "bad");
    CHECK(log.feedback[0].reason == "waiting");

    const StatsTable total = compute_stats(log, cfg, Grouping::Day, 20261123, 20261124);
    CHECK(total.total.feedback == 3);
    CHECK(total.total.feedback_good == 1);
    CHECK(total.total.feedback_so_so == 1);
    CHECK(total.total.feedback_bad == 1);
    CHECK(total.total.feedback_bad_waiting == 1);
    CHECK(total.total.feedback_bad_staff == 0);
    REQUIRE(total.rows.size() == 2);
    CHECK(total.rows[0].feedback == 2);  // 2026-11-23: T1 bad, T3 so-so
    CHECK(total.rows[1].feedback == 1);  // 2026-11-24: T6 good
    CHECK(total.rows[1].feedback_good == 1);

    const StatsTable sector = compute_stats(log, cfg, Grouping::Sector, 20261123, 20261124);
    REQUIRE(sector.rows.size() == 2);
    CHECK(sector.rows[0].key == "a");
    CHECK(sector.rows[0].feedback == 2);
    CHECK(sector.rows[0].feedback_bad == 1);
    CHECK(sector.rows[0].feedback_good == 1);
    CHECK(sector.rows[1].key == "c");
    CHECK(sector.rows[1].feedback_so_so == 1);

    const StatsTable service = compute_stats(log, cfg, Grouping::Service, 20261123, 20261124);
    auto row_of = [](const StatsTable& t, const std::string& key) -> const StatsRow* {
        for (const auto& r : t.rows)
            if (r.key == key) return &r;
        return nullptr;
    };
    REQUIRE(row_of(service, "a/ci"));
    CHECK(row_of(service, "a/ci")->feedback_bad_waiting == 1);
    REQUIRE(row_of(service, "a/cert"));
    CHECK(row_of(service, "a/cert")->feedback_good == 1);  // T6 (T2 was absent, its rating refused)
    CHECK(row_of(service, "c")->feedback_so_so == 1);

    const StatsTable counter = compute_stats(log, cfg, Grouping::Counter, 20261123, 20261124);
    REQUIRE(row_of(counter, "1"));
    CHECK(row_of(counter, "1")->feedback == 2);  // T1, T6
    REQUIRE(row_of(counter, "2"));
    CHECK(row_of(counter, "2")->feedback == 1);

    const StatsTable hour = compute_stats(log, cfg, Grouping::Hour, 20261123, 20261124);
    CHECK(row_of(hour, "09")->feedback == 2);
    CHECK(row_of(hour, "11")->feedback == 1);

    // By operator the ratings are in the total only: no row holds one.
    const StatsTable op = compute_stats(log, cfg, Grouping::Operator, 20261123, 20261124);
    CHECK(op.total.feedback == 3);
    for (const auto& r : op.rows) CHECK(r.feedback == 0);

    // In the exports under their machine keys.
    const auto j = nlohmann::json::parse(stats_json(sector, {}));
    CHECK(j["total"]["feedback"] == 3);
    CHECK(j["rows"][0]["feedback_bad_waiting"] == 1);
}
