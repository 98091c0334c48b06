// Encoder -> emulated printer: what comes out on (emulated) paper is what the caller asked
// for. Catches encoder bugs the golden bytes cannot (wrong code page numbers, lengths, ...).
#include <doctest/doctest.h>

#include <filesystem>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "drivers/printer/mono_image.hpp"
#include "drivers/printer/printer_admin.hpp"

using namespace csc::printer;

namespace {

Receipt full_ticket() {
    Receipt r;
    r.logo(std::make_shared<MonoImage>(MonoImage{64, 16, std::vector<std::uint8_t>(64 * 16, 1)}));
    r.text("Comune di Esempio", {1, 1, true, false, false, Align::Center});
    r.text("Anagrafe — Carta d'identità", {1, 1, false, false, false, Align::Center});
    r.text("A12", {4, 4, true, false, false, Align::Center});
    r.text("Diritti di segreteria: 5,42 €", {1, 1, false, false, false, Align::Left});
    r.text("Perché aspettare? Città, università", {1, 1, false, true, false, Align::Left});
    r.text(" PRIORITÀ ", {2, 2, false, false, true, Align::Right});
    r.rule();
    r.qr("https://example.invalid/t/A12?d=2026-11-26", 6);
    r.barcode128("A12-0001");
    r.feed(2);
    r.cut();
    return r;
}

}  // namespace

TEST_CASE("round trip: every profile prints the full ticket as written") {
    for (const auto& profile : active_profiles().profiles()) {
        CAPTURE(profile.id);
        std::vector<std::string> warnings;
        auto bytes = EscposEncoder(profile).encode(full_ticket(), &warnings);
        REQUIRE(bytes.ok());
        CHECK(warnings.empty());
        EmulatedPrinter printer(profile);
        printer.feed(*bytes);
        CHECK(printer.unknown_commands().empty());
        CHECK(printer.pending_bytes() == 0);
        std::vector<std::string> expected = {"Comune di Esempio", "Anagrafe - Carta d'identità", "A12",
                                             "Diritti di segreteria: 5,42 €", "Perché aspettare? Città, università",
                                             " PRIORITÀ "};
        if (profile.columns < 35) {  // 58 mm: the long line wraps at a word
            expected[4] = "Perché aspettare? Città,";
            expected.insert(expected.begin() + 5, "università");
        }
        CHECK(printer.text_lines() == expected);
        REQUIRE(printer.lines().size() == expected.size());
        CHECK(printer.lines()[0].style.bold);
        CHECK(printer.lines()[0].style.align == Align::Center);
        CHECK(printer.lines()[2].style.width == 4);
        CHECK(printer.lines()[2].style.height == 4);
        CHECK(printer.lines()[4].style.underline);
        CHECK(printer.lines().back().style.reverse);
        CHECK(printer.lines().back().style.align == Align::Right);
        CHECK(printer.barcodes() == std::vector<std::string>{"A12-0001"});
        CHECK(printer.cut_count() == (profile.cutter ? 1 : 0));
        if (profile.native_qr) {
            CHECK(printer.qr_codes() == std::vector<std::string>{"https://example.invalid/t/A12?d=2026-11-26"});
        } else {
            CHECK(printer.qr_codes().empty());
            // logo + rule + the QR drawn as raster
            CHECK(printer.images().size() >= 3);
        }
        auto png = std::filesystem::temp_directory_path() / ("csc-roundtrip-" + profile.id + ".png");
        REQUIRE(printer.write_png(png).ok());
        CHECK(std::filesystem::file_size(png) > 1000);
        CHECK(printer.width() == profile.dots_per_line);
    }
}

TEST_CASE("round trip: the emulated printer draws text, reverse and raster where expected") {
    auto profile = *find_profile("generic-80");
    EmulatedPrinter printer(profile);
    Receipt r;
    r.text("MMMM", {1, 1, false, false, false, Align::Right});
    r.text("    ", {1, 1, false, false, true, Align::Left});
    r.logo(std::make_shared<MonoImage>(MonoImage{16, 4, std::vector<std::uint8_t>(64, 1)}), Align::Center);
    printer.feed(*EscposEncoder(profile).encode(r));
    auto dark = [&](int x0, int x1, int y0, int y1) {
        int n = 0;
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) n += printer.pixel(x, y) < 128;
        return n;
    };
    // Right-aligned 4 chars = the last 48 dots of line 1 (rows 0..29).
    CHECK(dark(576 - 48, 576, 0, 30) > 100);
    CHECK(dark(0, 576 - 48, 0, 30) == 0);
    // Reverse spaces: a black block at the start of line 2.
    CHECK(dark(0, 48, 30, 54) == 48 * 24);
    // The 16x4 image centred below.
    CHECK(dark(280, 296, 60, 64) == 64);
    CHECK(printer.paper_height() == 64);
}

TEST_CASE("round trip: random bytes as text never become commands") {
    auto profile = *find_profile("epson-tm-t20iii");
    std::uint32_t seed = 12345;
    for (int round = 0; round < 200; ++round) {
        std::string text;
        for (int i = 0; i < 40; ++i) {
            seed = seed * 1664525u + 1013904223u;
            text.push_back(static_cast<char>(seed >> 24));
        }
        auto bytes = *EscposEncoder(profile).encode(Receipt().text(text));
        // After ESC @ ESC t n: only printable bytes, code-page switches and line feeds.
        for (std::size_t i = 5; i < bytes.size(); ++i) {
            if (bytes[i] == 0x1b) {
                REQUIRE(i + 2 < bytes.size());
                CHECK(bytes[i + 1] == 't');
                i += 2;
                continue;
            }
            CHECK((bytes[i] >= 0x20 || bytes[i] == 0x0a));
            CHECK(bytes[i] != 0x7f);
        }
        EmulatedPrinter printer(profile);
        printer.feed(bytes);
        CHECK(printer.unknown_commands().empty());
        CHECK(printer.cut_count() == 0);
    }
}

TEST_CASE("emulated transport: PNG per job, simulated paper trouble") {
    auto dir = std::filesystem::temp_directory_path() / "csc-emulated-transport";
    std::filesystem::remove_all(dir);
    auto spec = parse_printer_option("emulated:" + dir.string());
    REQUIRE(spec.ok());
    spec->profile = "generic-58";
    auto t = open_transport(*spec);
    REQUIRE(t.ok());
    auto* emu = dynamic_cast<EmulatedTransport*>(t->get());
    REQUIRE(emu != nullptr);
    auto profile = *find_profile("generic-58");
    auto job = *EscposEncoder(profile).encode(make_test_page(profile));

    auto o = emu->send(job);
    CHECK(o.printed);
    CHECK(o.bytes_accepted == job.size());
    CHECK(std::filesystem::exists(dir / "last-ticket.png"));
    CHECK(emu->printer().cut_count() == 0);  // generic-58 has no cutter
    CHECK(emu->printer().text_lines()[0] == "TEST PAGE");

    emu->simulate({.paper_near_end = true});
    o = emu->send(job);
    CHECK(o.printed);
    CHECK(o.status.paper_near_end);

    emu->simulate({.paper_runs_out_after = 100});
    o = emu->send(job);
    CHECK_FALSE(o.printed);
    CHECK(o.problem == PrintProblem::PaperEnd);
    CHECK(emu->status().paper_end);
    emu->load_paper();
    CHECK(emu->status().good());

    emu->simulate({.offline = true});
    o = emu->send(job);
    CHECK_FALSE(o.printed);
    CHECK(o.bytes_accepted == 0);
    CHECK(o.problem == PrintProblem::Offline);
}
