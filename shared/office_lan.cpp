// Office in LAN mode (declared in office.hpp; the design is in docs/SYNC.md).
#include <algorithm>
#include <chrono>

#include "shared/booking/agenda_snapshot.hpp"
#include "shared/office.hpp"
#include "shared/store_history.hpp"
#include "shared/store_refresh.hpp"

namespace csc {

namespace {
constexpr int kOfflineRangeSize = 999;  // index*1000+1 … index*1000+999
}

Result<void> Office::enable_lan(const LanSettings& settings, EventUplink* uplink) {
    std::lock_guard lock(mutex_);
    lan_ = settings;
    uplink_ = uplink;
    if (confirmed_) {
        if (auto r = announce_device_locked(); !r) return r.error();
        return {};
    }
    // The confirmed state is today's stream prefix in stream order; the view adds the own
    // events the stream has not shown yet, in device order. All three come from ONE read
    // transaction: another process on this store (a `kiosk sync` daemon, a GUI role) may commit
    // a stream batch at any moment, and applied_seq must never be ahead of the events loaded —
    // the consumer resumes after it (a gap there misnumbers tickets).
    auto snap = load_lan_snapshot(*store_, config_->timezone.start_of_day(clock_.now()),
                                  agenda_history_start(*config_, clock_.now()), device_);
    if (!snap) return snap.error();
    confirmed_.emplace(*config_);
    // A device that missed the stream's first messages (older than its retention) takes the
    // agenda snapshot it stored, as it did when the snapshot came (agenda_snapshot.hpp).
    agenda_gap_end_ = agenda_gap_end(*store_);
    std::vector<SequencedEvent> in_order;
    for (std::size_t i = 0; i < snap->streamed.size(); ++i) {
        const Event& e = snap->streamed[i];
        if (quarantined_ids_.count(e.id)) continue;  // set aside when it came (stamped from the future)
        in_order.push_back({snap->streamed_seqs[i], &e});
        note_hello_locked(e);
        if (const auto* part = std::get_if<AgendaSnapshot>(&e.body)) snapshot_bases_seen_.insert(part->based_on);
    }
    agenda_snapshot_base_ = replay_stream(*confirmed_, in_order, agenda_gap_end_);
    pending_ = std::move(snap->own_pending);
    for (const auto& e : pending_) note_hello_locked(e);
    applied_seq_ = snap->applied_seq;
    applied_position_ = last_event_position(*store_);
    rebuild_view_locked();
    ++version_;
    bus_.publish_reset();
    changed_.notify_all();
    // Tell the office which offline range this device uses (once a day, and after a change).
    if (auto r = announce_device_locked(); !r) return r.error();
    return {};
}

void Office::note_hello_locked(const Event& e) {
    if (const auto* h = std::get_if<DeviceHello>(&e.body))
        announced_[e.device] = {h->device_index, config_->timezone.day_key(e.time)};
}

Result<bool> Office::announce_device() {
    std::lock_guard lock(mutex_);
    return announce_device_locked();
}

Result<bool> Office::announce_device_locked() {
    if (!confirmed_) return false;
    const int today = config_->timezone.day_key(clock_.now());
    auto it = announced_.find(device_);
    if (it != announced_.end() && it->second.index == lan_.device_index && it->second.day == today) return false;
    auto r = record_locked(DeviceHello{lan_.device_index});
    if (!r) return r.error();
    announced_[device_] = {lan_.device_index, today};
    return true;
}

std::vector<std::string> Office::index_conflicts() const {
    std::lock_guard lock(mutex_);
    return index_conflicts_locked();
}

std::vector<std::string> Office::index_conflicts_locked() const {
    std::vector<std::string> out;
    if (!confirmed_) return out;
    const int today = config_->timezone.day_key(clock_.now());
    for (const auto& [device, a] : announced_)
        if (device != device_ && a.index == lan_.device_index && a.day == today) out.push_back(device);
    return out;
}

// The forecast's history from the stream: an event of ANOTHER device, applied to the confirmed
// state, feeds the same learning as this device's own events (office.cpp, learn_locked), so
// every device learns from the whole office. Own events were learned when recorded and are
// skipped by the caller; learn_locked counts a ticket's outcome only once even if the stream
// ordered an own action differently. Events another process on this store applied first
// (LearnFrom::Seen) were saved by it: learned here without saving.
void Office::learn_confirmed_locked(const Event& e, const StateBefore& before, const ApplyResult& applied, LearnFrom from) {
    if (std::holds_alternative<DeviceHello>(e.body)) return;
    if (before.day != confirmed_->day()) learning_.forget_openings();
    learn_locked(e, before, *confirmed_, applied, from);
}

void Office::detach_uplink() {
    std::lock_guard lock(mutex_);
    uplink_ = nullptr;
    changed_.notify_all();  // a waiting issue() falls back to offline at once
}

bool Office::lan_mode() const {
    std::lock_guard lock(mutex_);
    return confirmed_.has_value();
}

void Office::rebuild_view_locked() {
    // Rebuilt when next read (view_locked()), not here: a catch-up of many batches, or events
    // of others arriving while own ones wait for the stream, copy the confirmed state once per
    // read at most, not once per batch.
    view_stale_ = true;
}

const OfficeState& Office::view_locked() const {
    if (view_stale_ && confirmed_) {
        state_ = *confirmed_;
        for (const auto& e : pending_) (void)state_.apply(e);
    }
    view_stale_ = false;
    return state_;
}

void Office::note_own_event_locked(const Event& e) {
    pending_.push_back(e);
    if (uplink_) uplink_->publish_soon();
}

void Office::apply_confirmed_locked(const Event& e, std::uint64_t stream_seq, LearnFrom from, bool& view_dirty) {
    if (quarantined_ids_.count(e.id)) {
        // Set aside on every device alike (apply_stream): an own one ends as not applied.
        auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Event& p) { return p.id == e.id; });
        if (it != pending_.end()) {
            pending_.erase(it);
            confirmed_results_[e.id] = ApplyResult{false, "quarantined: stamped on a later day than the office servers' time", {}};
            view_dirty = true;
            bus_.publish_reset();  // published as applied when it was recorded
        }
        return;
    }
    staff_.apply(e);
    note_hello_locked(e);
    if (const auto* part = std::get_if<AgendaSnapshot>(&e.body)) {
        snapshot_bases_seen_.insert(part->based_on);
        if (!agenda_complete_locked()) snapshot_arrived_ = true;
    }
    // Day open: the agenda as it stood before the day's first event (after stream_seq - 1) is
    // what this device publishes as the day's snapshot, if its agenda is complete. Copied only
    // for the few events of a new day before one rolls the agenda.
    std::optional<Agenda> before_day;
    if (stream_seq > 1 && confirmed_->agenda().day() != 0 && config_->timezone.day_key(e.time) > confirmed_->agenda().day() &&
        agenda_complete_locked())
        before_day = confirmed_->agenda();
    // Another device's event feeds the forecast's history (own ones did when recorded). Only
    // actions that can end a ticket or change a counter need the counters before them.
    const bool foreign = e.device != device_;
    StateBefore before;
    before.day = confirmed_->day();
    if (foreign && !std::holds_alternative<TicketIssued>(e.body) && !std::holds_alternative<DeviceHello>(e.body))
        before = before_of(*confirmed_, e);
    const ApplyResult r = confirmed_->apply(e);  // in place
    if (before_day && confirmed_->agenda().day() > before_day->day())
        snapshot_due_ = DueSnapshot{stream_seq - 1, std::move(*before_day),
                                    clock_.now() + static_cast<Millis>(std::max(lan_.device_index - 1, 0)) * lan_.snapshot_stagger};
    if (foreign && r.applied) learn_confirmed_locked(e, before, r, from);
    if (e.device == device_) {
        // Never reuse an own id the stream already has (e.g. a store restored from backup).
        next_seq_ = std::max(next_seq_, e.seq + 1);
        auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Event& p) { return p.id == e.id; });
        if (it != pending_.end()) {
            // The view applied this event on top of the same confirmed prefix when it was
            // recorded: when it is the first one pending, the view already IS the confirmed
            // state plus the rest of pending_, and needs no rebuild (the usual tap).
            const bool first = it == pending_.begin();
            pending_.erase(it);
            confirmed_results_[e.id] = r;
            if (!first) view_dirty = true;
            // Published as applied when recorded; the stream's order refused it after all.
            if (!r.applied) bus_.publish_reset();
            return;
        }
    }
    // While nothing is pending the view IS the confirmed state: apply in place (no copy).
    if (!view_dirty && !view_stale_ && pending_.empty())
        (void)state_.apply(e);
    else
        view_dirty = true;
    // New to this program (own events recorded here were published when recorded).
    if (r.applied) bus_.publish(e, r);
    // Own events still waiting for the stream now land after this one: what they do may change
    // (a "call next" gets another ticket) from what was published when they were recorded.
    if (r.applied && !pending_.empty()) bus_.publish_reset();
}

Result<void> Office::apply_stream(std::span<const StreamedEvent> batch, std::uint64_t applied_seq) {
    std::lock_guard lock(mutex_);
    if (!confirmed_) return fail("apply_stream: the office is not in LAN mode");
    // A wrong clock never moves the office into another day: an event stamped on a later day
    // than the servers' own time when they stored it is set aside. The servers' stamp is in the
    // stream, so every device decides alike; the quarantine row is written BEFORE the batch, so
    // another program on this store never sees the event without it (refresh_lan_locked).
    for (const auto& se : batch)
        if (se.server_time > 0 && se.stream_seq > applied_seq_) (void)reject_from_future_locked(se.event, se.server_time);
    if (auto r = record_stream_batch(*store_, batch, applied_seq); !r) return r;
    // What the batch teaches the forecast (outcomes of others' tickets, counter times) is saved
    // in one transaction, not one per ticket (a day's catch-up ends thousands). Derived data,
    // not flushed at once (a power cut may undo it with the batch, read again from the stream):
    // when the lock cannot be had, or the commit fails, each save is on its own as before.
    auto learned = StoreWriteLock::take(*store_, StoreWriteLock::Durability::Normal);
    bool view_dirty = false;
    for (const auto& se : batch) {
        // Events up to applied_seq_ were applied already (read from the store, where another
        // process on it had recorded them: refresh_lan_locked).
        if (se.stream_seq > applied_seq_) apply_confirmed_locked(se.event, se.stream_seq, LearnFrom::Recorded, view_dirty);
    }
    if (learned) (void)(*learned)->commit();
    if (view_dirty) rebuild_view_locked();
    if (confirmed_results_.size() > 1000) confirmed_results_.clear();  // only recent ones are awaited
    applied_seq_ = std::max(applied_seq_, applied_seq);
    if (snapshot_arrived_) take_agenda_snapshot_locked();
    ++version_;
    changed_.notify_all();
    return {};
}

// Other processes on this device's store (CLI commands beside a GUI role, a `kiosk sync`
// daemon) write to it too: the stream events they stored beyond ours, and own events they
// recorded (same device name) that the stream has not shown yet. Both are taken in here, so
// this process numbers its next event after theirs, publishes theirs if they died before
// doing it, and its view matches the store. Cheap when nothing changed (two index lookups).
Result<bool> Office::refresh_lan_locked() {
    const std::int64_t position = last_event_position(*store_);
    const std::uint64_t stored_applied = csc::applied_stream_seq(*store_);
    if (position == applied_position_ && stored_applied <= applied_seq_) return false;
    applied_position_ = position;
    bool changed = false, view_dirty = false;
    if (stored_applied > applied_seq_) {
        // What the program that recorded these events set aside, it wrote down first.
        if (auto set_aside = store_->quarantine_list(); set_aside)
            for (auto& q : *set_aside)
                if (quarantined_ids_.insert(q.id).second) future_events_.push_back(std::move(q));
        auto after = stream_events_after(*store_, applied_seq_);
        if (!after) return after.error();
        for (const auto& se : after->first)
            if (se.stream_seq > applied_seq_) apply_confirmed_locked(se.event, se.stream_seq, LearnFrom::Recorded, view_dirty);
        if (after->second > applied_seq_) {
            applied_seq_ = after->second;
            changed = true;
        }
        // Another program on this store may have noted a gap in the stream it read.
        agenda_gap_end_ = std::max(agenda_gap_end_, agenda_gap_end(*store_));
        if (snapshot_arrived_) {
            take_agenda_snapshot_locked();
            view_dirty = true;
        }
    }
    auto own = unconfirmed_events(*store_, device_);
    if (!own) return own.error();
    bool added = false;
    for (auto& e : *own) {
        next_seq_ = std::max(next_seq_, e.seq + 1);
        if (std::any_of(pending_.begin(), pending_.end(), [&](const Event& p) { return p.id == e.id; })) continue;
        staff_.apply(e);
        note_hello_locked(e);
        pending_.push_back(std::move(e));
        added = true;
    }
    if (added) {
        std::sort(pending_.begin(), pending_.end(), [](const Event& a, const Event& b) { return a.seq < b.seq; });
        view_dirty = true;
        changed = true;
        // Applied only when the view is rebuilt, outcomes unknown here: subscribers read again.
        bus_.publish_reset();
        if (uplink_) uplink_->publish_soon();
    }
    if (view_dirty) rebuild_view_locked();
    if (changed) {
        ++version_;
        changed_.notify_all();
    }
    return changed;
}

Result<bool> Office::append_own_lan_locked(const Event& e) {
    auto written = append_own_event(*store_, e);
    if (!written) return written.error();
    // Another process on this store used this device sequence: continue after the store's.
    if (!*written) next_seq_ = std::max(next_seq_ + 1, store_->last_device_seq(device_) + 1);
    return written;
}

std::uint64_t Office::applied_stream_seq() const {
    std::lock_guard lock(mutex_);
    return applied_seq_;
}

std::optional<Event> Office::next_unconfirmed(std::int64_t after_seq) const {
    std::lock_guard lock(mutex_);
    for (const auto& e : pending_)
        if (e.seq > after_seq) return e;
    return std::nullopt;
}

std::size_t Office::unconfirmed_count() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
}

void Office::read_confirmed(const std::function<void(const OfficeState&)>& reader) const {
    std::lock_guard lock(mutex_);
    reader(confirmed_ ? *confirmed_ : state_);
}

std::uint64_t Office::confirmed_hash() const {
    std::lock_guard lock(mutex_);
    return (confirmed_ ? *confirmed_ : state_).state_hash();
}

void Office::wait_for_change(std::uint64_t seen_version, Millis timeout_ms) const {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return version_ != seen_version; });
}

bool Office::wait_confirmed_locked(std::unique_lock<std::mutex>& lock, const std::string& event_id) {
    auto pending = [&] {
        return std::any_of(pending_.begin(), pending_.end(), [&](const Event& p) { return p.id == event_id; });
    };
    changed_.wait_for(lock, std::chrono::milliseconds(lan_.confirm_timeout),
                      [&] { return !pending() || uplink_ == nullptr; });
    return !pending();
}

Result<ApplyResult> Office::record_confirmed(EventBody body, const std::string& by) {
    std::unique_lock lock(mutex_);
    auto applied = record_locked(std::move(body), by);
    if (!applied || !confirmed_) return applied;
    const std::string id = make_event_id(device_, next_seq_ - 1);
    if (!uplink_ || !wait_confirmed_locked(lock, id))
        return fail_as("lan.unconfirmed",
                       "not confirmed yet (the office network is " + std::string(uplink_ ? "slow" : "unreachable") +
                           "): the action is queued and takes effect in order when the stream has it");
    auto it = confirmed_results_.find(id);
    if (it == confirmed_results_.end()) return applied;
    return it->second;
}

Result<int> Office::next_offline_number_locked(const std::string& sector) const {
    // Offline numbers are this device's own range, counted per sector per day in the view
    // (which holds every own ticket of today, confirmed or not), so a restart never reuses one.
    const int base = lan_.device_index * 1000;
    int highest = base;
    for (const auto& t : view_locked().tickets())
        if (t.offline && t.device == device_ && t.sector == sector && t.number > base && t.number <= base + kOfflineRangeSize)
            highest = std::max(highest, t.number);
    if (highest >= base + kOfflineRangeSize) return fail("the offline ticket range of this device is used up for today");
    return highest + 1;
}

Result<ApplyResult> Office::issue_lan_locked(std::unique_lock<std::mutex>& lock, TicketIssued body, const std::string& by) {
    const bool online = uplink_ && uplink_->online();
    if (online) {
        auto first = record_locked(body, by);
        if (!first || !first->applied) return first;
        const std::string id = first->ticket_id;
        if (wait_confirmed_locked(lock, id)) {
            auto it = confirmed_results_.find(id);
            if (it != confirmed_results_.end() && it->second.applied) return it->second;
            if (it != confirmed_results_.end()) return fail("ticket not issued: " + it->second.reason);
            return first;
        }
        // The stream did not confirm in time: the outcome is unknown. The citizen gets an
        // offline ticket now, and the online one is withdrawn: the withdrawal follows it in
        // this device's publish order, so every device applies both the same way (and a
        // withdrawal of an event the stream never got does nothing).
        TicketCancelled withdraw;
        withdraw.ticket = id;
        if (auto r = record_locked(withdraw); !r) return r;
    }
    // Two devices with one index would print the same offline numbers: refuse (online tickets
    // stay safe, they are numbered by the stream order).
    if (const auto clash = index_conflicts_locked(); !clash.empty()) {
        std::string who;
        for (const auto& d : clash) who += (who.empty() ? "" : ", ") + d;
        return fail(std::string(online ? "the office network did not confirm in time, and " : "") +
                    "offline tickets are disabled on this device: its device_index " +
                    std::to_string(lan_.device_index) + " is also used by " + who +
                    " (give each device its own [sync] device_index)");
    }
    // The number and the ticket are decided and written under the store's write lock: two
    // programs of this device issuing offline at once (two kiosk processes, a GUI and a CLI)
    // would otherwise both count the same own tickets and print the same number. Inside the
    // lock, record_locked() first takes in every own event the others committed.
    auto lock_held = StoreWriteLock::take(*store_);
    if (!lock_held) return lock_held.error();
    if (auto r = refresh_lan_locked(); !r) return r.error();
    auto number = next_offline_number_locked(body.sector);
    if (!number) return number.error();
    body.offline_number = *number;
    if (online) {
        // The withdrawn online ticket keeps its token: this one gets its own, or the phone page
        // of the ticket the citizen holds would find the withdrawn one (docs/WEB.md).
        auto token = new_ticket_token();
        if (!token) return token.error();
        body.token = std::move(*token);
    }
    auto recorded = record_locked(body, by);
    if (!recorded) return recorded;
    if (auto c = (*lock_held)->commit(); !c) {
        // Not durable: the ticket is not issued (the view forgets it again).
        const std::string id = make_event_id(device_, next_seq_ - 1);
        pending_.erase(std::remove_if(pending_.begin(), pending_.end(), [&](const Event& p) { return p.id == id; }), pending_.end());
        rebuild_view_locked();
        bus_.publish_reset();  // it was published when recorded
        return c.error();
    }
    return recorded;
}

// ---- Bookings older than the stream (docs/BOOKING.md; the design in agenda_snapshot.hpp).

Result<void> Office::note_stream_gap(std::uint64_t first_missing, std::uint64_t last_missing) {
    std::lock_guard lock(mutex_);
    // What was applied meanwhile (another program on this store, read by a refresh) is no gap.
    first_missing = std::max(first_missing, applied_seq_ + 1);
    if (last_missing < first_missing || last_missing <= agenda_gap_end_) return {};
    // Known here at once (booking refused even if the store cannot be written: said once, not
    // every second), and written before the messages after the gap are applied: a restart
    // knows the agenda needs a snapshot.
    agenda_gap_end_ = last_missing;
    return note_agenda_gap(*store_, last_missing);
}

bool Office::agenda_complete_locked() const { return agenda_gap_end_ == 0 || agenda_snapshot_base_ >= agenda_gap_end_; }

bool Office::agenda_complete() const {
    std::lock_guard lock(mutex_);
    return agenda_complete_locked();
}

std::uint64_t Office::agenda_snapshot_base() const {
    std::lock_guard lock(mutex_);
    return agenda_snapshot_base_;
}

void Office::take_agenda_snapshot_locked() {
    snapshot_arrived_ = false;
    // The confirmed state again from the stream events stored (those applied so far), as a
    // restart would build it: replay_stream() takes the first usable snapshot, or none (a
    // part still missing), and then nothing changes here.
    auto snap = load_lan_snapshot(*store_, config_->timezone.start_of_day(clock_.now()),
                                  agenda_history_start(*config_, clock_.now()), device_);
    if (!snap) return;  // the store cannot be read now: the next part, or the restart, tries again
    std::vector<SequencedEvent> in_order;
    for (std::size_t i = 0; i < snap->streamed.size(); ++i)
        if (snap->streamed_seqs[i] <= applied_seq_ && !quarantined_ids_.count(snap->streamed[i].id))
            in_order.push_back({snap->streamed_seqs[i], &snap->streamed[i]});
    OfficeState rebuilt(*config_);
    const std::uint64_t base = replay_stream(rebuilt, in_order, agenda_gap_end_);
    if (base < agenda_gap_end_ || base == 0) return;
    confirmed_ = std::move(rebuilt);
    agenda_snapshot_base_ = base;
    rebuild_view_locked();
    bus_.publish_reset();  // the agenda (and check-ins linked through it) changed as a whole
    ++version_;
    changed_.notify_all();
}

Result<int> Office::publish_agenda_snapshot_if_due() {
    std::lock_guard lock(mutex_);
    if (!confirmed_ || !snapshot_due_ || clock_.now() < snapshot_due_->due_at) return 0;
    if (!uplink_ || !uplink_->online()) return 0;  // still due: published when back online
    DueSnapshot due = std::move(*snapshot_due_);
    snapshot_due_.reset();
    // Another device was first (same base, same content), or this one learnt meanwhile that it
    // missed messages: nothing to publish.
    if (snapshot_bases_seen_.count(due.based_on) || !agenda_complete_locked()) return 0;
    auto parts = make_agenda_snapshot(due.agenda, due.based_on);
    if (!parts) return parts.error();
    int n = 0;
    for (auto& p : *parts) {
        auto r = record_locked(std::move(p));
        // Nothing recorded yet (the store busy, a clock alarm): still due, tried at the next
        // tick. After a first part, trying again would publish the parts twice: left to
        // another device's turn or the next day's snapshot.
        if (!r || !r->applied) {
            if (n == 0) snapshot_due_ = std::move(due);
            if (!r) return r.error();
            return fail("agenda snapshot part refused: " + r->reason);
        }
        ++n;
    }
    snapshot_bases_seen_.insert(due.based_on);
    return n;
}

}  // namespace csc
