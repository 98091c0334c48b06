// Appointments in the core (shared/booking): holidays, booking codes, slot arithmetic, the
// booking states through the state machine and the Office, check-in into the queue, and the
// agenda kept across days, restarts and devices (state hash).
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "shared/booking/agenda.hpp"
#include "shared/booking/booking_code.hpp"
#include "shared/booking/holidays.hpp"
#include "shared/booking/agenda_snapshot.hpp"
#include "shared/booking/personal_data.hpp"
#include "shared/office.hpp"
#include "test_support.hpp"

using namespace csc;

namespace {

// Anagrafe's identity card: Monday and Thursday mornings, 20-minute slots, 2 desks, 10 minutes
// kept free after each slot, bookable from 2 hours to 14 days ahead.
SiteConfig booking_config(const std::string& extra = {}) {
    const std::string text = R"(
[office]
name = "CSC test"
[hours]
monday = ["08:00-18:00"]
tuesday = ["08:00-18:00"]
wednesday = ["08:00-18:00"]
thursday = ["08:00-18:00"]
friday = ["08:00-18:00"]
closed = ["2026-12-24"]
closed_every_year = ["12-07"]
[[sector]]
id = "anagrafe"
letter = "A"
colour = "#1F5FAD"
name = "Anagrafe"
  [[sector.service]]
  id = "carta-identita"
  name = "Carta d'identità"
  [[sector.service]]
  id = "certificati"
  name = "Certificati"
[[sector]]
id = "protocollo"
letter = "C"
colour = "#2C6E31"
name = "Protocollo"
[[counter]]
number = 1
sectors = ["anagrafe", "protocollo"]
[booking]
hold_minutes = 5
checkin_early_minutes = 30
checkin_late_minutes = 15
keep_days = 30
[[booking.service]]
sector = "anagrafe"
service = "carta-identita"
slot_minutes = 20
capacity = 2
buffer_minutes = 10
min_notice_minutes = 120
days_ahead = 14
counters = [1]
documents = "Documento d'identità scaduto, tessera sanitaria"
monday = ["09:00-10:30"]
thursday = ["09:00-10:30"]
)" + extra;
    auto cfg = parse_site_config(text, "booking.toml");
    if (!cfg) throw std::runtime_error(cfg.error().message);
    return *cfg;
}

Event ev(const std::string& device, std::int64_t seq, Millis time, EventBody body, std::string by = {}) {
    Event e;
    e.device = device;
    e.seq = seq;
    e.id = make_event_id(device, seq);
    e.time = time;
    e.by = std::move(by);
    e.body = std::move(body);
    return e;
}

std::string code(int n) {
    std::array<std::uint8_t, kBookingCodeLength - 1> r{};
    for (auto& v : r) {
        v = static_cast<std::uint8_t>(n % 30);
        n = n / 30 + 7;
    }
    return make_booking_code(r);
}

BookingMade made(const std::string& c, Millis slot, const std::string& person = {}, const std::string& hold = {}) {
    return BookingMade{c, "carta-identita", slot, hold, "Maria Rossi", "+39 333 1234567", person, "it", "kiosk"};
}

}  // namespace

TEST_CASE("Easter and Easter Monday from the computus match the published dates 2024-2035") {
    // Published Western Easter dates (e.g. the tables of the Italian calendars).
    const std::vector<Date> easter{{2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},  {2027, 3, 28}, {2028, 4, 16}, {2029, 4, 1},
                                   {2030, 4, 21}, {2031, 4, 13}, {2032, 3, 28}, {2033, 4, 17}, {2034, 4, 9},  {2035, 3, 25}};
    for (const Date& d : easter) {
        CHECK(easter_sunday(d.year) == d);
        const Date monday = civil_from_days(days_from_civil(d.year, d.month, d.day) + 1);
        CHECK(italian_public_holiday(monday) == std::optional<std::string_view>("Lunedì dell'Angelo"));
        const auto all = italian_public_holidays(d.year);
        CHECK(std::find(all.begin(), all.end(), monday) != all.end());
    }
    CHECK(italian_public_holidays(2025).size() == 12);  // 10 fixed + Easter + Easter Monday
    CHECK(italian_public_holidays(2026).size() == 13);  // + 4 October (L. 151/2025)
    CHECK_FALSE(italian_public_holiday(Date{2025, 10, 4}));
    CHECK(italian_public_holiday(Date{2027, 10, 4}));
    CHECK(italian_public_holiday(Date{2026, 6, 2}));
    CHECK_FALSE(italian_public_holiday(Date{2026, 4, 7}));
}

TEST_CASE("the office is closed on holidays, yearly and single closures, and a holiday has no bookable slot") {
    const SiteConfig cfg = booking_config();
    CHECK(cfg.hours.is_closed_day(Date{2026, 12, 8}));   // Immacolata (computed)
    CHECK(cfg.hours.is_closed_day(Date{2027, 12, 7}));   // the patron saint, every year
    CHECK(cfg.hours.is_closed_day(Date{2026, 12, 24}));  // a single closure
    CHECK_FALSE(cfg.hours.is_closed_day(Date{2026, 12, 10}));
    CHECK_FALSE(cfg.hours.is_open(cfg.timezone.to_local(test::rome(2027, 3, 29, 10))));  // Easter Monday 2027 is a Monday
    Agenda agenda;
    const BookableService& cie = *cfg.booking.find("carta-identita");
    // 2027-03-29 is Easter Monday: a Monday with slots on the plan, none open.
    const auto slots = agenda.slots(cie, Date{2027, 3, 29}, 1, test::rome(2027, 3, 20, 9), cfg);
    REQUIRE(slots.size() == 3);
    for (const auto& s : slots) CHECK_FALSE(s.open);
    CHECK(agenda.closed_reason(Date{2027, 3, 29}, cfg) == "Lunedì dell'Angelo");
}

TEST_CASE("slots step by length plus buffer inside each window, and respect notice and days ahead") {
    const SiteConfig cfg = booking_config();
    const BookableService& cie = *cfg.booking.find("carta-identita");
    CHECK(cie.slot_starts(0) == std::vector<int>{9 * 60, 9 * 60 + 30, 10 * 60});  // 09:00, 09:30, 10:00 (10:00-10:20 fits)
    CHECK(cie.slot_starts(1).empty());
    Agenda agenda;
    // Now: Monday 2026-12-14 at 08:00. Today's 09:00 is within the 2-hour notice; 10:00 is not.
    const Millis now = test::rome(2026, 12, 14, 8);
    const auto slots = agenda.slots(cie, Date{2026, 12, 14}, 20, now, cfg);
    std::vector<Millis> open;
    for (const auto& s : slots)
        if (s.open) open.push_back(s.start);
    REQUIRE(!open.empty());
    CHECK(open.front() == test::rome(2026, 12, 14, 10));
    // 14 days ahead: Monday 28th is bookable, Thursday 31st is not.
    CHECK(std::count(open.begin(), open.end(), test::rome(2026, 12, 28, 9)) == 1);
    CHECK(std::count(open.begin(), open.end(), test::rome(2026, 12, 31, 9)) == 0);
}

TEST_CASE("booking codes: 7 characters without look-alikes, a check character catching one wrong or two swapped characters") {
    std::set<std::string> codes;
    for (int i = 0; i < 2000; ++i) {
        const std::string c = code(i * 7919);
        REQUIRE(c.size() == kBookingCodeLength);
        CHECK(c.find_first_of("01OILU") == std::string::npos);
        CHECK(normalize_booking_code(c).ok());
        codes.insert(c);
        // Every single-character change is caught.
        for (std::size_t p = 0; p < c.size(); ++p)
            for (char x : kBookingCodeAlphabet) {
                if (x == c[p]) continue;
                std::string bad = c;
                bad[p] = x;
                CHECK_FALSE(normalize_booking_code(bad).ok());
            }
        // Every swap of two different adjacent characters is caught.
        for (std::size_t p = 0; p + 1 < c.size(); ++p) {
            if (c[p] == c[p + 1]) continue;
            std::string bad = c;
            std::swap(bad[p], bad[p + 1]);
            CHECK_FALSE(normalize_booking_code(bad).ok());
        }
    }
    CHECK(codes.size() > 1900);
    const std::string c = code(42);
    const std::string typed = format_booking_code(c);
    CHECK(typed.size() == 9);
    std::string lower = typed;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    CHECK(normalize_booking_code(" " + lower + " ").value() == c);
    CHECK(normalize_booking_code("K7P-0QX-M").error().message.find("never contain 0") != std::string::npos);
    CHECK(normalize_booking_code("K7P").error().message.find("7 characters") != std::string::npos);
}

TEST_CASE("capacity, holds, the per-person limit and a full slot are decided by the log order") {
    const SiteConfig cfg = booking_config();
    OfficeState st(cfg);
    const Millis now = test::rome(2026, 12, 14, 8);
    const Millis slot = test::rome(2026, 12, 17, 9, 30);
    // Kiosk A holds a place; the info point books one; the second place is now taken by the hold.
    auto held = st.apply(ev("kiosk-a", 1, now, BookingHeld{"carta-identita", slot}));
    REQUIRE(held.applied);
    REQUIRE(st.apply(ev("info-1", 1, now + 1000, made(code(1), slot, "p1"))).applied);
    auto full = st.apply(ev("kiosk-b", 1, now + 2000, made(code(2), slot, "p2")));
    CHECK_FALSE(full.applied);
    CHECK(full.reason.find("is full") != std::string::npos);
    // The holder books with its hold even though the slot is full for everyone else.
    CHECK(st.apply(ev("kiosk-a", 2, now + 60'000, made(code(3), slot, "p3", "kiosk-a:1"))).applied);
    CHECK(st.agenda().holds(now + 60'000).empty());
    // Same person, same service, same day: refused (limit 1); another day is fine.
    auto twice = st.apply(ev("kiosk-b", 2, now + 70'000, made(code(4), test::rome(2026, 12, 17, 10), "p1")));
    CHECK_FALSE(twice.applied);
    CHECK(twice.reason.find("already has a booking") != std::string::npos);
    CHECK(st.apply(ev("kiosk-b", 3, now + 80'000, made(code(5), test::rome(2026, 12, 21, 10), "p1"))).applied);
    // A hold expires after hold_minutes: its place is free again.
    REQUIRE(st.apply(ev("kiosk-a", 3, now + 90'000, BookingHeld{"carta-identita", test::rome(2026, 12, 17, 10)})).applied);
    REQUIRE(st.apply(ev("kiosk-c", 1, now + 91'000, BookingHeld{"carta-identita", test::rome(2026, 12, 17, 10)})).applied);
    CHECK_FALSE(st.apply(ev("kiosk-d", 1, now + 92'000, made(code(6), test::rome(2026, 12, 17, 10), "p6"))).applied);
    const Millis later = now + 90'000 + 5 * 60'000 + 1;
    CHECK(st.apply(ev("kiosk-d", 2, later, made(code(7), test::rome(2026, 12, 17, 10), "p7"))).applied);
    // A booking with an expired hold is refused with that reason.
    auto expired = st.apply(ev("kiosk-c", 2, later + 60'000, made(code(8), test::rome(2026, 12, 17, 10), "p8", "kiosk-c:1")));
    CHECK_FALSE(expired.applied);
    CHECK(expired.reason.find("expired") != std::string::npos);
    // Not a slot, too soon, too far, a closed day, a taken code, a duplicate event: refused.
    CHECK_FALSE(st.apply(ev("x", 1, now, made(code(9), test::rome(2026, 12, 17, 9, 10)))).applied);
    CHECK_FALSE(st.apply(ev("x", 2, now, made(code(9), test::rome(2026, 12, 14, 9)))).applied);
    CHECK_FALSE(st.apply(ev("x", 3, now, made(code(9), test::rome(2027, 1, 4, 9)))).applied);
    CHECK_FALSE(st.apply(ev("x", 4, now, made(code(9), test::rome(2026, 12, 24, 9)))).applied);  // a closed Thursday
    CHECK_FALSE(st.apply(ev("x", 5, now, made(code(1), test::rome(2026, 12, 21, 9)))).applied);
    const auto hash = st.state_hash();
    CHECK_FALSE(st.apply(ev("info-1", 1, now + 1000, made(code(1), slot, "p1"))).applied);
    CHECK(st.state_hash() == hash);  // a refused event leaves no trace in the state
}

TEST_CASE("cancel, move, no-show and a declared closure, each with its history") {
    const SiteConfig cfg = booking_config();
    OfficeState st(cfg);
    const Millis now = test::rome(2026, 12, 14, 8);
    REQUIRE(st.apply(ev("i", 1, now, made(code(1), test::rome(2026, 12, 17, 9), "a"))).applied);
    REQUIRE(st.apply(ev("i", 2, now, made(code(2), test::rome(2026, 12, 17, 9, 30), "b"))).applied);
    REQUIRE(st.apply(ev("i", 3, now, made(code(3), test::rome(2026, 12, 21, 9), "c"))).applied);
    REQUIRE(st.apply(ev("i", 4, now + 1, BookingMoved{code(1), test::rome(2026, 12, 21, 10), {}}, "Anna")).applied);
    CHECK(st.agenda().find(code(1))->slot == test::rome(2026, 12, 21, 10));
    CHECK(st.agenda().find(code(1))->history.back().by == "Anna");
    REQUIRE(st.apply(ev("i", 5, now + 2, BookingCancelled{code(2), false, "citizen"})).applied);
    CHECK(st.agenda().find(code(2))->status == BookingStatus::CancelledByCitizen);
    CHECK_FALSE(st.apply(ev("i", 6, now + 3, BookingCancelled{code(2), false, {}})).applied);  // not booked any more
    CHECK_FALSE(st.apply(ev("i", 7, now + 3, BookingNoShow{code(3)})).applied);                // its slot is days ahead
    // A strike on the 21st from 9:00 to 9:45: code 3 (9:00) cancelled by the office, code 1 (10:00) kept.
    REQUIRE(st.apply(ev("i", 8, now + 4, ClosureDeclared{20261221, 9 * 60, 9 * 60 + 45, "sciopero"}, "Anna")).applied);
    CHECK(st.agenda().find(code(3))->status == BookingStatus::CancelledByOffice);
    CHECK(st.agenda().find(code(3))->reason == "sciopero");
    CHECK(st.agenda().find(code(1))->status == BookingStatus::Booked);
    CHECK_FALSE(st.apply(ev("i", 9, now + 5, made(code(4), test::rome(2026, 12, 21, 9, 30)))).applied);
    CHECK(st.apply(ev("i", 10, now + 5, made(code(4), test::rome(2026, 12, 21, 10)))).applied);
    const auto h = st.agenda().find(code(3))->history;
    REQUIRE(h.size() == 2);
    CHECK(h[0].what == "made");
    CHECK(h[1].what == "cancelled-by-office");
}

TEST_CASE("check-in inside the window gives an appointment ticket called before walk-ins; early, late and unknown are refused with the reason") {
    const SiteConfig cfg = booking_config();
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 14, 8));
    auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
    BookingMade b = made(code(1), test::rome(2026, 12, 14, 10), "p");
    REQUIRE(office->record_agenda(b).value().applied);
    // Too early (check-in opens at 09:30), with the time to come back.
    clock.set(test::rome(2026, 12, 14, 9, 10));
    auto early = office->check_in(code(1), {}, "kiosk");
    REQUIRE_FALSE(early.ok());
    CHECK(early.error().code == "booking.too_early");
    CHECK(early.error().args == ErrorArgs{{"code", code(1)}, {"time", "09:30"}});
    CHECK(early.error().message.find("opens at 09:30") != std::string::npos);
    // A walk-in before, then the check-in at 09:45: the appointment is called first at 09:50.
    clock.set(test::rome(2026, 12, 14, 9, 40));
    auto walk_in = office->issue(test::issue_request("anagrafe", "certificati")).value();
    clock.set(test::rome(2026, 12, 14, 9, 45));
    auto t = office->check_in(code(1), {}, "kiosk");
    REQUIRE(t.ok());
    CHECK(t->ticket.booking == code(1));
    CHECK(t->ticket.appointment_at == test::rome(2026, 12, 14, 10));
    CHECK(t->ticket.service == "carta-identita");
    office->read([&](const OfficeState& s) { CHECK(s.agenda().find(code(1))->status == BookingStatus::CheckedIn); });
    // Checked in twice: refused.
    CHECK(office->check_in(code(1), {}, "kiosk").error().message.find("already checked in") != std::string::npos);
    CHECK(office->check_in(code(1), {}, "kiosk").error().code == "booking.already_checked_in");
    CHECK(office->check_in("ZZZZZZZ", {}, "kiosk").error().code == "booking.unknown");
    clock.set(test::rome(2026, 12, 14, 9, 50));
    REQUIRE(office->open_counter(1).ok());
    auto called = office->call_next(1).value();
    REQUIRE(called.ticket);
    CHECK(called.ticket->id == t->ticket.id);
    CHECK(called.ticket->id != walk_in.ticket.id);
    REQUIRE(office->finish_service(1).ok());
    office->read([&](const OfficeState& s) {
        CHECK(s.agenda().find(code(1))->status == BookingStatus::CheckedIn);  // the outcome is the ticket's
        CHECK(s.find_ticket(s.agenda().find(code(1))->ticket)->status == TicketStatus::Served);
    });
}

TEST_CASE("a late booking becomes a walk-in ticket in one staff event; refused while it is not late, without staff, twice or cancelled") {
    const SiteConfig cfg = booking_config();
    OfficeState st(cfg);
    const Millis slot = test::rome(2026, 12, 14, 10);
    REQUIRE(st.apply(ev("i", 1, test::rome(2026, 12, 13, 8), made(code(1), slot, "a"))).applied);
    REQUIRE(st.apply(ev("i", 2, test::rome(2026, 12, 13, 8), made(code(2), test::rome(2026, 12, 14, 9), "b"))).applied);
    REQUIRE(st.apply(ev("i", 3, test::rome(2026, 12, 13, 8), made(code(3), test::rome(2026, 12, 17, 9), "c"))).applied);
    REQUIRE(st.apply(ev("i", 4, test::rome(2026, 12, 13, 8), BookingCancelled{code(2), false, {}})).applied);
    TicketIssued w;
    w.sector = "anagrafe";
    w.service = "carta-identita";
    w.booking = code(1);
    w.walk_in = true;
    w.channel = "assisted";
    // Inside the check-in window (until 10:15): not late, check it in instead.
    auto r = st.apply(ev("i", 5, test::rome(2026, 12, 14, 10, 10), w, "Anna"));
    CHECK_FALSE(r.applied);
    CHECK(r.code == "booking.not_late");
    CHECK(r.args == ErrorArgs{{"code", code(1)}, {"time", "10:00"}});
    // Past the window, but nobody of the staff named: refused.
    r = st.apply(ev("i", 6, test::rome(2026, 12, 14, 10, 20), w));
    CHECK_FALSE(r.applied);
    CHECK(r.code == "booking.staff_only");
    const auto hash_before = st.state_hash();
    // Past the window, by staff: one event, a plain walk-in ticket and the booking walked in.
    r = st.apply(ev("i", 7, test::rome(2026, 12, 14, 10, 20), w, "Anna"));
    REQUIRE(r.applied);
    const Ticket* t = st.find_ticket(r.ticket_id);
    REQUIRE(t);
    CHECK(t->booking.empty());
    CHECK_FALSE(t->appointment_at);
    CHECK(t->service == "carta-identita");
    const Booking* b = st.agenda().find(code(1));
    CHECK(b->status == BookingStatus::WalkedIn);
    CHECK(b->ticket == r.ticket_id);
    CHECK(b->history.back().what == "walked-in");
    CHECK(b->history.back().by == "Anna");
    CHECK(st.state_hash() != hash_before);
    // Twice, or a check-in afterwards: refused with the booking's state.
    CHECK(st.apply(ev("i", 8, test::rome(2026, 12, 14, 10, 21), w, "Anna")).code == "booking.walked_in");
    TicketIssued c = w;
    c.walk_in = false;
    CHECK(st.apply(ev("i", 9, test::rome(2026, 12, 14, 10, 21), c)).code == "booking.walked_in");
    // A cancelled booking and one of another day.
    w.booking = code(2);
    CHECK(st.apply(ev("i", 10, test::rome(2026, 12, 14, 10, 22), w, "Anna")).code == "booking.cancelled");
    w.booking = code(3);
    CHECK(st.apply(ev("i", 11, test::rome(2026, 12, 14, 10, 22), w, "Anna")).code == "booking.other_day");
    // The day rolls: a walked-in booking stays walked in (not a no-show).
    REQUIRE(st.apply(ev("i", 12, test::rome(2026, 12, 15, 9), TicketIssued{"protocollo"})).applied);
    CHECK(st.agenda().find(code(1))->status == BookingStatus::WalkedIn);
    // The flag travels: encoded, decoded back equal; a walk-in naming no booking does not decode.
    Event e = ev("i", 13, slot, TicketIssued{"anagrafe", "carta-identita", {}, "it", "assisted", {}, {}, code(1), true}, "Anna");
    auto back = decode_event(encode_event(e));
    REQUIRE(back.ok());
    CHECK(std::get<TicketIssued>(back->body).walk_in);
    CHECK(*back == e);
    std::string text = encode_event(e);
    text.replace(text.find("\"booking\":\"" + code(1) + "\","), 13 + code(1).size(), "");
    CHECK_FALSE(decode_event(text).ok());
}

TEST_CASE("too late to check in; the end of the day makes a no-show; the agenda survives a restart and forgets after keep_days") {
    const SiteConfig cfg = booking_config();
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 14, 8));
    {
        auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
        REQUIRE(office->record_agenda(made(code(1), test::rome(2026, 12, 14, 10), "p1")).value().applied);
        REQUIRE(office->record_agenda(made(code(2), test::rome(2026, 12, 17, 10), "p2")).value().applied);
        clock.set(test::rome(2026, 12, 14, 10, 16));
        auto late = office->check_in(code(1), {}, "kiosk");
        REQUIRE_FALSE(late.ok());
        CHECK(late.error().message.find("too late") != std::string::npos);
        CHECK(late.error().code == "booking.too_late");
        CHECK(late.error().args == ErrorArgs{{"code", code(1)}, {"time", "10:00"}});
    }
    // Next day, another program: the agenda is read back from the store; yesterday's booking
    // that nobody checked in is a no-show once the day has rolled.
    clock.set(test::rome(2026, 12, 15, 9));
    std::uint64_t hash_a = 0;
    {
        auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
        REQUIRE(office->issue(test::issue_request("protocollo")).ok());
        office->read([&](const OfficeState& s) {
            REQUIRE(s.agenda().find(code(1)));
            CHECK(s.agenda().find(code(1))->status == BookingStatus::NoShow);
            CHECK(s.agenda().find(code(2))->status == BookingStatus::Booked);
            hash_a = s.agenda().find(code(2))->slot;
        });
    }
    CHECK(hash_a == test::rome(2026, 12, 17, 10));
    // keep_days (30) after its day, a booking and its personal data are gone.
    clock.set(test::rome(2027, 1, 15, 9));
    auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
    REQUIRE(office->issue(test::issue_request("protocollo")).ok());
    office->read([&](const OfficeState& s) {
        CHECK(s.agenda().find(code(1)) == nullptr);
        CHECK(s.agenda().find(code(2)) != nullptr);  // the 17th + 30 days is the 16th of January: still kept
    });
}

TEST_CASE("the office's forecast learns whether a booked citizen came once the check-in closes, not at the day's end, and once") {
    const SiteConfig cfg = booking_config();
    OfficeState st(cfg);
    OfficeLearning learning(cfg);
    struct NoRecord final : LearningRecord {
        [[nodiscard]] bool outcome_saved(std::string_view) const override { return false; }
        void save_outcome(const TicketOutcome&) override {}
        void save_counter_time(const CounterTime&) override {}
    } record;
    std::int64_t seq = 0;
    const auto feed = [&](Millis t, EventBody body) {
        const Event e = ev("k", ++seq, t, std::move(body));
        const StateBefore before = state_before(st, e);
        const ApplyResult applied = st.apply(e);
        REQUIRE(applied.applied);
        learning.learn(e, before, st, applied, LearnFrom::Recorded, record);
    };
    const auto show = [&] { return learning.learner().params(20261214, 600).sectors[0].appointment_show_prob; };
    const double prior = show();
    // Two citizens booked Monday 09:00; one checks in at 08:55, the other never comes.
    feed(test::rome(2026, 12, 10, 8), made(code(1), test::rome(2026, 12, 14, 9), "p1"));
    feed(test::rome(2026, 12, 10, 8, 1), made(code(2), test::rome(2026, 12, 14, 9), "p2"));
    TicketIssued check_in{"anagrafe", "carta-identita"};
    check_in.booking = code(1);
    feed(test::rome(2026, 12, 14, 8, 55), check_in);
    feed(test::rome(2026, 12, 14, 9, 15), TicketIssued{"protocollo"});  // check-in open until 09:15
    CHECK(show() == doctest::Approx(prior));
    feed(test::rome(2026, 12, 14, 9, 16), TicketIssued{"protocollo"});  // closed: one came, one not
    CHECK(show() == doctest::Approx((1 + 20 * prior) / (2 + 20)));
    // Tuesday's first event ends Monday: its bookings are not counted again.
    feed(test::rome(2026, 12, 15, 9), TicketIssued{"protocollo"});
    CHECK(show() == doctest::Approx((1 + 20 * prior) / (2 + 20)));
}

TEST_CASE("two devices applying the same booking events in the same order have equal agendas and hashes") {
    const SiteConfig cfg = booking_config();
    const Millis now = test::rome(2026, 12, 14, 8);
    std::vector<Event> log;
    for (int i = 0; i < 40; ++i)
        log.push_back(ev("d" + std::to_string(i % 3), i / 3 + 1, now + i * 1000,
                         made(code(i), test::rome(2026, 12, 17 + (i % 2) * 4, 9 + (i % 3) / 2, (i % 2) * 30),
                              "p" + std::to_string(i))));
    OfficeState a(cfg), b(cfg);
    int applied = 0;
    for (const auto& e : log) {
        applied += a.apply(e).applied;
        (void)b.apply(e);
    }
    CHECK(applied == 6);  // 3 real slots used (10:30 is not a slot), 2 places each
    CHECK(a.state_hash() == b.state_hash());
    // A changed person key changes the hash (the agenda is in the state); a changed name does
    // not, on purpose: a device that knows bookings from an agenda snapshot has no names
    // (test_agenda_snapshot.cpp).
    OfficeState c(cfg), d(cfg);
    for (auto e : log) {
        auto named = e;
        if (auto* m = std::get_if<BookingMade>(&e.body); m && m->code == code(0)) m->person = "someone else";
        if (auto* m = std::get_if<BookingMade>(&named.body); m && m->code == code(0)) m->name = "Mario Bianchi";
        (void)c.apply(e);
        (void)d.apply(named);
    }
    CHECK(c.state_hash() != a.state_hash());
    CHECK(d.state_hash() == a.state_hash());
}

namespace {
// The raw bytes of a store's files (database and WAL), as a disk image would show them.
std::string store_bytes(const std::filesystem::path& dir) {
    std::string all;
    for (const char* name : {"office.db", "office.db-wal"}) {
        std::ifstream in(dir / name, std::ios::binary);
        all += std::string(std::istreambuf_iterator<char>(in), {});
    }
    return all;
}
BookingMade made_for(const std::string& c, Millis slot, std::string name, std::string contact, std::string person) {
    return BookingMade{c, "carta-identita", slot, {}, std::move(name), std::move(contact), std::move(person), "it", "kiosk"};
}
std::uint64_t hash_of(const Office& office) {
    std::uint64_t h = 0;
    office.read([&](const OfficeState& s) { h = s.state_hash(); });
    return h;
}
}  // namespace

TEST_CASE("personal data of a booking keep_days after its day is purged from the store's bytes; replay gives the same state") {
    const SiteConfig cfg = booking_config();
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 14, 8));
    auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
    // Monday 14th: Gianfranca's appointment; Ottavio's, booked for Thursday 17th, moved to
    // Monday 28th.
    REQUIRE(office->record_agenda(made_for(code(1), test::rome(2026, 12, 14, 10), "Gianfranca Zappalorto",
                                           "+39 347 9876543", "pk-gianfranca")).value().applied);
    REQUIRE(office->record_agenda(made_for(code(2), test::rome(2026, 12, 17, 9), "Ottavio Quercetti",
                                           "ottavio.quercetti@example.org", "pk-ottavio")).value().applied);
    clock.set(test::rome(2026, 12, 15, 9));
    REQUIRE(office->record_agenda(BookingMoved{code(2), test::rome(2026, 12, 28, 9), {}}).value().applied);
    // An agenda snapshot stored as a LAN device stores the stream's: no names, but person keys.
    {
        Agenda now_agenda;
        office->read([&](const OfficeState& st) { now_agenda = st.agenda(); });
        auto parts = make_agenda_snapshot(now_agenda, 5);
        REQUIRE(parts.ok());
        REQUIRE(parts->size() == 1);
        REQUIRE(office->record(parts->front()).value().applied);
        CHECK(store_bytes(dir.path()).find("pk-gianfranca") != std::string::npos);
    }
    // Nothing is due yet: the agenda keeps both.
    auto none = office->purge_personal_data(true);
    REQUIRE(none.ok());
    CHECK(none->bookings == 0);

    // 15 January: the 14th + 30 days is over, the 28th + 30 is not.
    clock.set(test::rome(2027, 1, 15, 9));
    REQUIRE(office->issue(test::issue_request("protocollo")).ok());  // the agenda rolls with the day's first event
    const std::uint64_t before = hash_of(*office);
    auto dry = office->purge_personal_data(true);
    REQUIRE(dry.ok());
    CHECK(dry->dry_run);
    CHECK(dry->agenda_day == 20270115);
    CHECK(dry->bookings == 1);
    CHECK(dry->snapshot_bookings == 1);  // Gianfranca's key in the snapshot; Ottavio's is kept (28th)
    CHECK(store_bytes(dir.path()).find("Zappalorto") != std::string::npos);  // a dry run changes nothing
    auto done = office->purge_personal_data();
    REQUIRE(done.ok());
    CHECK(done->bookings == 1);
    CHECK(done->wal_truncated);
    CHECK(hash_of(*office) == before);
    {
        const std::string bytes = store_bytes(dir.path());
        CHECK(bytes.find("Zappalorto") == std::string::npos);
        CHECK(bytes.find("Gianfranca") == std::string::npos);
        CHECK(bytes.find("9876543") == std::string::npos);
        CHECK(bytes.find("pk-gianfranca") == std::string::npos);  // in booking.made and in the snapshot
        CHECK(bytes.find("pk-ottavio") != std::string::npos);
        CHECK(bytes.find("Quercetti") != std::string::npos);  // still in the agenda (moved to the 28th)
    }
    // The purged event still decodes, and another program replaying the store agrees.
    {
        auto replayed = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
        CHECK(hash_of(*replayed) == before);
        CHECK(replayed->quarantined().empty());
    }
    // Twice is nothing new.
    CHECK(office->purge_personal_data().value().bookings == 0);

    // 1 February: Ottavio's too (the 28th + 30 days), by the timer's call.
    clock.set(test::rome(2027, 2, 1, 9));
    REQUIRE(office->issue(test::issue_request("protocollo")).ok());
    const std::uint64_t feb = hash_of(*office);
    auto due = office->purge_personal_data_if_due();
    REQUIRE(due.ok());
    CHECK(*due);
    CHECK_FALSE(office->purge_personal_data_if_due().value());  // once per agenda day
    const std::string bytes = store_bytes(dir.path());
    CHECK(bytes.find("Quercetti") == std::string::npos);
    CHECK(bytes.find("ottavio") == std::string::npos);
    CHECK(bytes.find("pk-ottavio") == std::string::npos);
    CHECK(hash_of(*office) == feb);
    auto replayed = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
    CHECK(hash_of(*replayed) == feb);
}

TEST_CASE("the purge plan keeps live bookings and keeps equal person keys equal, so replays judge alike") {
    const SiteConfig cfg = booking_config();
    const Millis t = test::rome(2026, 12, 10, 8);
    OfficeState live(cfg);
    // A live booking of person "p-live" (in the agenda) and three old events no agenda holds.
    REQUIRE(live.apply(ev("d", 1, t, made_for(code(1), test::rome(2026, 12, 21, 9), "Ada Live", "", "p-live"))).applied);
    std::vector<Event> old{ev("d", 2, t, made_for(code(2), test::rome(2026, 12, 14, 9), "Bea Old", "+39 333 1111111", "p-old")),
                           ev("d", 3, t, made_for(code(3), test::rome(2026, 12, 14, 9), "Bea Old", "", "p-old")),
                           ev("d", 4, t, made_for(code(4), test::rome(2026, 12, 14, 9), "Ada Live", "", "p-live")),
                           ev("d", 5, t, made_for(code(1), test::rome(2026, 12, 21, 9), "Ada Live", "", "p-live"))};
    const auto plan = plan_personal_data_purge(old, {&live.agenda()}, "42");
    REQUIRE(plan.rewritten.size() == 3);  // code(1) is live: untouched
    const auto& a = std::get<BookingMade>(plan.rewritten[0].body);
    const auto& b = std::get<BookingMade>(plan.rewritten[1].body);
    const auto& c = std::get<BookingMade>(plan.rewritten[2].body);
    CHECK(a.name == kPurgedName);
    CHECK(a.contact.empty());
    CHECK(a.person == "~42.1");
    CHECK(b.person == a.person);  // the same citizen stays the same (per-person limit on replay)
    CHECK(c.person == "p-live");  // a key a live booking has is kept, or a replay would judge otherwise
    CHECK(c.code == code(4));
    CHECK(plan.rewritten[0].id == old[0].id);
    CHECK(plan.rewritten[0].time == old[0].time);
    CHECK(validate_event(plan.rewritten[0]).ok());
    // Already purged: nothing to do again.
    CHECK(plan_personal_data_purge(plan.rewritten, {&live.agenda()}, "43").rewritten.empty());
    CHECK(personal_data_cutoff(20270115, cfg) == test::rome(2026, 12, 16, 0));
}

TEST_CASE("a booking moved kMaxBookingMoves times refuses the next move (its history stays short enough for a snapshot)") {
    const SiteConfig cfg = booking_config();
    OfficeState st(cfg);
    const Millis now = test::rome(2026, 12, 14, 8);
    std::int64_t seq = 0;
    REQUIRE(st.apply(ev("x", ++seq, now, made(code(1), test::rome(2026, 12, 17, 9), "p1"))).applied);
    for (int i = 0; i < kMaxBookingMoves; ++i) {
        const Millis to = test::rome(2026, 12, 17, 9) + (i % 2 == 0 ? 30 : 0) * 60'000;  // 09:30, 09:00, 09:30, ...
        CAPTURE(i);
        REQUIRE(st.apply(ev("x", ++seq, now + i + 1, BookingMoved{code(1), to, {}})).applied);
    }
    const auto refused = st.apply(ev("x", ++seq, now + 100, BookingMoved{code(1), test::rome(2026, 12, 17, 10), {}}));
    CHECK_FALSE(refused.applied);
    CHECK(refused.code == "booking.too_many_moves");
    CHECK(refused.args == ErrorArgs{{"code", code(1)}, {"max", std::to_string(kMaxBookingMoves)}});
    CHECK(st.apply(ev("x", ++seq, now + 101, BookingCancelled{code(1), false, {}})).applied);  // cancelling still works
}

TEST_CASE("the agenda's refusals carry codes with arguments; closure reasons are catalogue keys") {
    const SiteConfig cfg = booking_config();
    OfficeState st(cfg);
    const Millis now = test::rome(2026, 12, 14, 8);
    const Millis slot = test::rome(2026, 12, 17, 9, 30);
    const auto code_of = [&](std::int64_t seq, EventBody body, Millis at) { return st.apply(ev("x", seq, at, std::move(body))); };
    REQUIRE(code_of(1, made(code(1), slot, "p1"), now).applied);
    REQUIRE(code_of(2, made(code(2), slot, "p2"), now).applied);
    auto full = code_of(3, made(code(3), slot, "p3"), now);
    CHECK(full.code == "booking.full");
    CHECK(full.args == ErrorArgs{{"when", "2026-12-17 09:30"}});
    CHECK(code_of(4, made(code(4), test::rome(2026, 12, 17, 9, 10)), now).code == "booking.not_a_slot");
    CHECK(code_of(5, made(code(5), test::rome(2026, 12, 14, 9)), now).code == "booking.too_soon");
    CHECK(code_of(6, made(code(6), test::rome(2027, 1, 4, 9)), now).code == "booking.too_far");
    auto closed = code_of(7, made(code(7), test::rome(2026, 12, 24, 9)), now);
    CHECK(closed.code == "booking.closed");
    CHECK(closed.reason == "the office is closed on 2026-12-24 (office closed)");  // English for the log
    CHECK(closed.args == ErrorArgs{{"date", "2026-12-24"}, {"reason", std::string(kClosedOffice)}});
    CHECK(code_of(8, made(code(1), test::rome(2026, 12, 21, 9)), now).code == "booking.code_taken");
    CHECK(code_of(9, made(code(9), test::rome(2026, 12, 17, 10), "p1"), now).code == "booking.person_limit");
    CHECK(code_of(10, BookingMoved{code(1), slot, {}}, now).code == "booking.same_slot");
    CHECK(code_of(11, BookingCancelled{"ZZZZZZZ", false, {}}, now).code == "booking.unknown");
    CHECK(code_of(12, BookingNoShow{code(1)}, now).code == "booking.not_yet");
    REQUIRE(code_of(13, BookingCancelled{code(2), false, {}}, now).applied);
    CHECK(code_of(14, BookingCancelled{code(2), false, {}}, now).code == "booking.cancelled");
    CHECK(code_of(15, BookingReleased{"nobody:1"}, now).applied);  // nothing held: nothing changes, never refused
    CHECK(code_of(16, ClosureDeclared{20261201, 0, 24 * 60, "x"}, now).code == "booking.closure_past");
    // Closed days: the configured ones are keys (translated where shown), holidays their name.
    CHECK(st.agenda().closed_reason(Date{2026, 12, 24}, cfg) == kClosedOffice);
    CHECK(st.agenda().closed_reason(Date{2027, 12, 7}, cfg) == kClosedLocalHoliday);
    CHECK(closed_reason_english(kClosedLocalHoliday) == "local holiday");
    CHECK(closed_reason_english("sciopero") == "sciopero");
    // Mistyped codes: a code per mistake (the kiosk shows each its own way).
    CHECK(normalize_booking_code("K7P").error().code == "booking.code.length");
    CHECK(normalize_booking_code("K7P-0QX-M").error().code == "booking.code.lookalike");
    CHECK(normalize_booking_code("K7P-0QX-M").error().args == ErrorArgs{{"character", "0"}});
    CHECK(normalize_booking_code("K7P-4Q#-M").error().code == "booking.code.letters");
    std::string wrong = code(1);
    wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
    CHECK(normalize_booking_code(wrong).error().code == "booking.code.check");
}

TEST_CASE("a purge while another program reads the store: rows purged at once, the WAL emptied by the timer's next run") {
    const SiteConfig cfg = booking_config();
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 14, 8));
    auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
    REQUIRE(office->record_agenda(made_for(code(1), test::rome(2026, 12, 14, 10), "Gianfranca Zappalorto",
                                           "+39 347 9876543", "pk-gianfranca")).value().applied);
    clock.set(test::rome(2027, 1, 15, 9));
    REQUIRE(office->issue(test::issue_request("protocollo")).ok());
    // Another program (a display) in the middle of a read: the WAL cannot be emptied under it.
    sqlite3* reader = nullptr;
    REQUIRE(sqlite3_open_v2((dir.path() / "office.db").c_str(), &reader, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(reader, 0);
    REQUIRE(sqlite3_exec(reader, "BEGIN; SELECT COUNT(*) FROM events;", nullptr, nullptr, nullptr) == SQLITE_OK);
    auto first = office->purge_personal_data_if_due();
    REQUIRE(first.ok());
    CHECK(*first);
    office->read([&](const OfficeState&) {});
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(office->store().handle(), "SELECT COUNT(*) FROM events WHERE encoded LIKE '%Zappalorto%'", -1,
                               &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 0);  // the rows are purged already
    sqlite3_finalize(st);
    sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(reader);
    // Still due (the WAL was held): the next run empties it, then it is done for the day.
    auto second = office->purge_personal_data_if_due();
    REQUIRE(second.ok());
    CHECK(*second);
    CHECK_FALSE(office->purge_personal_data_if_due().value());
    const std::string bytes = store_bytes(dir.path());
    CHECK(bytes.find("Zappalorto") == std::string::npos);
    CHECK(bytes.find("9876543") == std::string::npos);
}

TEST_CASE("the purge checkpoints the WAL only after a rewrite (or while one is owed), on its own connection, PASSIVE first") {
    const SiteConfig cfg = booking_config();
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 14, 8));
    auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
    REQUIRE(office->record_agenda(made_for(code(1), test::rome(2026, 12, 14, 10), "Gianfranca Zappalorto",
                                           "+39 347 9876543", "pk-gianfranca")).value().applied);
    const auto wal_size = [&] { return std::filesystem::file_size(dir.path() / "office.db-wal"); };
    // Nothing to forget yet: no checkpoint, the WAL keeps what it has.
    clock.set(test::rome(2026, 12, 21, 9));
    REQUIRE(office->issue(test::issue_request("protocollo")).ok());
    const auto before = wal_size();
    REQUIRE(before > 0);
    auto none = office->purge_personal_data();
    REQUIRE(none.ok());
    CHECK(none->bookings == 0);
    CHECK(none->wal_truncated);  // nothing of a rewrite is owed
    CHECK(wal_size() == before);
    // A rewrite while another program reads: the rows are purged, the truncation is owed (kept
    // in the store) and the purge did not wait for the reader.
    clock.set(test::rome(2027, 1, 15, 9));
    REQUIRE(office->issue(test::issue_request("protocollo")).ok());
    sqlite3* reader = nullptr;
    REQUIRE(sqlite3_open_v2((dir.path() / "office.db").c_str(), &reader, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(reader, "BEGIN; SELECT COUNT(*) FROM events;", nullptr, nullptr, nullptr) == SQLITE_OK);
    auto held = office->purge_personal_data();
    REQUIRE(held.ok());
    CHECK(held->bookings == 1);
    CHECK_FALSE(held->wal_truncated);
    CHECK(office->store().meta("purge.wal_pending") == std::optional<std::string>("1"));
    sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(reader);
    // Nothing left to rewrite, but the truncation is owed: done now, and no longer owed.
    auto owed = office->purge_personal_data();
    REQUIRE(owed.ok());
    CHECK(owed->bookings == 0);
    CHECK(owed->wal_truncated);
    CHECK(office->store().meta("purge.wal_pending") == std::optional<std::string>("0"));
    const std::string bytes = store_bytes(dir.path());
    CHECK(bytes.find("Zappalorto") == std::string::npos);
    // And not again: the next purge with nothing to rewrite leaves the WAL as it is.
    REQUIRE(office->issue(test::issue_request("protocollo")).ok());
    const auto after = wal_size();
    REQUIRE(office->purge_personal_data().ok());
    CHECK(wal_size() == after);
}
