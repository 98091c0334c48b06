// `kiosk operator add|list|remove|set-pin|role`: the staff who may sign in (counter terminal,
// info point, service menu). They are events in the store (kiosk/app/staff.hpp), published to
// the office stream in LAN mode before the command returns. The PIN is read from standard
// input (typed twice without echo on a terminal, one line from a pipe), never from the command
// line, and never printed or logged.
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kiosk/cli/cli_common.hpp"
#include "kiosk/cli/commands.hpp"
#include "kiosk/app/lan_session.hpp"
#include "kiosk/app/staff.hpp"
#include "shared/text_check.hpp"

namespace csc::cli {

using namespace csc::app;  // the application layer these commands call

namespace {

struct OperatorArgs {
    std::string name;
    std::string roles;  // "counter,infopoint"
    bool replace = false;
    bool json = false;
};

// One line from stdin; on a terminal without echo, after a prompt on stderr.
std::optional<std::string> read_secret_line(const char* prompt) {
    const bool tty = isatty(STDIN_FILENO) != 0;
    termios old{};
    if (tty) {
        std::cerr << prompt << std::flush;
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    const bool ok = static_cast<bool>(std::getline(std::cin, line));
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << '\n';
    }
    if (!ok) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

void wipe(std::string& s) {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
    s.clear();
}

int fail_with(const std::string& message, int code = 1) {
    std::cerr << "kiosk: " << message << '\n';
    return code;
}

int fail_on(const Error& e) { return fail_with(e.message, exit_code_for(e)); }

// The office opened for a staff change, with the LAN link when [sync] is configured.

// LAN mode: the change reaches the other devices before the command returns, or it says so.
void publish(OpenedOffice& o, const std::string& what) {
    if (!o.lan) return;
    if (auto why = o.lan->publish_now(o.ctx->config.sync.confirm_timeout_ms + 1000); !why.empty())
        std::cerr << "kiosk: " << what << " stays queued on this device (" << why
                  << "): it reaches the other devices when the office network answers\n";
}

// Reads a new PIN (twice on a terminal); "" with `error` set on failure. The caller wipes it.
std::string read_new_pin(std::string& error) {
    auto pin = read_secret_line("PIN (4-12 digits): ");
    if (!pin) {
        error = "no PIN on standard input (type it, or pipe it: printf '%s\\n' \"$PIN\" | kiosk operator add ...)";
        return {};
    }
    if (auto r = check_pin_format(*pin); !r) {
        wipe(*pin);
        error = r.error().message;
        return {};
    }
    if (isatty(STDIN_FILENO)) {
        auto again = read_secret_line("PIN again: ");
        const bool same = again && *again == *pin;
        if (again) wipe(*again);
        if (!same) {
            wipe(*pin);
            error = "the two PINs differ: nothing changed";
            return {};
        }
    }
    return *pin;
}

nlohmann::json member_json(const StaffMember& m, const Office& office) {
    nlohmann::json j{{"name", m.name}, {"roles", m.roles}, {"pin_set", !m.pin_hash.empty()}};
    if (auto until = office.sign_in_locked_until(m.name)) j["locked_until"] = *until;
    return j;
}

int add_operator(const GlobalOptions& options, const OperatorArgs& given, bool change_pin_only) {
    // A Latin-1 terminal typing "Niccolò" sends Latin-1: stored as UTF-8; a name that would not
    // fit the sign-in screen, or carries control characters, is refused before anything else.
    const std::string name = utf8_from_terminal(given.name);
    if (name.empty()) return fail_with("the staff member's name is empty", 2);
    std::vector<std::string> roles;
    if (!given.roles.empty()) {
        auto parsed = parse_roles(given.roles);
        if (!parsed) return fail_on(parsed.error());
        roles = *parsed;
    } else if (!change_pin_only && !given.replace) {
        roles = {"counter"};  // `kiosk operator add` has always meant a counter operator
    }
    auto opened = open_office(options);
    if (!opened) return fail_on(opened.error());
    Office& office = *opened->ctx->office;
    const auto existing = office.find_staff(name);
    if (existing && !given.replace && !change_pin_only)
        return fail_with("staff member \"" + existing->name + "\" already exists (use set-pin to change the PIN, role to change roles)");
    if (!existing && change_pin_only) return fail_with("no staff member named \"" + name + "\"", 2);
    std::string error;
    std::string pin = read_new_pin(error);
    if (!error.empty()) return fail_with(error, 2);
    auto saved = save_staff(office, name, roles, pin, false, "kiosk operator");
    wipe(pin);
    if (!saved) return fail_on(saved.error());
    publish(*opened, "the change of \"" + saved->name + "\"");
    if (given.json) std::cout << member_json(*saved, office).dump() << '\n';
    else std::cout << "staff member \"" << saved->name << "\" saved in the office store (PIN hashed with argon2id)\n";
    return 0;
}

int set_roles(const GlobalOptions& options, const OperatorArgs& args) {
    auto roles = parse_roles(args.roles);
    if (!roles) return fail_on(roles.error());
    auto opened = open_office(options);
    if (!opened) return fail_on(opened.error());
    Office& office = *opened->ctx->office;
    if (!office.find_staff(utf8_from_terminal(args.name))) return fail_with("no staff member named \"" + utf8_from_terminal(args.name) + "\"", 2);
    auto saved = save_staff(office, utf8_from_terminal(args.name), *roles, {}, false, "kiosk operator");
    if (!saved) return fail_on(saved.error());
    publish(*opened, "the change of \"" + saved->name + "\"");
    if (args.json) std::cout << member_json(*saved, office).dump() << '\n';
    else {
        std::string list;
        for (const auto& r : saved->roles) list += (list.empty() ? "" : ", ") + r;
        std::cout << "staff member \"" << saved->name << "\": " << list << '\n';
    }
    return 0;
}

int list_operators(const GlobalOptions& options, const OperatorArgs& args) {
    // A reader: the store is opened read-only on one machine (LAN mode catches up first).
    auto loaded = load_context(options);
    if (!loaded) return fail_on(loaded.error());
    const bool lan_mode = (*loaded)->config.sync.enabled();
    auto ctx = open_context(options, lan_mode ? StoreAccess::ReadWrite : StoreAccess::ReadOnly);
    if (!ctx && (ctx.error().code == "store.missing" || ctx.error().code == "store.older")) ctx = open_context(options);
    if (!ctx) return fail_on(ctx.error());
    auto lan = start_lan_session(**ctx, 3000);
    if (!lan) return fail_on(lan.error());
    const Office& office = *(*ctx)->office;
    const auto members = office.staff();
    if (args.json) {
        nlohmann::json names = nlohmann::json::array(), list = nlohmann::json::array();
        for (const auto& m : members) {
            names.push_back(m.name);
            list.push_back(member_json(m, office));
        }
        std::cout << nlohmann::json{{"operators", names}, {"staff", list}}.dump() << '\n';
    } else {
        if (members.empty()) std::cout << "no staff (add one: kiosk operator add --name NAME [--role counter,infopoint,maintenance])\n";
        for (const auto& m : members) {
            std::string roles;
            for (const auto& r : m.roles) roles += (roles.empty() ? "" : ", ") + r;
            std::cout << m.name << " (" << roles << ")" << (office.sign_in_locked_until(m.name) ? " [sign-in locked]" : "") << '\n';
        }
    }
    return 0;
}

int remove_operator(const GlobalOptions& options, const OperatorArgs& args) {
    auto opened = open_office(options);
    if (!opened) return fail_on(opened.error());
    if (auto r = remove_staff(*opened->ctx->office, utf8_from_terminal(args.name), "kiosk operator"); !r) return fail_on(r.error());
    publish(*opened, "the removal of \"" + args.name + "\"");
    std::cout << "staff member \"" << utf8_from_terminal(args.name) << "\" removed\n";
    return 0;
}

}  // namespace

void add_operator_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto args = std::make_shared<OperatorArgs>();
    auto* op = app.add_subcommand("operator", "staff (counter operators, info point, maintenance) and their PINs (hashed, argon2id)");
    op->require_subcommand(1);
    auto* add = op->add_subcommand("add", "add a staff member; the PIN is read from standard input, never the command line");
    add->add_option("--name", args->name, "the name as shown at sign-in")->required();
    add->add_option("--role", args->roles, "roles, comma-separated: counter, infopoint, maintenance (default counter)");
    add->add_flag("--replace", args->replace, "change the PIN (and --role) of an existing member");
    add->add_flag("--json", args->json, "JSON output");
    add->callback([&options, &exit_code, args] { exit_code = add_operator(options, *args, false); });
    auto* pin = op->add_subcommand("set-pin", "change a member's PIN (read from standard input)");
    pin->add_option("--name", args->name, "the member's name")->required();
    pin->add_flag("--json", args->json, "JSON output");
    pin->callback([&options, &exit_code, args] { exit_code = add_operator(options, *args, true); });
    auto* role = op->add_subcommand("role", "set a member's roles");
    role->add_option("--name", args->name, "the member's name")->required();
    role->add_option("--roles", args->roles, "comma-separated: counter, infopoint, maintenance")->required();
    role->add_flag("--json", args->json, "JSON output");
    role->callback([&options, &exit_code, args] { exit_code = set_roles(options, *args); });
    auto* list = op->add_subcommand("list", "the staff's names and roles (never their PINs)");
    list->add_flag("--json", args->json, "JSON output");
    list->callback([&options, &exit_code, args] { exit_code = list_operators(options, *args); });
    auto* rm = op->add_subcommand("remove", "remove a staff member");
    rm->add_option("--name", args->name, "the member's name")->required();
    rm->callback([&options, &exit_code, args] { exit_code = remove_operator(options, *args); });
}

}  // namespace csc::cli
