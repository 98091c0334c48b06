// The LAN link (shared/lan/lan_view.hpp), alone: the confirmed state, own pending events, the
// view over both, offline numbers, device indexes and what reaches the event bus — with no
// Office, no store, no network and no clock (events and times are made here).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "shared/lan/lan_view.hpp"
#include "tests/core/test_support.hpp"

namespace csc::test::lan_view_parts {

namespace {

const Millis kMorning = rome(2026, 11, 26, 9, 0);

Event event_of(const std::string& device, std::int64_t seq, EventBody body, Millis time = kMorning) {
    Event e;
    e.device = device;
    e.seq = seq;
    e.id = make_event_id(device, seq);
    e.time = time + seq;  // distinct times, in each device's order
    e.body = std::move(body);
    return e;
}

TicketIssued protocollo_ticket(std::optional<int> offline_number = std::nullopt) {
    TicketIssued t;
    t.sector = "protocollo";
    t.offline_number = offline_number;
    return t;
}

/// A LanView of device "kiosk-1" joined to an empty stream, with its bus.
struct Link {
    SiteConfig config = always_open_config();
    EventBus bus;
    LanView lan;
    explicit Link(int device_index = 1) : lan(config, "kiosk-1", LanSettings{device_index, 1500}, bus) {
        lan.join({}, {}, 0, 0);
    }
    /// Applies `events` as stream messages from sequence `first_seq` on, as one batch.
    void stream(const std::vector<Event>& events, std::uint64_t first_seq) {
        std::uint64_t seq = first_seq;
        for (const auto& e : events) lan.apply_confirmed(e, seq++, kMorning);
        lan.batch_done(seq - 1);
    }
    [[nodiscard]] std::string label_in_view(const std::string& ticket_id) const {
        const Ticket* t = lan.view().find_ticket(ticket_id);
        return t ? t->label : std::string("(none)");
    }
    [[nodiscard]] std::string label_confirmed(const std::string& ticket_id) const {
        const Ticket* t = lan.confirmed().find_ticket(ticket_id);
        return t ? t->label : std::string("(none)");
    }
};

/// The event types of a feed's items, and of own_confirmed ones apart.
struct Taken {
    bool reset = false;
    std::vector<std::string> applied, own_confirmed;
};
Taken take(EventFeed& feed) {
    Taken out;
    auto batch = feed.take();
    out.reset = batch.reset;
    for (const auto& i : batch.items)
        (i.own_confirmed ? out.own_confirmed : out.applied).push_back(i.event.id + " " + std::string(event_type(i.event.body)));
    return out;
}

}  // namespace

TEST_CASE("LAN view: a stream batch applies in stream order, each event reaches the feed once, and the view is the confirmed state") {
    Link link;
    auto feed = link.bus.subscribe({});
    (void)feed->take();  // the join's reset
    const Event b = event_of("kiosk-3", 1, protocollo_ticket());
    const Event a = event_of("kiosk-2", 1, protocollo_ticket());
    link.stream({b, a}, 1);  // kiosk-3's first, whatever the devices' clocks say
    CHECK(link.label_confirmed(b.id) == "C001");
    CHECK(link.label_confirmed(a.id) == "C002");
    CHECK(link.lan.view().state_hash() == link.lan.confirmed().state_hash());
    CHECK(link.lan.applied_seq() == 2);
    const Taken t = take(*feed);
    CHECK_FALSE(t.reset);
    CHECK(t.applied == std::vector<std::string>{b.id + " ticket.issued", a.id + " ticket.issued"});
    CHECK(t.own_confirmed.empty());
}

TEST_CASE("LAN view: own pending events are applied on top of the confirmed state, which they do not change") {
    Link link;
    const Event mine = event_of("kiosk-1", 1, protocollo_ticket());
    const std::uint64_t confirmed_before = link.lan.confirmed().state_hash();
    const ApplyResult r = link.lan.add_own(mine);
    CHECK(r.applied);
    CHECK(link.label_in_view(mine.id) == "C001");
    CHECK(link.label_confirmed(mine.id) == "(none)");
    CHECK(link.lan.confirmed().state_hash() == confirmed_before);
    CHECK(link.lan.unconfirmed_count() == 1);
    CHECK(link.lan.pending(mine.id));
    REQUIRE(link.lan.next_unconfirmed(0).has_value());
    CHECK(link.lan.next_unconfirmed(0)->id == mine.id);
    CHECK_FALSE(link.lan.next_unconfirmed(1).has_value());  // publish order: nothing after seq 1
    // Another device's event in the stream: the view is the confirmed state plus the own one.
    link.stream({event_of("kiosk-2", 1, protocollo_ticket())}, 1);
    CHECK(link.lan.view().waiting("protocollo") == 2);
    CHECK(link.lan.confirmed().waiting("protocollo") == 1);
}

TEST_CASE("LAN view: the stream confirming an own event ends it pending and tells a feed that asked, exactly once") {
    Link link;
    auto asked = link.bus.subscribe({}, 10'000, OwnConfirmations::Include);
    auto other = link.bus.subscribe({});
    const Event mine = event_of("kiosk-1", 1, protocollo_ticket());
    link.lan.add_own(mine);
    link.bus.publish(mine, ApplyResult{true, {}, mine.id});  // as the Office publishes it when recording
    (void)asked->take();
    (void)other->take();
    const std::uint64_t view_before = link.lan.view().state_hash();

    link.stream({mine}, 1);
    CHECK(link.lan.unconfirmed_count() == 0);
    CHECK_FALSE(link.lan.pending(mine.id));
    CHECK(link.label_confirmed(mine.id) == "C001");
    CHECK(link.lan.view().state_hash() == view_before);  // the view held it already
    REQUIRE(link.lan.confirmed_result(mine.id).has_value());
    CHECK(link.lan.confirmed_result(mine.id)->applied);
    const Taken t = take(*asked);
    CHECK_FALSE(t.reset);
    CHECK(t.applied.empty());  // published as applied when recorded, not again
    CHECK(t.own_confirmed == std::vector<std::string>{mine.id + " ticket.issued"});
    const Taken o = take(*other);
    CHECK_FALSE(o.reset);
    CHECK(o.applied.empty());
    CHECK(o.own_confirmed.empty());  // a feed that did not ask never sees confirmations
    // The same message again (a redelivery) is no second confirmation.
    link.stream({mine}, 2);
    CHECK(take(*asked).own_confirmed.empty());
}

TEST_CASE("LAN view: an own ticket the stream orders after another device's takes the number of the stream's order") {
    Link link;
    auto feed = link.bus.subscribe({}, 10'000, OwnConfirmations::Include);
    const Event mine = event_of("kiosk-1", 1, protocollo_ticket());
    link.lan.add_own(mine);
    CHECK(link.label_in_view(mine.id) == "C001");  // what the view said before the stream spoke
    (void)feed->take();
    const Event theirs = event_of("kiosk-2", 1, protocollo_ticket());
    link.stream({theirs, mine}, 1);
    CHECK(link.label_confirmed(theirs.id) == "C001");
    CHECK(link.label_confirmed(mine.id) == "C002");
    CHECK(link.label_in_view(mine.id) == "C002");
    CHECK(link.lan.view().state_hash() == link.lan.confirmed().state_hash());
    const Taken t = take(*feed);
    CHECK(t.reset);  // the own ticket's number, published when recorded, changed
}

TEST_CASE("LAN view: own events the stream confirms in another order than recorded: the view follows the stream's order") {
    Link link;
    const Event first = event_of("kiosk-1", 1, protocollo_ticket());
    const Event second = event_of("kiosk-1", 2, protocollo_ticket());
    link.lan.add_own(first);
    link.lan.add_own(second);
    CHECK(link.label_in_view(first.id) == "C001");
    CHECK(link.label_in_view(second.id) == "C002");
    link.stream({second}, 1);  // e.g. the first one's publish was lost and sent again later
    CHECK(link.lan.unconfirmed_count() == 1);
    CHECK(link.label_confirmed(second.id) == "C001");
    CHECK(link.label_in_view(second.id) == "C001");
    CHECK(link.label_in_view(first.id) == "C002");  // still pending, now after the confirmed one
    link.stream({first}, 2);
    CHECK(link.lan.view().state_hash() == link.lan.confirmed().state_hash());
}

TEST_CASE("LAN view: offline numbers come from the device's range, above every own offline ticket, never twice") {
    Link link(3);  // device index 3: 3001 … 3999
    auto n = link.lan.next_offline_number("protocollo");
    REQUIRE(n.ok());
    CHECK(*n == 3001);
    CHECK(*link.lan.next_offline_number("protocollo") == 3001);  // asking takes nothing
    link.lan.add_own(event_of("kiosk-1", 1, protocollo_ticket(3001)));
    CHECK(*link.lan.next_offline_number("protocollo") == 3002);
    link.lan.add_own(event_of("kiosk-1", 2, protocollo_ticket(3002)));
    link.stream({event_of("kiosk-1", 1, protocollo_ticket(3001))}, 1);  // confirmed: still counted
    CHECK(*link.lan.next_offline_number("protocollo") == 3003);
    CHECK(*link.lan.next_offline_number("anagrafe") == 3001);  // per sector
    // Another device's offline tickets are its own range's business.
    link.stream({event_of("kiosk-2", 1, protocollo_ticket(2005))}, 2);
    CHECK(*link.lan.next_offline_number("protocollo") == 3003);
    // The range's last number used: none left today, said plainly.
    link.lan.add_own(event_of("kiosk-1", 3, protocollo_ticket(3999)));
    auto used_up = link.lan.next_offline_number("protocollo");
    REQUIRE_FALSE(used_up.ok());
    CHECK(used_up.error().message == "the offline ticket range of this device is used up for today");
}

TEST_CASE("LAN view: two devices announcing the same device index conflict on that day, and only while they do") {
    Link link(2);
    const int today = link.config.timezone.day_key(kMorning);
    const int tomorrow = link.config.timezone.day_key(rome(2026, 11, 27, 9, 0));
    CHECK(link.lan.announcement_due(today));
    link.lan.add_own(event_of("kiosk-1", 1, DeviceHello{2}));
    link.lan.announced(today);
    CHECK_FALSE(link.lan.announcement_due(today));
    CHECK(link.lan.announcement_due(tomorrow));
    CHECK(link.lan.index_conflicts(today).empty());
    link.stream({event_of("kiosk-3", 1, DeviceHello{4}), event_of("kiosk-2", 1, DeviceHello{2})}, 1);
    CHECK(link.lan.index_conflicts(today) == std::vector<std::string>{"kiosk-2"});
    CHECK(link.lan.index_conflicts(tomorrow).empty());  // a hello counts for its day
    link.stream({event_of("kiosk-2", 2, DeviceHello{5})}, 3);  // kiosk-2 was given its own index
    CHECK(link.lan.index_conflicts(today).empty());
}

TEST_CASE("LAN view: a stream event the state machine refuses changes nothing and is not published; a refused own one ends in a reset") {
    Link link;
    auto feed = link.bus.subscribe({}, 10'000, OwnConfirmations::Include);
    link.stream({event_of("kiosk-2", 1, CounterOpened{1}), event_of("kiosk-2", 2, protocollo_ticket())}, 1);
    (void)feed->take();
    const std::uint64_t before = link.lan.confirmed().state_hash();
    link.stream({event_of("kiosk-2", 3, CounterOpened{7})}, 3);  // no counter 7
    CHECK(link.lan.confirmed().state_hash() == before);
    Taken t = take(*feed);
    CHECK_FALSE(t.reset);
    CHECK(t.applied.empty());
    // An own call on the view, then the stream puts another device's close of the counter first.
    const Event call = event_of("kiosk-1", 1, TicketCalled{1, {}});
    REQUIRE(link.lan.add_own(call).applied);
    CHECK_FALSE(link.lan.view().find_counter(1)->current.empty());
    link.stream({event_of("kiosk-2", 4, CounterClosed{1})}, 4);
    (void)feed->take();
    link.stream({call}, 5);
    CHECK(link.lan.unconfirmed_count() == 0);
    REQUIRE(link.lan.confirmed_result(call.id).has_value());
    CHECK_FALSE(link.lan.confirmed_result(call.id)->applied);
    CHECK(link.lan.view().find_counter(1)->current.empty());  // the view forgot the call
    CHECK(link.lan.view().waiting("protocollo") == 1);
    t = take(*feed);
    CHECK(t.reset);  // it was published as applied when recorded
    CHECK(t.own_confirmed.empty());
}

TEST_CASE("LAN view: a stream event set aside drops an own pending one as not applied") {
    Link link;
    const Event mine = event_of("kiosk-1", 1, protocollo_ticket());
    link.lan.add_own(mine);
    link.lan.set_aside(mine);
    CHECK(link.lan.unconfirmed_count() == 0);
    REQUIRE(link.lan.confirmed_result(mine.id).has_value());
    CHECK_FALSE(link.lan.confirmed_result(mine.id)->applied);
    CHECK(link.lan.view().waiting("protocollo") == 0);
}

TEST_CASE("LAN view: a gap in the stream read makes the agenda incomplete; a gap already known or already applied adds nothing") {
    Link link;
    link.stream({event_of("kiosk-2", 1, protocollo_ticket())}, 1);
    CHECK(link.lan.agenda_complete());
    CHECK_FALSE(link.lan.note_gap(1, 1).has_value());  // message 1 was applied: no gap
    CHECK(link.lan.note_gap(2, 9) == std::optional<std::uint64_t>{9});
    CHECK_FALSE(link.lan.agenda_complete());
    CHECK_FALSE(link.lan.note_gap(3, 8).has_value());
    link.lan.merge_gap(12);  // another program on the store noted a longer one
    CHECK(link.lan.note_gap(5, 12) == std::nullopt);
    CHECK(link.lan.agenda_snapshot_base() == 0);
}

}  // namespace csc::test::lan_view_parts
