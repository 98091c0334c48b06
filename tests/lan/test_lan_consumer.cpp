// LAN sync when the stream's consumer cannot be created (issue 18), on a real nats-server: what a
// device lives through while the cluster elects a stream or meta leader, when every consumer
// creation request times out. The server stands in for the election by refusing this user's
// consumer creations (a refused publish only times out on the client, as an unanswered one does).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/lan/lan_device.hpp"
#include "tests/lan/nats_cluster.hpp"

using namespace csc;
using csc::testing::LanDevice;
using csc::testing::NatsCluster;
using csc::testing::TempDir;
using csc::testing::sleep_ms;
using csc::testing::sync_for;

// Before the fix (libnats' ordered consumer) about 1 creation in 100 that timed out left a freed
// subscription in the connection's table, because the consumer's missed-heartbeat timer (2 s)
// fired as the creation request timed out (2 s): the next message or the close read freed
// memory (SIGSEGV; an ASan report under tools/check.sh). 24 devices × ~6 attempts.
TEST_CASE("consumer creation timing out again and again, as in a leader election: no crash running or closing, then the devices catch up") {
    NatsCluster server({.nodes = 1,
                        .extra = "authorization { users = [ { user: \"kiosk\", password: \"p\" }, { user: \"electing\", "
                                 "password: \"p\", permissions: { publish: { deny: [\"$JS.API.CONSUMER.CREATE.>\", "
                                 "\"$JS.API.CONSUMER.DURABLE.CREATE.>\"] } } } ] }\n"});
    server.start_all();
    REQUIRE(server.wait_healthy(20000));
    TempDir root;
    auto as = [&](const std::string& user, int index) {
        auto cfg = sync_for("electing", index, server.urls());
        cfg.user = user;
        cfg.password = "p";
        return cfg;
    };
    LanDevice kiosk("kiosk", as("kiosk", 1), root.path);
    kiosk.open();
    REQUIRE(kiosk.catch_up(20000));
    for (int i = 0; i < 3; ++i) REQUIRE(kiosk.issue());
    REQUIRE(kiosk.catch_up(20000));

    constexpr int kDevices = 24;
    std::vector<std::unique_ptr<LanDevice>> electing;
    for (int i = 0; i < kDevices; ++i) {
        electing.push_back(std::make_unique<LanDevice>("dev-" + std::to_string(i), as("electing", 2 + i % 8), root.path));
        electing.back()->open();
    }
    sleep_ms(14000);  // each retries: 2 s timeout, then 0.1, 0.2, 0.4 … 2 s apart
    for (auto& d : electing) {
        const auto st = d->replicator->status();
        CHECK_MESSAGE(st.applied_seq == 0, d->name << " read the stream although it cannot create a consumer");
        CHECK_MESSAGE(!st.last_error.empty(), d->name << " reports no problem");
    }
    MESSAGE("while electing: " << electing.front()->replicator->status().last_error);
    for (auto& d : electing) d->close();  // closing after timed-out creations

    // The cluster answers again (here: the same stores with a user allowed to create consumers).
    for (auto& d : electing) {
        d->sync = as("kiosk", d->sync.device_index);
        d->open();
    }
    for (auto& d : electing) REQUIRE_MESSAGE(d->catch_up(30000), d->name << ": " << d->replicator->status().last_error);
    REQUIRE(kiosk.catch_up(20000));
    for (auto& d : electing) CHECK_MESSAGE(d->hash() == kiosk.hash(), d->name << " has another state");
}
