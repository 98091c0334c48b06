// web_feedback.cpp — the one POST the office's pages accept: a citizen's rating of a served
// ticket, POST /api/t/TOKEN/feedback (docs/WEB.md, "Satisfaction"). Kept apart from the GET
// routes of web_server.cpp; the rules are the application's (app::record_feedback).
#include <regex>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "kiosk/app/feedback.hpp"
#include "kiosk/web/admin_pages.hpp"
#include "kiosk/web/web_server.hpp"

namespace csc::web {

namespace {

constexpr std::size_t kMaxFeedbackBody = 256;  // {"rating":"bad","reason":"came-back"} is 38 bytes

void feedback_answer(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json; charset=utf-8");
}

}  // namespace

bool is_feedback_post(const httplib::Request& req) {
    static const std::regex path(R"(/api/t/[A-Za-z0-9_-]+/feedback)");
    return req.method == "POST" && std::regex_match(req.path, path);
}

void WebServer::feedback_post(const std::string& token, const httplib::Request& req, httplib::Response& res) {
    using nlohmann::json;
    // A browser names the page that sent a POST in Origin: another site's page cannot make a
    // visitor's browser rate a ticket (CSRF).
    if (!same_origin(req, !ctx_.config.web.cert_file.empty(), ctx_.config.web.public_url))
        return feedback_answer(res, 403, {{"error", "a rating is accepted only from this server's own ticket page (the Origin header is missing or another site's)"}});
    if (req.body.size() > kMaxFeedbackBody)
        return feedback_answer(res, 413, {{"error", "the body is over " + std::to_string(kMaxFeedbackBody) + " bytes"}});
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0)
        return feedback_answer(res, 415, {{"error", "the body must be application/json: {\"rating\":\"good|so-so|bad\",\"reason\":…}"}});
    const json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object() || !body.contains("rating") || !body["rating"].is_string() ||
        (body.contains("reason") && !body["reason"].is_string()))
        return feedback_answer(res, 400, {{"error", "expected {\"rating\":\"good|so-so|bad\"} with, for bad, an optional \"reason\""}});
    const auto ticket = ticket_now(token);
    if (!ticket) return feedback_answer(res, 404, {{"error", "no such ticket today"}});
    const std::string lang = ctx_.translator.find(ticket->ticket.lang) ? ticket->ticket.lang : ctx_.config.languages.front();

    app::FeedbackRequest request;
    request.ticket = token;
    request.by_token = true;
    request.rating = body["rating"].get<std::string>();
    request.reason = body.value("reason", std::string());
    request.channel = "web";
    const auto recorded = app::record_feedback(*ctx_.office, request);
    if (recorded) return feedback_answer(res, 201, {{"ok", true}, {"message", ctx_.translator.tr(lang, "feedback.thanks")}});

    const Error& e = recorded.error();
    int status = 500;
    std::string message = ctx_.translator.tr(lang, "web.feedback.failed");
    if (e.code == "refused.feedback.already") {
        status = 409;
        message = ctx_.translator.tr(lang, "web.feedback.already");
    } else if (e.code == "refused.feedback.not_served") {
        status = 409;
        message = ctx_.translator.tr_error(lang, e);
    } else if (e.code == "feedback.unknown_ticket" || e.code == "refused.feedback.unknown_ticket") {
        status = 404;
    } else if (e.code == "refused.feedback.rating" || e.code == "refused.feedback.reason") {
        status = 400;
    } else if (e.code == "clock" || e.code.rfind("store.", 0) == 0) {
        status = 503;
        res.set_header("Retry-After", "30");
    }
    feedback_answer(res, status, {{"error", e.message}, {"message", message}});
}

}  // namespace csc::web
