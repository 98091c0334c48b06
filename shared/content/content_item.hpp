// content_item.hpp — one item of the communication zone (a deadline, an initiative, an event, a
// notice) and when it may be shown; issue 13 point 1.
//
// Contents: ContentKind, to_string(ContentKind), DailyWindow, ContentItem, shows_at(), PlaylistNow, playlist_at().
// Contract: pure functions of the items and the office's local time (from the injected clock
// through OfficeTimeZone): the same items and time give the same playlist on every device. A
// daily window may run over midnight ("22:00-02:00"): it belongs to the day it starts on, so the
// date range and the weekdays are those of its start. An urgent item that shows pre-empts every
// other item (a queue call pre-empts it in turn: the roles' rule, not this file's); with nothing
// scheduled now, the items marked fallback loop.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/config.hpp"
#include "shared/office_time.hpp"

namespace csc::content {

/// What an item is about.
enum class ContentKind { Deadline, Initiative, Event, Notice };
/// "deadline", "initiative", "event", "notice".
[[nodiscard]] std::string_view to_string(ContentKind k);

/// A daily time window in minutes since local midnight, [begin, end); end ≤ begin runs over midnight.
struct DailyWindow {
    int begin = 0, end = 24 * 60;
    /// The window passes midnight (ends on the next day).
    [[nodiscard]] bool over_midnight() const { return end <= begin; }
};

/// One content item (one file of the content folder, docs/CONTENT.md).
struct ContentItem {
    std::string id;                 ///< the file's name without .toml
    ContentKind kind = ContentKind::Notice;
    LocalizedText title, body;      ///< body may be empty
    LocalizedText where, when;      ///< optional texts (place; date as told, e.g. "entro il 16 dicembre")
    std::string link;               ///< an https:// or http:// address shown as a QR ("" = none)
    std::string image;              ///< a PNG beside the item ("" = none)
    std::optional<Date> from, to;   ///< first and last day it may start on (inclusive)
    std::array<bool, 7> weekdays{true, true, true, true, true, true, true};  ///< Monday … Sunday
    DailyWindow window;
    int priority = 5;               ///< 0…9, higher first
    bool urgent = false;            ///< pre-empts every other item while it shows
    bool fallback = false;          ///< shown (in a loop) only when nothing else is scheduled
    std::optional<Date> starts_on;  ///< an event's local start day (feeds), told in the screen's language when `when` is empty
    int starts_minute = -1;         ///< its local start time in minutes since midnight (-1 = all day)
};

/// The item may be shown at local time `now` (its dates, weekdays and window; not urgency).
[[nodiscard]] bool shows_at(const ContentItem& item, const LocalTime& now);

/// What to show now, in order.
struct PlaylistNow {
    std::vector<const ContentItem*> items;  ///< points into the items given
    bool urgent = false;                    ///< only urgent items (they pre-empt the rest)
    bool fallback = false;                  ///< nothing scheduled: the fallback loop
};

/// The playlist at `now`: urgent items if any shows; else scheduled items by priority (higher
/// first), then the sooner end date (a deadline near its end first), then id; else the fallback items.
[[nodiscard]] PlaylistNow playlist_at(const std::vector<ContentItem>& items, const LocalTime& now);

}  // namespace csc::content
