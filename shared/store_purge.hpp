// store_purge.hpp — rewriting booking events whose personal data is to be forgotten
// (shared/booking/personal_data.hpp decides what; this file only reads and writes).
//
// Contents: booking_made_to_purge(), PurgeWrite, rewrite_booking_events().
// Contract: all SQL of the purge lives here. A rewrite keeps the event's row (id, position,
// device, sequence, time, type, stream position): only its encoded body changes, validated
// like every append (validate_event) so it stays readable. Old bytes do not survive on disk:
// the rewrite runs with PRAGMA secure_delete (freed space and pages are zeroed) and then
// checkpoints the WAL with TRUNCATE, so the file and the WAL hold no copy of the old text.
#pragma once

#include <vector>

#include "shared/store.hpp"

namespace csc {

/// booking.made events stamped before `before` that may still hold a name, contact or person
/// key (already purged ones are skipped in SQL), in log order.
[[nodiscard]] Result<std::vector<Event>> booking_made_to_purge(const Store& store, Millis before);

/// What a rewrite did on disk.
struct PurgeWrite {
    int rewritten = 0;          ///< rows whose body was replaced
    bool wal_truncated = false; ///< the checkpoint copied everything and emptied the WAL (false: a reader held it; the next purge retries)
};

/// Replaces the stored body of each booking.made event in `events` (matched by id) in one
/// transaction (nothing is changed if any of them fails validation or is not stored), then
/// checkpoints the WAL with TRUNCATE (also when `events` is empty: a purge's WAL left behind).
[[nodiscard]] Result<PurgeWrite> rewrite_booking_events(Store& store, const std::vector<Event>& events);

}  // namespace csc
