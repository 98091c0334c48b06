#include "kiosk/app/office_follower.hpp"

#include <chrono>
#include <iostream>

#include "kiosk/app/statistics.hpp"
#include "kiosk/app/warning_log.hpp"

namespace csc::app {

OfficeFollower::OfficeFollower(Office& office, const std::filesystem::path& data_dir, std::function<void()> changed,
                               std::function<std::string()> link_state)
    : data_dir_(data_dir),
      watch_(data_dir),
      thread_([this, &office, changed = std::move(changed), link_state = std::move(link_state)] {
          run(office, changed, link_state);
      }) {}

OfficeFollower::~OfficeFollower() {
    stop_.store(true);
    watch_.interrupt();
    thread_.join();
}

void OfficeFollower::compact_if_due(Office& office) {
    const auto now = std::chrono::steady_clock::now();
    // Not in a program's first two minutes: a screen that has just started serves citizens first.
    if (next_compaction_ == std::chrono::steady_clock::time_point{}) next_compaction_ = now + std::chrono::minutes(2);
    if (now < next_compaction_ || office.config().statistics.compact_after_days <= 0) return;
    next_compaction_ = now + std::chrono::hours(1);
    const auto started = now;
    auto store = Store::open(data_dir_, StoreAccess::ReadWrite, StoreCheck::OnRead);
    if (!store) return;  // a read-only store: another program compacts
    // A week of days at a time (~0.3 s on a busy office's store), so that following the office
    // never waits long for it.
    auto r = compact_old_events(**store, office.config(), office.clock().now(), 7);
    if (!r) {
        std::cerr << "kiosk: compaction: " << r.error().message << '\n';
        remember_warning(office.clock().now(), "compaction: " + r.error().message);
        return;
    }
    if (const auto took = std::chrono::steady_clock::now() - started; took > std::chrono::milliseconds(500))
        std::cerr << "kiosk: compaction: took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
    if (r->days > 0) {
        std::cerr << "kiosk: compaction: " << r->days << " days through " << r->through->iso() << ", " << r->events
                  << " queue events now only in the statistics records\n";
        next_compaction_ = now + std::chrono::minutes(1);  // more may be left
    }
}

void OfficeFollower::run(Office& office, const std::function<void()>& changed_fn,
                         const std::function<std::string()>& link_state) {
    const auto link = [&] { return link_state ? link_state() : std::string(); };
    std::string last_error;
    std::uint64_t seen = office.version();
    std::string seen_link = link();
    auto next_minute = std::chrono::steady_clock::now();
    // A write to the store's files is seen before its transaction is visible (the commit is
    // published through the -shm map, which reports nothing): after one, look again every few
    // ms for a little while instead of waiting for the next.
    int look_again = 0;
    while (!stop_.load()) {
        auto changed = office.refresh();
        // Also changes made without refresh() (LAN mode: the stream consumer's thread).
        const std::uint64_t version = office.version();
        // After closing time, whatever is still open is closed as not served (any program may
        // do it; a second DayClosed finds nothing open and is refused).
        if (std::chrono::steady_clock::now() >= next_minute) {  // at start, then every minute
            next_minute = std::chrono::steady_clock::now() + std::chrono::minutes(1);
            if (auto closed = office.close_day_if_over(); !closed) {
                std::cerr << "kiosk: end of day: " << closed.error().message << '\n';
                remember_warning(office.clock().now(), "end of day: " + closed.error().message);
            }
            // Personal data of bookings past keep_days: at start and once the agenda's day rolled.
            if (auto purged = office.purge_personal_data_if_due(); !purged) {
                std::cerr << "kiosk: booking purge: " << purged.error().message << '\n';
                remember_warning(office.clock().now(), "booking purge: " + purged.error().message);
            }
            compact_if_due(office);
        }
        const std::string now_link = link();
        if ((changed && *changed) || version != seen || now_link != seen_link) changed_fn();
        seen = version;
        seen_link = now_link;
        if (!changed && changed.error().message != last_error) {
            std::cerr << "kiosk: " << (last_error = changed.error().message) << '\n';
            remember_warning(office.clock().now(), last_error);
        }
        if (changed && *changed) look_again = 0;
        if (watch_.wait(look_again > 0 ? 3 : 200)) look_again = 40;  // ~120 ms of looks
        else if (look_again > 0) --look_again;
    }
}

}  // namespace csc::app
