// `kiosk counter open|call|recall|start|finish|no-show|transfer|pause|resume|close|end-day`:
// the operator's actions from the command line, so the whole flow works before the counter
// screen exists (and scripts and tests can drive an office).
#include <iostream>

#include <nlohmann/json.hpp>

#include "kiosk/cli/commands.hpp"
#include "kiosk/app/lan_session.hpp"
#include "shared/text_check.hpp"

namespace csc::cli {

using namespace csc::app;  // the application layer these commands call

namespace {

struct CounterArgs {
    int counter = 0;
    std::string ticket, service, to_sector, reason, by;
    int to_counter = 0;
    bool json = false;
};

nlohmann::json ticket_json(const Ticket& t) {
    nlohmann::json j{{"id", t.id},       {"number", t.label},   {"sector", t.sector}, {"status", to_string(t.status)},
                     {"priority", t.priority}, {"service", t.service}, {"counter", t.counter}, {"issued_at", t.issued_at}};
    if (t.for_counter) j["for_counter"] = *t.for_counter;
    if (!t.performed_service.empty()) j["performed_service"] = t.performed_service;
    if (t.recalls) j["recalls"] = t.recalls;
    return j;
}

// LAN mode: the action is published before the command returns, and the outcome printed is
// the stream's decision (which ticket a call got), not this device's optimistic guess. If the
// office network does not confirm it in time, the command says that it stays queued.
struct Published {
    bool lan = false;
    bool confirmed = true;
    std::string why;  // when not confirmed
};

Published publish_now(Context& ctx, LanSession* lan) {
    Published p;
    if (!lan) return p;
    p.lan = true;
    p.why = lan->publish_now(ctx.config.sync.confirm_timeout_ms + 1000);
    p.confirmed = p.why.empty();
    return p;
}

// Runs one action on a freshly opened office and prints the outcome.
void run_action(const GlobalOptions& options, int& exit_code, const CounterArgs& args, const std::string& verb,
                const std::function<Result<CounterOutcome>(Office&)>& action) {
    auto ctx = open_context(options);
    if (!ctx) {
        std::cerr << "kiosk: " << ctx.error().message << '\n';
        exit_code = exit_code_for(ctx.error());
        return;
    }
    auto lan = start_lan_session(**ctx, 3000);
    if (!lan) {
        std::cerr << "kiosk: " << lan.error().message << '\n';
        exit_code = exit_code_for(lan.error());
        return;
    }
    auto out = action(*(*ctx)->office);
    if (!out) {
        std::cerr << "kiosk: counter " << args.counter << ": " << verb << ": " << out.error().message << '\n';
        exit_code = exit_code_for(out.error());
        return;
    }
    const Published pub = publish_now(**ctx, lan->get());
    if (pub.lan && pub.confirmed) {
        // The stream's decision: the counter and its ticket in the confirmed state.
        (*ctx)->office->read_confirmed([&](const OfficeState& s) {
            if (const CounterState* c = s.find_counter(args.counter)) out->counter = *c;
            const std::string id = out->counter.current.empty() ? (out->ticket ? out->ticket->id : std::string()) : out->counter.current;
            if (const Ticket* t = id.empty() ? nullptr : s.find_ticket(id)) out->ticket = *t;
        });
        if (verb == "call" && out->counter.current.empty()) {
            std::cerr << "kiosk: counter " << args.counter << ": call: nothing called: in the office stream's order the "
                      << "ticket went to another counter first (or none was waiting)\n";
            exit_code = 1;
            return;
        }
    }
    if (!pub.confirmed)
        std::cerr << "kiosk: counter " << args.counter << ": " << verb << " stays queued on this device (" << pub.why
                  << "): it is sent, and takes effect in order, when the office network answers\n";
    if (args.json) {
        nlohmann::json j{{"counter", out->counter.number}, {"status", to_string(out->counter.status)}};
        if (!out->counter.pause_reason.empty()) j["reason"] = out->counter.pause_reason;
        if (!out->counter.staff.empty()) j["operator"] = out->counter.staff;
        if (out->ticket && pub.confirmed) {
            j["number"] = out->ticket->label;
            j["ticket"] = ticket_json(*out->ticket);
        }
        if (pub.lan) j["confirmed"] = pub.confirmed;
        std::cout << j.dump() << std::endl;
    } else {
        std::cout << "counter " << out->counter.number << ": " << verb;
        if (!pub.confirmed) std::cout << " (queued: not yet decided by the office)";
        else if (out->ticket) std::cout << ' ' << out->ticket->label << " (" << to_string(out->ticket->status) << ')';
        std::cout << "; counter " << to_string(out->counter.status) << std::endl;
    }
    exit_code = 0;
}

}  // namespace

void add_counter_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto* counter = app.add_subcommand("counter", "operator actions at a counter (sportello)");
    counter->require_subcommand(1);

    struct Spec {
        const char* name;
        const char* help;
        std::function<Result<CounterOutcome>(Office&, const CounterArgs&, const std::string& by)> action;
    };
    // Each action is one event, recorded with the operator who made it (--operator).
    auto act = [](auto make) {
        return [make](Office& o, const CounterArgs& a, const std::string& by) { return o.counter_action(a.counter, make(a), by); };
    };
    const std::vector<Spec> specs{
        {"open", "open the counter", act([](const CounterArgs& a) { return EventBody(CounterOpened{a.counter}); })},
        {"call", "call the next ticket (or --ticket A007)",
         [](Office& o, const CounterArgs& a, const std::string& by) {
             return a.ticket.empty() ? o.counter_action(a.counter, TicketCalled{a.counter, {}}, by) : o.call_ticket(a.counter, a.ticket, by);
         }},
        {"recall", "announce the called ticket again", act([](const CounterArgs& a) { return EventBody(TicketRecalled{a.counter}); })},
        {"start", "the citizen arrived: service starts", act([](const CounterArgs& a) { return EventBody(ServiceStarted{a.counter}); })},
        {"finish", "service done (--service = what was actually done)",
         act([](const CounterArgs& a) { return EventBody(ServiceFinished{a.counter, a.service}); })},
        {"no-show", "the called citizen did not come", act([](const CounterArgs& a) { return EventBody(TicketNoShow{a.counter}); })},
        {"transfer", "send the ticket to --to-sector and/or --to-counter (it keeps its place)",
         act([](const CounterArgs& a) {
             return EventBody(TicketTransferred{a.counter, a.to_sector, a.to_counter > 0 ? std::optional<int>(a.to_counter) : std::nullopt});
         })},
        {"pause", "pause the counter (--reason required)",
         act([](const CounterArgs& a) { return EventBody(CounterPaused{a.counter, utf8_from_terminal(a.reason)}); })},
        {"resume", "resume after a pause", act([](const CounterArgs& a) { return EventBody(CounterResumed{a.counter}); })},
        {"close", "close the counter", act([](const CounterArgs& a) { return EventBody(CounterClosed{a.counter}); })},
    };
    for (const auto& spec : specs) {
        auto args = std::make_shared<CounterArgs>();
        auto* cmd = counter->add_subcommand(spec.name, spec.help);
        cmd->add_option("--counter", args->counter, "counter number")->required();
        cmd->add_flag("--json", args->json, "print the outcome as JSON");
        cmd->add_option("--operator", args->by, "the staff member acting (counter role): recorded with the action");
        const std::string name = spec.name;
        if (name == "call") cmd->add_option("--ticket", args->ticket, "call this ticket (label or id) instead of the next");
        if (name == "finish") cmd->add_option("--service", args->service, "service actually performed (service id)");
        if (name == "transfer") {
            cmd->add_option("--to-sector", args->to_sector, "sector id");
            cmd->add_option("--to-counter", args->to_counter, "counter number");
        }
        if (name == "pause") cmd->add_option("--reason", args->reason, "why (shown on the display)")->required();
        auto action = spec.action;
        cmd->callback([&options, &exit_code, args, action, name] {
            run_action(options, exit_code, *args, name, [&](Office& o) -> Result<CounterOutcome> {
                std::string by;
                if (!args->by.empty()) {
                    const auto member = o.find_staff(utf8_from_terminal(args->by));
                    if (!member) return fail_as("input", "no staff member named \"" + utf8_from_terminal(args->by.substr(0, 60)) + "\"");
                    if (!member->has_role("counter"))
                        return fail_as("input", "\"" + member->name + "\" does not have the counter role");
                    by = member->name;
                }
                return action(o, *args, by);
            });
        });
    }

    auto json = std::make_shared<bool>(false);
    auto* end = counter->add_subcommand("end-day", "end of the day: open tickets become not served, counters close");
    end->add_flag("--json", *json, "as JSON");
    end->callback([&options, &exit_code, json] {
        auto ctx = open_context(options);
        if (!ctx) return void((std::cerr << "kiosk: " << ctx.error().message << '\n', exit_code = 1));
        auto lan = start_lan_session(**ctx, 3000);
        if (!lan) return void((std::cerr << "kiosk: " << lan.error().message << '\n', exit_code = 1));
        if (auto r = (*ctx)->office->close_day(); !r) return void((std::cerr << "kiosk: " << r.error().message << '\n', exit_code = 1));
        if (const Published pub = publish_now(**ctx, lan->get()); !pub.confirmed)
            std::cerr << "kiosk: end of day stays queued on this device (" << pub.why << ")\n";
        if (*json) std::cout << nlohmann::json{{"day_closed", true}}.dump() << '\n';
        else std::cout << "day closed\n";
        exit_code = 0;
    });
}

}  // namespace csc::cli
