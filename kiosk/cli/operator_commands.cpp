// `kiosk operator add|list|remove`: the operators who may sign in at a counter terminal.
// The PIN is read from standard input (typed twice without echo on a terminal, one line from a
// pipe), never from the command line, and never printed or logged.
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kiosk/cli/commands.hpp"
#include "kiosk/cli/operators.hpp"
#include "shared/text_check.hpp"

namespace csc::app {

namespace {

struct OperatorArgs {
    std::string name;
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

constexpr std::size_t kMaxOperatorName = 60;  // bytes of UTF-8: what the sign-in list shows

Result<OperatorRegistry> registry_of(const GlobalOptions& options) {
    auto ctx = load_context(options);  // resolves the data directory; no store needed
    if (!ctx) return ctx.error();
    return OperatorRegistry::load((*ctx)->data_dir);
}

int add_operator(const GlobalOptions& options, const OperatorArgs& given) {
    // A Latin-1 terminal typing "Niccolò" sends Latin-1: stored as UTF-8; a name that would not
    // fit the sign-in screen, or carries control characters, is refused before anything else.
    OperatorArgs args = given;
    args.name = utf8_from_terminal(args.name);
    if (args.name.empty()) return fail_with("the operator's name is empty");
    if (auto problem = text_problem(args.name, kMaxOperatorName); !problem.empty())
        return fail_with("the operator's name " + problem + "; nothing changed", 2);
    auto reg = registry_of(options);
    if (!reg) return fail_with(reg.error().message);
    if (reg->find(args.name) && !args.replace)
        return fail_with("operator \"" + args.name + "\" already exists (use --replace to change the PIN)");
    auto pin = read_secret_line("PIN (4-12 digits): ");
    if (!pin) return fail_with("no PIN on standard input (type it, or pipe it: printf '%s\\n' \"$PIN\" | kiosk operator add ...)");
    if (auto r = check_pin_format(*pin); !r) {
        wipe(*pin);
        return fail_with(r.error().message);
    }
    if (isatty(STDIN_FILENO)) {
        auto again = read_secret_line("PIN again: ");
        const bool same = again && *again == *pin;
        if (again) wipe(*again);
        if (!same) {
            wipe(*pin);
            return fail_with("the two PINs differ: nothing changed");
        }
    }
    auto r = reg->add(args.name, *pin, args.replace);
    wipe(*pin);
    if (!r) return fail_with(r.error().message);
    if (args.json) std::cout << nlohmann::json{{"name", args.name}, {"file", reg->file().string()}}.dump() << '\n';
    else std::cout << "operator \"" << args.name << "\" saved in " << reg->file().string() << " (PIN hashed with argon2id)\n";
    return 0;
}

int list_operators(const GlobalOptions& options, const OperatorArgs& args) {
    auto reg = registry_of(options);
    if (!reg) return fail_with(reg.error().message);
    if (args.json) {
        nlohmann::json names = nlohmann::json::array();
        for (const auto& o : reg->operators()) names.push_back(o.name);
        std::cout << nlohmann::json{{"operators", names}}.dump() << '\n';
    } else {
        if (reg->operators().empty()) std::cout << "no operators (add one: kiosk operator add --name NAME)\n";
        for (const auto& o : reg->operators()) std::cout << o.name << '\n';
    }
    return 0;
}

int remove_operator(const GlobalOptions& options, const OperatorArgs& args) {
    auto reg = registry_of(options);
    if (!reg) return fail_with(reg.error().message);
    if (auto r = reg->remove(args.name); !r) return fail_with(r.error().message);
    std::cout << "operator \"" << args.name << "\" removed\n";
    return 0;
}

}  // namespace

void add_operator_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto args = std::make_shared<OperatorArgs>();
    auto* op = app.add_subcommand("operator", "counter operators and their PINs (hashed, argon2id)");
    op->require_subcommand(1);
    auto* add = op->add_subcommand("add", "add an operator; the PIN is read from standard input, never the command line");
    add->add_option("--name", args->name, "the operator's name as shown at sign-in")->required();
    add->add_flag("--replace", args->replace, "change the PIN of an existing operator");
    add->add_flag("--json", args->json, "JSON output");
    add->callback([&options, &exit_code, args] { exit_code = add_operator(options, *args); });
    auto* list = op->add_subcommand("list", "the operators' names (never their PINs)");
    list->add_flag("--json", args->json, "JSON output");
    list->callback([&options, &exit_code, args] { exit_code = list_operators(options, *args); });
    auto* rm = op->add_subcommand("remove", "remove an operator");
    rm->add_option("--name", args->name, "the operator's name")->required();
    rm->callback([&options, &exit_code, args] { exit_code = remove_operator(options, *args); });
}

}  // namespace csc::app
