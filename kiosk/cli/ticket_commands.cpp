// `kiosk issue` and `kiosk status`: the ticket flow for scripts and tests.
#include <algorithm>
#include <cmath>
#include <iostream>

#include <nlohmann/json.hpp>

#include "kiosk/cli/cli_common.hpp"
#include "kiosk/cli/commands.hpp"
#include "kiosk/app/lan_session.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"
#include "shared/store_sync.hpp"

namespace csc::cli {

using namespace csc::app;  // the application layer these commands call

namespace {

// Minutes as shown to citizens: whole minutes, the range never narrower than 1 minute.
nlohmann::json forecast_json(const WaitForecast& f) {
    const long low = std::lround(std::floor(f.low_min)), high = std::max(low + 1, std::lround(std::ceil(f.high_min)));
    return {{"median_min", std::round(f.median_min * 10) / 10}, {"low_min", low}, {"high_min", high},
            {"after_closing", f.after_closing}};
}

}  // namespace

void add_ticket_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    struct IssueArgs {
        std::string sector, service, priority, lang;  // "" = the office's first language
        bool json = false, no_print = false, outside_hours = false;
    };
    auto args = std::make_shared<IssueArgs>();
    auto* issue = app.add_subcommand("issue", "issue (and print) a ticket");
    issue->add_option("--sector", args->sector, "sector id")->required();
    issue->add_option("--service", args->service, "service id (required when the sector has services)");
    issue->add_option("--priority", args->priority, "priority class id");
    issue->add_option("--lang", args->lang, "citizen's language");
    issue->add_flag("--json", args->json, "print the ticket as JSON");
    issue->add_flag("--no-print", args->no_print, "do not print (the ticket is still issued)");
    issue->add_flag("--outside-hours", args->outside_hours, "staff/tests: issue even when the office is closed");
    issue->callback([&options, &exit_code, args] {
        auto ctx = open_context(options);
        if (!ctx) return void(exit_code = report_error(ctx.error()));
        // LAN mode ([sync]): the number comes from the office stream, or offline (docs/SYNC.md).
        auto lan = start_lan_session(**ctx, 3000);
        if (!lan) return void(exit_code = report_error(lan.error()));
        IssueRequest req;
        req.sector = args->sector;
        req.service = args->service;
        req.priority = args->priority;
        req.lang = args->lang;
        req.channel = "cli";
        req.allow_when_closed = args->outside_hours;
        auto issued = (*ctx)->office->issue(req);
        if (!issued) return void(exit_code = report_error(issued.error()));
        // The ticket is in the store: mark it handed out and report it (flushed) BEFORE
        // anything is torn down, so a crash later can never swallow a number the office holds.
        (void)mark_handed_out((*ctx)->office->store(), issued->ticket.id);
        PrintReport printed;
        if (!args->no_print) printed = print_ticket_now(**ctx, *issued);
        const auto& t = issued->ticket;
        if (args->json) {
            nlohmann::json j{{"id", t.id},         {"number", t.label},      {"sequence", t.number},
                             {"sector", t.sector}, {"service", t.service},   {"priority", t.priority},
                             {"issued_at", t.issued_at}, {"people_ahead", issued->people_ahead},
                             {"offline", t.offline},
                             {"printed", printed.printed}, {"print_message", printed.message}};
            if (issued->forecast) j["forecast"] = forecast_json(*issued->forecast);
            // The phone page's key and address (docs/WEB.md); the url only with [web] public_url.
            if (!t.token.empty()) j["token"] = t.token;
            if (const std::string url = (*ctx)->config.web.ticket_url(t.token); !url.empty()) j["url"] = url;
            std::cout << j.dump() << std::endl;
        } else {
            std::cout << t.label << std::endl;
            if (!args->no_print && !printed.printed) std::cerr << "kiosk: ticket " << t.label << " issued but not printed: " << printed.message << '\n';
        }
        if (*lan) {
            // An offline ticket is sent now if the office network answers; else it stays queued.
            if (!(*lan)->replicator().wait_caught_up(t.offline ? 2000 : 500, true) && (*ctx)->office->unconfirmed_count() > 0)
                std::cerr << "kiosk: ticket " << t.label << " stays queued on this device: it is sent to the office "
                          << "stream when a program with sync runs here and the network answers\n";
        }
        exit_code = 0;
    });

    auto json_flag = std::make_shared<bool>(false);
    auto* status = app.add_subcommand("status", "the queue now");
    status->add_flag("--json", *json_flag, "as JSON");
    status->callback([&options, &exit_code, json_flag] {
        // A reader: single machine, the store is opened read-only (it works on a read-only store
        // and while another program writes). LAN mode catches up with the stream, so it writes.
        auto loaded = load_context(options);
        if (!loaded) return void(exit_code = report_error(loaded.error()));
        const bool lan_mode = (*loaded)->config.sync.enabled();
        auto ctx = open_context(options, lan_mode ? StoreAccess::ReadWrite : StoreAccess::ReadOnly);
        if (!ctx && (ctx.error().code == "store.missing" || ctx.error().code == "store.older"))
            ctx = open_context(options);  // a new or older store is created or upgraded once
        if (!ctx) return void(exit_code = report_error(ctx.error()));
        // LAN mode ([sync]): catch up with the office stream first (docs/SYNC.md).
        auto lan = start_lan_session(**ctx, 3000);
        if (!lan) return void(exit_code = report_error(lan.error()));
        nlohmann::json sectors = nlohmann::json::array();
        nlohmann::json counters = nlohmann::json::array();
        nlohmann::json desk_services = nlohmann::json::object();  // the Info Point's services today, per staff
        std::uint64_t hash = 0;
        const auto outlook = (*ctx)->office->sector_outlook();
        (*ctx)->office->read([&](const OfficeState& s) {
            for (const auto& sec : (*ctx)->config.sectors) {
                nlohmann::json j{{"id", sec.id},
                                 {"letter", sec.letter},
                                 {"waiting", s.waiting(sec.id)},
                                 {"last_number", s.last_number(sec.id)}};
                for (const auto& o : outlook)
                    if (o.sector == sec.id) {
                        j["open_counters"] = o.open_counters;
                        if (o.forecast) j["forecast"] = forecast_json(*o.forecast);
                    }
                sectors.push_back(std::move(j));
            }
            for (const auto& c : s.counters()) {
                nlohmann::json j{{"number", c.number}, {"status", to_string(c.status)}};
                // A reason chosen on a screen is stored as its key: shown in the office's language.
                if (!c.pause_reason.empty())
                    j["reason"] = (*ctx)->translator.tr_or_text((*ctx)->config.languages.front(), c.pause_reason);
                if (!c.staff.empty()) j["operator"] = c.staff;
                if (const Ticket* t = c.current.empty() ? nullptr : s.find_ticket(c.current)) {
                    j["ticket"] = t->label;
                    j["ticket_status"] = to_string(t->status);
                }
                counters.push_back(std::move(j));
            }
            for (const auto& [service, by_staff] : s.desk_services())
                for (const auto& [staff, n] : by_staff) desk_services[service][staff] = n;
        });
        // This device's tickets the office may hold but no citizen has: issued by a command
        // that died before reporting them (never marked handed out), and own tickets the
        // stream has not confirmed yet (queued offline).
        nlohmann::json not_handed_out = nlohmann::json::array(), unconfirmed = nlohmann::json::array();
        std::vector<std::string> queued_ids;
        for (auto e = (*ctx)->office->next_unconfirmed(0); e; e = (*ctx)->office->next_unconfirmed(e->seq))
            if (std::holds_alternative<TicketIssued>(e->body)) queued_ids.push_back(e->id);
        (*ctx)->office->read([&](const OfficeState& s) {
            for (const auto& t : s.tickets()) {
                if (t.device != (*ctx)->office->device()) continue;
                if (std::find(queued_ids.begin(), queued_ids.end(), t.id) != queued_ids.end()) unconfirmed.push_back(t.label);
                if (t.channel == "cli" && is_waiting(t.status) && !handed_out((*ctx)->office->store(), t.id))
                    not_handed_out.push_back(t.label);
            }
        });
        // The confirmed state (LAN) — comparable across devices; the state itself otherwise.
        hash = (*ctx)->office->confirmed_hash();
        // What the office does not apply (undecodable, or from a clock that was ahead), and
        // whether this device's clock can be trusted.
        nlohmann::json quarantined = nlohmann::json::array();
        for (const auto& q : (*ctx)->office->quarantined())
            quarantined.push_back({{"id", q.id}, {"position", q.position}, {"reason", q.reason}});
        const std::string clock_alarm = (*ctx)->office->clock_alarm();
        if (*json_flag) {
            char hex[24];
            std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
            std::cout << nlohmann::json{{"office", (*ctx)->config.office_name}, {"device", (*ctx)->office->device()},
                                        {"sectors", sectors}, {"counters", counters}, {"state_hash", hex},
                                        {"online", *lan && (*lan)->online()},
                                        {"sync_conflict", *lan ? (*lan)->status().conflict : std::string()},
                                        {"agenda_complete", (*ctx)->office->agenda_complete()},
                                        {"not_handed_out", not_handed_out}, {"unconfirmed_tickets", unconfirmed},
                                        {"quarantined", quarantined}, {"clock_alarm", clock_alarm},
                                        {"desk_services", desk_services}}
                             .dump()
                      << '\n';
        } else {
            std::cout << (*ctx)->config.office_name << '\n';
            if (*lan) std::cout << "  " << (*lan)->status_line() << '\n';
            if (!clock_alarm.empty()) std::cout << "  " << clock_alarm << '\n';
            if (!(*ctx)->office->agenda_complete())
                std::cout << "  agenda INCOMPLETE: bookings older than the office stream are missing here; booking is refused "
                             "until an agenda snapshot arrives (docs/BOOKING.md)\n";
            for (const auto& q : quarantined)
                std::cout << "  quarantined event " << q["id"].get<std::string>() << " (log position "
                          << q["position"].get<std::int64_t>() << "): " << q["reason"].get<std::string>() << '\n';
            auto list = [](const nlohmann::json& a) {
                std::string out;
                for (const auto& l : a) out += (out.empty() ? "" : ", ") + l.get<std::string>();
                return out;
            };
            if (!not_handed_out.empty())
                std::cout << "  tickets of this device never reported to a citizen (the command died): " << list(not_handed_out) << '\n';
            if (!unconfirmed.empty())
                std::cout << "  tickets of this device not yet in the office stream: " << list(unconfirmed) << '\n';
            for (const auto& s : sectors) {
                std::cout << "  " << s["id"].get<std::string>() << ": " << s["waiting"].get<int>() << " waiting, last "
                          << s["last_number"].get<int>();
                if (s.contains("forecast"))
                    std::cout << ", a new ticket waits " << s["forecast"]["low_min"].get<long>() << "-"
                              << s["forecast"]["high_min"].get<long>() << " min"
                              << (s["forecast"]["after_closing"].get<bool>() ? " (after closing)" : "");
                std::cout << '\n';
            }
            for (const auto& c : counters) {
                std::cout << "  counter " << c["number"].get<int>() << ": " << c["status"].get<std::string>();
                if (c.contains("ticket")) std::cout << ", " << c["ticket"].get<std::string>() << " " << c["ticket_status"].get<std::string>();
                if (c.contains("reason")) std::cout << " (" << c["reason"].get<std::string>() << ")";
                std::cout << '\n';
            }
        }
        exit_code = 0;
    });
}

}  // namespace csc::cli
