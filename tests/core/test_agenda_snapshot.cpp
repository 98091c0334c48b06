// Agenda snapshots (shared/booking/agenda_snapshot.hpp; docs/BOOKING.md "Bookings older than the
// stream"): the agenda.snapshot event's codec and checks, parts under the message limit, no
// personal data in it, malformed snapshots refused with a reason, and replay_stream(): a device
// that missed the stream's first messages takes the snapshot and ends with everyone's hash.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "shared/booking/agenda_snapshot.hpp"
#include "shared/booking/booking_code.hpp"
#include "shared/office.hpp"
#include "shared/office_state.hpp"
#include "test_support.hpp"

using namespace csc;

// The whole file in its own namespace: core_tests is a unity build, and test_booking.cpp has
// helpers of the same names (made, ev, ...) at file scope.
namespace agenda_snapshot_tests {

namespace {

// Identity cards on Monday and Thursday mornings, 20-minute slots of 2 places (as test_booking.cpp).
SiteConfig snapshot_config() {
    const std::string text = R"(
[office]
name = "CSC test"
[hours]
monday = ["08:00-18:00"]
tuesday = ["08:00-18:00"]
wednesday = ["08:00-18:00"]
thursday = ["08:00-18:00"]
friday = ["08:00-18:00"]
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
[[counter]]
number = 1
sectors = ["anagrafe"]
[booking]
keep_days = 30
[[booking.service]]
sector = "anagrafe"
service = "carta-identita"
slot_minutes = 20
capacity = 2
buffer_minutes = 10
min_notice_minutes = 120
days_ahead = 40
counters = [1]
monday = ["09:00-10:30"]
thursday = ["09:00-10:30"]
)";
    auto cfg = parse_site_config(text, "snapshot.toml");
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

BookingMade made(const std::string& c, Millis slot, const std::string& person) {
    return BookingMade{c, "carta-identita", slot, "", "Maria Rossi", "+39 333 1234567", person, "it", "kiosk"};
}

// What Agenda::hash_into mixes, as one text (to compare two agendas field by field).
std::string dump(const Agenda& a) {
    std::string out;
    a.hash_into([&](std::string_view s) { out.append(s); out += "|"; });
    return out;
}

// An agenda with a bit of everything: bookings booked, moved, cancelled by the citizen and by a
// closure, a hold, the closure, staff names in the history.
Agenda busy_agenda(const SiteConfig& cfg) {
    OfficeState st(cfg);
    const Millis now = test::rome(2026, 12, 14, 8);
    REQUIRE(st.apply(ev("i", 1, now, made(code(1), test::rome(2026, 12, 17, 9), "p1"))).applied);
    REQUIRE(st.apply(ev("i", 2, now, made(code(2), test::rome(2026, 12, 17, 9, 30), "p2"))).applied);
    REQUIRE(st.apply(ev("i", 3, now, made(code(3), test::rome(2026, 12, 21, 9), "p3"))).applied);
    REQUIRE(st.apply(ev("i", 4, now + 1, BookingMoved{code(1), test::rome(2026, 12, 21, 10), {}}, "Anna")).applied);
    REQUIRE(st.apply(ev("i", 5, now + 2, BookingCancelled{code(2), false, "ha cambiato idea"})).applied);
    REQUIRE(st.apply(ev("i", 6, now + 3, ClosureDeclared{20261221, 9 * 60, 9 * 60 + 45, "sciopero"}, "Anna")).applied);
    REQUIRE(st.apply(ev("k", 1, now + 4, BookingHeld{"carta-identita", test::rome(2026, 12, 17, 10)})).applied);
    return st.agenda();
}

}  // namespace

TEST_CASE("agenda.snapshot: the agenda round-trips through the event codec without names or contacts, and hashes alike") {
    const SiteConfig cfg = snapshot_config();
    const Agenda agenda = busy_agenda(cfg);
    auto parts = make_agenda_snapshot(agenda, 42);
    REQUIRE(parts.ok());
    REQUIRE(parts->size() == 1);
    const AgendaSnapshot& part = parts->front();
    CHECK(part.based_on == 42);
    CHECK(part.parts == 1);
    CHECK(part.day == 20261214);
    CHECK(part.bookings.size() == 3);
    CHECK(part.holds.size() == 1);
    CHECK(part.closures.size() == 1);
    const Event e = ev("kiosk-1", 7, test::rome(2026, 12, 15, 8), part);
    CHECK(validate_event(e).ok());
    const std::string text = encode_event(e);
    CHECK(text.find("\"type\":\"agenda.snapshot\"") != std::string::npos);
    CHECK(text.find("Maria Rossi") == std::string::npos);  // the citizen's name and phone never go in
    CHECK(text.find("333 1234567") == std::string::npos);
    CHECK(text.find("\"name\"") == std::string::npos);
    CHECK(text.find("\"contact\"") == std::string::npos);
    CHECK(text.find("sciopero") != std::string::npos);
    auto back = decode_event(text);
    REQUIRE(back.ok());
    CHECK(*back == e);
    const auto* decoded = std::get_if<AgendaSnapshot>(&back->body);
    REQUIRE(decoded);
    const AgendaSnapshot* list[] = {decoded};
    auto rebuilt = assemble_agenda_snapshot(list);
    REQUIRE(rebuilt.ok());
    CHECK(dump(*rebuilt) == dump(agenda));  // every field hash_into mixes
    CHECK(rebuilt->find(code(3))->name == kNameOnOtherDevices);
    CHECK(rebuilt->find(code(3))->contact.empty());
    CHECK(rebuilt->find(code(1))->history.back().by == "Anna");
    CHECK(rebuilt->find(code(3))->status == BookingStatus::CancelledByOffice);
}

TEST_CASE("agenda.snapshot: every booking status has a name that reads back, and a walked-in booking survives the codec and assembly") {
    for (auto st : {BookingStatus::Booked, BookingStatus::CheckedIn, BookingStatus::NoShow, BookingStatus::CancelledByCitizen,
                    BookingStatus::CancelledByOffice, BookingStatus::WalkedIn}) {
        CAPTURE(to_string(st));
        CHECK(booking_status_named(to_string(st)) == st);
    }
    CHECK_FALSE(booking_status_named("served").has_value());
    // A part as make_agenda_snapshot writes it for a late citizen given a walk-in ticket.
    AgendaSnapshot part;
    part.based_on = 7;
    part.day = 20261214;
    SnapshotBooking b;
    b.code = code(9);
    b.service = "carta-identita";
    b.sector = "anagrafe";
    b.slot = test::rome(2026, 12, 14, 9);
    b.person = "p9";
    b.lang = "it";
    b.channel = "kiosk";
    b.status = "walked-in";
    b.ticket = "A001";
    b.history = {{test::rome(2026, 12, 10, 9), "made", ""}, {test::rome(2026, 12, 14, 9, 40), "walked-in", "Anna"}};
    part.bookings.push_back(b);
    const Event e = ev("kiosk-1", 3, test::rome(2026, 12, 15, 8), part);
    REQUIRE(validate_event(e).ok());
    auto back = decode_event(encode_event(e));
    REQUIRE(back.ok());
    const auto* decoded = std::get_if<AgendaSnapshot>(&back->body);
    REQUIRE(decoded);
    const AgendaSnapshot* list[] = {decoded};
    auto rebuilt = assemble_agenda_snapshot(list);
    REQUIRE(rebuilt.ok());
    REQUIRE(rebuilt->find(code(9)));
    CHECK(rebuilt->find(code(9))->status == BookingStatus::WalkedIn);
}

TEST_CASE("agenda.snapshot: every booking of 40 days is cut into parts that each fit a message, and come back in order") {
    const SiteConfig cfg = snapshot_config();
    OfficeState st(cfg);
    const Millis now = test::rome(2026, 12, 14, 8);
    int n = 0, seq = 0;
    for (int day = 0; day < 40 && n < 400; ++day) {
        const Date d = civil_from_days(days_from_civil(2026, 12, 17) + day);
        for (int minute : {9 * 60, 9 * 60 + 30, 10 * 60})
            for (int place = 0; place < 2; ++place) {
                auto r = st.apply(ev("i", ++seq, now, made(code(n + 1), cfg.timezone.from_local(d, minute), "p" + std::to_string(n))));
                if (r.applied) ++n;
            }
    }
    REQUIRE(n >= 60);
    // At the stream's 16 KiB a part holds ~75 bookings; cut at 4 KiB here to have several.
    constexpr std::size_t kLimit = 4096;
    auto whole = make_agenda_snapshot(st.agenda(), 9'000);
    REQUIRE(whole.ok());
    CHECK(encode_event(ev("k", 1, now, whole->front())).size() <= kMaxEncodedEventSize);
    auto parts = make_agenda_snapshot(st.agenda(), 9'000, kLimit);
    REQUIRE(parts.ok());
    CHECK(parts->size() > 1);
    std::vector<const AgendaSnapshot*> list;
    std::size_t count = 0;
    for (std::size_t i = 0; i < parts->size(); ++i) {
        const AgendaSnapshot& p = (*parts)[i];
        CHECK(p.part == static_cast<int>(i));
        CHECK(p.parts == static_cast<int>(parts->size()));
        count += p.bookings.size();
        // The longest envelope a device could give it still fits.
        Event e = ev(std::string(40, 'k'), 999'999'999'999, now, p);
        CHECK(encode_event(e).size() <= kLimit);
        CHECK(decode_event(encode_event(e)).ok());
        list.push_back(&p);
    }
    CHECK(count == static_cast<std::size_t>(n));
    MESSAGE(n << " bookings in " << parts->size() << " parts of <= 4 KiB, " << whole->size() << " of <= 16 KiB");
    std::reverse(list.begin(), list.end());  // any order
    auto rebuilt = assemble_agenda_snapshot(list);
    REQUIRE(rebuilt.ok());
    CHECK(dump(*rebuilt) == dump(st.agenda()));
}

TEST_CASE("agenda.snapshot: a malformed snapshot is refused with a reason, never a crash, and changes nothing") {
    const SiteConfig cfg = snapshot_config();
    auto parts = make_agenda_snapshot(busy_agenda(cfg), 42).value();
    const Event good = ev("kiosk-1", 7, test::rome(2026, 12, 15, 8), parts.front());
    const std::string text = encode_event(good);
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string t = text;
        const auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        return t.replace(at, from.size(), to);
    };
    struct Case {
        std::string text, expect;
    };
    const std::vector<Case> cases{
        {replaced("\"based_on\":42", "\"based_on\":0"), "based_on"},
        {replaced("\"part\":0", "\"part\":3"), "part"},
        {replaced("\"parts\":1", "\"parts\":0"), "parts"},
        {replaced("\"status\":\"booked\"", "\"status\":\"lost\""), "unknown status"},
        {replaced("\"history\":[[", "\"history\":[[\"x\","), "history step"},
        {replaced("\"bookings\":[", "\"bookings\":[7,"), "must be an object"},
        {replaced("\"holds\":[", "\"holds\":7,\"x\":["), "must be a list"},
        {replaced("\"day\":20261214", "\"day\":20261299"), ""},  // a day that does not exist is still a number in range
        {replaced("\"from_minute\":540", "\"from_minute\":2000"), "time range"},
    };
    for (const auto& c : cases) {
        auto r = decode_event(c.text);
        if (c.expect.empty()) continue;
        REQUIRE_FALSE_MESSAGE(r.ok(), c.text);
        CHECK_MESSAGE(r.error().message.find(c.expect) != std::string::npos, r.error().message);
    }
    // Every truncation of a good snapshot: an Error, never a crash.
    for (std::size_t cut = 0; cut < text.size(); cut += 7) CHECK_FALSE(decode_event(text.substr(0, cut)).ok());

    // Well-formed JSON, wrong meaning: the state machine refuses it with the reason and keeps its hash.
    OfficeState st(cfg);
    const auto hash = st.state_hash();
    AgendaSnapshot bad = parts.front();
    bad.bookings[0].code = "NOTACODE";
    auto r = st.apply(ev("kiosk-1", 8, test::rome(2026, 12, 15, 8), bad));
    CHECK_FALSE(r.applied);
    CHECK(r.reason.find("agenda.snapshot: \"NOTACODE\" is not a booking code") != std::string::npos);
    AgendaSnapshot twice = parts.front();
    twice.bookings.push_back(twice.bookings[0]);
    r = st.apply(ev("kiosk-1", 9, test::rome(2026, 12, 15, 8), twice));
    CHECK_FALSE(r.applied);
    CHECK(r.reason.find("twice") != std::string::npos);
    AgendaSnapshot holds_later = parts.front();
    holds_later.parts = 2;
    holds_later.part = 1;
    r = st.apply(ev("kiosk-1", 10, test::rome(2026, 12, 15, 8), holds_later));
    CHECK_FALSE(r.applied);
    CHECK(r.reason.find("part 0") != std::string::npos);
    // A sound part applies and changes nothing (a complete device ignores snapshots).
    CHECK(st.apply(good).applied);
    CHECK(st.state_hash() == hash);
    CHECK(st.agenda().bookings().empty());

    // Parts that do not make one snapshot.
    AgendaSnapshot p0 = parts.front(), p1 = parts.front();
    p0.parts = p1.parts = 2;
    p1.part = 1;
    p1.holds.clear();
    p1.closures.clear();
    const AgendaSnapshot* only_first[] = {&p0};
    CHECK(assemble_agenda_snapshot(only_first).error().message.find("part 1 of 2 is missing") != std::string::npos);
    const AgendaSnapshot* same_twice[] = {&p0, &p0};
    CHECK(assemble_agenda_snapshot(same_twice).error().message.find("twice") != std::string::npos);
    AgendaSnapshot other_base = p1;
    other_base.based_on = 43;
    const AgendaSnapshot* mixed[] = {&p0, &other_base};
    CHECK(assemble_agenda_snapshot(mixed).error().message.find("different snapshots") != std::string::npos);
    const AgendaSnapshot* both[] = {&p0, &p1};  // the same bookings in both parts
    CHECK(assemble_agenda_snapshot(both).error().message.find("in two parts") != std::string::npos);
    CHECK_FALSE(assemble_agenda_snapshot(std::span<const AgendaSnapshot* const>{}).ok());
}

TEST_CASE("state_hash leaves a booking's name and contact out (a snapshot has none) and covers the person key") {
    const SiteConfig cfg = snapshot_config();
    const Agenda agenda = busy_agenda(cfg);
    auto with = [&](auto change) {
        std::vector<Booking> bookings = agenda.bookings();
        change(bookings.front());
        return dump(Agenda::restore(agenda.day(), bookings, agenda.holds(0), agenda.closures()));
    };
    const std::string base = dump(agenda);
    CHECK(with([](Booking& b) { b.name = "Altro Nome"; }) == base);
    CHECK(with([](Booking& b) { b.contact = ""; }) == base);
    CHECK(with([](Booking& b) { b.person = "other"; }) != base);
    CHECK(with([](Booking& b) { b.reason = "other"; }) != base);
    CHECK(with([](Booking& b) { b.slot += 60'000; }) != base);
}

namespace {

// An office's stream: Monday, bookings (Thursday 09:00 full, one cancelled, 09:30 booked by X);
// Tuesday's first event, a walk-in ticket, opens the day: the snapshot of the agenda as it stood
// before it follows. Thursday: X checks in, and a booking for a slot that still has room.
struct Stream {
    std::vector<Event> events;
    std::vector<std::uint64_t> seqs;
    std::uint64_t day_open_seq = 0;  // Tuesday's first event
    Millis thursday_nine = 0;
    void add(Event e) {
        events.push_back(std::move(e));
        seqs.push_back(seqs.empty() ? 1 : seqs.back() + 1);
    }
    std::vector<SequencedEvent> from(std::uint64_t first_seq) const {
        std::vector<SequencedEvent> out;
        for (std::size_t i = 0; i < events.size(); ++i)
            if (seqs[i] >= first_seq) out.push_back({seqs[i], &events[i]});
        return out;
    }
};

Stream office_stream(const SiteConfig& cfg, bool with_snapshot) {
    Stream s;
    const Millis monday = test::rome(2026, 12, 14, 8);
    s.thursday_nine = test::rome(2026, 12, 17, 9);
    s.add(ev("kiosk-1", 1, monday, made(code(1), s.thursday_nine, "p1")));
    s.add(ev("info-1", 1, monday + 1000, made(code(2), s.thursday_nine, "p2")));
    s.add(ev("info-1", 2, monday + 2000, made(code(3), test::rome(2026, 12, 17, 9, 30), "p3")));
    s.add(ev("info-1", 3, monday + 3000, made(code(4), test::rome(2026, 12, 17, 10), "p4")));
    s.add(ev("info-1", 4, monday + 4000, BookingCancelled{code(4), false, {}}));
    s.add(ev("kiosk-1", 2, monday + 5000, ClosureDeclared{20261221, 0, 24 * 60, "sciopero"}, "Anna"));
    TicketIssued walk_in{"anagrafe", "certificati"};
    s.add(ev("kiosk-1", 3, test::rome(2026, 12, 15, 8), walk_in));
    s.day_open_seq = s.seqs.back();
    if (with_snapshot) {
        // What the publishing device had exactly before the day's first event.
        OfficeState before(cfg);
        for (const auto& e : s.from(1))
            if (e.stream_seq < s.day_open_seq) (void)before.apply(*e.event);
        auto parts = make_agenda_snapshot(before.agenda(), s.day_open_seq - 1, 900);  // small parts: several
        REQUIRE(parts.ok());
        REQUIRE(parts->size() > 1);
        for (std::size_t i = 0; i < parts->size(); ++i)
            s.add(ev("kiosk-1", 4 + static_cast<std::int64_t>(i), test::rome(2026, 12, 15, 8, 0) + 1, (*parts)[i]));
    }
    TicketIssued check_in{"anagrafe", "carta-identita"};
    check_in.booking = code(3);
    s.add(ev("kiosk-2", 1, test::rome(2026, 12, 17, 9, 20), check_in));
    s.add(ev("kiosk-2", 2, test::rome(2026, 12, 17, 9, 21), made(code(5), test::rome(2026, 12, 17, 10), "p5")));
    return s;
}

}  // namespace

TEST_CASE("replay_stream: a device that missed the stream's first messages takes the snapshot and has everyone's state; a complete one ignores it") {
    const SiteConfig cfg = snapshot_config();
    const Stream s = office_stream(cfg, true);
    const auto all = s.from(1);

    OfficeState complete(cfg);
    CHECK(replay_stream(complete, all, 0) == 0);  // no gap: snapshots are not used
    OfficeState plain(cfg);
    for (const auto& e : all) (void)plain.apply(*e.event);
    CHECK(complete.state_hash() == plain.state_hash());
    REQUIRE(complete.agenda().find(code(3)));
    CHECK(complete.agenda().find(code(3))->status == BookingStatus::CheckedIn);

    // Monday's messages are gone from the stream: the joiner reads from Tuesday's first event.
    const auto tail = s.from(s.day_open_seq);
    OfficeState joiner(cfg);
    CHECK(replay_stream(joiner, tail, s.day_open_seq - 1) == s.day_open_seq - 1);
    CHECK(joiner.state_hash() == complete.state_hash());
    const Booking* x = joiner.agenda().find(code(3));
    REQUIRE(x);
    CHECK(x->status == BookingStatus::CheckedIn);
    CHECK(x->name == kNameOnOtherDevices);
    const Ticket* t = joiner.find_ticket("kiosk-2:1");
    REQUIRE(t);  // the check-in is a linked appointment ticket, as everywhere
    CHECK(t->booking == code(3));
    CHECK(joiner.agenda().closed_reason(Date{2026, 12, 21}, cfg) == "sciopero");
    // It refuses the taken place, as every device does.
    const Event third = ev("kiosk-9", 1, test::rome(2026, 12, 17, 6), made(code(9), s.thursday_nine, "p9"));
    auto refused = joiner.apply(third);
    CHECK_FALSE(refused.applied);
    CHECK(refused.code == "booking.full");
    CHECK_FALSE(complete.apply(third).applied);
    CHECK(joiner.state_hash() == complete.state_hash());

    // The same joiner without a snapshot in the stream: the agenda misses Monday (the test can fail).
    const Stream bare = office_stream(cfg, false);
    OfficeState blind(cfg);
    CHECK(replay_stream(blind, bare.from(bare.day_open_seq), bare.day_open_seq - 1) == 0);
    CHECK(blind.agenda().find(code(1)) == nullptr);
    CHECK(blind.find_ticket("kiosk-2:1") == nullptr);  // its check-in was refused: unknown code
    CHECK(blind.apply(third).applied);                 // and it would give the taken place away
}

TEST_CASE("replay_stream: a snapshot based before the gap, incomplete, or describing the future is not used") {
    const SiteConfig cfg = snapshot_config();
    const Stream s = office_stream(cfg, true);
    // The joiner missed the day's first event too: the snapshot's base is behind its gap.
    OfficeState late(cfg);
    CHECK(replay_stream(late, s.from(s.day_open_seq + 1), s.day_open_seq) == 0);
    CHECK(late.agenda().find(code(1)) == nullptr);
    // One part lost: not used.
    auto missing = s.from(s.day_open_seq);
    missing.erase(missing.begin() + 2);
    OfficeState partial(cfg);
    CHECK(replay_stream(partial, missing, s.day_open_seq - 1) == 0);
    // A snapshot claiming a base at or after its own position: not used.
    Stream future = s;
    for (auto& e : future.events)
        if (auto* p = std::get_if<AgendaSnapshot>(&e.body)) p->based_on = 1'000;
    OfficeState fooled(cfg);
    CHECK(replay_stream(fooled, future.from(future.day_open_seq), 5) == 0);
}

TEST_CASE("agenda.snapshot: the fuzz corpus's seed (tests/fuzz/corpus/event_decoder/agenda_snapshot) decodes and round-trips") {
    const auto path = std::filesystem::path(CSC_SOURCE_ASSETS) / "../tests/fuzz/corpus/event_decoder/agenda_snapshot";
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(all.size() > 1);
    const std::size_t subject = static_cast<std::uint8_t>(all[0]);
    auto e = decode_event(all.substr(1 + subject));
    REQUIRE_MESSAGE(e.ok(), (e.ok() ? "" : e.error().message));
    const auto* part = std::get_if<AgendaSnapshot>(&e->body);
    REQUIRE(part);
    CHECK(part->bookings.size() == 1);
    CHECK(part->bookings[0].history.size() == 2);
    CHECK(decode_event(encode_event(*e)).value() == *e);
}

namespace {

// Always "online"; the test plays the stream with apply_stream().
struct QuietUplink : EventUplink {
    void publish_soon() override {}
    [[nodiscard]] bool online() const override { return true; }
};

std::vector<Event> own_pending(const Office& office) {
    std::vector<Event> out;
    std::int64_t after = 0;
    while (auto e = office.next_unconfirmed(after)) {
        after = e->seq;
        out.push_back(std::move(*e));
    }
    return out;
}

int snapshot_parts_in(const std::vector<Event>& events) {
    int n = 0;
    for (const auto& e : events) n += std::holds_alternative<AgendaSnapshot>(e.body);
    return n;
}

}  // namespace

TEST_CASE("Office (LAN): at day open a complete device publishes the agenda snapshot when its turn comes, unless another device's is in the stream") {
    const SiteConfig cfg = snapshot_config();
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 12, 14, 8));
    auto office = Office::open(cfg, dir.path(), clock, "kiosk-2").value();
    QuietUplink uplink;
    REQUIRE(office->enable_lan(LanSettings{2, 1500}, &uplink).ok());  // device_index 2: its turn 5 s after the day opens
    REQUIRE(office->agenda_complete());
    REQUIRE(office->apply_stream(std::vector<StreamedEvent>{{1, ev("info-1", 1, clock.now(), made(code(1), test::rome(2026, 12, 17, 9), "p1")), 0}}, 1).ok());
    clock.set(test::rome(2026, 12, 15, 8));
    REQUIRE(office->apply_stream(std::vector<StreamedEvent>{{2, ev("info-1", 2, clock.now(), TicketIssued{"anagrafe", "certificati"}), 0}}, 2).ok());
    CHECK(office->publish_agenda_snapshot_if_due().value() == 0);  // not its turn yet
    clock.set(test::rome(2026, 12, 15, 8) + 5'000);

    SUBCASE("nobody published: it does, the agenda before the day's first event, without names") {
        CHECK(office->publish_agenda_snapshot_if_due().value() == 1);
        const auto pending = own_pending(*office);
        REQUIRE(snapshot_parts_in(pending) == 1);
        for (const auto& e : pending)
            if (const auto* p = std::get_if<AgendaSnapshot>(&e.body)) {
                CHECK(p->based_on == 1);
                CHECK(p->day == 20261214);
                REQUIRE(p->bookings.size() == 1);
                CHECK(p->bookings[0].code == code(1));
                CHECK(encode_event(e).find("Maria Rossi") == std::string::npos);
            }
        CHECK(office->publish_agenda_snapshot_if_due().value() == 0);  // once
    }
    SUBCASE("device 1's snapshot is in the stream already: it publishes none") {
        OfficeState before(cfg);
        (void)before.apply(ev("info-1", 1, test::rome(2026, 12, 14, 8), made(code(1), test::rome(2026, 12, 17, 9), "p1")));
        auto parts = make_agenda_snapshot(before.agenda(), 1).value();
        REQUIRE(office->apply_stream(std::vector<StreamedEvent>{{3, ev("kiosk-1", 1, clock.now(), parts.front()), 0}}, 3).ok());
        CHECK(office->publish_agenda_snapshot_if_due().value() == 0);
        CHECK(snapshot_parts_in(own_pending(*office)) == 0);
    }
}

TEST_CASE("Office (LAN): a device with a gap refuses to book, takes the snapshot when it comes (same hash as a complete device), and again after a restart") {
    const SiteConfig cfg = snapshot_config();
    test::TempDir complete_dir, joiner_dir;
    ManualClock clock(test::rome(2026, 12, 15, 8, 1));
    QuietUplink uplink;
    // The office's stream: Monday's bookings (1-2), Tuesday's first event (3), the snapshot (4).
    const Event b1 = ev("info-1", 1, test::rome(2026, 12, 14, 8), made(code(1), test::rome(2026, 12, 17, 9), "p1"));
    const Event b2 = ev("info-1", 2, test::rome(2026, 12, 14, 8, 1), made(code(2), test::rome(2026, 12, 17, 9), "p2"));
    const Event open = ev("info-1", 3, test::rome(2026, 12, 15, 8), TicketIssued{"anagrafe", "certificati"});
    OfficeState before(cfg);
    (void)before.apply(b1);
    (void)before.apply(b2);
    const Event snap = ev("kiosk-1", 1, test::rome(2026, 12, 15, 8, 0) + 1, make_agenda_snapshot(before.agenda(), 2).value().front());

    auto complete = Office::open(cfg, complete_dir.path(), clock, "kiosk-1").value();
    REQUIRE(complete->enable_lan(LanSettings{1, 1500}, &uplink).ok());
    REQUIRE(complete->apply_stream(std::vector<StreamedEvent>{{1, b1, 0}, {2, b2, 0}, {3, open, 0}, {4, snap, 0}}, 4).ok());

    auto joiner = Office::open(cfg, joiner_dir.path(), clock, "info-2").value();
    REQUIRE(joiner->enable_lan(LanSettings{2, 1500}, &uplink).ok());
    REQUIRE(joiner->note_stream_gap(1, 2).ok());  // messages 1-2 were gone when it read
    CHECK_FALSE(joiner->agenda_complete());
    REQUIRE(joiner->apply_stream(std::vector<StreamedEvent>{{3, open, 0}}, 3).ok());
    {
        const auto before_count = joiner->unconfirmed_count();
        auto refused = joiner->record_agenda(made(code(3), test::rome(2026, 12, 17, 9), "p3"));
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == "booking.agenda_incomplete");
        CHECK(joiner->unconfirmed_count() == before_count);  // nothing recorded
    }
    REQUIRE(joiner->apply_stream(std::vector<StreamedEvent>{{4, snap, 0}}, 4).ok());
    CHECK(joiner->agenda_complete());
    CHECK(joiner->agenda_snapshot_base() == 2);
    CHECK(joiner->confirmed_hash() == complete->confirmed_hash());
    joiner->read_confirmed([&](const OfficeState& s) {
        REQUIRE(s.agenda().find(code(2)));
        CHECK(s.agenda().find(code(2))->name == kNameOnOtherDevices);
    });
    // The taken place is refused by the agenda now, as on every device (judged on its view).
    auto full = joiner->record_agenda(made(code(3), test::rome(2026, 12, 17, 9), "p3"));
    REQUIRE(full.ok());
    CHECK_FALSE(full->applied);
    CHECK(full->code == "booking.full");
    // A restart takes the stored snapshot again.
    const auto hash = joiner->confirmed_hash();
    joiner.reset();
    joiner = Office::open(cfg, joiner_dir.path(), clock, "info-2").value();
    REQUIRE(joiner->enable_lan(LanSettings{2, 1500}, &uplink).ok());
    CHECK(joiner->agenda_complete());
    CHECK(joiner->confirmed_hash() == hash);
    CHECK(joiner->confirmed_hash() == complete->confirmed_hash());
}

}  // namespace agenda_snapshot_tests
