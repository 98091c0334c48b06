// bench_lan — LAN sync figures for docs/PERFORMANCE.md, on a real 3-node cluster (127.0.0.1).
//   bench_lan [tickets=500] [catchup_events=20000]
#include <nats/nats.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "tests/lan/lan_device.hpp"
#include "tests/lan/nats_cluster.hpp"

using namespace csc;
using csc::testing::sync_for;
using Steady = std::chrono::steady_clock;

namespace {

double ms_since(Steady::time_point t0) {
    return std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
}

void report(const char* what, std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto pct = [&](double p) { return v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5))]; };
    std::printf("%-44s n=%zu  p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", what, v.size(), pct(0.5), pct(0.99), v.back());
}

}  // namespace

int main(int argc, char** argv) {
    const int tickets = argc > 1 ? std::atoi(argv[1]) : 500;
    const int catchup_events = argc > 2 ? std::atoi(argv[2]) : 20000;
    sync::set_sync_log([](const std::string&) {});
    testing::NatsCluster cluster({.nodes = 3});
    const auto t_start = Steady::now();
    cluster.start_all();
    if (!cluster.wait_healthy(60000)) {
        std::fprintf(stderr, "cluster did not become healthy\n");
        return 1;
    }
    char tmpl[] = "/tmp/csc-bench-lan-XXXXXX";
    const std::filesystem::path root = mkdtemp(tmpl);

    testing::LanDevice a("kiosk-a", sync_for("lat", 1, cluster.urls(), 'B'), root);
    testing::LanDevice b("display-b", sync_for("lat", 2, cluster.urls(), 'B'), root);
    testing::LanDevice counter("counter-1", sync_for("lat", 4, cluster.urls(), 'B'), root);
    a.open();
    b.open();
    counter.open();
    if (!a.catch_up(90000) || !b.catch_up(90000) || !counter.catch_up(90000)) {
        std::fprintf(stderr, "devices did not come online\n");
        return 1;
    }
    std::printf("cluster of 3 healthy and devices online after %.1f s\n", ms_since(t_start) / 1000);
    // A realistic standing queue: counter 1 serves whenever more than 30 people wait (the
    // forecast made at each tap grows with the queue; docs/PERFORMANCE.md).
    (void)counter.office->record_confirmed(CounterOpened{1});
    constexpr int kStandingQueue = 30;

    // 1. Tap to ticket: issue() returns once the stream has ordered the ticket (number known).
    // 2. Issued on A → visible in B's confirmed state.
    std::vector<double> tap, visible;
    int offline = 0;
    for (int i = 0; i < tickets; ++i) {
        const auto t0 = Steady::now();
        auto t = a.issue();
        tap.push_back(ms_since(t0));
        if (!t) {
            std::fprintf(stderr, "issue failed: %s\n", t.error().message.c_str());
            return 1;
        }
        offline += t->ticket.offline;
        const std::string id = t->ticket.id;
        for (;;) {
            const auto v = b.office->version();
            bool seen = false;
            b.office->read_confirmed([&](const OfficeState& s) { seen = s.find_ticket(id) != nullptr; });
            if (seen) break;
            b.office->wait_for_change(v, 100);
        }
        visible.push_back(ms_since(t0));
        int waiting = 0;
        counter.office->read([&](const OfficeState& s) { waiting = s.waiting("anagrafe"); });
        if (waiting > kStandingQueue && counter.office->record_confirmed(TicketCalled{1, ""}))
            (void)counter.office->record_confirmed(ServiceFinished{1, ""});
    }
    report("tap-to-ticket (3 nodes, R3, confirmed number)", tap);
    report("issued on A -> in B's confirmed state", visible);
    std::printf("offline fallbacks during the run: %d\n", offline);

    // 3. Catch-up after a day offline: C has been away while the office made a day of events
    // (published here straight into the stream, from 4 synthetic kiosks) and issued 50
    // offline tickets itself; then it reconnects.
    testing::LanDevice c("kiosk-c", sync_for("day", 3, cluster.urls(), 'B'), root);
    c.open();
    c.catch_up(60000);
    c.close();
    {
        natsConnection* nc = nullptr;
        jsCtx* js = nullptr;
        natsConnection_ConnectTo(&nc, cluster.url(0).c_str());
        jsOptions jo;
        jsOptions_Init(&jo);
        jo.PublishAsync.MaxPending = 4000;
        natsConnection_JetStream(&js, nc, &jo);
        const Millis now = SystemClock().now();
        for (int i = 0; i < catchup_events; ++i) {
            Event e;
            e.device = "kiosk-x" + std::to_string(i % 4);
            e.seq = i / 4 + 1;
            e.id = make_event_id(e.device, e.seq);
            e.time = now - (catchup_events - i);  // today, in order
            e.body = TicketIssued{i % 2 ? "anagrafe" : "protocollo", i % 2 ? "certificati" : ""};
            const std::string data = encode_event(e);
            const std::string subject = "b.day." + e.device;
            jsPubOptions po;
            jsPubOptions_Init(&po);
            po.MsgId = e.id.c_str();
            js_PublishAsync(js, subject.c_str(), data.data(), static_cast<int>(data.size()), &po);
        }
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = 60000;
        if (js_PublishAsyncComplete(js, &po) != NATS_OK) std::fprintf(stderr, "async publish incomplete\n");
        jsCtx_Destroy(js);
        natsConnection_Destroy(nc);
    }
    {
        auto o = Office::open(testing::sample_site(), c.dir, c.clock, c.name);
        LanSettings lan;
        lan.device_index = 3;
        (void)(*o)->enable_lan(lan, nullptr);  // offline: no uplink
        for (int i = 0; i < 50; ++i) {
            IssueRequest r;
            r.sector = "anagrafe";
            r.service = "certificati";
            (void)(*o)->issue(r);
        }
    }
    const auto t0 = Steady::now();
    c.open();
    const bool ok = c.catch_up(300000);
    const double secs = ms_since(t0) / 1000;
    std::printf("catch-up after a day offline: %d events + 50 own offline tickets in %.2f s = %.0f events/s%s\n",
                catchup_events, secs, catchup_events / secs, ok ? "" : " (DID NOT FINISH)");
    c.close();
    counter.close();
    a.close();
    b.close();
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
    return 0;
}
