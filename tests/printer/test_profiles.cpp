#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/printer/printer_status.hpp"
#include "drivers/printer/profile.hpp"
#include "drivers/printer/transport.hpp"
#include "shared/printer_transports.hpp"

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
    for (const auto& p : active_profiles().profiles())
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

TEST_CASE("profiles: the installed file is the catalog in use, read at run time") {
    const auto file = installed_profiles_file(CSC_SOURCE_ASSETS);
    CHECK(file.filename() == "profiles.toml");
    auto c = load_profile_catalog({file});
    REQUIRE_MESSAGE(c.ok(), c.error().message);
    CHECK(c->ids() == active_profiles().ids());
    CHECK(c->ids() == std::vector<std::string>{"epson-tm-t20iii", "epson-tm-t88vi", "custom-vkp80iii", "generic-80", "generic-58"});
    CHECK(c->match_usb(*parse_usb_id("04b8:0e28"))->id == "epson-tm-t20iii");
    CHECK(c->match_usb(*parse_usb_id("04b8:0202"))->id == "epson-tm-t88vi");
    CHECK(c->match_usb(*parse_usb_id("1234:5678")) == nullptr);
    // The conversion from the old text format kept every value and every quirk with its reason.
    const Profile t20 = *c->find("epson-tm-t20iii");
    CHECK(t20.code_pages == std::vector<CodePageChoice>{{"cp858", 19}, {"cp850", 2}, {"wpc1252", 16}, {"cp437", 0}});
    CHECK(t20.recover_cmd == std::vector<std::uint8_t>{0x10, 0x14, 0x08, 0x01, 0x03, 0x14, 0x01, 0x06, 0x02, 0x08});
    CHECK(t20.source.rfind(file.string() + ":", 0) == 0);
    const Profile vkp = *c->find("custom-vkp80iii");
    CHECK(vkp.present_cmd == std::vector<std::uint8_t>{0x1d, 0x65, 0x03, 0x0c});
    CHECK(vkp.eject_cmd == std::vector<std::uint8_t>{0x1d, 0x65, 0x05});
    CHECK(vkp.retract_cmd == std::vector<std::uint8_t>{0x1d, 0x65, 0x02});
    CHECK(vkp.has_quirk("present-needs-cut"));
    const Profile g58 = *c->find("generic-58");
    CHECK_FALSE(g58.cutter);
    CHECK_FALSE(g58.native_qr);
    REQUIRE(g58.quirks.size() == 1);
    CHECK(g58.quirks[0].reason.find("4 KiB line buffer") != std::string::npos);
    CHECK(c->find("generic-80")->has_quirk("cut-simple"));
    CHECK(c->find("generic-80")->code_pages.front().name == "cp850");
}

TEST_CASE("profiles: a site file adds a model and a quirk without rebuilding") {
    ProfileCatalog c = *load_profile_catalog({installed_profiles_file(CSC_SOURCE_ASSETS)});
    const std::string site = R"toml(
[[profile]]
id = "star-tsp143"
name = "Star TSP143 (site)"
usb = ["0519:0003"]
dots = 576
codepages = ["cp858:4"]
cutter = "full"

[[profile]]
id = "generic-58"      # the site's own 58 mm printer has a cutter
name = "Generic 58 mm with cutter"
dots = 384
columns = 32
cutter = "full"

[[quirk]]
profile = "star-tsp143"
name = "unidir"
reason = "Star TSP143 in Star mode has no IN endpoint: no status"

[[quirk]]
profile = "epson-tm-t88vi"
name = "cut-simple"
reason = "this office's TM-T88VI clone ignores GS V 65"
)toml";
    REQUIRE(c.add(site, "/etc/csc-kiosk/printer-profiles.toml").ok());
    CHECK(c.files().size() == 2);
    auto star = c.find("star-tsp143");
    REQUIRE(star.ok());
    CHECK(star->name == "Star TSP143 (site)");
    CHECK_FALSE(star->realtime_status);
    CHECK_FALSE(star->partial_cut);
    CHECK(star->source == "/etc/csc-kiosk/printer-profiles.toml:2");
    CHECK(c.match_usb(*parse_usb_id("0519:0003"))->id == "star-tsp143");
    CHECK(c.find("generic-58")->cutter);         // replaced by the site's definition
    CHECK(c.find("generic-58")->quirks.empty());  // the installed quirks went with it
    CHECK(c.find("epson-tm-t88vi")->has_quirk("cut-simple"));
    CHECK(c.ids().size() == 6);
}

TEST_CASE("profiles: file errors say FILE:LINE:COL and the problem") {
    auto bad = ProfileCatalog::parse("[[profile]]\nid = \"x\"\ndots = 577\n", "t.toml");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "t.toml:3:8: dots in profile x must be a multiple of 8");
    auto cp = ProfileCatalog::parse("[[profile]]\nid = \"x\"\ncodepages = [\"cp999:3\"]\n", "t.toml");
    REQUIRE_FALSE(cp.ok());
    CHECK(cp.error().message.rfind("t.toml:3:", 0) == 0);
    CHECK(cp.error().message.find("unknown code page 'cp999'") != std::string::npos);
    auto quirk = ProfileCatalog::parse("[[profile]]\nid = \"x\"\n[[quirk]]\nprofile = \"y\"\nname = \"cut-simple\"\nreason = \"why\"\n", "t.toml");
    REQUIRE_FALSE(quirk.ok());
    CHECK(quirk.error().message.rfind("t.toml:4:", 0) == 0);
    CHECK(quirk.error().message.find("quirk for unknown profile 'y'") != std::string::npos);
    auto noreason = ProfileCatalog::parse("[[profile]]\nid = \"x\"\n[[quirk]]\nprofile = \"x\"\nname = \"cut-simple\"\n", "t.toml");
    REQUIRE_FALSE(noreason.ok());
    CHECK(noreason.error().message.rfind("t.toml:3:", 0) == 0);
    CHECK(noreason.error().message.find("needs a reason") != std::string::npos);
    auto unknown = ProfileCatalog::parse("[[profile]]\nid = \"x\"\n[[quirk]]\nprofile = \"x\"\nname = \"fly\"\nreason = \"why\"\n", "t.toml");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message.find("unknown quirk 'fly'") != std::string::npos);
    auto key = ProfileCatalog::parse("[[profile]]\nid = \"x\"\ndost = 576\n", "t.toml");
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().message.rfind("t.toml:3:", 0) == 0);
    CHECK(key.error().message.find("dots") != std::string::npos);  // did you mean
    auto byte = ProfileCatalog::parse("[[profile]]\nid = \"x\"\nrecover = [0x10, 256]\n", "t.toml");
    REQUIRE_FALSE(byte.ok());
    CHECK(byte.error().message.rfind("t.toml:3:18:", 0) == 0);
    auto twice = ProfileCatalog::parse("[[profile]]\nid = \"x\"\n[[profile]]\nid = \"x\"\n", "t.toml");
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().message.find("defined twice") != std::string::npos);
    auto syntax = ProfileCatalog::parse("[[profile]]\nid = x\n", "t.toml");
    REQUIRE_FALSE(syntax.ok());
    CHECK(syntax.error().message.rfind("t.toml:2:", 0) == 0);
    auto missing = load_profile_catalog({"/nonexistent/profiles.toml"});
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("/nonexistent/profiles.toml") != std::string::npos);
    auto unidir = ProfileCatalog::parse("[[profile]]\nid = \"x\"\n[[quirk]]\nprofile = \"x\"\nname = \"unidir\"\nreason = \"Star-like printer without IN endpoint\"\n", "t.toml");
    REQUIRE(unidir.ok());
    CHECK_FALSE(unidir->find("x")->realtime_status);
    // A failed add leaves the catalog as it was.
    ProfileCatalog c = *unidir;
    CHECK_FALSE(c.add("[[profile]]\nid = \"z\"\ndots = 7\n", "u.toml").ok());
    CHECK(c.ids() == std::vector<std::string>{"x"});
}

TEST_CASE("transport kinds: one table for --printer, the configuration and the docs") {
    for (const auto& kind : csc::kPrinterTransportKinds) {
        CAPTURE(kind.name);
        if (kind.name == "auto") continue;  // resolved by the program from the configuration
        auto spec = parse_printer_option(kind.name == "file" ? "file:/tmp/x.bin" : std::string(kind.name));
        REQUIRE_MESSAGE(spec.ok(), spec.error().message);
        CHECK(spec->kind == kind.name);
    }
    auto bad = parse_printer_option("serial:/dev/ttyS0");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find(csc::printer_transport_names(true)) != std::string::npos);
    // docs/PRINTER.md lists every kind the table has.
    std::ifstream doc(std::string(CSC_SOURCE_ASSETS) + "/../docs/PRINTER.md");
    REQUIRE(doc);
    std::stringstream text;
    text << doc.rdbuf();
    for (const auto& kind : csc::kPrinterTransportKinds)
        CHECK_MESSAGE(text.str().find("| `" + std::string(kind.name) + "` |") != std::string::npos,
                      "docs/PRINTER.md has no table row for transport " << kind.name);
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
