#include <algorithm>
#include "shared/store_sync.hpp"
#include "shared/store_sql.hpp"

#include <sqlite3.h>

namespace csc {

namespace {

constexpr const char* kAppliedKey = "sync.applied_seq";
constexpr const char* kGapKey = "sync.agenda_gap_end";

using sql::Stmt;

std::string column_text(sqlite3_stmt* s, int col) {
    const auto* p = sqlite3_column_text(s, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, col))) : std::string();
}

// Rows: encoded, id, position (, stream_seq into `seqs`). An undecodable event is skipped and
// quarantined (Store).
Result<std::vector<Event>> read_all(const Store& store, sqlite3* db, sqlite3_stmt* s, const std::string& where,
                                    std::vector<std::uint64_t>* seqs = nullptr) {
    std::vector<Event> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        auto ev = decode_event(column_text(s, 0));
        if (!ev) {
            store.quarantine({sqlite3_column_int64(s, 2), column_text(s, 1), ev.error().message});
            continue;
        }
        if (seqs) seqs->push_back(static_cast<std::uint64_t>(sqlite3_column_int64(s, 3)));
        out.push_back(std::move(*ev));
    }
    if (rc != SQLITE_DONE) return fail(where + ": reading events failed (" + sqlite3_errmsg(db) + ")");
    return out;
}

}  // namespace

namespace {

// The stream's bytes are stored as they are: the decoder accepted them and `event` was read
// from them, so a second encoding per event (a quarter of the batch's time) is saved. One query
// reads the text itself — a check-in is a ticket.issued whose text has "booking":
// (stream_events_since, Store::agenda_events_between) — so bytes whose text would say otherwise
// than the event (another writer's spacing, a field unknown here) get this program's encoding.
bool kept_as_streamed(const StreamedEvent& se) {
    if (se.encoded.empty()) return false;
    const auto* issued = std::get_if<TicketIssued>(&se.event.body);
    return !issued || (se.encoded.find("\"booking\":") != std::string::npos) == !issued->booking.empty();
}

}  // namespace

Result<void> record_stream_batch(Store& store, std::span<const StreamedEvent> batch, std::uint64_t applied_seq) {
    sqlite3* db = store.handle();
    // The stream holds these events on the office's servers already: a power cut that undoes
    // the last batches costs reading them again, so the commit is not flushed (one fsync of the
    // WAL per batch saved). What this device made is written apart, flushed (append_own_event).
    auto lock = StoreWriteLock::take(store, StoreWriteLock::Durability::Normal);
    if (!lock) return lock.error();  // names the store and the cause (store.locked, …)
    // One statement per event: insert, or — for an event already stored (our own, or a
    // duplicate in the stream) — keep the FIRST stream position it was seen at.
    Stmt ins(store,
             "INSERT INTO events(id, device, device_seq, time, type, encoded, stream_seq) VALUES(?,?,?,?,?,?,?) "
             "ON CONFLICT(id) DO UPDATE SET stream_seq = COALESCE(events.stream_seq, excluded.stream_seq)");
    // applied_seq only grows: another process on this store may already have processed further
    // (its events are stored), and a reader must never resume before what it loaded.
    Stmt meta(store,
              "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = "
              "CASE WHEN CAST(meta.value AS INTEGER) >= CAST(excluded.value AS INTEGER) THEN meta.value ELSE excluded.value END");
    bool ok = ins.ok() && meta.ok();
    for (std::size_t i = 0; ok && i < batch.size(); ++i) {
        const Event& e = batch[i].event;
        sqlite3_reset(ins.get());
        if (kept_as_streamed(batch[i]))
            sql::bind_event_row(ins, e, batch[i].encoded);
        else
            sql::bind_event_row(ins, e);
        ins.bind(7, static_cast<std::int64_t>(batch[i].stream_seq));
        ok = ins.step() == SQLITE_DONE;
    }
    if (ok) {
        meta.bind(1, std::string_view(kAppliedKey));
        meta.bind(2, std::to_string(applied_seq));
        ok = meta.step() == SQLITE_DONE;
    }
    if (!ok) return store.error_of(sqlite3_extended_errcode(db), "recording replicated events");  // rolled back by the lock
    if (auto c = (*lock)->commit(); !c) return c.error();
    return {};
}

namespace {

// A read transaction: in WAL mode every SELECT inside it sees the same snapshot of the file.
class ReadTransaction {
public:
    // Inside a transaction already (StoreWriteLock), the reads are consistent as they are.
    explicit ReadTransaction(sqlite3* db) : db_(db) {
        nested_ = sqlite3_get_autocommit(db_) == 0;
        ok_ = nested_ || sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    ~ReadTransaction() {
        if (ok_ && !nested_) (void)sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    }
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;
    [[nodiscard]] bool ok() const { return ok_; }

private:
    sqlite3* db_;
    bool ok_ = false;
    bool nested_ = false;
};

std::uint64_t applied_seq_in(sqlite3* db) {
    Stmt st(db, "SELECT value FROM meta WHERE key = ?");
    st.bind(1, std::string_view(kAppliedKey));
    if (st.step() != SQLITE_ROW) return 0;
    try {
        return std::stoull(st.text(0));
    } catch (...) {
        return 0;
    }
}

}  // namespace

Result<LanSnapshot> load_lan_snapshot(const Store& store, Millis since, Millis agenda_since, std::string_view device) {
    ReadTransaction tx(store.handle());
    if (!tx.ok()) return fail(store.path().string() + ": reading the LAN state: " + sqlite3_errmsg(store.handle()));
    LanSnapshot out;
    // applied_seq first: the events read after it in this transaction are the same snapshot.
    out.applied_seq = applied_seq_in(store.handle());
    auto streamed = stream_events_since(store, since, agenda_since, &out.streamed_seqs);
    if (!streamed) return streamed.error();
    auto own = unconfirmed_events(store, device);
    if (!own) return own.error();
    out.streamed = std::move(*streamed);
    out.own_pending = std::move(*own);
    return out;
}

Result<std::pair<std::vector<StreamedEvent>, std::uint64_t>> stream_events_after(const Store& store, std::uint64_t after_seq) {
    sqlite3* db = store.handle();
    ReadTransaction tx(db);
    if (!tx.ok()) return fail(store.path().string() + ": reading stream events: " + sqlite3_errmsg(db));
    const std::uint64_t applied = applied_seq_in(db);
    std::vector<StreamedEvent> out;
    if (applied <= after_seq) return std::make_pair(std::move(out), applied);
    Stmt st(db, "SELECT stream_seq, encoded, id FROM events WHERE stream_seq > ? AND stream_seq <= ? ORDER BY stream_seq");
    if (!st.ok()) return fail(store.path().string() + ": " + sqlite3_errmsg(db));
    st.bind(1, static_cast<std::int64_t>(after_seq));
    st.bind(2, static_cast<std::int64_t>(applied));
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        auto ev = decode_event(st.text(1));
        if (!ev) {  // skipped and reported, never a stop (Store::quarantined)
            store.quarantine({0, st.text(2), ev.error().message});
            continue;
        }
        out.push_back({static_cast<std::uint64_t>(st.int64(0)), std::move(*ev)});
    }
    if (rc != SQLITE_DONE) return fail(store.path().string() + ": reading stream events failed (" + sqlite3_errmsg(db) + ")");
    return std::make_pair(std::move(out), applied);
}

Result<bool> append_own_event(Store& store, const Event& e) {
    // Whatever is appended can be read back (as Store::append): checked before a byte is written.
    if (auto v = validate_event(e); !v) return fail_as("input", v.error().message + "; nothing was recorded");
    sqlite3* db = store.handle();
    Stmt st(store, "INSERT INTO events(id, device, device_seq, time, type, encoded) VALUES(?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING");
    if (!st.ok()) return fail(store.path().string() + ": append: " + sqlite3_errmsg(db));
    sql::bind_event_row(st, e);
    if (const int rc = st.step(); rc != SQLITE_DONE) return store.error_of(rc, "recording event " + e.id);
    return sqlite3_changes(db) > 0;
}

// A meta row per ticket handed out by a CLI command (a few a day; the key names the ticket).
Result<void> mark_handed_out(Store& store, std::string_view ticket_id) {
    return store.set_meta("handed_out." + std::string(ticket_id), "1");
}

bool handed_out(const Store& store, std::string_view ticket_id) {
    return store.meta("handed_out." + std::string(ticket_id)).has_value();
}

Result<std::vector<Event>> stream_events_since(const Store& store, Millis since, Millis agenda_since,
                                               std::vector<std::uint64_t>* seqs) {
    Stmt st(store.handle(),
            "SELECT encoded, id, position, stream_seq FROM events WHERE stream_seq IS NOT NULL AND (time >= ?1 OR (time >= ?2 AND "
            "((type >= 'booking.' AND type < 'booking/') OR (type >= 'closure.' AND type < 'closure/') OR "
            "type = 'agenda.snapshot' OR (type = 'ticket.issued' AND encoded LIKE '%\"booking\":%')))) ORDER BY stream_seq");
    if (!st.ok()) return fail(store.path().string() + ": " + sqlite3_errmsg(store.handle()));
    st.bind(1, since);
    st.bind(2, std::min(agenda_since, since));
    return read_all(store, store.handle(), st.get(), store.path().string(), seqs);
}

std::uint64_t agenda_gap_end(const Store& store) {
    const auto v = store.meta(kGapKey);
    if (!v) return 0;
    try {
        return std::stoull(*v);
    } catch (...) {
        return 0;
    }
}

Result<void> note_agenda_gap(Store& store, std::uint64_t last_missing) {
    if (last_missing <= agenda_gap_end(store)) return {};
    return store.set_meta(kGapKey, std::to_string(last_missing));
}

Result<std::vector<Event>> unconfirmed_events(const Store& store, std::string_view device) {
    Stmt st(store, "SELECT encoded, id, position FROM events WHERE stream_seq IS NULL AND device = ? ORDER BY device_seq");
    if (!st.ok()) return fail(store.path().string() + ": " + sqlite3_errmsg(store.handle()));
    st.bind(1, device);
    return read_all(store, store.handle(), st.get(), store.path().string());
}

std::uint64_t applied_stream_seq(const Store& store) {
    const auto v = store.meta(kAppliedKey);
    if (!v) return 0;
    try {
        return std::stoull(*v);
    } catch (...) {
        return 0;
    }
}

Result<std::unique_ptr<StoreWriteLock>> StoreWriteLock::take(Store& store, Durability durability) {
    sqlite3* db = store.handle();
    // A connection's setting, which SQLite changes only outside a transaction: set before
    // BEGIN, set back after COMMIT or ROLLBACK.
    if (durability == Durability::Normal && sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr) != SQLITE_OK)
        return store.error_of(sqlite3_extended_errcode(db), "taking the store's write lock");
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        Error e = store.error_of(sqlite3_extended_errcode(db), "taking the store's write lock");
        if (durability == Durability::Normal) (void)sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
        return e;
    }
    return std::unique_ptr<StoreWriteLock>(new StoreWriteLock(store, durability));
}

Result<void> StoreWriteLock::commit() {
    if (done_) return {};
    done_ = true;
    sqlite3* db = store_.handle();
    Result<void> out;
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        out = store_.error_of(sqlite3_extended_errcode(db), "committing");
        (void)sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    // Every later write of this connection is flushed again (an own event must be durable
    // before it is reported); should that fail, the caller hears of it.
    if (durability_ == Durability::Normal && sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK &&
        out)
        out = store_.error_of(sqlite3_extended_errcode(db), "setting the store back to flushing every commit");
    return out;
}

StoreWriteLock::~StoreWriteLock() {
    if (done_) return;
    (void)sqlite3_exec(store_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    if (durability_ == Durability::Normal) (void)sqlite3_exec(store_.handle(), "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
}

}  // namespace csc
