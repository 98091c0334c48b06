#include "shared/booking/agenda.hpp"

#include <algorithm>
#include <cstdio>

#include "shared/booking/booking_code.hpp"
#include "shared/booking/holidays.hpp"

namespace csc {

std::string_view to_string(BookingStatus s) {
    switch (s) {
        case BookingStatus::Booked: return "booked";
        case BookingStatus::CheckedIn: return "checked-in";
        case BookingStatus::NoShow: return "no-show";
        case BookingStatus::CancelledByCitizen: return "cancelled";
        case BookingStatus::CancelledByOffice: return "cancelled-by-office";
        case BookingStatus::WalkedIn: return "walked-in";
    }
    return "?";
}

std::optional<BookingStatus> booking_status_named(std::string_view name) {
    // Every enumerator: a status added to the enum without a name here fails the round-trip test.
    for (auto s : {BookingStatus::Booked, BookingStatus::CheckedIn, BookingStatus::NoShow, BookingStatus::CancelledByCitizen,
                   BookingStatus::CancelledByOffice, BookingStatus::WalkedIn})
        if (to_string(s) == name) return s;
    return std::nullopt;
}

BookingStatus status_at(const Booking& b, Millis now, const SiteConfig& config) {
    if (b.status == BookingStatus::Booked && config.timezone.day_key(b.slot) < config.timezone.day_key(now))
        return BookingStatus::NoShow;
    return b.status;
}

bool check_in_closed(const Booking& b, Millis now, const SiteConfig& config) {
    return now > b.slot + static_cast<Millis>(config.booking.checkin_late_minutes) * 60'000;
}

namespace {
constexpr Millis kMinute = 60'000;

long day_number(int yyyymmdd) { return days_from_civil(yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100); }

std::string hhmm(const SiteConfig& config, Millis t) {
    const LocalTime lt = config.timezone.to_local(t);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", lt.hour, lt.minute);
    return buf;
}
std::string when(const SiteConfig& config, Millis t) {
    return config.timezone.to_local(t).date.iso() + " " + hhmm(config, t);
}
AgendaRefusal refuse(std::string code, ErrorArgs args, std::string reason) {
    return {std::move(reason), std::move(code), std::move(args)};
}
// A booking that is no longer "booked": its status as a code ("booking.cancelled", …).
AgendaRefusal not_booked(const Booking& b) {
    std::string code;
    switch (b.status) {
        case BookingStatus::CheckedIn: code = "booking.already_checked_in"; break;
        case BookingStatus::NoShow: code = "booking.no_show"; break;
        case BookingStatus::CancelledByCitizen: code = "booking.cancelled"; break;
        case BookingStatus::CancelledByOffice: code = "booking.cancelled_by_office"; break;
        case BookingStatus::WalkedIn: code = "booking.walked_in"; break;
        case BookingStatus::Booked: break;
    }
    const std::string why = b.status == BookingStatus::CheckedIn  ? "already checked in"
                            : b.status == BookingStatus::WalkedIn ? "already served as a walk-in"
                                                                  : std::string(to_string(b.status));
    return refuse(std::move(code), {{"code", b.code}}, "booking " + b.code + " is " + why);
}
AgendaRefusal unknown(const std::string& code) { return refuse("booking.unknown", {{"code", code}}, "no booking " + code); }
}  // namespace

std::string closed_reason_english(std::string_view reason) {
    if (reason == kClosedOffice) return "office closed";
    if (reason == kClosedLocalHoliday) return "local holiday";
    return std::string(reason);
}

Millis agenda_history_start(const SiteConfig& config, Millis now) {
    int ahead = 0;
    for (const auto& s : config.booking.services) ahead = std::max(ahead, s.days_ahead);
    const Millis day = 24 * 60 * kMinute;
    return config.timezone.start_of_day(now) - static_cast<Millis>(config.booking.keep_days + ahead + 2) * day;
}

bool Agenda::handles(const EventBody& b) {
    // By name, as the store selects the agenda's events (store.cpp, store_sync.cpp: type
    // 'booking.*' or 'closure.*'): a new agenda kind so named needs no list here.
    const std::string_view type = event_type(b);
    return type.starts_with("booking.") || type.starts_with("closure.");
}

Agenda Agenda::restore(int day, std::vector<Booking> bookings, std::vector<Hold> holds, std::vector<Closure> closures) {
    Agenda a;
    a.day_ = day;
    a.bookings_ = std::move(bookings);
    a.holds_ = std::move(holds);
    a.closures_ = std::move(closures);
    for (std::size_t i = 0; i < a.bookings_.size(); ++i) a.by_code_[a.bookings_[i].code] = i;
    return a;
}

void Agenda::adopt(const Agenda& snapshot) {
    day_ = snapshot.day_;
    bookings_ = snapshot.bookings_;
    by_code_ = snapshot.by_code_;
    holds_ = snapshot.holds_;
    closures_ = snapshot.closures_;
    for (const auto& id_day : snapshot.seen_) seen_.insert(id_day);
}

const Booking* Agenda::find(std::string_view code) const {
    auto it = by_code_.find(code);
    return it == by_code_.end() ? nullptr : &bookings_[it->second];
}

Booking* Agenda::find_mut(std::string_view code) {
    auto it = by_code_.find(code);
    return it == by_code_.end() ? nullptr : &bookings_[it->second];
}

const Hold* Agenda::live_hold(std::string_view id, Millis at) const {
    for (const auto& h : holds_)
        if (h.id == id && at < h.until) return &h;
    return nullptr;
}

std::vector<Hold> Agenda::holds(Millis at) const {
    std::vector<Hold> out;
    for (const auto& h : holds_)
        if (at < h.until) out.push_back(h);
    return out;
}

std::string Agenda::closed_reason(const Date& d, const SiteConfig& config) const {
    if (auto holiday = italian_public_holiday(d); holiday && config.hours.national_holidays) return std::string(*holiday);
    const auto& h = config.hours;
    if (std::find(h.closed_days.begin(), h.closed_days.end(), d) != h.closed_days.end()) return std::string(kClosedOffice);
    for (const auto& [m, day] : h.closed_every_year)
        if (d.month == m && d.day == day) return std::string(kClosedLocalHoliday);
    for (const auto& c : closures_)
        if (c.date == d.key() && c.from_minute == 0 && c.to_minute >= 24 * 60)
            return c.reason.empty() ? std::string(kClosedOffice) : c.reason;
    return {};
}

bool Agenda::closed_at(Millis slot, const SiteConfig& config) const {
    const LocalTime lt = config.timezone.to_local(slot);
    if (config.hours.is_closed_day(lt.date)) return true;
    const int m = lt.minute_of_day();
    for (const auto& c : closures_)
        if (c.date == lt.date.key() && m >= c.from_minute && m < c.to_minute) return true;
    return false;
}

std::vector<const Booking*> Agenda::on_day(int date, const SiteConfig& config) const {
    std::vector<const Booking*> out;
    for (const auto& b : bookings_)
        if (config.timezone.day_key(b.slot) == date) out.push_back(&b);
    std::stable_sort(out.begin(), out.end(), [](const Booking* a, const Booking* b) { return a->slot < b->slot; });
    return out;
}

AgendaRefusal Agenda::slot_problem(const std::string& service, Millis slot, Millis at, const std::string& hold,
                                   const std::string& moving_code, const std::string& person,
                                   const SiteConfig& config) const {
    const BookableService* s = config.booking.find(service);
    if (!s) return refuse("booking.not_bookable", {{"service", service}}, "\"" + service + "\" cannot be booked");
    const LocalTime lt = config.timezone.to_local(slot);
    const auto starts = s->slot_starts(lt.weekday);
    if (lt.second != 0 || slot % kMinute != 0 ||
        std::find(starts.begin(), starts.end(), lt.minute_of_day()) == starts.end())
        return refuse("booking.not_a_slot", {{"service", service}, {"when", when(config, slot)}},
                      when(config, slot) + " is not a slot of \"" + service + "\"");
    if (closed_at(slot, config)) {
        const std::string why = closed_reason(lt.date, config);
        return refuse("booking.closed", {{"date", lt.date.iso()}, {"reason", why}},
                      "the office is closed on " + lt.date.iso() +
                          (why.empty() ? std::string() : " (" + closed_reason_english(why) + ")"));
    }
    if (slot < at + s->min_notice_minutes * kMinute)
        return slot <= at ? refuse("booking.past", {{"when", when(config, slot)}}, "the slot " + when(config, slot) + " is already past")
                          : refuse("booking.too_soon", {{"when", when(config, slot)}, {"minutes", std::to_string(s->min_notice_minutes)}},
                                   "the slot " + when(config, slot) + " is too soon: bookings close " +
                                       std::to_string(s->min_notice_minutes) + " minutes before");
    const Date today = config.timezone.to_local(at).date;
    if (days_from_civil(lt.date.year, lt.date.month, lt.date.day) - days_from_civil(today.year, today.month, today.day) >
        s->days_ahead)
        return refuse("booking.too_far", {{"date", lt.date.iso()}, {"days", std::to_string(s->days_ahead)}},
                      lt.date.iso() + " is too far ahead: \"" + service + "\" is booked at most " +
                          std::to_string(s->days_ahead) + " days ahead");
    // Places: bookings in the slot, other citizens' live holds; one's own hold is one's place.
    const Hold* own = hold.empty() ? nullptr : live_hold(hold, at);
    if (!hold.empty() && (!own || own->service != service || own->slot != slot))
        return refuse("booking.hold_expired", {{"when", when(config, slot)}},
                      "the place held for " + when(config, slot) + " has expired");
    if (!own) {
        int used = 0;
        for (const auto& b : bookings_)
            if (b.takes_place() && b.service == service && b.slot == slot && b.code != moving_code) ++used;
        for (const auto& h : holds_)
            if (h.service == service && h.slot == slot && at < h.until) ++used;
        if (used >= s->capacity)
            return refuse("booking.full", {{"when", when(config, slot)}}, "the slot " + when(config, slot) + " is full");
    }
    if (!person.empty()) {
        int same = 0;
        for (const auto& b : bookings_)
            if (b.person == person && b.service == service && b.code != moving_code &&
                b.takes_place() && config.timezone.day_key(b.slot) == lt.date.key())
                ++same;
        if (same >= s->per_person_per_day)
            return refuse("booking.person_limit", {{"service", service}, {"date", lt.date.iso()}},
                          "this citizen already has " + std::string(same == 1 ? "a booking" : "the most bookings allowed") +
                              " for \"" + service + "\" on " + lt.date.iso());
    }
    return {};
}

AgendaRefusal Agenda::judge(const Event& e, const SiteConfig& config) const {
    if (seen(e.id)) return refuse({}, {}, "duplicate event " + e.id);
    if (config.timezone.day_key(e.time) < day_) return refuse({}, {}, "event " + e.id + " belongs to an earlier day");
    return std::visit(
        [&](const auto& b) -> AgendaRefusal {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, BookingHeld>) {
                return slot_problem(b.service, b.slot, e.time, {}, {}, {}, config);
            } else if constexpr (std::is_same_v<T, BookingReleased>) {
                // Always accepted: giving back a place no longer held (used, expired, never
                // made) changes nothing. So a withdrawal queued behind a move that may or may
                // not apply in stream order (app::move_booking) is recorded, whatever the view.
                return {};
            } else if constexpr (std::is_same_v<T, BookingMade>) {
                auto code = normalize_booking_code(b.code);
                if (!code || *code != b.code)
                    return refuse("booking.code", {{"code", b.code}}, "\"" + b.code + "\" is not a booking code");
                if (find(b.code)) return refuse("booking.code_taken", {{"code", b.code}}, "booking code " + b.code + " is taken");
                return slot_problem(b.service, b.slot, e.time, b.hold, {}, b.person, config);
            } else if constexpr (std::is_same_v<T, BookingMoved>) {
                const Booking* bk = find(b.code);
                if (!bk) return unknown(b.code);
                if (bk->status != BookingStatus::Booked) return not_booked(*bk);
                if (bk->slot == b.slot)
                    return refuse("booking.same_slot", {{"code", b.code}, {"when", when(config, b.slot)}},
                                  "booking " + b.code + " is already at " + when(config, b.slot));
                const auto moves = std::count_if(bk->history.begin(), bk->history.end(),
                                                 [](const BookingStep& h) { return h.what == "moved"; });
                if (moves >= kMaxBookingMoves)
                    return refuse("booking.too_many_moves", {{"code", b.code}, {"max", std::to_string(kMaxBookingMoves)}},
                                  "booking " + b.code + " was moved " + std::to_string(kMaxBookingMoves) + " times already");
                return slot_problem(bk->service, b.slot, e.time, b.hold, bk->code, bk->person, config);
            } else if constexpr (std::is_same_v<T, BookingCancelled>) {
                const Booking* bk = find(b.code);
                if (!bk) return unknown(b.code);
                if (bk->status != BookingStatus::Booked) return not_booked(*bk);
                return {};
            } else if constexpr (std::is_same_v<T, BookingNoShow>) {
                const Booking* bk = find(b.code);
                if (!bk) return unknown(b.code);
                if (bk->status != BookingStatus::Booked) return not_booked(*bk);
                if (e.time < bk->slot)
                    return refuse("booking.not_yet", {{"code", b.code}, {"when", when(config, bk->slot)}},
                                  "booking " + b.code + " is at " + when(config, bk->slot) + ": not yet a no-show");
                return {};
            } else if constexpr (std::is_same_v<T, ClosureDeclared>) {
                if (b.date < config.timezone.day_key(e.time))
                    return refuse("booking.closure_past", {}, "a closure cannot be declared for a past day");
                const Date d{b.date / 10000, b.date / 100 % 100, b.date % 100};
                if (civil_from_days(day_number(b.date)) != d)
                    return refuse("booking.closure_date", {{"date", std::to_string(b.date)}}, std::to_string(b.date) + " is not a date");
                return {};
            } else {
                return refuse({}, {}, "not a booking event");
            }
        },
        e.body);
}

void Agenda::note_seen(const Event& e, const SiteConfig& config) { seen_.emplace(e.id, config.timezone.day_key(e.time)); }

void Agenda::apply(const Event& e, const SiteConfig& config) {
    roll_to(config.timezone.day_key(e.time), config);
    note_seen(e, config);
    std::visit(
        [&](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, BookingHeld>) {
                holds_.push_back(Hold{e.id, b.service, b.slot, e.time + config.booking.hold_minutes * kMinute});
            } else if constexpr (std::is_same_v<T, BookingReleased>) {
                std::erase_if(holds_, [&](const Hold& h) { return h.id == b.hold; });
            } else if constexpr (std::is_same_v<T, BookingMade>) {
                if (!b.hold.empty()) std::erase_if(holds_, [&](const Hold& h) { return h.id == b.hold; });
                Booking bk;
                bk.code = b.code;
                bk.service = b.service;
                const BookableService* s = config.booking.find(b.service);
                bk.sector = s ? s->sector : std::string();
                bk.slot = b.slot;
                bk.name = b.name;
                bk.contact = b.contact;
                bk.person = b.person;
                bk.lang = b.lang;
                bk.channel = b.channel;
                bk.history.push_back({e.time, "made", e.by});
                by_code_[bk.code] = bookings_.size();
                bookings_.push_back(std::move(bk));
            } else if constexpr (std::is_same_v<T, BookingMoved>) {
                if (!b.hold.empty()) std::erase_if(holds_, [&](const Hold& h) { return h.id == b.hold; });
                Booking* bk = find_mut(b.code);
                bk->slot = b.slot;
                bk->history.push_back({e.time, "moved", e.by});
            } else if constexpr (std::is_same_v<T, BookingCancelled>) {
                Booking* bk = find_mut(b.code);
                bk->status = b.by_office ? BookingStatus::CancelledByOffice : BookingStatus::CancelledByCitizen;
                bk->reason = b.reason;
                bk->history.push_back({e.time, std::string(to_string(bk->status)), e.by});
            } else if constexpr (std::is_same_v<T, BookingNoShow>) {
                Booking* bk = find_mut(b.code);
                bk->status = BookingStatus::NoShow;
                bk->history.push_back({e.time, "no-show", e.by});
            } else if constexpr (std::is_same_v<T, ClosureDeclared>) {
                closures_.push_back(Closure{b.date, b.from_minute, b.to_minute, b.reason, e.by});
                for (auto& bk : bookings_) {
                    const LocalTime lt = config.timezone.to_local(bk.slot);
                    if (bk.status != BookingStatus::Booked || lt.date.key() != b.date) continue;
                    if (lt.minute_of_day() < b.from_minute || lt.minute_of_day() >= b.to_minute) continue;
                    bk.status = BookingStatus::CancelledByOffice;
                    bk.reason = b.reason;
                    bk.history.push_back({e.time, "cancelled-by-office", e.by});
                }
                std::erase_if(holds_, [&](const Hold& h) { return closed_at(h.slot, config); });
            }
        },
        e.body);
}

void Agenda::roll_to(int day, const SiteConfig& config) {
    if (day <= day_) return;
    day_ = day;
    const long today = day_number(day);
    // A day that is over: whoever did not check in did not come.
    for (auto& b : bookings_)
        if (b.status == BookingStatus::Booked && config.timezone.day_key(b.slot) < day) {
            b.status = BookingStatus::NoShow;
            b.history.push_back({config.timezone.start_of_day(b.slot) + 24 * 60 * kMinute, "no-show", {}});
        }
    // Forget bookings (their personal data with them) keep_days after their day.
    const auto forgotten = [&](const Booking& b) {
        return day_number(config.timezone.day_key(b.slot)) + config.booking.keep_days < today;
    };
    if (std::any_of(bookings_.begin(), bookings_.end(), forgotten)) {
        std::erase_if(bookings_, forgotten);
        by_code_.clear();
        for (std::size_t i = 0; i < bookings_.size(); ++i) by_code_[bookings_[i].code] = i;
    }
    std::erase_if(holds_, [&](const Hold& h) { return config.timezone.day_key(h.until) < day; });
    std::erase_if(closures_, [&](const Closure& c) { return c.date < day; });
    std::erase_if(seen_, [&](const auto& id_day) { return day_number(id_day.second) + config.booking.keep_days + 400 < today; });
}

AgendaRefusal Agenda::check_in_problem(const std::string& code, const std::string& sector, Millis t,
                                       const SiteConfig& config) const {
    const Booking* b = find(code);
    if (!b) return unknown(code);
    if (b->sector != sector) return refuse("booking.other_sector", {{"code", code}}, "booking " + code + " is for another sector");
    if (b->status != BookingStatus::Booked) return not_booked(*b);
    if (config.timezone.day_key(b->slot) != config.timezone.day_key(t))
        return refuse("booking.other_day", {{"code", code}, {"when", when(config, b->slot)}},
                      "booking " + code + " is for " + when(config, b->slot));
    if (t < b->slot - config.booking.checkin_early_minutes * kMinute) {
        const std::string opens = hhmm(config, b->slot - config.booking.checkin_early_minutes * kMinute);
        return refuse("booking.too_early", {{"code", code}, {"time", opens}}, "too early: check-in for " + code + " opens at " + opens);
    }
    if (check_in_closed(*b, t, config))
        return refuse("booking.too_late", {{"code", code}, {"time", hhmm(config, b->slot)}},
                      "too late: the appointment " + code + " was at " + hhmm(config, b->slot));
    return {};
}

void Agenda::checked_in(const std::string& code, const std::string& ticket_id, Millis t) {
    if (Booking* b = find_mut(code)) {
        b->status = BookingStatus::CheckedIn;
        b->ticket = ticket_id;
        b->history.push_back({t, "checked-in", {}});
    }
}

AgendaRefusal Agenda::walk_in_problem(const std::string& code, const std::string& sector, Millis t,
                                      const SiteConfig& config) const {
    AgendaRefusal why = check_in_problem(code, sector, t, config);
    if (why.code == "booking.too_late") return {};
    if (why.empty() || why.code == "booking.too_early") {
        const Booking* b = find(code);
        return refuse("booking.not_late", {{"code", code}, {"time", hhmm(config, b->slot)}},
                      "booking " + code + " at " + hhmm(config, b->slot) + " is not late: check it in instead");
    }
    return why;
}

void Agenda::walked_in(const std::string& code, const std::string& ticket_id, Millis t, const std::string& by) {
    if (Booking* b = find_mut(code)) {
        b->status = BookingStatus::WalkedIn;
        b->ticket = ticket_id;
        b->history.push_back({t, "walked-in", by});
    }
}

std::vector<SlotInfo> Agenda::slots(const BookableService& service, const Date& from, int days, Millis at,
                                    const SiteConfig& config) const {
    std::map<Millis, std::pair<int, int>> used;  // slot → (taken, held)
    for (const auto& b : bookings_)
        if (b.takes_place() && b.service == service.id) ++used[b.slot].first;
    for (const auto& h : holds_)
        if (h.service == service.id && at < h.until) ++used[h.slot].second;
    std::vector<SlotInfo> out;
    const long first = days_from_civil(from.year, from.month, from.day);
    const Date today = config.timezone.to_local(at).date;
    const long today_n = days_from_civil(today.year, today.month, today.day);
    for (long d = first; d < first + days; ++d) {
        const Date date = civil_from_days(d);
        const int weekday = static_cast<int>(((d % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday (3)
        for (int minute : service.slot_starts(weekday)) {
            SlotInfo s;
            s.start = config.timezone.from_local(date, minute);
            s.capacity = service.capacity;
            if (auto it = used.find(s.start); it != used.end()) {
                s.taken = it->second.first;
                s.held = it->second.second;
            }
            s.open = !closed_at(s.start, config) && s.start >= at + service.min_notice_minutes * kMinute &&
                     d - today_n <= service.days_ahead;
            out.push_back(s);
        }
    }
    return out;
}

}  // namespace csc
