// The Info Point's controller: the staff member's session (sign-in, inactivity sign-out), the
// actions for a citizen as office events signed by the member, and the view the tabs draw.
#include "kiosk/gui/roles/infopoint.hpp"

#include <sodium.h>
#include <sys/prctl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "drivers/printer/transport.hpp"
#include "kiosk/app/booking.hpp"
#include "kiosk/app/office_rules.hpp"
#include "kiosk/app/print_requests.hpp"
#include "kiosk/app/staff.hpp"
#include "shared/office_time.hpp"
#include "shared/booking/booking_code.hpp"

namespace csc::gui {

namespace {

using namespace std::chrono_literals;

// Why a ticket issued by mistake is withdrawn: keys recorded in ticket.cancelled (screens and
// reports translate them), never free text about the citizen.
constexpr const char* kCancelReasons[] = {"infopoint.cancel.wrong_sector", "infopoint.cancel.wrong_service",
                                          "infopoint.cancel.duplicate", "infopoint.cancel.citizen_left"};

const char* status_key(TicketStatus s) {
    switch (s) {
        case TicketStatus::Waiting: return "infopoint.status.waiting";
        case TicketStatus::Transferred: return "infopoint.status.waiting";
        case TicketStatus::Called: return "infopoint.status.called";
        case TicketStatus::Serving: return "infopoint.status.serving";
        case TicketStatus::Served: return "infopoint.status.served";
        case TicketStatus::NoShow: return "infopoint.status.no_show";
        case TicketStatus::Cancelled: return "infopoint.status.cancelled";
        case TicketStatus::NotServed: return "infopoint.status.not_served";
    }
    return "infopoint.status.waiting";
}

}  // namespace

Result<std::unique_ptr<Role>> make_infopoint_role(RoleEnv& env) {
    if (!env.ctx.office) return fail("the infopoint role needs the office store");
    if (env.ctx.config.sectors.empty()) return fail("the site configuration has no sector");
    return std::unique_ptr<Role>(new InfopointRole(env));
}

WindowDefaults infopoint_window_defaults(const SiteConfig& config) {
    WindowDefaults d;
    d.orientation = "landscape";
    d.fullscreen = config.infopoint.fullscreen;
    if (!d.fullscreen) {
        d.width = 1600;
        d.height = 900;
    }
    return d;
}

InfopointRole::InfopointRole(RoleEnv& env) : env_(env), office_(*env.ctx.office), config_(env.ctx.config) {
    lang_ = config_.languages.front();  // never empty: the configuration requires one
    if (!env.lang.empty() && env.ctx.translator.find(env.lang)) lang_ = env.lang;
    idle_after_ = std::chrono::seconds(config_.infopoint.idle_sign_out_s);
    countdown_for_ = std::chrono::seconds(config_.infopoint.countdown_s);
    end_session(nullptr);
    view_.session = 0;
    // Staff type PIN digits here (and a PIN's keys pass through GLFW's and ImGui's buffers before
    // SecretDigits wipes its own): no core file of this process, from its start, not only from
    // the first release (app::release_crs_pin does it too).
    if (config_.crs_pin.digits) (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

    // The role's own printer: --printer wins, then [infopoint] printer, then [printer].
    auto on_done = [this](const app::PrintReport& r) {
        const SteadyTime at = std::chrono::steady_clock::now();
        worker_.post([this, r, at] { on_printed(r, at); });
    };
    const auto& own = config_.infopoint.printer;
    if (env.ctx.options.printer.empty() && !own.empty()) {
        auto spec = printer::parse_printer_option(own);
        std::unique_ptr<printer::Transport> transport;
        if (spec) {
            if (spec->profile.empty()) spec->profile = config_.printer.profile;
            if (spec->kind == "emulated" && spec->path.empty()) spec->path = (env.ctx.data_dir / "printer").string();
            if (auto t = printer::open_transport(*spec)) transport = std::move(*t);
            else std::cerr << "kiosk: infopoint: " << config_.source.string() << ":" << config_.infopoint.printer_line
                           << ": infopoint.printer: " << t.error().message << '\n';
        } else {
            std::cerr << "kiosk: infopoint: " << config_.source.string() << ":" << config_.infopoint.printer_line
                      << ": infopoint.printer: " << spec.error().message << '\n';
        }
        if (transport)
            spooler_ = std::make_unique<app::PrintSpooler>(env.ctx, std::move(transport), on_done, 3s, 60s);
    }
    if (!spooler_) spooler_ = std::make_unique<app::PrintSpooler>(env.ctx, on_done);
    spooler_->keep_care("infopoint");
    // Subscribed before the first read: nothing applied falls between the two.
    feed_ = office_.subscribe(env_.wake);
}

InfopointRole::~InfopointRole() {
    worker_.stop();  // a sign-out or action queued is still recorded
    outlook_worker_.stop();
    spooler_.reset();
}

// ---- Worker.

void InfopointRole::run(std::function<Task()> work, bool wake_again) {
    worker_.run([work = std::move(work)]() -> app::RoleWorker::Apply { return work(); });
    // The answer's wake a second time, a little after the worker sent the first with it.
    if (wake_again && env_.wake)
        worker_.run_only([wake = env_.wake] {
            std::this_thread::sleep_for(10ms);
            wake();
        });
}

// ---- Session.

void InfopointRole::end_session(const char* notice) {
    // A fresh view: nothing of the previous citizen or member survives; the screens see the new
    // session number and wipe their own buffers on their next frame.
    const std::uint64_t next = view_.session + 1;
    view_ = InfopointView{};
    view_.session = next;
    worker_.new_session();
    view_.town = config_.town;
    view_.office = config_.office_name;
    view_.login.subtitle = view_.office;
    view_.login.users_icon = true;
    view_.login.heading_key = "infopoint.login";
    view_.login.none_key = "infopoint.login.none";
    view_.login.choose_key = "infopoint.login.choose";
    view_.login.pin_key = "infopoint.login.pin";
    view_.login.enter_key = "infopoint.login.enter";
    view_.login.checking_key = "infopoint.login.checking";
    const Translator& tr = env_.ctx.translator;
    view_.priorities.emplace_back("", tr.tr(lang_, "infopoint.priority.none"));
    for (const auto& p : config_.priorities) view_.priorities.emplace_back(p.id, p.name.get(lang_));
    for (const char* k : kCancelReasons) view_.cancel_reasons.emplace_back(k, tr.tr(lang_, k));
    for (const auto& b : config_.booking.services) {
        std::string name;
        if (const Sector* s = config_.find_sector(b.sector)) {
            name = s->name.get(lang_);
            if (const Service* sv = s->find_service(b.service)) name = sv->name.get(lang_);
        }
        view_.bookable.emplace_back(b.id, name.empty() ? b.id : name);
    }
    fill_crs_and_forms();
    crs_forget();
    session_started_ = std::chrono::steady_clock::now();
    if (notice) view_.notice = notice;
    timed_ticket_.clear();
    print_outcomes_.clear();
    outlook_.clear();
    office_due_ = true;
    last_minute_ = -1;
}

void InfopointRole::activity() {
    if (!view_.signed_in.empty()) last_activity_ = std::chrono::steady_clock::now();
}

void InfopointRole::sign_in(const std::string& name, const std::string& pin) {
    if (view_.login.checking_pin || locked_until_) return;
    view_.login.checking_pin = true;
    view_.login.wrong_pin = false;
    view_.notice.clear();
    sign_in_tap_ = std::chrono::steady_clock::now();
    std::string secret = pin;
    run([this, name, secret]() mutable -> Task {
        const SteadyTime started = std::chrono::steady_clock::now();
        auto r = app::sign_in(office_, name, secret, "infopoint", "infopoint");
        wipe_secret(secret);
        const SteadyTime checked = std::chrono::steady_clock::now();
        return [this, name, r = std::move(r), started, checked] {
            using ms = std::chrono::duration<double, std::milli>;
            const SteadyTime applied = std::chrono::steady_clock::now();
            sign_in_parts_ = {ms(started - sign_in_tap_).count(), ms(checked - started).count(), ms(applied - checked).count(), 0, 0};
            view_.login.checking_pin = false;
            ++sign_in_attempts_;
            if (!r) {
                std::cerr << "kiosk: infopoint: sign-in not recorded: " << r.error().message << '\n';
                view_.login.wrong_pin = true;
                return;
            }
            if (!r->ok) {
                view_.login.wrong_pin = true;
                locked_until_ = r->locked_until;
                std::cerr << "kiosk: infopoint: sign-in refused for \"" << name << "\""
                          << (r->locked_until ? " (locked after too many wrong PINs)" : " (wrong PIN)") << '\n';
                return;
            }
            end_session(nullptr);  // a new session: nothing from before
            view_.signed_in = r->name;
            usable_pending_ = true;  // timed when the first signed-in frame is on screen (describe)
            sign_in_view_pending_ = true;  // and the view built for it at the end of this update
            last_activity_ = std::chrono::steady_clock::now();
            locked_until_.reset();
            std::cerr << "kiosk: infopoint: \"" << r->name << "\" signed in\n";
        };
    }, true);
}

void InfopointRole::sign_out() {
    if (view_.signed_in.empty()) return;
    const std::string who = view_.signed_in;
    end_session(nullptr);
    ++sign_outs_;
    run([this, who]() -> Task {
        if (auto r = office_.record(StaffSignedOut{who, "infopoint"}, who); !r)
            std::cerr << "kiosk: infopoint: sign-out not recorded: " << r.error().message << '\n';
        return [] {};
    });
    std::cerr << "kiosk: infopoint: \"" << who << "\" signed out\n";
}

// ---- Intents.

void InfopointRole::done(const Error* e, std::string notice, std::vector<std::pair<std::string, std::string>> args) {
    view_.busy = false;
    ++actions_done_;
    view_.error = e ? *e : Error{};
    view_.notice = e ? std::string() : std::move(notice);
    view_.notice_args = std::move(args);
    if (e) std::cerr << "kiosk: infopoint: not done: " << e->message << '\n';  // the screen shows it translated
    office_due_ = true;
}

void InfopointRole::show_tab(InfoTab tab) {
    if (view_.tab == InfoTab::CrsPin && tab != InfoTab::CrsPin && view_.crs_step == CrsStep::Digits && !view_.busy) crs_back();
    view_.tab = tab;
    view_.cancel_for.clear();
    if (tab == InfoTab::Book && view_.booked) view_.booked.reset();
    if (tab != InfoTab::Book) view_.moving.clear();
}

void InfopointRole::choose_sector(const std::string& id) {
    for (std::size_t i = 0; i < view_.sectors.size(); ++i)
        if (view_.sectors[i].id == id) {
            if (view_.sector != static_cast<int>(i)) view_.service.clear();
            view_.sector = static_cast<int>(i);
        }
}

void InfopointRole::choose_service(const std::string& id) { view_.service = id; }
void InfopointRole::choose_priority(const std::string& id) { view_.priority = id; }

void InfopointRole::choose_print_at(bool entrance) { view_.print_at_entrance = entrance; }

void InfopointRole::issue_ticket() {
    if (view_.signed_in.empty() || view_.busy || view_.sector < 0) return;
    const bool at_entrance = view_.print_at_entrance;
    IssueRequest req;
    req.sector = view_.sectors[std::size_t(view_.sector)].id;
    req.service = view_.service;
    req.priority = view_.priority;  // the class only: the reason is never asked nor kept
    req.channel = "assisted";
    req.by = view_.signed_in;
    view_.busy = true;
    view_.error = {};
    view_.notice.clear();
    tapped_ = std::chrono::steady_clock::now();
    run([this, req, at_entrance]() -> Task {
        auto issued = office_.issue(req);
        // At the entrance kiosk: a request in the office's log, printed there (kiosk/app/print_requests).
        std::optional<Result<std::string>> request;
        if (issued && at_entrance)
            request = app::request_print(office_, issued->ticket.id, std::string(app::kPrintAtEntrance), false, req.by);
        else if (issued)
            spooler_->submit(*issued, issued->ticket.lang);
        return [this, issued = std::move(issued), request = std::move(request)] {
            if (!issued) return done(&issued.error());
            const std::string id = issued->ticket.id;
            if (request) {
                view_.last = ticket_view(id);
                if (view_.last) {
                    view_.last->people_ahead = issued->people_ahead;
                    if (issued->forecast) view_.last->wait = told_wait(*issued->forecast);
                    view_.last->print_state = *request ? "entrance_waiting" : "failed";
                    if (*request) view_.last->print_request = **request;
                }
                view_.priority.clear();
                if (!*request) return done(&request->error());  // issued, but the request was not recorded
                return done(nullptr, "infopoint.issued_entrance", {{"ticket", issued->ticket.label}});
            }
            if (auto it = print_outcomes_.find(id); it != print_outcomes_.end() && it->second.first == "printed")
                last_tap_to_print_ms_ = std::chrono::duration<double, std::milli>(it->second.second - tapped_).count();
            else
                timed_ticket_ = id;
            view_.last = ticket_view(id);
            if (view_.last) {
                view_.last->people_ahead = issued->people_ahead;
                if (issued->forecast) view_.last->wait = told_wait(*issued->forecast);
                view_.last->print_state = print_state_of(id);
            }
            view_.priority.clear();  // the next citizen starts as ordinary
            done(nullptr, "infopoint.issued", {{"ticket", issued->ticket.label}});
        };
    });
}

void InfopointRole::print_ticket(const std::string& ticket_id, bool reprint) {
    // A reprint is the ticket as it stands now: the people ahead and the forecast of now.
    const std::optional<IssuedTicket> it = app::ticket_as_now(office_, ticket_id);
    if (!it) return;
    spooler_->submit(*it, it->ticket.lang);
    if (!reprint) return;
    // The audit log: who reprinted which ticket (ticket.reprinted, by the member), off the UI thread.
    run([this, ticket_id, by = view_.signed_in, label = it->ticket.label]() -> Task {
        auto r = app::record_reprint(office_, ticket_id, by);
        if (!r) std::cerr << "kiosk: infopoint: reprint of " << label << " not recorded: " << r.error().message << '\n';
        return [] {};
    });
}

void InfopointRole::reprint(const std::string& ticket_id) {
    if (view_.signed_in.empty()) return;
    if (view_.print_at_entrance) {
        if (view_.busy) return;
        view_.busy = true;
        run([this, ticket_id, by = view_.signed_in]() -> Task {
            auto r = app::request_print(office_, ticket_id, std::string(app::kPrintAtEntrance), true, by);
            return [this, ticket_id, r = std::move(r)] {
                if (!r) return done(&r.error());
                for (auto* t : {&view_.last, &view_.found})
                    if (*t && (*t)->id == ticket_id) {
                        (*t)->print_state = "entrance_waiting";
                        (*t)->print_message.clear();
                        (*t)->print_request = *r;
                    }
                done(nullptr, "infopoint.reprinted_entrance");
            };
        });
        return;
    }
    print_ticket(ticket_id, true);
    print_outcomes_.erase(ticket_id);
    for (auto* t : {&view_.last, &view_.found})
        if (*t && (*t)->id == ticket_id) {
            (*t)->print_state = "printing";
            (*t)->print_request.clear();
        }
    done(nullptr, "infopoint.reprinted");
}

void InfopointRole::follow_print_request(InfoTicketView& t, const OfficeState& st) const {
    if (t.print_request.empty()) return;
    const PrintRequest* r = st.find_print_request(t.print_request);
    if (!r) return;
    t.print_state = r->done ? "entrance_printed" : !r->error.empty() ? "entrance_failed"
                  : !r->claimed_by.empty() ? "entrance_printing" : "entrance_waiting";
    t.print_message = r->done ? std::string() : r->error;
}

void InfopointRole::ask_cancel(const std::string& ticket_id) {
    if (!view_.signed_in.empty()) view_.cancel_for = ticket_id;
}

void InfopointRole::close_dialog() { view_.cancel_for.clear(); }

void InfopointRole::cancel_with(const std::string& reason_key) {
    if (view_.cancel_for.empty() || view_.busy) return;
    const std::string id = view_.cancel_for, by = view_.signed_in;
    view_.cancel_for.clear();
    view_.busy = true;
    run([this, id, by, reason_key]() -> Task {
        auto r = office_.cancel_ticket(id, by, reason_key);
        return [this, r = std::move(r)] {
            if (!r) return done(&r.error());
            done(nullptr, "infopoint.cancelled", {{"ticket", r->label}});
        };
    });
}

void InfopointRole::search(const std::string& query) {
    view_.searched = true;
    view_.found.reset();
    std::string letters, digits;
    for (char c : query) {
        if (std::isalpha(static_cast<unsigned char>(c)) && digits.empty()) letters += static_cast<char>(std::toupper(c));
        else if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
        else if (c != ' ' && c != '-') return;  // not a ticket number
    }
    if (digits.empty() || digits.size() > 6) return;
    const int number = std::atoi(digits.c_str());
    std::string id;
    office_.read([&](const OfficeState& st) {
        for (const auto& t : st.tickets()) {  // issue order: the latest match wins
            const Sector* s = config_.find_sector(t.sector);
            const int shown = t.offline ? std::atoi(t.label.substr(t.label.find_first_of("0123456789")).c_str()) : t.number;
            if (shown != number) continue;
            if (!letters.empty() && t.label.rfind(letters, 0) != 0 && !(s && s->letter == letters)) continue;
            id = t.id;
        }
    });
    if (!id.empty()) view_.found = ticket_view(id);
}

void InfopointRole::check_in(const std::string& code) {
    if (view_.signed_in.empty() || view_.busy) return;
    view_.busy = true;
    run([this, code, by = view_.signed_in]() -> Task {
        auto r = app::check_in_booking(office_, code, lang_, "infopoint", by);
        if (r) spooler_->submit(*r, r->ticket.lang);
        return [this, r = std::move(r)] {
            if (!r) return done(&r.error());
            show_booking_ticket(*r, "infopoint.checked_in");
        };
    });
}

void InfopointRole::show_booking_ticket(const IssuedTicket& t, const char* notice) {
    view_.last = ticket_view(t.ticket.id);
    if (view_.last) {
        view_.last->people_ahead = t.people_ahead;
        if (t.forecast) view_.last->wait = told_wait(*t.forecast);
        view_.last->print_state = print_state_of(t.ticket.id);
    }
    done(nullptr, notice, {{"ticket", t.ticket.label}});
}

void InfopointRole::walk_in(const std::string& code) {
    if (view_.signed_in.empty() || view_.busy) return;
    view_.busy = true;
    run([this, code, by = view_.signed_in]() -> Task {
        auto r = app::walk_in_late_booking(office_, code, lang_, by);
        if (r) spooler_->submit(*r, r->ticket.lang);
        return [this, r = std::move(r)] {
            if (!r) return done(&r.error());
            show_booking_ticket(*r, "infopoint.walked_in");
        };
    });
}

void InfopointRole::no_show(const std::string& code) {
    if (view_.signed_in.empty() || view_.busy) return;
    view_.busy = true;
    run([this, code, by = view_.signed_in]() -> Task {
        auto r = app::mark_booking_no_show(office_, code, by);
        return [this, r = std::move(r)] {
            if (!r) return done(&r.error());
            done(nullptr, "infopoint.no_show_marked", {{"code", format_booking_code(r->code)}});
        };
    });
}

void InfopointRole::cancel_booking(const std::string& code) {
    if (view_.signed_in.empty() || view_.busy) return;
    view_.busy = true;
    // The citizen asks at the desk: cancelled as the citizen's, by this member.
    run([this, code, by = view_.signed_in]() -> Task {
        auto r = app::cancel_booking(office_, code, false, "", by);
        return [this, r = std::move(r)] {
            if (!r) return done(&r.error());
            done(nullptr, "infopoint.booking_cancelled", {{"code", format_booking_code(r->code)}});
        };
    });
}

void InfopointRole::start_move(const std::string& code) {
    std::string service;
    office_.read([&](const OfficeState& st) {
        if (const Booking* b = st.agenda().find(code)) service = b->service;
    });
    if (service.empty()) return;
    view_.tab = InfoTab::Book;
    view_.moving = code;
    view_.book_service = service;
    view_.slot.clear();
    view_.booked.reset();
    refresh_slots();
}

void InfopointRole::choose_book_service(const std::string& id) {
    view_.book_service = id;
    view_.slot.clear();
    view_.booked.reset();
    refresh_slots();
}

void InfopointRole::choose_slot(const std::string& id) { view_.slot = id; }

void InfopointRole::book(const std::string& name, const std::string& contact) {
    if (view_.signed_in.empty() || view_.busy || view_.slot.empty() || view_.book_service.empty()) return;
    const Millis slot = std::stoll(view_.slot);
    const std::string by = view_.signed_in, moving = view_.moving;
    app::BookingRequest req;
    req.service = view_.book_service;
    req.slot = slot;
    req.name = name;
    req.contact = contact;
    req.lang = lang_;
    req.channel = "infopoint";
    view_.busy = true;
    view_.error = {};
    run([this, req, by, moving]() -> Task {
        auto r = moving.empty() ? app::book(office_, req, by) : app::move_booking(office_, moving, req.slot, "", by);
        if (r) spooler_->submit("booking:" + r->code, app::make_booking_receipt(config_, env_.ctx.translator, *r, r->lang));
        return [this, r = std::move(r), moving] {
            if (!r) return done(&r.error());
            InfoBookingView b;
            b.code = r->code;
            b.code_shown = format_booking_code(r->code);
            const LocalTime l = config_.timezone.to_local(r->slot);
            b.time = env_.ctx.translator.tr(lang_, "weekday." + std::to_string(l.weekday)) + " " + two_digits(l.date.day) + "/" +
                     two_digits(l.date.month) + " " + two_digits(l.hour) + ":" + two_digits(l.minute);
            for (const auto& [id, label] : view_.bookable)
                if (id == r->service) b.service_name = label;
            b.status = std::string(to_string(r->status));
            view_.booked_print = print_state_of("booking:" + b.code);
            view_.booked = std::move(b);
            ++view_.booked_serial;
            view_.slot.clear();
            view_.moving.clear();
            done(nullptr, moving.empty() ? "infopoint.booked" : "infopoint.moved", {{"code", format_booking_code(r->code)}});
            refresh_slots();
        };
    });
}

void InfopointRole::on_printed(const app::PrintReport& r, SteadyTime at) {
    ++prints_done_;
    last_print_ = r.ticket_id;
    const std::string state = r.printed ? "printed" : "failed";
    // The report may come before the worker's answer for the ticket is taken: keep it.
    print_outcomes_[r.ticket_id] = {state, at};
    if (!r.printed) std::cerr << "kiosk: infopoint: not printed: " << r.message << '\n';
    for (auto* t : {&view_.last, &view_.found})
        if (*t && (*t)->id == r.ticket_id) {
            (*t)->print_state = state;
            (*t)->print_message = r.message;
        }
    if (view_.booked && r.ticket_id == "booking:" + view_.booked->code) view_.booked_print = state;
    if (r.ticket_id == timed_ticket_ && r.printed) {
        last_tap_to_print_ms_ = std::chrono::duration<double, std::milli>(at - tapped_).count();
        timed_ticket_.clear();
    }
    last_print_png_ = r.preview_png.string();
}

std::string InfopointRole::print_state_of(const std::string& id) const {
    auto it = print_outcomes_.find(id);
    return it == print_outcomes_.end() ? "printing" : it->second.first;
}

// ---- Frame.

void InfopointRole::update(SteadyTime now) {
    view_.link_flag = link_flag(env_);
    worker_.apply_posted();  // a result for a session that ended is dropped
    outlook_worker_.apply_posted();
    take_feed();

    if (locked_until_ && env_.ctx.clock.now() >= *locked_until_) locked_until_.reset();
    view_.countdown = 0;
    if (!view_.signed_in.empty()) {
        const auto left = idle_after_ - (now - last_activity_);
        if (left <= 0s) {
            const std::string who = view_.signed_in;
            sign_out();
            view_.notice = "infopoint.signed_out_idle";
            std::cerr << "kiosk: infopoint: \"" << who << "\" signed out after " << idle_after_.count()
                      << " s without activity\n";
        } else if (left <= countdown_for_) {
            view_.countdown = static_cast<int>(std::ceil(std::chrono::duration<double>(left).count()));
            view_.countdown_total = static_cast<int>(countdown_for_.count());
        }
    }
    refresh_view(now);
    if (sign_in_view_pending_) {
        sign_in_view_pending_ = false;
        sign_in_view_ready_ = std::chrono::steady_clock::now();
    }
}

void InfopointRole::refresh_view(SteadyTime) {
    const Millis wall = env_.ctx.clock.now();
    view_.login.locked_seconds = locked_until_ ? static_cast<int>((*locked_until_ - wall + 999) / 1000) : 0;
    const LocalTime local = config_.timezone.to_local(wall);
    view_.time = two_digits(local.hour) + ":" + two_digits(local.minute);
    view_.login.title = env_.ctx.translator.tr(lang_, "infopoint.title");
    view_.login.time = view_.time;
    view_.login.link_flag = view_.link_flag;
    view_.login.notice = view_.notice;
    // The queues' order and forecasts, the agenda's windows move with the clock.
    const int minute = local.minute_of_day();
    if (minute != last_minute_) {
        if (last_minute_ >= 0 && !view_.signed_in.empty()) ask_outlook();
        last_minute_ = minute;
        office_due_ = true;
    }
    if (office_due_) {
        office_due_ = false;
        ++office_reads_;
        refresh_office();
    }
}

void InfopointRole::take_feed() {
    auto batch = feed_->take();
    bool due = batch.reset;
    for (const auto& item : batch.items) {
        if (!item.result.applied) continue;
        const app::EventTouches t = app::touches(item.event.body);
        // Everything the tabs show: staff (who may sign in), queues and counters, the agenda,
        // the tickets asked at the entrance kiosk.
        due = due || t.staff || t.queues || t.counters || t.agenda || t.prints;
    }
    if (due) {
        office_due_ = true;
        if (!view_.signed_in.empty()) ask_outlook();
    }
}

void InfopointRole::ask_outlook() {
    outlook_worker_.run_coalesced([this]() -> app::RoleWorker::Apply {
        return [this, o = office_.sector_outlook()]() mutable {
            outlook_ = std::move(o);
            office_due_ = true;
        };
    });
}

std::optional<InfoTicketView> InfopointRole::ticket_view(const std::string& id) const {
    // The ticket as it stands now, people ahead and forecast as a reprint would print them.
    const auto now = app::ticket_as_now(office_, id);
    if (!now) return std::nullopt;
    const Ticket* t = &now->ticket;
    InfoTicketView v;
    v.id = t->id;
    v.label = t->label;
    v.status_key = status_key(t->status);
    v.waiting = is_waiting(t->status);
    v.counter = t->counter;
    if (const Sector* s = config_.find_sector(t->sector)) {
        v.sector_name = s->name.get(lang_);
        v.colour = s->colour;
        v.text = s->text_colour;
        if (const Service* sv = s->find_service(t->service)) v.service_name = sv->name.get(lang_);
    } else {
        v.sector_name = t->sector;
        v.colour = {0x0B, 0x3D, 0x73};
        v.text = {0xFF, 0xFF, 0xFF};
    }
    if (const PriorityClass* p = config_.find_priority(t->priority)) v.priority_name = p->name.get(lang_);
    v.people_ahead = now->people_ahead;
    if (now->forecast) v.wait = told_wait(*now->forecast);
    return v;
}

void InfopointRole::refresh_office() {
    const Translator& tr = env_.ctx.translator;
    // Staff who may sign in here (added or removed anywhere: the CLI, the LAN).
    view_.login.operators.clear();
    for (const auto& m : office_.staff())
        if (m.has_role("infopoint")) view_.login.operators.push_back(m.name);
    if (view_.signed_in.empty()) return;  // nothing else is shown before a sign-in

    // Sectors and their queues, the wait as a ticket taken now would print it.
    std::vector<InfoSectorView> sectors;
    for (const auto& s : config_.sectors) {
        InfoSectorView v;
        v.id = s.id;
        v.name = s.name.get(lang_);
        v.letter = s.letter;
        v.colour = s.colour;
        v.text = s.text_colour;
        if (auto c = env_.icon_map.find(s.icon)) v.icon = utf8_of(*c);
        for (const auto& sv : s.services) v.services.emplace_back(sv.id, sv.name.get(lang_));
        sectors.push_back(std::move(v));
    }
    if (outlook_.empty()) ask_outlook();  // first read of a session: the forecasts follow
    for (const auto& o : outlook_)
        for (auto& v : sectors)
            if (v.id == o.sector) {
                v.open_counters = o.open_counters;
                if (o.forecast) v.wait = told_wait(*o.forecast);
            }
    // The counts at once, from the state the feed just spoke of; the forecasts follow.
    office_.read([&](const OfficeState& st) {
        for (auto& v : sectors) v.waiting = st.waiting(v.id);
    });
    view_.sectors = std::move(sectors);

    // Counters: status, who, the ticket there.
    const Millis now = env_.ctx.clock.now();
    view_.counters.clear();
    office_.read([&](const OfficeState& st) {
        for (const auto& cc : config_.counters) {
            InfoCounterView c;
            c.number = cc.number;
            c.name = cc.name.get(lang_);
            if (c.name.empty()) c.name = tr.tr(lang_, "counter.title", {{"counter", std::to_string(cc.number)}});
            const CounterState* cs = st.find_counter(cc.number);
            c.status = std::string(to_string(cs ? cs->status : CounterStatus::Closed));
            if (cs) {
                c.staff = cs->staff;
                c.pause_reason = tr.tr_or_text(lang_, cs->pause_reason);
                if (const Ticket* t = cs->current.empty() ? nullptr : st.find_ticket(cs->current)) {
                    c.current_label = t->label;
                    if (const Sector* s = config_.find_sector(t->sector)) {
                        c.colour = s->colour;
                        c.text = s->text_colour;
                    }
                }
            }
            view_.counters.push_back(std::move(c));
        }
        // Today's agenda, in slot order.
        const LocalTime l = config_.timezone.to_local(now);
        view_.agenda_title = tr.tr(lang_, "infopoint.agenda.title",
                                   {{"date", tr.tr(lang_, "date.long", {{"weekday", tr.tr(lang_, "weekday." + std::to_string(l.weekday))},
                                                                          {"day", std::to_string(l.date.day)},
                                                                          {"month", tr.tr(lang_, "month." + std::to_string(l.date.month))}})}});
        auto day = st.agenda().on_day(l.date.key(), config_);
        std::sort(day.begin(), day.end(), [](const Booking* a, const Booking* b) { return a->slot < b->slot; });
        view_.agenda.clear();
        for (const Booking* b : day) {
            InfoBookingView v;
            v.code = b->code;
            v.code_shown = format_booking_code(b->code);
            const LocalTime bl = config_.timezone.to_local(b->slot);
            v.time = two_digits(bl.hour) + ":" + two_digits(bl.minute);
            for (const auto& [id, label] : view_.bookable)
                if (id == b->service) v.service_name = label;
            v.name = b->name;
            v.contact = b->contact;
            v.status = std::string(to_string(status_at(*b, now, config_)));
            const app::BookingActions can = app::booking_actions(st.agenda(), *b, now, config_);  // the agenda's windows
            v.can_check_in = can.check_in;
            v.can_walk_in = can.walk_in;
            v.can_cancel = can.cancel;
            v.can_no_show = can.no_show;
            view_.agenda.push_back(std::move(v));
        }
    });

    // The tickets on screen follow the queue (called, served, cancelled elsewhere) and their
    // paper asked at the entrance kiosk (claimed, printed, failed there).
    for (auto* t : {&view_.last, &view_.found})
        if (*t) {
            auto fresh = ticket_view((*t)->id);
            if (fresh) {
                fresh->print_state = (*t)->print_state;
                fresh->print_message = (*t)->print_message;
                fresh->print_request = (*t)->print_request;
                **t = std::move(*fresh);
            }
        }
    view_.pending_prints.clear();
    office_.read([&](const OfficeState& st) {
        for (auto* t : {&view_.last, &view_.found})
            if (*t) follow_print_request(**t, st);
        for (const auto& [id, r] : st.print_requests()) {
            if (r.done || r.at != app::kPrintAtEntrance) continue;
            const Ticket* t = st.find_ticket(r.ticket);
            if (t && (is_waiting(t->status) || t->status == TicketStatus::Called))
                view_.pending_prints.emplace_back(t->label, r.error);
        }
    });
    if (!view_.book_service.empty()) refresh_slots();
}

void InfopointRole::refresh_slots() {
    view_.slots.clear();
    const BookableService* service = nullptr;
    for (const auto& b : config_.booking.services)
        if (b.id == view_.book_service) service = &b;
    if (!service) return;
    const Millis now = env_.ctx.clock.now();
    const Date today = config_.timezone.to_local(now).date;
    auto slots = app::free_slots(office_, service->id, today, service->days_ahead + 1);
    if (!slots) return;
    const Translator& tr = env_.ctx.translator;
    bool chosen_still_free = false;
    for (const auto& s : *slots) {
        if (!s.open || s.free() <= 0) continue;
        InfoSlotView v;
        v.id = std::to_string(s.start);
        const LocalTime l = config_.timezone.to_local(s.start);
        v.day = tr.tr(lang_, "weekday.short." + std::to_string(l.weekday)) + " " + two_digits(l.date.day) + "/" + two_digits(l.date.month);
        v.time = two_digits(l.hour) + ":" + two_digits(l.minute);
        v.free = s.free();
        if (v.id == view_.slot) chosen_still_free = true;
        view_.slots.push_back(std::move(v));
    }
    if (!chosen_still_free) view_.slot.clear();
}

Screen& InfopointRole::screen() {
    if (view_.signed_in.empty()) return sign_in_screen_;
    switch (view_.tab) {
        case InfoTab::Tickets: return tickets_screen_;
        case InfoTab::Queues: return queues_screen_;
        case InfoTab::Agenda: return agenda_screen_;
        case InfoTab::Book: return book_screen_;
        case InfoTab::CrsPin: return crs_screen_;
        case InfoTab::Forms: return forms_screen_;
    }
    return tickets_screen_;
}

std::optional<SteadyTime> InfopointRole::next_deadline(SteadyTime now) const {
    const Millis wall = env_.ctx.clock.now();
    SteadyTime next = now + std::chrono::milliseconds(60000 - (wall % 60000) + 20);
    if (locked_until_) next = std::min(next, now + 1s);
    // A few frames more after a screen change of the session: ImGui makes a focused field active
    // only in the frame after the request, and a loop asleep before then would swallow the first
    // key typed (the PIN's first digit after a sign-out).
    if (now - session_started_ < 1s) next = std::min(next, now + 50ms);
    // While the worker has a job of the screen's (a PIN being checked, an action), look every
    // 100 ms: its answer wakes the loop with glfwPostEmptyEvent, which GLFW 3.3 on X11 can lose
    // (glfw#1281) — a sign-in then stayed on "checking" until the next minute.
    // While the PIN is checked (argon2id: the CPU is the check's), every 250 ms: each look draws
    // a few frames, and the answer's wake is sent twice (run(..., true)).
    if (view_.busy) next = std::min(next, now + 100ms);
    else if (view_.login.checking_pin) next = std::min(next, now + 250ms);
    if (!view_.signed_in.empty()) {
        const SteadyTime out = last_activity_ + idle_after_;
        const SteadyTime warn = out - countdown_for_;
        if (now < warn) next = std::min(next, warn + 5ms);
        else next = std::min(next, now + std::min<std::chrono::milliseconds>(
                                                std::chrono::duration_cast<std::chrono::milliseconds>(out - now) + 5ms, 250ms));
    }
    return next;
}

std::string InfopointRole::state_key() const {
    std::string key(const_cast<InfopointRole*>(this)->screen().name());
    key += "/session" + std::to_string(view_.session);
    if (view_.countdown > 0) key += "/countdown" + std::to_string(view_.countdown);
    if (view_.login.checking_pin) key += "/checking";
    if (view_.login.wrong_pin) key += "/wrong-pin";
    if (view_.login.locked_seconds > 0) key += "/locked";
    key += "/s" + std::to_string(sign_in_attempts_) + "/a" + std::to_string(actions_done_) + "/p" +
           std::to_string(prints_done_) + "/v" + std::to_string(office_reads_);
    key += "/sector" + std::to_string(view_.sector) + "/" + view_.service + "/" + view_.priority;
    key += view_.print_at_entrance ? "/at-entrance" : "/here";
    for (auto* t : {&view_.last, &view_.found})
        if (*t) key += "/" + (*t)->print_state;
    key += "/pending" + std::to_string(view_.pending_prints.size());
    if (!view_.cancel_for.empty()) key += "/cancel-dialog";
    if (view_.found) key += "/found-" + view_.found->label;
    if (view_.searched) key += "/searched";
    key += "/book-" + view_.book_service + "-" + view_.slot + "-" + view_.moving;
    key += "/crs" + std::to_string(static_cast<int>(view_.crs_step)) + "-" + std::to_string(view_.crs_pin_typed) + "-" +
           std::to_string(view_.crs_puk_typed) + "-" + std::to_string(view_.crs_field) + "-" + std::to_string(view_.crs_serial);
    key += "/form-" + view_.form;
    if (view_.busy) key += "/busy";
    if (!view_.link_flag.empty()) key += '/' + view_.link_flag;
    return key;
}

nlohmann::json InfopointRole::describe() const {
    auto ticket = [](const std::optional<InfoTicketView>& t) -> nlohmann::json {
        if (!t) return nullptr;
        nlohmann::json j{{"id", t->id},          {"label", t->label},   {"status", t->status_key},
                         {"waiting", t->waiting}, {"priority", t->priority_name}, {"print", t->print_state},
                         {"print_request", t->print_request}, {"print_message", t->print_message},
                         {"people_ahead", t->people_ahead}};
        if (t->wait) j["wait"] = {{"low", t->wait->low_min}, {"high", t->wait->high_min}, {"short", t->wait->form == ToldWait::Form::Short}};
        return j;
    };
    nlohmann::json j{{"role", "infopoint"},
                     {"screen", std::string(const_cast<InfopointRole*>(this)->screen().name())},
                     {"session", view_.session},
                     {"signed_in", view_.signed_in},
                     {"staff", view_.login.operators},
                     {"tab", tab_id(view_.tab)},
                     {"countdown", view_.countdown},
                     {"wrong_pin", view_.login.wrong_pin},
                     {"locked_seconds", view_.login.locked_seconds},
                     {"sign_in_attempts", sign_in_attempts_},
                     {"sign_outs", sign_outs_},
                     {"actions_done", actions_done_},
                     {"prints_done", prints_done_},
                     {"last_print", last_print_},
                     {"last_print_png", last_print_png_},
                     {"busy", view_.busy},
                     {"notice", view_.notice},
                     {"error_code", view_.error.code},
                     {"message", view_.error.message},
                     {"sector", view_.sector >= 0 && view_.sector < int(view_.sectors.size()) ? view_.sectors[std::size_t(view_.sector)].id : ""},
                     {"service", view_.service},
                     {"priority", view_.priority},
                     {"print_at", view_.print_at_entrance ? "entrance" : "here"},
                     {"last", ticket(view_.last)},
                     {"found", ticket(view_.found)},
                     {"searched", view_.searched},
                     {"cancel_for", view_.cancel_for},
                     {"link", link_state(env_)}};
    if (last_tap_to_print_ms_) j["last_tap_to_print_ms"] = *last_tap_to_print_ms_;
    // The frame loop asks after the frame is presented: the first signed-in frame is on screen.
    if (usable_pending_ && !view_.signed_in.empty()) {
        using ms = std::chrono::duration<double, std::milli>;
        const SteadyTime shown = std::chrono::steady_clock::now();
        sign_in_to_usable_ms_ = ms(shown - sign_in_tap_).count();
        auto& p = sign_in_parts_;
        p.view = std::max(0.0, *sign_in_to_usable_ms_ - p.queued - p.check - p.posted - ms(shown - sign_in_view_ready_).count());
        p.frame = ms(shown - sign_in_view_ready_).count();
        usable_pending_ = false;
    }
    if (sign_in_to_usable_ms_) {
        j["sign_in_to_usable_ms"] = *sign_in_to_usable_ms_;
        const auto& p = sign_in_parts_;
        j["sign_in_parts_ms"] = {{"queued", p.queued}, {"check", p.check}, {"posted", p.posted}, {"view", p.view}, {"frame", p.frame}};
    }
    nlohmann::json queues = nlohmann::json::object();
    for (const auto& s : view_.sectors) {
        nlohmann::json q{{"waiting", s.waiting}, {"open_counters", s.open_counters}};
        if (s.wait) q["wait"] = {{"low", s.wait->low_min}, {"high", s.wait->high_min}, {"short", s.wait->form == ToldWait::Form::Short}};
        queues[s.id] = q;
    }
    j["queues"] = queues;
    nlohmann::json pending = nlohmann::json::array();
    for (const auto& [label, error] : view_.pending_prints) pending.push_back({{"label", label}, {"error", error}});
    j["pending_prints"] = pending;
    nlohmann::json counters = nlohmann::json::array();
    for (const auto& c : view_.counters)
        counters.push_back({{"number", c.number}, {"status", c.status}, {"staff", c.staff}, {"current", c.current_label}});
    j["counters"] = counters;
    nlohmann::json agenda = nlohmann::json::array();
    for (const auto& b : view_.agenda)
        agenda.push_back({{"code", b.code}, {"time", b.time}, {"status", b.status}, {"name", b.name}});
    j["agenda"] = agenda;
    nlohmann::json slots = nlohmann::json::array();
    for (std::size_t i = 0; i < view_.slots.size() && i < 12; ++i) slots.push_back(view_.slots[i].id);
    // The PIN release: how many digits are typed, never which.
    j["crs"] = {{"step", view_.crs_step == CrsStep::Details ? "details" : view_.crs_step == CrsStep::Digits ? "digits" : "done"},
                {"pin_typed", view_.crs_pin_typed}, {"puk_typed", view_.crs_puk_typed}, {"field", view_.crs_field},
                {"with_digits", view_.crs_with_digits}, {"receipt", view_.crs_receipt}, {"office_copy", view_.crs_copy},
                {"summary", view_.crs_summary}};
    nlohmann::json forms = nlohmann::json::array();
    for (const auto& f : view_.forms) forms.push_back({{"id", f.id}, {"title", f.title}, {"url", f.url}});
    j["forms"] = {{"list", forms}, {"chosen", view_.form}};
    j["capture_allowed"] = capture_allowed();
    j["book"] = {{"service", view_.book_service}, {"slots", slots},       {"slot", view_.slot}, {"moving", view_.moving},
                 {"booked", view_.booked ? view_.booked->code : ""}, {"print", view_.booked_print}};
    return j;
}

}  // namespace csc::gui
