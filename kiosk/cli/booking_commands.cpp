// `kiosk booking slots|book|move|cancel|no-show|check-in|walk-in|show|list|ics|close|purge`: appointments from a
// terminal or a script (kiosk/app/booking.hpp). In LAN mode every change is decided by the office
// stream before the command returns; offline, bookings are refused (exit 10) and check-ins work.
// Exit codes: 0 done, 2 bad input, 9 the slot is full (the next free slots are in the message),
// 10 offline, 1 anything else the agenda refused (the reason on stderr).
#include <cstdio>
#include <fstream>
#include <optional>
#include <iostream>

#include <nlohmann/json.hpp>

#include "kiosk/app/booking.hpp"
#include "kiosk/app/booking_calendar.hpp"
#include "kiosk/app/lan_session.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"
#include "kiosk/cli/cli_common.hpp"
#include "kiosk/cli/commands.hpp"
#include "shared/booking/booking_code.hpp"
#include "shared/text_check.hpp"

namespace csc::cli {

using namespace csc::app;

namespace {

struct BookingArgs {
    std::string service, from, at, name, phone, email, fiscal_code, lang, code, date, reason, operator_name;
    std::string from_time, to_time;
    std::string output;
    int days = 14;
    int ics_days = 1;
    bool json = false, by_office = false, no_print = false, with_names = false, print = false, dry_run = false, move = false;
};

// The reason on stderr; with --json also {"ok": false, "code", "args", "error"} on stdout, so a
// script acts on the code ("booking.too_early" with its "time", …) rather than on English.
int report(const BookingArgs& a, const Error& e) {
    std::cerr << "kiosk: " << e.message << '\n';
    if (a.json) {
        nlohmann::json args = nlohmann::json::object();
        for (const auto& [k, v] : e.args) args[k] = v;
        std::cout << nlohmann::json{{"ok", false}, {"code", e.code.empty() ? "error" : e.code}, {"args", args},
                                    {"error", e.message}}
                         .dump()
                  << std::endl;
    }
    if (e.code == "booking.full") return 9;
    if (e.code == "offline") return 10;
    if (e.code.rfind("booking.code", 0) == 0) return 2;  // a mistyped code: bad input
    return exit_code_for(e);
}

std::string local_text(const SiteConfig& cfg, Millis t) {
    const LocalTime lt = cfg.timezone.to_local(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d", lt.date.iso().c_str(), lt.hour, lt.minute);
    return buf;
}

// "09:30" → minutes since midnight (00:00–23:59).
std::optional<int> hh_mm(const std::string& t) {
    if (t.size() != 5 || t[2] != ':') return std::nullopt;
    for (int i : {0, 1, 3, 4})
        if (t[static_cast<std::size_t>(i)] < '0' || t[static_cast<std::size_t>(i)] > '9') return std::nullopt;
    const int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
    if (h > 23 || m > 59) return std::nullopt;
    return h * 60 + m;
}

// "2026-12-17 09:30" or "2026-12-17T09:30", office local time.
Result<Millis> parse_at(const SiteConfig& cfg, const std::string& text) {
    if (text.size() != 16 || (text[10] != ' ' && text[10] != 'T'))
        return fail_as("input", "--at takes \"YYYY-MM-DD HH:MM\" (office time), got \"" + utf8_from_terminal(text) + "\"");
    auto d = Date::parse(text.substr(0, 10));
    if (!d) return fail_as("input", d.error().message);
    auto minute = hh_mm(text.substr(11));
    if (!minute) return fail_as("input", "--at: \"" + utf8_from_terminal(text.substr(11)) + "\" is not a time like 09:30");
    return cfg.timezone.from_local(*d, *minute);
}

Result<int> parse_minute(const std::string& text, int fallback) {
    if (text.empty()) return fallback;
    if (text == "24:00") return 24 * 60;
    auto r = hh_mm(text);
    if (!r) return fail_as("input", "\"" + utf8_from_terminal(text) + "\" is not a time like 14:00");
    return *r;
}

Result<Date> parse_date_or_today(const Office& office, const std::string& text) {
    if (text.empty()) return office.config().timezone.to_local(office.clock().now()).date;
    auto d = Date::parse(text);
    if (!d) return fail_as("input", d.error().message);
    return *d;
}

// For staff views (the CLI is run by the office's staff): name and contact in full.
nlohmann::json booking_json(const SiteConfig& cfg, const Booking& b, bool personal, Millis now) {
    nlohmann::json j{{"code", b.code},          {"code_formatted", format_booking_code(b.code)},
                     {"service", b.service},    {"sector", b.sector},
                     {"at", local_text(cfg, b.slot)}, {"at_ms", b.slot},
                     {"status", to_string(status_at(b, now, cfg))}, {"ticket", b.ticket}, {"lang", b.lang}, {"channel", b.channel}};
    if (!b.reason.empty()) j["reason"] = b.reason;
    if (personal) {
        j["name"] = b.name;
        j["contact"] = b.contact;
    }
    nlohmann::json h = nlohmann::json::array();
    for (const auto& s : b.history) h.push_back({{"at", local_text(cfg, s.time)}, {"what", s.what}, {"by", s.by}});
    j["history"] = h;
    return j;
}

Result<std::string> staff_name(const Office& office, const std::string& given) {
    if (given.empty()) return std::string();
    const std::string name = utf8_from_terminal(given);
    auto m = office.find_staff(name);
    if (!m) return fail_as("input", "no staff member named \"" + name + "\" (see kiosk operator list)");
    return m->name;
}

int slots(const GlobalOptions& options, const BookingArgs& a) {
    auto o = open_office(options);
    if (!o) return report(a, o.error());
    auto from = parse_date_or_today(o->office(), a.from);
    if (!from) return report(a, from.error());
    auto list = free_slots(o->office(), a.service, *from, a.days);
    if (!list) return report(a, list.error());
    const SiteConfig& cfg = o->office().config();
    if (a.json) {
        nlohmann::json arr = nlohmann::json::array();
        for (const auto& s : *list)
            arr.push_back({{"at", local_text(cfg, s.start)}, {"at_ms", s.start}, {"capacity", s.capacity}, {"taken", s.taken},
                           {"held", s.held}, {"free", s.open ? s.free() : 0}, {"open", s.open}});
        nlohmann::json closed = nlohmann::json::array();
        std::string reason;
        o->office().read([&](const OfficeState& st) {
            for (long d = days_from_civil(from->year, from->month, from->day), end = d + a.days; d < end; ++d)
                if (auto why = st.agenda().closed_reason(civil_from_days(d), cfg); !why.empty())
                    closed.push_back({{"date", civil_from_days(d).iso()}, {"reason", closed_reason_english(why)}});
        });
        std::cout << nlohmann::json{{"service", a.service}, {"slots", arr}, {"closed_days", closed}}.dump() << '\n';
    } else {
        int shown = 0;
        for (const auto& s : *list)
            if (s.open && s.free() > 0) {
                std::cout << local_text(cfg, s.start) << "  " << s.free() << " of " << s.capacity << " free\n";
                ++shown;
            }
        if (shown == 0) std::cout << "no free slot for \"" << a.service << "\" in these " << a.days << " days\n";
    }
    return 0;
}

int book_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto o = open_office(options);
    if (!o) return report(a, o.error());
    const SiteConfig& cfg = o->office().config();
    auto at = parse_at(cfg, a.at);
    if (!at) return report(a, at.error());
    auto by = staff_name(o->office(), a.operator_name);
    if (!by) return report(a, by.error());
    if (!a.phone.empty() && !a.email.empty()) return report(a, fail_as("input", "give a phone or an e-mail, not both"));
    BookingRequest req;
    req.service = a.service;
    req.slot = *at;
    req.name = utf8_from_terminal(a.name);
    req.contact = a.phone.empty() ? a.email : a.phone;
    req.fiscal_code = a.fiscal_code;
    req.lang = a.lang;
    req.channel = by->empty() ? "cli" : "assisted";
    auto b = book(o->office(), req, *by);
    if (!b) return report(a, b.error());
    PrintReport printed;
    if (!a.no_print) printed = print_booking_receipt_now(*o->ctx, *b);
    if (a.json) {
        auto j = booking_json(cfg, *b, true, o->office().clock().now());
        j["printed"] = printed.printed;
        j["print_message"] = printed.message;
        std::cout << j.dump() << std::endl;
    } else {
        std::cout << format_booking_code(b->code) << "  " << local_text(cfg, b->slot) << "  " << b->service << std::endl;
        if (!a.no_print && !printed.printed) std::cerr << "kiosk: booking made but the receipt was not printed: " << printed.message << '\n';
    }
    return 0;
}

int move_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto o = open_office(options);
    if (!o) return report(a, o.error());
    auto at = parse_at(o->office().config(), a.at);
    if (!at) return report(a, at.error());
    auto by = staff_name(o->office(), a.operator_name);
    if (!by) return report(a, by.error());
    auto b = move_booking(o->office(), a.code, *at, {}, *by);
    if (!b) return report(a, b.error());
    if (a.json) std::cout << booking_json(o->office().config(), *b, true, o->office().clock().now()).dump() << std::endl;
    else std::cout << format_booking_code(b->code) << " moved to " << local_text(o->office().config(), b->slot) << std::endl;
    return 0;
}

int cancel_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto o = open_office(options);
    if (!o) return report(a, o.error());
    auto by = staff_name(o->office(), a.operator_name);
    if (!by) return report(a, by.error());
    auto b = cancel_booking(o->office(), a.code, a.by_office, utf8_from_terminal(a.reason), *by);
    if (!b) return report(a, b.error());
    if (a.json) std::cout << booking_json(o->office().config(), *b, true, o->office().clock().now()).dump() << std::endl;
    else std::cout << format_booking_code(b->code) << " cancelled" << std::endl;
    return 0;
}

int no_show_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto o = open_office(options);
    if (!o) return report(a, o.error());
    auto by = staff_name(o->office(), a.operator_name);
    if (!by) return report(a, by.error());
    auto b = mark_booking_no_show(o->office(), a.code, *by);
    if (!b) return report(a, b.error());
    if (a.json) std::cout << booking_json(o->office().config(), *b, true, o->office().clock().now()).dump() << std::endl;
    else std::cout << format_booking_code(b->code) << " marked as not come" << std::endl;
    return 0;
}

int check_in_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto o = open_office(options);
    if (!o) return report(a, o.error());
    auto issued = check_in_booking(o->office(), a.code, a.lang, "cli");
    if (!issued) return report(a, issued.error());
    (void)mark_handed_out(o->office().store(), issued->ticket.id);
    PrintReport printed;
    if (!a.no_print) printed = print_ticket_now(*o->ctx, *issued);
    const auto& t = issued->ticket;
    if (a.json) {
        std::cout << nlohmann::json{{"id", t.id},           {"number", t.label},     {"sector", t.sector},
                                    {"service", t.service}, {"booking", t.booking},  {"appointment_at", local_text(o->office().config(), *t.appointment_at)},
                                    {"people_ahead", issued->people_ahead}, {"offline", t.offline},
                                    {"printed", printed.printed}, {"print_message", printed.message}}
                         .dump()
                  << std::endl;
    } else {
        std::cout << t.label << std::endl;
    }
    if (o->lan) (void)o->lan->replicator().wait_caught_up(t.offline ? 2000 : 500, true);
    return 0;
}

// A citizen past the check-in window, at the info point: a walk-in ticket for the booking's
// service, and the booking ends "walked-in" (one event, recorded with the staff member).
int walk_in_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto o = open_office(options);
    if (!o) return report(a, o.error());
    auto by = staff_name(o->office(), a.operator_name);
    if (!by) return report(a, by.error());
    auto issued = walk_in_late_booking(o->office(), utf8_from_terminal(a.code), a.lang, *by);
    if (!issued) return report(a, issued.error());
    (void)mark_handed_out(o->office().store(), issued->ticket.id);
    PrintReport printed;
    if (!a.no_print) printed = print_ticket_now(*o->ctx, *issued);
    const auto& t = issued->ticket;
    std::optional<Booking> booking;
    o->office().read([&](const OfficeState& s) {
        for (const auto& b : s.agenda().bookings())
            if (b.ticket == t.id) booking = b;
    });
    if (a.json) {
        nlohmann::json j{{"id", t.id},         {"number", t.label}, {"sector", t.sector}, {"service", t.service},
                         {"people_ahead", issued->people_ahead}, {"offline", t.offline},
                         {"printed", printed.printed}, {"print_message", printed.message}};
        if (booking) j["booking"] = booking_json(o->office().config(), *booking, true, o->office().clock().now());
        std::cout << j.dump() << std::endl;
    } else {
        std::cout << t.label << std::endl;
    }
    if (o->lan) (void)o->lan->replicator().wait_caught_up(t.offline ? 2000 : 500, true);
    return 0;
}

int show_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto ctx = open_context(options);
    if (!ctx) return report(a, ctx.error());
    auto found = find_bookings(*(*ctx)->office, a.code);
    if (found.empty()) return report(a, fail_as("booking.unknown", "no booking matches \"" + utf8_from_terminal(a.code) + "\"", {{"code", a.code}}));
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& b : found) arr.push_back(booking_json((*ctx)->config, b, true, (*ctx)->office->clock().now()));
    std::cout << (a.json ? arr.dump() : arr.dump(2)) << std::endl;
    return 0;
}

int list_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto o = open_office(options);
    if (!o) return report(a, o.error());
    auto date = parse_date_or_today(o->office(), a.date);
    if (!date) return report(a, date.error());
    const SiteConfig& cfg = o->office().config();
    nlohmann::json arr = nlohmann::json::array();
    std::vector<Booking> day;
    o->office().read([&](const OfficeState& s) {
        for (const Booking* b : s.agenda().on_day(date->key(), cfg))
            if (a.service.empty() || b->service == a.service) day.push_back(*b);
    });
    // Printed (staff): masked names, on the configured printer (--printer).
    std::optional<PrintReport> printed;
    if (a.print) {
        printed = print_agenda_now(*o->ctx, *date, a.service);
        if (!printed->printed) std::cerr << "kiosk: the agenda was not printed: " << printed->message << '\n';
    }
    if (a.json) {
        for (const auto& b : day) arr.push_back(booking_json(cfg, b, true, o->office().clock().now()));
        nlohmann::json out{{"date", date->iso()}, {"bookings", arr}};
        if (printed) {
            out["printed"] = printed->printed;
            out["print_message"] = printed->message;
            if (!printed->preview_png.empty()) out["preview_png"] = printed->preview_png.string();
        }
        std::cout << out.dump() << std::endl;
    } else {
        if (day.empty()) std::cout << "no bookings on " << date->iso() << '\n';
        for (const auto& b : day)
            std::cout << local_text(cfg, b.slot).substr(11) << "  " << format_booking_code(b.code) << "  " << b.service << "  "
                      << b.name << (b.contact.empty() ? "" : "  " + b.contact) << "  [" << to_string(status_at(b, o->office().clock().now(), cfg)) << "]\n";
    }
    if (printed && !printed->printed) return 1;
    return 0;
}

// Forgets the personal data of bookings the agenda no longer keeps (keep_days after their day)
// in this device's store; `kiosk run` does it by itself at start and when the day rolls.
int purge_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto ctx = open_context(options);
    if (!ctx) return report(a, ctx.error());
    auto r = (*ctx)->office->purge_personal_data(a.dry_run);
    if (!r) return report(a, r.error());
    const SiteConfig& cfg = (*ctx)->config;
    const auto iso = [](int key) { return key == 0 ? std::string() : Date{key / 10000, key / 100 % 100, key % 100}.iso(); };
    const std::string kept_from = r->cutoff ? cfg.timezone.to_local(r->cutoff).date.iso() : std::string();
    if (a.json) {
        std::cout << nlohmann::json{{"dry_run", r->dry_run},      {"agenda_day", iso(r->agenda_day)},
                                    {"kept_from", kept_from},     {"keep_days", cfg.booking.keep_days},
                                    {"bookings", r->bookings},    {"snapshot_bookings", r->snapshot_bookings},
                                    {"wal_truncated", r->wal_truncated}}
                         .dump()
                  << std::endl;
    } else if (r->agenda_day == 0) {
        std::cout << "no agenda yet: nothing to purge\n";
    } else {
        std::cout << (r->dry_run ? "would purge " : "purged ") << r->bookings << " booking(s) of days before " << kept_from
                  << " (keep_days = " << cfg.booking.keep_days << ", agenda day " << iso(r->agenda_day) << ")"
                  << (!r->dry_run && !r->wal_truncated ? "; the WAL is still held by another program: run again later" : "")
                  << '\n';
    }
    return 0;
}

// The agenda (or one booking) as an iCalendar file: a read, so no LAN link is started.
int ics_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto ctx = open_context(options);
    if (!ctx) return report(a, ctx.error());
    const Office& office = *(*ctx)->office;
    const SiteConfig& cfg = office.config();
    std::vector<Booking> chosen;
    if (!a.code.empty()) {
        auto code = normalize_booking_code(utf8_from_terminal(a.code));
        if (!code) return report(a, code.error());
        office.read([&](const OfficeState& s) {
            if (const Booking* b = s.agenda().find(*code)) chosen.push_back(*b);
        });
        if (chosen.empty()) return report(a, fail_as("booking.unknown", "no booking with code " + format_booking_code(*code), {{"code", *code}}));
    } else {
        auto from = parse_date_or_today(office, a.date.empty() ? a.from : a.date);
        if (!from) return report(a, from.error());
        const int days = a.date.empty() ? a.ics_days : 1;
        if (!a.service.empty() && !cfg.booking.find(a.service))
            return report(a, fail_as("input", "no bookable service \"" + utf8_from_terminal(a.service) + "\""));
        // Days stepped at local noon: a daylight-saving switch never skips or repeats a date.
        const Millis noon = cfg.timezone.from_local(*from, 12 * 60);
        office.read([&](const OfficeState& s) {
            for (int d = 0; d < days; ++d)
                for (const Booking* b : s.agenda().on_day(cfg.timezone.day_key(noon + Millis(d) * 86'400'000), cfg))
                    if (a.service.empty() || b->service == a.service) chosen.push_back(*b);
        });
    }
    const std::string text =
        bookings_calendar(cfg, (*ctx)->translator, chosen, CalendarOptions{.with_names = a.with_names});
    if (a.output.empty() || a.output == "-") {
        std::cout << text << std::flush;
        return 0;
    }
    std::ofstream out(a.output, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return report(a, fail_as("input", "cannot write " + utf8_from_terminal(a.output)));
    std::cerr << chosen.size() << " booking(s) written to " << utf8_from_terminal(a.output) << '\n';
    return 0;
}

int close_cmd(const GlobalOptions& options, const BookingArgs& a) {
    auto o = open_office(options);
    if (!o) return report(a, o.error());
    auto date = Date::parse(a.date);
    if (!date) return report(a, fail_as("input", date.error().message));
    auto from = parse_minute(a.from_time, 0);
    if (!from) return report(a, from.error());
    auto to = parse_minute(a.to_time, 24 * 60);
    if (!to) return report(a, to.error());
    auto by = staff_name(o->office(), a.operator_name);
    if (!by) return report(a, by.error());
    ClosureOutcome outcome;
    if (a.move) {
        auto r = declare_closure_moving(o->office(), *date, *from, *to, utf8_from_terminal(a.reason), *by);
        if (!r) return report(a, r.error());
        outcome = std::move(*r);
    } else {
        auto r = declare_closure(o->office(), *date, *from, *to, utf8_from_terminal(a.reason), *by);
        if (!r) return report(a, r.error());
        outcome.cancelled = std::move(*r);
    }
    const SiteConfig& cfg = o->office().config();
    const Millis now = o->office().clock().now();
    // On paper (--print): masked names; the contacts are read by code on a staff screen.
    std::optional<PrintReport> printed;
    if (a.print) {
        printed = print_closure_call_list_now(*o->ctx, *date, utf8_from_terminal(a.reason), outcome);
        if (!printed->printed) std::cerr << "kiosk: the list of whom to call was not printed: " << printed->message << '\n';
    }
    // Staff's list (names and contacts), each entry also with the name as paper shows it.
    const auto entry = [&](const Booking& b) {
        auto j = booking_json(cfg, b, true, now);
        j["name_masked"] = mask_name(b.name);
        return j;
    };
    if (a.json) {
        nlohmann::json moved = nlohmann::json::array(), cancelled = nlohmann::json::array();
        for (const auto& m : outcome.moved) {
            auto j = entry(m.booking);
            j["from"] = local_text(cfg, m.from);
            moved.push_back(j);
        }
        for (const auto& b : outcome.cancelled) cancelled.push_back(entry(b));
        nlohmann::json j{{"date", date->iso()}, {"moved", moved}, {"cancelled", cancelled}};
        if (printed) {
            j["printed"] = printed->printed;
            j["print_message"] = printed->message;
        }
        std::cout << j.dump() << std::endl;
    } else {
        std::cout << "closure of " << date->iso() << " recorded; " << outcome.moved.size() << " booking(s) moved, "
                  << outcome.cancelled.size() << " cancelled — citizens to call:\n";
        const auto contact = [](const Booking& b) { return b.contact.empty() ? std::string("(no contact)") : b.contact; };
        for (const auto& m : outcome.moved)
            std::cout << "  moved      " << local_text(cfg, m.from).substr(11) << " -> " << local_text(cfg, m.booking.slot) << "  "
                      << m.booking.name << "  " << contact(m.booking) << "  " << format_booking_code(m.booking.code) << '\n';
        for (const auto& b : outcome.cancelled)
            std::cout << "  cancelled  " << local_text(cfg, b.slot).substr(11) << (a.move ? " (no free slot)" : "") << "  " << b.name
                      << "  " << contact(b) << "  " << format_booking_code(b.code) << '\n';
    }
    if (printed && !printed->printed) return 1;  // recorded; the paper failed (said on stderr)
    return 0;
}

}  // namespace

void add_booking_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto a = std::make_shared<BookingArgs>();
    auto* bk = app.add_subcommand("booking", "appointments: free slots, book, move, cancel, check in, the day's agenda, closures");
    bk->require_subcommand(1);
    auto json = [&](CLI::App* c) { c->add_flag("--json", a->json, "JSON output"); };
    auto staff = [&](CLI::App* c) { c->add_option("--operator", a->operator_name, "the staff member acting (recorded for the audit)"); };

    auto* sl = bk->add_subcommand("slots", "the slots of a bookable service and their free places");
    sl->add_option("--service", a->service, "bookable service id")->required();
    sl->add_option("--from", a->from, "first date YYYY-MM-DD (default today)");
    sl->add_option("--days", a->days, "how many days (default 14)")->check(CLI::Range(1, 400));
    json(sl);
    sl->callback([&options, &exit_code, a] { exit_code = slots(options, *a); });

    auto* b = bk->add_subcommand("book", "book a slot for a citizen; prints the receipt and returns the code");
    b->add_option("--service", a->service, "bookable service id")->required();
    b->add_option("--at", a->at, "\"YYYY-MM-DD HH:MM\", office time: a slot start")->required();
    b->add_option("--name", a->name, "the citizen's name as given")->required();
    b->add_option("--phone", a->phone, "optional phone number");
    b->add_option("--email", a->email, "optional e-mail");
    b->add_option("--fiscal-code", a->fiscal_code, "optional codice fiscale, for the per-person limit only (never stored)");
    b->add_option("--lang", a->lang, "the citizen's language (receipt)");
    b->add_flag("--no-print", a->no_print, "do not print the receipt");
    staff(b);
    json(b);
    b->callback([&options, &exit_code, a] { exit_code = book_cmd(options, *a); });

    auto* mv = bk->add_subcommand("move", "move a booking to another slot of its service");
    mv->add_option("--code", a->code, "booking code")->required();
    mv->add_option("--at", a->at, "\"YYYY-MM-DD HH:MM\": the new slot")->required();
    staff(mv);
    json(mv);
    mv->callback([&options, &exit_code, a] { exit_code = move_cmd(options, *a); });

    auto* c = bk->add_subcommand("cancel", "cancel a booking");
    c->add_option("--code", a->code, "booking code")->required();
    c->add_flag("--by-office", a->by_office, "cancelled by the office, not the citizen");
    c->add_option("--reason", a->reason, "why (kept in the booking's history)");
    staff(c);
    json(c);
    c->callback([&options, &exit_code, a] { exit_code = cancel_cmd(options, *a); });

    auto* ns = bk->add_subcommand("no-show", "mark a booked citizen as not come (after the slot began)");
    ns->add_option("--code", a->code, "booking code")->required();
    staff(ns);
    json(ns);
    ns->callback([&options, &exit_code, a] { exit_code = no_show_cmd(options, *a); });

    auto* ci = bk->add_subcommand("check-in", "check a booked citizen in: the appointment ticket");
    ci->add_option("--code", a->code, "booking code as on the receipt")->required();
    ci->add_option("--lang", a->lang, "the citizen's language (default: the booking's)");
    ci->add_flag("--no-print", a->no_print, "do not print the ticket");
    json(ci);
    ci->callback([&options, &exit_code, a] { exit_code = check_in_cmd(options, *a); });

    auto* wi = bk->add_subcommand("walk-in", "a citizen past the check-in window: a walk-in ticket for the booking's service (staff)");
    wi->add_option("--code", a->code, "booking code as on the receipt")->required();
    wi->add_option("--operator", a->operator_name, "the staff member acting (recorded with the booking)")->required();
    wi->add_option("--lang", a->lang, "the citizen's language (default: the booking's)");
    wi->add_flag("--no-print", a->no_print, "do not print the ticket");
    json(wi);
    wi->callback([&options, &exit_code, a] { exit_code = walk_in_cmd(options, *a); });

    auto* sh = bk->add_subcommand("show", "a booking and its history, by code, name or phone (staff)");
    sh->add_option("--code", a->code, "code, name or phone")->required();
    json(sh);
    sh->callback([&options, &exit_code, a] { exit_code = show_cmd(options, *a); });

    auto* ls = bk->add_subcommand("list", "the agenda of a day (staff: names and contacts)");
    ls->add_option("--date", a->date, "YYYY-MM-DD (default today)");
    ls->add_option("--service", a->service, "only this bookable service");
    ls->add_flag("--print", a->print, "print the agenda (masked names) on the printer (--printer)");
    json(ls);
    ls->callback([&options, &exit_code, a] { exit_code = list_cmd(options, *a); });

    auto* ics = bk->add_subcommand("ics", "the agenda (or one booking) as an iCalendar .ics file; no names unless --with-names");
    auto* ics_date = ics->add_option("--date", a->date, "one day YYYY-MM-DD (default today)");
    ics->add_option("--from", a->from, "first date YYYY-MM-DD (default today)")->excludes(ics_date);
    ics->add_option("--days", a->ics_days, "how many days from --from (default 1)")->check(CLI::Range(1, 400))->excludes(ics_date);
    ics->add_option("--service", a->service, "only this bookable service");
    ics->add_option("--code", a->code, "only this booking (the citizen's own event)");
    ics->add_flag("--with-names", a->with_names, "staff agenda: the citizens' names and contacts in the events");
    ics->add_option("--output", a->output, "file to write (default standard output)");
    ics->callback([&options, &exit_code, a] { exit_code = ics_cmd(options, *a); });

    auto* pg = bk->add_subcommand("purge", "forget the names and contacts of bookings keep_days after their day (this device's store)");
    pg->add_flag("--dry-run", a->dry_run, "only count what would be purged");
    json(pg);
    pg->callback([&options, &exit_code, a] { exit_code = purge_cmd(options, *a); });

    auto* cl = bk->add_subcommand("close", "declare a closure (strike, training): its bookings are cancelled, or moved with --move; lists whom to call");
    cl->add_flag("--print", a->print, "print the list of whom to call (masked names) on the printer (--printer)");
    cl->add_flag("--move", a->move, "move each booking on it to the first free slot of its service after the closure (cancelled if none)");
    cl->add_option("--date", a->date, "YYYY-MM-DD")->required();
    cl->add_option("--from", a->from_time, "HH:MM (default the whole day)");
    cl->add_option("--to", a->to_time, "HH:MM");
    cl->add_option("--reason", a->reason, "shown in the agenda and on the bookings")->required();
    staff(cl);
    json(cl);
    cl->callback([&options, &exit_code, a] { exit_code = close_cmd(options, *a); });
}

}  // namespace csc::cli
