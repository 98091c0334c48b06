// libFuzzer target: one file of the communication zone's content folder (docs/CONTENT.md),
// through parse_content_item(), the parser behind load_content_folder().
// Input: the file's bytes as they are (any bytes: the files are written by people and tools).
// Properties: never crashes or hangs; a rejected file is an Error that names the file; an
// accepted item keeps the contract of shared/content/content_item.hpp (a title in the office's
// first language, priority 0–9, "to" not before "from", some weekday, a window inside the day,
// never urgent and fallback at once, a link only http(s)), and when it shows and the playlist
// answer for any hour of a week around it without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "shared/content/content_folder.hpp"
#include "shared/content/content_item.hpp"

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

void check_accepted(const csc::content::ContentItem& item) {
    require(item.id == "fuzz");
    require(!item.title.get("it").empty());
    require(0 <= item.priority && item.priority <= 9);
    if (item.from && item.to) require(!(*item.to < *item.from));
    bool any_day = false;
    for (bool d : item.weekdays) any_day = any_day || d;
    require(any_day);
    require(0 <= item.window.begin && item.window.begin <= 24 * 60);
    require(0 <= item.window.end && item.window.end <= 24 * 60);
    require(!(item.urgent && item.fallback));
    if (!item.link.empty())
        require(item.link.rfind("https://", 0) == 0 || item.link.rfind("http://", 0) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<std::string> languages{"it", "en", "ar"};
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto item = csc::content::parse_content_item(text, "fuzz.toml", "fuzz", languages);
    if (!item) {
        require(item.error().message.find("fuzz.toml") != std::string::npos);
        return 0;
    }
    check_accepted(*item);
    // A week of hours around its first day (or a fixed week): shows_at and the playlist.
    const csc::Date start = item->from.value_or(csc::Date{2026, 12, 1});
    const std::vector<csc::content::ContentItem> items{*item};
    for (int day = -1; day < 7; ++day) {
        csc::LocalTime t;
        t.date = csc::civil_from_days(csc::days_from_civil(start.year, start.month, start.day) + day);
        t.weekday = csc::weekday_of(t.date);
        for (int hour = 0; hour < 24; hour += 3) {
            t.hour = hour;
            const bool shows = csc::content::shows_at(*item, t);
            const auto playlist = csc::content::playlist_at(items, t);
            // Alone, an item that shows is played whatever its kind (urgent, scheduled or the
            // fallback: nothing else is scheduled), and one that does not show is not.
            require(playlist.items.size() == (shows ? 1u : 0u));
            require(playlist.urgent == (shows && item->urgent));
            require(playlist.fallback == (shows && item->fallback));
        }
    }
    return 0;
}
