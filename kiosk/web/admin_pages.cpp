#include "kiosk/web/admin_pages.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <httplib.h>

#include "kiosk/app/staff.hpp"
#include "kiosk/app/statistics.hpp"
#include "kiosk/app/warning_log.hpp"

namespace csc::web {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxSignInBody = 1024;  // a name (≤ 180 bytes) and a PIN, form-encoded
constexpr int kMaxPinChecks = 2;              // argon2id: 64 MB and ~0.3 s each

// "http://host:port/path" → "http://host:port".
std::string origin_of(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return {};
    const auto path = url.find('/', scheme + 3);
    return path == std::string::npos ? url : url.substr(0, path);
}

void answer_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json; charset=utf-8");
}

std::string cookie_value(const std::string& header, std::string_view name) {
    // "a=1; csc_admin=…; b=2"
    std::size_t at = 0;
    while (at < header.size()) {
        auto end = header.find(';', at);
        if (end == std::string::npos) end = header.size();
        std::string_view part(header.data() + at, end - at);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=')
            return std::string(part.substr(name.size() + 1));
        at = end + 1;
    }
    return {};
}

}  // namespace

bool same_origin(const httplib::Request& req, bool https, const std::string& public_url) {
    const std::string origin = req.get_header_value("Origin");
    if (origin.empty() || origin == "null") return false;
    const std::string host = req.get_header_value("Host");
    if (!host.empty() && origin == (https ? "https://" : "http://") + host) return true;
    return !public_url.empty() && origin == origin_of(public_url);
}

AdminPages::AdminPages(app::Context& ctx, PageMaker page, LangPicker lang)
    : ctx_(ctx), page_(std::move(page)), lang_(std::move(lang)), sessions_(ctx.clock) {}

std::string AdminPages::cookie(const std::string& value, bool clear) const {
    std::string c = std::string(kAdminCookie) + "=" + value + "; Path=/admin; HttpOnly; SameSite=Strict";
    if (!ctx_.config.web.cert_file.empty()) c += "; Secure";
    if (clear) c += "; Max-Age=0";
    return c;
}

std::optional<AdminSession> AdminPages::session_of(const httplib::Request& req, bool active) {
    return sessions_.use(cookie_value(req.get_header_value("Cookie"), kAdminCookie), active);
}

json AdminPages::dashboard(const std::string& lang, const std::string& signed_in) {
    Office& office = *ctx_.office;
    DashboardInput in;
    in.now = ctx_.clock.now();
    in.signed_in = signed_in;
    in.self = office.device();
    in.lan = office.lan_mode();
    if (in.lan) {
        in.unconfirmed = office.unconfirmed_count();
        in.stream_seq = office.applied_stream_seq();
        in.index_conflicts = office.index_conflicts();
        in.agenda_complete = office.agenda_complete();
    }
    in.clock_alarm = office.clock_alarm();
    // The programs' statuses (presence): a file that does not read back is a warning of its own.
    presence::Board board = presence::read_board(ctx_.data_dir, in.now);
    in.statuses = std::move(board.statuses);
    in.quarantined = office.quarantined().size();
    // Counts only: sector_outlook() would run a forecast per sector for every refresh.
    office.read([&](const OfficeState& state) {
        for (const Sector& s : ctx_.config.sectors) in.outlook.push_back(SectorOutlook{.sector = s.id, .waiting = state.waiting(s.id)});
    });
    in.warnings = app::recent_warnings(&in.warnings_dropped);
    for (const std::string& problem : board.problems) in.warnings.push_back(app::ProgramWarning{in.now, problem});
    // Today's events from a store connection of its own, read-only: the office's lock is not
    // held while they are read and folded.
    const Millis midnight = ctx_.config.timezone.start_of_day(in.now);
    if (auto store = Store::open(ctx_.data_dir, StoreAccess::ReadOnly); !store) {
        in.stats_error = store.error().message;
    } else if (auto events = (*store)->events_since(midnight); !events) {
        in.stats_error = events.error().message;
    } else {
        std::vector<Event> today;
        today.reserve(events->size());
        for (auto& s : *events) today.push_back(std::move(s.event));
        in.devices = device_activity(today);
    }
    const Date day = ctx_.config.timezone.to_local(in.now).date;
    if (auto table = app::office_statistics(ctx_, app::StatsRange{day, day}, stats::Grouping::Sector))
        in.today = std::move(*table);
    else
        in.stats_error = table.error().message;
    return dashboard_json(ctx_.config, ctx_.translator, lang, in);
}

void AdminPages::sign_in(const httplib::Request& req, httplib::Response& res) {
    const std::string lang = lang_(req);
    const auto refuse = [&](int status, const std::string& key, const std::vector<std::pair<std::string, std::string>>& args = {}) {
        answer_json(res, status, {{"ok", false}, {"error", ctx_.translator.tr(lang, key, args)}});
    };
    // The PIN only in a small form body: never in the URL (logs, history), never anything big.
    if (req.body.size() > kMaxSignInBody) return refuse(413, "admin.error.too_big");
    if (req.target.find('?') != std::string::npos ||
        !req.get_header_value("Content-Type").starts_with("application/x-www-form-urlencoded"))
        return refuse(400, "admin.error.bad_request");
    const std::string name = req.get_param_value("name");
    std::string pin = req.get_param_value("pin");
    if (name.empty() || pin.empty()) return refuse(400, "admin.error.missing");
    if (pin_checks_.fetch_add(1) >= kMaxPinChecks) {
        --pin_checks_;
        res.set_header("Retry-After", "2");
        return refuse(503, "admin.error.busy");
    }
    const std::string where = ("web " + req.remote_addr).substr(0, 40);
    auto result = app::sign_in(*ctx_.office, name, pin, "maintenance", where);
    --pin_checks_;
    std::fill(pin.begin(), pin.end(), '\0');
    if (!result) {
        answer_json(res, 503, {{"ok", false}, {"error", ctx_.translator.tr_error(lang, result.error())}});
        return;
    }
    if (result->locked_until) {
        const LocalTime until = ctx_.config.timezone.to_local(*result->locked_until);
        char hhmm[8];
        std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", until.hour, until.minute);
        return refuse(423, "admin.error.locked", {{"time", hhmm}});
    }
    if (!result->ok) {
        const auto member = ctx_.office->find_staff(name);
        if (member && !member->has_role("maintenance")) return refuse(403, "admin.error.not_maintenance");
        return refuse(401, "admin.error.wrong");  // unknown name or wrong PIN: one answer
    }
    auto id = sessions_.open(result->name);
    if (!id) {
        std::cerr << "kiosk: web: " << id.error().message << '\n';
        app::remember_warning(ctx_.clock.now(), "web: " + id.error().message);
        return refuse(503, "admin.error.busy");
    }
    res.set_header("Set-Cookie", cookie(*id, false));
    answer_json(res, 200, {{"ok", true}});
}

void AdminPages::sign_out(const httplib::Request& req, httplib::Response& res) {
    const std::string id = cookie_value(req.get_header_value("Cookie"), kAdminCookie);
    if (auto s = sessions_.close(id)) {
        const std::string where = ("web " + req.remote_addr).substr(0, 40);
        if (auto r = ctx_.office->record(StaffSignedOut{s->name, where}, s->name); !r)
            app::remember_warning(ctx_.clock.now(), "web: sign-out of \"" + s->name + "\" not recorded: " + r.error().message);
    }
    res.set_header("Set-Cookie", cookie("", true));
    answer_json(res, 200, {{"ok", true}});
}

void AdminPages::add_routes(httplib::Server& s) {
    using httplib::Request;
    using httplib::Response;
    s.Get("/admin", [this](const Request& req, Response& res) {
        if (!session_of(req, true)) {
            res.status = 303;
            res.set_header("Location", "/admin/sign-in");
            res.set_header("Cache-Control", "no-store");
            return;
        }
        page_(res, "admin.html", lang_(req));
        res.headers.erase("Cache-Control");  // the page maker's no-cache: this one is never kept
        res.set_header("Cache-Control", "no-store");
    });
    s.Get("/admin/sign-in", [this](const Request& req, Response& res) {
        page_(res, "admin-sign-in.html", lang_(req));
        res.headers.erase("Cache-Control");
        res.set_header("Cache-Control", "no-store");
    });
    s.Get("/admin/api/dashboard", [this](const Request& req, Response& res) {
        // The page refreshes itself every few seconds: that keeps nobody signed in. Only a
        // refresh that follows a key or a click in the page (its X-Admin-Active) counts as use.
        const auto session = session_of(req, req.get_header_value("X-Admin-Active") == "1");
        if (!session) return answer_json(res, 401, {{"error", ctx_.translator.tr(lang_(req), "admin.error.signed_out")}});
        answer_json(res, 200, dashboard(lang_(req), session->name));
    });
    s.Post("/admin/sign-in", [this](const Request& req, Response& res) { sign_in(req, res); });
    s.Post("/admin/sign-out", [this](const Request& req, Response& res) { sign_out(req, res); });
}

}  // namespace csc::web
