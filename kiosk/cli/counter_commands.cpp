// `kiosk counter open|call|recall|start|finish|no-show|transfer|pause|resume|close|end-day`:
// the operator's actions from the command line, so the whole flow works before the counter
// screen exists (and scripts and tests can drive an office).
#include <iostream>

#include <nlohmann/json.hpp>

#include "kiosk/cli/commands.hpp"
#include "kiosk/cli/sync_session.hpp"
#include "shared/text_check.hpp"

namespace csc::app {

namespace {

struct CounterArgs {
    int counter = 0;
    std::string ticket, service, to_sector, reason;
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
    p.confirmed = lan->replicator().wait_caught_up(ctx.config.sync.confirm_timeout_ms + 1000, true);
    if (!p.confirmed) {
        const auto st = lan->status();
        p.why = st.last_error.empty() ? std::string("the office network did not confirm in time") : st.last_error;
    }
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
        std::function<Result<CounterOutcome>(Office&, const CounterArgs&)> action;
    };
    const std::vector<Spec> specs{
        {"open", "open the counter", [](Office& o, const CounterArgs& a) { return o.open_counter(a.counter); }},
        {"call", "call the next ticket (or --ticket A007)",
         [](Office& o, const CounterArgs& a) { return a.ticket.empty() ? o.call_next(a.counter) : o.call_ticket(a.counter, a.ticket); }},
        {"recall", "announce the called ticket again", [](Office& o, const CounterArgs& a) { return o.recall(a.counter); }},
        {"start", "the citizen arrived: service starts", [](Office& o, const CounterArgs& a) { return o.start_service(a.counter); }},
        {"finish", "service done (--service = what was actually done)",
         [](Office& o, const CounterArgs& a) { return o.finish_service(a.counter, a.service); }},
        {"no-show", "the called citizen did not come", [](Office& o, const CounterArgs& a) { return o.mark_no_show(a.counter); }},
        {"transfer", "send the ticket to --to-sector and/or --to-counter (it keeps its place)",
         [](Office& o, const CounterArgs& a) {
             return o.transfer(a.counter, a.to_sector, a.to_counter > 0 ? std::optional<int>(a.to_counter) : std::nullopt);
         }},
        {"pause", "pause the counter (--reason required)",
         [](Office& o, const CounterArgs& a) { return o.pause_counter(a.counter, utf8_from_terminal(a.reason)); }},
        {"resume", "resume after a pause", [](Office& o, const CounterArgs& a) { return o.resume_counter(a.counter); }},
        {"close", "close the counter", [](Office& o, const CounterArgs& a) { return o.close_counter(a.counter); }},
    };
    for (const auto& spec : specs) {
        auto args = std::make_shared<CounterArgs>();
        auto* cmd = counter->add_subcommand(spec.name, spec.help);
        cmd->add_option("--counter", args->counter, "counter number")->required();
        cmd->add_flag("--json", args->json, "print the outcome as JSON");
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
            run_action(options, exit_code, *args, name, [&](Office& o) { return action(o, *args); });
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

}  // namespace csc::app
