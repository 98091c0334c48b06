// `kiosk backup --output FILE`, `kiosk restore FILE`: a consistent copy of the store while the
// office runs, and putting one back once every program is stopped (shared/store_backup.hpp;
// docs/OPERATIONS.md). Neither opens the office: no configuration is needed.
#include <ctime>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "kiosk/app/assets_dir.hpp"
#include "kiosk/cli/cli_common.hpp"
#include "kiosk/cli/commands.hpp"
#include "shared/store_backup.hpp"

namespace csc::cli {

namespace {

struct BackupArgs {
    std::string output, file;
    bool json = false;
};

nlohmann::json backup_json(const BackupReport& r) {
    return {{"file", r.file.string()}, {"bytes", r.bytes}, {"events", r.events}, {"schema_version", r.schema_version}};
}

// The kept-aside store's name: the machine's local time (this names a file; the office's day
// rules are not involved).
std::string restore_stamp() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char b[32];
    std::strftime(b, sizeof b, "%Y%m%dT%H%M%S", &tm);
    return b;
}

int run_backup(const GlobalOptions& options, const BackupArgs& a) {
    auto r = backup_store(app::data_dir(options), a.output);
    if (!r) return report_error(r.error());
    if (a.json) std::cout << backup_json(*r).dump() << '\n';
    else std::cout << "backup " << r->file.string() << ": " << r->events << " events, " << r->bytes << " bytes, schema "
                   << r->schema_version << '\n';
    return 0;
}

int run_restore(const GlobalOptions& options, const BackupArgs& a) {
    auto r = restore_store(app::data_dir(options), a.file, restore_stamp());
    if (!r) return report_error(r.error());
    if (a.json) {
        std::cout << nlohmann::json{{"restored", backup_json(r->restored)}, {"kept_aside", r->kept_aside.string()}}.dump() << '\n';
    } else {
        std::cout << "restored " << r->restored.file.string() << " (" << r->restored.events << " events)";
        if (!r->kept_aside.empty()) std::cout << "; the store it replaced is kept as " << r->kept_aside.string();
        std::cout << '\n';
    }
    return 0;
}

}  // namespace

void add_backup_commands(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto args = std::make_shared<BackupArgs>();
    auto* backup = app.add_subcommand("backup", "copy the office's store to FILE while the office runs (consistent; never overwrites)");
    backup->add_option("--output", args->output, "the backup file to create")->required();
    backup->add_flag("--json", args->json, "as JSON");
    backup->callback([&options, &exit_code, args] { exit_code = run_backup(options, *args); });
    auto* restore = app.add_subcommand(
        "restore", "replace the office's store with a backup (every program using the store stopped first; the old store is kept)");
    restore->add_option("file", args->file, "the backup file")->required();
    restore->add_flag("--json", args->json, "as JSON");
    restore->callback([&options, &exit_code, args] { exit_code = run_restore(options, *args); });
}

}  // namespace csc::cli
