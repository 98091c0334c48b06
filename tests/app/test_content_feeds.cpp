// The totem's feeds (kiosk/app/content_feeds.*): an Italian town's iCalendar and RSS and a
// region's Atom feed as content items at a given time; malformed, huge, wrongly encoded and
// hostile feeds refused with their reason; the last good copy kept offline and hidden once stale.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "kiosk/app/content_feeds.hpp"
#include "test_files.hpp"
#include "test_support.hpp"

using namespace csc;
using namespace csc::app;

namespace {

std::string feed_file(const std::string& name) { return test::file_text(std::filesystem::path(CSC_APP_TEST_FEEDS) / name); }

TotemFeed feed_of(const std::string& name, const std::string& format) {
    TotemFeed f;
    f.name = name;
    f.url = "https://www.comune.example.it/" + name;
    f.format = format;
    return f;
}

std::vector<std::string> titles(const std::vector<content::ContentItem>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.title.get("it"));
    return out;
}

const OfficeTimeZone kRome;

}  // namespace

TEST_CASE("feeds: an iCalendar's coming events in the office's time, nearest first; past and cancelled ones left out") {
    const auto items = parse_ical_feed(feed_file("comune-eventi.ics"), feed_of("eventi", "ical"), kRome, test::rome(2026, 11, 26, 10));
    REQUIRE_MESSAGE(items.ok(), (items.ok() ? "" : items.error().message));
    CHECK(titles(*items) == std::vector<std::string>{"Mercatino di Natale in piazza", "Festa dell'Immacolata: uffici chiusi",
                                                     "Consiglio comunale", "Capodanno in piazza"});
    const auto& market = (*items)[0];
    CHECK(market.kind == content::ContentKind::Event);
    CHECK(market.starts_on == Date{2026, 12, 5});
    CHECK(market.starts_minute == 10 * 60);
    CHECK(market.where.get("en") == "Piazza del Municipio");
    CHECK(market.body.get("it") == "Bancarelle di artigiani e associazioni, musica e castagne. Ingresso libero.");  // unfolded, unescaped
    CHECK(market.link == "https://www.comune.example.it/eventi/mercatino");
    CHECK(market.from == Date{2026, 11, 21});  // shown from lead_days (14) before
    CHECK(market.to == Date{2026, 12, 5});
    // A UTC time (17:00Z in December) is 18:00 in Rome.
    CHECK((*items)[2].starts_minute == 18 * 60);
    // A whole day: DTEND is the day after (RFC 5545), so it shows until the 8th, and has no time.
    CHECK((*items)[1].starts_minute == -1);
    CHECK((*items)[1].to == Date{2026, 12, 8});
    // Over midnight: shown until the day it ends.
    CHECK((*items)[3].to == Date{2027, 1, 1});
    // The same entry keeps its id from one fetch to the next (the totem keeps the page shown).
    const auto again = parse_ical_feed(feed_file("comune-eventi.ics"), feed_of("eventi", "ical"), kRome, test::rome(2026, 11, 27, 9));
    REQUIRE(again.ok());
    CHECK((*again)[0].id == market.id);
    CHECK(market.id.rfind("eventi-", 0) == 0);
    // A day after the market, it is gone.
    const auto later = parse_ical_feed(feed_file("comune-eventi.ics"), feed_of("eventi", "ical"), kRome, test::rome(2026, 12, 6, 9));
    REQUIRE(later.ok());
    CHECK(titles(*later).front() == "Festa dell'Immacolata: uffici chiusi");
}

TEST_CASE("feeds: a repeating event (RRULE) shows its next occurrence not yet over, less its EXDATEs and overrides") {
    // Thursday 26 November 2026. The weekly market: Saturday the 28th cancelled (EXDATE), the 5th
    // moved to Friday the 4th (a VEVENT of its own with RECURRENCE-ID), so the series' next is the
    // 12th and the moved one shows as itself. The council meets on third Thursdays: 19 Nov is
    // past, 17 Dec is cancelled (RECURRENCE-ID + STATUS:CANCELLED), so 21 January. The daily
    // collection since 1990 is today (found by skipping ahead, not by 13,000 steps). A series of
    // four Tuesdays that ended on the 24th and one that ended in 2024 show nothing.
    const auto items = parse_ical_feed(feed_file("comune-ricorrenti.ics"), feed_of("ricorrenti", "ical"), kRome,
                                       test::rome(2026, 11, 26, 10));
    REQUIRE_MESSAGE(items.ok(), (items.ok() ? "" : items.error().message));
    REQUIRE(titles(*items) == std::vector<std::string>{"Raccolta differenziata porta a porta",
                                                       "Mercato settimanale (anticipato a venerdì)", "Mercato settimanale",
                                                       "Consiglio comunale (terzo giovedì)"});
    CHECK((*items)[0].starts_on == Date{2026, 11, 26});
    CHECK((*items)[0].starts_minute == -1);
    CHECK((*items)[1].starts_on == Date{2026, 12, 4});
    CHECK((*items)[2].starts_on == Date{2026, 12, 12});
    CHECK((*items)[2].starts_minute == 8 * 60);
    CHECK((*items)[2].to == Date{2026, 12, 12});
    CHECK((*items)[2].from == Date{2026, 11, 28});  // lead_days before this occurrence
    CHECK((*items)[3].starts_on == Date{2027, 1, 21});
    CHECK((*items)[3].starts_minute == 18 * 60);
    // The next Sunday the market is the 19th, under a new id (another occurrence, another page).
    const auto later = parse_ical_feed(feed_file("comune-ricorrenti.ics"), feed_of("ricorrenti", "ical"), kRome,
                                       test::rome(2026, 12, 13, 9));
    REQUIRE(later.ok());
    REQUIRE(titles(*later).size() == 3);
    CHECK((*later)[1].starts_on == Date{2026, 12, 19});
    CHECK((*later)[1].id != (*items)[2].id);
    // After its UNTIL the council series is over too.
    const auto spring = parse_ical_feed(feed_file("comune-ricorrenti.ics"), feed_of("ricorrenti", "ical"), kRome,
                                        test::rome(2027, 4, 1, 9));
    REQUIRE(spring.ok());
    CHECK(titles(*spring) == std::vector<std::string>{"Raccolta differenziata porta a porta", "Mercato settimanale"});
}

TEST_CASE("feeds: RSS news as text (HTML and entities decoded), newest first, only within keep_days; Atom too") {
    const auto news = parse_news_feed(feed_file("comune-notizie.xml"), feed_of("notizie", "rss"), kRome, test::rome(2026, 11, 26, 10));
    REQUIRE_MESSAGE(news.ok(), (news.ok() ? "" : news.error().message));
    // The library news is older than keep_days (7); the untitled item is not shown.
    CHECK(titles(*news) == std::vector<std::string>{"Raccolta differenziata: nuovo calendario 2027",
                                                    "Bonus affitti: domande entro il 15 dicembre"});
    const auto& first = (*news)[0];
    CHECK(first.kind == content::ContentKind::Notice);
    CHECK(first.body.get("it") ==
          "Dal 1° gennaio cambiano i giorni di raccolta dell'umido e della carta. Il calendario è in distribuzione all’ufficio protocollo.");
    CHECK(first.from == Date{2026, 11, 25});
    CHECK(first.to == Date{2026, 12, 2});
    CHECK((*news)[1].body.get("it") == "Contributo per l'affitto alle famiglie con ISEE fino a 15.000 €.");

    const auto atom = parse_news_feed(feed_file("regione-atom.xml"), feed_of("regione", "rss"), kRome, test::rome(2026, 11, 26, 10));
    REQUIRE_MESSAGE(atom.ok(), (atom.ok() ? "" : atom.error().message));
    REQUIRE(atom->size() == 1);
    CHECK((*atom)[0].title.get("en") == "CRS: il PIN si chiede anche online");
    CHECK((*atom)[0].link == "https://www.regione.example.it/crs-pin");
}

TEST_CASE("feeds: a bad feed is refused with its name and what is wrong; hostile XML is read as data") {
    const Millis now = test::rome(2026, 11, 26, 10);
    const auto error = [&](const std::string& text, const std::string& format) {
        auto r = parse_feed(text, feed_of("x", format), kRome, now);
        REQUIRE_FALSE(r.ok());
        return r.error().message;
    };
    CHECK(error("<html><body>404</body></html>", "ical").find("not an iCalendar file") != std::string::npos);
    CHECK(error("BEGIN:VCALENDAR\nSUMMARY:\xe8 latin-1\nEND:VCALENDAR\n", "ical").find("not UTF-8") != std::string::npos);
    CHECK(error("<rss><channel><item><title>x</title></channel></rss>", "rss").find("line 1") != std::string::npos);
    CHECK(error("<html><body>Not found</body></html>", "rss").find("<html>") != std::string::npos);
    CHECK(error(std::string(kMaxFeedBytes + 1, ' '), "rss").find("larger than") != std::string::npos);
    CHECK(error("", "ical").find("feed \"x\"") != std::string::npos);
    // A feed in Latin-1 that says so is decoded, not refused.
    const std::string latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Citt\xe0 pi\xf9 verde</title>"
                               "<pubDate>Wed, 25 Nov 2026 09:30:00 +0100</pubDate></item></channel></rss>";
    auto decoded = parse_feed(latin1, feed_of("x", "rss"), kRome, now);
    REQUIRE(decoded.ok());
    REQUIRE(decoded->size() == 1);
    CHECK((*decoded)[0].title.get("it") == "Città più verde");
    // An external entity is never read (XXE), nor expanded.
    const std::string xxe = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                            "<rss><channel><item><title>a&x;b</title><pubDate>Wed, 25 Nov 2026 09:30:00 +0100</pubDate>"
                            "</item></channel></rss>";
    auto hostile = parse_feed(xxe, feed_of("x", "rss"), kRome, now);
    if (hostile.ok() && !hostile->empty()) CHECK((*hostile)[0].title.get("it").find("root:") == std::string::npos);
    // A javascript: link is dropped, the item kept.
    const std::string js = "<rss><channel><item><title>t</title><link>javascript:alert(1)</link>"
                           "<pubDate>Wed, 25 Nov 2026 09:30:00 +0100</pubDate></item></channel></rss>";
    auto linked = parse_feed(js, feed_of("x", "rss"), kRome, now);
    REQUIRE(linked.ok());
    REQUIRE(linked->size() == 1);
    CHECK((*linked)[0].link.empty());
}

TEST_CASE("feeds: the last good copy is kept when a fetch fails or brings a bad feed, and hidden once older than max_age_hours") {
    test::TempDir dir;
    TotemFeed f = feed_of("notizie", "rss");
    f.max_age_hours = 24;
    f.refresh_minutes = 30;
    std::string served = feed_file("comune-notizie.xml");
    bool online = true;
    int fetches = 0;
    FeedReader reader({f}, dir.path(), kRome, [&](const std::string& url) -> Result<std::string> {
        ++fetches;
        CHECK(url == f.url);
        if (!online) return fail("Could not resolve host: www.comune.example.it");
        return served;
    });
    const Millis t0 = test::rome(2026, 11, 26, 10);
    CHECK(reader.refresh(t0));
    CHECK(reader.items().size() == 2);
    CHECK(reader.states().at("notizie").last_good == t0);
    CHECK_FALSE(reader.refresh(t0 + 60'000));  // not due: nothing fetched, nothing changed
    CHECK(fetches == 1);

    // Offline at the next refresh: the copy is still shown, the problem said.
    online = false;
    CHECK(reader.refresh(t0 + 31 * 60'000));
    CHECK(fetches == 2);
    CHECK(reader.items().size() == 2);
    CHECK(reader.states().at("notizie").problem.find("Could not resolve host") != std::string::npos);
    // A program started later, offline, shows the cached copy too (the totem's restart).
    FeedReader restarted({f}, dir.path(), kRome, [](const std::string&) -> Result<std::string> { return fail("offline"); });
    restarted.refresh(t0 + 40 * 60'000);
    CHECK(restarted.items().size() == 2);
    // The service menu only looks at the copy: nothing fetched, no problem made up.
    int looked_fetches = 0;
    FeedReader look({f}, dir.path(), kRome, [&](const std::string&) -> Result<std::string> {
        ++looked_fetches;
        return served;
    });
    look.refresh(t0 + 41 * 60'000, false);
    CHECK(looked_fetches == 0);
    CHECK(look.items().size() == 2);
    CHECK(look.states().at("notizie").last_good == t0);
    CHECK(look.states().at("notizie").problem.empty());

    // Online again with a broken feed: refused, the good copy stays.
    online = true;
    served = "<rss><channel>";
    reader.refresh(t0 + 62 * 60'000);
    CHECK(reader.items().size() == 2);
    CHECK(reader.states().at("notizie").problem.find("not an RSS or Atom feed") != std::string::npos);
    CHECK(reader.states().at("notizie").last_good == t0);

    // More than a day without a good copy: hidden, not shown as current.
    online = false;
    CHECK(reader.refresh(t0 + 25 * 3'600'000LL));
    CHECK(reader.items().empty());
    CHECK(reader.states().at("notizie").stale);
}
