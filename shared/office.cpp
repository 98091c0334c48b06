#include "shared/office.hpp"

namespace csc {

Office::Office(std::unique_ptr<SiteConfig> config, std::unique_ptr<Store> store, const Clock& clock, std::string device)
    : config_(std::move(config)), store_(std::move(store)), clock_(clock), device_(std::move(device)), state_(*config_) {}

Result<std::unique_ptr<Office>> Office::open(SiteConfig config, const std::filesystem::path& data_dir,
                                             const Clock& clock, std::string device) {
    auto store = Store::open(data_dir);
    if (!store) return store.error();
    if (device.empty()) device = (*store)->meta("device").value_or("kiosk-1");
    if (!valid_device_name(device))
        return fail("invalid device name \"" + device + "\": use lowercase letters, digits, '-', '_' or '.'");
    if (auto r = (*store)->set_meta("device", device); !r) return r.error();

    auto cfg = std::make_unique<SiteConfig>(std::move(config));
    std::unique_ptr<Office> office(new Office(std::move(cfg), std::move(*store), clock, device));
    office->next_seq_ = office->store_->last_device_seq(device) + 1;
    // Today's state is derived from today's events: replay them from local midnight.
    auto events = office->store_->events_since(office->config_->timezone.start_of_day(clock.now()));
    if (!events) return events.error();
    for (const auto& se : *events) (void)office->state_.apply(se.event);
    return office;
}

Result<ApplyResult> Office::record_locked(EventBody body) {
    Event e;
    e.device = device_;
    e.seq = next_seq_;
    e.id = make_event_id(device_, e.seq);
    e.time = clock_.now();
    e.body = std::move(body);
    // Durable first: the state only ever reflects what is on disk. Callers validate requests
    // before this point, so an event that the state machine then refuses stays in the log as a
    // harmless no-op (replay refuses it the same way).
    if (auto r = store_->append(e); !r) return r.error();
    ++next_seq_;
    ++version_;
    if (confirmed_) note_own_event_locked(e);  // LAN mode: to publish (docs/SYNC.md)
    return state_.apply(e);
}

Result<ApplyResult> Office::record(EventBody body) {
    std::lock_guard lock(mutex_);
    return record_locked(std::move(body));
}

Result<IssuedTicket> Office::issue(const IssueRequest& request) {
    const Sector* sector = config_->find_sector(request.sector);
    if (!sector) return fail("unknown sector \"" + request.sector + "\"");
    if (!request.service.empty() && !sector->find_service(request.service))
        return fail("unknown service \"" + request.service + "\" in sector \"" + request.sector + "\"");
    if (request.service.empty() && !sector->services.empty())
        return fail("sector \"" + request.sector + "\" has several services: choose one with --service");
    TicketIssued body;
    body.sector = request.sector;
    body.service = request.service;
    body.priority = request.priority;
    body.lang = request.lang;
    body.channel = request.channel;

    std::unique_lock lock(mutex_);
    // LAN mode: the ticket is numbered by the stream order, or offline (office_lan.cpp).
    auto applied = confirmed_ ? issue_lan_locked(lock, body) : record_locked(body);
    if (!applied) return applied.error();
    if (!applied->applied) return fail("ticket not issued: " + applied->reason);
    IssuedTicket out;
    out.ticket = *state_.find_ticket(applied->ticket_id);
    for (const Ticket* t : state_.queue(request.sector)) {
        if (t->id == out.ticket.id) break;
        ++out.people_ahead;
    }
    return out;
}

void Office::read(const std::function<void(const OfficeState&)>& reader) const {
    std::lock_guard lock(mutex_);
    reader(state_);
}

std::uint64_t Office::version() const {
    std::lock_guard lock(mutex_);
    return version_;
}

}  // namespace csc
