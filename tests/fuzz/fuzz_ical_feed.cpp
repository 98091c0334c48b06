// libFuzzer target: an iCalendar feed of the town's events ([[totem.feed]] format = "ical", docs/CONTENT.md "Feeds"),
// through app::parse_ical_feed(), what the totem runs on every fetched copy.
// Input: the feed's bytes as a server sends them (any bytes).
// Properties: never crashes or hangs; a refused feed is an Error naming the feed; every item
// taken has an id of the feed's name, a title, at most kMaxFeedItems items, only http(s) links,
// a first day not after its last, the feed's priority, and texts within the content limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kiosk/app/content_feeds.hpp"

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const csc::OfficeTimeZone tz;
    csc::TotemFeed feed;
    feed.name = "fuzz";
    feed.url = "https://www.comune.example.it/feed";
    feed.format = "ical";
    feed.priority = 3;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // 2026-11-26 10:00 in Rome: the samples' "now".
    const csc::Millis now = tz.from_local(csc::Date{2026, 11, 26}, 10 * 60);
    auto items = csc::app::parse_ical_feed(text, feed, tz, now);
    if (!items) {
        require(items.error().message.find("feed \"fuzz\"") != std::string::npos);
        return 0;
    }
    require(items->size() <= csc::app::kMaxFeedItems);
    for (const auto& item : *items) {
        require(item.id.rfind("fuzz-", 0) == 0);
        require(!item.title.get("it").empty());
        require(code_points(item.title.get("it")) <= 81 && code_points(item.body.get("it")) <= 601);
        require(item.priority == 3);
        if (!item.link.empty()) require(item.link.rfind("https://", 0) == 0 || item.link.rfind("http://", 0) == 0);
        require(item.from && item.to && !(*item.to < *item.from));
    }
    return 0;
}
