#include "kiosk/web/web_server.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <ctime>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "kiosk/app/warning_log.hpp"
#include "kiosk/web/admin_pages.hpp"
#include "kiosk/web/guarded_server.hpp"
#include "kiosk/web/web_input.hpp"
#include "kiosk/web/web_views.hpp"

namespace csc::web {

namespace {

using nlohmann::json;
using Steady = std::chrono::steady_clock;

constexpr std::size_t kMaxBody = 16 * 1024;          // GET pages need none; a bigger request is refused
constexpr auto kStreamLife = std::chrono::minutes(5);  // then the browser reconnects (EventSource)
constexpr Millis kStreamWaitMs = 1000;                 // a live page notices a stop within this
constexpr auto kKeepAlive = std::chrono::seconds(15);  // a comment line keeps proxies from closing it
constexpr auto kForecastEvery = std::chrono::seconds(20);  // a live page's forecast is made at most this often …
constexpr auto kForecastSpread = std::chrono::seconds(10);  // … plus up to this (per page), so pages do not remake together
constexpr auto kForecastAfter = std::chrono::milliseconds(500);  // a change reaches every page before forecasts run
constexpr auto kForecastPace = std::chrono::milliseconds(20);    // live pages' forecasts, all together: at most 50 a second
constexpr double kForecastShare = 0.15;  // … and at most ~15% of one core (a forecast over 1,000 waiting takes ~10 ms)

// A futex on the live pages' generation: a wait that needs no lock (every waiter is woken at
// once and runs without queueing for a mutex), with a timeout.
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t seen, long timeout_ms) {
    static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t) && std::atomic<std::uint32_t>::is_always_lock_free);
    timespec ts{timeout_ms / 1000, (timeout_ms % 1000) * 1'000'000};
    (void)syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, seen, &ts, nullptr, 0);
}

// This thread runs only when the machine has CPU to spare (SCHED_IDLE): 1,000 live pages woken
// by a change must not delay a citizen's tap at a kiosk on the same machine. Pool threads stay
// so afterwards (everything the web answers is background work); an error leaves it as it was.
void background_thread() {
    thread_local bool done = false;
    if (done) return;
    done = true;
    sched_param none{};
    (void)pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
}

void futex_wake_all(std::atomic<std::uint32_t>& word) {
    (void)syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}
constexpr auto kWaitsFresh = std::chrono::seconds(5);      // /api/waits made again at most this often …
constexpr auto kWaitsMaxAge = std::chrono::seconds(60);    // … and at least this often (the clock moves it)

// The pages and what they may load: nothing from elsewhere, no inline script.
std::string csp(const std::string& frame_ancestors) {
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
           "base-uri 'none'; form-action 'none'; frame-ancestors " +
           frame_ancestors;
}

// The files a page may ask for, by the name in its URL (nothing else under assets/web is served).
const std::map<std::string, std::string>& static_types() {
    static const std::map<std::string, std::string> types{{"style.css", "text/css; charset=utf-8"},
                                                          {"ticket.js", "text/javascript; charset=utf-8"},
                                                          {"admin.js", "text/javascript; charset=utf-8"},
                                                          {"admin.css", "text/css; charset=utf-8"},
                                                          {"waits.js", "text/javascript; charset=utf-8"}};
    return types;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string escape_html(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace

WebServer::WebServer(app::Context& ctx)
    : ctx_(ctx),
      admin_(std::make_unique<AdminPages>(
          ctx, [this](httplib::Response& res, const std::string& file, const std::string& lang) { serve_file(res, file, lang, false); },
          [this](const httplib::Request& req) { return pick_lang(req); })) {}

WebServer::~WebServer() { stop(); }

std::string WebServer::pick_lang(const httplib::Request& req) const {
    return pick_language(req.has_param("lang") ? req.get_param_value("lang") : std::string{},
                         req.get_header_value("Accept-Language"), ctx_.config.languages,
                         [this](const std::string& l) { return ctx_.translator.find(l) != nullptr; });
}

bool WebServer::allow(const httplib::Request& req, httplib::Response& res) {
    const int per_minute = ctx_.config.web.requests_per_minute;
    const auto now = Steady::now();
    std::lock_guard lock(rate_mutex_);
    if (buckets_.size() > 10'000) {  // forget clients quiet for a while
        for (auto it = buckets_.begin(); it != buckets_.end();)
            it = now - it->second.at > std::chrono::minutes(2) ? buckets_.erase(it) : std::next(it);
    }
    auto [it, fresh] = buckets_.try_emplace(req.remote_addr, Bucket{double(per_minute), now});
    Bucket& b = it->second;
    if (!fresh) {
        b.tokens = std::min<double>(per_minute, b.tokens + std::chrono::duration<double>(now - b.at).count() * per_minute / 60.0);
        b.at = now;
    }
    if (b.tokens < 1) {
        res.status = 429;
        res.set_header("Retry-After", "10");
        res.set_content("too many requests\n", "text/plain; charset=utf-8");
        return false;
    }
    b.tokens -= 1;
    return true;
}

void WebServer::serve_file(httplib::Response& res, const std::string& name, const std::string& lang, bool frameable) {
    std::string page = read_file(ctx_.assets_dir / "web" / name);
    if (page.empty()) {
        res.status = 500;
        res.set_content("page missing: assets/web/" + name + "\n", "text/plain; charset=utf-8");
        return;
    }
    // {{lang}}, {{dir}} (ltr, or rtl for Arabic) and {{t:key}}: the page's fixed words in its
    // language (escaped for HTML). The browser shapes and reorders right-to-left text itself.
    std::string out;
    std::size_t at = 0;
    while (true) {
        const auto open = page.find("{{", at);
        if (open == std::string::npos) break;
        const auto close = page.find("}}", open);
        if (close == std::string::npos) break;
        out.append(page, at, open - at);
        const std::string what = page.substr(open + 2, close - open - 2);
        if (what == "lang") out += lang;
        else if (what == "dir") out += ctx_.translator.right_to_left(lang) ? "rtl" : "ltr";
        else if (what.starts_with("t:")) out += escape_html(ctx_.translator.tr(lang, what.substr(2)));
        at = close + 2;
    }
    out.append(page, at);
    std::string ancestors = "'none'";
    if (frameable && !ctx_.config.web.allow_origins.empty()) {
        ancestors.clear();
        for (const auto& o : ctx_.config.web.allow_origins) ancestors += (ancestors.empty() ? "" : " ") + o;
    }
    res.set_header("Content-Security-Policy", csp(ancestors));
    if (!frameable) res.set_header("X-Frame-Options", "DENY");
    res.set_header("Cache-Control", "no-cache");
    res.set_content(out, "text/html; charset=utf-8");
}

std::string WebServer::waits_body(const std::string& lang) {
    // Every request of every phone and of the town's site would otherwise run one forecast per
    // sector: made again only when the office changed and a few seconds have passed.
    const std::uint64_t version = ctx_.office->version();
    {
        std::lock_guard lock(waits_mutex_);
        auto it = waits_cache_.find(lang);
        if (it != waits_cache_.end() && (it->second.version == version || Steady::now() - it->second.made < kWaitsFresh) &&
            Steady::now() - it->second.made < kWaitsMaxAge)
            return it->second.body;
    }
    WaitsInput in;
    in.outlook = ctx_.office->sector_outlook();
    const Millis now = ctx_.clock.now();
    in.now = ctx_.config.timezone.to_local(now);
    in.reopening = app::next_reopening(ctx_.config, now);
    std::string body = waits_json(ctx_.config, ctx_.translator, lang, in).dump(-1, ' ', false, json::error_handler_t::replace);
    std::lock_guard lock(waits_mutex_);
    waits_cache_[lang] = CachedWaits{body, version, Steady::now()};
    return body;
}

std::optional<TicketInput> WebServer::ticket_now(const std::string& token) {
    std::optional<TicketInput> in;
    const Millis now = ctx_.clock.now();
    ctx_.office->read([&](const OfficeState& state) {
        const Ticket* t = find_ticket_by_token(state, token);
        if (!t) return;
        in.emplace();
        in->ticket = *t;
        if (is_waiting(t->status))
            for (const Ticket* q : state.queue(t->sector, now)) {
                if (q->id == t->id) break;
                ++in->ahead;
            }
    });
    if (in) in->now = ctx_.config.timezone.to_local(now);
    return in;
}

bool WebServer::forecast_turn() {
    // A call moves every page of its queue, and the minute turns for all: without a pace, 1,000
    // forecasts (seconds of CPU) would run at once and delay the next call's delivery.
    std::lock_guard lock(pace_mutex_);
    const auto now = Steady::now();
    if (forecast_next_ > now) return false;
    forecast_next_ = now + kForecastPace;
    return true;
}

void WebServer::forecast_spent(std::chrono::steady_clock::duration took) {
    // The next turn waits in proportion: the pages' forecasts together stay near kForecastShare
    // of one core however long the queue (the tap at the entrance shares the machine).
    const auto rest = std::chrono::duration_cast<Steady::duration>(took * (1.0 / kForecastShare - 1.0));
    std::lock_guard lock(pace_mutex_);
    forecast_next_ = std::max(forecast_next_, Steady::now() + rest);
}

std::shared_ptr<const WebServer::PageSnapshot> WebServer::make_pages(std::uint64_t version, int minute) {
    const Millis now = ctx_.clock.now();
    auto snap = std::make_shared<PageSnapshot>();
    snap->version = version;
    snap->minute = minute;
    ctx_.office->read([&](const OfficeState& state) {
        std::map<std::string, std::unordered_map<std::string, int>> place;  // per sector: ticket id -> people ahead
        for (const Ticket& t : state.tickets()) {  // in order: a token's latest ticket wins, as in find_ticket_by_token
            if (!is_ticket_token(t.token)) continue;
            TicketInput in;
            in.ticket = t;
            if (is_waiting(t.status)) {
                auto [q, fresh] = place.try_emplace(t.sector);
                if (fresh) {
                    int i = 0;
                    for (const Ticket* w : state.queue(t.sector, now)) q->second.emplace(w->id, i++);
                }
                const auto at = q->second.find(t.id);
                in.ahead = at != q->second.end() ? at->second : static_cast<int>(q->second.size());
            }
            snap->by_token.insert_or_assign(t.token, std::move(in));
        }
    });
    return snap;
}

bool WebServer::pages_moved(const PageSnapshot& before, const PageSnapshot& after) {
    // What a page shows of its ticket besides the forecast and the minute (Stream::Made).
    for (const auto& [token, was] : before.by_token) {
        const auto now = after.by_token.find(token);
        if (now == after.by_token.end()) return true;  // gone (the day rolled over)
        const Ticket& a = was.ticket;
        const Ticket& b = now->second.ticket;
        if (a.status != b.status || a.counter != b.counter || a.sector != b.sector || a.feedback != b.feedback ||
            was.ahead != now->second.ahead)
            return true;
    }
    return false;
}

void WebServer::pump() {
    std::uint64_t seen = ~std::uint64_t{0};
    int seen_minute = -1;
    while (!stopping_.load()) {
        const std::uint64_t version = ctx_.office->version();
        const LocalTime local = ctx_.config.timezone.to_local(ctx_.clock.now());
        const int minute = local.minute_of_day();
        if (version != seen || minute != seen_minute) {
            const bool new_minute = minute != seen_minute;
            seen = version;
            seen_minute = minute;
            bool moved = true;
            try {
                auto next = make_pages(version, minute);
                // A ticket issued behind everyone changes no page: the pages sleep on (1,000
                // threads woken 4 times a second for nothing cost the entrance's tap its p99).
                const auto before = pages_.load();
                moved = new_minute || !before || pages_moved(*before, *next);
                pages_.store(std::move(next));
            } catch (const std::exception& e) {  // nothing may end this thread but stop()
                std::cerr << "kiosk: web: the live pages' snapshot: " << e.what() << '\n';
            }
            if (moved) {
                pages_gen_.fetch_add(1);
                futex_wake_all(pages_gen_);
            }
        }
        ctx_.office->wait_for_change(version, kStreamWaitMs);
    }
}

void WebServer::wait_pages(std::uint32_t seen_gen, long timeout_ms) {
    futex_wait(pages_gen_, seen_gen, timeout_ms);
}

std::optional<WaitForecast> WebServer::sector_forecast(const std::string& sector, const std::string& ticket_id,
                                                       std::uint64_t version, Steady::duration max_age, Steady::duration& spent) {
    spent = Steady::duration::zero();
    bool make_run = false;
    {
        std::lock_guard lock(sector_mutex_);
        SectorRun& run = sector_runs_[sector];
        const auto found = run.by_id.find(ticket_id);
        const bool fresh = run.version >= version && Steady::now() - run.made < max_age;
        if (found != run.by_id.end() && (fresh || run.running)) return found->second;
        // Stale or without this ticket: this page makes the run, unless another one is making
        // it (then this ticket, issued since the last run, gets a forecast of its own).
        make_run = !run.running;
        if (make_run) run.running = true;
    }
    const auto t0 = Steady::now();
    if (!make_run) {
        auto own = ctx_.office->forecast_for(ticket_id);
        spent = Steady::now() - t0;
        return own;
    }
    std::map<std::string, WaitForecast> all;
    try {
        all = ctx_.office->forecasts_for_sector(sector);
    } catch (...) {
        std::lock_guard lock(sector_mutex_);
        sector_runs_[sector].running = false;
        throw;
    }
    spent = Steady::now() - t0;
    std::lock_guard lock(sector_mutex_);
    SectorRun& run = sector_runs_[sector];
    run.by_id = std::move(all);
    run.version = version;
    run.made = Steady::now();
    run.running = false;
    const auto found = run.by_id.find(ticket_id);
    if (found == run.by_id.end()) return std::nullopt;  // no longer waiting
    return found->second;
}

std::string WebServer::ticket_body(const std::string& token) {
    auto in = ticket_now(token);
    if (!in) return {};
    if (is_waiting(in->ticket.status)) {
        Steady::duration spent{};
        in->forecast = sector_forecast(in->ticket.sector, in->ticket.id, ctx_.office->version(), kForecastEvery, spent);
    }
    return ticket_json(ctx_.config, ctx_.translator, *in).dump(-1, ' ', false, json::error_handler_t::replace);
}

void WebServer::ticket_events(const std::string& token, httplib::Response& res) {
    // Taken before any work, so concurrent requests can never open more than max_streams.
    if (streams_.fetch_add(1) >= ctx_.config.web.max_streams) {
        --streams_;
        res.status = 503;
        res.set_header("Retry-After", "15");
        res.set_content("too many live pages open\n", "text/plain; charset=utf-8");
        return;
    }
    if (!ticket_now(token)) {
        --streams_;
        res.status = 404;
        res.set_content("no such ticket today\n", "text/plain; charset=utf-8");
        return;
    }
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Accel-Buffering", "no");
    struct Stream {
        std::string last;                         // the body sent last
        std::uint64_t version = ~std::uint64_t{0};  // the office's version it was made at
        int minute = -1;                          // … and the minute (the forecast moves with the clock)
        std::optional<WaitForecast> forecast;     // reused for kForecastEvery + this page's spread
        bool forecast_due = false;                // the change went out with the previous forecast; a new one follows
        Steady::duration forecast_every;
        Steady::time_point forecast_at, started = Steady::now(), sent = Steady::now();
        bool first = true;
        std::uint64_t opened = 0;                 // the office's version when the page was found: older snapshots may lack it
        // What the last body was made of (its JSON is a function of these, the forecast and the
        // minute): a change elsewhere in the office (a ticket issued behind it) makes no JSON.
        struct Made {
            TicketStatus status = TicketStatus::Waiting;
            int counter = -1, ahead = -1, minute = -1;
            std::string sector, feedback;
            Steady::time_point forecast_at;
            bool operator==(const Made&) const = default;
        } made;
    };
    auto st = std::make_shared<Stream>();
    st->opened = ctx_.office->version();
    st->forecast_every = kForecastEvery + std::chrono::milliseconds(std::hash<std::string>{}(token) %
                                                                    std::chrono::milliseconds(kForecastSpread).count());
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, token, st](std::size_t, httplib::DataSink& sink) {
            // Called again as long as it returns true: one event (or keep-alive) per call. It
            // runs outside the library's own exception guard: nothing may escape it.
            try {
                if (st->first) {
                    st->first = false;
                    background_thread();
                    const std::string retry = "retry: 3000\n\n";
                    if (!sink.write(retry.data(), retry.size())) return false;
                }
                while (!stopping_.load() && sink.is_writable()) {
                    const std::uint32_t gen = pages_gen_.load();
                    const auto pages = pages_.load();  // pump(): one snapshot per change for every page
                    // A due forecast waits until the change has gone out, then for its turn.
                    const bool remake = st->forecast_due && Steady::now() - st->sent >= kForecastAfter && forecast_turn();
                    if (pages && pages->version >= st->opened &&
                        (pages->version != st->version || pages->minute != st->minute || remake)) {
                        st->version = pages->version;
                        st->minute = pages->minute;
                        const auto found = pages->by_token.find(token);
                        if (found == pages->by_token.end()) return false;  // the day rolled over: the ticket is gone
                        std::optional<TicketInput> in = found->second;
                        in->now = ctx_.config.timezone.to_local(ctx_.clock.now());
                        if (is_waiting(in->ticket.status)) {
                            // A forecast is a Monte Carlo run (~2.5 ms of CPU with 500 waiting):
                            // with 1,000 pages in one queue, one per page at each call would be
                            // seconds of CPU. So a page's is made again at most every
                            // forecast_every, and after the change itself has gone out to every
                            // page (kForecastAfter later) with the previous forecast.
                            const bool old = Steady::now() - st->forecast_at > st->forecast_every;
                            // The forecast comes from one run for the whole queue, shared by
                            // its pages (sector_forecast): the first page after a change makes
                            // it, the others read it.
                            Steady::duration spent{};
                            if (!st->forecast) {
                                st->forecast = sector_forecast(in->ticket.sector, in->ticket.id, pages->version,
                                                               st->forecast_every, spent);
                                st->forecast_at = Steady::now();
                            } else if (remake) {
                                st->forecast_due = false;
                                st->forecast = sector_forecast(in->ticket.sector, in->ticket.id, pages->version,
                                                               st->forecast_every, spent);
                                st->forecast_at = Steady::now();
                            } else if (old) {
                                st->forecast_due = true;
                            }
                            if (spent > Steady::duration::zero()) forecast_spent(spent);
                            in->forecast = st->forecast;
                        } else {
                            st->forecast_due = false;
                        }
                        const Stream::Made made{in->ticket.status, in->ticket.counter, in->ahead, in->now.minute_of_day(),
                                                in->ticket.sector, in->ticket.feedback, st->forecast_at};
                        if (made == st->made) continue;  // nothing this page shows has changed
                        st->made = made;
                        std::string body =
                            ticket_json(ctx_.config, ctx_.translator, *in).dump(-1, ' ', false, json::error_handler_t::replace);
                        if (body != st->last) {
                            st->last = std::move(body);
                            st->sent = Steady::now();
                            const std::string msg = "data: " + st->last + "\n\n";
                            return sink.write(msg.data(), msg.size());
                        }
                    }
                    if (Steady::now() - st->started > kStreamLife) {
                        sink.done();
                        return true;
                    }
                    if (Steady::now() - st->sent > kKeepAlive) {
                        st->sent = Steady::now();
                        const std::string ping = ": ping\n\n";
                        return sink.write(ping.data(), ping.size());
                    }
                    wait_pages(gen, kStreamWaitMs);
                }
                return false;
            } catch (const std::exception& e) {
                std::cerr << "kiosk: web: a live ticket page ended: " << e.what() << '\n';
                app::remember_warning(ctx_.clock.now(), std::string("web: a live ticket page ended: ") + e.what());
                return false;
            }
        },
        [this](bool) { --streams_; });
}

void WebServer::routes() {
    using httplib::Request;
    using httplib::Response;
    httplib::Server& s = *server_;
    s.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                           {"Referrer-Policy", "no-referrer"},
                           {"Cross-Origin-Opener-Policy", "same-origin"},
                           {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"}});
    s.set_pre_routing_handler([this](const Request& req, Response& res) {
        const bool admin_post = req.method == "POST" &&
                                std::find(kAdminPostPaths.begin(), kAdminPostPaths.end(), req.path) != kAdminPostPaths.end();
        if (admin_post && !same_origin(req, !ctx_.config.web.cert_file.empty(), ctx_.config.web.public_url)) {
            res.status = 403;  // another site's page cannot make a browser post here
            res.set_content("not from this server's own pages\n", "text/plain; charset=utf-8");
            return httplib::Server::HandlerResponse::Handled;
        }
        // The rating's POST checks its Origin itself (web_feedback.cpp: a JSON answer for the page).
        if (!admin_post && !is_feedback_post(req) && req.method != "GET" && req.method != "HEAD") {
            res.status = 405;
            res.set_header("Allow", "GET, HEAD");
            res.set_content("only GET\n", "text/plain; charset=utf-8");
            return httplib::Server::HandlerResponse::Handled;
        }
        return allow(req, res) ? httplib::Server::HandlerResponse::Unhandled : httplib::Server::HandlerResponse::Handled;
    });
    s.set_exception_handler([](const Request&, Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content("internal error\n", "text/plain; charset=utf-8");
    });
    s.set_error_handler([](const Request&, Response& res) {
        if (res.body.empty()) res.set_content(std::to_string(res.status) + "\n", "text/plain; charset=utf-8");
    });

    admin_->add_routes(s);
    s.Get("/", [this](const Request& req, Response& res) { serve_file(res, "index.html", pick_lang(req), false); });
    s.Get("/widget", [this](const Request& req, Response& res) { serve_file(res, "widget.html", pick_lang(req), true); });
    s.Get(R"(/static/([a-z]+\.(css|js)))", [this](const Request& req, Response& res) {
        const auto it = static_types().find(req.matches[1].str());
        if (it == static_types().end()) return void(res.status = 404);
        res.set_header("Cache-Control", "public, max-age=300");
        res.set_content(read_file(ctx_.assets_dir / "web" / it->first), it->second);
    });
    s.Get("/api/waits", [this](const Request& req, Response& res) {
        // For the town's site: readable from its origin(s) only, cached briefly.
        const std::string origin = req.get_header_value("Origin");
        const auto& allowed = ctx_.config.web.allow_origins;
        if (!origin.empty() && std::find(allowed.begin(), allowed.end(), origin) != allowed.end())
            res.set_header("Access-Control-Allow-Origin", origin);
        res.set_header("Vary", "Origin");  // a shared cache keeps one copy per origin
        res.set_header("Cache-Control", "public, max-age=10");
        res.set_content(waits_body(pick_lang(req)), "application/json; charset=utf-8");
    });
    s.Get(R"(/t/([A-Za-z0-9_-]+))", [this](const Request& req, Response& res) {
        const auto in = ticket_now(req.matches[1].str());
        if (!in) {
            serve_file(res, "gone.html", pick_lang(req), false);
            res.status = 404;
            return;
        }
        const std::string& lang = ctx_.translator.find(in->ticket.lang) ? in->ticket.lang : ctx_.config.languages.front();
        serve_file(res, "ticket.html", lang, false);
        res.set_header("Cache-Control", "no-store");
    });
    s.Get(R"(/api/t/([A-Za-z0-9_-]+))", [this](const Request& req, Response& res) {
        const std::string body = ticket_body(req.matches[1].str());
        res.set_header("Cache-Control", "no-store");
        if (body.empty()) {
            res.status = 404;
            res.set_content(R"({"error":"no such ticket today"})", "application/json; charset=utf-8");
            return;
        }
        res.set_content(body, "application/json; charset=utf-8");
    });
    s.Get(R"(/api/t/([A-Za-z0-9_-]+)/events)",
          [this](const Request& req, Response& res) { ticket_events(req.matches[1].str(), res); });
    s.Post(R"(/api/t/([A-Za-z0-9_-]+)/feedback)",
           [this](const Request& req, Response& res) { feedback_post(req.matches[1].str(), req, res); });
}

Result<void> WebServer::start(const std::string& address, int port) {
    const WebConfig& web = ctx_.config.web;
    if (!web.cert_file.empty()) {
        auto ssl = std::make_unique<GuardedTlsServer>(web.cert_file.c_str(), web.key_file.c_str(), ConnectionLimits{});
        if (!ssl->is_valid())
            return fail("web: cannot use the certificate " + web.cert_file.string() + " with the key " + web.key_file.string() +
                        " (unreadable, not PEM, or they do not match)");
        guarded_tls_ = ssl.get();
        server_ = std::move(ssl);
    } else {
        auto guarded = std::make_unique<GuardedServer>(ConnectionLimits{});
        guarded_ = guarded.get();
        server_ = std::move(guarded);
    }
    // Each live page holds a thread (asleep on the office's change), the rest answer requests;
    // the library's default is max(8, cores - 1) threads for everything (docs/WEB.md, "Capacity").
    const int threads = pool_threads(web.max_streams);
    server_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    if (const long want = threads + 256L, have = raise_open_files_limit(want); have < want)
        std::cerr << "kiosk: web: only " << have << " open files allowed (ulimit -n; LimitNOFILE= in a systemd unit), "
                  << want << " wanted for " << web.max_streams << " live pages: connections beyond will wait\n";
    server_->set_payload_max_length(kMaxBody);
    server_->set_read_timeout(5, 0);
    server_->set_write_timeout(5, 0);
    server_->set_keep_alive_max_count(50);
    server_->set_keep_alive_timeout(5);
    for (const char* page : {"index.html", "widget.html", "ticket.html", "gone.html", "style.css", "ticket.js", "waits.js",
                             "admin.html", "admin-sign-in.html", "admin.js", "admin.css"})
        if (!std::filesystem::exists(ctx_.assets_dir / "web" / page))
            return fail("web: " + (ctx_.assets_dir / "web" / page).string() + " is missing (a broken installation)");
    routes();
    if (port == 0) {
        port_ = server_->bind_to_any_port(address);
        if (port_ <= 0) return fail("web: cannot listen on " + address + " (not an address of this machine?)");
    } else {
        if (!server_->bind_to_port(address, port))
            return fail("web: cannot listen on " + address + ":" + std::to_string(port) +
                        " (in use by another program, not an address of this machine, or a port below 1024 without the right)");
        port_ = port;
    }
    if ((guarded_ && !guarded_->widen_backlog(1024)) || (guarded_tls_ && !guarded_tls_->widen_backlog(1024)))
        std::cerr << "kiosk: web: cannot widen the listen backlog: " << std::strerror(errno) << '\n';
    pages_.store(make_pages(ctx_.office->version(), ctx_.config.timezone.to_local(ctx_.clock.now()).minute_of_day()));
    pump_ = std::thread([this] { pump(); });
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() before the server runs would be lost (and join() never return): wait for it.
    for (int i = 0; i < 500 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return {};
}

void WebServer::stop() {
    stopping_ = true;
    pages_gen_.fetch_add(1);
    futex_wake_all(pages_gen_);  // live pages see stopping_ at once
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    if (pump_.joinable()) pump_.join();  // within kStreamWaitMs
}

}  // namespace csc::web
