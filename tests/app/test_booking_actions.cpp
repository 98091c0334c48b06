// Booking actions of the application layer (kiosk/app/booking.hpp) where the LAN's timing
// matters, with the stream played by the test: a move that the stream does not confirm in time
// is withdrawn (a move back and the release of the new slot's hold follow it in publish order),
// whichever way the stream then decides; and the day's agenda as printed by staff.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "kiosk/app/booking.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"
#include "shared/booking/booking_code.hpp"
#include "shared/i18n.hpp"
#include "test_support.hpp"

using namespace csc;

namespace {

SiteConfig sample_site() {
    auto c = load_site_config(std::string(CSC_SOURCE_ASSETS) + "/site/office.toml");
    REQUIRE(c.ok());
    return std::move(*c);
}

// Always "online", publishes nothing itself: the test's stream thread takes the own events.
struct QuietUplink : EventUplink {
    void publish_soon() override {}
    [[nodiscard]] bool online() const override { return true; }
};

// The office stream, played in-process: while flowing, every own event is confirmed in device
// order; paused, nothing is (the stream is slow); inject() puts another device's event in.
class TestStream {
public:
    explicit TestStream(Office& office) : office_(office), thread_([this] { run(); }) {}
    ~TestStream() {
        stop_ = true;
        thread_.join();
    }
    void pause() {
        std::lock_guard lock(mutex_);
        flowing_ = false;
    }
    void resume() {
        std::lock_guard lock(mutex_);
        flowing_ = true;
    }
    void inject(const Event& e) {
        std::lock_guard lock(mutex_);
        ++seq_;
        REQUIRE(office_.apply_stream(std::vector<StreamedEvent>{{seq_, e, 0}}, seq_).ok());
    }
    // Waits until every own event is confirmed.
    bool drained(int timeout_ms = 3000) {
        for (int i = 0; i < timeout_ms / 5; ++i) {
            if (office_.unconfirmed_count() == 0) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return false;
    }

private:
    void run() {
        while (!stop_) {
            {
                std::lock_guard lock(mutex_);
                if (flowing_) {
                    if (auto e = office_.next_unconfirmed(0)) {
                        ++seq_;
                        (void)office_.apply_stream(std::vector<StreamedEvent>{{seq_, *e, 0}}, seq_);
                        continue;
                    }
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
    Office& office_;
    std::mutex mutex_;
    bool flowing_ = true;
    std::uint64_t seq_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;  // last: starts once the rest is ready
};

int free_at(const Office& office, const std::string& service, Millis slot) {
    auto slots = app::free_slots(office, service, office.config().timezone.to_local(slot).date, 1);
    REQUIRE(slots.ok());
    for (const auto& s : *slots)
        if (s.start == slot) return s.free();
    FAIL("no such slot");
    return -1;
}

Event foreign(std::int64_t seq, Millis time, EventBody body) {
    Event e;
    e.device = "info-1";
    e.seq = seq;
    e.id = make_event_id(e.device, seq);
    e.time = time;
    e.body = std::move(body);
    return e;
}

}  // namespace

TEST_CASE("a move the stream does not confirm in time is withdrawn: back to the old slot, the new slot's hold released") {
    const SiteConfig cfg = sample_site();
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 14, 9));  // a Monday
    auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
    QuietUplink uplink;
    REQUIRE(office->enable_lan(LanSettings{1, 150}, &uplink).ok());
    TestStream stream(*office);
    const std::string service = "carta-identita";
    const Millis old_slot = test::rome(2026, 12, 17, 8, 30), new_slot = test::rome(2026, 12, 17, 9, 10);
    app::BookingRequest req;
    req.service = service;
    req.slot = old_slot;
    req.name = "Maria Rossi";
    auto booked = app::book(*office, req);
    REQUIRE_MESSAGE(booked.ok(), (booked.ok() ? "" : booked.error().message));
    const int old_free = free_at(*office, service, old_slot), new_free = free_at(*office, service, new_slot);

    SUBCASE("the move reaches the stream late: it applies, and the move back undoes it") {
        auto hold = app::hold_place(*office, service, new_slot);
        REQUIRE(hold.ok());
        stream.pause();
        auto moved = app::move_booking(*office, booked->code, new_slot, *hold);
        REQUIRE_FALSE(moved.ok());
        CHECK(moved.error().code == "booking");
        CHECK(moved.error().message.find("stays at 2026-12-17 08:30") != std::string::npos);
        CHECK(office->unconfirmed_count() == 3);  // the move, the move back, the release
        stream.resume();
        REQUIRE(stream.drained());
    }
    SUBCASE("the move is refused in stream order (the booking was cancelled meanwhile): the hold is released at once") {
        auto hold = app::hold_place(*office, service, new_slot);
        REQUIRE(hold.ok());
        stream.pause();
        auto moved = app::move_booking(*office, booked->code, new_slot, *hold);
        REQUIRE_FALSE(moved.ok());
        stream.inject(foreign(1, clock.now(), BookingCancelled{booked->code, true, "sciopero"}));
        stream.resume();
        REQUIRE(stream.drained());
        office->read_confirmed([&](const OfficeState& s) {
            CHECK(s.agenda().find(booked->code)->status == BookingStatus::CancelledByOffice);
            CHECK(s.agenda().holds(clock.now()).empty());  // released now, not in hold_minutes
        });
        CHECK(free_at(*office, service, new_slot) == new_free);
        return;
    }
    office->read_confirmed([&](const OfficeState& s) {
        const Booking* b = s.agenda().find(booked->code);
        REQUIRE(b);
        CHECK(b->status == BookingStatus::Booked);
        CHECK(b->slot == old_slot);  // where the citizen was told it stays
        CHECK(s.agenda().holds(clock.now()).empty());
    });
    CHECK(free_at(*office, service, old_slot) == old_free);
    CHECK(free_at(*office, service, new_slot) == new_free);
}

TEST_CASE("a citizen past the check-in window gets a walk-in ticket from staff in one step; refused while not late, without staff, twice") {
    const SiteConfig cfg = sample_site();
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 14, 9));  // a Monday
    auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
    app::BookingRequest req;
    req.service = "carta-identita";
    req.slot = test::rome(2026, 12, 17, 10, 30);  // Thursday
    req.name = "Maria Rossi";
    const auto booked = app::book(*office, req);
    REQUIRE(booked.ok());
    const std::string code = format_booking_code(booked->code);
    req.slot = test::rome(2026, 12, 17, 9, 10);
    req.name = "Luca Bianchi";
    const auto other = app::book(*office, req);  // cancelled below
    REQUIRE(other.ok());
    REQUIRE(app::cancel_booking(*office, other->code, false, {}).ok());
    // The day before: another day; inside the window: not late (check it in instead).
    CHECK(app::walk_in_late_booking(*office, code, {}, "Anna Info").error().code == "booking.other_day");
    clock.set(test::rome(2026, 12, 17, 10, 40));
    const auto not_late = app::walk_in_late_booking(*office, code, {}, "Anna Info");
    REQUIRE_FALSE(not_late.ok());
    CHECK(not_late.error().code == "booking.not_late");
    CHECK(not_late.error().args == ErrorArgs{{"code", booked->code}, {"time", "10:30"}});
    // Past the window (10:45): the kiosk sends the citizen to the info point.
    clock.set(test::rome(2026, 12, 17, 10, 50));
    CHECK(app::check_in_booking(*office, code, {}, "kiosk").error().code == "booking.too_late");
    CHECK(app::walk_in_late_booking(*office, code, {}, "").error().code == "booking.staff_only");
    CHECK(app::walk_in_late_booking(*office, "K7P-4QX-A", {}, "Anna Info").error().code.rfind("booking.code", 0) == 0);
    std::int64_t events_before = 0;
    office->read([&](const OfficeState& s) { events_before = static_cast<std::int64_t>(s.tickets().size()); });
    const auto t = app::walk_in_late_booking(*office, code, {}, "Anna Info");
    REQUIRE(t.ok());
    CHECK(t->ticket.sector == "anagrafe");
    CHECK(t->ticket.service == "carta-identita");
    CHECK(t->ticket.booking.empty());     // a walk-in ticket, in line by its issue time
    CHECK_FALSE(t->ticket.appointment_at);
    CHECK(t->ticket.channel == "assisted");
    office->read([&](const OfficeState& s) {
        CHECK(static_cast<std::int64_t>(s.tickets().size()) == events_before + 1);
        const Booking* b = s.agenda().find(booked->code);
        REQUIRE(b);
        CHECK(b->status == BookingStatus::WalkedIn);
        CHECK(b->ticket == t->ticket.id);
        CHECK(b->history.back().what == "walked-in");
        CHECK(b->history.back().by == "Anna Info");
    });
    CHECK(app::walk_in_late_booking(*office, code, {}, "Anna Info").error().code == "booking.walked_in");
    // A cancelled booking is refused with its state.
    clock.set(test::rome(2026, 12, 17, 10, 55));
    CHECK(app::walk_in_late_booking(*office, other->code, {}, "Anna Info").error().code == "booking.cancelled");
}

TEST_CASE("a closure with moving: each booking on it moves to the first free slot after it, the others are cancelled and listed") {
    const SiteConfig cfg = sample_site();  // identity card: 20-minute slots, 2 places; Thursday 08:30-12:10 and 14:30-17:10
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 14, 9));  // a Monday
    auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
    const auto book = [&](Millis slot, const std::string& name) {
        app::BookingRequest req;
        req.service = "carta-identita";
        req.slot = slot;
        req.name = name;
        auto b = app::book(*office, req);
        REQUIRE(b.ok());
        return *b;
    };
    const Booking a = book(test::rome(2026, 12, 17, 8, 30), "Anna Neri");
    const Booking b = book(test::rome(2026, 12, 17, 8, 30), "Bruno Gialli");
    const Booking c = book(test::rome(2026, 12, 17, 9, 10), "Carla Blu");
    const Booking d = book(test::rome(2026, 12, 17, 14, 30), "Dario Verdi");    // after the closure: stays
    const Booking e = book(test::rome(2027, 1, 12, 16, 50), "Elena Viola");     // Tuesday, the last slot within days_ahead (30)
    // Refused closures move nobody.
    CHECK(app::declare_closure_moving(*office, Date{2026, 12, 10}, 0, 24 * 60, "sciopero", "Anna Info").error().code ==
          "booking.closure_past");
    CHECK(app::declare_closure_moving(*office, Date{2026, 12, 17}, 600, 500, "sciopero", "Anna Info").error().code == "input");
    office->read([&](const OfficeState& s) { CHECK(s.agenda().find(a.code)->slot == a.slot); });
    // The morning of the 17th closes: 08:30 ×2 and 09:10 move to the afternoon, in slot order
    // (14:30 has one place left beside Dario, then 14:50).
    auto out = app::declare_closure_moving(*office, Date{2026, 12, 17}, 8 * 60, 12 * 60 + 30, "assemblea sindacale", "Anna Info");
    REQUIRE(out.ok());
    REQUIRE(out->moved.size() == 3);
    CHECK(out->cancelled.empty());
    CHECK(out->moved[0].booking.code == a.code);
    CHECK(out->moved[0].from == a.slot);
    CHECK(out->moved[0].booking.slot == test::rome(2026, 12, 17, 14, 30));
    CHECK(out->moved[1].booking.code == b.code);
    CHECK(out->moved[1].booking.slot == test::rome(2026, 12, 17, 14, 50));
    CHECK(out->moved[2].booking.code == c.code);
    CHECK(out->moved[2].booking.slot == test::rome(2026, 12, 17, 14, 50));
    CHECK(out->moved[0].booking.name == "Anna Neri");  // staff's list: whom to call
    office->read([&](const OfficeState& s) {
        const Booking* moved = s.agenda().find(a.code);
        CHECK(moved->status == BookingStatus::Booked);
        REQUIRE(moved->history.size() == 2);
        CHECK(moved->history[1].what == "moved");
        CHECK(moved->history[1].by == "Anna Info");
        CHECK(s.agenda().find(d.code)->slot == d.slot);
        REQUIRE(s.agenda().closures().size() == 1);
        CHECK(s.agenda().closures()[0].reason == "assemblea sindacale");
    });
    // No free slot after it within days_ahead (Wednesday has no identity-card slots; Thursday
    // the 14th is day 31): cancelled by the office and listed.
    out = app::declare_closure_moving(*office, Date{2027, 1, 12}, 16 * 60, 24 * 60, "formazione", "Anna Info");
    REQUIRE(out.ok());
    CHECK(out->moved.empty());
    REQUIRE(out->cancelled.size() == 1);
    CHECK(out->cancelled[0].code == e.code);
    CHECK(out->cancelled[0].status == BookingStatus::CancelledByOffice);
    CHECK(out->cancelled[0].reason == "formazione");
}

TEST_CASE("the printed list of whom to call after a closure: moved (old -> new) and cancelled, masked names") {
    const SiteConfig cfg = sample_site();
    auto tr = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", cfg.languages);
    REQUIRE(tr.ok());
    Booking a;
    a.code = "K7P4QXM";
    a.service = "carta-identita";
    a.slot = test::rome(2026, 12, 17, 14, 30);
    a.name = "Anna Neri";
    Booking c = a;
    c.code = "M3NZ8RT";
    c.slot = test::rome(2026, 12, 17, 9, 10);
    c.name = "Carla Blu";
    c.status = BookingStatus::CancelledByOffice;
    app::ClosureOutcome outcome;
    outcome.moved.push_back({a, test::rome(2026, 12, 17, 8, 30)});
    outcome.cancelled.push_back(c);
    const auto lines_of = [](const printer::Receipt& r) {
        std::vector<std::string> lines;
        for (const auto& el : r.elements())
            if (const auto* t = std::get_if<printer::TextElement>(&el)) lines.push_back(t->utf8);
        return lines;
    };
    const auto lines = lines_of(app::make_closure_call_list(cfg, *tr, Date{2026, 12, 17}, "assemblea sindacale", outcome,
                                                           test::rome(2026, 12, 14, 9), "it"));
    const auto has = [&](const std::string& s) { return std::find(lines.begin(), lines.end(), s) != lines.end(); };
    CHECK(has("Chiusura del 17/12/2026: chi chiamare"));
    CHECK(has("assemblea sindacale"));
    CHECK(has("Spostati (prima -> ora)"));
    CHECK(has("08:30 -> 17/12 14:30  K7P-4QX-M  A*** N***"));
    CHECK(has("Annullati: nessun posto libero"));
    CHECK(has("09:10  M3N-Z8R-T  C**** B**"));
    for (const auto& l : lines) CHECK(l.find("Neri") == std::string::npos);
    const auto none = lines_of(app::make_closure_call_list(cfg, *tr, Date{2026, 12, 17}, "x", {}, test::rome(2026, 12, 14, 9), "en"));
    CHECK(std::find(none.begin(), none.end(), "Nobody to call") != none.end());
}

TEST_CASE("the day's agenda printed for staff: per service, time, code, masked name and status; through the file printer") {
    const SiteConfig cfg = sample_site();
    auto tr = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", cfg.languages);
    REQUIRE(tr.ok());
    const Millis now = test::rome(2026, 12, 17, 9, 40);
    Booking a, b;
    a.code = "K7P4QXM";
    a.service = "carta-identita";
    a.slot = test::rome(2026, 12, 17, 9, 10);
    a.name = "Maria Rossi";
    a.status = BookingStatus::CheckedIn;
    b = a;
    b.code = "M3NZ8RT";
    b.slot = test::rome(2026, 12, 17, 8, 30);
    b.name = "Giuseppe Verdi";
    b.status = BookingStatus::Booked;
    const auto receipt = app::make_agenda_printout(cfg, *tr, Date{2026, 12, 17}, {a, b}, now, "it");
    std::vector<std::string> lines;
    for (const auto& el : receipt.elements())
        if (const auto* t = std::get_if<printer::TextElement>(&el)) lines.push_back(t->utf8);
    const auto has = [&](const std::string& s) {
        return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l == s; });
    };
    CHECK(has("Appuntamenti di giovedì 17/12/2026"));
    CHECK(has("Carta d'identità elettronica"));
    CHECK(has("08:30  M3N-Z8R-T  G******* V****  prenotato"));  // by time, the earlier first
    CHECK(has("09:10  K7P-4QX-M  M**** R****  arrivato"));
    CHECK(has("Stampato il 17/12/2026 alle 09:40"));
    for (const auto& l : lines) CHECK(l.find("Rossi") == std::string::npos);
    const auto empty = app::make_agenda_printout(cfg, *tr, Date{2026, 12, 18}, {}, now, "en");
    bool none = false;
    for (const auto& el : empty.elements())
        if (const auto* t = std::get_if<printer::TextElement>(&el)) none = none || t->utf8 == "No appointments";
    CHECK(none);
}

TEST_CASE("LAN: the purge keeps the confirmed state; a device restarted from its purged store has the same confirmed hash") {
    const SiteConfig cfg = sample_site();
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 14, 9));
    QuietUplink uplink;
    std::uint64_t before = 0;
    {
        auto office = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
        REQUIRE(office->enable_lan(LanSettings{1, 1000}, &uplink).ok());
        TestStream stream(*office);
        app::BookingRequest req;
        req.service = "carta-identita";
        req.slot = test::rome(2026, 12, 17, 8, 30);
        req.name = "Gianfranca Zappalorto";
        req.contact = "+39 347 9876543";
        REQUIRE(app::book(*office, req).ok());
        req.slot = test::rome(2027, 1, 11, 8, 30);  // a Monday, kept past the 20th
        req.name = "Ottavio Quercetti";
        req.contact = {};
        clock.set(test::rome(2026, 12, 21, 9));
        REQUIRE(app::book(*office, req).ok());
        // 20 January: the day's first ticket rolls the agenda (confirmed by the stream).
        clock.set(test::rome(2027, 1, 20, 9));
        REQUIRE(office->issue(test::issue_request("protocollo")).ok());
        REQUIRE(stream.drained());
        before = office->confirmed_hash();
        auto purged = office->purge_personal_data();
        REQUIRE(purged.ok());
        CHECK(purged->bookings == 1);
        CHECK(office->confirmed_hash() == before);
    }
    std::string bytes;
    for (const char* name : {"office.db", "office.db-wal"}) {
        std::ifstream in(dir.path() / name, std::ios::binary);
        bytes += std::string(std::istreambuf_iterator<char>(in), {});
    }
    CHECK(bytes.find("Zappalorto") == std::string::npos);
    CHECK(bytes.find("9876543") == std::string::npos);
    CHECK(bytes.find("Quercetti") != std::string::npos);
    auto again = Office::open(cfg, dir.path(), clock, "kiosk-1").value();
    REQUIRE(again->enable_lan(LanSettings{1, 1000}, &uplink).ok());
    CHECK(again->confirmed_hash() == before);
}
