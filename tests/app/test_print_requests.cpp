// A ticket printed at the entrance kiosk on behalf of a citizen (issue 12): three programs on
// one store — the Info Point and two entrance kiosks — each its own Office on the same SQLite
// files, as `kiosk run` opens them. The request reaches the kiosks through the store and their
// event feeds; one claim wins, a printer failure leaves it pending (seen at the Info Point), the
// other kiosk prints it, and nobody — not a restarted program either — prints it again. The
// reprint audit record too.
#include <doctest/doctest.h>

#include <filesystem>

#include "kiosk/app/print_requests.hpp"
#include "kiosk/app/staff.hpp"
#include "kiosk/app/context.hpp"

using namespace csc;

namespace {

std::unique_ptr<app::Context> open_program(const std::filesystem::path& dir) {
    app::GlobalOptions o;
    o.assets = CSC_SOURCE_ASSETS;
    o.data = dir / "data";
    o.printer = "memory";
    auto ctx = app::open_context(o);
    REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().message));
    return std::move(*ctx);
}

bool feed_has_request(EventFeed& feed, const std::string& request) {
    bool seen = false;
    for (const auto& item : feed.take().items)
        if (std::holds_alternative<PrintRequested>(item.event.body) && item.event.id == request && item.result.applied) seen = true;
    return seen;
}

}  // namespace

TEST_CASE("print at the entrance kiosk: three programs on one store, printed once") {
    const auto dir = std::filesystem::temp_directory_path() / ("csc-print-requests-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto info = open_program(dir);
    REQUIRE(app::save_staff(*info->office, "Anna Info", {"infopoint"}, "482913", true, "test").ok());
    auto entrance1 = open_program(dir);
    auto entrance2 = open_program(dir);
    Office& ip = *info->office;
    Office& e1 = *entrance1->office;
    Office& e2 = *entrance2->office;
    auto feed1 = e1.subscribe([] {});
    auto feed2 = e2.subscribe([] {});

    IssueRequest req;
    req.sector = ip.config().sectors.front().id;
    if (!ip.config().sectors.front().services.empty()) req.service = ip.config().sectors.front().services.front().id;
    req.channel = "assisted";
    req.by = "Anna Info";
    req.allow_when_closed = true;
    auto issued = ip.issue(req);
    REQUIRE_MESSAGE(issued.ok(), (issued.ok() ? "" : issued.error().message));

    // Only staff ask; then one request in the log, by the member.
    auto stranger = app::request_print(ip, issued->ticket.id, "entrance", false, "Nobody");
    REQUIRE_FALSE(stranger.ok());
    CHECK(stranger.error().code == "input.staff");
    auto request = app::request_print(ip, issued->ticket.id, "entrance", false, "Anna Info");
    REQUIRE_MESSAGE(request.ok(), (request.ok() ? "" : request.error().message));

    // The other programs notice it in the store, and their feeds hand it over.
    REQUIRE(e1.refresh().ok());
    REQUIRE(e2.refresh().ok());
    CHECK(feed_has_request(*feed1, *request));
    CHECK(feed_has_request(*feed2, *request));
    const Millis since = ip.clock().now() - 10 * 60'000;
    auto pending = app::pending_prints(e1, "entrance", since);
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].request == *request);
    CHECK(pending[0].label == issued->ticket.label);
    CHECK(pending[0].by == "Anna Info");
    CHECK(app::pending_prints(e1, "entrance", ip.clock().now() + 60'000).empty());  // too old for a kiosk that starts late

    // Both kiosks try: the first claim wins (the second program catches up before it records).
    auto first = app::claim_print(e1, *request);
    REQUIRE(first.ok());
    CHECK(*first);
    auto second = app::claim_print(e2, *request);
    REQUIRE(second.ok());
    CHECK_FALSE(*second);
    CHECK(app::pending_prints(e2, "entrance", since).empty());

    // The first kiosk's printer fails: pending again, and the Info Point sees why.
    REQUIRE(app::finish_print(e1, *request, false, "paper end").ok());
    REQUIRE(ip.refresh().ok());
    ip.read([&](const OfficeState& st) {
        const PrintRequest* r = st.find_print_request(*request);
        REQUIRE(r);
        CHECK_FALSE(r->done);
        CHECK(r->claimed_by.empty());
        CHECK(r->failures == 1);
        CHECK(r->error == "paper end");
    });

    // The other kiosk takes it and prints it.
    REQUIRE(e2.refresh().ok());
    REQUIRE(app::pending_prints(e2, "entrance", since).size() == 1);
    auto retry = app::claim_print(e2, *request);
    REQUIRE(retry.ok());
    CHECK(*retry);
    auto ticket = app::ticket_as_now(e2, issued->ticket.id);
    REQUIRE(ticket);
    CHECK(ticket->ticket.label == issued->ticket.label);
    REQUIRE(app::finish_print(e2, *request, true, "").ok());

    // Printed once: no program offers it again, a claim is refused, a restarted program agrees.
    REQUIRE(ip.refresh().ok());
    REQUIRE(e1.refresh().ok());
    ip.read([&](const OfficeState& st) { CHECK(st.find_print_request(*request)->done); });
    CHECK(app::pending_prints(e1, "entrance", since).empty());
    auto late = app::claim_print(e1, *request);
    REQUIRE(late.ok());
    CHECK_FALSE(*late);
    entrance1.reset();
    auto restarted = open_program(dir);
    CHECK(app::pending_prints(*restarted->office, "entrance", since).empty());
    restarted->office->read([&](const OfficeState& st) {
        const PrintRequest* r = st.find_print_request(*request);
        REQUIRE(r);
        CHECK(r->done);
        CHECK(r->by == "Anna Info");
    });

    // A reprint at the Info Point's own printer: in the audit log with the member.
    auto reprint = app::record_reprint(ip, issued->ticket.id, "Anna Info");
    REQUIRE(reprint.ok());
    CHECK(app::record_reprint(ip, issued->ticket.id, "Nobody").error().code == "input.staff");
    auto log = restarted->office->store().events_of_kind("ticket.reprinted");
    REQUIRE(log.ok());
    REQUIRE(log->size() == 1);
    CHECK(log->front().event.by == "Anna Info");
    CHECK(std::get<TicketReprinted>(log->front().event.body).ticket == issued->ticket.id);
    std::filesystem::remove_all(dir);
}
