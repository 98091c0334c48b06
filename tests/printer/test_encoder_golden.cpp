// Golden bytes: every expected sequence below is written by hand from the ESC/POS command
// reference, not produced by the encoder.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "drivers/printer/escpos_encoder.hpp"
#include "drivers/printer/mono_image.hpp"
#include "tests/printer/hex.hpp"

using namespace csc::printer;
using csc::printer::test::hx;
using csc::printer::test::to_hex;

namespace {

std::vector<std::uint8_t> enc(const char* profile, const Receipt& r, std::vector<std::string>* warnings = nullptr) {
    auto p = find_profile(profile);
    REQUIRE(p.ok());
    auto bytes = EscposEncoder(*p).encode(r, warnings);
    REQUIRE(bytes.ok());
    return *bytes;
}

#define CHECK_BYTES(actual, expected) CHECK_MESSAGE((actual) == (expected), "got      ", to_hex(actual), "\nexpected ", to_hex(expected))

}  // namespace

TEST_CASE("golden: plain line, init and code page") {
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().text("Hello")), hx("1b 40 1b 74 13 'Hello' 0a"));
    CHECK_BYTES(enc("generic-80", Receipt().text("Hello")), hx("1b 40 1b 74 02 'Hello' 0a"));
}

TEST_CASE("golden: sizes, bold, underline, reverse, alignment") {
    TextStyle s{2, 3, true, true, true, Align::Center};
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().text("A", s)),
                hx("1b 40 1b 74 13 | 1b 61 01 | 1d 21 12 | 1b 45 01 | 1b 2d 01 | 1d 42 01 | 'A' 0a"));
    // Only changes are sent; back to plain resets each mode once.
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().text("A", s).text("B", s).text("C")),
                hx("1b 40 1b 74 13 | 1b 61 01 1d 21 12 1b 45 01 1b 2d 01 1d 42 01 'A' 0a | 'B' 0a |"
                   " 1b 61 00 1d 21 00 1b 45 00 1b 2d 00 1d 42 00 'C' 0a"));
    // 8x is the maximum; larger requests are clamped.
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().text("X", {9, 8})), hx("1b 40 1b 74 13 1d 21 77 'X' 0a"));
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().text("R", {1, 1, false, false, false, Align::Right})),
                hx("1b 40 1b 74 13 1b 61 02 'R' 0a"));
}

TEST_CASE("golden: Italian accents and the euro sign per code page") {
    // cp858 (ESC t 19 on Epson): à 85 è 8a é 82 ì 8d ò 95 ù 97 € d5; È d4 À b7 Ì de Ò e3 Ù eb
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().text("àèéìòù€ ÀÈÌÒÙ")),
                hx("1b 40 1b 74 13 85 8a 82 8d 95 97 d5 20 b7 d4 de e3 eb 0a"));
    // generic: cp850 first; the euro switches to cp858 mid-line and stays there.
    CHECK_BYTES(enc("generic-80", Receipt().text("Perché è € 5")),
                hx("1b 40 1b 74 02 'Perch' 82 20 8a 20 1b 74 13 d5 ' 5' 0a"));
    // Look-alikes for characters no code page has; unknown ones become '?'.
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().text("L’ufficio – “A” 日")), hx("1b 40 1b 74 13 'L' 27 'ufficio - ' 22 'A' 22 ' ?' 0a"));
}

TEST_CASE("golden: control bytes in text never reach the printer as commands") {
    // A sector name or a citizen's name with ESC @, GS V (cut), DLE EOT, NUL and C1 CSI inside.
    const char raw[] = "A\x1b@B\x1dV\x00" "C\x10\x04\x01\x7f\xc2\x9b" "D";
    std::string evil(raw, sizeof raw - 1);
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().text(evil)), hx("1b 40 1b 74 13 'A@BVCD' 0a"));
    // Invalid UTF-8 (a lone 0x9b, 0x1b in a broken sequence) prints '?', never a raw byte.
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().text("x\x9b" "y\xe2\x1b" "z")), hx("1b 40 1b 74 13 'x?y?z' 0a"));
    // A newline splits the paragraph: our own LF, not the caller's bytes.
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().text("a\r\nb\tc")), hx("1b 40 1b 74 13 'a' 0a 'b c' 0a"));
    std::vector<std::string> warnings;
    (void)enc("epson-tm-t20iii", Receipt().text("x\x1by"), &warnings);
    CHECK(warnings.size() == 1);
}

TEST_CASE("golden: word wrap at the profile's columns") {
    // generic-58: 32 columns; at width 2: 16.
    CHECK_BYTES(enc("generic-58", Receipt().text("Ufficio Anagrafe sportello 12", {2, 1})),
                hx("1b 40 1b 74 02 1d 21 10 'Ufficio Anagrafe' 0a 'sportello 12' 0a"));
    CHECK_BYTES(enc("generic-58", Receipt().text("ABCDEFGHIJKLMNOPQRS", {2, 2})),
                hx("1b 40 1b 74 02 1d 21 11 'ABCDEFGHIJKLMNOP' 0a 'QRS' 0a"));
}

TEST_CASE("golden: native QR (GS ( k), model 2, module size, error correction M") {
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().qr("AB", 4)),
                hx("1b 40 1b 74 13 1b 61 01"
                   " 1d 28 6b 04 00 31 41 32 00"
                   " 1d 28 6b 03 00 31 43 04"
                   " 1d 28 6b 03 00 31 45 31"
                   " 1d 28 6b 05 00 31 50 30 'AB'"
                   " 1d 28 6b 03 00 31 51 30 0a"));
    // QR data is length-prefixed: control bytes in it stay data.
    auto b = enc("epson-tm-t20iii", Receipt().qr(std::string("\x1b@", 2), 4));
    CHECK_BYTES(std::vector<std::uint8_t>(b.begin() + 33, b.begin() + 42), hx("1d 28 6b 05 00 31 50 30 1b"));
}

TEST_CASE("golden: QR raster fallback on a printer without GS ( k") {
    auto b = enc("generic-58", Receipt().qr("AB", 2));
    // "AB" is a version 1 symbol: 21 modules + 2x4 quiet = 29 modules x 2 dots = 58 dots ->
    // 8 bytes per row, 58 rows (one band: generic-58 bands are 64 rows).
    CHECK_BYTES(std::vector<std::uint8_t>(b.begin(), b.begin() + 16), hx("1b 40 1b 74 02 1b 61 01 1d 76 30 00 08 00 3a 00"));
    CHECK(b.size() == 16 + 8 * 58);
    // First module row of the finder pattern: quiet zone (8 dots) then 7 black modules (14 dots).
    std::size_t row = 16 + 8 * 8;  // dot row 8 = first symbol row
    CHECK_BYTES(std::vector<std::uint8_t>(b.begin() + row, b.begin() + row + 3), hx("00 ff fc"));
}

TEST_CASE("golden: Code128") {
    // Even digit count: code set C, two digits per symbol (12 34 56 78).
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().barcode128("12345678")),
                hx("1b 40 1b 74 13 1b 61 01 1d 68 50 1d 77 02 1d 48 02 1d 66 00 1d 6b 49 06 7b 43 0c 22 38 4e 0a"));
    // Code set B; a literal brace is sent as "{{".
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().barcode128("A{1")),
                hx("1b 40 1b 74 13 1b 61 01 1d 68 50 1d 77 02 1d 48 02 1d 66 00 1d 6b 49 06 7b 42 'A{{1' 0a"));
    std::vector<std::string> w;
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().barcode128("A\x1b" "B"), &w), hx("1b 40 1b 74 13"));
    CHECK(w.size() == 1);
}

TEST_CASE("golden: feed, cut per profile, rule") {
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().feed(3)), hx("1b 40 1b 74 13 1b 64 03"));
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().cut()), hx("1b 40 1b 74 13 1d 56 41 00"));
    CHECK_BYTES(enc("epson-tm-t88vi", Receipt().cut(true)), hx("1b 40 1b 74 13 1d 56 42 00"));
    CHECK_BYTES(enc("generic-80", Receipt().cut()), hx("1b 40 1b 74 02 1b 64 05 1d 56 00"));  // quirk cut-simple
    CHECK_BYTES(enc("generic-80", Receipt().cut(true)), hx("1b 40 1b 74 02 1b 64 05 1d 56 01"));
    CHECK_BYTES(enc("generic-58", Receipt().cut()), hx("1b 40 1b 74 02 1b 64 04"));            // no cutter
    std::vector<std::uint8_t> rule = hx("1b 40 1b 74 02 1d 76 30 00 30 00 02 00");           // 48 bytes x 2 rows
    rule.insert(rule.end(), 96, 0xff);
    CHECK_BYTES(enc("generic-58", Receipt().rule()), rule);
}

TEST_CASE("golden: raster logo from a pre-loaded image, banded by quirk") {
    auto img = std::make_shared<MonoImage>(MonoImage{10, 2, {1, 0, 1, 0, 1, 0, 1, 0, 1, 1,  //
                                                             0, 0, 0, 0, 0, 0, 0, 0, 0, 1}});
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().logo(img, Align::Left)),
                hx("1b 40 1b 74 13 1d 76 30 00 02 00 02 00 aa c0 00 40"));
    // generic-58 quirk raster-band-rows 64: a 100-row image goes as 64 + 36 rows.
    auto tall = std::make_shared<MonoImage>(MonoImage{8, 100, std::vector<std::uint8_t>(800, 1)});
    auto b = enc("generic-58", Receipt().logo(tall));
    std::vector<std::uint8_t> expect = hx("1b 40 1b 74 02 1b 61 01 1d 76 30 00 01 00 40 00");
    expect.insert(expect.end(), 64, 0xff);
    for (auto v : hx("1d 76 30 00 01 00 24 00")) expect.push_back(v);
    expect.insert(expect.end(), 36, 0xff);
    CHECK_BYTES(b, expect);
}

TEST_CASE("golden: presenter on the kiosk printer, ignored elsewhere") {
    // custom-vkp80iii quirk present-needs-cut: a cut is inserted before GS e.
    CHECK_BYTES(enc("custom-vkp80iii", Receipt().text("X").present()),
                hx("1b 40 1b 74 13 'X' 0a 1d 56 41 00 1d 65 03 0c"));
    CHECK_BYTES(enc("custom-vkp80iii", Receipt().text("X").cut().eject()), hx("1b 40 1b 74 13 'X' 0a 1d 56 41 00 1d 65 05"));
    CHECK_BYTES(EscposEncoder(*find_profile("custom-vkp80iii")).presenter_command(PresenterAction::Retract), hx("1d 65 02"));
    std::vector<std::string> w;
    CHECK_BYTES(enc("epson-tm-t20iii", Receipt().present(), &w), hx("1b 40 1b 74 13"));
    CHECK(w.size() == 1);
}

TEST_CASE("golden: the same small ticket on every profile") {
    Receipt r;
    r.text("Caffè 1 €").cut();
    CHECK_BYTES(enc("epson-tm-t20iii", r), hx("1b 40 1b 74 13 'Caff' 8a ' 1 ' d5 0a 1d 56 41 00"));
    CHECK_BYTES(enc("epson-tm-t88vi", r), hx("1b 40 1b 74 13 'Caff' 8a ' 1 ' d5 0a 1d 56 41 00"));
    CHECK_BYTES(enc("custom-vkp80iii", r), hx("1b 40 1b 74 13 'Caff' 8a ' 1 ' d5 0a 1d 56 41 00"));
    CHECK_BYTES(enc("generic-80", r), hx("1b 40 1b 74 02 'Caff' 8a ' 1 ' 1b 74 13 d5 0a 1b 64 05 1d 56 00"));
    CHECK_BYTES(enc("generic-58", r), hx("1b 40 1b 74 02 'Caff' 8a ' 1 ' 1b 74 13 d5 0a 1b 64 04"));
}

TEST_CASE("logo: missing, huge, corrupt -> clear warning, ticket without it") {
    auto dir = std::filesystem::temp_directory_path() / "csc-printer-logo-test";
    std::filesystem::create_directories(dir);
    auto corrupt = dir / "corrupt.png";
    std::ofstream(corrupt, std::ios::binary) << "\x89PNG\r\n\x1a\nthis is not a png";
    auto bigfile = dir / "big.png";
    {
        std::ofstream f(bigfile, std::ios::binary);
        std::string block(1 << 20, 'x');
        for (int i = 0; i < 3; ++i) f << block;
    }
    // A valid header claiming 100000 x 100000 pixels (decompression bomb).
    auto bomb = dir / "bomb.png";
    {
        std::vector<std::uint8_t> b = hx("89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 'IHDR' 00 01 86 a0 00 01 86 a0 08 00 00 00 00 00 00 00 00");
        std::ofstream(bomb, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
    }
    struct Case { std::filesystem::path path; const char* words; };
    for (const Case& c : {Case{dir / "missing.png", "not found"}, Case{corrupt, "not a readable PNG"},
                          Case{bigfile, "too large"}, Case{bomb, "too large"}}) {
        CAPTURE(c.path);
        std::vector<std::string> w;
        auto b = enc("epson-tm-t20iii", Receipt().logo(c.path).text("A12"), &w);
        CHECK_BYTES(b, hx("1b 40 1b 74 13 'A12' 0a"));
        REQUIRE(w.size() == 1);
        CHECK(w[0].find(c.words) != std::string::npos);
        CHECK(w[0].find(c.path.filename().string()) != std::string::npos);
    }
}

TEST_CASE("logo: a real PNG is scaled to the paper and dithered to 1 bit") {
    auto dir = std::filesystem::temp_directory_path() / "csc-printer-logo-test";
    std::filesystem::create_directories(dir);
    auto png = dir / "gradient.png";
    int w = 800, h = 100;  // wider than 576 dots: scaled down
    std::vector<std::uint8_t> grey(std::size_t(w) * h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) grey[std::size_t(y) * w + x] = std::uint8_t(x * 255 / (w - 1));
    REQUIRE(write_grey_png(png, grey, w, h).ok());
    auto img = load_logo(png, 576);
    REQUIRE(img.ok());
    CHECK(img->width == 576);
    CHECK(img->height == 72);
    // Dark on the left, light on the right.
    int left = 0, right = 0;
    for (int y = 0; y < img->height; ++y)
        for (int x = 0; x < 50; ++x) left += img->at(x, y), right += img->at(575 - x, y);
    CHECK(left > 3000);
    CHECK(right < 300);
}

// Regression guard for the whole test page (every element type). Unlike the hand-written
// cases above, this file was produced by the encoder after checking its output on the emulated
// printer; it catches unintended changes. Regenerate with CSC_UPDATE_GOLDEN=1 after a
// deliberate change, and review the diff.
#include <cstdlib>
#include <iterator>
#include <sstream>

#include "drivers/printer/printer_admin.hpp"

TEST_CASE("golden file: test page per profile") {
    for (const auto& profile : active_profiles().profiles()) {
        CAPTURE(profile.id);
        auto bytes = *EscposEncoder(profile).encode(make_test_page(profile));
        std::string hex = to_hex(bytes);
        std::string wrapped;
        for (std::size_t i = 0; i < hex.size(); i += 96) wrapped += hex.substr(i, 96) + "\n";
        auto path = std::filesystem::path(CSC_PRINTER_GOLDEN_DIR) / ("testpage-" + profile.id + ".hex");
        if (std::getenv("CSC_UPDATE_GOLDEN")) std::ofstream(path) << wrapped;
        std::ifstream in(path);
        REQUIRE_MESSAGE(in.good(), "missing ", path.string(), " (run with CSC_UPDATE_GOLDEN=1)");
        std::string expected((std::istreambuf_iterator<char>(in)), {});
        CHECK(wrapped == expected);
    }
}
