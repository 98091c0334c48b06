#include "shared/office_state.hpp"

#include <algorithm>
#include <cstdio>

namespace csc {

std::string_view to_string(TicketStatus s) {
    switch (s) {
        case TicketStatus::Waiting: return "waiting";
        case TicketStatus::Called: return "called";
        case TicketStatus::Serving: return "serving";
        case TicketStatus::Served: return "served";
        case TicketStatus::NoShow: return "no-show";
        case TicketStatus::Cancelled: return "cancelled";
        case TicketStatus::NotServed: return "not-served";
    }
    return "?";
}

std::string ticket_label(std::string_view letter, int number) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03d", number);
    return std::string(letter) + buf;
}

OfficeState::OfficeState(const SiteConfig& config) : config_(&config) {}

const Ticket* OfficeState::find_ticket(std::string_view id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &tickets_[it->second];
}

const Ticket* OfficeState::find_label(std::string_view label) const {
    for (const auto& t : tickets_)
        if (t.label == label) return &t;
    return nullptr;
}

int OfficeState::waiting(std::string_view sector) const {
    return static_cast<int>(std::count_if(tickets_.begin(), tickets_.end(), [&](const Ticket& t) {
        return t.sector == sector && t.status == TicketStatus::Waiting;
    }));
}

int OfficeState::last_number(std::string_view sector) const {
    auto it = last_number_.find(sector);
    return it == last_number_.end() ? 0 : it->second;
}

std::vector<const Ticket*> OfficeState::queue(std::string_view sector) const {
    std::vector<const Ticket*> out;
    for (const auto& t : tickets_)
        if (t.sector == sector && t.status == TicketStatus::Waiting) out.push_back(&t);
    // Place in line is the issue time; ties (same millisecond) by id, so the order is total.
    std::stable_sort(out.begin(), out.end(), [](const Ticket* a, const Ticket* b) {
        return a->issued_at != b->issued_at ? a->issued_at < b->issued_at : a->id < b->id;
    });
    return out;
}

void OfficeState::roll_over_to(int day) {
    // A new office day: whatever was still open yesterday was not served; numbering restarts.
    tickets_.clear();
    by_id_.clear();
    last_number_.clear();
    day_ = day;
}

ApplyResult OfficeState::apply(const Event& e) {
    ++events_seen_;
    if (!applied_ids_.insert(e.id).second) return {false, "duplicate event " + e.id, {}};
    const int day = config_->timezone.day_key(e.time);
    if (day < day_) return {false, "event " + e.id + " belongs to an earlier day", {}};
    if (day > day_) roll_over_to(day);
    return std::visit([&](const auto& body) { return on(e, body); }, e.body);
}

ApplyResult OfficeState::on(const Event& e, const TicketIssued& b) {
    const Sector* sector = config_->find_sector(b.sector);
    if (!sector) return {false, "unknown sector \"" + b.sector + "\"", {}};
    if (!b.service.empty() && !sector->find_service(b.service))
        return {false, "unknown service \"" + b.service + "\" in sector " + b.sector, {}};
    Ticket t;
    t.id = e.id;
    t.sector = b.sector;
    t.service = b.service;
    t.priority = b.priority;
    t.lang = b.lang;
    t.channel = b.channel;
    t.device = e.device;
    t.issued_at = e.time;
    if (b.offline_number) {
        t.number = *b.offline_number;
        t.offline = true;
    } else {
        t.number = ++last_number_[b.sector];
    }
    t.label = ticket_label(sector->letter, t.number);
    by_id_[t.id] = tickets_.size();
    tickets_.push_back(std::move(t));
    return {true, {}, e.id};
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
    mix(std::to_string(day_));
    for (const auto& t : tickets_) {
        mix(t.id);
        mix(t.label);
        mix(to_string(t.status));
        mix(t.service);
        mix(t.priority);
    }
    return h;
}

}  // namespace csc
