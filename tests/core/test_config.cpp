// Site configuration: the shipped sample loads; every kind of mistake names file, line, problem.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "shared/config.hpp"

using namespace csc;

namespace {

const std::string kMinimal = R"(
[office]
name = "CSC"
[hours]
monday = ["08:30-12:30"]
[[sector]]
id = "anagrafe"
letter = "A"
colour = "#1F5FAD"
name = { it = "Anagrafe", en = "Registry" }
[[counter]]
number = 1
sectors = ["anagrafe"]
)";

std::string error_of(const std::string& text) {
    auto r = parse_site_config(text, "office.toml");
    REQUIRE_FALSE(r.ok());
    return r.error().message;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("the shipped sample office loads with the four CSC sectors") {
    auto cfg = load_site_config(std::string(CSC_SOURCE_ASSETS) + "/site/office.toml");
    REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error().message));
    REQUIRE(cfg->sectors.size() == 4);
    CHECK(cfg->sectors[0].name.get("it") == "Anagrafe");
    CHECK(cfg->sectors[0].name.get("en") == "Registry office");
    CHECK(cfg->find_sector("polifunzionale")->services.size() == 5);
    CHECK(cfg->find_sector("protocollo")->services.empty());
    // Distinct colours and letters, and readable text on every sector colour.
    for (std::size_t i = 0; i < cfg->sectors.size(); ++i) {
        CHECK(contrast_ratio(cfg->sectors[i].colour, cfg->sectors[i].text_colour) >= 4.5);
        for (std::size_t j = i + 1; j < cfg->sectors.size(); ++j) {
            CHECK(cfg->sectors[i].colour != cfg->sectors[j].colour);
            CHECK(cfg->sectors[i].letter != cfg->sectors[j].letter);
        }
    }
    CHECK(cfg->find_counter(2)->sectors == std::vector<std::string>{"anagrafe", "stato-civile"});
    CHECK(cfg->timezone.name() == "Europe/Rome");
}

TEST_CASE("a minimal file loads and defaults are sensible") {
    auto cfg = parse_site_config(kMinimal, "office.toml");
    REQUIRE(cfg.ok());
    CHECK(cfg->languages == std::vector<std::string>{"it", "en"});
    CHECK(cfg->printer.transport == "auto");
    CHECK(cfg->kiosk.confirm_seconds == 8);
    CHECK(cfg->hours.weekly[0].size() == 1);
    CHECK(cfg->hours.weekly[0][0].begin == 8 * 60 + 30);
}

TEST_CASE("errors name the file, the line and the problem") {
    SUBCASE("TOML syntax") {
        const auto msg = error_of("[office]\nname = \"x\n");
        CHECK(msg.rfind("office.toml:2:", 0) == 0);
    }
    SUBCASE("unknown key with a suggestion") {
        const auto msg = error_of(replace(kMinimal, "colour = ", "colur = \"#000000\"\ncolour = "));
        INFO(msg);
        CHECK(msg.find("office.toml:9:") == 0);
        CHECK(msg.find("unknown key \"colur\"") != std::string::npos);
        CHECK(msg.find("did you mean \"colour\"") != std::string::npos);
    }
    SUBCASE("bad colour") {
        const auto msg = error_of(replace(kMinimal, "#1F5FAD", "blue"));
        CHECK(msg.find("office.toml:9:") == 0);
        CHECK(msg.find("#RRGGBB") != std::string::npos);
    }
    SUBCASE("colour with too little contrast for text") {
        const auto msg = error_of(replace(kMinimal, "#1F5FAD", "#797979"));
        CHECK(msg.find("contrast") != std::string::npos);
    }
    SUBCASE("counter serving an unknown sector") {
        const auto msg = error_of(replace(kMinimal, "sectors = [\"anagrafe\"]", "sectors = [\"anagrafee\"]"));
        CHECK(msg.find("office.toml:13:") == 0);
        CHECK(msg.find("unknown sector \"anagrafee\"") != std::string::npos);
        CHECK(msg.find("did you mean \"anagrafe\"") != std::string::npos);
    }
    SUBCASE("duplicate letter") {
        const auto msg = error_of(kMinimal + "[[sector]]\nid = \"b\"\nletter = \"A\"\ncolour = \"#7A2E8C\"\nname = \"B\"\n");
        INFO(msg);
        CHECK(msg.find("office.toml:16:") == 0);
        CHECK(msg.find("already used") != std::string::npos);
    }
    SUBCASE("bad opening hours") {
        const auto msg = error_of(replace(kMinimal, "08:30-12:30", "12:30-08:30"));
        CHECK(msg.find("office.toml:5:") == 0);
        CHECK(msg.find("time range") != std::string::npos);
    }
    SUBCASE("missing sector name in the default language") {
        const auto msg = error_of(replace(kMinimal, "name = { it = \"Anagrafe\", en = \"Registry\" }", "name = { en = \"Registry\" }"));
        CHECK(msg.find("\"it\"") != std::string::npos);
    }
    SUBCASE("unknown time zone") {
        const auto msg = error_of(replace(kMinimal, "name = \"CSC\"", "name = \"CSC\"\ntimezone = \"Mars/Base\""));
        CHECK(msg.find("office.toml:4:") == 0);
        CHECK(msg.find("Europe/Rome") != std::string::npos);
    }
    SUBCASE("no sectors") {
        const auto msg = error_of("[office]\nname = \"x\"\n[hours]\nmonday = []\n");
        CHECK(msg.find("no [[sector]]") != std::string::npos);
    }
    SUBCASE("events compacted sooner than the forecast's history") {
        const auto msg = error_of(kMinimal + "[statistics]\ncompact_after_days = 30\n");
        INFO(msg);
        CHECK(msg.find("office.toml:15:") == 0);
        CHECK(msg.find("0 (never) or at least 62") != std::string::npos);
    }
    SUBCASE("an export disk that is not a device") {
        const auto msg = error_of(kMinimal + "[service_menu]\nexport_device = \"/media/usb; rm -rf /\"\n");
        INFO(msg);
        CHECK(msg.find("office.toml:15:") == 0);
        CHECK(msg.find("a device under /dev/") != std::string::npos);
    }
}

TEST_CASE("a file that cannot be read is named") {
    auto r = load_site_config("/nonexistent/office.toml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("/nonexistent/office.toml") == 0);
}

TEST_CASE("opening hours answer open / closes at / next opening") {
    auto cfg = parse_site_config(kMinimal + "[hours.x]\n", "o.toml");  // wrong on purpose: [hours.x] is unknown
    CHECK_FALSE(cfg.ok());
    auto ok = parse_site_config(replace(kMinimal, "monday = [\"08:30-12:30\"]",
                                        "monday = [\"08:30-12:30\", \"14:00-16:00\"]\nclosed = [\"2026-12-07\"]"),
                                "o.toml");
    REQUIRE(ok.ok());
    OfficeTimeZone rome;
    // Monday 2026-11-30 10:00 local.
    auto t = rome.to_local(rome.from_local({2026, 11, 30}, 10 * 60));
    CHECK(t.weekday == 0);
    CHECK(ok->hours.is_open(t));
    CHECK(ok->hours.closes_at(t) == 12 * 60 + 30);
    auto lunch = rome.to_local(rome.from_local({2026, 11, 30}, 13 * 60));
    CHECK_FALSE(ok->hours.is_open(lunch));
    auto next = ok->hours.next_opening(lunch);
    REQUIRE(next);
    CHECK(next->first == Date{2026, 11, 30});
    CHECK(next->second == 14 * 60);
    // After Monday's close the next opening skips the closed Monday 7 December.
    auto evening = rome.to_local(rome.from_local({2026, 11, 30}, 18 * 60));
    next = ok->hours.next_opening(evening);
    REQUIRE(next);
    CHECK(next->first == Date{2026, 12, 14});
}

TEST_CASE("config: [printer] transport from the one table, profiles = the site's file beside it") {
    auto cfg = parse_site_config(kMinimal + "[printer]\ntransport = \"file\"\noutput = \"/tmp/t.bin\"\n"
                                            "profiles = \"printer-profiles.toml\"\n",
                                 "/etc/csc-kiosk/office.toml");
    REQUIRE_MESSAGE(cfg.ok(), cfg.error().message);
    CHECK(cfg->printer.site_profiles == "/etc/csc-kiosk/printer-profiles.toml");
    CHECK(cfg->printer.site_profiles_line > 0);
    auto absolute = parse_site_config(kMinimal + "[printer]\nprofiles = \"/srv/p.toml\"\n", "/etc/csc-kiosk/office.toml");
    REQUIRE(absolute.ok());
    CHECK(absolute->printer.site_profiles == "/srv/p.toml");
    CHECK(parse_site_config(kMinimal, "office.toml")->printer.site_profiles.empty());

    const auto serial = error_of(kMinimal + "[printer]\ntransport = \"serial\"\n");
    CHECK(serial.find("office.toml:15:13:") == 0);
    CHECK(serial.find("auto, usb, emulated, file") != std::string::npos);
    // memory is for tests: --printer takes it, the configuration does not.
    CHECK(error_of(kMinimal + "[printer]\ntransport = \"memory\"\n").find("must be one of") != std::string::npos);
}

TEST_CASE("config: [infopoint] idle sign-out, countdown and its own printer, checked with file and line") {
    auto defaults = parse_site_config(kMinimal, "office.toml");
    REQUIRE(defaults.ok());
    CHECK(defaults->infopoint.idle_sign_out_s == 180);
    CHECK(defaults->infopoint.countdown_s == 20);
    CHECK(defaults->infopoint.printer.empty());
    auto set = parse_site_config(kMinimal + "[infopoint]\nidle_sign_out_s = 60\ncountdown_s = 10\nprinter = \"usb:04b8:0e15\"\n",
                                 "office.toml");
    REQUIRE(set.ok());
    CHECK(set->infopoint.idle_sign_out_s == 60);
    CHECK(set->infopoint.countdown_s == 10);
    CHECK(set->infopoint.printer == "usb:04b8:0e15");
    const std::string base = kMinimal + "[infopoint]\n";
    const int line = static_cast<int>(std::count(base.begin(), base.end(), '\n')) + 1;  // the first key's line
    const std::string at = "office.toml:" + std::to_string(line) + ":";
    auto msg = error_of(base + "countdown_s = 30\nidle_sign_out_s = 20\n");
    INFO(msg);
    CHECK(msg.rfind(at, 0) == 0);
    CHECK(msg.find("shorter than infopoint.idle_sign_out_s") != std::string::npos);
    msg = error_of(base + "idle_sign_out_s = 2\n");
    CHECK(msg.rfind(at, 0) == 0);
    msg = error_of(base + "printer = \"fax\"\n");
    CHECK(msg.rfind(at, 0) == 0);
    CHECK(msg.find("infopoint.printer") != std::string::npos);
    msg = error_of(base + "idle_sign_out = 60\n");
    CHECK(msg.find("did you mean \"idle_sign_out_s\"") != std::string::npos);
}

TEST_CASE("config: the stream may keep events no longer than bookings' personal data (retention_days <= keep_days), with file and line") {
    const std::string sync = "[sync]\nservers = [\"nats://127.0.0.1:4222\"]\ndevice_index = 1\n";
    auto line_of = [](const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1; };
    // Defaults: 14 <= 30.
    auto fine = parse_site_config(kMinimal + sync, "office.toml");
    REQUIRE_MESSAGE(fine.ok(), (fine.ok() ? "" : fine.error().message));
    CHECK(fine->sync.retention_days == 14);
    CHECK(parse_site_config(kMinimal + sync + "retention_days = 30\n", "office.toml").ok());
    // Too long a retention: the message points at retention_days.
    const std::string base = kMinimal + sync;
    auto msg = error_of(base + "retention_days = 31\n");
    INFO(msg);
    CHECK(msg.rfind("office.toml:" + std::to_string(line_of(base)) + ":", 0) == 0);
    CHECK(msg.find("sync.retention_days (31) must be at most booking.keep_days (30)") != std::string::npos);
    // The default retention with a shorter keep_days: the message points at keep_days.
    const std::string booking = kMinimal + sync + "[booking]\n";
    msg = error_of(booking + "keep_days = 10\n");
    CHECK(msg.rfind("office.toml:" + std::to_string(line_of(booking)) + ":", 0) == 0);
    CHECK(msg.find("sync.retention_days (14) must be at most booking.keep_days (10)") != std::string::npos);
    // Without [sync] there is no stream: any keep_days is fine.
    CHECK(parse_site_config(kMinimal + "[booking]\nkeep_days = 3\n", "office.toml").ok());
}

TEST_CASE("config: programs' statuses never go on the events' subject (they would be stored in the stream), with the line") {
    const std::string sync = "[sync]\nservers = [\"nats://127.0.0.1:4222\"]\ndevice_index = 1\n";
    auto fine = parse_site_config(kMinimal + sync, "office.toml");
    REQUIRE(fine.ok());
    CHECK(fine->sync.presence_subject == "csc.presence");
    CHECK(parse_site_config(kMinimal + sync + "presence_subject = \"town.status\"\n", "office.toml")->sync.presence_subject ==
          "town.status");
    for (const char* bad : {"csc.events", "csc.events.status"}) {
        const std::string text = kMinimal + sync + "presence_subject = \"" + bad + "\"\n";
        const std::string msg = error_of(text);
        INFO(msg);
        CHECK(msg.rfind("office.toml:" + std::to_string(std::count(text.begin(), text.end(), '\n')) + ":", 0) == 0);
        CHECK(msg.find("would be stored in the stream") != std::string::npos);
    }
}

TEST_CASE("config: [web] role must be a role of kiosk run and needs listen, each refusal with its line") {
    const std::string web = kMinimal + "[web]\nlisten = \"0.0.0.0:8080\"\n";
    auto fine = parse_site_config(web + "role = \"display\"\n", "office.toml");
    REQUIRE_MESSAGE(fine.ok(), (fine.ok() ? "" : fine.error().message));
    CHECK(fine->web.role == "display");
    const std::string typo = web + "role = \"dispaly\"\n";
    std::string msg = error_of(typo);
    INFO(msg);
    CHECK(msg.rfind("office.toml:" + std::to_string(std::count(typo.begin(), typo.end(), '\n')) + ":", 0) == 0);
    CHECK(msg.find("web.role: \"dispaly\" is not a role of `kiosk run` (entrance, display,") != std::string::npos);
    msg = error_of(kMinimal + "[web]\nrole = \"entrance\"\n");
    CHECK(msg.find("only with web.listen") != std::string::npos);
}

TEST_CASE("[totem]: the content folder beside the file by default, its own settings checked with their line") {
    auto cfg = parse_site_config(kMinimal, "/srv/csc/office.toml");
    REQUIRE(cfg.ok());
    CHECK(cfg->totem.content == std::filesystem::path("/srv/csc/content"));
    CHECK(cfg->totem.page_seconds == 12);
    CHECK(cfg->totem.call_seconds == 10);
    CHECK(cfg->totem.refresh_seconds == 60);

    auto set = parse_site_config(kMinimal + "[totem]\ncontent = \"avvisi\"\npage_seconds = 20\ncall_seconds = 0\n", "/srv/csc/office.toml");
    REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.error().message));
    CHECK(set->totem.content == std::filesystem::path("/srv/csc/avvisi"));
    CHECK(set->totem.page_seconds == 20);
    CHECK(set->totem.call_seconds == 0);
    auto absolute = parse_site_config(kMinimal + "[totem]\ncontent = \"/var/lib/csc/content\"\n", "office.toml");
    REQUIRE(absolute.ok());
    CHECK(absolute->totem.content == std::filesystem::path("/var/lib/csc/content"));

    const auto too_fast = error_of(kMinimal + "[totem]\npage_seconds = 1\n");
    CHECK(too_fast.find("office.toml:15:") != std::string::npos);
    CHECK(too_fast.find("page_seconds") != std::string::npos);
    const auto typo = error_of(kMinimal + "[totem]\ncontents = \"x\"\n");
    CHECK(typo.find("contents") != std::string::npos);
    const auto empty = error_of(kMinimal + "[totem]\ncontent = \"\"\n");
    CHECK(empty.find("totem.content must name a folder") != std::string::npos);
}

TEST_CASE("[[totem.feed]]: a calendar or news feed with its defaults; a bad one names its line") {
    const std::string feed = "[totem]\n[[totem.feed]]\nname = \"eventi\"\nurl = \"https://www.comune.example.it/eventi.ics\"\nformat = \"ical\"\n";
    auto cfg = parse_site_config(kMinimal + feed, "office.toml");
    REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error().message));
    REQUIRE(cfg->totem.feeds.size() == 1);
    CHECK(cfg->totem.feeds[0].format == "ical");
    CHECK(cfg->totem.feeds[0].refresh_minutes == 30);
    CHECK(cfg->totem.feeds[0].max_age_hours == 48);
    CHECK(cfg->totem.feeds[0].lead_days == 14);
    CHECK(error_of(kMinimal + replace(feed, "\"ical\"", "\"atom\"")).find("office.toml:18:") != std::string::npos);
    CHECK(error_of(kMinimal + replace(feed, "https://", "ftp://")).find("must start with http://") != std::string::npos);
    CHECK(error_of(kMinimal + replace(feed, "\"eventi\"", "\"Eventi!\"")).find("a-z 0-9") != std::string::npos);
    CHECK(error_of(kMinimal + feed + replace(feed, "[totem]\n", "")).find("used twice") != std::string::npos);
}

TEST_CASE("[kiosk] attract_seconds: two minutes by default, 0 = never, under 10 refused with its line") {
    auto cfg = parse_site_config(kMinimal, "office.toml");
    REQUIRE(cfg.ok());
    CHECK(cfg->kiosk.attract_seconds == 120);
    auto off = parse_site_config(kMinimal + "[kiosk]\nattract_seconds = 0\n", "office.toml");
    REQUIRE(off.ok());
    CHECK(off->kiosk.attract_seconds == 0);
    const auto fast = error_of(kMinimal + "[kiosk]\nattract_seconds = 5\n");
    CHECK(fast.find("office.toml:15:") != std::string::npos);
    CHECK(fast.find("at least 10") != std::string::npos);
}

TEST_CASE("[kiosk] speech mode on by default; its volume and device checked") {
    auto cfg = parse_site_config(kMinimal, "office.toml");
    REQUIRE(cfg.ok());
    CHECK(cfg->kiosk.speech);
    CHECK(cfg->kiosk.speech_volume == 70);
    CHECK(cfg->kiosk.speech_device == "default");
    auto set = parse_site_config(kMinimal + "[kiosk]\nspeech = false\nspeech_volume = 40\nspeech_device = \"plughw:1,0\"\n", "office.toml");
    REQUIRE(set.ok());
    CHECK_FALSE(set->kiosk.speech);
    CHECK(set->kiosk.speech_volume == 40);
    CHECK(set->kiosk.speech_device == "plughw:1,0");
    CHECK(error_of(kMinimal + "[kiosk]\nspeech_volume = 5\n").find("office.toml:15:") != std::string::npos);
    CHECK(error_of(kMinimal + "[kiosk]\nspeech_device = \"\"\n").find("must not be empty") != std::string::npos);
}

TEST_CASE("[kiosk] the screen's mounting: the share of it out of reach; a mounting out of range named with its line") {
    auto none = parse_site_config(kMinimal, "office.toml");
    REQUIRE(none.ok());
    CHECK(none->kiosk.unreachable_top() == 0);
    // The documented mount: a 32" portrait screen (708 mm) from 500 mm to 1,208 mm: all within reach.
    auto low = parse_site_config(kMinimal + "[kiosk]\nscreen_height_mm = 708\nscreen_bottom_mm = 500\n", "office.toml");
    REQUIRE(low.ok());
    CHECK(low->kiosk.unreachable_top() == 0);
    // From 800 mm its top reaches 1,508 mm: the top 288 mm (40.7 %) are out of reach.
    auto high = parse_site_config(kMinimal + "[kiosk]\nscreen_height_mm = 708\nscreen_bottom_mm = 800\n", "office.toml");
    REQUIRE(high.ok());
    CHECK(high->kiosk.unreachable_top() == doctest::Approx(288.0 / 708.0));
    const auto alone = error_of(kMinimal + "[kiosk]\nscreen_bottom_mm = 800\n");
    CHECK(alone.find("go together") != std::string::npos);
    const auto floor = error_of(kMinimal + "[kiosk]\nscreen_height_mm = 708\nscreen_bottom_mm = 200\n");
    CHECK(floor.find("office.toml:16:") != std::string::npos);
    CHECK(floor.find("below the lowest reach (380 mm)") != std::string::npos);
    const auto ceiling = error_of(kMinimal + "[kiosk]\nscreen_height_mm = 708\nscreen_bottom_mm = 1100\n");
    CHECK(ceiling.find("mount the screen lower") != std::string::npos);
}

TEST_CASE("a sector's expected service minutes and walk-ins a day are read as the forecast's priors, out of range refused with the line") {
    auto plain = parse_site_config(kMinimal, "office.toml");
    REQUIRE(plain.ok());
    CHECK_FALSE(plain->sectors[0].expected_service_minutes.has_value());
    CHECK_FALSE(plain->sectors[0].expected_walk_ins_per_day.has_value());

    auto cfg = parse_site_config(replace(kMinimal, "letter = \"A\"", "letter = \"A\"\nexpected_service_minutes = 12.5\nexpected_walk_ins_per_day = 40"),
                                 "office.toml");
    REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error().message));
    CHECK(cfg->sectors[0].expected_service_minutes == doctest::Approx(12.5));
    CHECK(cfg->sectors[0].expected_walk_ins_per_day == doctest::Approx(40));

    const auto msg = error_of(replace(kMinimal, "letter = \"A\"", "letter = \"A\"\nexpected_service_minutes = 0"));
    INFO(msg);
    CHECK(msg.find("office.toml:9:") == 0);
    CHECK(msg.find("expected_service_minutes") != std::string::npos);
}
