#include "kiosk/app/booking.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "shared/booking/booking_code.hpp"
#include "shared/booking/fiscal_code.hpp"
#include "shared/text_check.hpp"

namespace csc::app {

namespace {
constexpr Millis kDay = 24LL * 3600 * 1000;

std::string when(const SiteConfig& config, Millis t) {
    const LocalTime lt = config.timezone.to_local(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s %02d:%02d", lt.date.iso().c_str(), lt.hour, lt.minute);
    return buf;
}

Result<Booking> booking_now(const Office& office, const std::string& code) {
    std::optional<Booking> out;
    office.read([&](const OfficeState& s) {
        if (const Booking* b = s.agenda().find(code)) out = *b;
    });
    if (!out) return fail_as("booking.unknown", "no booking has the code " + format_booking_code(code), {{"code", code}});
    return *out;
}

// A refusal of the agenda as the citizen's error, with the agenda's code and arguments
// (AgendaRefusal). A place gone — full, the hold expired, too soon now — is "booking.full"
// (exit code 9, the kiosk offers other times) with the next free slots in the message and in
// the argument "next" (comma-separated "YYYY-MM-DD HH:MM"), the agenda's own code in "why".
Error refused(const Office& office, const std::string& service, const ApplyResult& verdict, Millis wanted) {
    if (verdict.code == "booking.full" || verdict.code == "booking.hold_expired" || verdict.code == "booking.too_soon") {
        std::string msg = verdict.reason, list;
        const auto next = next_free_slots(office, service, 3, wanted);
        for (std::size_t i = 0; i < next.size(); ++i) list += (i ? ", " : "") + when(office.config(), next[i]);
        if (!next.empty()) msg += "; next free: " + list;
        ErrorArgs args = verdict.args;
        args.emplace_back("why", verdict.code);
        args.emplace_back("next", list);
        return fail_as("booking.full", msg, std::move(args));
    }
    return fail_as(verdict.code.empty() ? "booking" : verdict.code, verdict.reason, verdict.args);
}

Result<std::string> canonical_code(std::string_view typed) { return normalize_booking_code(typed); }
}  // namespace

Result<std::string> clean_citizen_name(std::string_view name) {
    std::string n = trim_blanks(name);
    if (n.empty()) return fail_as("input", "the name is empty: write the name the appointment is for");
    if (auto bad = text_problem(n, kMaxBookingNameBytes); !bad.empty()) return fail_as("input", "the name " + bad);
    if (utf8_length(n) > kMaxBookingNameChars)
        return fail_as("input", "the name is too long (" + std::to_string(utf8_length(n)) + " characters, at most " +
                                    std::to_string(kMaxBookingNameChars) + ")");
    if (std::none_of(n.begin(), n.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
        }))
        return fail_as("input", "the name has no letters");
    return n;
}

Result<std::string> clean_contact(std::string_view contact) {
    std::string c = trim_blanks(contact);
    if (c.empty()) return c;
    if (auto bad = text_problem(c, kMaxBookingContactBytes); !bad.empty()) return fail_as("input", "the phone or e-mail " + bad);
    if (c.find('@') != std::string::npos) {
        const auto at = c.find('@');
        if (at == 0 || c.find('.', at) == std::string::npos || c.find(' ') != std::string::npos || c.back() == '.')
            return fail_as("input", "\"" + c + "\" is not an e-mail address");
        return c;
    }
    int digits = 0;
    for (char ch : c) {
        if (ch >= '0' && ch <= '9') ++digits;
        else if (ch != ' ' && ch != '+' && ch != '-' && ch != '.' && ch != '/')
            return fail_as("input", "a phone number has only digits, spaces and +");
    }
    if (digits < 6 || digits > 15) return fail_as("input", "a phone number has 6 to 15 digits");
    return c;
}

Result<std::string> person_key(const SiteConfig& config, std::string_view fiscal_code, std::string_view contact,
                               std::string_view name) {
    std::string id;
    if (!trim_blanks(fiscal_code).empty()) {
        auto cf = parse_fiscal_code(fiscal_code);
        if (!cf) return fail_as("input", cf.error().message);
        id = "cf:" + cf->code;
    } else if (!trim_blanks(contact).empty()) {
        for (char c : contact)
            if ((c >= '0' && c <= '9') || c == '@' || c == '.' || (c >= 'a' && c <= 'z')) id += c;
            else if (c >= 'A' && c <= 'Z') id += static_cast<char>(c - 'A' + 'a');
        id = "contact:" + id;
    } else {
        for (char c : trim_blanks(name)) id += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        id = "name:" + id;
    }
    if (sodium_init() < 0) return fail("libsodium could not start");
    unsigned char key[crypto_generichash_KEYBYTES];
    const std::string office = "csc-kiosk person v1|" + config.office_name + "|" + config.town;
    crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(office.data()), office.size(), nullptr, 0);
    unsigned char out[16];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(id.data()), id.size(), key, sizeof key);
    char hex[sizeof out * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return std::string(hex);
}

std::string new_booking_code() {
    if (sodium_init() < 0) std::abort();  // cannot happen after the first successful init; no weak fallback
    std::array<std::uint8_t, kBookingCodeLength - 1> r{};
    for (auto& v : r) v = static_cast<std::uint8_t>(randombytes_uniform(static_cast<std::uint32_t>(kBookingCodeAlphabet.size())));
    return make_booking_code(r);
}

Result<std::vector<SlotInfo>> free_slots(const Office& office, const std::string& service, const Date& from, int days) {
    const BookableService* s = office.config().booking.find(service);
    if (!s) {
        std::string known;
        for (const auto& b : office.config().booking.services) known += (known.empty() ? "" : ", ") + b.id;
        return fail_as("input", "\"" + service + "\" cannot be booked" + (known.empty() ? std::string(" (nothing can)") : "; bookable: " + known));
    }
    if (days < 1 || days > 400) return fail_as("input", "days must be between 1 and 400");
    std::vector<SlotInfo> out;
    const Millis now = office.clock().now();
    office.read([&](const OfficeState& st) { out = st.agenda().slots(*s, from, days, now, office.config()); });
    return out;
}

std::vector<Millis> next_free_slots(const Office& office, const std::string& service, std::size_t n, Millis near) {
    std::vector<Millis> after, before;
    const BookableService* s = office.config().booking.find(service);
    if (!s) return after;
    const Date today = office.config().timezone.to_local(office.clock().now()).date;
    auto slots = free_slots(office, service, today, s->days_ahead + 1);
    if (!slots) return after;
    for (const auto& sl : *slots) {
        if (!sl.open || sl.free() == 0) continue;
        if (sl.start >= near) {
            if (after.size() < n) after.push_back(sl.start);
        } else {
            before.push_back(sl.start);
        }
    }
    while (after.size() < n && !before.empty()) {
        after.push_back(before.back());
        before.pop_back();
    }
    return after;
}

Result<std::string> hold_place(Office& office, const std::string& service, Millis slot) {
    auto r = office.record_agenda(BookingHeld{service, slot});
    if (!r) return r.error();
    if (!r->applied) return refused(office, service, *r, slot);
    return r->ticket_id;
}

Result<void> release_hold(Office& office, const std::string& hold) {
    auto r = office.record_agenda(BookingReleased{hold});
    if (!r) return r.error();
    return {};  // not applied = already expired or used: nothing to give back
}

Result<Booking> book(Office& office, const BookingRequest& request, const std::string& by) {
    const SiteConfig& cfg = office.config();
    if (!cfg.booking.find(request.service)) return free_slots(office, request.service, Date{}, 1).error();
    auto name = clean_citizen_name(request.name);
    if (!name) return name.error();
    auto contact = clean_contact(request.contact);
    if (!contact) return contact.error();
    auto person = person_key(cfg, request.fiscal_code, *contact, *name);
    if (!person) return person.error();
    if (request.slot <= office.clock().now()) return fail_as("input", "the slot " + when(cfg, request.slot) + " is in the past");
    const std::string lang = request.lang.empty() ? cfg.languages.front() : request.lang;
    if (std::find(cfg.languages.begin(), cfg.languages.end(), lang) == cfg.languages.end())
        return fail_as("input", "language \"" + lang + "\" is not one of the office's");
    BookingMade b{new_booking_code(), request.service, request.slot, request.hold, *name, *contact, *person, lang, request.channel};
    auto r = office.record_agenda(b, by);
    if (!r) {
        if (r.error().code == "booking") {
            // Not confirmed in time (LAN, stream slow): the citizen is told it failed, so the
            // booking must not take its place later: its withdrawal follows it in publish order
            // (queued even offline; refused harmlessly if the booking never applies).
            (void)office.record(BookingCancelled{b.code, true, "not confirmed in time"}, by);
            return fail_as("booking", "the booking could not be confirmed by the office network in time; nothing was booked, "
                                      "please try again");
        }
        return r.error();
    }
    if (!r->applied) return refused(office, request.service, *r, request.slot);
    return booking_now(office, b.code);
}

std::vector<Booking> find_bookings(const Office& office, std::string_view query) {
    std::vector<Booking> out;
    const std::string q = trim_blanks(query);
    if (q.empty()) return out;
    auto code = canonical_code(q);
    std::string lower;
    for (char c : q) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    office.read([&](const OfficeState& s) {
        for (const auto& b : s.agenda().bookings()) {
            if (code && b.code == *code) {
                out.push_back(b);
                continue;
            }
            std::string name;
            for (char c : b.name) name += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            std::string digits_q, digits_b;
            for (char c : q) if (c >= '0' && c <= '9') digits_q += c;
            for (char c : b.contact) if (c >= '0' && c <= '9') digits_b += c;
            if (name.find(lower) != std::string::npos || (digits_q.size() >= 6 && digits_b.find(digits_q) != std::string::npos) ||
                (!b.contact.empty() && b.contact == q))
                out.push_back(b);
        }
    });
    std::sort(out.begin(), out.end(), [](const Booking& a, const Booking& b) { return a.slot > b.slot; });
    return out;
}

Result<Booking> move_booking(Office& office, std::string_view typed, Millis slot, const std::string& hold, const std::string& by) {
    auto code = canonical_code(typed);
    if (!code) return code.error();  // "booking.code.<why>": bad input, nothing recorded
    auto before = booking_now(office, *code);
    if (!before) return before.error();
    auto r = office.record_agenda(BookingMoved{*code, slot, hold}, by);
    if (!r) {
        if (r.error().code == "booking") {
            // Not confirmed in time (LAN, stream slow), as for book(): the citizen is told the
            // move failed, so it must not take effect later. Queued behind it in publish order:
            // a move back to the old slot (refused harmlessly if the move never applies) and
            // the release of the new slot's hold (refused harmlessly if the move used it).
            (void)office.record(BookingMoved{*code, before->slot, {}}, by);
            if (!hold.empty()) (void)office.record(BookingReleased{hold}, by);
            return fail_as("booking", "the move could not be confirmed by the office network in time; the booking stays at " +
                                          when(office.config(), before->slot) + ", please try again");
        }
        return r.error();
    }
    if (!r->applied) return refused(office, before->service, *r, slot);
    return booking_now(office, *code);
}

Result<Booking> cancel_booking(Office& office, std::string_view typed, bool by_office, const std::string& reason,
                               const std::string& by) {
    auto code = canonical_code(typed);
    if (!code) return code.error();  // "booking.code.<why>": bad input, nothing recorded
    if (auto b = booking_now(office, *code); !b) return b.error();
    if (auto bad = text_problem(reason, 200); !bad.empty()) return fail_as("input", "the reason " + bad);
    auto r = office.record_agenda(BookingCancelled{*code, by_office, reason}, by);
    if (!r) return r.error();
    if (!r->applied) return refused(office, {}, *r, 0);
    return booking_now(office, *code);
}

Result<Booking> mark_booking_no_show(Office& office, std::string_view typed, const std::string& by) {
    auto code = canonical_code(typed);
    if (!code) return code.error();  // "booking.code.<why>": bad input, nothing recorded
    if (auto b = booking_now(office, *code); !b) return b.error();
    auto r = office.record_agenda(BookingNoShow{*code}, by);
    if (!r) return r.error();
    if (!r->applied) return refused(office, {}, *r, 0);
    return booking_now(office, *code);
}

namespace {
Result<void> closure_input_problem(int from_minute, int to_minute, const std::string& reason) {
    if (from_minute < 0 || to_minute > 24 * 60 || from_minute >= to_minute)
        return fail_as("input", "the closure's time range is not within one day");
    if (auto bad = text_problem(reason, 200); !bad.empty() || reason.empty())
        return fail_as("input", reason.empty() ? "say why the office closes (--reason)" : "the reason " + bad);
    return {};
}
}  // namespace

Result<std::vector<Booking>> declare_closure(Office& office, const Date& date, int from_minute, int to_minute,
                                            const std::string& reason, const std::string& by) {
    if (auto bad = closure_input_problem(from_minute, to_minute, reason); !bad) return bad.error();
    std::vector<std::string> before;
    office.read([&](const OfficeState& s) {
        for (const Booking* b : s.agenda().on_day(date.key(), office.config()))
            if (b->status == BookingStatus::Booked) before.push_back(b->code);
    });
    auto r = office.record_agenda(ClosureDeclared{date.key(), from_minute, to_minute, reason}, by);
    if (!r) return r.error();
    if (!r->applied) return refused(office, {}, *r, 0);
    std::vector<Booking> to_call;
    office.read([&](const OfficeState& s) {
        for (const auto& code : before)
            if (const Booking* b = s.agenda().find(code); b && b->status == BookingStatus::CancelledByOffice) to_call.push_back(*b);
    });
    return to_call;
}

Result<ClosureOutcome> declare_closure_moving(Office& office, const Date& date, int from_minute, int to_minute,
                                             const std::string& reason, const std::string& by) {
    if (auto bad = closure_input_problem(from_minute, to_minute, reason); !bad) return bad.error();
    const SiteConfig& cfg = office.config();
    // Judged before anything moves: a closure the agenda would refuse moves nobody.
    {
        Event probe;
        probe.id = "closure-probe:1";
        probe.device = "closure-probe";
        probe.seq = 1;
        probe.time = office.clock().now();
        probe.by = by;
        probe.body = ClosureDeclared{date.key(), from_minute, to_minute, reason};
        AgendaRefusal why;
        office.read([&](const OfficeState& s) { why = s.agenda().judge(probe, cfg); });
        if (!why.empty()) return fail_as(why.code.empty() ? "booking" : why.code, why.reason, why.args);
    }
    const Millis closed_from = cfg.timezone.from_local(date, from_minute), closed_to = cfg.timezone.from_local(date, to_minute);
    std::vector<Booking> on_it;
    office.read([&](const OfficeState& s) {
        for (const Booking* b : s.agenda().on_day(date.key(), cfg))
            if (b->status == BookingStatus::Booked && b->slot >= closed_from && b->slot < closed_to) on_it.push_back(*b);
    });
    ClosureOutcome out;
    for (const Booking& b : on_it) {
        const BookableService* s = cfg.booking.find(b.service);
        if (!s) continue;
        // The free slots as the agenda stands now (after the moves before this one).
        auto slots = free_slots(office, b.service, date, s->days_ahead + 1);
        if (!slots) return slots.error();
        int tried = 0;
        for (const auto& sl : *slots) {
            if (!sl.open || sl.free() == 0 || sl.start < closed_to) continue;
            if (++tried > 3) break;  // the citizen's own limit that day, a slot just taken: try a few
            auto moved = move_booking(office, b.code, sl.start, {}, by);
            if (moved) {
                out.moved.push_back({*moved, b.slot});
                break;
            }
            if (moved.error().code != "booking.full" && moved.error().code != "booking.person_limit") return moved.error();
        }
    }
    std::vector<std::string> staying;
    office.read([&](const OfficeState& s) {
        for (const Booking& b : on_it)
            if (const Booking* now = s.agenda().find(b.code); now && now->status == BookingStatus::Booked && now->slot == b.slot)
                staying.push_back(b.code);
    });
    auto r = office.record_agenda(ClosureDeclared{date.key(), from_minute, to_minute, reason}, by);
    if (!r) return r.error();
    if (!r->applied) return refused(office, {}, *r, 0);
    office.read([&](const OfficeState& s) {
        for (const auto& code : staying)
            if (const Booking* b = s.agenda().find(code); b && b->status == BookingStatus::CancelledByOffice) out.cancelled.push_back(*b);
    });
    return out;
}

Result<IssuedTicket> check_in_booking(Office& office, std::string_view typed, const std::string& lang, const std::string& channel,
                                      const std::string& by) {
    auto code = canonical_code(typed);
    if (!code) return code.error();  // "booking.code.<why>": bad input, nothing recorded
    return office.check_in(*code, lang, channel, by);
}

Result<IssuedTicket> walk_in_late_booking(Office& office, std::string_view typed, const std::string& lang, const std::string& by) {
    auto code = canonical_code(typed);
    if (!code) return code.error();  // "booking.code.<why>": bad input, nothing recorded
    return office.walk_in_late_booking(*code, lang, by);
}

}  // namespace csc::app
