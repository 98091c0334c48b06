// The loop of content items a page at a time (the rules of content_player.hpp).
#include "shared/content/content_player.hpp"

#include <algorithm>

namespace csc::content {

void ContentPlayer::set_items(std::vector<ContentItem> items, const LocalTime& local, Steady now) {
    items_ = std::move(items);
    replan(local, now);
}

void ContentPlayer::replan(const LocalTime& local, Steady now) {
    const auto plan = playlist_at(items_, local);
    std::vector<std::string> ids;
    for (const auto* item : plan.items) ids.push_back(item->id);
    const std::string shown = page_ < pages() ? playlist_[std::size_t(page_)] : std::string();
    const bool urgent_now = plan.urgent && !urgent_;
    urgent_ = plan.urgent;
    fallback_ = plan.fallback;
    playlist_ = std::move(ids);
    const auto at = std::find(playlist_.begin(), playlist_.end(), shown);
    if (urgent_now || at == playlist_.end()) {
        page_ = 0;  // an urgent notice shows at once; an item gone leaves the loop's start
        page_since_ = now;
    } else {
        page_ = static_cast<int>(at - playlist_.begin());
    }
}

void ContentPlayer::turn(int delta, const LocalTime& local, Steady now) {
    const int n = pages();
    page_ = n > 0 ? (((page_ + delta) % n) + n) % n : 0;
    page_since_ = now;
    replan(local, now);  // the schedule at this moment (an item may have ended since the last turn)
}

bool ContentPlayer::turn_if_due(const LocalTime& local, Steady now) {
    if (pages() < 2 || now - page_since_ < page_time_) return false;
    turn(1, local, now);
    return true;
}

std::optional<ContentPlayer::Steady> ContentPlayer::next_turn() const {
    if (pages() < 2) return std::nullopt;
    return page_since_ + page_time_;
}

const ContentItem* ContentPlayer::current() const {
    if (page_ >= pages()) return nullptr;
    const auto& id = playlist_[std::size_t(page_)];
    const auto it = std::find_if(items_.begin(), items_.end(), [&](const ContentItem& i) { return i.id == id; });
    return it == items_.end() ? nullptr : &*it;
}

}  // namespace csc::content
