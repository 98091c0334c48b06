#include "shared/queue/issue_request.hpp"

#include "shared/text_check.hpp"

namespace csc {

Result<TicketIssued> ticket_issued_of(const IssueRequest& request, const SiteConfig& config) {
    const Sector* sector = config.find_sector(request.sector);
    // Echoed names are cut and made printable: the message itself must be safe to show.
    auto shown = [](const std::string& s) { return utf8_from_terminal(s.substr(0, 60)) + (s.size() > 60 ? "…" : ""); };
    if (!sector) return fail_as("input", "unknown sector \"" + shown(request.sector) + "\"");
    if (!request.service.empty() && !sector->find_service(request.service))
        return fail_as("input", "unknown service \"" + shown(request.service) + "\" in sector \"" + request.sector + "\"");
    if (request.service.empty() && !sector->services.empty())
        return fail_as("input", "sector \"" + request.sector + "\" has several services: choose one with --service");
    if (!request.priority.empty() && !config.find_priority(request.priority))
        return fail_as("input", "unknown priority class \"" + shown(request.priority) + "\"");
    TicketIssued body;
    body.sector = request.sector;
    body.service = request.service;
    body.priority = request.priority;
    body.lang = request.lang.empty() ? config.languages.front() : request.lang;
    body.channel = request.channel;
    body.appointment_at = request.appointment_at;
    body.booking = request.booking;
    body.walk_in = request.walk_in;
    return body;
}

}  // namespace csc
