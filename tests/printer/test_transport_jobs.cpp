#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "drivers/printer/printer_admin.hpp"
#include "drivers/printer/transport.hpp"
#include "tests/printer/hex.hpp"

using namespace csc::printer;
using csc::printer::test::hx;

namespace {

// A transport whose connection can be "re-plugged" by the test.
class ReplugTransport final : public Transport {
public:
    MemoryTransport inner;
    std::uint64_t connection = 1;
    PrintOutcome send(std::span<const std::uint8_t> job) override { return inner.send(job); }
    PrinterStatus status() override { return inner.status(); }
    std::string describe() const override { return "replug"; }
    std::uint64_t connection_id() const override { return connection; }
    std::vector<std::uint8_t> recovery_prefix() const override { return {0x10, 0x14, 0x08}; }
};

std::vector<std::uint8_t> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("PrintJob: after a stall only the bytes not yet accepted are sent again") {
    MemoryTransport t;
    t.set_accept_limit(5);
    PrintJob job(hx("01 02 03 04 05 06 07 08 09 0a"));
    auto o = job.send_via(t);
    CHECK_FALSE(o.printed);
    CHECK(o.problem == PrintProblem::Stalled);
    CHECK(o.bytes_accepted == 5);
    t.set_accept_limit(SIZE_MAX);
    o = job.send_via(t);
    CHECK(o.printed);
    CHECK(o.bytes_accepted == 10);
    CHECK(t.bytes() == hx("01 02 03 04 05 06 07 08 09 0a"));  // each byte exactly once
    CHECK(job.attempts() == 2);
}

TEST_CASE("PrintJob: bytes all accepted but paper end -> retry only re-reads the status") {
    MemoryTransport t;
    PrinterStatus paper_end;
    paper_end.known = true;
    paper_end.paper_end = true;
    t.set_status(paper_end);
    PrintJob job(hx("aa bb"));
    auto o = job.send_via(t);
    CHECK_FALSE(o.printed);
    CHECK(o.problem == PrintProblem::PaperEnd);
    o = job.send_via(t);
    CHECK_FALSE(o.printed);
    PrinterStatus good;
    good.known = good.online = true;
    t.set_status(good);
    o = job.send_via(t);
    CHECK(o.printed);
    CHECK(t.bytes() == hx("aa bb"));
}

TEST_CASE("PrintJob: a new connection restarts the job after the recovery prefix") {
    ReplugTransport t;
    t.inner.set_accept_limit(3);
    PrintJob job(hx("01 02 03 04 05"));
    CHECK_FALSE(job.send_via(t).printed);
    t.connection = 2;  // unplugged and plugged back
    t.inner.set_accept_limit(SIZE_MAX);
    auto o = job.send_via(t);
    CHECK(o.printed);
    CHECK(t.inner.bytes() == hx("01 02 03 | 10 14 08 | 01 02 03 04 05"));
}

TEST_CASE("parse_printer_option") {
    CHECK(parse_printer_option("usb")->kind == "usb");
    CHECK(parse_printer_option("usb:04B8:0E15")->usb_id == "04b8:0e15");
    CHECK_FALSE(parse_printer_option("usb:zz").ok());
    CHECK(parse_printer_option("emulated")->kind == "emulated");
    CHECK(parse_printer_option("emulated:/tmp/x.png")->path == "/tmp/x.png");
    CHECK(parse_printer_option("file:/tmp/out.bin")->path == "/tmp/out.bin");
    CHECK_FALSE(parse_printer_option("file:").ok());
    auto bad = parse_printer_option("lpt1");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("usb, usb:VID:PID, emulated") != std::string::npos);
    TransportSpec s{"emulated", "", "", "epson-t20"};
    auto t = open_transport(s);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().message.find("closest: epson-tm-t20iii") != std::string::npos);
}

TEST_CASE("file transport appends; printer test --output writes the ESC/POS test page") {
    auto dir = std::filesystem::temp_directory_path() / "csc-printer-file-test";
    std::filesystem::create_directories(dir);
    auto out = dir / "page.bin";
    std::filesystem::remove(out);
    FileTransport f(out);
    CHECK(f.send(hx("01 02")).printed);
    CHECK(f.send(hx("03")).printed);
    CHECK(read_file(out) == hx("01 02 03"));
    CHECK_FALSE(f.status().known);

    std::ostringstream log;
    int rc = printer_test_page(*parse_printer_option("usb"), "epson-tm-t88vi", out, log);
    CHECK_MESSAGE(rc == 0, log.str());
    auto bytes = read_file(out);
    auto profile = *find_profile("epson-tm-t88vi");
    CHECK(bytes == *EscposEncoder(profile).encode(make_test_page(profile)));
    EmulatedPrinter printer(profile);
    printer.feed(bytes);
    CHECK(printer.unknown_commands().empty());
    CHECK(printer.text_lines()[3] == "Accenti: àèéìòù ÀÈÉÌÒÙ  Prezzo: 2,50 €");
    CHECK(printer.cut_count() == 1);

    std::ostringstream bad;
    CHECK(printer_test_page(*parse_printer_option("usb"), "nope", out, bad) == 2);
    CHECK(bad.str().find("closest") != std::string::npos);
}
