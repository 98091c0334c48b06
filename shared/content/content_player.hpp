// content_player.hpp — a loop of content items a page at a time, as every screen that shows
// the communication zone plays it (the totem, the entrance's attract loop): which item shows,
// when the next one comes, what a tap on next or previous does.
//
// Contents: ContentPlayer.
// Contract: pure (no clock of its own, no I/O): the caller gives the office's local time (for
// playlist_at) and a steady time (for the page's duration). The playlist is asked again at
// every change: the item shown stays shown while it is still in the playlist (its place may
// move); an item gone, or an urgent notice arriving, restarts the loop at its first item with a
// full page time. A turn (by time or tap) gives the new page its full time.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "shared/content/content_item.hpp"

namespace csc::content {

class ContentPlayer {
public:
    using Steady = std::chrono::steady_clock::time_point;
    /// Each page shows `page_time` unless turned by hand.
    explicit ContentPlayer(std::chrono::seconds page_time) : page_time_(page_time) {}

    /// New items (a content folder or feed changed); the playlist asked again at `local`.
    void set_items(std::vector<ContentItem> items, const LocalTime& local, Steady now);
    /// The playlist asked again (the minute turned): keeps the item shown if it still plays.
    void replan(const LocalTime& local, Steady now);
    /// `delta` pages on (1 = next, -1 = previous, around the loop), with a full page time.
    void turn(int delta, const LocalTime& local, Steady now);
    /// Turns to the next page if the page's time is up; true when it turned.
    bool turn_if_due(const LocalTime& local, Steady now);
    /// The page shown starts its full time again (it was covered, e.g. by a queue call).
    void restart_page(Steady now) { page_since_ = now; }

    /// When the page turns by itself (none with fewer than two items).
    [[nodiscard]] std::optional<Steady> next_turn() const;
    /// The item shown (nullptr: nothing plays).
    [[nodiscard]] const ContentItem* current() const;
    [[nodiscard]] int page() const { return page_; }
    [[nodiscard]] int pages() const { return static_cast<int>(playlist_.size()); }
    [[nodiscard]] bool urgent() const { return urgent_; }
    [[nodiscard]] bool fallback() const { return fallback_; }
    /// The ids in playing order.
    [[nodiscard]] const std::vector<std::string>& playlist() const { return playlist_; }
    [[nodiscard]] const std::vector<ContentItem>& items() const { return items_; }

private:
    std::chrono::seconds page_time_;
    std::vector<ContentItem> items_;
    std::vector<std::string> playlist_;
    bool urgent_ = false, fallback_ = false;
    int page_ = 0;
    Steady page_since_{};
};

}  // namespace csc::content
