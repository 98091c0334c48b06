// Office and the agenda (declared in office.hpp; docs/BOOKING.md): agenda events are recorded
// only online in LAN mode and answered with the stream's decision; a booking's ticket (check-in,
// or a late walk-in) is an issue() judged first by the agenda on this device's view.
#include "shared/office.hpp"

namespace csc {

Result<ApplyResult> Office::record_agenda(EventBody body, const std::string& by) {
    if (!Agenda::handles(body)) return fail_as("input", "not an agenda event: " + std::string(event_type(body)));
    {
        std::lock_guard lock(mutex_);
        if (lan_ && !(uplink_ && uplink_->online()))
            return fail_as("offline", "the office network cannot be reached: bookings can be made, moved or cancelled only "
                                      "online (the agenda shown may miss the latest changes)");
        // Judged on an agenda that misses bookings older than the stream, a booking could take
        // a place the office gave away already (docs/BOOKING.md, "Bookings older than the stream").
        if (lan_ && !lan_->agenda_complete())
            return fail_as("booking.agenda_incomplete",
                           "this device does not have the bookings made before the oldest message the office stream "
                           "keeps: it can book once it has the agenda snapshot that a device publishes when the day opens; "
                           "book at another device meanwhile");
    }
    auto r = record_confirmed(std::move(body), by);
    // Refused by the agenda here (single machine, or judged on this device's view first): the
    // same answer as a refusal decided by the stream.
    if (!r && r.error().code.rfind("refused", 0) == 0) {
        const std::string& code = r.error().code;  // "refused.booking.full" → "booking.full"
        return ApplyResult{false, r.error().message, {}, code.size() > 8 ? code.substr(8) : std::string(), r.error().args};
    }
    if (!r && (r.error().code.empty() || r.error().code == "lan.unconfirmed")) return fail_as("booking", r.error().message);
    return r;
}

Result<IssueRequest> Office::booking_ticket_request(const std::string& code, const std::string& lang, bool walk_in) const {
    std::lock_guard lock(mutex_);
    const OfficeState& view = view_locked();
    const Booking* b = view.agenda().find(code);
    if (!b) return fail_as("booking.unknown", "no booking has the code " + code, {{"code", code}});
    const BookableService* bs = config_->booking.find(b->service);
    // Judged as the state machine will judge it, with this device's clock as "now".
    const auto why = walk_in ? view.agenda().walk_in_problem(code, b->sector, clock_.now(), *config_)
                             : view.agenda().check_in_problem(code, b->sector, clock_.now(), *config_);
    if (!why.empty()) return fail_as(why.code.empty() ? "booking" : why.code, why.reason, why.args);
    IssueRequest request;
    request.sector = b->sector;
    request.service = bs ? bs->service : std::string();
    request.lang = lang.empty() ? b->lang : lang;
    request.booking = code;
    return request;
}

Result<IssuedTicket> Office::issue_for_booking(const IssueRequest& request) {
    auto issued = issue(request);
    // Refused in the stream's order (LAN: another device checked it in first): the agenda's code.
    if (!issued && issued.error().code.rfind("refused.booking.", 0) == 0)
        return fail_as(issued.error().code.substr(8), issued.error().message, issued.error().args);
    return issued;
}

Result<IssuedTicket> Office::check_in(const std::string& code, const std::string& lang, const std::string& channel,
                                     const std::string& by) {
    auto request = booking_ticket_request(code, lang, false);
    if (!request) return request.error();
    request->channel = channel;
    request->by = by;  // staff checking a citizen in (the Info Point); "" = the citizen at the kiosk
    request->allow_when_closed = true;  // the office set the slot up: it is served then
    return issue_for_booking(*request);
}

Result<IssuedTicket> Office::walk_in_late_booking(const std::string& code, const std::string& lang, const std::string& by) {
    if (by.empty()) return fail_as("booking.staff_only", "only staff can turn a late booking into a walk-in ticket", {{"code", code}});
    auto request = booking_ticket_request(code, lang, true);
    if (!request) return request.error();
    request->channel = "assisted";
    request->by = by;
    request->walk_in = true;
    return issue_for_booking(*request);  // a walk-in like any other: only while the office is open
}

}  // namespace csc
