// Satisfaction (issue 15): app::record_feedback, the one call the phone page and the screen
// beside a counter use — by the ticket's token or its id, once, only after service, anonymous.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "kiosk/app/context.hpp"
#include "kiosk/app/feedback.hpp"

using namespace csc;

namespace {

std::unique_ptr<app::Context> open_feedback_office(const std::filesystem::path& dir) {
    ::setenv("CSC_NOW", "2026-11-26T09:00", 1);  // a Thursday morning: the sample office is open
    app::GlobalOptions o;
    o.assets = CSC_SOURCE_ASSETS;
    o.data = dir / "data";
    o.printer = "memory";
    auto ctx = app::open_context(o);
    ::unsetenv("CSC_NOW");
    REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().message));
    return std::move(*ctx);
}

}  // namespace

TEST_CASE("record_feedback: by token after service, once; refused before service and for an unknown token") {
    const auto dir = std::filesystem::temp_directory_path() / ("csc-feedback-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto ctx = open_feedback_office(dir);
    Office& office = *ctx->office;
    IssueRequest req;
    req.sector = "protocollo";
    req.channel = "cli";
    auto issued = office.issue(req);
    REQUIRE_MESSAGE(issued.ok(), (issued.ok() ? "" : issued.error().message));
    const Ticket ticket = issued->ticket;
    REQUIRE(is_ticket_token(ticket.token));

    app::FeedbackRequest rating{ticket.token, true, "good", "", "web"};
    auto early = app::record_feedback(office, rating);
    REQUIRE_FALSE(early.ok());
    CHECK(early.error().code == "refused.feedback.not_served");
    CHECK_FALSE(app::feedback_open(office, ticket.id));

    REQUIRE(office.open_counter(4).ok());
    REQUIRE(office.call_next(4).ok());
    REQUIRE(office.start_service(4).ok());
    REQUIRE(office.finish_service(4).ok());
    CHECK(app::feedback_open(office, ticket.id));

    auto unknown = app::record_feedback(office, {"AAAAAAAAAAAAAAAAAAAAAA", true, "good", "", "web"});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == "feedback.unknown_ticket");

    auto given = app::record_feedback(office, rating);
    REQUIRE_MESSAGE(given.ok(), (given.ok() ? "" : given.error().message));
    CHECK(given->label == ticket.label);
    CHECK_FALSE(app::feedback_open(office, ticket.id));
    office.read([&](const OfficeState& s) { CHECK(s.find_ticket(ticket.id)->feedback == "good"); });

    // Once: by token again, or by id from the screen beside the counter.
    auto twice = app::record_feedback(office, rating);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == "refused.feedback.already");
    auto by_id = app::record_feedback(office, {ticket.id, false, "bad", "staff", "screen"});
    REQUIRE_FALSE(by_id.ok());
    CHECK(by_id.error().code == "refused.feedback.already");
    ctx.reset();
    std::filesystem::remove_all(dir);
}
