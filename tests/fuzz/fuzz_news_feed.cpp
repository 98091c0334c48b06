// libFuzzer target: an RSS 2.0 or Atom feed of the town's news ([[totem.feed]] format = "rss",
// docs/CONTENT.md "Feeds"), through app::parse_news_feed() (libxml2, no network, no entity
// substitution), what the totem runs on every fetched copy. Input: the feed's bytes (any
// bytes). Properties: feed_properties.hpp.
#include "feed_properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return csc::fuzz::check_feed(data, size, "rss");
}
