// store_purge.hpp — rewriting booking events whose personal data is to be forgotten
// (shared/booking/personal_data.hpp decides what; this file only reads and writes).
//
// Contents: booking_made_to_purge(), rewrite_booking_events(), truncate_wal().
// Contract: all SQL of the purge lives here. A rewrite keeps the event's row (id, position,
// device, sequence, time, type, stream position): only its encoded body changes, validated
// like every append (validate_event) so it stays readable. Old bytes do not survive on disk:
// the rewrite runs with PRAGMA secure_delete (freed space and pages are zeroed) and then the
// WAL is checkpointed and truncated (truncate_wal), so the file and the WAL hold no copy of the
// old text.
#pragma once

#include <vector>

#include "shared/store.hpp"

namespace csc {

/// booking.made events stamped before `before` that may still hold a name, contact or person
/// key (already purged ones are skipped in SQL), in log order.
[[nodiscard]] Result<std::vector<Event>> booking_made_to_purge(const Store& store, Millis before);

/// Every stored agenda.snapshot part, in log order (the purge clears old bookings' person keys).
[[nodiscard]] Result<std::vector<Event>> snapshots_to_purge(const Store& store);
/// Replaces the stored body of each booking.made or agenda.snapshot event in `events` (matched by id and type) in one
/// transaction, with secure_delete on; nothing is changed if any of them fails validation or is
/// not stored. Returns how many rows were rewritten. The old page images stay in the WAL until
/// truncate_wal().
[[nodiscard]] Result<int> rewrite_booking_events(Store& store, const std::vector<Event>& events);
/// Checkpoints the WAL (PASSIVE, then TRUNCATE once all of it is copied) on a connection of its
/// own that never waits: the file gets the new pages and the WAL is emptied. False when a
/// reader or writer kept part of it (retry later); the store's own connection is not used.
[[nodiscard]] bool truncate_wal(Store& store);

}  // namespace csc
