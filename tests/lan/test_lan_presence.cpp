// Programs' statuses on the LAN (issue 15 point 5, docs/WEB.md "Devices"): a device's status
// reaches the others' DATA/presence through the cluster, never the stream; a forged or malformed
// one is refused and the next good one still arrives.
// Test suite "presence": ctest runs it as `lan_presence` (tests/lan/CMakeLists.txt).
#include <doctest/doctest.h>

#include "kiosk/app/presence_beacon.hpp"
#include "shared/presence/presence_board.hpp"
#include "tests/lan/lan_device.hpp"
#include "tests/lan/nats_cluster.hpp"

using namespace csc;
using csc::testing::LanDevice;
using csc::testing::TempDir;
using csc::testing::eventually;
using csc::testing::sync_for;

namespace {

presence::DeviceStatus counter_status(const std::string& device, int printed_marker) {
    presence::DeviceStatus s;
    s.device = device;
    s.role = "counter";
    s.counter = 2;
    s.sent = 1'780'000'000'000;
    s.started = s.sent - printed_marker;  // tells one status from the next
    s.sync = presence::SyncPresence{true, 10, 12, 1, ""};
    return s;
}

std::optional<presence::DeviceStatus> heard(const LanDevice& d, const std::string& key) {
    for (const auto& h : presence::read_board(d.dir, d.clock.now()).statuses)
        if (presence::presence_key(h.status) == key) return h.status;
    return std::nullopt;
}

}  // namespace

TEST_SUITE("presence") {

TEST_CASE("presence on the LAN: a device's status reaches the other device, forged and malformed ones never do") {
    csc::testing::NatsCluster* cluster = csc::testing::shared_office_cluster();
    REQUIRE(cluster);
    TempDir root;
    LanDevice a("desk-a", sync_for("presence", 1, cluster->urls()), root.path);
    LanDevice b("desk-b", sync_for("presence", 2, cluster->urls()), root.path);
    for (auto* d : {&a, &b}) d->sync.presence_subject = "t_presence.run" + std::to_string(::getpid());
    for (auto* d : {&a, &b}) d->open();
    for (auto* d : {&a, &b}) REQUIRE(d->catch_up(60000));
    app::keep_heard_statuses(*a.replicator, a.dir, a.clock, "desk-a");
    REQUIRE(b.issue().ok());
    REQUIRE(a.catch_up(20000));
    REQUIRE(b.catch_up(20000));
    const std::uint64_t stream_before = a.replicator->status().stream_last_seq;

    // B's status arrives at A (resent, as a beacon does, until the subscription is in place).
    const presence::DeviceStatus good = counter_status("desk-b", 1);
    REQUIRE(eventually(10000, [&] {
        b.replicator->send_presence(presence::write_device_status(good));
        return heard(a, "desk-b.counter2") == good;
    }));

    // Forged (B speaking for another device), malformed, then a good one again.
    b.replicator->send_presence(presence::write_device_status(counter_status("desk-z", 2)));
    csc::testing::sleep_ms(300);
    b.replicator->send_presence("{\"v\":1,\"device\":");
    csc::testing::sleep_ms(300);
    b.replicator->send_presence(std::string(5000, '{'));
    csc::testing::sleep_ms(300);
    const presence::DeviceStatus next = counter_status("desk-b", 3);
    REQUIRE(eventually(10000, [&] {
        b.replicator->send_presence(presence::write_device_status(next));
        return heard(a, "desk-b.counter2") == next;
    }));
    CHECK_FALSE(heard(a, "desk-z.counter2"));
    CHECK(presence::read_board(a.dir, a.clock.now()).problems.empty());  // refused ones leave no file

    // A's own status is not written by what A hears (its programs write their own).
    presence::DeviceStatus own = counter_status("desk-a", 4);
    a.replicator->send_presence(presence::write_device_status(own));
    csc::testing::sleep_ms(500);
    CHECK_FALSE(heard(a, "desk-a.counter2"));

    // None of it went into the office's stream.
    REQUIRE(a.catch_up(20000));
    CHECK(a.replicator->status().stream_last_seq == stream_before);
    CHECK(a.hash() == b.hash());
}

}  // TEST_SUITE
