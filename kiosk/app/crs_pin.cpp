#include "kiosk/app/crs_pin.hpp"

#include <sys/prctl.h>

#include <algorithm>
#include <cstdio>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "kiosk/app/booking.hpp"
#include "kiosk/app/printing/paper_text.hpp"
#include "shared/booking/fiscal_code.hpp"
#include "shared/person/identity_document.hpp"
#include "shared/text_check.hpp"
#include "shared/office_time.hpp"

namespace csc::app {

namespace {

constexpr int kPinLength = 5;  // the regional application's PIN and PUK lengths (notes: 5 and 8)
constexpr int kPukLength = 8;

std::string date_and_place(const SiteConfig& config, const Translator& tr, const std::string& lang, Millis now) {
    const LocalTime t = config.timezone.to_local(now);
    return tr.tr(lang, "crs_pin.receipt.issued",
                 {{"place", config.town.empty() ? config.office_name : config.town},
                  {"date", two_digits(t.date.day) + "/" + two_digits(t.date.month) + "/" + std::to_string(t.date.year)},
                  {"time", two_digits(t.hour) + ":" + two_digits(t.minute)}});
}

// The digits as printed: one text element holding only them, built in place in a string that
// fits the small-string buffer (no heap copy) and wiped with the receipt. 4 times as large,
// which the narrowest paper (58 mm: 32 characters of font A) holds for 8 characters: up to 4
// digits spaced for reading aloud ("4 7"), up to 8 unspaced; more get narrower (never seen: the
// configuration allows at most 7).
void add_digits(printer::Receipt& r, const SecretDigits& digits) {
    constexpr std::size_t kColumns = 32, kScale = 4;
    const std::string_view d = digits.reveal();
    const bool spaced = 2 * d.size() - 1 <= kColumns / kScale;
    std::string text;
    text.reserve(2 * SecretDigits::kCapacity);
    for (char c : d) {
        if (spaced && !text.empty()) text.push_back(' ');
        text.push_back(c);
    }
    const int width = static_cast<int>(std::clamp<std::size_t>(kColumns / std::max<std::size_t>(text.size(), 1), 1, kScale));
    r.text(std::move(text), printer::TextStyle{width, 4, true, false, false, printer::Align::Center});
}

// Sends one job and wipes its bytes, whatever happened: the CRS PIN receipt's bytes must not
// outlive the job (PrintJob would otherwise keep them for a retry, as tickets do).
PrintReport send_and_wipe(printer::Transport& transport, const printer::Profile& profile, printer::Receipt& receipt,
                          const std::string& id) {
    PrintReport report;
    report.ticket_id = id;
    // Lines in a script the printer lacks become images (never the digits: ASCII); the copy that
    // holds them is wiped like the receipt.
    printer::Receipt printable = printable_receipt(profile, receipt);
    receipt.wipe();
    auto bytes = printer::EscposEncoder(profile).encode(printable);
    printable.wipe();
    if (!bytes) {
        report.message = bytes.error().message;
        return report;
    }
    printer::PrintJob job(std::move(*bytes), id);
    const auto outcome = job.send_via(transport);
    job.wipe();
    report.printed = outcome.printed;
    report.message = outcome.printed ? std::string() : outcome.reason;
    report.status = outcome.status;
    if (auto* emulated = dynamic_cast<printer::EmulatedTransport*>(&transport)) report.preview_png = emulated->png_path();
    return report;
}

}  // namespace

std::string mask_contact(std::string_view contact) {
    const std::string c = trim_blanks(contact);
    std::string out;
    if (const auto at = c.find('@'); at != std::string::npos) {
        // Each part keeps its first character; dots and the @ stay.
        bool first = true;
        for (char ch : c) {
            if (ch == '@' || ch == '.') {
                out += ch;
                first = true;
            } else if (first) {
                out += ch;
                first = false;
            } else {
                out += '*';
            }
        }
        return out;
    }
    int digits = 0;
    for (char ch : c) digits += ch >= '0' && ch <= '9';
    int seen = 0;
    for (char ch : c) {
        if (ch >= '0' && ch <= '9') out += ++seen > digits - 3 ? ch : '*';
        else out += ch;
    }
    return out;
}

Result<CheckedCrsPin> check_crs_pin_request(const Office& office, const CrsPinRequest& request, const CrsPinDigits& digits) {
    const SiteConfig& cfg = office.config();
    CheckedCrsPin out;
    auto cf = parse_fiscal_code(request.fiscal_code);
    if (!cf) return cf.error();
    out.fiscal_code = cf->code;
    const Date today = cfg.timezone.to_local(office.clock().now()).date;
    auto doc = check_identity_document(request.document_type, request.document_number, request.document_expiry, today,
                                       cfg.crs_pin.documents);
    if (!doc) return doc.error();
    out.document_type = doc->type;
    out.document_tail = doc->tail();
    if (!known_crs_pin_relation(request.relation))
        return fail_as("input.crs_pin.relation", "the relation to the card's holder must be holder, guardian or delegate",
                       {{"relation", std::string(request.relation.substr(0, 20))}});
    out.relation = request.relation;
    if (out.relation != "holder") {
        out.form_reference = trim_blanks(request.form_reference);
        if (out.form_reference.empty())
            return fail_as("input.crs_pin.form",
                           "a " + out.relation + " needs the signed form: give its reference (the form's number or protocol)",
                           {{"relation", out.relation}});
        if (auto bad = text_problem(out.form_reference, 60); !bad.empty())
            return fail_as("input.crs_pin.form", "the form's reference " + bad, {{"relation", out.relation}});
    }
    const std::string contact = trim_blanks(request.contact);
    if (contact.empty())
        return fail_as("input.crs_pin.contact", "say where the other digits arrive: the citizen's mobile number or e-mail");
    auto clean = clean_contact(contact);
    if (!clean) return fail_as("input.crs_pin.contact", clean.error().message);
    out.contact_is_email = clean->find('@') != std::string::npos;
    out.contact_masked = mask_contact(*clean);
    out.lang = request.lang.empty() ? cfg.languages.front() : request.lang;
    if (std::find(cfg.languages.begin(), cfg.languages.end(), out.lang) == cfg.languages.end())
        return fail_as("input.lang", "language \"" + out.lang.substr(0, 8) + "\" is not one of the office's", {{"lang", out.lang.substr(0, 8)}});
    out.office_copy = request.office_copy.value_or(cfg.crs_pin.office_copy);
    out.digits = cfg.crs_pin.digits;
    // How many digits, never which.
    auto count_ok = [&](const SecretDigits& d, int wanted, const char* what) -> Result<void> {
        if (static_cast<int>(d.size()) == wanted) return {};
        return fail_as("input.crs_pin.digits",
                       std::string("type the first ") + std::to_string(wanted) + " digits of the " + what + " (" +
                           std::to_string(d.size()) + " typed)",
                       {{"what", what}, {"count", std::to_string(wanted)}});
    };
    if (out.digits) {
        if (auto r = count_ok(digits.pin, cfg.crs_pin.pin_digits, "PIN"); !r) return r.error();
        if (auto r = count_ok(digits.puk, cfg.crs_pin.puk_digits, "PUK"); !r) return r.error();
    } else if (!digits.pin.empty() || !digits.puk.empty()) {
        return fail_as("input.crs_pin.digits_off", "this office prints no digits ([crs_pin] digits = false): type none");
    }
    return out;
}

printer::Receipt make_crs_pin_receipt(const SiteConfig& config, const Translator& tr, const CheckedCrsPin& c,
                                      const CrsPinDigits* digits, Millis now) {
    using printer::Align;
    using printer::TextStyle;
    const std::string& lang = c.lang;
    printer::Receipt r;
    r.reserve(48);  // no reallocation once the digits are in: no stale copy of them in freed memory
    if (!config.town.empty()) r.text(config.town, TextStyle{1, 1, true, false, false, Align::Center});
    r.text(config.office_name, TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    r.text(tr.tr(lang, "crs_pin.receipt.title"), TextStyle{2, 2, true, false, false, Align::Center});
    r.feed(1);
    const bool with_digits = c.digits && digits && !digits->pin.empty() && !digits->puk.empty();
    const int pin_first = with_digits ? static_cast<int>(digits->pin.size()) : config.crs_pin.pin_digits;
    const int puk_first = with_digits ? static_cast<int>(digits->puk.size()) : config.crs_pin.puk_digits;
    if (with_digits) {
        r.text(tr.tr_count(lang, "crs_pin.receipt.pin_first", pin_first),
               TextStyle{1, 1, true, false, false, Align::Center});
        add_digits(r, digits->pin);
        r.feed(1);
        r.text(tr.tr_count(lang, "crs_pin.receipt.puk_first", puk_first),
               TextStyle{1, 1, true, false, false, Align::Center});
        add_digits(r, digits->puk);
    } else {
        // Digits turned off: the operator tells them; the citizen writes them down here.
        r.text(tr.tr(lang, "crs_pin.receipt.told", {{"pin", tr.tr_count(lang, "crs_pin.receipt.told_pin", pin_first)},
                                                   {"puk", tr.tr_count(lang, "crs_pin.receipt.told_puk", puk_first)}}),
               TextStyle{1, 1, false, false, false, Align::Left});
        r.text(tr.tr(lang, "crs_pin.receipt.write_pin"), TextStyle{1, 2, true, false, false, Align::Left});
        r.text(tr.tr(lang, "crs_pin.receipt.write_puk"), TextStyle{1, 2, true, false, false, Align::Left});
    }
    r.rule();
    // Counted with the catalogue's plural forms: "L'ultima cifra del PIN", never "Le altre 1 cifre".
    const ErrorArgs rest{{"pin", tr.tr_count(lang, "crs_pin.receipt.rest_pin", kPinLength - pin_first)},
                         {"puk", tr.tr_count(lang, "crs_pin.receipt.rest_puk", kPukLength - puk_first)},
                         {"contact", c.contact_masked}};
    r.text(tr.tr(lang, c.contact_is_email ? "crs_pin.receipt.rest.email" : "crs_pin.receipt.rest.sms", rest),
           TextStyle{1, 1, true, false, false, Align::Left});
    r.text(tr.tr(lang, "crs_pin.receipt.join"), TextStyle{1, 1, false, false, false, Align::Left});
    r.feed(1);
    r.text(tr.tr(lang, "crs_pin.receipt.not_arrived"), TextStyle{1, 1, false, false, false, Align::Left});
    if (const auto& contacts = config.crs_pin.contacts.get(lang); !contacts.empty())
        r.text(tr.tr(lang, "crs_pin.receipt.contacts", {{"contacts", contacts}}), TextStyle{1, 1, false, false, false, Align::Left});
    r.feed(1);
    r.text(tr.tr(lang, "crs_pin.receipt.keep"), TextStyle{1, 1, true, false, false, Align::Left});
    r.rule();
    r.text(date_and_place(config, tr, lang, now), TextStyle{1, 1, false, false, false, Align::Center});
    r.feed(2);
    r.cut(true);
    return r;
}

printer::Receipt make_crs_pin_office_copy(const SiteConfig& config, const Translator& tr, const CheckedCrsPin& c, Millis now) {
    using printer::Align;
    using printer::TextStyle;
    const std::string& lang = config.languages.front();  // the office's paper, in the office's language
    printer::Receipt r;
    if (!config.town.empty()) r.text(config.town, TextStyle{1, 1, true, false, false, Align::Center});
    r.text(config.office_name, TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    r.text(tr.tr(lang, "crs_pin.copy.title"), TextStyle{1, 2, true, false, false, Align::Center});
    r.text(tr.tr(lang, "crs_pin.copy.no_digits"), TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    r.text(tr.tr(lang, "crs_pin.copy.fiscal_code", {{"code", c.fiscal_code}}), TextStyle{1, 1, false, false, false, Align::Left});
    const DocumentKind* kind = find_document_kind(c.document_type);
    r.text(tr.tr(lang, "crs_pin.copy.document",
                 {{"type", kind ? tr.tr(lang, kind->name_key) : c.document_type}, {"tail", c.document_tail}}),
           TextStyle{1, 1, false, false, false, Align::Left});
    r.text(tr.tr(lang, "crs_pin.copy.relation." + c.relation, {{"form", c.form_reference}}),
           TextStyle{1, 1, false, false, false, Align::Left});
    r.text(tr.tr(lang, "crs_pin.copy.contact", {{"contact", c.contact_masked}}), TextStyle{1, 1, false, false, false, Align::Left});
    if (!c.staff.empty())
        r.text(tr.tr(lang, "crs_pin.copy.staff", {{"name", c.staff}}), TextStyle{1, 1, false, false, false, Align::Left});
    r.feed(1);
    r.text(tr.tr(lang, "crs_pin.copy.declaration"), TextStyle{1, 1, false, false, false, Align::Left});
    r.feed(2);
    r.text(tr.tr(lang, "crs_pin.copy.signature"), TextStyle{1, 1, false, false, false, Align::Left});
    r.rule();
    r.text(date_and_place(config, tr, lang, now), TextStyle{1, 1, false, false, false, Align::Center});
    r.feed(2);
    r.cut(true);
    return r;
}

Result<CrsPinOutcome> release_crs_pin(Context& ctx, printer::Transport& transport, const printer::Profile& profile,
                                      const CrsPinRequest& request, CrsPinDigits& digits, const std::string& by) {
    Office& office = *ctx.office;
    const auto member = office.find_staff(by);
    if (!member || !member->has_role("infopoint"))
        return fail_as("input.staff", "\"" + by.substr(0, 60) + "\" is not a staff member of the info point",
                       {{"name", by.substr(0, 60)}});
    auto checked = check_crs_pin_request(office, request, digits);
    if (!checked) return checked.error();
    checked->staff = member->name;
    // Nothing printed when nothing could be recorded afterwards (the clock cannot be right).
    if (auto alarm = office.clock_alarm(); !alarm.empty()) return fail_as("clock", alarm);
    // Freed copies the encoder made of the digits cannot be wiped one by one: from the first
    // release on, this process writes no core dump and cannot be ptrace-attached by its user.
    if (checked->digits) (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    const Millis now = office.clock().now();
    CrsPinOutcome out;
    {
        auto receipt = make_crs_pin_receipt(ctx.config, ctx.translator, *checked, &digits, now);
        out.receipt = send_and_wipe(transport, profile, receipt, "crs-pin");
    }
    if (!out.receipt.printed)
        return fail_as("printer", "the PIN receipt did not print (" + out.receipt.message + "): nothing was recorded; try again",
                       {{"reason", out.receipt.message}});
    digits.pin.wipe();
    digits.puk.wipe();
    if (checked->office_copy) {
        auto copy = make_crs_pin_office_copy(ctx.config, ctx.translator, *checked, now);
        out.office_copy = send_and_wipe(transport, profile, copy, "crs-pin-office-copy");
    }
    CrsPinReleased body{checked->document_type, checked->document_tail, checked->relation, checked->form_reference,
                        checked->digits, out.office_copy && out.office_copy->printed};
    auto recorded = office.record(body, member->name);
    if (!recorded)
        return fail_as(recorded.error().code, "the PIN receipt printed but the register could not record it: " +
                                                  recorded.error().message, recorded.error().args);
    out.event_id = recorded->ticket_id;
    return out;
}

Result<CrsPinOutcome> release_crs_pin(Context& ctx, const CrsPinRequest& request, CrsPinDigits& digits, const std::string& by,
                                      std::string_view own_printer) {
    // Bad input first: it is the same error whatever the printer.
    if (auto checked = check_crs_pin_request(*ctx.office, request, digits); !checked) return checked.error();
    auto spec = printer_spec(ctx, own_printer);
    if (!spec) return fail_as("printer", spec.error().message);
    // The emulated printer's PNG and the file transport keep the paper on disk. With digits,
    // only when that file was named for this very run (a test, a demo), never by default.
    const std::string& option = ctx.options.printer;
    const bool named_file = option.rfind("emulated:", 0) == 0 || option.rfind("file:", 0) == 0;
    if (ctx.config.crs_pin.digits && (spec->kind == "emulated" || spec->kind == "file") && !named_file)
        return fail_as("crs_pin.printer_keeps_files",
                       "the " + spec->kind + " printer keeps the paper as a file, so it may not print PIN digits: attach the "
                       "printer, or set [crs_pin] digits = false");
    auto profile = printer::find_profile(spec->profile);
    if (!profile) return fail_as("printer", profile.error().message);
    auto transport = printer::open_transport(*spec);
    if (!transport) return fail_as("printer", transport.error().message);
    return release_crs_pin(ctx, **transport, *profile, request, digits, by);
}

}  // namespace csc::app
