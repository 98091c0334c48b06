// The communication zone's items (shared/content/): when each shows, the playlist's order, the
// folder of item files — with the office's local time given, never the machine's.
#include <doctest/doctest.h>

#include <fstream>

#include "shared/content/content_folder.hpp"
#include "shared/content/content_item.hpp"
#include "shared/content/content_player.hpp"
#include "test_support.hpp"

using namespace csc;
using namespace csc::content;

namespace {
const std::vector<std::string> kContentLangs{"it", "en"};

LocalTime content_at(int y, int m, int d, int hour, int minute) {
    LocalTime t;
    t.date = Date{y, m, d};
    t.hour = hour;
    t.minute = minute;
    t.weekday = weekday_of(t.date);
    return t;
}

ContentItem content_parsed(const std::string& text, const std::string& id = "item") {
    auto item = parse_content_item(text, id + ".toml", id, kContentLangs);
    REQUIRE_MESSAGE(item.ok(), (item.ok() ? "" : item.error().message));
    return *item;
}

std::vector<std::string> content_ids(const PlaylistNow& p) {
    std::vector<std::string> ids;
    for (const auto* i : p.items) ids.push_back(i->id);
    return ids;
}
}  // namespace

TEST_CASE("content: an item shows between its dates, on its weekdays, inside its daily window") {
    const ContentItem tari = content_parsed(R"(
kind = "deadline"
title = { it = "TARI: seconda rata", en = "Waste tax: second instalment" }
from = 2026-12-01
to = "2026-12-16"
weekdays = ["mon", "tue", "wed", "thu", "fri"]
hours = "08:30-12:30"
)");
    CHECK(tari.kind == ContentKind::Deadline);
    CHECK(tari.title.get("en") == "Waste tax: second instalment");
    CHECK(shows_at(tari, content_at(2026, 12, 2, 9, 0)));      // Wednesday morning
    CHECK_FALSE(shows_at(tari, content_at(2026, 12, 2, 8, 29)));  // before the window
    CHECK_FALSE(shows_at(tari, content_at(2026, 12, 2, 12, 30)));  // the window's end is excluded
    CHECK_FALSE(shows_at(tari, content_at(2026, 12, 5, 10, 0)));  // Saturday
    CHECK_FALSE(shows_at(tari, content_at(2026, 11, 30, 10, 0)));  // before "from"
    CHECK(shows_at(tari, content_at(2026, 12, 16, 10, 0)));       // "to" is inclusive
    CHECK_FALSE(shows_at(tari, content_at(2026, 12, 17, 10, 0)));
}

TEST_CASE("content: a window over midnight belongs to the day it starts on") {
    const ContentItem night = content_parsed(R"(
title = "Notte bianca in biblioteca"
from = 2026-12-04
to = 2026-12-04
hours = "22:00-02:00"
)");
    CHECK(night.window.over_midnight());
    CHECK_FALSE(shows_at(night, content_at(2026, 12, 4, 21, 59)));
    CHECK(shows_at(night, content_at(2026, 12, 4, 23, 30)));   // Friday evening
    CHECK(shows_at(night, content_at(2026, 12, 5, 1, 59)));    // Saturday 01:59: Friday's window
    CHECK_FALSE(shows_at(night, content_at(2026, 12, 5, 2, 0)));
    CHECK_FALSE(shows_at(night, content_at(2026, 12, 5, 23, 0)));  // Saturday's own evening: not a start day
    CHECK_FALSE(shows_at(night, content_at(2026, 12, 4, 1, 0)));   // Friday 01:00 belongs to Thursday
}

TEST_CASE("content: the playlist puts priority first, then the nearer end; urgent pre-empts; fallback only when nothing is on") {
    std::vector<ContentItem> items{
        content_parsed("title = \"Mercatino di Natale\"\npriority = 3\nfrom = 2026-12-01\nto = 2026-12-24\n", "b-market"),
        content_parsed("title = \"IMU saldo\"\nkind = \"deadline\"\npriority = 7\nto = 2026-12-16\n", "a-imu"),
        content_parsed("title = \"TARI\"\nkind = \"deadline\"\npriority = 7\nto = 2026-12-10\n", "c-tari"),
        content_parsed("title = \"Benvenuti al CSC\"\nfallback = true\n", "z-welcome"),
        content_parsed("title = \"Chiusura per neve\"\nurgent = true\nfrom = 2026-12-09\nto = 2026-12-09\nhours = \"07:00-14:00\"\n",
                       "snow"),
    };
    const auto now = playlist_at(items, content_at(2026, 12, 2, 10, 0));
    CHECK_FALSE(now.urgent);
    CHECK_FALSE(now.fallback);
    CHECK(content_ids(now) == std::vector<std::string>{"c-tari", "a-imu", "b-market"});
    const auto snow = playlist_at(items, content_at(2026, 12, 9, 10, 0));
    CHECK(snow.urgent);
    CHECK(content_ids(snow) == std::vector<std::string>{"snow"});
    const auto january = playlist_at(items, content_at(2027, 1, 10, 10, 0));
    CHECK(january.fallback);
    CHECK(content_ids(january) == std::vector<std::string>{"z-welcome"});
    std::vector<ContentItem> none;
    CHECK(playlist_at(none, content_at(2027, 1, 10, 10, 0)).items.empty());
}

TEST_CASE("content: a bad item file is refused with file, line and problem; the folder loads the others") {
    const auto bad = [](const std::string& text) {
        auto r = parse_content_item(text, "x.toml", "x", kContentLangs);
        REQUIRE_FALSE(r.ok());
        return r.error().message;
    };
    CHECK(bad("kind = \"party\"\ntitle = \"x\"\n").find("x.toml:1:") != std::string::npos);
    CHECK(bad("title = \"x\"\nhours = \"25:00-26:00\"\n").find("x.toml:2:") != std::string::npos);
    CHECK(bad("title = \"x\"\nlink = \"javascript:alert(1)\"\n").find("https://") != std::string::npos);
    CHECK(bad("title = { de = \"x\" }\n").find("not in office.languages") != std::string::npos);
    CHECK(bad("title = \"x\"\nfrom = 2026-12-10\nto = 2026-12-01\n").find("before") != std::string::npos);
    CHECK(bad("title = \"x\"\nweekdays = []\n").find("never show") != std::string::npos);
    CHECK(bad("title = \"x\"\ncolour = \"red\"\n").find("colour") != std::string::npos);
    CHECK(bad("body = \"no title\"\n").find("title") != std::string::npos);

    test::TempDir dir;
    std::ofstream(dir.path() / "01-tari.toml") << "title = \"TARI\"\n";
    std::ofstream(dir.path() / "02-broken.toml") << "title = \"unterminated\n";
    std::ofstream(dir.path() / "03-photo.toml") << "title = \"Mostra\"\nimage = \"mostra.png\"\n";
    std::ofstream(dir.path() / "04-binary.toml") << std::string("\xff\xfe\x00garbage", 10);
    std::ofstream(dir.path() / ".hidden.toml") << "not read";
    std::ofstream(dir.path() / "notes.txt") << "not an item";
    const ContentFolder folder = load_content_folder(dir.path(), kContentLangs);
    REQUIRE(folder.items.size() == 1);
    CHECK(folder.items[0].id == "01-tari");
    REQUIRE(folder.rejected.size() == 3);
    CHECK(folder.rejected[0].reason.find("02-broken.toml:1:") != std::string::npos);
    CHECK(folder.rejected[1].reason.find("mostra.png") != std::string::npos);
    CHECK(folder.rejected[2].reason.find("04-binary.toml") != std::string::npos);
    CHECK(load_content_folder(dir.path() / "missing", kContentLangs).items.empty());
}

TEST_CASE("content: where and when are texts by language like the title; the shipped sample folder loads whole") {
    auto item = parse_content_item("title = \"TARI\"\nwhen = { it = \"entro il 16 dicembre\", en = \"by 16 December\" }\n"
                                   "where = \"Sala consiliare\"\n",
                                   "tari.toml", "tari", kContentLangs);
    REQUIRE_MESSAGE(item.ok(), (item.ok() ? "" : item.error().message));
    CHECK(item->when.get("en") == "by 16 December");
    CHECK(item->when.get("it") == "entro il 16 dicembre");
    CHECK(item->where.get("en") == "Sala consiliare");  // one string: every language
    auto typo = parse_content_item("title = \"x\"\nwhen = { ti = \"domani\" }\n", "x.toml", "x", kContentLangs);
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.error().message.find("x.toml:2:") != std::string::npos);

    // The sample office's folder (what `kiosk run --role totem` shows out of the box).
    const auto sample = load_content_folder(std::filesystem::path(CSC_SOURCE_ASSETS) / "site" / "content",
                                            {"it", "en", "fr", "de", "es", "ro", "uk", "zh"});
    CHECK(sample.rejected.empty());
    CHECK(sample.items.size() == 4);
}

TEST_CASE("content player: pages turn by time and by hand around the loop; the item shown stays through a change; urgent restarts at once") {
    using namespace std::chrono_literals;
    const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
    const LocalTime thu10 = content_at(2026, 11, 26, 10, 0);
    ContentPlayer player(12s);
    CHECK(player.current() == nullptr);
    CHECK_FALSE(player.next_turn());
    player.set_items({content_parsed("title = \"A\"\npriority = 9\n", "a"), content_parsed("title = \"B\"\npriority = 7\n", "b"),
                      content_parsed("title = \"C\"\npriority = 5\nhours = \"09:00-10:30\"\n", "c")},
                     thu10, t0);
    CHECK(player.playlist() == std::vector<std::string>{"a", "b", "c"});
    CHECK(player.current()->id == "a");
    CHECK(player.next_turn() == t0 + 12s);
    CHECK_FALSE(player.turn_if_due(thu10, t0 + 11s));
    CHECK(player.turn_if_due(thu10, t0 + 12s));
    CHECK(player.current()->id == "b");
    CHECK(player.next_turn() == t0 + 24s);  // the new page gets its full time
    player.turn(-1, thu10, t0 + 13s);
    CHECK(player.current()->id == "a");
    player.turn(-1, thu10, t0 + 14s);  // around the loop
    CHECK(player.current()->id == "c");
    CHECK(player.next_turn() == t0 + 26s);

    // A new item with a higher priority: "c" stays shown (now third of four, page 3).
    auto items = player.items();
    items.push_back(content_parsed("title = \"D\"\npriority = 8\n", "d"));
    player.set_items(items, thu10, t0 + 15s);
    CHECK(player.current()->id == "c");
    CHECK(player.page() == 3);
    CHECK(player.next_turn() == t0 + 26s);  // its time runs on
    // Its window closes at 10:30: the loop restarts at its first item with a full page.
    player.replan(content_at(2026, 11, 26, 10, 30), t0 + 16s);
    CHECK(player.current()->id == "a");
    CHECK(player.next_turn() == t0 + 28s);

    // An urgent notice pre-empts at once and plays alone; gone, the loop is back.
    items.push_back(content_parsed("title = \"U\"\nurgent = true\n", "u"));
    player.set_items(items, thu10, t0 + 17s);
    CHECK(player.urgent());
    CHECK(player.playlist() == std::vector<std::string>{"u"});
    CHECK_FALSE(player.next_turn());
    items.pop_back();
    player.set_items(items, thu10, t0 + 18s);
    CHECK_FALSE(player.urgent());
    CHECK(player.current()->id == "a");
}
