#include "shared/office_state.hpp"

#include <algorithm>
#include <cstdio>
#include <span>

#include "shared/booking/agenda_snapshot.hpp"
#include "shared/person/identity_document.hpp"

namespace csc {

namespace {
// Kinds that change no queue state, start no day and do not move "now".
bool changes_no_queue(const EventBody& b) {
    return std::holds_alternative<DeviceHello>(b) || std::holds_alternative<StaffSaved>(b) ||
           std::holds_alternative<StaffRemoved>(b) || std::holds_alternative<StaffSignIn>(b) ||
           std::holds_alternative<StaffSignedOut>(b) || std::holds_alternative<AgendaSnapshot>(b) ||
           std::holds_alternative<MaintenanceDone>(b);
}
}  // namespace

namespace {
// Before any call in a sector, the alternation starts with the first group.
constexpr int kNoCallYet = 1'000'000;

ApplyResult refuse(std::string reason) { return {false, std::move(reason), {}}; }
// A refusal a screen shows (the counter desk): a code and its arguments, translated there
// (catalogue key "error.refused.<code>"); `reason` stays the English for logs and the CLI.
ApplyResult refuse(std::string code, ErrorArgs args, std::string reason) {
    return {false, std::move(reason), {}, std::move(code), std::move(args)};
}
ErrorArgs counter_arg(int n) { return {{"counter", std::to_string(n)}}; }

// The fields of an aggregate, counted at compile time (how many initialisers it accepts):
// state_hash() checks that it mixes as many fields as each part of the state has.
struct AnyField {
    template <class T>
    operator T() const;  // never defined: only used in unevaluated requires-expressions
};
template <class T, class... Fields>
constexpr std::size_t field_count() {
    if constexpr (requires { T{Fields{}..., AnyField{}}; }) return field_count<T, Fields..., AnyField>();
    else return sizeof...(Fields);
}
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
    for (const auto& c : config.counters) d_.counters.push_back(CounterState{c.number, CounterStatus::Closed, {}, {}, 0});
}

const Ticket* OfficeState::find_ticket(std::string_view id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &d_.tickets[it->second];
}

Ticket* OfficeState::ticket(std::string_view id) {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &d_.tickets[it->second];
}

const Ticket* OfficeState::find_label(std::string_view label) const {
    const Ticket* found = nullptr;
    for (const auto& t : d_.tickets)
        if (t.label == label) found = &t;
    return found;
}

const CounterState* OfficeState::find_counter(int number) const {
    for (const auto& c : d_.counters)
        if (c.number == number) return &c;
    return nullptr;
}

CounterState* OfficeState::counter(int number) {
    for (auto& c : d_.counters)
        if (c.number == number) return &c;
    return nullptr;
}

int OfficeState::waiting(std::string_view sector) const {
    return static_cast<int>(std::count_if(waiting_from(), d_.tickets.end(), [&](const Ticket& t) {
        return is_waiting(t.status) && t.sector == sector;
    }));
}

int OfficeState::last_number(std::string_view sector) const {
    auto it = d_.last_number.find(sector);
    return it == d_.last_number.end() ? 0 : it->second;
}

int OfficeState::walk_ins_since_priority(std::string_view sector) const {
    auto it = d_.walk_ins_since_priority.find(sector);
    return it == d_.walk_ins_since_priority.end() ? kNoCallYet : it->second;
}

bool OfficeState::goes_first(const Ticket& t, Millis at) const {
    return !t.priority.empty() || t.appointment_due(at, config_->queue);
}

std::vector<const Ticket*> OfficeState::queue(std::string_view sector) const { return queue(sector, d_.last_time); }

std::vector<const Ticket*> OfficeState::queue(std::string_view sector, Millis at) const {
    std::vector<const Ticket*> first, walk_ins, directed;
    // Tickets transferred to one counter wait at the end of their sector's list for display
    // purposes; only that counter calls them (see next_for).
    for (const auto& t : std::span(waiting_from(), d_.tickets.end())) {
        if (!is_waiting(t.status) || t.sector != sector) continue;
        if (t.for_counter) directed.push_back(&t);
        else (goes_first(t, at) ? first : walk_ins).push_back(&t);
    }
    // Place in line: queued_at (an appointment's is its slot); ties (same millisecond) keep
    // the log order, so the order is total and the same on every device.
    auto place = [&](const Ticket* t) { return t->appointment_due(at, config_->queue) ? *t->appointment_at : t->queued_at; };
    std::stable_sort(first.begin(), first.end(), [&](const Ticket* a, const Ticket* b) { return place(a) < place(b); });
    std::stable_sort(walk_ins.begin(), walk_ins.end(), [](const Ticket* a, const Ticket* b) { return a->queued_at < b->queued_at; });
    auto out = merge_by_policy(first, walk_ins, walk_ins_since_priority(sector), config_->queue);
    std::stable_sort(directed.begin(), directed.end(), [](const Ticket* a, const Ticket* b) { return a->queued_at < b->queued_at; });
    out.insert(out.end(), directed.begin(), directed.end());
    return out;
}

const Ticket* OfficeState::next_for(int number, Millis at) const {
    const CounterConfig* cfg = config_->find_counter(number);
    if (!cfg) return nullptr;
    // Tickets transferred to this very counter come first, by original issue time.
    const Ticket* directed = nullptr;
    for (const auto& t : std::span(waiting_from(), d_.tickets.end()))
        if (is_waiting(t.status) && t.for_counter == number && (!directed || t.queued_at < directed->queued_at))
            directed = &t;
    if (directed) return directed;
    for (const auto& sector : cfg->sectors)
        if (const Ticket* t = front_of(sector, at)) return t;
    return nullptr;
}

const Ticket* OfficeState::front_of(std::string_view sector, Millis at) const {
    // queue(sector, at).front() without sorting the queue (a call is applied once per citizen,
    // on a day of thousands): the earliest of each group, then merge_by_policy's first pick.
    // Strict '<' keeps the first in log order among equals, as the stable sorts do.
    const Ticket* first = nullptr;
    const Ticket* walk_in = nullptr;
    auto place = [&](const Ticket& t) { return t.appointment_due(at, config_->queue) ? *t.appointment_at : t.queued_at; };
    for (const auto& t : std::span(waiting_from(), d_.tickets.end())) {
        if (!is_waiting(t.status) || t.for_counter || t.sector != sector) continue;
        if (goes_first(t, at)) {
            if (!first || place(t) < place(*first)) first = &t;
        } else if (!walk_in || t.queued_at < walk_in->queued_at) {
            walk_in = &t;
        }
    }
    const QueuePolicy& policy = config_->queue;
    if (first && (!walk_in || policy.mode == QueuePolicy::Mode::Strict ||
                  walk_ins_since_priority(sector) >= policy.walk_ins_per_priority))
        return first;
    return walk_in ? walk_in : first;
}

void OfficeState::roll_over_to(int day) {
    // A new office day: whatever was still open yesterday was not served; numbering restarts,
    // every counter starts closed. Ids of earlier days are needed no more: an event of an
    // earlier day is refused for its day, before its id is looked at.
    d_.tickets.clear();
    by_id_.clear();
    first_waiting_ = 0;
    d_.last_number.clear();
    d_.walk_ins_since_priority.clear();
    d_.desk_services.clear();
    d_.print_requests.clear();
    for (auto& c : d_.counters) c = CounterState{c.number, CounterStatus::Closed, {}, {}, 0, {}};
    d_.day = day;
    d_.agenda.roll_to(day, *config_);
    std::erase_if(applied_ids_, [day](const auto& id_day) { return id_day.second < day; });
}

Error refused(const ApplyResult& verdict) {
    return fail_as(verdict.code.empty() ? "refused" : "refused." + verdict.code, verdict.reason, verdict.args);
}

ApplyResult OfficeState::check(const Event& e) const {
    const int day = config_->timezone.day_key(e.time);
    if (Agenda::handles(e.body)) {
        // The agenda keeps its own days (it outlives the queue's): judged as rolled to e's day.
        AgendaRefusal why;
        if (day > d_.agenda.day()) {
            Agenda rolled = d_.agenda;
            rolled.roll_to(day, *config_);
            why = rolled.judge(e, *config_);
        } else {
            why = d_.agenda.judge(e, *config_);
        }
        if (why.empty()) return ApplyResult{true, {}, e.id};  // the hold's / booking event's id
        return refuse(std::move(why.code), std::move(why.args), std::move(why.reason));
    }
    // Day first: whether an event of an earlier day was pruned or not, it is refused alike.
    if (day < d_.day) return refuse("event " + e.id + " belongs to an earlier day");
    if (applied_ids_.count(e.id)) return refuse("duplicate event " + e.id);
    // An announcement (LAN) or a staff record changes no queue state: it neither starts a new
    // day nor moves "now" (staff records are kept across days by StaffDirectory).
    if (changes_no_queue(e.body) || day == d_.day) return judge(e);
    // The first event of a later day is judged on that day as it starts: nothing issued yet,
    // every counter closed.
    OfficeState next_day(*config_);
    next_day.d_.day = day;
    if (const auto* issued = std::get_if<TicketIssued>(&e.body); issued && !issued->booking.empty()) {
        next_day.d_.agenda = d_.agenda;  // a check-in is the day's first event: judged on the rolled agenda
        next_day.d_.agenda.roll_to(day, *config_);
    }
    return next_day.judge(e);
}

ApplyResult OfficeState::judge(const Event& e) const {
    return std::visit([&](const auto& body) { return judge(e, body); }, e.body);
}

ApplyResult OfficeState::apply(const Event& e) {
    ++events_seen_;
    const ApplyResult verdict = check(e);
    const int day = config_->timezone.day_key(e.time);
    if (Agenda::handles(e.body)) {
        if (verdict.applied) d_.agenda.apply(e, *config_);
        else if (day >= d_.agenda.day()) d_.agenda.note_seen(e, *config_);
        return verdict;
    }
    // Remembered even when refused (a refusal must stay one if the event comes again); an
    // earlier day's event is not: the day alone refuses it.
    if (day >= d_.day) applied_ids_.emplace(e.id, day);
    if (!verdict.applied || changes_no_queue(e.body)) return verdict;
    if (day > d_.day) roll_over_to(day);
    if (e.time > d_.last_time) d_.last_time = e.time;
    std::visit([&](const auto& body) { change(e, body, verdict); }, e.body);
    while (first_waiting_ < d_.tickets.size() && !is_waiting(d_.tickets[first_waiting_].status)) ++first_waiting_;
    note_staff(e, verdict);
    return verdict;
}

void OfficeState::note_staff(const Event& e, const ApplyResult& verdict) {
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
                if (Ticket* t = verdict.ticket_id.empty() ? nullptr : ticket(verdict.ticket_id)) t->called_by = e.by;
        },
        e.body);
}

ApplyResult OfficeState::judge(const Event&, const StaffSaved&) const { return {true, {}, {}}; }
ApplyResult OfficeState::judge(const Event&, const StaffRemoved&) const { return {true, {}, {}}; }
ApplyResult OfficeState::judge(const Event&, const StaffSignIn&) const { return {true, {}, {}}; }
ApplyResult OfficeState::judge(const Event&, const StaffSignedOut&) const { return {true, {}, {}}; }
void OfficeState::change(const Event&, const StaffSaved&, const ApplyResult&) {}
void OfficeState::change(const Event&, const StaffRemoved&, const ApplyResult&) {}
void OfficeState::change(const Event&, const StaffSignIn&, const ApplyResult&) {}
void OfficeState::change(const Event&, const StaffSignedOut&, const ApplyResult&) {}

// The Info Point's services: who did them is required (statistics per staff member, the
// register); they change no ticket and no counter, but they are the day's activity.
ApplyResult OfficeState::judge(const Event& e, const CrsPinReleased& b) const {
    if (e.by.empty()) return refuse("desk.no_staff", {}, "a CRS PIN release needs the staff member who made it");
    if (!find_document_kind(b.document)) return refuse("unknown document type \"" + b.document + "\"");
    if (!known_crs_pin_relation(b.relation)) return refuse("unknown relation \"" + b.relation + "\"");
    if (b.relation != "holder" && b.form.empty())
        return refuse("crs_pin.form_missing", {}, "a guardian or a delegate needs the signed form's reference");
    return {true, {}, e.id};
}
ApplyResult OfficeState::judge(const Event& e, const FormHandedOut& b) const {
    if (e.by.empty()) return refuse("desk.no_staff", {}, "a form handed out needs the staff member who gave it");
    if (!config_->find_form(b.form)) return refuse("form.unknown", {{"form", b.form}}, "unknown form \"" + b.form + "\"");
    return {true, {}, e.id};
}
// An agenda snapshot changes nothing when applied: replay_stream() takes it, or not, as a whole.
ApplyResult OfficeState::judge(const Event& e, const AgendaSnapshot& b) const {
    if (auto why = snapshot_part_problem(b); !why.empty()) return refuse("agenda.snapshot: " + why);
    return {true, {}, e.id};
}
void OfficeState::change(const Event&, const AgendaSnapshot&, const ApplyResult&) {}
void OfficeState::change(const Event& e, const CrsPinReleased&, const ApplyResult&) { ++d_.desk_services["crs_pin"][e.by]; }
void OfficeState::change(const Event& e, const FormHandedOut& b, const ApplyResult&) {
    d_.desk_services["form:" + b.form][e.by] += b.copies;
}

// Printing at another device: the request names an open ticket of today; one device claims it,
// and only that device says how it went. A failure gives the claim up (pending again); a
// success ends the request for good, so neither a restart nor a second device prints it again.
const PrintRequest* OfficeState::find_print_request(std::string_view id) const {
    auto it = d_.print_requests.find(id);
    return it == d_.print_requests.end() ? nullptr : &it->second;
}
ApplyResult OfficeState::judge(const Event& e, const PrintRequested& b) const {
    if (e.by.empty()) return refuse("desk.no_staff", {}, "a print request needs the staff member who asked");
    if (!valid_print_target(b.at)) return refuse("print.target", {}, "a print request goes to \"entrance\" or a device");
    const Ticket* t = find_ticket(b.ticket);
    if (!t) return refuse("print.unknown_ticket", {}, "no ticket " + b.ticket + " today");
    if (!is_waiting(t->status) && t->status != TicketStatus::Called)
        return refuse("print.ticket_closed", {{"ticket", t->label}}, "ticket " + t->label + " is no longer waiting");
    // One open request per ticket: two staff members (or an issue and a reprint) asking at once
    // would print the ticket twice at the entrance.
    for (const auto& [id, r] : d_.print_requests)
        if (r.ticket == b.ticket && !r.done)
            return refuse("print.pending", {{"ticket", t->label}}, "ticket " + t->label + " is already asked for (" + id + ")");
    return {true, {}, e.id};
}
ApplyResult OfficeState::judge(const Event& e, const PrintClaimed& b) const {
    const PrintRequest* r = find_print_request(b.request);
    if (!r) return refuse("print.unknown_request", {}, "no print request " + b.request + " today");
    if (r->done) return refuse("print.done", {}, "print request " + b.request + " was printed already");
    if (!r->claimed_by.empty()) return refuse("print.claimed", {}, "print request " + b.request + " is printed by " + r->claimed_by);
    return {true, {}, e.id};
}
ApplyResult OfficeState::judge(const Event& e, const PrintFinished& b) const {
    const PrintRequest* r = find_print_request(b.request);
    if (!r) return refuse("print.unknown_request", {}, "no print request " + b.request + " today");
    if (r->done) return refuse("print.done", {}, "print request " + b.request + " was printed already");
    // Only the claiming device reports. A failure is recorded once its spooler gave the job up
    // (kiosk/gui/roles/entrance_print_requests.cpp), so no success of it can follow.
    if (r->claimed_by != e.device)
        return refuse("print.not_claimed", {}, "print request " + b.request + " is not claimed by " + e.device);
    return {true, {}, e.id};
}
ApplyResult OfficeState::judge(const Event& e, const TicketReprinted& b) const {
    if (e.by.empty()) return refuse("desk.no_staff", {}, "a reprint needs the staff member who made it");
    if (!find_ticket(b.ticket)) return refuse("print.unknown_ticket", {}, "no ticket " + b.ticket + " today");
    return {true, {}, e.id};
}
// A maintainer's action at a device: an audit record, always someone's.
ApplyResult OfficeState::judge(const Event& e, const MaintenanceDone& b) const {
    if (e.by.empty()) return refuse("desk.no_staff", {}, "a maintenance action needs the staff member who did it");
    if (!known_maintenance_action(b.action)) return refuse("unknown maintenance action \"" + b.action + "\"");
    return {true, {}, e.id};
}
void OfficeState::change(const Event&, const MaintenanceDone&, const ApplyResult&) {}

void OfficeState::change(const Event& e, const PrintRequested& b, const ApplyResult&) {
    PrintRequest r;
    r.id = e.id;
    r.ticket = b.ticket;
    r.at = b.at;
    r.reprint = b.reprint;
    r.by = e.by;
    r.requested_at = e.time;
    d_.print_requests[e.id] = std::move(r);
}
void OfficeState::change(const Event& e, const PrintClaimed& b, const ApplyResult&) {
    PrintRequest& r = d_.print_requests[b.request];
    r.claimed_by = e.device;
    r.error.clear();  // a new try: an earlier device's failure is not this one's
}
void OfficeState::change(const Event& e, const PrintFinished& b, const ApplyResult&) {
    PrintRequest& r = d_.print_requests[b.request];
    if (b.ok) {
        r.done = true;
        r.done_by = e.device;
        r.claimed_by = e.device;
        r.error.clear();
    } else {
        if (!b.retrying) r.claimed_by.clear();  // given up: another device may claim it
        ++r.failures;
        r.error = b.error;
    }
}
void OfficeState::change(const Event&, const TicketReprinted&, const ApplyResult&) {}

// Satisfaction: a served ticket of today, rated once, by nobody in particular (anonymous). The
// verdict names the event, not the ticket: the ticket was not open, and nothing it ended.
ApplyResult OfficeState::judge(const Event& e, const FeedbackGiven& b) const {
    if (!e.by.empty()) return refuse("feedback.not_anonymous", {}, "a rating is anonymous: it names no staff member");
    if (!known_feedback_rating(b.rating))
        return refuse("feedback.rating", {}, "a rating is good, so-so or bad, not \"" + b.rating + "\"");
    if (!b.reason.empty() && !known_feedback_reason(b.reason))
        return refuse("feedback.reason", {}, "a reason is waiting, staff, came-back or outcome, not \"" + b.reason + "\"");
    if (!b.reason.empty() && b.rating != "bad")
        return refuse("feedback.reason", {}, "a reason goes only with a \"bad\" rating, not with \"" + b.rating + "\"");
    const Ticket* t = find_ticket(b.ticket);
    if (!t) return refuse("feedback.unknown_ticket", {}, "no ticket " + b.ticket + " today");
    if (t->status != TicketStatus::Served)
        return refuse("feedback.not_served", {{"ticket", t->label}},
                      "ticket " + t->label + " has not been served (" + std::string(to_string(t->status)) + ")");
    if (!t->feedback.empty())
        return refuse("feedback.already", {{"ticket", t->label}}, "ticket " + t->label + " was already rated (" + t->feedback + ")");
    return {true, {}, e.id};
}
void OfficeState::change(const Event&, const FeedbackGiven& b, const ApplyResult&) { ticket(b.ticket)->feedback = b.rating; }

// ---- Judging: every refusal is here, and nothing changes.

ApplyResult OfficeState::judge(const Event& e, const TicketIssued& b) const {
    const Sector* sector = config_->find_sector(b.sector);
    if (!sector) return refuse("unknown sector \"" + b.sector + "\"");
    if (!b.service.empty() && !sector->find_service(b.service))
        return refuse("unknown service \"" + b.service + "\" in sector " + b.sector);
    if (!b.priority.empty() && !config_->find_priority(b.priority))
        return refuse("unknown priority class \"" + b.priority + "\"");
    // A check-in online is judged here; one made offline (LAN) already gave the citizen paper, so
    // it is always a ticket, linked to its booking only if the check-in still holds (change()).
    // A walk-in of a late booking is staff's (Event::by): judged by walk_in_problem instead.
    if (b.walk_in && e.by.empty()) return refuse("booking.staff_only", {{"code", b.booking}}, "only staff turn a late booking into a walk-in");
    if (!b.booking.empty() && !b.offline_number) {
        auto why = b.walk_in ? d_.agenda.walk_in_problem(b.booking, b.sector, e.time, *config_)
                             : d_.agenda.check_in_problem(b.booking, b.sector, e.time, *config_);
        if (!why.empty()) return refuse(std::move(why.code), std::move(why.args), std::move(why.reason));
        const Booking* bk = d_.agenda.find(b.booking);
        const BookableService* bs = config_->booking.find(bk->service);
        if (bs && !b.service.empty() && b.service != bs->service)
            return refuse("booking.other_service", {{"code", b.booking}}, "booking " + b.booking + " is for another service");
    }
    return {true, {}, e.id};
}

ApplyResult OfficeState::judge(const Event&, const CounterOpened& b) const {
    const CounterState* c = find_counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    if (c->status == CounterStatus::Open)
        return refuse("counter.already_open", counter_arg(b.counter), counter_name(b.counter) + " is already open");
    return {true, {}, {}};
}

ApplyResult OfficeState::judge(const Event& e, const TicketCalled& b) const {
    const CounterState* c = find_counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    if (c->status == CounterStatus::Closed)
        return refuse("counter.closed", counter_arg(b.counter), counter_name(b.counter) + " is closed: open it first");
    if (c->status == CounterStatus::Paused)
        return refuse("counter.paused", counter_arg(b.counter),
                      counter_name(b.counter) + " is paused (" + c->pause_reason + "): resume it first");
    if (!c->current.empty()) {
        const Ticket* cur = find_ticket(c->current);
        return refuse("counter.busy", {{"counter", std::to_string(b.counter)}, {"ticket", cur->label}},
                      counter_name(b.counter) + " still has " + cur->label + " (" + std::string(to_string(cur->status)) +
                          "): finish it, mark a no-show or transfer it first");
    }
    const Ticket* chosen = nullptr;
    if (b.ticket.empty()) {
        chosen = next_for(b.counter, e.time);
        if (!chosen)
            return refuse("counter.nobody_waiting", counter_arg(b.counter), "nobody is waiting for " + counter_name(b.counter));
    } else {
        chosen = find_ticket(b.ticket);
        if (!chosen) return refuse("unknown ticket " + b.ticket);
        if (!is_waiting(chosen->status))
            return refuse("ticket " + chosen->label + " is not waiting (" + std::string(to_string(chosen->status)) + ")");
        if (chosen->for_counter && *chosen->for_counter != b.counter)
            return refuse("ticket " + chosen->label + " was transferred to " + counter_name(*chosen->for_counter));
    }
    return {true, {}, chosen->id};
}

ApplyResult OfficeState::judge(const Event&, const TicketRecalled& b) const {
    const CounterState* c = find_counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    const Ticket* t = c->current.empty() ? nullptr : find_ticket(c->current);
    if (!t) return refuse("counter.no_ticket", counter_arg(b.counter), counter_name(b.counter) + " has no called ticket to recall");
    if (t->status != TicketStatus::Called)
        return refuse("ticket.serving", {{"ticket", t->label}}, "ticket " + t->label + " is already being served");
    return {true, {}, t->id};
}

ApplyResult OfficeState::judge(const Event&, const ServiceStarted& b) const {
    const CounterState* c = find_counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    const Ticket* t = c->current.empty() ? nullptr : find_ticket(c->current);
    if (!t) return refuse("counter.no_ticket", counter_arg(b.counter), counter_name(b.counter) + " has no called ticket to start");
    if (t->status != TicketStatus::Called)
        return refuse("ticket.serving", {{"ticket", t->label}}, "ticket " + t->label + " is already being served");
    return {true, {}, t->id};
}

ApplyResult OfficeState::judge(const Event&, const ServiceFinished& b) const {
    const CounterState* c = find_counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    const Ticket* t = c->current.empty() ? nullptr : find_ticket(c->current);
    if (!t) return refuse("counter.no_ticket", counter_arg(b.counter), counter_name(b.counter) + " has no ticket to finish");
    if (!b.service.empty()) {
        bool known = false;
        for (const auto& s : config_->sectors) known = known || s.find_service(b.service);
        if (!known) return refuse("unknown service \"" + b.service + "\"");
    }
    return {true, {}, t->id};
}

ApplyResult OfficeState::judge(const Event&, const TicketNoShow& b) const {
    const CounterState* c = find_counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    const Ticket* t = c->current.empty() ? nullptr : find_ticket(c->current);
    if (!t) return refuse("counter.no_ticket", counter_arg(b.counter), counter_name(b.counter) + " has no called ticket");
    if (t->status != TicketStatus::Called)
        return refuse("ticket.serving", {{"ticket", t->label}}, "ticket " + t->label + " is being served: it came");
    return {true, {}, t->id};
}

ApplyResult OfficeState::judge(const Event&, const TicketTransferred& b) const {
    const CounterState* c = find_counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    const Ticket* t = c->current.empty() ? nullptr : find_ticket(c->current);
    if (!t) return refuse("counter.no_ticket", counter_arg(b.counter), counter_name(b.counter) + " has no ticket to transfer");
    if (b.to_sector.empty() && !b.to_counter) return refuse("transfer: say to which sector or counter");
    if (!b.to_sector.empty() && !config_->find_sector(b.to_sector))
        return refuse("transfer to unknown sector \"" + b.to_sector + "\"");
    if (b.to_counter && !find_counter(*b.to_counter)) return refuse("transfer to unknown " + counter_name(*b.to_counter));
    if (b.to_counter && *b.to_counter == b.counter) return refuse("transfer: the ticket is already at " + counter_name(b.counter));
    return {true, {}, t->id};
}

ApplyResult OfficeState::judge(const Event&, const CounterPaused& b) const {
    const CounterState* c = find_counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    if (b.reason.empty()) return refuse("pause: give a reason");
    if (c->status != CounterStatus::Open)
        return refuse("counter.not_open", counter_arg(b.counter),
                      counter_name(b.counter) + " is " + std::string(to_string(c->status)) + ", not open");
    if (!c->current.empty())
        return refuse("counter.busy", {{"counter", std::to_string(b.counter)}, {"ticket", find_ticket(c->current)->label}},
                      counter_name(b.counter) + " still has " + find_ticket(c->current)->label + ": finish it first");
    return {true, {}, {}};
}

ApplyResult OfficeState::judge(const Event&, const CounterResumed& b) const {
    const CounterState* c = find_counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    if (c->status != CounterStatus::Paused)
        return refuse("counter.not_paused", counter_arg(b.counter), counter_name(b.counter) + " is not paused");
    return {true, {}, {}};
}

ApplyResult OfficeState::judge(const Event&, const CounterClosed& b) const {
    const CounterState* c = find_counter(b.counter);
    if (!c) return refuse("unknown " + counter_name(b.counter));
    if (c->status == CounterStatus::Closed)
        return refuse("counter.already_closed", counter_arg(b.counter), counter_name(b.counter) + " is already closed");
    if (!c->current.empty())
        return refuse("counter.busy", {{"counter", std::to_string(b.counter)}, {"ticket", find_ticket(c->current)->label}},
                      counter_name(b.counter) + " still has " + find_ticket(c->current)->label + ": finish it first");
    return {true, {}, {}};
}

ApplyResult OfficeState::judge(const Event&, const TicketCancelled& b) const {
    const Ticket* t = find_ticket(b.ticket);
    if (!t) return refuse("unknown ticket " + b.ticket);
    if (!is_waiting(t->status)) return refuse("ticket " + t->label + " is not waiting (" + std::string(to_string(t->status)) + ")");
    return {true, {}, t->id};
}

ApplyResult OfficeState::judge(const Event&, const DayClosed&) const { return {true, {}, {}}; }
ApplyResult OfficeState::judge(const Event&, const DeviceHello&) const { return {true, {}, {}}; }

// ---- Changing: what the judge allowed, in place; nothing here refuses.

void OfficeState::change(const Event& e, const TicketIssued& b, const ApplyResult&) {
    Ticket t;
    t.id = e.id;
    t.sector = b.sector;
    t.service = b.service;
    t.priority = b.priority;
    t.lang = b.lang;
    t.channel = b.channel;
    t.device = e.device;
    t.issued_at = e.time;
    t.queued_at = e.time;
    if (!b.offline_number)
        for (auto it = d_.tickets.rbegin(); it != d_.tickets.rend(); ++it)
            if (!it->offline) {  // the latest online ticket already carries the running maximum
                t.queued_at = std::max(t.queued_at, it->queued_at);
                break;
            }
    t.appointment_at = b.appointment_at;
    t.token = b.token;
    if (b.walk_in) {
        // A late booking's citizen: a plain walk-in ticket; the booking ends "walked-in" (offline:
        // only if it is still late when the stream orders it, as a check-in).
        if (d_.agenda.walk_in_problem(b.booking, b.sector, e.time, *config_).empty())
            d_.agenda.walked_in(b.booking, e.id, e.time, e.by);
    } else if (!b.booking.empty() && d_.agenda.check_in_problem(b.booking, b.sector, e.time, *config_).empty()) {
        t.booking = b.booking;
        t.appointment_at = d_.agenda.find(b.booking)->slot;
        d_.agenda.checked_in(b.booking, e.id, e.time);
    }
    if (b.offline_number) {
        t.number = *b.offline_number;
        t.offline = true;
    } else {
        // Online numbers run 1…999, then jump past the offline ranges of the devices
        // (index×1000+1 … index×1000+999, see office_lan.cpp) so the two can never meet.
        int& last = d_.last_number[b.sector];
        last = last == kLastPlainOnlineNumber ? kFirstHighOnlineNumber : last + 1;
        t.number = last;
    }
    t.label = ticket_label(config_->find_sector(b.sector)->letter, t.number);
    by_id_[t.id] = d_.tickets.size();
    d_.tickets.push_back(std::move(t));
}

void OfficeState::change(const Event& e, const CounterOpened& b, const ApplyResult&) {
    CounterState* c = counter(b.counter);
    c->status = CounterStatus::Open;
    c->pause_reason.clear();
    c->since = e.time;
}

void OfficeState::change(const Event& e, const TicketCalled& b, const ApplyResult& verdict) {
    CounterState* c = counter(b.counter);
    Ticket* t = ticket(verdict.ticket_id);
    if (!t->for_counter) {
        const int before = walk_ins_since_priority(t->sector);
        d_.walk_ins_since_priority[t->sector] = goes_first(*t, e.time) ? 0 : std::min(before, kNoCallYet - 1) + 1;
    }
    t->status = TicketStatus::Called;
    t->counter = b.counter;
    t->for_counter.reset();
    t->called_at = e.time;
    t->recalls = 0;
    c->current = t->id;
}

void OfficeState::change(const Event&, const TicketRecalled&, const ApplyResult& verdict) { ++ticket(verdict.ticket_id)->recalls; }

void OfficeState::change(const Event& e, const ServiceStarted&, const ApplyResult& verdict) {
    Ticket* t = ticket(verdict.ticket_id);
    t->status = TicketStatus::Serving;
    t->started_at = e.time;
}

void OfficeState::change(const Event& e, const ServiceFinished& b, const ApplyResult& verdict) {
    Ticket* t = ticket(verdict.ticket_id);
    // Finishing a ticket that was only called means service started at the call.
    if (t->status == TicketStatus::Called) t->started_at = t->called_at;
    t->status = TicketStatus::Served;
    t->finished_at = e.time;
    t->performed_service = b.service.empty() ? t->service : b.service;
    counter(b.counter)->current.clear();
}

void OfficeState::change(const Event& e, const TicketNoShow& b, const ApplyResult& verdict) {
    Ticket* t = ticket(verdict.ticket_id);
    t->status = TicketStatus::NoShow;
    t->finished_at = e.time;
    counter(b.counter)->current.clear();
}

void OfficeState::change(const Event&, const TicketTransferred& b, const ApplyResult& verdict) {
    Ticket* t = ticket(verdict.ticket_id);
    if (!b.to_sector.empty() && b.to_sector != t->sector) t->from_sector = t->sector;
    if (!b.to_sector.empty()) t->sector = b.to_sector;
    t->for_counter = b.to_counter;
    t->status = TicketStatus::Transferred;
    first_waiting_ = std::min(first_waiting_, static_cast<std::size_t>(t - d_.tickets.data()));
    ++t->transfers;
    counter(b.counter)->current.clear();
}

void OfficeState::change(const Event& e, const CounterPaused& b, const ApplyResult&) {
    CounterState* c = counter(b.counter);
    c->status = CounterStatus::Paused;
    c->pause_reason = b.reason;
    c->since = e.time;
}

void OfficeState::change(const Event& e, const CounterResumed& b, const ApplyResult&) {
    CounterState* c = counter(b.counter);
    c->status = CounterStatus::Open;
    c->pause_reason.clear();
    c->since = e.time;
}

void OfficeState::change(const Event& e, const CounterClosed& b, const ApplyResult&) {
    CounterState* c = counter(b.counter);
    c->status = CounterStatus::Closed;
    c->pause_reason.clear();
    c->since = e.time;
}

void OfficeState::change(const Event& e, const TicketCancelled&, const ApplyResult& verdict) {
    Ticket* t = ticket(verdict.ticket_id);
    t->status = TicketStatus::Cancelled;
    t->finished_at = e.time;
}

void OfficeState::change(const Event& e, const DayClosed&, const ApplyResult&) {
    for (auto& t : d_.tickets)
        if (is_waiting(t.status) || t.status == TicketStatus::Called || t.status == TicketStatus::Serving) {
            t.status = TicketStatus::NotServed;
            t.finished_at = e.time;
        }
    for (auto& c : d_.counters)
        if (c.status != CounterStatus::Closed || !c.current.empty()) c = CounterState{c.number, CounterStatus::Closed, {}, {}, e.time};
}

void OfficeState::change(const Event&, const DeviceHello&, const ApplyResult&) {}

std::uint64_t OfficeState::state_hash() const {
    // Every field of the derived state, each counted here: a field added to Ticket,
    // CounterState or Derived fails to build until it is hashed below and its count updated
    // (tests/core/test_state_hash.cpp then checks that changing it changes the hash).
    static_assert(field_count<Ticket>() == 27, "Ticket has a new field: mix it into state_hash() and update this count");
    static_assert(field_count<CounterState>() == 6, "CounterState has a new field: mix it into state_hash() and update this count");
    // Booking's 13 fields: hash_into mixes 11 (not name and contact: see Agenda::hash_into).
    static_assert(field_count<Booking>() == 13, "Booking has a new field: mix it into Agenda::hash_into() and update this count");
    static_assert(field_count<BookingStep>() == 3, "BookingStep has a new field: mix it into Agenda::hash_into() and update this count");
    static_assert(field_count<Hold>() == 4, "Hold has a new field: mix it into Agenda::hash_into() and update this count");
    static_assert(field_count<Closure>() == 5, "Closure has a new field: mix it into Agenda::hash_into() and update this count");
    static_assert(field_count<Derived>() == 9, "OfficeState::Derived has a new field: mix it into state_hash() and update this count");
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
    auto opt = [&](const auto& v) {
        if (v) num(*v);
        else mix("-");
    };
    num(d_.day);
    num(d_.last_time);
    num(static_cast<std::int64_t>(d_.tickets.size()));
    for (const auto& t : d_.tickets) {
        mix(t.id);
        mix(t.sector);
        mix(t.service);
        mix(t.priority);
        mix(t.lang);
        mix(t.channel);
        mix(t.device);
        num(t.number);
        mix(t.label);
        num(t.offline);
        num(t.issued_at);
        num(t.queued_at);
        mix(to_string(t.status));
        opt(t.appointment_at);
        num(t.counter);
        opt(t.for_counter);
        mix(t.from_sector);
        num(t.transfers);
        num(t.recalls);
        num(t.called_at);
        num(t.started_at);
        num(t.finished_at);
        mix(t.performed_service);
        mix(t.called_by);
        mix(t.booking);
        mix(t.token);
        mix(t.feedback);
    }
    num(static_cast<std::int64_t>(d_.counters.size()));
    for (const auto& c : d_.counters) {
        num(c.number);
        mix(to_string(c.status));
        mix(c.pause_reason);
        mix(c.current);
        mix(c.staff);
        num(c.since);
    }
    num(static_cast<std::int64_t>(d_.last_number.size()));
    for (const auto& [sector, n] : d_.last_number) {
        mix(sector);
        num(n);
    }
    num(static_cast<std::int64_t>(d_.walk_ins_since_priority.size()));
    for (const auto& [sector, n] : d_.walk_ins_since_priority) {
        mix(sector);
        num(n);
    }
    d_.agenda.hash_into(mix);
    num(static_cast<std::int64_t>(d_.desk_services.size()));
    for (const auto& [service, by_staff] : d_.desk_services) {
        mix(service);
        num(static_cast<std::int64_t>(by_staff.size()));
        for (const auto& [staff, n] : by_staff) {
            mix(staff);
            num(n);
        }
    }
    static_assert(field_count<PrintRequest>() == 11, "PrintRequest has a new field: mix it into state_hash() and update this count");
    num(static_cast<std::int64_t>(d_.print_requests.size()));
    for (const auto& [id, r] : d_.print_requests) {
        mix(r.id);
        mix(r.ticket);
        mix(r.at);
        num(r.reprint);
        mix(r.by);
        num(r.requested_at);
        mix(r.claimed_by);
        num(r.done);
        mix(r.done_by);
        num(r.failures);
        mix(r.error);
    }
    return h;
}

}  // namespace csc
