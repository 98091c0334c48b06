// store_sync.hpp — the store's side of LAN sync: stream positions of replicated events.
//
// Contents: StreamedEvent, LanSnapshot, record_stream_batch(), load_lan_snapshot(),
// stream_events_after(), append_own_event(), mark_handed_out(), handed_out(), stream_events_since(), unconfirmed_events(),
// applied_stream_seq(), agenda_gap_end(), note_agenda_gap().
// Contract: every event read from the office's JetStream stream is kept in the device's own
// store with its stream sequence (migration 2), so a restart rebuilds the confirmed state in
// stream order and the consumer resumes after the last stream sequence it processed.
// Several processes may open one store (a GUI role, CLI commands, a `kiosk sync` daemon):
// `applied_seq` only grows, and every stream event up to it is stored (rejected messages
// aside), so what a process reads in ONE transaction (load_lan_snapshot, stream_events_after)
// is a stream prefix it can resume after.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "shared/store.hpp"

namespace csc {

/// An event as read from the stream, with its stream sequence.
struct StreamedEvent {
    std::uint64_t stream_seq = 0;
    Event event;
    Millis server_time = 0;  ///< when the servers stored it (JetStream timestamp); 0 = unknown
    std::string encoded;     ///< the message's bytes, which `event` was decoded from; "" = not kept
};

/// In one transaction: stores each event not yet stored, gives a stored event without a stream
/// position (an own event) its first stream sequence, and remembers `applied_seq` (the last
/// stream sequence processed, including rejected or duplicate messages). The events' `encoded`
/// bytes are stored as they are (encoded here when empty). The commit is not flushed to disk at
/// once (synchronous=NORMAL): a power cut may undo the last batches — whole, applied_seq with
/// them, so they are read from the stream again — never a part of one, and never one that a
/// later durable write (an own event) followed.
Result<void> record_stream_batch(Store& store, std::span<const StreamedEvent> batch, std::uint64_t applied_seq);
/// What a process joining the LAN reads from its store, all in one read transaction.
struct LanSnapshot {
    std::vector<Event> streamed;     ///< stream events with time >= since, in stream order
    std::vector<std::uint64_t> streamed_seqs;  ///< their stream sequences
    std::vector<Event> own_pending;  ///< this device's events without a stream position, by device seq
    std::uint64_t applied_seq = 0;   ///< every stream event up to here is in `streamed` (or older)
};

/// Reads today's stream prefix (with the agenda's events since `agenda_since`), the device's own
/// unconfirmed events and applied_seq together (BEGIN … COMMIT): a batch another process commits
/// meanwhile is either wholly in or out.
[[nodiscard]] Result<LanSnapshot> load_lan_snapshot(const Store& store, Millis since, Millis agenda_since,
                                                    std::string_view device);
/// Stream events stored with stream_seq > after_seq (by other processes on this store), in
/// stream order with their sequences, and the applied_seq they go up to — one transaction.
[[nodiscard]] Result<std::pair<std::vector<StreamedEvent>, std::uint64_t>> stream_events_after(const Store& store,
                                                                                              std::uint64_t after_seq);
/// Appends an own event unless its id is taken (another process on this store used that device
/// sequence): true = written, false = nothing written (read the store again and renumber).
[[nodiscard]] Result<bool> append_own_event(Store& store, const Event& e);
/// Remembers that a ticket's number reached its citizen (a CLI command reported it).
Result<void> mark_handed_out(Store& store, std::string_view ticket_id);
/// Whether mark_handed_out() was called for this ticket.
[[nodiscard]] bool handed_out(const Store& store, std::string_view ticket_id);
/// Events with a stream position and time >= since — the agenda's (booking.*, closure.*,
/// check-ins, agenda snapshots) from agenda_since (≤ since) — in stream order; their stream
/// sequences into `seqs` when given.
[[nodiscard]] Result<std::vector<Event>> stream_events_since(const Store& store, Millis since, Millis agenda_since,
                                                             std::vector<std::uint64_t>* seqs = nullptr);
/// The last stream sequence this device's stream reading missed (older than the retention), 0 = none.
[[nodiscard]] std::uint64_t agenda_gap_end(const Store& store);
/// Remembers a gap in the stream read here (only grows).
Result<void> note_agenda_gap(Store& store, std::uint64_t last_missing);
/// `device`'s own events not yet seen in the stream, by device sequence.
[[nodiscard]] Result<std::vector<Event>> unconfirmed_events(const Store& store, std::string_view device);
/// Last stream sequence processed (0 before any).
[[nodiscard]] std::uint64_t applied_stream_seq(const Store& store);

/// The store's write lock (BEGIN IMMEDIATE) held until commit(), else rolled back when
/// destroyed: a decision that must be unique among the programs on one store (an offline
/// number) is taken and written under it. Reads in between see every program's commits.
class StoreWriteLock {
public:
    /// When a commit reaches the disk: Full = before commit() returns (this device's own
    /// events); Normal = at the next Full commit or checkpoint (what can be derived again, or
    /// is durable elsewhere): a power cut may undo such a commit whole, never a part of it.
    enum class Durability { Full, Normal };
    /// Waits up to the store's busy timeout for the lock.
    static Result<std::unique_ptr<StoreWriteLock>> take(Store& store, Durability durability = Durability::Full);
    /// Makes what was written durable; an Error (and a rollback) if it cannot.
    Result<void> commit();
    ~StoreWriteLock();
    StoreWriteLock(const StoreWriteLock&) = delete;
    StoreWriteLock& operator=(const StoreWriteLock&) = delete;

private:
    StoreWriteLock(Store& store, Durability durability) : store_(store), durability_(durability) {}
    Store& store_;
    Durability durability_;
    bool done_ = false;
};

}  // namespace csc
