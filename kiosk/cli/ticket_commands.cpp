// `kiosk issue` and `kiosk status`: the ticket flow for scripts and tests.
#include <iostream>

#include <nlohmann/json.hpp>

#include "kiosk/cli/commands.hpp"
#include "kiosk/printing/ticket_printer.hpp"

namespace csc::app {

namespace {

int report(const Error& e) {
    std::cerr << "kiosk: " << e.message << '\n';
    return 1;
}

}  // namespace

void add_ticket_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    struct IssueArgs {
        std::string sector, service, priority, lang = "it";
        bool json = false, no_print = false;
    };
    auto args = std::make_shared<IssueArgs>();
    auto* issue = app.add_subcommand("issue", "issue (and print) a ticket");
    issue->add_option("--sector", args->sector, "sector id")->required();
    issue->add_option("--service", args->service, "service id (required when the sector has services)");
    issue->add_option("--priority", args->priority, "priority class id");
    issue->add_option("--lang", args->lang, "citizen's language");
    issue->add_flag("--json", args->json, "print the ticket as JSON");
    issue->add_flag("--no-print", args->no_print, "do not print (the ticket is still issued)");
    issue->callback([&options, &exit_code, args] {
        auto ctx = open_context(options);
        if (!ctx) return void(exit_code = report(ctx.error()));
        IssueRequest req;
        req.sector = args->sector;
        req.service = args->service;
        req.priority = args->priority;
        req.lang = args->lang;
        req.channel = "cli";
        auto issued = (*ctx)->office->issue(req);
        if (!issued) return void(exit_code = report(issued.error()));
        PrintReport printed;
        if (!args->no_print) printed = print_ticket_now(**ctx, *issued);
        const auto& t = issued->ticket;
        if (args->json) {
            nlohmann::json j{{"id", t.id},         {"number", t.label},      {"sequence", t.number},
                             {"sector", t.sector}, {"service", t.service},   {"priority", t.priority},
                             {"issued_at", t.issued_at}, {"people_ahead", issued->people_ahead},
                             {"printed", printed.printed}, {"print_message", printed.message}};
            std::cout << j.dump() << '\n';
        } else {
            std::cout << t.label << '\n';
            if (!args->no_print && !printed.printed) std::cerr << "kiosk: ticket " << t.label << " issued but not printed: " << printed.message << '\n';
        }
        exit_code = 0;
    });

    auto json_flag = std::make_shared<bool>(false);
    auto* status = app.add_subcommand("status", "the queue now");
    status->add_flag("--json", *json_flag, "as JSON");
    status->callback([&options, &exit_code, json_flag] {
        auto ctx = open_context(options);
        if (!ctx) return void(exit_code = report(ctx.error()));
        nlohmann::json sectors = nlohmann::json::array();
        std::uint64_t hash = 0;
        (*ctx)->office->read([&](const OfficeState& s) {
            for (const auto& sec : (*ctx)->config.sectors)
                sectors.push_back({{"id", sec.id},
                                   {"letter", sec.letter},
                                   {"waiting", s.waiting(sec.id)},
                                   {"last_number", s.last_number(sec.id)}});
            hash = s.state_hash();
        });
        if (*json_flag) {
            char hex[24];
            std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
            std::cout << nlohmann::json{{"office", (*ctx)->config.office_name}, {"device", (*ctx)->office->device()},
                                        {"sectors", sectors}, {"state_hash", hex}}
                             .dump()
                      << '\n';
        } else {
            std::cout << (*ctx)->config.office_name << '\n';
            for (const auto& s : sectors)
                std::cout << "  " << s["id"].get<std::string>() << ": " << s["waiting"].get<int>() << " waiting, last "
                          << s["last_number"].get<int>() << '\n';
        }
        exit_code = 0;
    });
}

}  // namespace csc::app
