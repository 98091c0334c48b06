#include "kiosk/app/printing/ticket_printer.hpp"
#include "kiosk/app/printing/receipt_printer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "drivers/printer/profile.hpp"
#include "drivers/printer/usb_transport.hpp"
#include "kiosk/app/booking_calendar.hpp"
#include "kiosk/app/printing/paper_text.hpp"
#include "kiosk/app/wait_words.hpp"
#include "shared/booking/booking_code.hpp"
#include "shared/office_time.hpp"

namespace csc::app {

namespace {

}  // namespace

printer::Receipt make_ticket_receipt(const SiteConfig& config, const Translator& tr, const IssuedTicket& issued,
                                     const std::string& lang) {
    using printer::Align;
    using printer::TextStyle;
    const Ticket& t = issued.ticket;
    const Sector* sector = config.find_sector(t.sector);
    const Service* service = sector ? sector->find_service(t.service) : nullptr;
    const LocalTime when = config.timezone.to_local(t.issued_at);

    printer::Receipt r;
    if (!config.town.empty()) r.text(config.town, TextStyle{1, 1, true, false, false, Align::Center});
    r.text(config.office_name, TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    r.text(tr.tr(lang, "confirm.your_number"), TextStyle{1, 1, false, false, false, Align::Center});
    r.text(t.label, TextStyle{6, 6, true, false, false, Align::Center});
    if (sector) r.text(sector->name.get(lang), TextStyle{2, 2, true, false, false, Align::Center});
    if (service) r.text(service->name.get(lang), TextStyle{1, 1, false, false, false, Align::Center});
    r.feed(1);
    r.text(tr.tr(lang, "ticket.people_ahead", {{"count", std::to_string(issued.people_ahead)}}),
           TextStyle{1, 1, true, false, false, Align::Center});
    if (issued.forecast) {
        // Told as the kiosk's screen and the display tell it (told_wait: one rounding).
        const ToldWait w = told_wait(*issued.forecast);
        r.text(wait_words(tr, lang, w, WaitWording::Paper), TextStyle{1, 2, true, false, false, Align::Center});
        if (w.after_closing) {
            std::string closes;
            if (auto end = config.hours.closes_at(when)) closes = two_digits(*end / 60) + ":" + two_digits(*end % 60);
            r.text(tr.tr(lang, "ticket.forecast.after_closing", {{"time", closes}}),
                   TextStyle{1, 1, false, false, true, Align::Center});
        }
    }
    r.text(tr.tr(lang, "ticket.issued_at",
                 {{"date", two_digits(when.date.day) + "/" + two_digits(when.date.month) + "/" + std::to_string(when.date.year)},
                  {"time", two_digits(when.hour) + ":" + two_digits(when.minute)}}),
           TextStyle{1, 1, false, false, false, Align::Center});
    r.feed(1);
    // With the office's pages on the LAN ([web] public_url): the QR opens the ticket's own page
    // (docs/WEB.md: a random token, no personal data, valid this day only). Else it names the
    // ticket, so staff can find it with a scanner at the counter.
    if (const std::string url = config.web.ticket_url(t.token); !url.empty()) {
        r.text(tr.tr(lang, "ticket.follow_on_phone"), TextStyle{1, 1, true, false, false, Align::Center});
        r.qr(url, 5);
    } else {
        r.qr("CSC-TICKET:" + t.id + ":" + t.label, 5);
    }
    r.text(tr.tr(lang, "ticket.keep"), TextStyle{1, 1, false, false, false, Align::Center});
    r.feed(2);
    r.cut(true);
    return r;
}

Result<printer::TransportSpec> printer_spec(const Context& ctx, std::string_view own) {
    printer::TransportSpec spec;
    const std::string option = !ctx.options.printer.empty() ? ctx.options.printer : std::string(own);
    if (option == "auto") {
        spec.kind = "auto";
        spec.usb_id = ctx.config.printer.usb_id;
    } else if (!option.empty()) {
        auto parsed = printer::parse_printer_option(option);
        if (!parsed) return parsed.error();
        spec = *parsed;
    } else {
        const auto& p = ctx.config.printer;
        spec.kind = p.transport;
        spec.usb_id = p.usb_id;
        spec.path = p.output;
    }
    if (spec.kind == "auto") {
        // The USB printer when one is attached (the configured VID:PID if given), else the
        // emulated one: a desktop without a printer is still a complete office.
        spec.kind = "emulated";
        const auto wanted = printer::parse_usb_id(ctx.config.printer.usb_id);
        if (auto found = printer::list_usb_printers(printer::active_profiles()); found)
            for (const auto& p : *found)
                if (!wanted || p.id == *wanted) {
                    spec.kind = "usb";
                    break;
                }
    }
    if (spec.profile.empty()) spec.profile = ctx.config.printer.profile;
    if (spec.kind == "emulated" && spec.path.empty()) spec.path = (ctx.data_dir / "printer").string();
    return spec;
}

std::string receipt_as_speech(const printer::Receipt& receipt, const std::string& label, const std::string& spoken_label,
                              const std::string& secret) {
    std::string out;
    for (const auto& e : receipt.elements()) {
        const auto* t = std::get_if<printer::TextElement>(&e);
        if (!t || (!secret.empty() && t->utf8.find(secret) != std::string::npos)) continue;
        std::string line;
        for (char c : t->utf8)
            if (c != '*') line += c == '\n' ? ' ' : c;
        if (!label.empty() && !spoken_label.empty())
            for (std::size_t at = line.find(label); at != std::string::npos; at = line.find(label, at + spoken_label.size()))
                line.replace(at, label.size(), spoken_label);
        // (rules and a list's "[ ]" boxes are for the eye)
        const auto first = line.find_first_not_of(" -=*_[]"), last = line.find_last_not_of(" -=*_");
        if (first == std::string::npos) continue;
        line = line.substr(first, last - first + 1);
        if (!out.empty()) out += (out.back() == '.' || out.back() == ':' || out.back() == '!' || out.back() == '?') ? " " : ". ";
        out += line;
    }
    return out;
}

std::string mask_name(std::string_view name) {
    std::string out;
    bool word_start = true;
    for (std::size_t i = 0; i < name.size();) {
        const auto c = static_cast<unsigned char>(name[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        if (name[i] == ' ' || name[i] == '\'' || name[i] == '-') {
            out += name[i];
            word_start = true;
        } else {
            out += word_start ? std::string(name.substr(i, len)) : std::string("*");
            word_start = false;
        }
        i += len;
    }
    return out;
}

printer::Receipt make_booking_receipt(const SiteConfig& config, const Translator& tr, const Booking& b, const std::string& lang) {
    using printer::Align;
    using printer::TextStyle;
    const Sector* sector = config.find_sector(b.sector);
    const BookableService* bs = config.booking.find(b.service);
    const Service* service = sector && bs ? sector->find_service(bs->service) : nullptr;
    const LocalTime at = config.timezone.to_local(b.slot);
    printer::Receipt r;
    if (!config.town.empty()) r.text(config.town, TextStyle{1, 1, true, false, false, Align::Center});
    r.text(config.office_name, TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    r.text(tr.tr(lang, "booking.receipt.title"), TextStyle{1, 2, true, false, false, Align::Center});
    if (sector) r.text(sector->name.get(lang), TextStyle{2, 2, true, false, false, Align::Center});
    if (service) r.text(service->name.get(lang), TextStyle{1, 1, false, false, false, Align::Center});
    r.feed(1);
    r.text(tr.tr(lang, "weekday." + std::to_string(at.weekday)) + " " + two_digits(at.date.day) + "/" + two_digits(at.date.month) + "/" +
               std::to_string(at.date.year),
           TextStyle{2, 2, true, false, false, Align::Center});
    r.text(two_digits(at.hour) + ":" + two_digits(at.minute), TextStyle{3, 3, true, false, false, Align::Center});
    if (bs && !bs->counters.empty()) {
        std::string list;
        for (int c : bs->counters) list += (list.empty() ? "" : ", ") + std::to_string(c);
        r.text(tr.tr(lang, "booking.receipt.counters", {{"list", list}}), TextStyle{1, 1, false, false, false, Align::Center});
    }
    r.text(tr.tr(lang, "booking.receipt.for", {{"name", mask_name(b.name)}}), TextStyle{1, 1, false, false, false, Align::Center});
    if (bs && !bs->documents.get(lang).empty()) {
        r.rule();
        r.text(tr.tr(lang, "booking.receipt.bring"), TextStyle{1, 1, true, false, false, Align::Left});
        r.text(bs->documents.get(lang), TextStyle{1, 1, false, false, false, Align::Left});
    }
    r.rule();
    r.text(tr.tr(lang, "booking.receipt.code"), TextStyle{1, 1, false, false, false, Align::Center});
    r.text(format_booking_code(b.code), TextStyle{2, 3, true, false, false, Align::Center});
    // The QR is what the kiosk's check-in reads with a scanner: the code alone.
    r.qr(b.code, 6);
    const Millis opens = b.slot - static_cast<Millis>(config.booking.checkin_early_minutes) * 60'000;
    const LocalTime o = config.timezone.to_local(opens);
    r.text(tr.tr(lang, "booking.receipt.check_in", {{"time", two_digits(o.hour) + ":" + two_digits(o.minute)}}),
           TextStyle{1, 1, true, false, false, Align::Center});
    r.text(tr.tr(lang, "booking.receipt.cancel"), TextStyle{1, 1, false, false, false, Align::Center});
    // The second, smaller QR is the appointment as an iCalendar VEVENT, which phone cameras
    // offer to add to the calendar. Only the code and what the office says go in it (no name),
    // and not the documents: a shorter text is a coarser QR that still reads from 80 mm paper.
    r.rule();
    r.text(tr.tr(lang, "booking.receipt.calendar"), TextStyle{1, 1, false, false, false, Align::Center});
    r.qr(booking_event(config, tr, b, CalendarOptions{.with_names = false, .alarm = false, .documents = false}), 3);
    r.feed(2);
    r.cut(true);
    return r;
}

PrintReport print_booking_receipt_now(Context& ctx, const Booking& booking) {
    PrintReport report;
    report.ticket_id = "booking:" + booking.code;
    auto spec = printer_spec(ctx);
    if (!spec) return report.message = spec.error().message, report;
    auto profile = printer::find_profile(spec->profile);
    if (!profile) return report.message = profile.error().message, report;
    auto transport = printer::open_transport(*spec);
    if (!transport) return report.message = transport.error().message, report;
    const auto receipt = make_booking_receipt(ctx.config, ctx.translator, booking, booking.lang);
    return send_receipt(**transport, *profile, receipt, report.ticket_id);
}

printer::Receipt make_agenda_printout(const SiteConfig& config, const Translator& tr, const Date& date,
                                      const std::vector<Booking>& bookings, Millis now, const std::string& lang) {
    using printer::Align;
    using printer::TextStyle;
    printer::Receipt r;
    if (!config.town.empty()) r.text(config.town, TextStyle{1, 1, true, false, false, Align::Center});
    r.text(config.office_name, TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    const long n = days_from_civil(date.year, date.month, date.day);
    const int weekday = static_cast<int>(((n % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday (3)
    const std::string day = tr.tr(lang, "weekday." + std::to_string(weekday)) + " " + two_digits(date.day) + "/" + two_digits(date.month) +
                            "/" + std::to_string(date.year);
    r.text(tr.tr(lang, "agenda.print.title", {{"date", day}}), TextStyle{1, 2, true, false, false, Align::Center});
    bool any = false;
    for (const BookableService& bs : config.booking.services) {
        std::vector<const Booking*> mine;
        for (const Booking& b : bookings)
            if (b.service == bs.id) mine.push_back(&b);
        if (mine.empty()) continue;
        any = true;
        std::stable_sort(mine.begin(), mine.end(), [](const Booking* a, const Booking* b) { return a->slot < b->slot; });
        const Sector* sector = config.find_sector(bs.sector);
        const Service* service = sector ? sector->find_service(bs.service) : nullptr;
        r.rule();
        r.text(service ? service->name.get(lang) : bs.id, TextStyle{1, 1, true, false, false, Align::Left});
        for (const Booking* b : mine) {
            const LocalTime at = config.timezone.to_local(b->slot);
            // Masked as on every paper: the agenda may lie on a desk the public can see.
            r.text(two_digits(at.hour) + ":" + two_digits(at.minute) + "  " + format_booking_code(b->code) + "  " + mask_name(b->name) + "  " +
                       tr.tr(lang, "booking.status." + std::string(to_string(status_at(*b, now, config)))),
                   TextStyle{});
        }
    }
    if (!any) r.text(tr.tr(lang, "agenda.print.none"), TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    const LocalTime printed = config.timezone.to_local(now);
    r.text(tr.tr(lang, "agenda.print.printed", {{"date", two_digits(printed.date.day) + "/" + two_digits(printed.date.month) + "/" +
                                                               std::to_string(printed.date.year)},
                                                   {"time", two_digits(printed.hour) + ":" + two_digits(printed.minute)}}),
           TextStyle{1, 1, false, false, false, Align::Right});
    r.feed(2);
    r.cut(true);
    return r;
}

PrintReport print_agenda_now(Context& ctx, const Date& date, const std::string& service) {
    PrintReport report;
    report.ticket_id = "agenda:" + date.iso();
    if (!ctx.office) return report.message = "no office is open", report;
    std::vector<Booking> day;
    ctx.office->read([&](const OfficeState& s) {
        for (const Booking* b : s.agenda().on_day(date.key(), ctx.config))
            if (service.empty() || b->service == service) day.push_back(*b);
    });
    auto spec = printer_spec(ctx);
    if (!spec) return report.message = spec.error().message, report;
    auto profile = printer::find_profile(spec->profile);
    if (!profile) return report.message = profile.error().message, report;
    auto transport = printer::open_transport(*spec);
    if (!transport) return report.message = transport.error().message, report;
    const auto receipt =
        make_agenda_printout(ctx.config, ctx.translator, date, day, ctx.office->clock().now(), ctx.config.languages.front());
    return send_receipt(**transport, *profile, receipt, report.ticket_id);
}

printer::Receipt make_closure_call_list(const SiteConfig& config, const Translator& tr, const Date& date,
                                        const std::string& reason, const ClosureOutcome& outcome, Millis now,
                                        const std::string& lang) {
    using printer::Align;
    using printer::TextStyle;
    printer::Receipt r;
    if (!config.town.empty()) r.text(config.town, TextStyle{1, 1, true, false, false, Align::Center});
    r.text(config.office_name, TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    const std::string day = two_digits(date.day) + "/" + two_digits(date.month) + "/" + std::to_string(date.year);
    r.text(tr.tr(lang, "closure.print.title", {{"date", day}}), TextStyle{1, 2, true, false, false, Align::Center});
    r.text(reason, TextStyle{1, 1, false, false, false, Align::Center});
    const auto hm = [&](Millis t) {
        const LocalTime at = config.timezone.to_local(t);
        return two_digits(at.hour) + ":" + two_digits(at.minute);
    };
    if (!outcome.moved.empty()) {
        r.rule();
        r.text(tr.tr(lang, "closure.print.moved"), TextStyle{1, 1, true, false, false, Align::Left});
        for (const auto& m : outcome.moved) {
            const LocalTime to = config.timezone.to_local(m.booking.slot);
            // Masked as on every paper; "->" because not every printer code page has an arrow.
            r.text(hm(m.from) + " -> " + two_digits(to.date.day) + "/" + two_digits(to.date.month) + " " + hm(m.booking.slot) + "  " +
                       format_booking_code(m.booking.code) + "  " + mask_name(m.booking.name),
                   TextStyle{});
        }
    }
    if (!outcome.cancelled.empty()) {
        r.rule();
        r.text(tr.tr(lang, "closure.print.cancelled"), TextStyle{1, 1, true, false, false, Align::Left});
        for (const Booking& b : outcome.cancelled)
            r.text(hm(b.slot) + "  " + format_booking_code(b.code) + "  " + mask_name(b.name), TextStyle{});
    }
    if (outcome.moved.empty() && outcome.cancelled.empty())
        r.text(tr.tr(lang, "closure.print.none"), TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    const LocalTime printed = config.timezone.to_local(now);
    r.text(tr.tr(lang, "agenda.print.printed", {{"date", two_digits(printed.date.day) + "/" + two_digits(printed.date.month) + "/" +
                                                               std::to_string(printed.date.year)},
                                                   {"time", two_digits(printed.hour) + ":" + two_digits(printed.minute)}}),
           TextStyle{1, 1, false, false, false, Align::Right});
    r.feed(2);
    r.cut(true);
    return r;
}

PrintReport print_closure_call_list_now(Context& ctx, const Date& date, const std::string& reason, const ClosureOutcome& outcome) {
    PrintReport report;
    report.ticket_id = "closure:" + date.iso();
    if (!ctx.office) return report.message = "no office is open", report;
    auto spec = printer_spec(ctx);
    if (!spec) return report.message = spec.error().message, report;
    auto profile = printer::find_profile(spec->profile);
    if (!profile) return report.message = profile.error().message, report;
    auto transport = printer::open_transport(*spec);
    if (!transport) return report.message = transport.error().message, report;
    const auto receipt = make_closure_call_list(ctx.config, ctx.translator, date, reason, outcome, ctx.office->clock().now(),
                                                ctx.config.languages.front());
    return send_receipt(**transport, *profile, receipt, report.ticket_id);
}

PrintReport print_ticket_now(Context& ctx, const IssuedTicket& issued) {
    PrintReport report;
    report.ticket_id = issued.ticket.id;
    auto spec = printer_spec(ctx);
    if (!spec) return report.message = spec.error().message, report;
    auto profile = printer::find_profile(spec->profile);
    if (!profile) return report.message = profile.error().message, report;
    auto transport = printer::open_transport(*spec);
    if (!transport) return report.message = transport.error().message, report;
    const auto receipt = make_ticket_receipt(ctx.config, ctx.translator, issued, issued.ticket.lang);
    return send_receipt(**transport, *profile, receipt, issued.ticket.id);
}

PrintSpooler::PrintSpooler(Context& ctx, std::function<void(const PrintReport&)> on_done,
                           std::chrono::milliseconds retry_interval, std::chrono::milliseconds retry_window)
    : ctx_(ctx), on_done_(std::move(on_done)), retry_interval_(retry_interval), retry_window_(retry_window) {
    auto spec = printer_spec(ctx);
    if (spec) {
        auto transport = printer::open_transport(*spec);
        if (transport) transport_ = std::move(*transport);
        else transport_error_ = transport.error().message;
    } else {
        transport_error_ = spec.error().message;
    }
    worker_ = std::thread([this] { run(); });
}

PrintSpooler::PrintSpooler(Context& ctx, std::unique_ptr<printer::Transport> transport,
                           std::function<void(const PrintReport&)> on_done, std::chrono::milliseconds retry_interval,
                           std::chrono::milliseconds retry_window)
    : ctx_(ctx), on_done_(std::move(on_done)), transport_(std::move(transport)), retry_interval_(retry_interval),
      retry_window_(retry_window) {
    worker_ = std::thread([this] { run(); });
}

PrintSpooler::~PrintSpooler() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

void PrintSpooler::submit(const IssuedTicket& issued, const std::string& lang) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back({issued.ticket.id, issued, std::nullopt, lang});
    }
    wake_.notify_one();
}

void PrintSpooler::submit(std::string id, printer::Receipt receipt) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back({std::move(id), std::nullopt, std::move(receipt), {}});
    }
    wake_.notify_one();
}

printer::PrinterStatus PrintSpooler::last_status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

std::size_t PrintSpooler::pending() const {
    std::lock_guard lock(mutex_);
    return unprinted_.size();
}

void PrintSpooler::keep_care(const std::string& role) {
    auto counter = std::make_unique<PaperCounter>(printer_care_file(ctx_.data_dir, role, "paper"));
    const auto file = printer_care_file(ctx_.data_dir, role, "profile");
    std::string chosen = read_chosen_profile(file);
    std::lock_guard lock(mutex_);
    paper_ = std::move(counter);
    profile_file_ = file;
    chosen_profile_ = std::move(chosen);
}

PaperCount PrintSpooler::paper_count() const {
    const int day = ctx_.config.timezone.day_key(ctx_.clock.now());
    std::lock_guard lock(mutex_);
    return paper_ ? paper_->read(day) : PaperCount{day};
}

void PrintSpooler::paper_changed() {
    const Millis now = ctx_.clock.now();
    std::lock_guard lock(mutex_);
    if (paper_) paper_->paper_changed(now, ctx_.config.timezone.day_key(now));
}

std::string PrintSpooler::profile_id() const {
    {
        std::lock_guard lock(mutex_);
        if (!chosen_profile_.empty()) return chosen_profile_;
    }
    auto spec = printer_spec(ctx_);
    return spec ? spec->profile : ctx_.config.printer.profile;
}

Result<void> PrintSpooler::choose_profile(const std::string& id) {
    std::filesystem::path file;
    {
        std::lock_guard lock(mutex_);
        file = profile_file_;
    }
    if (file.empty()) return Error{"this program keeps no printer settings"};
    if (auto r = write_chosen_profile(file, id); !r) return r;
    std::lock_guard lock(mutex_);
    chosen_profile_ = id;
    return {};
}

std::optional<PrintSpooler::LastTicket> PrintSpooler::last_ticket() const {
    std::lock_guard lock(mutex_);
    return last_ticket_;
}

PrintReport PrintSpooler::attempt(Unprinted& u) {
    PrintReport report;
    report.ticket_id = u.ticket_id;
    const auto outcome = u.job->send_via(*transport_);
    report.printed = outcome.printed;
    report.message = outcome.printed ? std::string() : outcome.reason;
    if (auto* emulated = dynamic_cast<printer::EmulatedTransport*>(transport_.get())) report.preview_png = emulated->png_path();
    std::lock_guard lock(mutex_);
    status_ = outcome.status.known ? outcome.status : transport_->status();
    report.status = status_;
    if (outcome.printed) {
        if (paper_) paper_->printed(ctx_.config.timezone.day_key(ctx_.clock.now()));
        if (!u.ticket_label.empty() && u.profile) last_ticket_ = LastTicket{u.ticket_id, u.ticket_label, u.job->bytes(), *u.profile};
    }
    return report;
}

void PrintSpooler::run() {
    auto spec = printer_spec(ctx_);
    const std::string configured = spec ? spec->profile : ctx_.config.printer.profile;
    for (;;) {
        std::optional<Job> job;
        {
            std::unique_lock lock(mutex_);
            const auto has_work = [this] { return stop_ || !jobs_.empty(); };
            if (unprinted_.empty()) wake_.wait(lock, has_work);
            else wake_.wait_for(lock, retry_interval_, has_work);
            if (stop_ && jobs_.empty()) return;
            if (!jobs_.empty()) {
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
        }
        // Only this thread changes unprinted_; it does so under the mutex, and before it reports,
        // so that pending() agrees with every report already delivered.
        if (!job) {  // a retry round: oldest first, stop at the first that still fails
            const auto now = std::chrono::steady_clock::now();
            std::vector<std::string> dropped;
            {
                std::lock_guard lock(mutex_);
                while (!unprinted_.empty() && now - unprinted_.front().first_try > retry_window_) {
                    dropped.push_back(unprinted_.front().ticket_id);
                    unprinted_.pop_front();
                }
            }
            for (const auto& id : dropped) {  // said once, so a caller holding a claim can let it go
                PrintReport gone;
                gone.ticket_id = id;
                gone.message = "not printed within the retry window";
                gone.given_up = true;
                if (on_done_) on_done_(gone);
            }
            while (!unprinted_.empty()) {
                auto report = attempt(unprinted_.front());
                if (report.printed) {
                    std::lock_guard lock(mutex_);
                    unprinted_.pop_front();
                }
                if (on_done_) on_done_(report);
                if (!report.printed) break;
            }
            continue;
        }
        PrintReport report;
        report.ticket_id = job->id;
        report.given_up = true;  // unless the job is kept for retries below
        std::string chosen;
        {
            std::lock_guard lock(mutex_);
            chosen = chosen_profile_;
        }
        auto profile = printer::find_profile(chosen.empty() ? configured : chosen);
        if (!transport_) {
            report.message = transport_error_;
        } else if (!profile) {
            report.message = profile.error().message;
        } else {
            const auto receipt = job->made ? std::move(*job->made)
                                           : make_ticket_receipt(ctx_.config, ctx_.translator, *job->issued, job->lang);
            auto bytes = encode_for_paper(*profile, receipt);
            if (!bytes) {
                report.message = bytes.error().message;
            } else {
                Unprinted u{job->id, std::make_unique<printer::PrintJob>(std::move(*bytes), job->id),
                            std::chrono::steady_clock::now(), job->issued ? job->issued->ticket.label : std::string(),
                            job->issued ? std::make_shared<const printer::Profile>(*profile) : nullptr};
                // Keep the order of the paper: while older tickets wait, a new one waits behind them.
                if (unprinted_.empty()) report = attempt(u);
                else report.message = "waiting for the printer";
                report.given_up = false;
                if (!report.printed) {
                    std::lock_guard lock(mutex_);
                    unprinted_.push_back(std::move(u));
                }
            }
        }
        if (on_done_) on_done_(report);
    }
}

}  // namespace csc::app
