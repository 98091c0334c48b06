// `kiosk crs-pin`, `kiosk forms list|slip|handed-out`, `kiosk bring-slip`: the Info Point's
// actions from a terminal or a script (kiosk/app/crs_pin.hpp, forms.hpp, bring_slip.hpp;
// docs/INFOPOINT.md). The PIN and PUK digits are read from standard input (without echo on a
// terminal, one line each from a pipe), never from the command line (visible to `ps`), and
// never printed, logged or put in the JSON. Exit codes: 0 done, 2 bad input, 1 the printer or
// anything else (the reason on stderr), 8 clock alarm; the store's own codes as every command.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kiosk/app/bring_slip.hpp"
#include "kiosk/app/crs_pin.hpp"
#include "kiosk/app/forms.hpp"
#include "kiosk/app/lan_session.hpp"
#include "kiosk/cli/cli_common.hpp"
#include "kiosk/cli/commands.hpp"
#include "shared/text_check.hpp"

namespace csc::cli {

using namespace csc::app;

namespace {

struct InfopointArgs {
    CrsPinRequest pin;
    bool office_copy = false, no_office_copy = false;
    std::string service, id, by, lang;
    int copies = 1;
    bool json = false;
};

nlohmann::json print_json(const PrintReport& r) {
    nlohmann::json j{{"printed", r.printed}, {"message", r.message}};
    if (!r.preview_png.empty()) j["preview_png"] = r.preview_png.string();
    return j;
}

// One line of digits from standard input straight into `out`, byte by byte (no std::string
// ever holds them); on a terminal without echo, after a prompt on stderr.
Result<void> read_digits_line(SecretDigits& out, const char* prompt) {
    const bool tty = isatty(STDIN_FILENO) != 0;
    termios old{};
    if (tty) {
        std::cerr << prompt << std::flush;
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    out.wipe();
    bool bad = false, any = false;
    int position = 0;
    char c = 0;
    while (::read(STDIN_FILENO, &c, 1) == 1) {
        any = true;
        if (c == '\n') break;
        if (c == '\r' || c == ' ') continue;
        ++position;
        if (!bad && !out.push(c)) bad = true;  // keep reading to the end of the line, keep nothing
    }
    c = 0;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << '\n';
    }
    if (bad) {
        out.wipe();
        return fail_as("input.digits", "only digits can be typed here", {{"position", std::to_string(position)}});
    }
    if (!any) return fail_as("input.crs_pin.digits", "no digits on standard input (pipe them: one line for the PIN, one for the PUK)");
    return {};
}

int crs_pin(const GlobalOptions& options, InfopointArgs& a) {
    auto ctx = open_context(options);
    if (!ctx) return report_error(ctx.error());
    auto lan = start_lan_session(**ctx, 3000);
    if (!lan) return report_error(lan.error());
    if (a.office_copy) a.pin.office_copy = true;
    if (a.no_office_copy) a.pin.office_copy = false;
    for (auto* text : {&a.pin.fiscal_code, &a.pin.document_number, &a.pin.form_reference, &a.pin.contact})
        *text = utf8_from_terminal(*text);
    CrsPinDigits digits;
    const auto& cfg = (*ctx)->config.crs_pin;
    if (cfg.digits) {
        const std::string pin_prompt = "First " + std::to_string(cfg.pin_digits) + " digits of the PIN: ";
        const std::string puk_prompt = "First " + std::to_string(cfg.puk_digits) + " digits of the PUK: ";
        if (auto r = read_digits_line(digits.pin, pin_prompt.c_str()); !r) return report_error(r.error());
        if (auto r = read_digits_line(digits.puk, puk_prompt.c_str()); !r) return report_error(r.error());
    }
    auto out = release_crs_pin(**ctx, a.pin, digits, a.by);
    if (!out) return report_error(out.error());
    if (*lan)
        if (auto why = (*lan)->publish_now((*ctx)->config.sync.confirm_timeout_ms + 1000); !why.empty())
            std::cerr << "kiosk: the release stays queued on this device (" << why << ")\n";
    if (a.json) {
        nlohmann::json j{{"event", out->event_id}, {"receipt", print_json(out->receipt)}};
        if (out->office_copy) j["office_copy"] = print_json(*out->office_copy);
        std::cout << j.dump() << '\n';
    } else {
        std::cout << "PIN receipt printed; recorded as " << out->event_id << '\n';
        if (out->office_copy && !out->office_copy->printed)
            std::cerr << "kiosk: the office copy did not print: " << out->office_copy->message << '\n';
    }
    return 0;
}

int forms_list(const GlobalOptions& options, const InfopointArgs& a) {
    auto ctx = load_context(options);
    if (!ctx) return report_error(ctx.error());
    auto forms = list_forms(**ctx, a.service, a.lang);
    if (!forms) return report_error(forms.error());
    if (a.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& f : *forms)
            list.push_back({{"id", f.id},
                            {"sector", f.sector},
                            {"service", f.service},
                            {"title", f.title},
                            {"description", f.description},
                            {"hand_in", f.hand_in},
                            {"file", f.file.string()},
                            {"url", f.url},
                            {"version", f.version}});
        std::cout << nlohmann::json{{"forms", list}}.dump() << '\n';
    } else {
        for (const auto& f : *forms) std::cout << f.id << "  " << f.title << "  (" << f.version << ")\n";
    }
    return 0;
}

int forms_slip(const GlobalOptions& options, const InfopointArgs& a) {
    auto ctx = load_context(options);
    if (!ctx) return report_error(ctx.error());
    auto printed = print_form_slip(**ctx, a.id, a.lang);
    if (!printed) return report_error(printed.error());
    if (a.json) std::cout << print_json(*printed).dump() << '\n';
    if (!printed->printed) return report_error(fail_as("printer", "the form slip did not print: " + printed->message));
    return 0;
}

int forms_handed_out(const GlobalOptions& options, const InfopointArgs& a) {
    auto ctx = open_context(options);
    if (!ctx) return report_error(ctx.error());
    auto lan = start_lan_session(**ctx, 3000);
    if (!lan) return report_error(lan.error());
    auto id = record_form_handed_out(**ctx, a.id, a.copies, utf8_from_terminal(a.by));
    if (!id) return report_error(id.error());
    if (*lan) (void)(*lan)->publish_now((*ctx)->config.sync.confirm_timeout_ms + 1000);
    if (a.json) std::cout << nlohmann::json{{"event", *id}, {"form", a.id}, {"copies", a.copies}}.dump() << '\n';
    else std::cout << "recorded as " << *id << '\n';
    return 0;
}

int bring_slip(const GlobalOptions& options, const InfopointArgs& a, bool no_print) {
    auto ctx = load_context(options);
    if (!ctx) return report_error(ctx.error());
    auto slip = bring_slip_for(**ctx, a.service, a.lang);
    if (!slip) return report_error(slip.error());
    PrintReport printed;
    if (!no_print) {
        auto r = print_bring_slip(**ctx, a.service, a.lang);
        if (!r) return report_error(r.error());
        printed = *r;
    }
    if (a.json) {
        nlohmann::json forms = nlohmann::json::array();
        for (const auto& f : slip->forms) forms.push_back({{"id", f.id}, {"title", f.title}, {"url", f.url}});
        nlohmann::json j{{"service", slip->service}, {"title", slip->title}, {"items", slip->items}, {"forms", forms}};
        if (!no_print) j["print"] = print_json(printed);
        std::cout << j.dump() << '\n';
    } else {
        std::cout << slip->title << '\n';
        for (const auto& i : slip->items) std::cout << "  - " << i << '\n';
    }
    if (!no_print && !printed.printed) return report_error(fail_as("printer", "the slip did not print: " + printed.message));
    return 0;
}

}  // namespace

void add_infopoint_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto args = std::make_shared<InfopointArgs>();

    auto* pin = app.add_subcommand("crs-pin",
                                   "release the first digits of a CRS/TS-CNS PIN and PUK (digits from standard input, never arguments)");
    pin->add_option("--fiscal-code", args->pin.fiscal_code, "the card holder's codice fiscale")->required();
    pin->add_option("--document-type", args->pin.document_type, "cie | carta-identita | passaporto | patente")->required();
    pin->add_option("--document-number", args->pin.document_number, "the identity document's number")->required();
    pin->add_option("--document-expiry", args->pin.document_expiry, "its expiry date, YYYY-MM-DD")->required();
    pin->add_option("--relation", args->pin.relation, "holder | guardian | delegate (default holder)");
    pin->add_option("--form-ref", args->pin.form_reference, "guardian/delegate: the signed form's reference");
    pin->add_option("--contact", args->pin.contact, "the mobile number or e-mail the other digits go to")->required();
    pin->add_option("--lang", args->pin.lang, "the citizen's language for the receipt");
    pin->add_flag("--office-copy", args->office_copy, "also print the office copy to sign");
    pin->add_flag("--no-office-copy", args->no_office_copy, "no office copy");
    pin->add_option("--by", args->by, "the info-point staff member")->required();
    pin->add_flag("--json", args->json, "JSON output (never a digit)");
    pin->callback([&options, &exit_code, args] { exit_code = crs_pin(options, *args); });

    auto* forms = app.add_subcommand("forms", "the forms catalogue (modulistica)");
    forms->require_subcommand(1);
    auto* list = forms->add_subcommand("list", "available forms, per service");
    list->add_option("--service", args->service, "a service, a sector or crs-pin (default: all)");
    list->add_option("--lang", args->lang, "language of the texts");
    list->add_flag("--json", args->json, "JSON output");
    list->callback([&options, &exit_code, args] { exit_code = forms_list(options, *args); });
    auto* slip = forms->add_subcommand("slip", "print a form's slip (title, QR of its address, where to hand it in)");
    slip->add_option("--id", args->id, "the form's id")->required();
    slip->add_option("--lang", args->lang, "language of the slip");
    slip->add_flag("--json", args->json, "JSON output");
    slip->callback([&options, &exit_code, args] { exit_code = forms_slip(options, *args); });
    auto* handed = forms->add_subcommand("handed-out", "record a form handed out on paper (counted)");
    handed->add_option("--id", args->id, "the form's id")->required();
    handed->add_option("--by", args->by, "the staff member who handed it out")->required();
    handed->add_option("--copies", args->copies, "how many copies (1-50, default 1)");
    handed->add_flag("--json", args->json, "JSON output");
    handed->callback([&options, &exit_code, args] { exit_code = forms_handed_out(options, *args); });

    auto no_print = std::make_shared<bool>(false);
    auto* bring = app.add_subcommand("bring-slip", "print what a citizen must bring for a service");
    bring->add_option("--service", args->service, "a service, a sector or crs-pin")->required();
    bring->add_option("--lang", args->lang, "the citizen's language");
    bring->add_flag("--no-print", *no_print, "only show it");
    bring->add_flag("--json", args->json, "JSON output");
    bring->callback([&options, &exit_code, args, no_print] { exit_code = bring_slip(options, *args, *no_print); });
}

}  // namespace csc::cli
