// The entrance kiosk's controller: turns taps into tickets, tickets into print jobs, and the
// office into the view model the three entrance screens draw.
#include "kiosk/gui/roles/entrance.hpp"
#include "kiosk/gui/widgets.hpp"
#include "kiosk/app/office_rules.hpp"
#include "shared/office_time.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace csc::gui {

namespace {

using namespace std::chrono_literals;


// The forecast as the ticket tells it (told_wait: one rounding for paper and screens).
std::optional<ForecastView> forecast_of(const std::optional<WaitForecast>& f) {
    if (f) return told_wait(*f);
    return std::nullopt;
}
// The confirmation's time in speech mode: a ticket read aloud takes 20-30 s.
constexpr int kSpokenConfirmSeconds = 60;
}  // namespace

Result<std::unique_ptr<Role>> make_entrance_role(RoleEnv& env) {
    if (!env.ctx.office) return fail("the entrance role needs the office store");
    if (env.ctx.config.sectors.empty()) return fail("the site configuration has no sector");
    return std::unique_ptr<Role>(new EntranceRole(env));
}

EntranceRole::EntranceRole(RoleEnv& env)
    : env_(env), office_(*env.ctx.office), config_(env.ctx.config) {
    default_lang_ = config_.languages.front();  // never empty: the configuration requires one
    if (!env.lang.empty() && env.ctx.translator.find(env.lang)) default_lang_ = env.lang;
    lang_ = default_lang_;
    confirm_base_s_ = confirm_total_s_ = std::max(3, config_.kiosk.confirm_seconds);
    if (config_.kiosk.speech) {
        guide_ = app::SpeechGuide(config_.kiosk.speech_volume);
        voice_ = std::make_unique<audio::SpeechOutput>(
            audio::SpeechOutput::Options{config_.kiosk.speech_device, env.speech_dir, config_.kiosk.speech_volume});
        jack_ = std::make_unique<audio::HeadsetJack>(audio::HeadsetJack::Options{env.headset_file, env.wake});
    }
    view_.town = config_.town;
    view_.unreachable_top = static_cast<float>(config_.kiosk.unreachable_top());
    view_.office = config_.office_name;
    for (const auto& c : env.ctx.translator.catalogs()) view_.languages.emplace_back(c.lang, c.language_name);
    view_.bookable = !config_.booking.services.empty();
    build_forms();
    view_.forms_available = !view_.forms.groups.empty();
    view_.forms = FormsView{};
    // Test hook: a shorter inactivity time for the booking screens (seconds before the warning).
    if (const char* idle = std::getenv("CSC_GUI_IDLE_SECONDS"); idle && std::atoi(idle) > 0) {
        idle_warn_after_ = std::chrono::seconds(std::atoi(idle));
        idle_warn_for_ = std::chrono::seconds(std::max(2, std::atoi(idle) / 2));
    }

    spooler_ = std::make_unique<app::PrintSpooler>(env.ctx, [this](const app::PrintReport& report) {
        post(Printed{report, std::chrono::steady_clock::now()});
    });
    spooler_->keep_care("entrance");
    // Subscribed before the first look at the state: no request falls between the two.
    feed_ = office_.subscribe(env_.wake);
    take_print_requests({}, true);
    last_activity_ = std::chrono::steady_clock::now();
    if (env_.ctx.config.kiosk.attract_seconds > 0) {
        content_ = std::make_unique<app::ContentSource>(
            env_.ctx.config, env_.ctx.data_dir / "content-cache", env_.ctx.clock,
            [this](app::ContentUpdate u) {
                outlook_worker_.post([this, u = std::make_shared<app::ContentUpdate>(std::move(u))] {
                    attract_player_.set_items(std::move(u->items), local_now(), std::chrono::steady_clock::now());
                    attract_cards_.clear();
                    attract_cards_.set_images(std::move(u->images));
                    show_attract_item();
                });
            },
            [](std::string e) { std::cerr << "kiosk: entrance: " << e << '\n'; });
    }
    ask_outlook();
}

EntranceRole::~EntranceRole() {
    content_.reset();
    worker_.stop();          // a ticket tapped is still recorded (and handed to the spooler)
    outlook_worker_.stop();
    spooler_.reset();        // finishes the job in progress, then joins
}

void EntranceRole::post(Posted p) {
    worker_.post([this, p = std::move(p)]() mutable { take_posted(p, std::chrono::steady_clock::now()); });
}

void EntranceRole::issue_now(const IssueJob& job) {
    auto issued = office_.issue(job.request);
    if (!issued) {
        std::cerr << "kiosk: ticket not issued: " << issued.error().message << '\n';
        post(NotIssued{job.job, issued.error().message});
        return;
    }
    // The same QR as on paper, for the screen in case the paper never comes out.
    std::string qr;
    const auto receipt = app::make_ticket_receipt(config_, env_.ctx.translator, *issued, job.request.lang);
    for (const auto& e : receipt.elements())
        if (const auto* q = std::get_if<printer::QrElement>(&e)) qr = q->data;
    post(Issued{job.job, *issued, std::move(qr),
                app::receipt_as_speech(receipt, issued->ticket.label, audio::spoken_label(issued->ticket.label))});
    spooler_->submit(*issued, job.request.lang);
}

int EntranceRole::sector_index(const std::string& id) const {
    for (std::size_t i = 0; i < config_.sectors.size(); ++i)
        if (config_.sectors[i].id == id) return static_cast<int>(i);
    return -1;
}

void EntranceRole::choose_sector(const std::string& sector) {
    const int i = sector_index(sector);
    if (i < 0 || !view_.open || page_ != Page::Home) return;
    if (config_.sectors[std::size_t(i)].services.empty()) {
        issue(sector, "");
        return;
    }
    view_.selected_sector = i;
    page_ = Page::Services;
    touch_booking();  // its time limit starts: warned and extendable (update_booking)
}

void EntranceRole::choose_service(const std::string& sector, const std::string& service) {
    if (page_ != Page::Services) return;
    issue(sector, service);
}

void EntranceRole::issue(const std::string& sector, const std::string& service) {
    const int i = sector_index(sector);
    if (i < 0) return;
    IssueJob job;
    job.job = ++next_job_;
    job.request.sector = sector;
    job.request.service = service;
    job.request.lang = lang_;
    job.request.channel = "kiosk";
    job.tapped = std::chrono::steady_clock::now();
    current_job_ = job.job;
    current_ticket_id_.clear();
    current_tap_ = job.tapped;
    // Until the worker answers (a few ms) the screen shows the sector with "one moment".
    ConfirmView c;
    c.phase = ConfirmPhase::Issuing;
    c.sector = i;
    if (const Service* s = config_.sectors[std::size_t(i)].find_service(service)) c.service_name = s->name.get(lang_);
    c.seconds_left = confirm_total_s_;
    view_.confirm = std::move(c);
    confirm_deadline_ = job.tapped + std::chrono::seconds(confirm_total_s_);
    page_ = Page::Confirm;
    worker_.run_only([this, job = std::move(job)] { issue_now(job); });
}

void EntranceRole::choose_language(const std::string& lang) {
    if (!env_.ctx.translator.find(lang)) return;
    lang_ = lang;
    if (page_ == Page::Languages) {  // chosen in the menu: back home, in that language
        page_ = Page::Home;
    }
}

void EntranceRole::open_languages() {
    if (page_ != Page::Home) return;
    page_ = Page::Languages;
    touch_booking();
}

void EntranceRole::go_home() {
    // Back from the services keeps the language; the end of a visit resets it for the next person.
    if (page_ == Page::Confirm || page_ == Page::BookDone || page_ == Page::CheckInDone ||
        (page_ == Page::Manage && view_.manage.phase == ManagePhase::Cancelled))
        reset_visit_settings();
    leave_booking();
    page_ = Page::Home;
    last_activity_ = std::chrono::steady_clock::now();  // the attract loop's wait starts again
    view_.selected_sector = -1;
    confirm_deadline_.reset();
    view_.forms = FormsView{};
    forms_print_id_.clear();
    current_job_ = 0;
    current_ticket_id_.clear();
}

void EntranceRole::reset_visit_settings() {
    guide_.stop();  // quiet, and the volume back for the next person
    lang_ = default_lang_;
    view_.high_contrast = false;
    view_.large_text = false;
}

void EntranceRole::toggle_large_text() {
    if (page_ != Page::Home) return;
    view_.large_text = !view_.large_text;
}

void EntranceRole::toggle_contrast() {
    if (page_ != Page::Home) return;
    view_.high_contrast = !view_.high_contrast;
}

void EntranceRole::activity() {
    last_activity_ = std::chrono::steady_clock::now();
    if (idle_timed()) touch_booking();  // someone is reading or scrolling: the time limit starts again
}

void EntranceRole::leave_attract() {
    if (page_ != Page::Attract) return;
    page_ = Page::Home;
    reset_visit_settings();
    last_activity_ = std::chrono::steady_clock::now();
}

LocalTime EntranceRole::local_now() const { return env_.ctx.config.timezone.to_local(env_.ctx.clock.now()); }

void EntranceRole::show_attract_item() {
    view_.attract_page = attract_player_.page();
    view_.attract_pages = attract_player_.pages();
    view_.attract_item.reset();
    if (const auto* item = attract_player_.current()) view_.attract_item = attract_cards_.view(*item, env_.ctx.translator, lang_);
}

void EntranceRole::after_frame() {
    if (!voice_) return;
    for (auto& u : guide_.take()) {
        if (u.text.empty()) {
            voice_->silence();
            continue;
        }
        voice_->set_volume(guide_.volume());
        voice_->say(std::move(u.text), u.lang.empty() ? lang_ : u.lang, u.interrupt);
    }
}

void EntranceRole::headset_changed(bool plugged) {
    headset_ = plugged;
    const std::string& headset = config_.kiosk.speech_headset_device;
    voice_->set_device(plugged && !headset.empty() ? headset : config_.kiosk.speech_device);
    if (plugged) {
        if (!guide_.on()) guide_.start();  // as a keypad key would: the keys' help, then the screen
        touch_booking();
    } else if (guide_.on()) {
        guide_.stop();  // quiet at once, the volume back; the screen stays for whoever is there
    }
}

void EntranceRole::update(SteadyTime now) {
    worker_.apply_posted();
    if (jack_ && jack_->plugged() != headset_) headset_changed(jack_->plugged());
    if (jack_ && !jack_told_) {
        if (std::string what = jack_->describe(); !what.empty()) {
            std::cerr << "kiosk: headset jack: " << what << '\n';
            jack_told_ = true;
        }
    }
    outlook_worker_.apply_posted();
    // Untouched at home for attract_seconds, with something to show: the attract loop.
    const auto attract_after = std::chrono::seconds(env_.ctx.config.kiosk.attract_seconds);
    // In speech mode the ticket is read aloud in full: the confirmation waits long enough for it.
    confirm_total_s_ = guide_.on() ? std::max(confirm_base_s_, kSpokenConfirmSeconds) : confirm_base_s_;
    if (page_ == Page::Home && content_ && attract_player_.pages() > 0 && now - last_activity_ >= attract_after &&
        !guide_.on()) {
        page_ = Page::Attract;
        reset_visit_settings();  // a language or contrast chosen and left behind is not the next person's
        attract_player_.replan(local_now(), now);
        attract_player_.restart_page(now);
        show_attract_item();
    }
    if (page_ == Page::Attract && guide_.on()) page_ = Page::Home;  // a keypad key: someone is here
    if (page_ == Page::Attract) {
        if (attract_player_.pages() == 0) page_ = Page::Home;  // nothing left to show
        else if (attract_player_.turn_if_due(local_now(), now)) show_attract_item();
    }
    if (page_ == Page::Confirm && confirm_deadline_ && now >= *confirm_deadline_) go_home();
    // Speech mode left on at home with nobody using it (a keypad bumped, someone who walked
    // away): after a page's time limit it ends, and the next person finds a quiet kiosk.
    if (guide_.on() && page_ == Page::Home && now - last_activity_ >= idle_warn_after_ + idle_warn_for_) reset_visit_settings();
    take_feed();
    update_booking(now);
    refresh_view(now);
}

void EntranceRole::take_feed() {
    auto batch = feed_->take();
    take_print_requests(batch.items, batch.reset);
    // What the home screen shows of the office: each sector's waiting count and forecast. Only
    // events that move a queue (or a counter serving it) change them.
    bool queues = batch.reset;
    for (const auto& item : batch.items) {
        if (!item.result.applied) continue;
        const app::EventTouches t = app::touches(item.event.body);
        queues = queues || t.queues;
        agenda_changed_ = agenda_changed_ || t.agenda;
    }
    agenda_changed_ = agenda_changed_ || batch.reset;
    if (queues) {
        refresh_sectors();
        outlook_due_ = true;
    }
    if (outlook_due_) ask_outlook();
}

void EntranceRole::ask_outlook() {
    outlook_due_ = false;
    outlook_worker_.run_coalesced([this]() -> app::RoleWorker::Apply {
        return [this, o = office_.sector_outlook()]() mutable {
            outlook_ = std::move(o);
            refresh_sectors();
        };
    });
}

void EntranceRole::take_posted(Posted& p, SteadyTime now) {
    if (auto* i = std::get_if<Issued>(&p)) {
        if (i->job != current_job_ || page_ != Page::Confirm) return;  // the person has gone
        ConfirmView& c = view_.confirm;
        c.phase = ConfirmPhase::Printing;
        c.label = i->ticket.ticket.label;
        c.people_ahead = i->ticket.people_ahead;
        c.forecast = forecast_of(i->ticket.forecast);
        c.spoken = std::move(i->spoken);
        if (auto qr = make_qr(i->qr_data)) c.qr = std::move(*qr);
        current_ticket_id_ = i->ticket.ticket.id;
        confirm_deadline_ = now + std::chrono::seconds(confirm_total_s_);
    } else if (auto* n = std::get_if<NotIssued>(&p)) {
        if (n->job != current_job_ || page_ != Page::Confirm) return;
        view_.confirm.phase = ConfirmPhase::NotIssued;
        confirm_deadline_ = now + std::chrono::seconds(confirm_total_s_);
    } else if (auto* bo = std::get_if<BookingOutcome>(&p)) {
        take(*bo, now);
    } else if (auto* pr = std::get_if<Printed>(&p)) {
        if (!pr->report.printed)
            std::cerr << "kiosk: ticket " << pr->report.ticket_id << " issued but not printed: " << pr->report.message
                      << '\n';
        if (env_.printer_report) env_.printer_report(pr->report.status, pr->report.printed);
        // Tell the staff before the paper runs out, and while tickets are not coming out.
        const std::string alert = !pr->report.printed              ? "staff.printer_down"
                                  : pr->report.status.paper_near_end ? "staff.paper_near_end"
                                                                     : "";
        if (alert != view_.staff_alert) {
            std::cerr << "kiosk: printer: " << (alert.empty() ? "back to normal" : alert) << " ("
                      << pr->report.status.summary() << ")\n";
            view_.staff_alert = alert;
        }
        if (take_requested_print(*pr)) return;
        if (take_forms_print(*pr)) return;
        if (take_print(*pr, now)) return;
        if (pr->report.ticket_id != current_ticket_id_ || page_ != Page::Confirm) return;
        if (pr->report.printed) {
            view_.confirm.phase = ConfirmPhase::Printed;
            last_tap_to_print_ms_ = std::chrono::duration<double, std::milli>(pr->at - current_tap_).count();
        } else {
            // The ticket is valid without paper: leave it on screen longer, with its QR.
            view_.confirm.phase = ConfirmPhase::PrinterDown;
            confirm_deadline_ = now + std::chrono::seconds(2 * confirm_total_s_);
        }
    }
}

void EntranceRole::refresh_view(SteadyTime now) {
    const LocalTime local = config_.timezone.to_local(env_.ctx.clock.now());
    view_.lang = lang_;
    view_.link_flag = link_flag(env_);
    view_.time = two_digits(local.hour) + ":" + two_digits(local.minute);
    view_.weekday = local.weekday;
    view_.day = local.date.day;
    view_.month = local.date.month;
    view_.open = config_.hours.is_open(local);
    view_.reopen_weekday.reset();
    view_.reopen_today = view_.reopen_tomorrow = false;
    view_.reopen_time.clear();
    if (!view_.open)
        if (auto next = app::next_reopening(config_, env_.ctx.clock.now())) {
            view_.reopen_time = two_digits(next->minute / 60) + ":" + two_digits(next->minute % 60);
            view_.reopen_today = next->days_ahead == 0;
            view_.reopen_tomorrow = next->days_ahead == 1;
            view_.reopen_weekday = next->weekday;
        }
    // The forecasts move with the clock (staffing, closing time) even when nobody acts.
    const int minute = local.minute_of_day();
    if (minute != last_minute_) {
        if (last_minute_ >= 0) ask_outlook();
        last_minute_ = minute;
    }
    // The palette of this frame (this visit's contrast); the sectors' colours follow it.
    palette::use_high_contrast(view_.high_contrast);
    if (sectors_lang_ != lang_ || sectors_contrast_ != view_.high_contrast) {
        sectors_lang_ = lang_;
        sectors_contrast_ = view_.high_contrast;
        refresh_sectors();
    }
    // A clock that cannot be right stops issuing (the core refuses); the staff see why. Not an
    // event: asked each frame (a frame follows the store watcher's wake when it changes).
    const bool clock_bad = !office_.clock_alarm().empty();
    if (clock_bad) view_.staff_alert = "staff.clock_alarm";
    else if (view_.staff_alert == "staff.clock_alarm") view_.staff_alert.clear();

    if (page_ == Page::Confirm && confirm_deadline_) {
        const double left = std::chrono::duration<double>(*confirm_deadline_ - now).count();
        view_.confirm.seconds_left = std::max(0, static_cast<int>(std::ceil(left)));
        const double total = view_.confirm.phase == ConfirmPhase::PrinterDown ? 2.0 * confirm_total_s_ : confirm_total_s_;
        view_.confirm.time_fraction = static_cast<float>(std::clamp(left / total, 0.0, 1.0));
    }
}

void EntranceRole::refresh_sectors() {
    std::vector<SectorView> sectors;
    sectors.reserve(config_.sectors.size());
    for (const auto& s : config_.sectors) {
        SectorView v;
        v.id = s.id;
        v.name = s.name.get(lang_);
        v.letter = s.letter;
        // High contrast: the sector's hue darkened under white text (≥ 7:1), the same on every screen.
        v.colour = view_.high_contrast ? palette::high_contrast_fill(s.colour) : s.colour;
        v.text = view_.high_contrast ? Rgb{255, 255, 255} : s.text_colour;
        if (auto c = env_.icon_map.find(s.icon)) v.icon = utf8_of(*c);
        for (const auto& sv : s.services) v.services.push_back({sv.id, sv.name.get(lang_)});
        sectors.push_back(std::move(v));
    }
    for (const auto& o : outlook_)
        for (auto& v : sectors)
            if (v.id == o.sector && o.forecast) v.forecast = told_wait(*o.forecast);  // the ticket's rounding
    // The counts at once, from the state the feed just spoke of; the forecasts follow.
    office_.read([&](const OfficeState& st) {
        for (auto& v : sectors) v.waiting = st.waiting(v.id);
    });
    view_.sectors = std::move(sectors);
}

Screen& EntranceRole::screen() {
    switch (page_) {
        case Page::Languages: return languages_screen_;
        case Page::Services: return services_;
        case Page::Confirm: return confirm_;
        case Page::BookService: return book_service_screen_;
        case Page::BookDay: return book_day_screen_;
        case Page::BookTime: return book_time_screen_;
        case Page::BookName: return book_name_screen_;
        case Page::BookReview: return book_review_screen_;
        case Page::BookDone: return book_done_screen_;
        case Page::CheckIn: return check_in_screen_;
        case Page::CheckInDone: return check_in_done_screen_;
        case Page::Manage: return manage_screen_;
        case Page::Forms: return forms_screen_;
        case Page::Attract: return attract_screen_;
        case Page::Home: break;
    }
    return home_;
}

std::optional<SteadyTime> EntranceRole::next_deadline(SteadyTime now) const {
    // The clock's next minute (plus a little, so the minute has surely turned).
    const Millis wall = env_.ctx.clock.now();
    std::optional<SteadyTime> next = now + std::chrono::milliseconds(60000 - (wall % 60000) + 20);
    auto earlier = [&](SteadyTime t) {
        if (!next || t < *next) next = t;
    };
    if (page_ == Page::Confirm && confirm_deadline_) {
        // The countdown's next whole second, then the timeout itself.
        const auto left = *confirm_deadline_ - now;
        const auto whole = std::chrono::duration_cast<std::chrono::seconds>(left);
        earlier(left > whole ? *confirm_deadline_ - whole : *confirm_deadline_ - whole + 1s);
        earlier(*confirm_deadline_);
    }
    if (page_ == Page::Home && content_ && attract_player_.pages() > 0)
        earlier(last_activity_ + std::chrono::seconds(env_.ctx.config.kiosk.attract_seconds) + 10ms);
    if (page_ == Page::Attract)
        if (const auto turn = attract_player_.next_turn()) earlier(*turn + 10ms);
    if (auto b = booking_deadline(now)) earlier(*b);
    // A finger held down: look again soon, so that three seconds of it start speech mode.
    if (voice_ && !guide_.on() && guide_.pressing()) earlier(now + 250ms);
    if (guide_.on() && page_ == Page::Home) earlier(last_activity_ + idle_warn_after_ + idle_warn_for_ + 10ms);
    return next;
}

std::string EntranceRole::state_key() const {
    std::string key(const_cast<EntranceRole*>(this)->screen().name());
    key += '/' + lang_ + (view_.open ? "/open" : "/closed") + (view_.high_contrast ? "/hc" : "") + (view_.large_text ? "/lt" : "");
    if (headset_) key += "/headset";
    if (guide_.on()) key += "/speech:" + guide_.focused_id() + ":" + std::to_string(guide_.volume());  // the focus ring moved: dump and screenshot
    if (!view_.staff_alert.empty()) key += '/' + view_.staff_alert;
    if (!view_.link_flag.empty()) key += '/' + view_.link_flag;
    if (page_ == Page::Services) key += '/' + std::to_string(view_.selected_sector);
    if (page_ == Page::Attract && view_.attract_item) key += '/' + view_.attract_item->id;
    if (page_ == Page::Confirm) key += '/' + std::to_string(static_cast<int>(view_.confirm.phase)) + '/' + view_.confirm.label;
    // Tickets printed for the Info Point change nothing on screen: the layout dump still follows them.
    if (requested_printed_ + requested_failed_ > 0)
        key += "/requested" + std::to_string(requested_printed_) + "-" + std::to_string(requested_failed_);
    if (page_ == Page::Forms)
        key += "/forms" + std::to_string(forms_printed_) + "-" + std::to_string(static_cast<int>(view_.forms.step)) + '-' +
               std::to_string(view_.forms.group) + '-' +
               std::to_string(view_.forms.item) + '-' + view_.forms.print_state;
    key += booking_key();
    return key;
}

nlohmann::json EntranceRole::describe() const {
    static constexpr const char* phases[] = {"issuing", "printing", "printed", "printer_down", "not_issued"};
    nlohmann::json j{{"role", "entrance"},
                     {"screen", std::string(const_cast<EntranceRole*>(this)->screen().name())},
                     {"lang", lang_},
                     {"high_contrast", view_.high_contrast},
                     {"large_text", view_.large_text},
                     {"speech", {{"on", guide_.on()}, {"focus", guide_.focused_id()}, {"volume", guide_.volume()}, {"headset", headset_},
                                 {"jack", jack_ ? jack_->describe() : std::string()},
                                 {"error", voice_ ? voice_->last_error() : std::string("off in the configuration")}}},
                     {"open", view_.open}};
    nlohmann::json waiting = nlohmann::json::object();
    for (const auto& s : view_.sectors) waiting[s.id] = s.waiting;
    j["waiting"] = waiting;
    j["staff_alert"] = view_.staff_alert;
    j["link"] = link_state(env_);
    if (page_ == Page::Confirm) {
        j["ticket"] = {{"label", view_.confirm.label},
                       {"phase", phases[static_cast<int>(view_.confirm.phase)]},
                       {"seconds_left", view_.confirm.seconds_left},
                       {"qr", view_.confirm.qr.has_value()}};
    }
    if (last_tap_to_print_ms_) j["last_tap_to_print_ms"] = *last_tap_to_print_ms_;
    if (page_ == Page::Attract) {
        j["attract"] = {{"item", view_.attract_item ? view_.attract_item->id : std::string()},
                        {"title", view_.attract_item ? view_.attract_item->title : std::string()},
                        {"page", view_.attract_page}, {"pages", view_.attract_pages}};
    }
    // Every page with a time limit (services, languages, forms, the booking steps): warned first.
    j["idle"] = {{"timed", idle_timed()},
                 {"warning", idle_timed() && view_.booking.idle_warning},
                 {"seconds_left", idle_timed() && view_.booking.idle_warning ? view_.booking.idle_seconds_left : 0}};
    j["requested_prints"] = {{"printed", requested_printed_}, {"failed", requested_failed_}};
    j["forms"] = describe_forms();
    const nlohmann::json booking = describe_booking();
    for (const auto& [k, v] : booking.items()) j[k] = v;
    return j;
}

}  // namespace csc::gui
