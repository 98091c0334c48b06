// The entrance kiosk's booking and check-in: the EntranceRole's BookingIntents. Taps change the
// flow's state on the UI thread; holding, booking and checking in run on the role's worker
// (each an event recorded durably, or on the LAN the stream's decision) and post an outcome
// back; receipts and appointment tickets go through the role's PrintSpooler.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "kiosk/app/booking.hpp"
#include "kiosk/gui/roles/entrance.hpp"
#include "kiosk/gui/widgets.hpp"
#include "shared/booking/booking_code.hpp"

namespace csc::gui {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t kMaxContactChars = 24;
constexpr int kDoneSeconds = 30;  // the booking's code stays on screen this long

std::string date_id(const Date& d) {
    char b[16];
    std::snprintf(b, sizeof b, "%04d-%02d-%02d", d.year, d.month, d.day);
    return b;
}

int weekday_of(long days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }  // 1970-01-01: Thursday

long day_number(const Date& d) { return days_from_civil(d.year, d.month, d.day); }

SlotView slot_view(const SiteConfig& config, Millis start, int free) {
    const LocalTime lt = config.timezone.to_local(start);
    SlotView v;
    v.id = std::to_string(start);
    v.time = local_hhmm(config, start);
    v.weekday = weekday_of(day_number(lt.date));
    v.day = lt.date.day;
    v.month = lt.date.month;
    v.free = free;
    return v;
}

// "+39 333 1234567" → "*** *** *****67": enough for the citizen to recognise it, no more.
std::string mask_contact(const std::string& c) {
    std::string out = c;
    int keep = 2;
    for (auto it = out.rbegin(); it != out.rend(); ++it) {
        if (*it == ' ') continue;
        if (keep > 0) {
            --keep;
            continue;
        }
        *it = '*';
    }
    return out;
}

// Drops the last UTF-8 character.
void pop_utf8(std::string& s) {
    while (!s.empty()) {
        const unsigned char c = static_cast<unsigned char>(s.back());
        s.pop_back();
        if ((c & 0xC0) != 0x80) break;
    }
}

std::size_t utf8_chars(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

// ---- the flow's frame ---------------------------------------------------------------------

bool EntranceRole::idle_timed() const {
    return in_booking_flow() || page_ == Page::Services || page_ == Page::Languages || page_ == Page::Forms;
}

bool EntranceRole::in_booking_flow() const {
    switch (page_) {
        case Page::BookService:
        case Page::BookDay:
        case Page::BookTime:
        case Page::BookName:
        case Page::BookReview:
        case Page::CheckIn: return true;
        case Page::Manage: return view_.manage.phase != ManagePhase::Cancelled;  // then a done countdown
        default: return false;
    }
}

void EntranceRole::touch_booking() {
    last_touch_ = std::chrono::steady_clock::now();
    view_.booking.idle_warning = false;
}

void EntranceRole::leave_booking() {
    if (!hold_.empty()) {
        // The citizen went away: the place is free for someone else at once, not in 5 minutes.
        worker_.run_only([this, hold = hold_] {
            if (auto r = app::release_hold(office_, hold); !r)
                std::cerr << "kiosk: a held place was not given back (it expires by itself): " << r.error().message << '\n';
        });
        hold_.clear();
    }
    booking_job_ = 0;
    book_service_.clear();
    book_day_.reset();
    book_slot_.reset();
    booking_code_.clear();
    managed_.reset();
    done_deadline_.reset();
    view_.booking = BookingView{};
    view_.check_in = CheckInView{};
    view_.manage = ManageView{};
}

std::optional<SteadyTime> EntranceRole::booking_deadline(SteadyTime now) const {
    std::optional<SteadyTime> next;
    auto earlier = [&](SteadyTime t) {
        if (!next || t < *next) next = t;
    };
    if (idle_timed()) {
        const auto warn = last_touch_ + idle_warn_after_;
        if (now < warn) earlier(warn);
        else earlier(now + 1s - std::chrono::duration_cast<std::chrono::nanoseconds>(now - warn) % 1s);
    }
    if (done_deadline_) {
        const auto left = *done_deadline_ - now;
        const auto whole = std::chrono::duration_cast<std::chrono::seconds>(left);
        earlier(left > whole ? *done_deadline_ - whole : *done_deadline_ - whole + 1s);
        earlier(*done_deadline_);
    }
    return next;
}

void EntranceRole::update_booking(SteadyTime now) {
    if (idle_timed()) {
        const auto warn = last_touch_ + idle_warn_after_;
        const auto home = warn + idle_warn_for_;
        if (now >= home) {
            go_home();
            reset_visit_settings();
            return;
        }
        view_.booking.idle_warning = now >= warn;
        view_.booking.idle_warn_seconds = static_cast<int>(idle_warn_for_.count());
        view_.booking.idle_seconds_left =
            static_cast<int>(std::ceil(std::chrono::duration<double>(home - now).count()));
    }
    if (done_deadline_ && (page_ == Page::BookDone || page_ == Page::CheckInDone || page_ == Page::Manage)) {
        if (now >= *done_deadline_) {
            go_home();
            return;
        }
        const double left = std::chrono::duration<double>(*done_deadline_ - now).count();
        const int secs = std::max(0, static_cast<int>(std::ceil(left)));
        view_.booking.idle_seconds_left = secs;
        view_.check_in.seconds_left = secs;
        view_.check_in.time_fraction = static_cast<float>(std::clamp(left / std::max(1, done_total_s_), 0.0, 1.0));
    }
    // Someone else booked meanwhile: the calendar shows it. The times stay as the citizen is
    // reading them; one taken meanwhile is answered with the next free ones when tapped.
    // (The office's event feed said the agenda changed: take_feed.)
    if (agenda_changed_) {
        agenda_changed_ = false;
        if (page_ == Page::BookDay) build_calendar();
    }
}

// ---- booking ------------------------------------------------------------------------------

void EntranceRole::start_booking() {
    if (page_ != Page::Home || !view_.bookable || !view_.open) return;
    leave_booking();
    fill_booking_services();
    // Offline, nothing can be booked (the LAN decides who gets a place): say so at once.
    if (link_state(env_) == "offline") view_.booking.notice = "booking.offline";
    page_ = Page::BookService;
    touch_booking();
}

void EntranceRole::fill_booking_services() {
    BookingView& b = view_.booking;
    b.services.clear();
    for (const auto& bs : config_.booking.services) {
        const int i = sector_index(bs.sector);
        if (i < 0) continue;
        const Sector& sector = config_.sectors[std::size_t(i)];
        BookServiceView v;
        v.id = bs.id;
        if (const Service* sv = bs.service.empty() ? nullptr : sector.find_service(bs.service)) {
            v.name = sv->name.get(lang_);
            v.sector_name = sector.name.get(lang_);
        } else {
            v.name = sector.name.get(lang_);
        }
        if (auto c = env_.icon_map.find(sector.icon)) v.icon = utf8_of(*c);
        v.colour = view_.high_contrast ? palette::high_contrast_fill(sector.colour) : sector.colour;
        v.text = view_.high_contrast ? Rgb{255, 255, 255} : sector.text_colour;
        b.services.push_back(std::move(v));
    }
}

void EntranceRole::choose_booking_service(const std::string& id) {
    if (page_ != Page::BookService) return;
    touch_booking();
    BookingView& b = view_.booking;
    for (std::size_t i = 0; i < b.services.size(); ++i)
        if (b.services[i].id == id) b.service = static_cast<int>(i);
    if (b.service < 0) return;
    book_service_ = id;
    b.calendar_page = 0;
    b.notice.clear();
    build_calendar();
    page_ = Page::BookDay;
}

void EntranceRole::build_calendar() {
    const BookableService* bs = config_.booking.find(book_service_);
    if (!bs) return;
    const Millis now = env_.ctx.clock.now();
    const Date today = config_.timezone.to_local(now).date;
    const long t = day_number(today);
    const long first = t - weekday_of(t);                 // this week's Monday
    const long last_bookable = t + bs->days_ahead;
    const long end = last_bookable + (6 - weekday_of(last_bookable));  // that week's Sunday
    std::vector<CalendarDayView> days;
    for (long d = first; d <= end; ++d) {
        CalendarDayView c;
        const Date date = civil_from_days(d);
        c.id = date_id(date);
        c.year = date.year, c.month = date.month, c.day = date.day;
        c.in_window = d >= t && d <= last_bookable;
        days.push_back(std::move(c));
    }
    auto slots = app::free_slots(office_, book_service_, today, static_cast<int>(last_bookable - t + 1));
    if (slots) {
        for (const SlotInfo& s : *slots) {
            const long d = day_number(config_.timezone.to_local(s.start).date);
            if (d < first || d > end) continue;
            CalendarDayView& c = days[std::size_t(d - first)];
            c.has_slots = true;
            if (s.open) c.free += s.free();
        }
    }
    office_.read([&](const OfficeState& st) {
        for (auto& c : days)
            if (c.in_window)  // a holiday's name, a declared reason, or a catalogue key (closure.office_closed)
                c.closed_reason = env_.ctx.translator.tr_or_text(lang_, st.agenda().closed_reason(Date{c.year, c.month, c.day}, config_));
    });
    view_.booking.days = std::move(days);
}

void EntranceRole::turn_calendar(int pages) {
    if (page_ != Page::BookDay) return;
    touch_booking();
    view_.booking.calendar_page = std::max(0, view_.booking.calendar_page + pages);
}

void EntranceRole::choose_day(const std::string& id) {
    if (page_ != Page::BookDay) return;
    touch_booking();
    int y = 0, m = 0, d = 0;
    if (std::sscanf(id.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return;
    book_day_ = Date{y, m, d};
    view_.booking.notice.clear();
    view_.booking.alternatives.clear();
    build_times();
    page_ = Page::BookTime;
}

void EntranceRole::build_times() {
    if (!book_day_) return;
    std::vector<SlotView> times;
    if (auto slots = app::free_slots(office_, book_service_, *book_day_, 1))
        for (const SlotInfo& s : *slots)
            if (s.open && s.free() > 0) times.push_back(slot_view(config_, s.start, s.free()));
    view_.booking.times = std::move(times);
}

void EntranceRole::offer_alternatives(const std::string& notice) {
    BookingView& b = view_.booking;
    b.notice = notice;
    b.alternatives.clear();
    std::vector<SlotInfo> slots;
    const auto next = app::next_free_slots(office_, book_service_, 6);
    const Date today = config_.timezone.to_local(env_.ctx.clock.now()).date;
    if (auto all = app::free_slots(office_, book_service_, today, (config_.booking.find(book_service_)->days_ahead) + 1)) slots = *all;
    for (Millis t : next) {
        int free = 1;
        for (const auto& s : slots)
            if (s.start == t) free = s.free();
        b.alternatives.push_back(slot_view(config_, t, free));
    }
    if (b.alternatives.empty()) b.notice = "booking.none_left";
    page_ = Page::BookTime;
}

void EntranceRole::choose_time(const std::string& id) {
    if (page_ != Page::BookTime || view_.booking.busy) return;
    touch_booking();
    BookingView& b = view_.booking;
    std::optional<SlotView> chosen;
    for (const auto* list : {&b.times, &b.alternatives})
        for (const auto& s : *list)
            if (s.id == id) chosen = s;
    if (!chosen) return;
    b.chosen = chosen;
    b.busy = true;
    b.notice.clear();
    const Millis slot = std::stoll(id);
    book_slot_ = slot;
    const int job = booking_job_ = ++next_job_;
    worker_.run_only([this, job, slot, service = book_service_] {
        BookingOutcome o;
        o.kind = BookingOutcome::Kind::Hold;
        o.job = job;
        auto r = app::hold_place(office_, service, slot);
        o.ok = static_cast<bool>(r);
        if (r) o.hold = *r;
        else o.error_code = r.error().code, o.error_message = r.error().message;
        post(std::move(o));
    });
}

void EntranceRole::keyboard_field(int field) {
    if (page_ != Page::BookName) return;
    touch_booking();
    view_.booking.field = field == 1 ? 1 : 0;
}

void EntranceRole::keyboard_text(const std::string& utf8) {
    if (page_ != Page::BookName || utf8.empty()) return;
    touch_booking();
    BookingView& b = view_.booking;
    b.notice.clear();
    if (b.field == 1) {
        for (char c : utf8)
            if (((c >= '0' && c <= '9') || c == '+' || c == ' ') && b.contact.size() < kMaxContactChars) b.contact += c;
        return;
    }
    if (utf8_chars(b.name) + utf8_chars(utf8) > app::kMaxBookingNameChars) return;
    if (utf8 == " " && (b.name.empty() || b.name.back() == ' ')) return;  // no leading or double spaces
    b.name += utf8;
    // Each word starts with a capital: Shift comes back after a space, an apostrophe or a dash.
    const char last = utf8.back();
    b.shift = last == ' ' || last == '\'' || last == '-';
}

void EntranceRole::keyboard_backspace() {
    if (page_ != Page::BookName) return;
    touch_booking();
    BookingView& b = view_.booking;
    b.notice.clear();
    if (b.field == 1) {
        if (!b.contact.empty()) b.contact.pop_back();
        return;
    }
    pop_utf8(b.name);
    b.shift = b.name.empty() || b.name.back() == ' ' || b.name.back() == '\'' || b.name.back() == '-';
}

void EntranceRole::keyboard_shift() {
    if (page_ != Page::BookName) return;
    touch_booking();
    view_.booking.shift = !view_.booking.shift;
}

void EntranceRole::booking_next() {
    if (page_ != Page::BookName) return;
    touch_booking();
    BookingView& b = view_.booking;
    auto name = app::clean_citizen_name(b.name);
    if (!name) {
        b.notice = "booking.name.invalid";
        b.field = 0;
        return;
    }
    auto contact = app::clean_contact(b.contact);
    if (!contact) {
        b.notice = "booking.phone.invalid";
        b.field = 1;
        return;
    }
    b.notice.clear();
    b.masked_name = app::mask_name(*name);
    b.masked_contact = contact->empty() ? "" : mask_contact(*contact);
    page_ = Page::BookReview;
}

void EntranceRole::booking_confirm() {
    if (page_ != Page::BookReview || view_.booking.busy || !book_slot_) return;
    touch_booking();
    BookingView& b = view_.booking;
    b.busy = true;
    b.notice.clear();
    booking_tap_ = std::chrono::steady_clock::now();
    app::BookingRequest request;
    request.service = book_service_;
    request.slot = *book_slot_;
    request.name = b.name;
    request.contact = b.contact;
    request.lang = lang_;
    request.channel = "kiosk";
    request.hold = hold_;
    const int job = booking_job_ = ++next_job_;
    if (b.moving && managed_) {
        worker_.run_only([this, job, code = managed_->code, slot = request.slot, hold = hold_, lang = lang_] {
            BookingOutcome o;
            o.kind = BookingOutcome::Kind::Move;
            o.job = job;
            auto r = app::move_booking(office_, code, slot, hold);
            o.ok = static_cast<bool>(r);
            if (!r) {
                o.error_code = r.error().code, o.error_message = r.error().message;
                post(std::move(o));
                return;
            }
            o.booking = *r;
            // A new receipt, in the language of the screen the citizen is reading.
            spooler_->submit("booking:" + r->code, app::make_booking_receipt(config_, env_.ctx.translator, *r, lang));
            post(std::move(o));
        });
        return;
    }
    worker_.run_only([this, job, request] {
        BookingOutcome o;
        o.kind = BookingOutcome::Kind::Book;
        o.job = job;
        auto r = app::book(office_, request);
        o.ok = static_cast<bool>(r);
        if (!r) {
            o.error_code = r.error().code, o.error_message = r.error().message;
            post(std::move(o));
            return;
        }
        o.booking = *r;
        // The receipt before the outcome, so the print is under way when the screen says "booked".
        spooler_->submit("booking:" + r->code, app::make_booking_receipt(config_, env_.ctx.translator, *r, r->lang));
        post(std::move(o));
    });
}

void EntranceRole::booking_back() {
    touch_booking();
    BookingView& b = view_.booking;
    if (b.busy) return;  // the worker is answering: Back would race it
    b.notice.clear();
    switch (page_) {
        case Page::BookService: go_home(); break;
        case Page::BookDay:
            if (b.moving) {  // back to the booking being moved
                b.moving = false;
                b.moving_from.reset();
                book_service_.clear();
                view_.manage.phase = ManagePhase::Choose;
                page_ = Page::Manage;
                break;
            }
            page_ = Page::BookService;
            b.service = -1;
            book_service_.clear();
            break;
        case Page::BookTime:
            b.alternatives.clear();
            build_calendar();
            page_ = Page::BookDay;
            break;
        case Page::BookName:
            back_to_times();
            break;
        case Page::BookReview:
            if (!b.moving) {
                page_ = Page::BookName;
                break;
            }
            // A move has no name step: back to the times, the held place given back.
            back_to_times();
            break;
        case Page::CheckIn: go_home(); break;
        case Page::Manage:
            switch (view_.manage.phase) {
                case ManagePhase::ConfirmCancel:
                    view_.manage.phase = ManagePhase::Choose;  // kept
                    break;
                case ManagePhase::Working: break;  // the worker is answering
                default: go_home(); break;
            }
            break;
        default: break;
    }
}

void EntranceRole::back_to_times() {
    auto& b = view_.booking;
    if (!hold_.empty()) {
        worker_.run_only([this, hold = hold_] { (void)app::release_hold(office_, hold); });
        hold_.clear();
    }
    b.chosen.reset();
    book_slot_.reset();
    if (b.alternatives.empty()) build_times();
    page_ = Page::BookTime;
}

void EntranceRole::still_here() { touch_booking(); }

// ---- keys: a keyboard, or a USB scanner typing the receipt's QR -----------------------------

void EntranceRole::keys_typed(const std::string& utf8, bool enter) {
    const auto now = std::chrono::steady_clock::now();
    if (page_ == Page::Home) {
        if (!view_.bookable || !view_.open) return;
        // A scanner types the whole code within a few ms; a stray key long ago is not part of it.
        if (now - last_key_ > 2s) scan_buffer_.clear();
        last_key_ = now;
        for (char c : utf8)
            if (c != '-' && c != ' ' && scan_buffer_.size() < 32) scan_buffer_ += c;
        if (enter && !scan_buffer_.empty()) {
            std::string code = std::move(scan_buffer_);
            scan_buffer_.clear();
            start_check_in();
            for (char c : code) check_in_key(c);
            check_in_submit();
        }
        return;
    }
    if (page_ == Page::CheckIn) {
        for (char c : utf8) check_in_key(c);
        if (enter) check_in_submit();
        return;
    }
    if (page_ == Page::BookName) {
        if (!utf8.empty()) keyboard_text(utf8);
        if (enter) booking_next();
    }
}

// ---- check-in -----------------------------------------------------------------------------

void EntranceRole::start_check_in() {
    if (page_ != Page::Home || !view_.bookable || !view_.open) return;
    leave_booking();
    page_ = Page::CheckIn;
    touch_booking();
}

void EntranceRole::check_in_key(char c) {
    if (page_ != Page::CheckIn || view_.check_in.phase != CheckInPhase::Typing) return;
    touch_booking();
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == '-' || c == ' ') return;
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return;
    CheckInView& v = view_.check_in;
    v.reason.clear();
    if (v.typed.size() < kBookingCodeLength + 4) v.typed += c;  // a little over: the check says what is wrong
}

void EntranceRole::check_in_backspace() {
    if (page_ != Page::CheckIn || view_.check_in.phase != CheckInPhase::Typing) return;
    touch_booking();
    view_.check_in.reason.clear();
    if (!view_.check_in.typed.empty()) view_.check_in.typed.pop_back();
}

void EntranceRole::check_in_submit() {
    if (page_ != Page::CheckIn || view_.check_in.phase != CheckInPhase::Typing) return;
    touch_booking();
    submit_check_in();
}

void EntranceRole::submit_check_in() {
    CheckInView& v = view_.check_in;
    if (v.typed.empty()) return;
    if (v.typed.size() != kBookingCodeLength) {
        v.reason = "checkin.reason.length";  // a typing matter: fix it here
        return;
    }
    v.phase = CheckInPhase::Checking;
    booking_tap_ = std::chrono::steady_clock::now();
    const int job = booking_job_ = ++next_job_;
    worker_.run_only([this, job, code = v.typed, lang = lang_] {
        BookingOutcome o;
        o.kind = BookingOutcome::Kind::CheckIn;
        o.job = job;
        // Before its check-in window (later today, another day) a booking is shown so that its
        // citizen can cancel or move it; a past one says so (the agenda may not have rolled yet).
        if (auto canonical = normalize_booking_code(code)) {
            std::optional<Booking> found;
            office_.read([&](const OfficeState& st) {
                if (const Booking* b = st.agenda().find(*canonical)) found = *b;
            });
            const Millis now = env_.ctx.clock.now();
            if (found && status_at(*found, now, config_) == BookingStatus::Booked &&
                now < found->slot - config_.booking.checkin_early_minutes * 60'000LL) {
                o.kind = BookingOutcome::Kind::Found;
                o.ok = true;
                o.booking = std::move(found);
                post(std::move(o));
                return;
            }
            if (found && status_at(*found, now, config_) == BookingStatus::NoShow) {
                o.error_code = "booking.no_show";
                o.error_message = "booking " + *canonical + " is no-show";
                post(std::move(o));
                return;
            }
        }
        auto r = app::check_in_booking(office_, code, lang, "kiosk");
        o.ok = static_cast<bool>(r);
        if (!r) {
            o.error_code = r.error().code, o.error_message = r.error().message, o.error_args = r.error().args;
            post(std::move(o));
            return;
        }
        o.ticket = *r;
        office_.read([&](const OfficeState& st) {
            if (const Booking* b = st.agenda().find(r->ticket.booking)) o.masked_name = app::mask_name(b->name);
        });
        spooler_->submit(*r, lang);
        post(std::move(o));
    });
}

// ---- a booking found by its code: cancel or move ----------------------------------------

void EntranceRole::show_found(const Booking& bk, Millis now) {
    fill_booking_services();
    BookingView& b = view_.booking;
    b.service = -1;
    for (std::size_t i = 0; i < b.services.size(); ++i)
        if (b.services[i].id == bk.service) b.service = static_cast<int>(i);
    ManageView m;
    m.code = format_booking_code(bk.code);
    m.service_name = b.service >= 0 ? b.services[std::size_t(b.service)].name : bk.service;
    m.slot = slot_view(config_, bk.slot, 0);
    m.masked_name = app::mask_name(bk.name);
    if (config_.timezone.day_key(bk.slot) == config_.timezone.day_key(now))
        m.checkin_from = local_hhmm(config_, bk.slot - config_.booking.checkin_early_minutes * 60'000LL);
    view_.manage = std::move(m);
    managed_ = bk;
    page_ = Page::Manage;
}

void EntranceRole::manage_cancel() {
    if (page_ != Page::Manage || view_.manage.phase != ManagePhase::Choose) return;
    touch_booking();
    view_.manage.notice.clear();
    view_.manage.phase = ManagePhase::ConfirmCancel;
}

void EntranceRole::manage_cancel_confirmed() {
    if (page_ != Page::Manage || view_.manage.phase != ManagePhase::ConfirmCancel || !managed_) return;
    touch_booking();
    view_.manage.phase = ManagePhase::Working;
    const int job = booking_job_ = ++next_job_;
    worker_.run_only([this, job, code = managed_->code] {
        BookingOutcome o;
        o.kind = BookingOutcome::Kind::Cancel;
        o.job = job;
        auto r = app::cancel_booking(office_, code, /*by_office=*/false, "");  // by the citizen
        o.ok = static_cast<bool>(r);
        if (r) o.booking = *r;
        else o.error_code = r.error().code, o.error_message = r.error().message;
        post(std::move(o));
    });
}

void EntranceRole::manage_move() {
    if (page_ != Page::Manage || view_.manage.phase != ManagePhase::Choose || !managed_) return;
    touch_booking();
    if (!config_.booking.find(managed_->service)) {  // the service is no longer bookable here
        view_.manage.notice = "manage.move.unavailable";
        return;
    }
    BookingView& b = view_.booking;
    b.moving = true;
    b.moving_from = view_.manage.slot;
    b.masked_name = view_.manage.masked_name;
    b.notice.clear();
    b.alternatives.clear();
    b.calendar_page = 0;
    book_service_ = managed_->service;
    build_calendar();
    // Offline the LAN cannot decide who gets a place: say so at once, as when booking.
    if (link_state(env_) == "offline") b.notice = "booking.offline";
    page_ = Page::BookDay;
}

// ---- outcomes from the worker and the spooler ---------------------------------------------

void EntranceRole::take(BookingOutcome& o, SteadyTime now) {
    using Kind = BookingOutcome::Kind;
    if (o.job != booking_job_) {
        // The citizen left before the answer: a place held for nobody goes back at once.
        if (o.kind == Kind::Hold && o.ok)
            worker_.run_only([this, hold = o.hold] { (void)app::release_hold(office_, hold); });
        return;
    }
    booking_job_ = 0;
    BookingView& b = view_.booking;
    b.busy = false;
    if (!o.ok && o.kind != Kind::CheckIn) std::cerr << "kiosk: booking: " << o.error_code << ": " << o.error_message << '\n';
    switch (o.kind) {
        case Kind::Hold:
            if (page_ != Page::BookTime) return;
            if (o.ok) {
                hold_ = o.hold;
                b.notice.clear();
                b.alternatives.clear();
                b.field = 0;
                b.shift = b.name.empty();
                page_ = b.moving ? Page::BookReview : Page::BookName;  // a move keeps the name
            } else if (o.error_code == "offline") {
                b.notice = "booking.offline";
            } else if (o.error_code == "booking.full") {
                offer_alternatives("booking.full");
            } else {
                b.notice = "booking.refused";
            }
            return;
        case Kind::Book:
        case Kind::Move:
            if (page_ != Page::BookReview) return;
            if (o.ok) {
                hold_.clear();  // used by the booking
                booking_code_ = o.booking->code;
                book_print_id_ = "booking:" + o.booking->code;
                b.code = format_booking_code(o.booking->code);
                if (auto qr = make_qr(o.booking->code)) b.qr = std::move(*qr);  // the receipt's QR: the bare code
                b.checkin_from = local_hhmm(config_, o.booking->slot - config_.booking.checkin_early_minutes * 60'000LL);
                b.phase = BookPhase::Printing;
                page_ = Page::BookDone;
                b.spoken = app::receipt_as_speech(app::make_booking_receipt(config_, env_.ctx.translator, *o.booking, lang_), {}, {},
                                                  b.code);
                done_total_s_ = std::max(kDoneSeconds, confirm_total_s_);
                done_deadline_ = now + std::chrono::seconds(done_total_s_);
            } else if (o.error_code == "offline") {
                b.notice = "booking.offline";
            } else if (o.error_code == "booking.full") {
                if (!hold_.empty()) worker_.run_only([this, hold = hold_] { (void)app::release_hold(office_, hold); });
                hold_.clear();
                b.chosen.reset();
                book_slot_.reset();
                offer_alternatives("booking.full");
            } else if (o.error_code == "input" && o.kind == Kind::Book) {
                b.notice = "booking.name.invalid";
                page_ = Page::BookName;
            } else {
                b.notice = "booking.refused";
            }
            return;
        case Kind::Found:
            if (page_ != Page::CheckIn || !o.booking) return;
            show_found(*o.booking, env_.ctx.clock.now());
            return;
        case Kind::Cancel: {
            if (page_ != Page::Manage) return;
            ManageView& m = view_.manage;
            if (o.ok) {
                m.phase = ManagePhase::Cancelled;
                m.notice.clear();
                done_total_s_ = std::max(kDoneSeconds, confirm_total_s_);
                done_deadline_ = now + std::chrono::seconds(done_total_s_);
            } else {
                m.phase = ManagePhase::Choose;
                m.notice = o.error_code == "offline" ? "booking.offline" : "manage.cancel.refused";
            }
            return;
        }
        case Kind::CheckIn: {
            if (page_ != Page::CheckIn) return;
            CheckInView& v = view_.check_in;
            done_total_s_ = 2 * confirm_total_s_;
            done_deadline_ = now + std::chrono::seconds(done_total_s_);
            page_ = Page::CheckInDone;
            if (o.ok) {
                const Ticket& t = o.ticket->ticket;
                v.phase = CheckInPhase::Printing;
                v.label = t.label;
                v.sector = sector_index(t.sector);
                if (v.sector >= 0)
                    if (const Service* s = config_.sectors[std::size_t(v.sector)].find_service(t.service)) v.service_name = s->name.get(lang_);
                v.appointment_time = t.appointment_at ? local_hhmm(config_, *t.appointment_at) : "";
                v.masked_name = o.masked_name;
                v.spoken = app::receipt_as_speech(app::make_ticket_receipt(config_, env_.ctx.translator, *o.ticket, lang_), t.label,
                                                  audio::spoken_label(t.label));
                current_ticket_id_ = t.id;
                return;
            }
            // Why not, for the citizen, from the agenda's code (the message is for the log).
            std::cerr << "kiosk: check-in refused: " << o.error_message << '\n';
            const std::string& c = o.error_code;
            const auto arg = [&o](std::string_view name) {
                for (const auto& [k, val] : o.error_args)
                    if (k == name) return val;
                return std::string();
            };
            v.reason_args.clear();
            if (c == "booking.too_early") {
                v.phase = CheckInPhase::TooEarly;
                v.time = arg("time");
                return;
            }
            v.phase = CheckInPhase::InfoPoint;
            if (c == "booking.cancelled_by_office") v.reason = "checkin.reason.cancelled_by_office";
            else if (c == "booking.cancelled") v.reason = "checkin.reason.cancelled";
            else if (c == "booking.no_show") v.reason = "checkin.reason.past";
            else if (c == "booking.too_late") {
                v.reason = "checkin.reason.late";
                v.reason_args = {{"time", arg("time")}};
            } else if (c == "booking.code.check") v.reason = "checkin.reason.check_char";
            else if (c == "booking.code.lookalike" || c == "booking.code.letters") v.reason = "checkin.reason.lookalike";
            else if (c == "booking.code.length") v.reason = "checkin.reason.length";
            else if (c == "booking.unknown") v.reason = "checkin.reason.unknown";
            else if (c == "booking.already_checked_in") v.reason = "checkin.reason.already";
            else if (c == "booking.other_day") v.reason = "checkin.reason.other_day";
            else if (c.rfind("booking", 0) == 0) v.reason = "checkin.reason.not_valid";
            else v.reason = "checkin.reason.error";
            return;
        }
    }
}

bool EntranceRole::take_print(const Printed& p, SteadyTime now) {
    const app::PrintReport& r = p.report;
    if (page_ == Page::BookDone && r.ticket_id == book_print_id_) {
        view_.booking.phase = r.printed ? BookPhase::Printed : BookPhase::PrinterDown;
        if (r.printed) {
            booking_tap_to_print_ms_ = std::chrono::duration<double, std::milli>(p.at - booking_tap_).count();
            std::cerr << "kiosk: booking receipt printed " << std::lround(*booking_tap_to_print_ms_) << " ms after the tap\n";
        }
        return true;
    }
    if (page_ == Page::CheckInDone && r.ticket_id == current_ticket_id_ && !current_ticket_id_.empty()) {
        view_.check_in.phase = r.printed ? CheckInPhase::Printed : CheckInPhase::PrinterDown;
        if (!r.printed) {
            done_total_s_ = 3 * confirm_total_s_;
            done_deadline_ = now + std::chrono::seconds(done_total_s_);
        }
        return true;
    }
    return r.ticket_id.starts_with("booking:");  // a receipt for someone who has left
}

// ---- for tests and logs -------------------------------------------------------------------

std::string EntranceRole::booking_key() const {
    const BookingView& b = view_.booking;
    const CheckInView& c = view_.check_in;
    std::string key;
    switch (page_) {
        case Page::BookService: key = "/" + b.notice; break;
        case Page::BookDay: key = "/" + book_service_ + "/" + std::to_string(b.calendar_page); break;
        case Page::BookTime:
            key = "/" + (book_day_ ? date_id(*book_day_) : "") + "/" + b.notice + "/" + std::to_string(b.alternatives.size()) +
                  "/" + std::to_string(b.times.size()) + (b.busy ? "/busy" : "");
            break;
        case Page::BookName:
            key = "/" + std::to_string(b.field) + "/" + std::to_string(utf8_chars(b.name)) + "/" +
                  std::to_string(b.contact.size()) + (b.shift ? "/shift" : "") + "/" + b.notice;
            break;
        case Page::BookReview: key = "/" + b.notice + (b.busy ? "/busy" : "") + (b.moving ? "/moving" : ""); break;
        case Page::BookDone: key = "/" + std::to_string(static_cast<int>(b.phase)) + "/" + b.code; break;
        case Page::CheckIn: key = "/" + c.typed + "/" + std::to_string(static_cast<int>(c.phase)) + "/" + c.reason; break;
        case Page::CheckInDone: key = "/" + std::to_string(static_cast<int>(c.phase)) + "/" + c.label + "/" + c.reason; break;
        case Page::Manage: key = "/" + std::to_string(static_cast<int>(view_.manage.phase)) + "/" + view_.manage.notice; break;
        default: break;
    }
    if (idle_timed() && b.idle_warning) key += "/idle";
    return key;
}

nlohmann::json EntranceRole::describe_booking() const {
    static constexpr const char* book_phases[] = {"working", "printing", "printed", "printer_down"};
    static constexpr const char* check_phases[] = {"typing", "checking", "printing", "printed", "printer_down", "too_early",
                                                   "info_point"};
    nlohmann::json j = nlohmann::json::object();
    j["bookable"] = view_.bookable;
    const BookingView& b = view_.booking;
    if (page_ >= Page::BookService && page_ <= Page::BookDone) {
        nlohmann::json alternatives = nlohmann::json::array();
        for (const auto& s : b.alternatives) alternatives.push_back(s.id);
        nlohmann::json times = nlohmann::json::array();
        for (const auto& s : b.times) times.push_back(s.id);
        j["booking"] = {{"service", book_service_},
                        {"day", book_day_ ? date_id(*book_day_) : ""},
                        {"slot", book_slot_ ? std::to_string(*book_slot_) : ""},
                        {"held", !hold_.empty()},
                        {"busy", b.busy},
                        {"notice", b.notice},
                        {"times", times},
                        {"alternatives", alternatives},
                        {"field", b.field == 0 ? "name" : "phone"},
                        {"name_chars", utf8_chars(b.name)},
                        {"masked_name", b.masked_name},
                        {"code", booking_code_},
                        {"shown_code", b.code},
                        {"phase", book_phases[static_cast<int>(b.phase)]},
                        {"idle_warning", b.idle_warning},
                        {"moving", b.moving}};
        if (booking_tap_to_print_ms_) j["booking"]["tap_to_print_ms"] = *booking_tap_to_print_ms_;
    }
    if (page_ == Page::CheckIn || page_ == Page::CheckInDone) {
        const CheckInView& c = view_.check_in;
        j["check_in"] = {{"typed", c.typed},
                         {"phase", check_phases[static_cast<int>(c.phase)]},
                         {"reason", c.reason},
                         {"time", c.time},
                         {"label", c.label},
                         {"idle_warning", b.idle_warning}};
    }
    if (page_ == Page::Manage) {
        static constexpr const char* manage_phases[] = {"choose", "confirm_cancel", "working", "cancelled"};
        const ManageView& m = view_.manage;
        j["manage"] = {{"phase", manage_phases[static_cast<int>(m.phase)]},
                       {"code", managed_ ? managed_->code : ""},
                       {"service", managed_ ? managed_->service : ""},
                       {"slot", managed_ ? std::to_string(managed_->slot) : ""},
                       {"time", m.slot.time},
                       {"masked_name", m.masked_name},
                       {"checkin_from", m.checkin_from},
                       {"notice", m.notice},
                       {"idle_warning", b.idle_warning}};
    }
    return j;
}

}  // namespace csc::gui
