// The print spooler: a ticket that did not print is retried when the printer is back, the rest
// of a half-printed job comes out without a byte twice, and old failures are dropped.
#include <doctest/doctest.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"

using namespace csc;
using namespace std::chrono_literals;

namespace {

struct Reports {
    std::mutex m;
    std::condition_variable cv;
    std::vector<app::PrintReport> all;
    void add(const app::PrintReport& r) {
        std::lock_guard l(m);
        all.push_back(r);
        cv.notify_all();
    }
    bool wait_for(std::size_t n, std::chrono::milliseconds t = 5s) {
        std::unique_lock l(m);
        return cv.wait_for(l, t, [&] { return all.size() >= n; });
    }
};

std::unique_ptr<app::Context> context(const std::filesystem::path& data) {
    app::GlobalOptions o;
    o.assets = CSC_SOURCE_ASSETS;
    o.data = data;
    auto ctx = app::load_context(o);
    REQUIRE(ctx.ok());
    return std::move(*ctx);
}

IssuedTicket ticket(const std::string& label, int n) {
    IssuedTicket t;
    t.ticket.id = "kiosk-1:" + std::to_string(n);
    t.ticket.sector = "protocollo";
    t.ticket.label = label;
    t.ticket.number = n;
    t.ticket.lang = "it";
    t.ticket.issued_at = 1'795'000'000'000;
    return t;
}

std::filesystem::path temp_dir() {
    std::random_device rd;
    auto p = std::filesystem::temp_directory_path() / ("csc-spool-" + std::to_string(rd()));
    std::filesystem::create_directories(p);
    return p;
}

// An office context and an emulated printer of `profile_id` whose paper goes to DIR/paper; the
// transport is handed to the spooler, `printer` stays to simulate trouble.
struct EmulatedPrinterFixture {
    std::filesystem::path dir = temp_dir();
    std::unique_ptr<app::Context> ctx = context(dir);
    printer::Profile profile;
    std::unique_ptr<printer::EmulatedTransport> transport;
    printer::EmulatedTransport* printer = nullptr;

    explicit EmulatedPrinterFixture(const char* profile_id) {
        auto p = printer::find_profile(profile_id);
        REQUIRE(p.ok());
        profile = *p;
        std::filesystem::create_directories(dir / "paper");
        transport = std::make_unique<printer::EmulatedTransport>(profile, dir / "paper");
        printer = transport.get();
    }
    ~EmulatedPrinterFixture() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

}  // namespace

TEST_CASE("the ticket layout carries number, sector, people ahead, QR and a cut, translated") {
    const auto dir = temp_dir();
    auto ctx = context(dir);
    auto t = ticket("C007", 7);
    t.people_ahead = 4;
    t.forecast = WaitForecast{14.2, 9.6, 21.3, true};
    const auto it = app::make_ticket_receipt(ctx->config, ctx->translator, t, "it");
    const auto en = app::make_ticket_receipt(ctx->config, ctx->translator, t, "en");
    auto profile = printer::find_profile("epson-tm-t20iii");
    REQUIRE(profile.ok());
    printer::EmulatedPrinter paper(*profile);
    auto bytes = printer::EscposEncoder(*profile).encode(it);
    REQUIRE(bytes.ok());
    paper.feed(*bytes);
    std::string all;
    for (const auto& l : paper.text_lines()) all += l + "\n";
    CHECK(all.find("C007") != std::string::npos);
    CHECK(all.find("Protocollo") != std::string::npos);
    CHECK(all.find("Persone in attesa prima di lei: 4") != std::string::npos);
    INFO(all);
    CHECK(all.find("Attesa prevista 9-22 min") != std::string::npos);  // en dash transliterated on paper
    CHECK(all.find("chiusura") != std::string::npos);
    CHECK(paper.qr_codes().size() == 1);
    CHECK(paper.cut_count() == 1);
    CHECK(it != en);
    std::filesystem::remove_all(dir);
}

TEST_CASE("paper end: the ticket is retried after reloading, and no byte is sent twice") {
    EmulatedPrinterFixture f("epson-tm-t20iii");
    auto& ctx = f.ctx;
    auto* printer = f.printer;
    printer::EmulatedTransport::Simulation sim;
    sim.paper_runs_out_after = 300;  // mid-ticket
    printer->simulate(sim);
    Reports reports;
    {
        app::PrintSpooler spooler(*ctx, std::move(f.transport), [&](const app::PrintReport& r) { reports.add(r); }, 50ms, 60s);
        spooler.submit(ticket("C001", 1), "it");
        REQUIRE(reports.wait_for(1));
        CHECK_FALSE(reports.all[0].printed);
        CHECK(reports.all[0].message.find("paper") != std::string::npos);
        CHECK(spooler.pending() == 1);
        const auto sent_before = printer->total_bytes();
        CHECK(sent_before >= 300);
        REQUIRE(reports.wait_for(2));  // a retry while the paper is still out fails again
        CHECK_FALSE(reports.all[1].printed);
        printer->load_paper();
        // Eventually printed, once.
        bool printed = false;
        for (int i = 0; i < 100 && !printed; ++i) {
            reports.wait_for(reports.all.size() + 1, 200ms);
            std::lock_guard l(reports.m);
            printed = reports.all.back().printed;
        }
        CHECK(printed);
        CHECK(spooler.pending() == 0);
        // Whole job once: what the printer received equals one encoding of the ticket.
        auto one = printer::EscposEncoder(f.profile).encode(
            app::make_ticket_receipt(ctx->config, ctx->translator, ticket("C001", 1), "it"));
        REQUIRE(one.ok());
        CHECK(printer->total_bytes() == one->size());
    }
}

TEST_CASE("a ticket that cannot print within the retry window is dropped, later ones print") {
    EmulatedPrinterFixture f("generic-80");
    auto& ctx = f.ctx;
    auto* printer = f.printer;
    printer::EmulatedTransport::Simulation offline;
    offline.offline = true;
    printer->simulate(offline);
    Reports reports;
    app::PrintSpooler spooler(*ctx, std::move(f.transport), [&](const app::PrintReport& r) { reports.add(r); }, 30ms, 100ms);
    spooler.submit(ticket("C001", 1), "it");
    REQUIRE(reports.wait_for(1));
    CHECK_FALSE(reports.all[0].printed);
    std::this_thread::sleep_for(300ms);  // past the window
    printer->simulate({});
    spooler.submit(ticket("C002", 2), "it");
    bool printed_c002 = false;
    for (int i = 0; i < 50 && !printed_c002; ++i) {
        reports.wait_for(reports.all.size() + 1, 100ms);
        std::lock_guard l(reports.m);
        for (const auto& r : reports.all) printed_c002 |= r.printed && r.ticket_id == "kiosk-1:2";
    }
    CHECK(printed_c002);
    std::lock_guard l(reports.m);
    for (const auto& r : reports.all) CHECK_FALSE((r.printed && r.ticket_id == "kiosk-1:1"));
}

TEST_CASE("paper near end still prints, and the report says so for the staff alert") {
    EmulatedPrinterFixture f("epson-tm-t20iii");
    auto& ctx = f.ctx;
    auto* printer = f.printer;
    printer::EmulatedTransport::Simulation near_end;
    near_end.paper_near_end = true;
    printer->simulate(near_end);
    Reports reports;
    {
        app::PrintSpooler spooler(*ctx, std::move(f.transport), [&](const app::PrintReport& r) { reports.add(r); }, 50ms, 60s);
        spooler.submit(ticket("C001", 1), "it");
        REQUIRE(reports.wait_for(1));
        CHECK(reports.all[0].printed);
        CHECK(reports.all[0].status.paper_near_end);
        CHECK(spooler.last_status().paper_near_end);
        printer->simulate({});
        spooler.submit(ticket("C002", 2), "it");
        REQUIRE(reports.wait_for(2));
        CHECK(reports.all[1].printed);
        CHECK_FALSE(reports.all[1].status.paper_near_end);
    }
}
