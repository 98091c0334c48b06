// event_feed.hpp — the in-process event bus: the events the office applies, handed to the parts
// of the program that subscribed (a role's controller, the web server), so none of them has to
// compare the whole state with a copy to learn that a ticket was called.
//
// Contents: FeedItem, OwnConfirmations, EventFeed, EventBus.
// Contract: Office publishes every event it applies to the state that read() shows — recorded
// by this program, seen in the store after another program recorded it, or ordered by the LAN
// stream — once, in the order it applied it, with what the state machine made of it. When it
// rebuilds that state another way (opening, a clock that went back, LAN mode switched on, own
// events another program recorded under this device's name) it publishes a reset instead: the
// subscriber reads the state again. A feed that overflows (its reader stopped) drops its items
// and reports a reset. publish() runs under the office's lock, so a feed's notify must be quick
// and must not call the office; take() may be called from any thread.
// LAN: when the stream confirms an event this device recorded (published as applied when it was
// recorded), a feed subscribed with OwnConfirmations::Include gets one more item for it, with
// own_confirmed set (what changed is the confirmed state, Office::read_confirmed); other feeds
// never see such items. An own event the stream refused or ordered differently also comes as a
// reset, as before.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "shared/events.hpp"
#include "shared/office_state.hpp"

namespace csc {

/// One applied event and what the state machine made of it (result.ticket_id: the ticket it
/// created or acted on, e.g. the ticket a "call next" called).
struct FeedItem {
    Event event;
    ApplyResult result;
    /// false: `event` was applied to the state read() shows (once). true (only to a feed that
    /// asked for it): the LAN stream confirmed this device's own `event`, published before when
    /// it was recorded; `result` = how it applied in stream order.
    bool own_confirmed = false;
};

/// Whether a feed also gets the LAN stream's confirmations of this device's own events.
enum class OwnConfirmations { Skip, Include };

/// One subscriber's queue.
class EventFeed {
public:
    /// `notify` runs after each publish (under the office's lock: quick, never calls the office).
    EventFeed(std::function<void()> notify, std::size_t capacity, OwnConfirmations own = OwnConfirmations::Skip);
    /// Whether this feed gets own_confirmed items.
    [[nodiscard]] bool wants_own_confirmations() const { return own_ == OwnConfirmations::Include; }

    /// What was published since the last take(); `reset` = read the whole state again first.
    struct Batch {
        bool reset = false;
        std::vector<FeedItem> items;
    };
    /// Takes what is queued (thread-safe).
    [[nodiscard]] Batch take();

    /// Office side: queues one applied event (an overflow turns into a reset).
    void push(const FeedItem& item);
    /// Office side: the state was rebuilt; queued items are dropped.
    void push_reset();

private:
    std::function<void()> notify_;
    std::size_t capacity_;
    OwnConfirmations own_;
    std::mutex mutex_;
    bool reset_ = false;
    std::deque<FeedItem> items_;
};

/// The office's list of subscribers (held weakly: a subscriber ends by dropping its feed).
class EventBus {
public:
    /// A new feed; keep the pointer while you want events.
    [[nodiscard]] std::shared_ptr<EventFeed> subscribe(std::function<void()> notify, std::size_t capacity = 10'000,
                                                       OwnConfirmations own = OwnConfirmations::Skip);
    /// Hands the event to every live feed (expired ones are forgotten; none: nothing copied).
    void publish(const Event& event, const ApplyResult& result);
    /// LAN: the stream confirmed own `event` (applied as `result` in stream order): an
    /// own_confirmed item to the feeds that asked for them, none to the others.
    void publish_own_confirmed(const Event& event, const ApplyResult& result);
    /// Tells every live feed that the state was rebuilt.
    void publish_reset();

private:
    /// The feeds still held by someone (forgets the others).
    [[nodiscard]] std::vector<std::shared_ptr<EventFeed>> live_feeds();

    mutable std::mutex mutex_;
    std::vector<std::weak_ptr<EventFeed>> feeds_;
};

}  // namespace csc
