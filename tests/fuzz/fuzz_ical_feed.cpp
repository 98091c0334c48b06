// libFuzzer target: an iCalendar feed of the town's events ([[totem.feed]] format = "ical",
// docs/CONTENT.md "Feeds"), through app::parse_ical_feed() (libical), what the totem runs on
// every fetched copy. Input: the feed's bytes (any bytes). Properties: feed_properties.hpp.
#include "feed_properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return csc::fuzz::check_feed(data, size, "ical");
}
