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
