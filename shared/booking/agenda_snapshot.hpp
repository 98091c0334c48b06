// agenda_snapshot.hpp — the confirmed agenda as stream events (agenda.snapshot), for a LAN device
// that missed stream messages older than the stream's retention (docs/BOOKING.md, "Bookings
// older than the stream").
//
// Contents: make_agenda_snapshot(), snapshot_part_problem(), assemble_agenda_snapshot(),
//           SequencedEvent, replay_stream().
// Contract: pure — no store, no clock, no network. A snapshot is the agenda exactly after stream
// sequence `based_on` (every field Agenda::hash_into mixes) cut into parts that each fit one
// stream message; it never carries a citizen's name or contact (a device that knows a booking
// only from a snapshot shows kNameOnOtherDevices). The confirmed agenda after a given sequence
// is the same on every device, so every copy of a snapshot for that sequence is too. A part
// that is malformed, or parts that do not make one snapshot, are refused with a reason.
// replay_stream() is how a device applies the stream: a device that has every message ignores
// snapshots; one whose messages start after a gap takes the first usable snapshot.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "shared/booking/agenda.hpp"
#include "shared/events.hpp"
#include "shared/office_state.hpp"
#include "shared/result.hpp"

namespace csc {

/// The parts of a snapshot of `agenda` after stream sequence `based_on` (>= 1); each part, as an
/// event of any device and sequence, encodes in at most `max_event_bytes`. Holds and closures
/// go in part 0, bookings in their order across the parts. An Error if one booking alone does
/// not fit (a history of hundreds of steps).
[[nodiscard]] Result<std::vector<AgendaSnapshot>> make_agenda_snapshot(const Agenda& agenda, std::uint64_t based_on,
                                                                       std::size_t max_event_bytes = kMaxEncodedEventSize);
/// Why one part cannot belong to a snapshot ("" = it can): a booking code that is not one, a
/// code twice, holds or closures outside part 0 (the decoder checked shapes and ranges).
[[nodiscard]] std::string snapshot_part_problem(const AgendaSnapshot& part);
/// The agenda that `parts` describe (in any order), or why they do not make one snapshot:
/// a part missing or twice, parts of different snapshots, a part with a problem, a booking
/// code in two parts.
[[nodiscard]] Result<Agenda> assemble_agenda_snapshot(std::span<const AgendaSnapshot* const> parts);

/// A stream event and its stream sequence.
struct SequencedEvent {
    std::uint64_t stream_seq = 0;
    const Event* event = nullptr;
};

/// Applies `events` (in stream order) to `state`. With `gap_end` > 0 — this device never got
/// the stream's messages up to gap_end (they were older than the retention when it read) — the
/// first snapshot in `events` whose parts are all there (in stream order of its last part),
/// sound, from one device, based on a sequence >= gap_end and below its parts' own, is used:
/// the agenda becomes the snapshot's just before the first event after its base, so the events
/// after it apply as they did on every device. Returns that base (0 = none used: the agenda is
/// what the events alone make, incomplete while gap_end > 0).
std::uint64_t replay_stream(OfficeState& state, std::span<const SequencedEvent> events, std::uint64_t gap_end);

}  // namespace csc
