#include "shared/office_state.hpp"

#include <algorithm>
#include <cstdio>

namespace csc {

namespace {
// Before any call in a sector, the alternation starts with the first group.
constexpr int kNoCallYet = 1'000'000;

ApplyResult refuse(std::string reason) { return {false, std::move(reason), {}}; }
std::string counter_name(int n) { return "counter " + std::to_string(n); }
}  // namespace

std::string_view to_string(TicketStatus s) {
    switch (s) {
        case TicketStatus::Waiting: return "waiting";
        case TicketStatus::Called: return "called";
        case TicketStatus::Serving: return "serving";
        case TicketStatus::Served: return "served";
        case TicketStatus::NoShow: return "no-show";
        case TicketStatus::Cancelled: return "cancelled";
        case TicketStatus::NotServed: return "not-served";
        case TicketStatus::Transferred: return "transferred";
    }
    return "?";
}

std::string_view to_string(CounterStatus s) {
    switch (s) {
        case CounterStatus::Closed: return "closed";
        case CounterStatus::Open: return "open";
        case CounterStatus::Paused: return "paused";
    }
    return "?";
}

std::string ticket_label(std::string_view letter, int number) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03d", number);
    return std::string(letter) + buf;
}

OfficeState::OfficeState(const SiteConfig& config) : config_(&config) {
    for (const auto& c : config.counters) counters_.push_back(CounterState{c.number, CounterStatus::Closed, {}, {}, 0});
}

const Ticket* OfficeState::find_ticket(std::string_view id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &tickets_[it->second];
}

Ticket* OfficeState::ticket(std::string_view id) {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &tickets_[it->second];
}

const Ticket* OfficeState::find_label(std::string_view label) const {
    const Ticket* found = nullptr;
    for (const auto& t : tickets_)
        if (t.label == label) found = &t;
    return found;
}

const CounterState* OfficeState::find_counter(int number) const {
    for (const auto& c : counters_)
        if (c.number == number) return &c;
    return nullptr;
}

CounterState* OfficeState::counter(int number) {
    for (auto& c : counters_)
        if (c.number == number) return &c;
    return nullptr;
}

int OfficeState::waiting(std::string_view sector) const {
    return static_cast<int>(std::count_if(tickets_.begin(), tickets_.end(), [&](const Ticket& t) {
        return t.sector == sector && is_waiting(t.status);
    }));
}

int OfficeState::last_number(std::string_view sector) const {
    auto it = last_number_.find(sector);
    return it == last_number_.end() ? 0 : it->second;
}

int OfficeState::walk_ins_since_priority(std::string_view sector) const {
    auto it = walk_ins_since_priority_.find(sector);
    return it == walk_ins_since_priority_.end() ? kNoCallYet : it->second;
}

bool OfficeState::goes_first(const Ticket& t, Millis at) const {
    return !t.priority.empty() || t.appointment_due(at, config_->queue);
}

std::vector<const Ticket*> OfficeState::queue(std::string_view sector) const { return queue(sector, last_time_); }

std::vector<const Ticket*> OfficeState::queue(std::string_view sector, Millis at) const {
    std::vector<const Ticket*> first, walk_ins;
    for (const auto& t : tickets_) {
        if (t.sector != sector || !is_waiting(t.status) || t.for_counter) continue;
        (goes_first(t, at) ? first : walk_ins).push_back(&t);
    }
    // Place in line: issue time (an appointment's is its slot); ties (same millisecond) keep
    // the log order, so the order is total and the same on every device.
    auto place = [&](const Ticket* t) { return t->appointment_due(at, config_->queue) ? *t->appointment_at : t->issued_at; };
    std::stable_sort(first.begin(), first.end(), [&](const Ticket* a, const Ticket* b) { return place(a) < place(b); });
    std::stable_sort(walk_ins.begin(), walk_ins.end(), [](const Ticket* a, const Ticket* b) { return a->issued_at < b->issued_at; });
    auto out = merge_by_policy(first, walk_ins, walk_ins_since_priority(sector), config_->queue);
    // Tickets transferred to one counter wait at the end of their sector's list for display
    // purposes; only that counter calls them (see next_for).
    std::vector<const Ticket*> directed;
    for (const auto& t : tickets_)
        if (t.sector == sector && is_waiting(t.status) && t.for_counter) directed.push_back(&t);
    std::stable_sort(directed.begin(), directed.end(), [](const Ticket* a, const Ticket* b) { return a->issued_at < b->issued_at; });
    out.insert(out.end(), directed.begin(), directed.end());
    return out;
}

const Ticket* OfficeState::next_for(int number, Millis at) const {
    const CounterConfig* cfg = config_->find_counter(number);
    if (!cfg) return nullptr;
    // Tickets transferred to this very counter come first, by original issue time.
    const Ticket* directed = nullptr;
    for (const auto& t : tickets_)
        if (is_waiting(t.status) && t.for_counter == number && (!directed || t.issued_at < directed->issued_at))
            directed = &t;
    if (directed) return directed;
    for (const auto& sector : cfg->sectors) {
        auto q = queue(sector, at);
        if (!q.empty() && !q.front()->for_counter) return q.front();
    }
    return nullptr;
}

void OfficeState::roll_over_to(int day) {
    // A new office day: whatever was still open yesterday was not served; numbering restarts,
    // every counter starts closed.
    tickets_.clear();
    by_id_.clear();
    last_number_.clear();
    walk_ins_since_priority_.clear();
    for (auto& c : counters_) c = CounterState{c.number, CounterStatus::Closed, {}, {}, 0, {}};
    day_ = day;
}

ApplyResult OfficeState::apply(const Event& e) {
    ++events_seen_;
    if (applied_ids_.count(e.id)) return refuse("duplicate event " + e.id);
    const int day = config_->timezone.day_key(e.time);
    if (day < day_) {
        applied_ids_.insert(e.id);
        return refuse("event " + e.id + " belongs to an earlier day");
    }
    applied_ids_.insert(e.id);
    // An announcement (LAN) or a staff record changes no queue state: it neither starts a new
    // day nor moves "now" (staff records are kept across days by StaffDirectory).
    if (std::holds_alternative<DeviceHello>(e.body) || std::holds_alternative<StaffSaved>(e.body) ||
        std::holds_alternative<StaffRemoved>(e.body) || std::holds_alternative<StaffSignIn>(e.body))
        return {true, {}, {}};
    if (day > day_) roll_over_to(day);
    if (e.time > last_time_) last_time_ = e.time;
    ApplyResult r = std::visit([&](const auto& body) { return on(e, body); }, e.body);
    if (r.applied) note_staff(e, r);
    return r;
}

void OfficeState::note_staff(const Event& e, const ApplyResult& r) {
    std::visit(
        [&](const auto& b) {
            using B = std::decay_t<decltype(b)>;
            if constexpr (requires { b.counter; }) {
                if (CounterState* c = counter(b.counter)) {
                    if constexpr (std::is_same_v<B, CounterClosed>) c->staff.clear();
                    else if (!e.by.empty()) c->staff = e.by;
                }
            }
            if constexpr (std::is_same_v<B, TicketCalled>)
                if (Ticket* t = r.ticket_id.empty() ? nullptr : ticket(r.ticket_id)) t->called_by = e.by;
        },
        e.body);
}

ApplyResult OfficeState::on(const Event&, const StaffSaved&) { return {true, {}, {}}; }
ApplyResult OfficeState::on(const Event&, const StaffRemoved&) { return {true, {}, {}}; }
ApplyResult OfficeState::on(const Event&, const StaffSignIn&) { return {true, {}, {}}; }

ApplyResult OfficeState::on(const Event& e, const TicketIssued& b) {
    const Sector* sector = config_->find_sector(b.sector);
    if (!sector) return refuse("unknown sector \"" + b.sector + "\"");
    if (!b.service.empty() && !sector->find_service(b.service))
        return refuse("unknown service \"" + b.service + "\" in sector " + b.sector);
    if (!b.priority.empty() && !config_->find_priority(b.priority))
        return refuse("unknown priority class \"" + b.priority + "\"");
    Ticket t;
    t.id = e.id;
    t.sector = b.sector;
    t.service = b.service;
    t.priority = b.priority;
    t.lang = b.lang;
    t.channel = b.channel;
    t.device = e.device;
    t.issued_at = e.time;
    t.appointment_at = b.appointment_at;
    if (b.offline_number) {
        t.number = *b.offline_number;
        t.offline = true;
    } else {
        // Online numbers run 1…999, then jump past the offline ranges of the devices
        // (index×1000+1 … index×1000+999, see office_lan.cpp) so the two can never meet.
        int& last = last_number_[b.sector];
        last = last == kLastPlainOnlineNumber ? kFirstHighOnlineNumber : last + 1;
        t.number = last;
    }
    t.label = ticket_label(sector->letter, t.number);
    by_id_[t.id] = tickets_.size();
    tickets_.push_back(std::move(t));
    return {true, {}, e.id};
}

ApplyResult OfficeState::on(const Event& e, const CounterOpened& b) {
    CounterState* c = counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    if (c->status == CounterStatus::Open) return refuse(counter_name(b.counter) + " is already open");
    c->status = CounterStatus::Open;
    c->pause_reason.clear();
    c->since = e.time;
    return {true, {}, {}};
}

ApplyResult OfficeState::on(const Event& e, const TicketCalled& b) {
    CounterState* c = counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    if (c->status == CounterStatus::Closed) return refuse(counter_name(b.counter) + " is closed: open it first");
    if (c->status == CounterStatus::Paused)
        return refuse(counter_name(b.counter) + " is paused (" + c->pause_reason + "): resume it first");
    if (!c->current.empty()) {
        const Ticket* cur = find_ticket(c->current);
        return refuse(counter_name(b.counter) + " still has " + cur->label + " (" + std::string(to_string(cur->status)) +
                      "): finish it, mark a no-show or transfer it first");
    }
    const Ticket* chosen = nullptr;
    if (b.ticket.empty()) {
        chosen = next_for(b.counter, e.time);
        if (!chosen) return refuse("nobody is waiting for " + counter_name(b.counter));
    } else {
        chosen = find_ticket(b.ticket);
        if (!chosen) return refuse("unknown ticket " + b.ticket);
        if (!is_waiting(chosen->status))
            return refuse("ticket " + chosen->label + " is not waiting (" + std::string(to_string(chosen->status)) + ")");
        if (chosen->for_counter && *chosen->for_counter != b.counter)
            return refuse("ticket " + chosen->label + " was transferred to " + counter_name(*chosen->for_counter));
    }
    Ticket* t = ticket(chosen->id);
    if (!t->for_counter) {
        const int before = walk_ins_since_priority(t->sector);
        walk_ins_since_priority_[t->sector] = goes_first(*t, e.time) ? 0 : std::min(before, kNoCallYet - 1) + 1;
    }
    t->status = TicketStatus::Called;
    t->counter = b.counter;
    t->for_counter.reset();
    t->called_at = e.time;
    t->recalls = 0;
    c->current = t->id;
    return {true, {}, t->id};
}

ApplyResult OfficeState::on(const Event&, const TicketRecalled& b) {
    CounterState* c = counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    Ticket* t = c->current.empty() ? nullptr : ticket(c->current);
    if (!t) return refuse(counter_name(b.counter) + " has no called ticket to recall");
    if (t->status != TicketStatus::Called) return refuse("ticket " + t->label + " is already being served");
    ++t->recalls;
    return {true, {}, t->id};
}

ApplyResult OfficeState::on(const Event& e, const ServiceStarted& b) {
    CounterState* c = counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    Ticket* t = c->current.empty() ? nullptr : ticket(c->current);
    if (!t) return refuse(counter_name(b.counter) + " has no called ticket to start");
    if (t->status != TicketStatus::Called) return refuse("ticket " + t->label + " is already being served");
    t->status = TicketStatus::Serving;
    t->started_at = e.time;
    return {true, {}, t->id};
}

ApplyResult OfficeState::on(const Event& e, const ServiceFinished& b) {
    CounterState* c = counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    Ticket* t = c->current.empty() ? nullptr : ticket(c->current);
    if (!t) return refuse(counter_name(b.counter) + " has no ticket to finish");
    if (!b.service.empty()) {
        bool known = false;
        for (const auto& s : config_->sectors) known = known || s.find_service(b.service);
        if (!known) return refuse("unknown service \"" + b.service + "\"");
    }
    // Finishing a ticket that was only called means service started at the call.
    if (t->status == TicketStatus::Called) t->started_at = t->called_at;
    t->status = TicketStatus::Served;
    t->finished_at = e.time;
    t->performed_service = b.service.empty() ? t->service : b.service;
    c->current.clear();
    return {true, {}, t->id};
}

ApplyResult OfficeState::on(const Event& e, const TicketNoShow& b) {
    CounterState* c = counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    Ticket* t = c->current.empty() ? nullptr : ticket(c->current);
    if (!t) return refuse(counter_name(b.counter) + " has no called ticket");
    if (t->status != TicketStatus::Called) return refuse("ticket " + t->label + " is being served: it came");
    t->status = TicketStatus::NoShow;
    t->finished_at = e.time;
    c->current.clear();
    return {true, {}, t->id};
}

ApplyResult OfficeState::on(const Event&, const TicketTransferred& b) {
    CounterState* c = counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    Ticket* t = c->current.empty() ? nullptr : ticket(c->current);
    if (!t) return refuse(counter_name(b.counter) + " has no ticket to transfer");
    if (b.to_sector.empty() && !b.to_counter) return refuse("transfer: say to which sector or counter");
    if (!b.to_sector.empty() && !config_->find_sector(b.to_sector))
        return refuse("transfer to unknown sector \"" + b.to_sector + "\"");
    if (b.to_counter && !find_counter(*b.to_counter)) return refuse("transfer to unknown " + counter_name(*b.to_counter));
    if (b.to_counter && *b.to_counter == b.counter) return refuse("transfer: the ticket is already at " + counter_name(b.counter));
    if (!b.to_sector.empty() && b.to_sector != t->sector) t->from_sector = t->sector;
    if (!b.to_sector.empty()) t->sector = b.to_sector;
    t->for_counter = b.to_counter;
    t->status = TicketStatus::Transferred;
    ++t->transfers;
    c->current.clear();
    return {true, {}, t->id};
}

ApplyResult OfficeState::on(const Event& e, const CounterPaused& b) {
    CounterState* c = counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    if (b.reason.empty()) return refuse("pause: give a reason");
    if (c->status != CounterStatus::Open) return refuse(counter_name(b.counter) + " is " + std::string(to_string(c->status)) + ", not open");
    if (!c->current.empty())
        return refuse(counter_name(b.counter) + " still has " + find_ticket(c->current)->label + ": finish it first");
    c->status = CounterStatus::Paused;
    c->pause_reason = b.reason;
    c->since = e.time;
    return {true, {}, {}};
}

ApplyResult OfficeState::on(const Event& e, const CounterResumed& b) {
    CounterState* c = counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    if (c->status != CounterStatus::Paused) return refuse(counter_name(b.counter) + " is not paused");
    c->status = CounterStatus::Open;
    c->pause_reason.clear();
    c->since = e.time;
    return {true, {}, {}};
}

ApplyResult OfficeState::on(const Event& e, const CounterClosed& b) {
    CounterState* c = counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    if (c->status == CounterStatus::Closed) return refuse(counter_name(b.counter) + " is already closed");
    if (!c->current.empty())
        return refuse(counter_name(b.counter) + " still has " + find_ticket(c->current)->label + ": finish it first");
    c->status = CounterStatus::Closed;
    c->pause_reason.clear();
    c->since = e.time;
    return {true, {}, {}};
}

ApplyResult OfficeState::on(const Event& e, const TicketCancelled& b) {
    Ticket* t = ticket(b.ticket);
    if (!t) return refuse("unknown ticket " + b.ticket);
    if (!is_waiting(t->status)) return refuse("ticket " + t->label + " is not waiting (" + std::string(to_string(t->status)) + ")");
    t->status = TicketStatus::Cancelled;
    t->finished_at = e.time;
    return {true, {}, t->id};
}

ApplyResult OfficeState::on(const Event&, const DeviceHello&) { return {true, {}, {}}; }

ApplyResult OfficeState::on(const Event& e, const DayClosed&) {
    for (auto& t : tickets_)
        if (is_waiting(t.status) || t.status == TicketStatus::Called || t.status == TicketStatus::Serving) {
            t.status = TicketStatus::NotServed;
            t.finished_at = e.time;
        }
    for (auto& c : counters_)
        if (c.status != CounterStatus::Closed || !c.current.empty()) c = CounterState{c.number, CounterStatus::Closed, {}, {}, e.time};
    return {true, {}, {}};
}

std::uint64_t OfficeState::state_hash() const {
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ULL;
        }
        h ^= 0xff;
        h *= 1099511628211ULL;
    };
    auto num = [&](std::int64_t v) { mix(std::to_string(v)); };
    num(day_);
    for (const auto& t : tickets_) {
        mix(t.id);
        mix(t.label);
        mix(t.sector);
        mix(to_string(t.status));
        mix(t.service);
        mix(t.priority);
        num(t.counter);
        num(t.for_counter.value_or(0));
        num(t.recalls);
        num(t.called_at);
        num(t.started_at);
        num(t.finished_at);
        mix(t.performed_service);
        mix(t.called_by);
    }
    for (const auto& c : counters_) {
        num(c.number);
        mix(to_string(c.status));
        mix(c.pause_reason);
        mix(c.current);
        mix(c.staff);
    }
    for (const auto& [sector, n] : walk_ins_since_priority_) {
        mix(sector);
        num(n);
    }
    return h;
}

}  // namespace csc
