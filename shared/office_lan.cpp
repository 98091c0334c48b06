// Office in LAN mode (declared in office.hpp; the design is in docs/SYNC.md): the store, the
// lock and the uplink around the LAN link's state and rules (shared/lan/lan_view.hpp).
#include <algorithm>
#include <chrono>

#include "shared/booking/agenda_snapshot.hpp"
#include "shared/office.hpp"
#include "shared/store_history.hpp"
#include "shared/store_refresh.hpp"

namespace csc {

namespace {
/// The stored stream events in stream order, those set aside left out (pointing into `snap`).
std::vector<SequencedEvent> stream_in_order(const LanSnapshot& snap, const std::set<std::string, std::less<>>& set_aside) {
    std::vector<SequencedEvent> in_order;
    for (std::size_t i = 0; i < snap.streamed.size(); ++i)
        if (!set_aside.count(snap.streamed[i].id)) in_order.push_back({snap.streamed_seqs[i], &snap.streamed[i]});
    return in_order;
}
}  // namespace

Result<void> Office::enable_lan(const LanSettings& settings, EventUplink* uplink) {
    std::lock_guard lock(mutex_);
    uplink_ = uplink;
    if (lan_) {
        lan_->set_settings(settings);
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
    // Events set aside when they came (stamped from the future) stay out.
    const auto in_order = stream_in_order(*snap, quarantined_ids_);
    lan_.emplace(*config_, device_, settings, bus_);
    lan_->join(in_order, std::move(snap->own_pending), snap->applied_seq, agenda_gap_end(*store_));
    state_ = OfficeState(*config_);  // the view is lan_'s from now on
    applied_position_ = last_event_position(*store_);
    ++version_;
    changed_.notify_all();
    // Tell the office which offline range this device uses (once a day, and after a change).
    if (auto r = announce_device_locked(); !r) return r.error();
    return {};
}

Result<bool> Office::announce_device() {
    std::lock_guard lock(mutex_);
    return announce_device_locked();
}

Result<bool> Office::announce_device_locked() {
    if (!lan_) return false;
    const int today = config_->timezone.day_key(clock_.now());
    if (!lan_->announcement_due(today)) return false;
    auto r = record_locked(DeviceHello{lan_->settings().device_index});
    if (!r) return r.error();
    lan_->announced(today);
    return true;
}

std::vector<std::string> Office::index_conflicts() const {
    std::lock_guard lock(mutex_);
    return index_conflicts_locked();
}

std::vector<std::string> Office::index_conflicts_locked() const {
    if (!lan_) return {};
    return lan_->index_conflicts(config_->timezone.day_key(clock_.now()));
}

void Office::detach_uplink() {
    std::lock_guard lock(mutex_);
    uplink_ = nullptr;
    changed_.notify_all();  // a waiting issue() falls back to offline at once
}

bool Office::lan_mode() const {
    std::lock_guard lock(mutex_);
    return lan_.has_value();
}

// The forecast's history from the stream: an event of ANOTHER device, applied to the confirmed
// state, feeds the same learning as this device's own events (office.cpp, learn_locked), so
// every device learns from the whole office. Own events were learned when recorded (LanView
// does not pass them on); learn_locked counts a ticket's outcome only once even if the stream
// ordered an own action differently. Events another process on this store applied first
// (LearnFrom::Seen) were saved by it: learned here without saving.
void Office::apply_confirmed_locked(const Event& e, std::uint64_t stream_seq, LearnFrom from) {
    if (quarantined_ids_.count(e.id)) {
        lan_->set_aside(e);  // on every device alike (apply_stream)
        return;
    }
    staff_.apply(e);
    // Never reuse an own id the stream already has (e.g. a store restored from backup).
    if (e.device == device_) next_seq_ = std::max(next_seq_, e.seq + 1);
    lan_->apply_confirmed(e, stream_seq, clock_.now(),
                          [&](const Event& ev, const StateBefore& before, const OfficeState& after, const ApplyResult& r) {
                              if (before.day != after.day()) learning_.forget_openings();
                              learn_locked(ev, before, after, r, from);
                          });
}

Result<void> Office::apply_stream(std::span<const StreamedEvent> batch, std::uint64_t applied_seq) {
    std::lock_guard lock(mutex_);
    if (!lan_) return fail("apply_stream: the office is not in LAN mode");
    // A wrong clock never moves the office into another day: an event stamped on a later day
    // than the servers' own time when they stored it is set aside. The servers' stamp is in the
    // stream, so every device decides alike; the quarantine row is written BEFORE the batch, so
    // another program on this store never sees the event without it (refresh_lan_locked).
    for (const auto& se : batch)
        if (se.server_time > 0 && se.stream_seq > lan_->applied_seq()) (void)reject_from_future_locked(se.event, se.server_time);
    if (auto r = record_stream_batch(*store_, batch, applied_seq); !r) return r;
    // What the batch teaches the forecast (outcomes of others' tickets, counter times) is saved
    // in one transaction, not one per ticket (a day's catch-up ends thousands). Derived data,
    // not flushed at once (a power cut may undo it with the batch, read again from the stream):
    // when the lock cannot be had, or the commit fails, each save is on its own as before.
    auto learned = StoreWriteLock::take(*store_, StoreWriteLock::Durability::Normal);
    for (const auto& se : batch) {
        // Events up to applied_seq were applied already (read from the store, where another
        // process on it had recorded them: refresh_lan_locked).
        if (se.stream_seq > lan_->applied_seq()) apply_confirmed_locked(se.event, se.stream_seq, LearnFrom::Recorded);
    }
    if (learned) (void)(*learned)->commit();
    lan_->batch_done(applied_seq);
    if (lan_->snapshot_arrived()) take_agenda_snapshot_locked();
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
    if (position == applied_position_ && stored_applied <= lan_->applied_seq()) return false;
    applied_position_ = position;
    bool changed = false;
    if (stored_applied > lan_->applied_seq()) {
        // What the program that recorded these events set aside, it wrote down first.
        if (auto set_aside = store_->quarantine_list(); set_aside)
            for (auto& q : *set_aside)
                if (quarantined_ids_.insert(q.id).second) future_events_.push_back(std::move(q));
        auto after = stream_events_after(*store_, lan_->applied_seq());
        if (!after) return after.error();
        for (const auto& se : after->first)
            if (se.stream_seq > lan_->applied_seq()) apply_confirmed_locked(se.event, se.stream_seq, LearnFrom::Recorded);
        if (after->second > lan_->applied_seq()) {
            lan_->batch_done(after->second);
            changed = true;
        }
        // Another program on this store may have noted a gap in the stream it read.
        lan_->merge_gap(agenda_gap_end(*store_));
        if (lan_->snapshot_arrived()) take_agenda_snapshot_locked();
    }
    auto own = unconfirmed_events(*store_, device_);
    if (!own) return own.error();
    for (const auto& e : *own) next_seq_ = std::max(next_seq_, e.seq + 1);
    const auto added = lan_->adopt_own(std::move(*own));
    for (const auto& e : added) staff_.apply(e);
    if (!added.empty()) {
        changed = true;
        if (uplink_) uplink_->publish_soon();
    }
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
    return lan_ ? lan_->applied_seq() : 0;
}

std::optional<Event> Office::next_unconfirmed(std::int64_t after_seq) const {
    std::lock_guard lock(mutex_);
    if (!lan_) return std::nullopt;
    return lan_->next_unconfirmed(after_seq);
}

std::size_t Office::unconfirmed_count() const {
    std::lock_guard lock(mutex_);
    return lan_ ? lan_->unconfirmed_count() : 0;
}

void Office::read_confirmed(const std::function<void(const OfficeState&)>& reader) const {
    std::lock_guard lock(mutex_);
    reader(lan_ ? lan_->confirmed() : state_);
}

std::uint64_t Office::confirmed_hash() const {
    std::lock_guard lock(mutex_);
    return (lan_ ? lan_->confirmed() : state_).state_hash();
}

void Office::wait_for_change(std::uint64_t seen_version, Millis timeout_ms) const {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return version_ != seen_version; });
}

bool Office::wait_confirmed_locked(std::unique_lock<std::mutex>& lock, const std::string& event_id) {
    changed_.wait_for(lock, std::chrono::milliseconds(lan_->settings().confirm_timeout),
                      [&] { return !lan_->pending(event_id) || uplink_ == nullptr; });
    return !lan_->pending(event_id);
}

Result<ApplyResult> Office::record_confirmed(EventBody body, const std::string& by) {
    std::unique_lock lock(mutex_);
    auto applied = record_locked(std::move(body), by);
    if (!applied || !lan_) return applied;
    const std::string id = make_event_id(device_, next_seq_ - 1);
    if (!uplink_ || !wait_confirmed_locked(lock, id))
        return fail_as("lan.unconfirmed",
                       "not confirmed yet (the office network is " + std::string(uplink_ ? "slow" : "unreachable") +
                           "): the action is queued and takes effect in order when the stream has it");
    if (auto result = lan_->confirmed_result(id)) return *result;
    return applied;
}

Result<ApplyResult> Office::issue_lan_locked(std::unique_lock<std::mutex>& lock, TicketIssued body, const std::string& by) {
    const bool online = uplink_ && uplink_->online();
    if (online) {
        auto first = record_locked(body, by);
        if (!first || !first->applied) return first;
        const std::string id = first->ticket_id;
        if (wait_confirmed_locked(lock, id)) {
            const auto result = lan_->confirmed_result(id);
            if (result && result->applied) return *result;
            if (result) return fail("ticket not issued: " + result->reason);
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
                    std::to_string(lan_->settings().device_index) + " is also used by " + who +
                    " (give each device its own [sync] device_index)");
    }
    // The number and the ticket are decided and written under the store's write lock: two
    // programs of this device issuing offline at once (two kiosk processes, a GUI and a CLI)
    // would otherwise both count the same own tickets and print the same number. Inside the
    // lock, record_locked() first takes in every own event the others committed.
    auto lock_held = StoreWriteLock::take(*store_);
    if (!lock_held) return lock_held.error();
    if (auto r = refresh_lan_locked(); !r) return r.error();
    auto number = lan_->next_offline_number(body.sector);
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
        lan_->forget_own(make_event_id(device_, next_seq_ - 1));
        return c.error();
    }
    return recorded;
}

// ---- Bookings older than the stream (docs/BOOKING.md; the design in agenda_snapshot.hpp).

Result<void> Office::note_stream_gap(std::uint64_t first_missing, std::uint64_t last_missing) {
    std::lock_guard lock(mutex_);
    if (!lan_) return {};
    // Known here at once (booking refused even if the store cannot be written: said once, not
    // every second), and written before the messages after the gap are applied: a restart
    // knows the agenda needs a snapshot.
    const auto gap_end = lan_->note_gap(first_missing, last_missing);
    if (!gap_end) return {};
    return note_agenda_gap(*store_, *gap_end);
}

bool Office::agenda_complete() const {
    std::lock_guard lock(mutex_);
    return !lan_ || lan_->agenda_complete();
}

std::uint64_t Office::agenda_snapshot_base() const {
    std::lock_guard lock(mutex_);
    return lan_ ? lan_->agenda_snapshot_base() : 0;
}

void Office::take_agenda_snapshot_locked() {
    // The stream events stored, as a restart would read them.
    auto snap = load_lan_snapshot(*store_, config_->timezone.start_of_day(clock_.now()),
                                  agenda_history_start(*config_, clock_.now()), device_);
    if (!snap) return;  // the store cannot be read now: the next batch, or the restart, tries again
    if (lan_->take_snapshot(stream_in_order(*snap, quarantined_ids_))) {
        ++version_;
        changed_.notify_all();
    }
}

Result<int> Office::publish_agenda_snapshot_if_due() {
    std::lock_guard lock(mutex_);
    if (!lan_ || !lan_->snapshot_due(clock_.now())) return 0;
    if (!uplink_ || !uplink_->online()) return 0;  // still due: published when back online
    auto due = lan_->take_due_snapshot();
    if (!due) return 0;  // another device was first, or this one's agenda is incomplete
    auto parts = make_agenda_snapshot(due->agenda, due->based_on);
    if (!parts) return parts.error();
    int n = 0;
    for (auto& p : *parts) {
        auto r = record_locked(std::move(p));
        // Nothing recorded yet (the store busy, a clock alarm): still due, tried at the next
        // tick. After a first part, trying again would publish the parts twice: left to
        // another device's turn or the next day's snapshot.
        if (!r || !r->applied) {
            if (n == 0) lan_->keep_due(std::move(*due));
            if (!r) return r.error();
            return fail("agenda snapshot part refused: " + r->reason);
        }
        ++n;
    }
    lan_->snapshot_published(due->based_on);
    return n;
}

}  // namespace csc
