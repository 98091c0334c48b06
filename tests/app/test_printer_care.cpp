// What maintenance keeps about a printer (issue 14, the service menu's printer page): the paper
// count across restarts and days, the chosen profile, the last ticket's preview, and the
// configured device commands.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "drivers/printer/printer_admin.hpp"
#include "kiosk/app/maintenance.hpp"
#include "kiosk/app/printing/printer_care.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"

using namespace csc;
using namespace std::chrono_literals;

namespace {

std::filesystem::path care_dir() {
    std::random_device rd;
    auto p = std::filesystem::temp_directory_path() / ("csc-care-" + std::to_string(rd()));
    std::filesystem::create_directories(p);
    return p;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("paper counter: kept across restarts, today's count starts again on a new day, a change resets the rest") {
    const auto dir = care_dir();
    const auto file = app::printer_care_file(dir, "entrance", "paper");
    CHECK(file == dir / "printer" / "entrance.paper");
    {
        app::PaperCounter c(file);
        CHECK(c.read(20261126).since_change == 0);
        c.printed(20261126);
        c.printed(20261126);
        c.printed(20261126);
    }
    {
        app::PaperCounter again(file);  // a restart
        const auto n = again.read(20261126);
        CHECK(n.today == 3);
        CHECK(n.since_change == 3);
        CHECK(again.read(20261127).today == 0);  // the next day: nothing printed yet
        CHECK(again.read(20261127).since_change == 3);
        again.printed(20261127);
        again.paper_changed(1'795'000'000'000, 20261127);
        again.printed(20261127);
    }
    app::PaperCounter third(file);
    const auto n = third.read(20261127);
    CHECK(n.today == 2);
    CHECK(n.since_change == 1);
    CHECK(n.changed_at == 1'795'000'000'000);
    CHECK_FALSE(std::filesystem::exists(file.string() + ".new"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("paper counter: a damaged file counts from zero again and is replaced on the next job, never a crash") {
    const auto dir = care_dir();
    const auto file = app::printer_care_file(dir, "infopoint", "paper");
    std::filesystem::create_directories(file.parent_path());
    for (const char* junk : {"", "garbage", "20261126 -4 2 0", "20261126 1 2 3 extra", "\xff\xfe\x00"}) {
        CAPTURE(junk);
        std::ofstream(file) << junk;
        app::PaperCounter c(file);
        CHECK(c.read(20261126).since_change == 0);
        c.printed(20261126);
        CHECK(slurp(file) == "20261126 1 1 0\n");
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("chosen profile: only an installed profile is kept; an unknown one in the file is ignored") {
    const auto dir = care_dir();
    const auto file = app::printer_care_file(dir, "entrance", "profile");
    CHECK(app::read_chosen_profile(file).empty());
    REQUIRE(app::write_chosen_profile(file, "generic-58").ok());
    CHECK(app::read_chosen_profile(file) == "generic-58");
    const auto refused = app::write_chosen_profile(file, "epson-tm-t2000");
    REQUIRE_FALSE(refused.ok());
    CHECK(app::read_chosen_profile(file) == "generic-58");  // the old choice stays
    std::ofstream(file) << "no-such-printer\n";
    CHECK(app::read_chosen_profile(file).empty());
    std::filesystem::remove_all(dir);
}

TEST_CASE("preview: the bytes sent are printed again and reduced, dark where the paper is printed") {
    auto profile = printer::find_profile("generic-80");
    REQUIRE(profile.ok());
    auto bytes = printer::EscposEncoder(*profile).encode(printer::make_test_page(*profile));
    REQUIRE(bytes.ok());
    printer::EmulatedPrinter full(*profile);
    full.feed(*bytes);
    const app::PaperImage img = app::render_paper(*bytes, *profile, 288);
    CHECK(img.width == full.width() / 2);
    CHECK(img.height == full.paper_height() / 2);
    REQUIRE(img.grey.size() == std::size_t(img.width) * std::size_t(img.height));
    std::size_t dark = 0, white = 0;
    for (const auto g : img.grey) {
        if (g < 128) ++dark;
        if (g == 255) ++white;
    }
    CHECK(dark > img.grey.size() / 100);
    CHECK(white > img.grey.size() / 2);
    CHECK(app::render_paper({}, *profile, 288).grey.empty());  // nothing printed: no picture
}

TEST_CASE("spooler care: the count grows with each job that came out, the chosen profile is used next, the last ticket is kept") {
    const auto dir = care_dir();
    app::GlobalOptions o;
    o.assets = CSC_SOURCE_ASSETS;
    o.data = dir;
    auto ctx = app::load_context(o);
    REQUIRE(ctx.ok());
    auto generic80 = printer::find_profile("generic-80");
    REQUIRE(generic80.ok());
    auto transport = std::make_unique<printer::EmulatedTransport>(*generic80, dir / "paper.png");
    std::mutex m;
    std::condition_variable cv;
    int done = 0;
    app::PrintSpooler spooler(**ctx, std::move(transport), [&](const app::PrintReport&) {
        std::lock_guard l(m);
        ++done;
        cv.notify_all();
    }, 50ms, 60s);
    spooler.keep_care("entrance");
    const auto wait = [&](int n) {
        std::unique_lock l(m);
        return cv.wait_for(l, 5s, [&] { return done >= n; });
    };
    CHECK_FALSE(spooler.last_ticket().has_value());
    IssuedTicket t;
    t.ticket.id = "kiosk-1:4";
    t.ticket.sector = "protocollo";
    t.ticket.label = "C004";
    t.ticket.number = 4;
    t.ticket.lang = "it";
    t.ticket.issued_at = (*ctx)->clock.now();
    spooler.submit(t, "it");
    REQUIRE(wait(1));
    auto last = spooler.last_ticket();
    REQUIRE(last.has_value());
    CHECK(last->label == "C004");
    CHECK(last->profile.id == spooler.profile_id());
    spooler.submit("booking:X1", printer::make_test_page(*generic80));  // a receipt: counted, never previewed
    REQUIRE(wait(2));
    CHECK(spooler.last_ticket()->id == "kiosk-1:4");
    CHECK(spooler.paper_count().since_change == 2);
    REQUIRE(spooler.choose_profile("generic-58").ok());
    CHECK(spooler.profile_id() == "generic-58");
    CHECK_FALSE(spooler.choose_profile("nonsense").ok());
    t.ticket.id = "kiosk-1:5";
    t.ticket.label = "C005";
    spooler.submit(t, "it");
    REQUIRE(wait(3));
    CHECK(spooler.last_ticket()->profile.id == "generic-58");
    spooler.paper_changed();
    CHECK(spooler.paper_count().since_change == 0);
    CHECK(spooler.paper_count().today == 3);
    CHECK(app::read_chosen_profile(app::printer_care_file(dir, "entrance", "profile")) == "generic-58");
    std::filesystem::remove_all(dir);
}

TEST_CASE("device commands: success, a failing command with its exit status, nothing configured") {
    const auto dir = care_dir();
    CHECK(app::run_device_command("touch '" + (dir / "rebooted").string() + "'").ok());
    CHECK(std::filesystem::exists(dir / "rebooted"));
    const auto failed = app::run_device_command("exit 3");
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().message.find("exit status 3") != std::string::npos);
    const auto none = app::run_device_command("");
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().message.find("no command") != std::string::npos);
    std::filesystem::remove_all(dir);
}
