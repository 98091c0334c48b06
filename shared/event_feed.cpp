// The in-process event bus (event_feed.hpp).
#include "shared/event_feed.hpp"

#include <algorithm>
#include <optional>

namespace csc {

EventFeed::EventFeed(std::function<void()> notify, std::size_t capacity, OwnConfirmations own)
    : notify_(std::move(notify)), capacity_(std::max<std::size_t>(1, capacity)), own_(own) {}

EventFeed::Batch EventFeed::take() {
    Batch batch;
    std::lock_guard lock(mutex_);
    batch.reset = reset_;
    reset_ = false;
    batch.items.assign(std::make_move_iterator(items_.begin()), std::make_move_iterator(items_.end()));
    items_.clear();
    return batch;
}

void EventFeed::push(const FeedItem& item) {
    {
        std::lock_guard lock(mutex_);
        if (items_.size() >= capacity_) {
            // Nobody read for a long while: what it missed is in the state; it reads that.
            items_.clear();
            reset_ = true;
        } else if (!reset_) {
            items_.push_back(item);
        }
    }
    if (notify_) notify_();
}

void EventFeed::push_reset() {
    {
        std::lock_guard lock(mutex_);
        items_.clear();
        reset_ = true;
    }
    if (notify_) notify_();
}

std::shared_ptr<EventFeed> EventBus::subscribe(std::function<void()> notify, std::size_t capacity, OwnConfirmations own) {
    auto feed = std::make_shared<EventFeed>(std::move(notify), capacity, own);
    std::lock_guard lock(mutex_);
    feeds_.push_back(feed);
    return feed;
}

void EventBus::publish(const Event& event, const ApplyResult& result) {
    const auto live = live_feeds();
    if (live.empty()) return;
    const FeedItem item{event, result};
    for (const auto& f : live) f->push(item);
}

void EventBus::publish_own_confirmed(const Event& event, const ApplyResult& result) {
    const auto live = live_feeds();
    std::optional<FeedItem> item;  // copied only when some feed wants it
    for (const auto& f : live) {
        if (!f->wants_own_confirmations()) continue;
        if (!item) item = FeedItem{event, result, true};
        f->push(*item);
    }
}

void EventBus::publish_reset() {
    const auto live = live_feeds();
    for (const auto& f : live) f->push_reset();
}

std::vector<std::shared_ptr<EventFeed>> EventBus::live_feeds() {
    std::vector<std::shared_ptr<EventFeed>> live;
    std::lock_guard lock(mutex_);
    std::erase_if(feeds_, [](const std::weak_ptr<EventFeed>& f) { return f.expired(); });
    for (const auto& f : feeds_)
        if (auto p = f.lock()) live.push_back(std::move(p));
    return live;
}

}  // namespace csc
