#include <doctest/doctest.h>

#include "drivers/printer/printer_status.hpp"
#include "drivers/printer/profile.hpp"

using namespace csc::printer;

TEST_CASE("profiles: the five required models exist with their capabilities") {
    for (const char* id : {"epson-tm-t20iii", "epson-tm-t88vi", "custom-vkp80iii", "generic-80", "generic-58"}) {
        CAPTURE(id);
        auto p = find_profile(id);
        REQUIRE(p.ok());
        CHECK(!p->code_pages.empty());
        CHECK(p->dots_per_line % 8 == 0);
    }
    CHECK(find_profile("generic-58")->dots_per_line == 384);
    CHECK(find_profile("generic-80")->dots_per_line == 576);
    CHECK(find_profile("epson-tm-t20iii")->code_page_number("cp858") == 19);
    CHECK_FALSE(find_profile("generic-58")->native_qr);
    CHECK(find_profile("custom-vkp80iii")->has_presenter());
    CHECK_FALSE(find_profile("epson-tm-t88vi")->has_presenter());
    CHECK(find_profile("generic-58")->quirk_value("raster-band-rows", 0) == 64);
    // Quirks carry their reason.
    for (const auto& p : builtin_profiles().profiles())
        for (const auto& q : p.quirks) CHECK(!q.reason.empty());
}

TEST_CASE("profiles: unknown name lists the closest names") {
    auto p = find_profile("epson-tm-t20");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("epson-tm-t20iii") != std::string::npos);
    auto q = find_profile("generic80");
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().message.rfind("unknown printer profile 'generic80'; closest: generic-80", 0) == 0);
}

TEST_CASE("profiles: the assets file parses and matches the built-in copy") {
    auto c = load_profile_catalog(std::string(CSC_SOURCE_ASSETS) + "/printer/profiles.txt");
    REQUIRE_MESSAGE(c.ok(), c.error().message);
    CHECK(c->ids() == builtin_profiles().ids());
    CHECK(c->match_usb(*parse_usb_id("04b8:0e28"))->id == "epson-tm-t20iii");
    CHECK(c->match_usb(*parse_usb_id("1234:5678")) == nullptr);
}

TEST_CASE("profiles: format errors name the line") {
    auto bad = ProfileCatalog::parse("profile x\n  dots 577\n", "t.txt");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "t.txt:2: dots must be a multiple of 8");
    auto cp = ProfileCatalog::parse("profile x\n  codepages cp999:3\n", "t.txt");
    REQUIRE_FALSE(cp.ok());
    CHECK(cp.error().message.find("unknown code page 'cp999'") != std::string::npos);
    auto quirk = ProfileCatalog::parse("profile x\nquirk y cut-simple # why\n", "t.txt");
    REQUIRE_FALSE(quirk.ok());
    CHECK(quirk.error().message.find("quirk for unknown profile 'y'") != std::string::npos);
    auto noreason = ProfileCatalog::parse("profile x\nquirk x cut-simple\n", "t.txt");
    REQUIRE_FALSE(noreason.ok());
    CHECK(noreason.error().message.find("reason") != std::string::npos);
    auto unknown = ProfileCatalog::parse("profile x\nquirk x fly 1 # why\n", "t.txt");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message.find("unknown quirk 'fly'") != std::string::npos);
    auto unidir = ProfileCatalog::parse("profile x\nquirk x unidir # Star-like printer without IN endpoint\n", "t.txt");
    REQUIRE(unidir.ok());
    CHECK_FALSE(unidir->find("x")->realtime_status);
}

TEST_CASE("status: DLE EOT answers decoded from the table") {
    auto ok = decode_status_bytes(0x12, 0x12, 0x12, 0x12);
    CHECK(ok.known);
    CHECK(ok.good());
    CHECK(ok.summary() == "online, paper OK");
    auto near = decode_status_bytes(0x12, 0x12, 0x12, 0x1e);
    CHECK(near.good());
    CHECK(near.paper_near_end);
    CHECK(near.summary() == "online, paper near end");
    auto end = decode_status_bytes(0x1a, 0x32, 0x12, 0x72);
    CHECK_FALSE(end.good());
    CHECK(end.paper_end);
    CHECK_FALSE(end.online);
    CHECK(end.summary() == "offline: paper end");
    auto cover = decode_status_bytes(0x1a, 0x16, 0x12, 0x12);
    CHECK(cover.cover_open);
    CHECK(cover.summary() == "offline: cover open");
    auto cutter = decode_status_bytes(0x1a, 0x52, 0x1a, 0x12);
    CHECK(cutter.error);
    CHECK(cutter.cutter_error);
    CHECK(cutter.summary() == "offline: cutter error");
    auto unrec = decode_status_bytes(0x1a, 0x52, 0x32, 0x12);
    CHECK(unrec.unrecoverable_error);
    auto junk = decode_status_bytes(0xff, 0x12, 0x12, 0x12);
    CHECK_FALSE(junk.known);
    CHECK_FALSE(junk.good());
    CHECK(PrinterStatus{}.summary().rfind("unknown", 0) == 0);
}
