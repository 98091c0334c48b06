// `kiosk stats`, `kiosk report` and `kiosk export`: the office's statistics over a date range
// as CSV or JSON, the printable monthly report (PDF), and all of them with the day's visits onto
// a USB stick. They only read the store (docs/STATISTICS.md).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "kiosk/app/monthly_report.hpp"
#include "kiosk/app/statistics.hpp"
#include "kiosk/app/usb_export.hpp"
#include "kiosk/cli/cli_common.hpp"
#include "kiosk/cli/commands.hpp"
#include "shared/stats/stats_export.hpp"

namespace csc::cli {

using namespace csc::app;  // the application layer these commands call

namespace {

struct StatsArgs {
    std::string from, to, by = "day", format = "csv", output, separator = ";", lang;
    bool bom = false;
};

struct ReportArgs {
    std::string month, output, lang;
};

struct ExportArgs {
    std::string target, from, to;
    bool list = false, json = false, stdio = false;
};

// `kiosk export --stdio`: the root helper behind csc-kiosk-export.socket (systemd starts one per
// connection, the connection as standard input and output). One JSON line in — {"device",
// "from", "to"} — one out: {"ok": true, "device", "folder", "files", "bytes"} or {"ok": false,
// "error"}. Only a stick this machine offers (find_export_volumes) is mounted.
int run_export_helper(const GlobalOptions& options) {
    auto answer = [](const nlohmann::json& j) {
        std::cout << j.dump() << "\n" << std::flush;
        return 0;
    };
    auto refuse = [&](const std::string& why) {
        std::cerr << "kiosk export --stdio: refused: " << why << '\n';
        return answer({{"ok", false}, {"error", why}});
    };
    std::string line;
    for (char c; line.size() <= 4096 && std::cin.get(c) && c != '\n';) line += c;
    const auto request = nlohmann::json::parse(line, nullptr, false);
    if (line.size() > 4096 || !request.is_object() || !request.contains("device") || !request["device"].is_string() ||
        !request.contains("from") || !request["from"].is_string() || !request.contains("to") || !request["to"].is_string())
        return refuse("a request is one JSON line: {\"device\": \"/dev/sdb1\", \"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"}");
    auto ctx = load_context(options);
    if (!ctx) return refuse(ctx.error().message);
    const std::string device = request["device"].get<std::string>();
    const auto offered = find_export_volumes("/sys/class/block", {(*ctx)->config.service_menu.export_device});
    if (std::none_of(offered.begin(), offered.end(), [&](const ExportVolume& v) { return v.device == device; }))
        return refuse("\"" + device.substr(0, 100) + "\" is not a USB stick plugged in here (nor [service_menu] export_device): nothing mounted");
    auto range = parse_stats_range(request["from"].get<std::string>(), request["to"].get<std::string>());
    if (!range) return refuse(range.error().message);
    auto done = export_to_device_as_root(**ctx, device, *range);
    if (!done) return refuse(done.error().message);
    std::cerr << "kiosk export --stdio: " << done->files.size() << " files (" << done->bytes << " bytes) to " << device << ", folder "
              << done->folder << '\n';
    return answer({{"ok", true}, {"device", done->device}, {"folder", done->folder}, {"files", done->files}, {"bytes", done->bytes}});
}

// Writes `text` to `path` whole or not at all: a temporary file beside it, then renamed.
Result<void> write_file(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return fail_as("input", "cannot write " + path + ": the folder does not exist or is not writable");
        out << text;
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            return fail("cannot write " + path + " (disk full?)");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        return fail("cannot write " + path);
    }
    return {};
}

int run_stats(const GlobalOptions& options, const StatsArgs& a) {
    auto range = parse_stats_range(a.from, a.to);
    if (!range) return report_error(range.error());
    auto by = stats::grouping_named(a.by);
    if (!by) return report_error(fail_as("input", "--by \"" + a.by.substr(0, 40) + "\": expected hour, day, sector, service, counter or operator"));
    if (a.format != "csv" && a.format != "json")
        return report_error(fail_as("input", "--format \"" + a.format.substr(0, 40) + "\": expected csv or json"));
    if (a.separator != ";" && a.separator != ",")
        return report_error(fail_as("input", "--separator \"" + a.separator.substr(0, 40) + "\": expected ';' or ','"));
    auto ctx = load_context(options);
    if (!ctx) return report_error(ctx.error());
    const std::string lang = a.lang.empty() ? (*ctx)->config.languages.front() : a.lang;
    auto table = office_statistics(**ctx, *range, *by);
    if (!table) return report_error(table.error());
    if (table->total.issued == 0 && table->total.pauses == 0 && table->total.bookings == 0)
        std::cerr << "kiosk: no tickets, pauses or bookings between " << range->from.iso() << " and " << range->to.iso() << "\n";
    const auto names = stats_row_names(**ctx, lang, *table);
    const std::string text = a.format == "json"
                                 ? stats::stats_json(*table, names)
                                 : stats::stats_csv(*table, stats_headers(**ctx, lang, *by), names, {a.separator[0], a.bom});
    if (a.output.empty()) {
        std::cout << text << std::flush;
        return 0;
    }
    if (auto w = write_file(a.output, text); !w) return report_error(w.error());
    return 0;
}

int run_report(const GlobalOptions& options, const ReportArgs& a) {
    auto range = parse_stats_month(a.month);
    if (!range) return report_error(range.error());
    if (a.output.empty()) return report_error(fail_as("input", "--output is empty: name the PDF file to write"));
    auto ctx = load_context(options);
    if (!ctx) return report_error(ctx.error());
    const std::string lang = a.lang.empty() ? (*ctx)->config.languages.front() : a.lang;
    auto written = write_monthly_report(**ctx, range->from, lang, a.output);
    if (!written) return report_error(written.error());
    std::cout << a.output << "\n";
    return 0;
}

int run_export(const GlobalOptions& options, const ExportArgs& a) {
    if (a.stdio) return run_export_helper(options);
    auto ctx = load_context(options);
    if (!ctx) return report_error(ctx.error());
    const Context& c = **ctx;
    if (a.list) {
        const auto volumes = find_export_volumes("/sys/class/block", {c.config.service_menu.export_device});
        nlohmann::json out = nlohmann::json::array();
        for (const ExportVolume& v : volumes) {
            out.push_back({{"device", v.device}, {"name", v.name}, {"bytes", v.bytes}, {"configured", v.configured}});
            if (!a.json) std::cout << v.device << "\t" << v.name << "\t" << v.bytes / 1'000'000 << " MB\n";
        }
        if (a.json) std::cout << out.dump() << "\n";
        else if (volumes.empty()) std::cerr << "kiosk: no USB stick found\n";
        return 0;
    }
    if (a.target.empty()) return report_error(fail_as("input", "name a stick (/dev/sdb1: kiosk export --list) or a folder to export into"));
    // The month so far unless said otherwise.
    const Date today = c.config.timezone.to_local(c.clock.now()).date;
    const std::string from = a.from.empty() ? Date{today.year, today.month, 1}.iso() : a.from;
    auto range = parse_stats_range(from, a.to.empty() ? today.iso() : a.to);
    if (!range) return report_error(range.error());
    std::error_code ec;
    auto done = std::filesystem::is_directory(a.target, ec) ? write_export(c, a.target, *range) : export_to_device(c, a.target, *range);
    if (!done) return report_error(done.error());
    if (a.json) {
        std::cout << nlohmann::json{{"device", done->device}, {"folder", done->folder}, {"files", done->files}, {"bytes", done->bytes}}.dump()
                  << "\n";
    } else {
        std::cout << done->folder << ": " << done->files.size() << " files, " << done->bytes << " bytes"
                  << (done->device.empty() ? "" : "; " + done->device + " unmounted: it can be pulled out") << "\n";
    }
    return 0;
}

int run_compact(const GlobalOptions& options, bool json) {
    auto ctx = load_context(options);
    if (!ctx) return report_error(ctx.error());
    const int keep = (*ctx)->config.statistics.compact_after_days;
    if (keep <= 0) {
        std::cerr << "kiosk: [statistics] compact_after_days = 0: events are never compacted\n";
        if (json) std::cout << nlohmann::json{{"days", 0}, {"events", 0}, {"through", nullptr}}.dump() << "\n";
        return 0;
    }
    auto r = compact_office_events(**ctx, static_cast<int>(kMaxStatsRangeDays));
    if (!r) return report_error(r.error());
    if (json) {
        std::cout << nlohmann::json{{"days", r->days}, {"events", r->events},
                                    {"through", r->through ? nlohmann::json(r->through->iso()) : nlohmann::json()}}.dump()
                  << "\n";
    } else if (r->days == 0) {
        std::cout << "nothing to compact: no queue event older than " << keep << " days\n";
    } else {
        std::cout << r->days << " days compacted through " << r->through->iso() << ": " << r->events
                  << " queue events deleted, their figures kept in the statistics records\n";
    }
    return 0;
}

}  // namespace

void add_stats_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto stats_args = std::make_shared<StatsArgs>();
    auto* stats = app.add_subcommand("stats", "Statistics of a date range as CSV or JSON (docs/STATISTICS.md)");
    stats->add_option("--from", stats_args->from, "First day, YYYY-MM-DD")->required();
    stats->add_option("--to", stats_args->to, "Last day, YYYY-MM-DD (included)")->required();
    stats->add_option("--by", stats_args->by, "Rows: hour|day|sector|service|counter|operator")->capture_default_str();
    stats->add_option("--format", stats_args->format, "csv|json")->capture_default_str();
    stats->add_option("--output", stats_args->output, "File to write (default: standard output)");
    stats->add_option("--separator", stats_args->separator, "CSV separator: ';' (decimal comma) or ',' (decimal point)")
        ->capture_default_str();
    stats->add_flag("--bom", stats_args->bom, "CSV: start with a UTF-8 byte order mark");
    stats->add_option("--lang", stats_args->lang, "Language of headers and names (default: the office's first)");
    stats->callback([&options, &exit_code, stats_args] { exit_code = run_stats(options, *stats_args); });

    auto report_args = std::make_shared<ReportArgs>();
    auto* report = app.add_subcommand("report", "Printable monthly report with charts (PDF)");
    report->add_option("--month", report_args->month, "Month, YYYY-MM")->required();
    report->add_option("--output", report_args->output, "PDF file to write")->required();
    report->add_option("--lang", report_args->lang, "Language (default: the office's first)");
    report->callback([&options, &exit_code, report_args] { exit_code = run_report(options, *report_args); });

    auto export_args = std::make_shared<ExportArgs>();
    auto* exp = app.add_subcommand("export", "statistics, the monthly report and the day's visits onto a USB stick (mounted only for the copy) or into a folder");
    exp->add_option("target", export_args->target, "a stick's device (/dev/sdb1) or a folder");
    exp->add_option("--from", export_args->from, "first day, YYYY-MM-DD (default: the 1st of this month)");
    exp->add_option("--to", export_args->to, "last day, YYYY-MM-DD (default: today)");
    exp->add_flag("--list", export_args->list, "the USB sticks plugged in (and [service_menu] export_device)");
    exp->add_flag("--json", export_args->json, "as JSON");
    exp->add_flag("--stdio", export_args->stdio, "the root helper behind csc-kiosk-export.socket: one JSON request on standard input, one answer on standard output");
    exp->callback([&options, &exit_code, export_args] { exit_code = run_export(options, *export_args); });

    auto compact_json = std::make_shared<bool>(false);
    auto* compact = app.add_subcommand("compact", "delete the queue's events of days older than [statistics] compact_after_days, their figures kept in the statistics records (every program does it by itself)");
    compact->add_flag("--json", *compact_json, "as JSON");
    compact->callback([&options, &exit_code, compact_json] { exit_code = run_compact(options, *compact_json); });
}

}  // namespace csc::cli
