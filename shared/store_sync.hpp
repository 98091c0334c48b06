// store_sync.hpp — the store's side of LAN sync: stream positions of replicated events.
//
// Contents: StreamedEvent, record_stream_batch(), stream_events_since(), unconfirmed_events(),
// applied_stream_seq().
// Contract: every event read from the office's JetStream stream is kept in the device's own
// store with its stream sequence (migration 2), so a restart rebuilds the confirmed state in
// stream order and the consumer resumes after the last stream sequence it processed.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "shared/store.hpp"

namespace csc {

/// An event as read from the stream, with its stream sequence.
struct StreamedEvent {
    std::uint64_t stream_seq = 0;
    Event event;
};

/// In one transaction: stores each event not yet stored, gives a stored event without a stream
/// position (an own event) its first stream sequence, and remembers `applied_seq` (the last
/// stream sequence processed, including rejected or duplicate messages).
Result<void> record_stream_batch(Store& store, std::span<const StreamedEvent> batch, std::uint64_t applied_seq);
/// Events with a stream position and time >= since, in stream order.
[[nodiscard]] Result<std::vector<Event>> stream_events_since(const Store& store, Millis since);
/// `device`'s own events not yet seen in the stream, by device sequence.
[[nodiscard]] Result<std::vector<Event>> unconfirmed_events(const Store& store, std::string_view device);
/// Last stream sequence processed (0 before any).
[[nodiscard]] std::uint64_t applied_stream_seq(const Store& store);

}  // namespace csc
