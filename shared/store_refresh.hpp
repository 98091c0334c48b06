// store_refresh.hpp — several processes on one store (the single-machine office: entrance,
// display and counters as separate programs): who appended what, in which order.
//
// Contents: last_event_position(), append_at_end().
// Contract: the store's log position is the one order every process applies events in. A
// process appends only when it has applied everything before (append_at_end), so its state
// is always the log's prefix applied in order — the same on every process, as the state
// machine's determinism requires.
#pragma once

#include <cstdint>

#include "shared/store.hpp"

namespace csc {

/// Highest log position in the store (0 when empty). One index lookup: cheap to poll.
[[nodiscard]] std::int64_t last_event_position(const Store& store);

/// Appends `e` only if the log still ends at `expected_last` (checked and written in one
/// IMMEDIATE transaction); returns the new event's position, or 0 when another process
/// appended first (nothing written: apply theirs, re-check, try again).
[[nodiscard]] Result<std::int64_t> append_at_end(Store& store, const Event& e, std::int64_t expected_last);

}  // namespace csc
