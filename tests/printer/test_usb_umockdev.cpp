// UsbTransport through libusb's real Linux backend (usbfs, udev enumeration, hotplug, URBs)
// against printers emulated with umockdev. Run under umockdev-wrapper (ctest does).
#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "drivers/printer/printer_admin.hpp"
#include "drivers/printer/usb_transport.hpp"
#include "tests/printer/fake_usb_printer.hpp"
#include "tests/printer/hex.hpp"

using namespace csc::printer;
using csc::printer::test::FakeUsbPrinter;
using csc::printer::test::hx;
using Clock = std::chrono::steady_clock;

namespace {

// One umockdev testbed per test; destroyed last (after libusb is closed: pitfall 7).
struct Testbed {
    UMockdevTestbed* bed = umockdev_testbed_new();
    Testbed() { REQUIRE_MESSAGE(umockdev_in_mock_environment(), "run this test under umockdev-wrapper"); }
    ~Testbed() { g_object_unref(bed); }
};

std::unique_ptr<UsbTransport> open_usb(const char* id, int write_ms = 500, int status_ms = 200) {
    UsbOptions o;
    if (id) o.id = *parse_usb_id(id);
    o.write_timeout_ms = write_ms;
    o.status_timeout_ms = status_ms;
    auto t = UsbTransport::create(o);
    REQUIRE_MESSAGE(t.ok(), t.error().message);
    return std::move(t).value();
}

std::vector<std::uint8_t> ticket_bytes(const char* profile = "epson-tm-t20iii") {
    Receipt r;
    r.logo(std::make_shared<MonoImage>(MonoImage{512, 128, std::vector<std::uint8_t>(512 * 128, 1)}));
    r.text("A12", {4, 4, true, false, false, Align::Center});
    r.text("Anagrafe — Città", {1, 1, false, false, false, Align::Center});
    r.qr("https://example.invalid/t/A12");
    r.cut();
    return *EscposEncoder(*find_profile(profile)).encode(r);
}

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace

TEST_CASE("usb: byte-exact job, usblp detached and given back, status after the job") {
    Testbed tb;
    FakeUsbPrinter printer(tb.bed, {});
    printer.plug();
    auto job = ticket_bytes();
    REQUIRE(job.size() > 4096);  // several bulk chunks
    {
        auto usb = open_usb("04b8:0e15");
        PrintJob pj(job);
        PrintOutcome o = pj.send_via(*usb);
        CHECK_MESSAGE(o.printed, o.reason);
        CHECK(o.bytes_accepted == job.size());
        CHECK(o.status.good());
        CHECK(printer.received() == job);
        CHECK_FALSE(printer.kernel_driver_attached());
        CHECK(printer.claims() == 1);
        CHECK(printer.status_requests() == 4);
        CHECK(usb->profile().id == "epson-tm-t20iii");  // matched by USB id
        CHECK(usb->describe().find("04b8:0e15 bus 1 device 5") != std::string::npos);
        // What reached the printer is what the encoder meant.
        EmulatedPrinter paper(usb->profile());
        paper.feed(printer.received());
        CHECK(paper.text_lines() == std::vector<std::string>{"A12", "Anagrafe - Città"});
        CHECK(paper.qr_codes() == std::vector<std::string>{"https://example.invalid/t/A12"});
    }
    CHECK(printer.kernel_driver_attached());  // reattached on close
}

TEST_CASE("usb: real-time status DLE EOT 1-4 decoded") {
    Testbed tb;
    FakeUsbPrinter printer(tb.bed, {});
    printer.plug();
    auto usb = open_usb("04b8:0e15");
    CHECK(usb->status().summary() == "online, paper OK");
    printer.set_status(0x12, 0x12, 0x12, 0x1e);
    auto near = usb->status();
    CHECK(near.good());
    CHECK(near.paper_near_end);
    printer.set_status(0x1a, 0x16, 0x12, 0x12);
    CHECK(usb->status().summary() == "offline: cover open");
    printer.set_status(0x1a, 0x32, 0x12, 0x72);
    CHECK(usb->status().summary() == "offline: paper end");
    printer.set_status(0x1a, 0x52, 0x1a, 0x12);
    auto cut = usb->status();
    CHECK(cut.cutter_error);
    CHECK_FALSE(cut.good());
}

TEST_CASE("usb: paper end in the middle of a job; the rest is sent once after reloading") {
    Testbed tb;
    FakeUsbPrinter printer(tb.bed, {});
    printer.plug();
    auto usb = open_usb("04b8:0e15", 200, 100);
    auto job = ticket_bytes();
    printer.set_room(1000);                        // the paper runs out here
    printer.set_status(0x1a, 0x32, 0x12, 0x72);  // and the printer says so
    PrintJob pj(job);
    auto t0 = Clock::now();
    PrintOutcome o = pj.send_via(*usb);
    CHECK(ms_since(t0) < 1500);
    CHECK_FALSE(o.printed);
    CHECK(o.problem == PrintProblem::PaperEnd);
    CHECK(o.bytes_accepted == 1000);
    CHECK(o.reason.find("1000 of") != std::string::npos);
    // Paper loaded.
    printer.set_status(0x12, 0x12, 0x12, 0x12);
    printer.set_room(SIZE_MAX);
    o = pj.send_via(*usb);
    CHECK_MESSAGE(o.printed, o.reason);
    CHECK(printer.received() == job);  // every byte exactly once
}

TEST_CASE("usb: cover open -> bytes accepted but not printed") {
    Testbed tb;
    FakeUsbPrinter printer(tb.bed, {});
    printer.plug();
    auto usb = open_usb("04b8:0e15");
    printer.set_status(0x1a, 0x16, 0x12, 0x12);
    PrintJob pj(hx("1b 40 'A1' 0a"));
    PrintOutcome o = pj.send_via(*usb);
    CHECK_FALSE(o.printed);
    CHECK(o.problem == PrintProblem::CoverOpen);
    printer.set_status(0x12, 0x12, 0x12, 0x12);
    o = pj.send_via(*usb);  // cover closed: only the status is read again
    CHECK(o.printed);
    CHECK(printer.received() == hx("1b 40 'A1' 0a"));
}

TEST_CASE("usb: a stalled printer that never accepts data times out quickly") {
    Testbed tb;
    FakeUsbPrinter printer(tb.bed, {});
    printer.plug();
    auto usb = open_usb("04b8:0e15", 150, 50);
    printer.set_stalled(true);
    auto job = ticket_bytes();
    PrintJob pj(job);
    auto t0 = Clock::now();
    PrintOutcome o = pj.send_via(*usb);
    double took = ms_since(t0);
    CHECK(took >= 140);
    CHECK(took < 1000);
    CHECK_FALSE(o.printed);
    CHECK(o.problem == PrintProblem::Stalled);
    CHECK(o.bytes_accepted == 0);
    CHECK_FALSE(o.status.known);
    printer.set_stalled(false);
    o = pj.send_via(*usb);
    CHECK_MESSAGE(o.printed, o.reason);
    CHECK(printer.received() == job);
}

TEST_CASE("usb: unplug in the middle of a job, re-plug, printing resumes without restart") {
    Testbed tb;
    FakeUsbPrinter printer(tb.bed, {});
    printer.plug();
    auto usb = open_usb("04b8:0e15", 3000, 200);
    auto job = ticket_bytes();
    printer.set_room(700);
    PrintJob pj(job);
    std::thread yank([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        printer.unplug();
    });
    auto t0 = Clock::now();
    PrintOutcome o = pj.send_via(*usb);
    yank.join();
    CHECK(ms_since(t0) < 2500);  // not the 3 s write timeout
    CHECK_FALSE(o.printed);
    CHECK(o.problem == PrintProblem::Disconnected);
    CHECK(o.bytes_accepted == 700);
    CHECK(printer.received_before_unplug().size() == 700);
    CHECK_FALSE(usb->status().known);
    CHECK_FALSE(usb->connected());

    printer.replug(7);
    auto t1 = Clock::now();
    while (!o.printed && ms_since(t1) < 3000) {
        o = pj.send_via(*usb);
        if (!o.printed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK_MESSAGE(o.printed, o.reason);
    CHECK(usb->connection_id() == 2);
    CHECK(usb->describe().find("device 7") != std::string::npos);
    // New connection: clear the printer's buffer (profile "recover"), then the whole job.
    auto expected = find_profile("epson-tm-t20iii")->recover_cmd;
    expected.insert(expected.end(), job.begin(), job.end());
    CHECK(printer.received() == expected);
}

TEST_CASE("usb: printer plugged in after the program started") {
    Testbed tb;
    auto usb = open_usb("04b8:0e15");
    PrintJob pj(hx("1b 40 'late' 0a"));
    PrintOutcome o = pj.send_via(*usb);
    CHECK(o.problem == PrintProblem::NotConnected);
    CHECK(o.reason == "no USB printer 04b8:0e15 connected");
    FakeUsbPrinter printer(tb.bed, {});
    printer.plug();
    auto t0 = Clock::now();
    while (!o.printed && ms_since(t0) < 3000) {
        o = pj.send_via(*usb);
        if (!o.printed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK_MESSAGE(o.printed, o.reason);
    CHECK(printer.received() == hx("1b 40 'late' 0a"));
    usb.reset();
}

TEST_CASE("usb: two printers attached, the configured one is chosen; list and status") {
    Testbed tb;
    FakeUsbPrinter epson(tb.bed, {});
    FakeUsbPrinter custom(tb.bed, {0x0dd4, 0x015d, 1, 6, "1-2", "CUSTOM", "VKP80III"});
    epson.plug();
    custom.plug();
    {
        auto usb = open_usb("0dd4:015d");
        PrintJob pj(hx("1b 40 'kiosk' 0a"));
        CHECK(pj.send_via(*usb).printed);
        CHECK(custom.received() == hx("1b 40 'kiosk' 0a"));
        CHECK(epson.received().empty());
        CHECK(usb->profile().id == "custom-vkp80iii");
    }
    auto found = list_usb_printers(active_profiles());
    REQUIRE(found.ok());
    REQUIRE(found->size() == 2);
    for (const auto& p : *found) {
        CHECK(p.printer_class);
        CHECK(p.exact_match);
        if (p.id.vendor == 0x04b8) {
            CHECK(p.profile_id == "epson-tm-t20iii");
            CHECK(p.product == "TM-T20II");
        } else {
            CHECK(p.profile_id == "custom-vkp80iii");
            CHECK(p.manufacturer == "CUSTOM");
        }
    }
    std::ostringstream out;
    CHECK(printer_list(out, active_profiles()) == 0);
    CHECK(out.str().find("0dd4:015d  CUSTOM VKP80III  profile custom-vkp80iii") != std::string::npos);
    // Then every profile in use, with the file it comes from, and the transport kinds.
    CHECK(out.str().find("printer/profiles.toml") != std::string::npos);
    CHECK(out.str().find("generic-58") != std::string::npos);
    CHECK(out.str().find("usb:VID:PID") != std::string::npos);

    custom.set_status(0x12, 0x12, 0x12, 0x1e);
    std::ostringstream st;
    CHECK(printer_status(*parse_printer_option("usb:0dd4:015d"), st) == 0);
    CHECK(st.str().find("status: online, paper near end") != std::string::npos);
    std::ostringstream tp;
    CHECK(printer_test_page(*parse_printer_option("usb:04b8:0e15"), "", std::nullopt, tp) == 0);
    CHECK(tp.str().find("printed") != std::string::npos);
    CHECK(epson.received().size() > 500);
}
