// One LAN device's view of the office (lan_view.hpp; the design in docs/SYNC.md).
#include "shared/lan/lan_view.hpp"

#include <algorithm>

namespace csc {

namespace {
bool holds_id(const std::vector<Event>& events, std::string_view id) {
    return std::any_of(events.begin(), events.end(), [&](const Event& p) { return p.id == id; });
}
}  // namespace

LanView::LanView(const SiteConfig& config, std::string device, LanSettings settings, EventBus& bus)
    : config_(config), device_(std::move(device)), settings_(settings), bus_(bus), confirmed_(config), view_(config) {}

void LanView::join(std::span<const SequencedEvent> streamed, std::vector<Event> own_pending, std::uint64_t applied_seq,
                   std::uint64_t agenda_gap_end) {
    confirmed_ = OfficeState(config_);
    gap_end_ = agenda_gap_end;
    for (const auto& se : streamed) {
        note_hello(*se.event);
        if (const auto* part = std::get_if<AgendaSnapshot>(&se.event->body)) snapshot_bases_seen_.insert(part->based_on);
    }
    // A device that missed the stream's first messages (older than its retention) takes the
    // agenda snapshot it stored, as it did when the snapshot came.
    snapshot_base_ = replay_stream(confirmed_, streamed, gap_end_);
    pending_ = std::move(own_pending);
    for (const auto& e : pending_) note_hello(e);
    applied_seq_ = applied_seq;
    mark_stale();
    bus_.publish_reset();
}

const OfficeState& LanView::view() const {
    // Rebuilt when read, not when changed: a catch-up of many batches, or others' events
    // arriving while own ones wait for the stream, copy the confirmed state once per read at
    // most, not once per batch.
    if (view_stale_) {
        view_ = confirmed_;
        for (const auto& e : pending_) (void)view_.apply(e);
        view_stale_ = false;
    }
    return view_;
}

ApplyResult LanView::add_own(const Event& e) {
    (void)view();  // fresh before applying on top of it
    pending_.push_back(e);
    note_hello(e);
    return view_.apply(e);
}

std::vector<Event> LanView::adopt_own(std::vector<Event> own) {
    std::vector<Event> added;
    for (auto& e : own) {
        if (holds_id(pending_, e.id)) continue;
        note_hello(e);
        added.push_back(e);
        pending_.push_back(std::move(e));
    }
    if (!added.empty()) {
        std::sort(pending_.begin(), pending_.end(), [](const Event& a, const Event& b) { return a.seq < b.seq; });
        mark_stale();
        // Applied only when the view is rebuilt, outcomes unknown here: subscribers read again.
        bus_.publish_reset();
    }
    return added;
}

void LanView::forget_own(std::string_view id) {
    std::erase_if(pending_, [&](const Event& p) { return p.id == id; });
    mark_stale();
    bus_.publish_reset();  // it was published when recorded
}

bool LanView::pending(std::string_view id) const { return holds_id(pending_, id); }

std::optional<Event> LanView::next_unconfirmed(std::int64_t after_seq) const {
    for (const auto& e : pending_)
        if (e.seq > after_seq) return e;
    return std::nullopt;
}

std::optional<ApplyResult> LanView::confirmed_result(std::string_view id) const {
    auto it = results_.find(id);
    if (it == results_.end()) return std::nullopt;
    return it->second;
}

void LanView::set_aside(const Event& e) {
    // Set aside on every device alike: an own one ends as not applied.
    auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Event& p) { return p.id == e.id; });
    if (it == pending_.end()) return;
    pending_.erase(it);
    results_[e.id] = ApplyResult{false, "quarantined: stamped on a later day than the office servers' time", {}};
    mark_stale();
    bus_.publish_reset();  // published as applied when it was recorded
}

void LanView::apply_confirmed(const Event& e, std::uint64_t stream_seq, Millis now, const LearnForeign& learn) {
    note_hello(e);
    if (const auto* part = std::get_if<AgendaSnapshot>(&e.body)) {
        snapshot_bases_seen_.insert(part->based_on);
        if (!agenda_complete()) snapshot_arrived_ = true;
    }
    // Day open: the agenda as it stood before the day's first event (after stream_seq - 1) is
    // what this device publishes as the day's snapshot, if its agenda is complete. Copied only
    // for the few events of a new day before one rolls the agenda.
    std::optional<Agenda> before_day;
    if (stream_seq > 1 && confirmed_.agenda().day() != 0 && config_.timezone.day_key(e.time) > confirmed_.agenda().day() &&
        agenda_complete())
        before_day = confirmed_.agenda();
    // Another device's event feeds the forecast's history (own ones did when recorded). Only
    // actions that can end a ticket or change a counter need the counters before them.
    const bool foreign = e.device != device_;
    StateBefore before;
    before.day = confirmed_.day();
    if (foreign && learn && !std::holds_alternative<TicketIssued>(e.body) && !std::holds_alternative<DeviceHello>(e.body))
        before = state_before(confirmed_, e);
    const ApplyResult r = confirmed_.apply(e);  // in place
    if (before_day && confirmed_.agenda().day() > before_day->day())
        due_ = DueSnapshot{stream_seq - 1, std::move(*before_day),
                           now + static_cast<Millis>(std::max(settings_.device_index - 1, 0)) * settings_.snapshot_stagger};
    if (foreign && r.applied && learn && !std::holds_alternative<DeviceHello>(e.body)) learn(e, before, confirmed_, r);
    if (!foreign) {
        auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Event& p) { return p.id == e.id; });
        if (it != pending_.end()) {
            // The view applied this event on top of the same confirmed prefix when it was
            // recorded: when it is the first one pending, the view already IS the confirmed
            // state plus the rest of pending_, and needs no rebuild (the usual tap).
            const bool first = it == pending_.begin();
            pending_.erase(it);
            results_[e.id] = r;
            if (!first) mark_stale();
            // The view shows nothing new, the confirmed state does: said to the feeds that
            // wait for it (a counter's "calling…"), once, as the pending event leaves.
            bus_.publish_own_confirmed(e, r);
            // Published as applied when recorded; the stream's order refused it after all.
            if (!r.applied) bus_.publish_reset();
            return;
        }
    }
    // While nothing is pending the view IS the confirmed state: apply in place (no copy).
    if (!view_stale_ && pending_.empty())
        (void)view_.apply(e);
    else
        mark_stale();
    // New to this program (own events recorded here were published when recorded).
    if (r.applied) bus_.publish(e, r);
    // Own events still waiting for the stream now land after this one: what they do may change
    // (a "call next" gets another ticket) from what was published when they were recorded.
    if (r.applied && !pending_.empty()) bus_.publish_reset();
}

void LanView::batch_done(std::uint64_t applied_seq) {
    if (results_.size() > 1000) results_.clear();  // only recent ones are awaited
    applied_seq_ = std::max(applied_seq_, applied_seq);
}

Result<int> LanView::next_offline_number(const std::string& sector) const {
    // Counted per sector per day in the view (which holds every own ticket of today, confirmed
    // or not), so a restart never reuses one.
    const int base = settings_.device_index * 1000;
    int highest = base;
    for (const auto& t : view().tickets())
        if (t.offline && t.device == device_ && t.sector == sector && t.number > base && t.number <= base + kOfflineRangeSize)
            highest = std::max(highest, t.number);
    if (highest >= base + kOfflineRangeSize) return fail("the offline ticket range of this device is used up for today");
    return highest + 1;
}

void LanView::note_hello(const Event& e) {
    if (const auto* h = std::get_if<DeviceHello>(&e.body)) announced_[e.device] = {h->device_index, config_.timezone.day_key(e.time)};
}

bool LanView::announcement_due(int today) const {
    auto it = announced_.find(device_);
    return it == announced_.end() || it->second.index != settings_.device_index || it->second.day != today;
}

void LanView::announced(int today) { announced_[device_] = {settings_.device_index, today}; }

std::vector<std::string> LanView::index_conflicts(int today) const {
    std::vector<std::string> out;
    for (const auto& [device, a] : announced_)
        if (device != device_ && a.index == settings_.device_index && a.day == today) out.push_back(device);
    return out;
}

std::optional<std::uint64_t> LanView::note_gap(std::uint64_t first_missing, std::uint64_t last_missing) {
    // What was applied meanwhile (another program on this store, read by a refresh) is no gap.
    first_missing = std::max(first_missing, applied_seq_ + 1);
    if (last_missing < first_missing || last_missing <= gap_end_) return std::nullopt;
    gap_end_ = last_missing;
    return gap_end_;
}

bool LanView::take_snapshot(std::span<const SequencedEvent> streamed) {
    snapshot_arrived_ = false;
    // The confirmed state again from the stream events stored (those applied so far), as a
    // restart would build it: replay_stream() takes the first usable snapshot, or none (a part
    // still missing), and then nothing changes here.
    std::vector<SequencedEvent> in_order;
    for (const auto& se : streamed)
        if (se.stream_seq <= applied_seq_) in_order.push_back(se);
    OfficeState rebuilt(config_);
    const std::uint64_t base = replay_stream(rebuilt, in_order, gap_end_);
    if (base < gap_end_ || base == 0) return false;
    confirmed_ = std::move(rebuilt);
    snapshot_base_ = base;
    mark_stale();
    bus_.publish_reset();  // the agenda (and check-ins linked through it) changed as a whole
    return true;
}

std::optional<LanView::DueSnapshot> LanView::take_due_snapshot() {
    if (!due_) return std::nullopt;
    DueSnapshot due = std::move(*due_);
    due_.reset();
    // Another device was first (same base, same content), or this one learnt meanwhile that it
    // missed messages: nothing to publish.
    if (snapshot_bases_seen_.count(due.based_on) || !agenda_complete()) return std::nullopt;
    return due;
}

}  // namespace csc
