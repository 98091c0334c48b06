// The statistics of a date range from a real store (kiosk/app/statistics.hpp, issue 14): the
// records of days that are over are kept in the store and used only while the day's events are
// unchanged; today is always folded; a store that may not be written still answers.
#include <doctest/doctest.h>

#include <filesystem>

#include <sqlite3.h>

#include "kiosk/app/statistics.hpp"
#include "shared/store_stats.hpp"
#include "test_support.hpp"

using namespace csc;

namespace app_stats_test {

SiteConfig config() {
    auto cfg = parse_site_config(R"(
[office]
name = "CSC test"
timezone = "UTC"
[hours]
monday = ["08:00-18:00"]
tuesday = ["08:00-18:00"]
wednesday = ["08:00-18:00"]
[[sector]]
id = "a"
letter = "A"
colour = "#1F5FAD"
name = "Anagrafe"
[[counter]]
number = 1
sectors = ["a"]
)",
                                 "stats.toml");
    REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error().message));
    return std::move(*cfg);
}

constexpr Millis kMinute = 60'000, kDay = 86'400'000;
constexpr Millis kDay1 = 1'795'392'000'000;  // 2026-11-23 00:00 UTC, a Monday
constexpr Millis at(int day, int hour, int minute) { return kDay1 + (day - 1) * kDay + (hour * 60 + minute) * kMinute; }

struct Writer {
    Store& store;
    std::int64_t seq = 0;
    void add(Millis t, EventBody body) {
        Event e;
        e.device = "t1";
        e.seq = ++seq;
        e.id = make_event_id("t1", e.seq);
        e.time = t;
        e.body = std::move(body);
        REQUIRE(store.append(e).ok());
    }
};

stats::StatsRow total(const stats::StatsLog& log, const SiteConfig& cfg, int from, int to) {
    return stats::compute_stats(log, cfg, stats::Grouping::Day, from, to).total;
}

}  // namespace app_stats_test

using namespace app_stats_test;

TEST_CASE("statistics: past days are saved once, read back the same, and folded again when their events change") {
    const SiteConfig cfg = config();
    const auto dir = test::fresh_dir("app", "stats-saved");
    auto opened = Store::open(dir);
    REQUIRE(opened.ok());
    Store& store = **opened;
    Writer w{store};
    w.add(at(1, 9, 0), CounterOpened{1});
    w.add(at(1, 9, 0), TicketIssued{"a"});
    w.add(at(1, 9, 6), TicketCalled{1, ""});   // wait 6
    w.add(at(1, 9, 7), ServiceStarted{1});
    w.add(at(1, 9, 17), ServiceFinished{1, ""});
    w.add(at(2, 9, 0), CounterOpened{1});
    w.add(at(2, 9, 0), TicketIssued{"a"});
    w.add(at(2, 9, 10), TicketCalled{1, ""});  // wait 10, never started: the day ended with it called
    w.add(at(3, 9, 0), TicketIssued{"a"});     // today's, waiting
    const Millis now = at(3, 10, 0);
    const app::StatsRange range{{2026, 11, 23}, {2026, 11, 25}};

    auto first = app::read_stats_log_saving(store, true, cfg, range, now);
    REQUIRE(first.ok());
    const stats::StatsRow a = total(*first, cfg, 20261123, 20261125);
    CHECK(a.issued == 3);
    CHECK(a.served == 1);
    CHECK(a.called_absent == 1);  // day 2's, ended with its day
    CHECK(a.still_open == 1);     // today's
    CHECK(a.wait_mean_min == doctest::Approx((6 + 10) / 2.0));
    auto marks = saved_stats_marks(store, 20261123, 20261125);
    REQUIRE(marks.ok());
    CHECK(marks->size() == 2);    // the two days that are over; never today
    CHECK(marks->count(20261125) == 0);
    CHECK(marks->at(20261123).events == 5);

    auto second = app::read_stats_log_saving(store, true, cfg, range, now);
    REQUIRE(second.ok());
    const stats::StatsRow b = total(*second, cfg, 20261123, 20261125);
    CHECK(b.issued == a.issued);
    CHECK(b.served == a.served);
    CHECK(b.called_absent == a.called_absent);
    CHECK(b.wait_mean_min == doctest::Approx(a.wait_mean_min));
    CHECK(b.service_mean_min == doctest::Approx(10));
    // Each ticket's end comes back from the saved records as it was folded (the queue's length).
    REQUIRE(second->visits.size() == first->visits.size());
    for (std::size_t i = 0; i < first->visits.size(); ++i) {
        CAPTURE(first->visits[i].id);
        CHECK(second->visits[i].ended_at == first->visits[i].ended_at);
    }
    CHECK(first->visits[0].ended_at == at(1, 9, 17));  // day 1's, served
    CHECK(first->visits[1].ended_at == at(2, 9, 10));  // day 2's, ended with its day at its last event

    // An event of day 1 arrives late (another device's, replicated): day 1 is folded again.
    w.add(at(1, 11, 0), TicketIssued{"a"});
    auto third = app::read_stats_log_saving(store, true, cfg, range, now);
    REQUIRE(third.ok());
    CHECK(total(*third, cfg, 20261123, 20261123).issued == 2);
    CHECK(saved_stats_marks(store, 20261123, 20261123)->at(20261123).events == 6);
    std::filesystem::remove_all(dir);
}

TEST_CASE("statistics: a store that may not be written still answers and keeps nothing") {
    const SiteConfig cfg = config();
    const auto dir = test::fresh_dir("app", "stats-readonly");
    auto opened = Store::open(dir);
    REQUIRE(opened.ok());
    Writer w{**opened};
    w.add(at(1, 9, 0), TicketIssued{"a"});
    auto log = app::read_stats_log_saving(**opened, false, cfg, {{2026, 11, 23}, {2026, 11, 23}}, at(2, 9, 0));
    REQUIRE(log.ok());
    CHECK(total(*log, cfg, 20261123, 20261123).left_before_call == 1);
    CHECK(saved_stats_marks(**opened, 20261123, 20261123)->empty());
    std::filesystem::remove_all(dir);
}

TEST_CASE("statistics: satisfaction ratings of past days are saved and read back, anonymous") {
    const SiteConfig cfg = config();
    const auto dir = test::fresh_dir("app", "stats-feedback");
    auto opened = Store::open(dir);
    REQUIRE(opened.ok());
    Store& store = **opened;
    Writer w{store};
    w.add(at(1, 9, 0), CounterOpened{1});
    w.add(at(1, 9, 0), TicketIssued{"a"});  // t1:2
    w.add(at(1, 9, 6), TicketCalled{1, ""});
    w.add(at(1, 9, 7), ServiceStarted{1});
    w.add(at(1, 9, 17), ServiceFinished{1, ""});
    w.add(at(1, 9, 18), FeedbackGiven{"t1:2", "bad", "came-back", "web"});
    const Millis now = at(2, 10, 0);
    const app::StatsRange range{{2026, 11, 23}, {2026, 11, 24}};

    auto folded = app::read_stats_log_saving(store, true, cfg, range, now);
    REQUIRE(folded.ok());
    REQUIRE(folded->feedback.size() == 1);
    REQUIRE(saved_stats_marks(store, 20261123, 20261123)->count(20261123) == 1);
    stats::StatsLog only_saved;  // what the store kept of day 1, read alone
    REQUIRE(load_saved_stats(store, {20261123}, only_saved).ok());
    REQUIRE(only_saved.feedback.size() == 1);
    const stats::FeedbackRecord& f = only_saved.feedback.front();
    CHECK(f.day == 20261123);
    CHECK(f.hour == 9);
    CHECK(f.sector == "a");
    CHECK(f.counter == 1);
    CHECK(f.rating == "bad");
    CHECK(f.reason == "came-back");
    auto again = app::read_stats_log_saving(store, true, cfg, range, now);
    REQUIRE(again.ok());
    CHECK(total(*again, cfg, 20261123, 20261124).feedback_bad_came_back == 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("statistics: the service menu's chosen days move by a day or a month and stay within a year up to today") {
    const Date today{2026, 12, 3};
    auto range = [](Date f, Date t) { return app::StatsRange{f, t}; };
    auto same = [](const app::StatsRange& a, const app::StatsRange& b) { return a.from == b.from && a.to == b.to; };
    // A day back and forth at either end.
    CHECK(same(app::step_stats_range(range({2026, 11, 4}, today), true, false, false, today), range({2026, 11, 3}, today)));
    CHECK(same(app::step_stats_range(range({2026, 11, 4}, today), false, false, false, today), range({2026, 11, 4}, {2026, 12, 2})));
    // A month back keeps the day, or takes the month's last one (31 March → 28 February).
    CHECK(same(app::step_stats_range(range({2026, 3, 31}, {2026, 4, 2}), true, true, false, today), range({2026, 2, 28}, {2026, 4, 2})));
    CHECK(same(app::step_stats_range(range({2026, 1, 15}, {2026, 2, 1}), true, true, false, today), range({2025, 12, 15}, {2026, 2, 1})));
    // Never past today: the end moved forward stops there.
    CHECK(same(app::step_stats_range(range({2026, 11, 4}, today), false, false, true, today), range({2026, 11, 4}, today)));
    CHECK(same(app::step_stats_range(range({2026, 11, 4}, {2026, 11, 20}), false, true, true, today), range({2026, 11, 4}, today)));
    // The start moved after the end pushes the end along; the end moved before the start pulls it.
    CHECK(same(app::step_stats_range(range({2026, 11, 4}, {2026, 11, 4}), true, false, true, today), range({2026, 11, 5}, {2026, 11, 5})));
    CHECK(same(app::step_stats_range(range({2026, 11, 4}, {2026, 11, 4}), false, false, false, today), range({2026, 11, 3}, {2026, 11, 3})));
    CHECK(same(app::step_stats_range(range(today, today), true, true, true, today), range(today, today)));
    // At most a year (366 days): the start moved further back pulls the end back with it.
    CHECK(same(app::step_stats_range(range({2025, 12, 3}, today), true, true, false, today), range({2025, 11, 3}, {2026, 11, 3})));
    CHECK(same(app::step_stats_range(range({2025, 12, 3}, {2026, 11, 20}), false, true, true, today), range({2025, 12, 3}, today)));
}

namespace app_stats_test {

std::int64_t count_events(const Store& store, const std::string& where = "1") {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(store.handle(), ("SELECT COUNT(*) FROM events WHERE " + where).c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const std::int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

}  // namespace app_stats_test

TEST_CASE("statistics: compaction deletes old queue events, keeps staff events and each device's last, and every figure stays") {
    SiteConfig cfg = config();
    cfg.statistics.compact_after_days = 62;
    const auto dir = test::fresh_dir("app", "stats-compact");
    auto opened = Store::open(dir);
    REQUIRE(opened.ok());
    Store& store = **opened;
    Writer w{store};
    w.add(at(1, 8, 59), StaffSignIn{"Anna", true, "counter 1"});
    w.add(at(1, 9, 0), CounterOpened{1});
    w.add(at(1, 9, 0), TicketIssued{"a"});
    w.add(at(1, 9, 6), TicketCalled{1, ""});   // wait 6
    w.add(at(1, 9, 7), ServiceStarted{1});
    w.add(at(1, 9, 17), ServiceFinished{1, ""});
    w.add(at(2, 9, 0), CounterOpened{1});
    w.add(at(2, 9, 0), TicketIssued{"a"});
    w.add(at(2, 9, 10), TicketCalled{1, ""});  // wait 10, called and absent
    w.add(at(2, 12, 0), MaintenanceDone{"test-page", ""});
    w.add(at(3, 9, 0), TicketIssued{"a"});     // never called; device t1's last event
    const app::StatsRange range{{2026, 11, 23}, {2026, 11, 25}};
    // 64 days after day 1: days 1 and 2 are older than 62 days, day 3 is not yet.
    const Millis later = at(65, 10, 0);
    auto before = app::read_stats_log_saving(store, true, cfg, range, later);
    REQUIRE(before.ok());
    const stats::StatsRow a = total(*before, cfg, 20261123, 20261125);
    REQUIRE(a.issued == 3);

    auto r = app::compact_old_events(store, cfg, later);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(r->days == 2);
    CHECK(r->through == Date{2026, 11, 24});
    CHECK(r->events == 8);  // day 1's five and day 2's three queue events
    CHECK(count_events(store) == 3);
    CHECK(count_events(store, "type IN ('staff.sign_in', 'maintenance.done')") == 2);  // the audit stays
    CHECK(count_events(store, "type = 'ticket.issued'") == 1);                         // day 3's, not old enough
    auto marks = saved_stats_marks(store, 20261123, 20261125);
    REQUIRE(marks.ok());
    CHECK(marks->at(20261123).compacted);
    CHECK(marks->at(20261124).compacted);
    CHECK(marks->count(20261125) == 1);
    CHECK_FALSE(marks->at(20261125).compacted);

    // Every figure as before, also once the records' format is an older one (a compacted day is
    // never folded again: its events are gone).
    auto check_same = [&] {
        auto after = app::read_stats_log_saving(store, true, cfg, range, later);
        REQUIRE(after.ok());
        const stats::StatsRow b = total(*after, cfg, 20261123, 20261125);
        CHECK(b.issued == a.issued);
        CHECK(b.served == a.served);
        CHECK(b.called_absent == a.called_absent);
        CHECK(b.wait_mean_min == doctest::Approx(a.wait_mean_min));
        CHECK(b.service_mean_min == doctest::Approx(a.service_mean_min));
    };
    check_same();
    REQUIRE(sqlite3_exec(store.handle(), "UPDATE stats_days SET format = 1", nullptr, nullptr, nullptr) == SQLITE_OK);
    check_same();

    // Nothing more to do until day 3 is old enough; then only day 3 — and its ticket stays, the
    // last event of its device (numbering goes on from it).
    auto again = app::compact_old_events(store, cfg, later);
    REQUIRE(again.ok());
    CHECK(again->days == 0);
    auto third = app::compact_old_events(store, cfg, at(66, 10, 0));
    REQUIRE(third.ok());
    CHECK(third->days == 1);
    CHECK(third->events == 0);
    CHECK(count_events(store, "type = 'ticket.issued'") == 1);
    check_same();

    // Never, when the setting says so.
    cfg.statistics.compact_after_days = 0;
    w.add(at(4, 9, 0), TicketIssued{"a"});
    w.add(at(4, 9, 1), TicketIssued{"a"});
    auto never = app::compact_old_events(store, cfg, at(900, 10, 0));
    REQUIRE(never.ok());
    CHECK(never->days == 0);
    CHECK(count_events(store, "type = 'ticket.issued'") == 3);
    std::filesystem::remove_all(dir);
}

TEST_CASE("statistics: a day whose records are not its events' is not compacted") {
    SiteConfig cfg = config();
    const auto dir = test::fresh_dir("app", "stats-compact-stale");
    auto opened = Store::open(dir);
    REQUIRE(opened.ok());
    Store& store = **opened;
    Writer w{store};
    w.add(at(1, 9, 0), TicketIssued{"a"});
    w.add(at(1, 9, 5), TicketIssued{"a"});
    w.add(at(2, 9, 0), TicketIssued{"a"});
    const app::StatsRange day1{{2026, 11, 23}, {2026, 11, 23}};
    REQUIRE(app::read_stats_log_saving(store, true, cfg, day1, at(3, 10, 0)).ok());
    auto marks = saved_stats_marks(store, 20261123, 20261123);
    REQUIRE(marks.ok());
    const StatsDayMark saved = marks->at(20261123);
    w.add(at(1, 11, 0), TicketIssued{"a"});  // arrives late (replicated): the saved records miss it
    auto keep = last_event_of_each_device(store);
    REQUIRE(keep.ok());
    CHECK(keep->at("t1") == 4);
    auto refused = compact_stats_day(store, saved, at(1, 0, 0), at(2, 0, 0), *keep, false);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("not compacted") != std::string::npos);
    CHECK(count_events(store) == 4);
    // compact_old_events() folds the day again first, then compacts it with its late ticket counted.
    cfg.statistics.compact_after_days = 62;
    auto r = app::compact_old_events(store, cfg, at(70, 10, 0));
    REQUIRE(r.ok());
    CHECK(r->days == 7);              // 23 to 29 November: the days without events are marked too
    CHECK(r->events == 3);
    CHECK(count_events(store) == 1);  // device t1's last event (the late ticket, its highest number)
    auto after = app::read_stats_log_saving(store, true, cfg, day1, at(70, 10, 0));
    REQUIRE(after.ok());
    CHECK(total(*after, cfg, 20261123, 20261123).issued == 3);
    std::filesystem::remove_all(dir);
}

TEST_CASE("statistics: compaction keeps what it cannot read, unsent LAN events, and never makes old-format records final") {
    SiteConfig cfg = config();
    cfg.statistics.compact_after_days = 62;
    const auto dir = test::fresh_dir("app", "stats-compact-keep");
    auto opened = Store::open(dir);
    REQUIRE(opened.ok());
    Store& store = **opened;
    Writer w{store};
    w.add(at(1, 9, 0), TicketIssued{"a"});
    w.add(at(1, 9, 5), TicketIssued{"a"});
    w.add(at(3, 9, 0), TicketIssued{"a"});  // device t1's last
    // A newer program's event this one cannot decode, on day 1 (and that device's last on day 2).
    const std::string raw = "INSERT INTO events(id, device, device_seq, time, type, encoded) VALUES ";
    REQUIRE(sqlite3_exec(store.handle(), (raw + "('x:1', 'x', 1, " + std::to_string(at(1, 10, 0)) + ", 'ticket.issued', '{\"v\":99}'), ('x:2', 'x', 2, " +
                                          std::to_string(at(2, 10, 0)) + ", 'ticket.issued', '{\"v\":99}')").c_str(),
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    // Old-format records of day 1: refused even when the mark is otherwise the log's.
    REQUIRE(app::read_stats_log_saving(store, true, cfg, {{2026, 11, 23}, {2026, 11, 23}}, at(3, 10, 0)).ok());
    REQUIRE(sqlite3_exec(store.handle(), "UPDATE stats_days SET format = 2 WHERE day = 20261123", nullptr, nullptr, nullptr) == SQLITE_OK);
    StatsDayMark old = saved_stats_marks(store, 20261123, 20261123)->at(20261123);
    CHECK(old.format == 2);
    auto keep = last_event_of_each_device(store);
    REQUIRE(keep.ok());
    auto refused = compact_stats_day(store, old, at(1, 0, 0), at(2, 0, 0), *keep, false);
    REQUIRE_FALSE(refused.ok());
    CHECK(count_events(store) == 5);
    // compact_old_events folds day 1 again in the current format, then compacts: the unreadable
    // event stays. In a LAN office, an own event not yet in the stream stays too.
    REQUIRE(sqlite3_exec(store.handle(), "UPDATE events SET stream_seq = position WHERE id != 't1:2'", nullptr, nullptr, nullptr) == SQLITE_OK);
    cfg.sync.servers = {"nats://127.0.0.1:4222"};
    auto r = app::compact_old_events(store, cfg, at(70, 10, 0));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(r->events == 1);  // t1:1 only
    CHECK(count_events(store, "id IN ('x:1', 'x:2', 't1:2', 't1:3')") == 4);
    CHECK(count_events(store) == 4);
    std::filesystem::remove_all(dir);
}
