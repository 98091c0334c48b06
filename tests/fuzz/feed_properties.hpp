// What both feed fuzzers (fuzz_ical_feed, fuzz_news_feed) check of one input: the parser of
// `format` run on the bytes as a server sends them, at 2026-11-26 10:00 in Rome.
// Properties: never crashes or hangs; a refused feed is an Error naming the feed; every item
// taken has an id of the feed's name, a title, at most kMaxFeedItems items, only http(s) links,
// a first day not after its last, the feed's priority, and texts within the content limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kiosk/app/content_feeds.hpp"

namespace csc::fuzz {

inline void require(bool ok) {
    if (!ok) std::abort();
}

inline std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

/// Runs the parser of `format` ("ical" or "rss") on the input and checks the properties above.
inline int check_feed(const std::uint8_t* data, std::size_t size, const char* format) {
    static const OfficeTimeZone tz;
    TotemFeed feed;
    feed.name = "fuzz";
    feed.url = "https://www.comune.example.it/feed";
    feed.format = format;
    feed.priority = 3;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const Millis now = tz.from_local(Date{2026, 11, 26}, 10 * 60);
    auto items = app::parse_feed(text, feed, tz, now);
    if (!items) {
        require(items.error().message.find("feed \"fuzz\"") != std::string::npos);
        return 0;
    }
    require(items->size() <= app::kMaxFeedItems);
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

}  // namespace csc::fuzz
