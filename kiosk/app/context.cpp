#include "kiosk/app/context.hpp"

#include <cstdio>
#include <cstdlib>

#include "drivers/printer/profile.hpp"
#include "drivers/printer/transport.hpp"
#include "kiosk/app/assets_dir.hpp"
#include "kiosk/app/staff.hpp"
#include "kiosk/app/warning_log.hpp"

namespace csc::app {

namespace {

// The Debian package's places (docs/OPERATIONS.md, "Debian package").
constexpr const char* kInstalledAssets = "/usr/share/csc-kiosk";
constexpr const char* kInstalledConfig = "/etc/csc-kiosk/office.toml";
constexpr const char* kInstalledData = "/var/lib/csc-kiosk";

// This program was installed under /usr (the package), not run from a build tree: it runs
// from /usr, or (no /proc, as in a bare chroot) the tree it was built from is not here.
bool installed() {
    std::error_code ec;
    if (!std::filesystem::exists(kInstalledAssets, ec)) return false;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) return self.string().starts_with("/usr/");
    return !std::filesystem::exists(std::filesystem::path(CSC_SOURCE_ASSETS) / "site", ec);
}

std::filesystem::path default_assets() {
    if (const char* env = std::getenv("CSC_ASSETS"); env && *env) return env;
    if (installed()) return kInstalledAssets;
    if (std::filesystem::exists(std::filesystem::path(CSC_SOURCE_ASSETS) / "site")) return CSC_SOURCE_ASSETS;
    return kInstalledAssets;
}

std::filesystem::path default_data() {
    if (installed()) return kInstalledData;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "csc-kiosk";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local/share/csc-kiosk";
    return "/var/lib/csc-kiosk";
}

}  // namespace

std::filesystem::path assets_dir(const GlobalOptions& options) {
    return options.assets.empty() ? default_assets() : options.assets;
}

std::filesystem::path data_dir(const GlobalOptions& options) { return options.data.empty() ? default_data() : options.data; }

Result<std::unique_ptr<Context>> load_context(const GlobalOptions& options) {
    auto ctx = std::make_unique<Context>();
    ctx->options = options;
    ctx->assets_dir = assets_dir(options);
    ctx->data_dir = data_dir(options);
    std::filesystem::path config_file = options.config;
    if (config_file.empty()) {
        std::error_code ec;
        config_file = installed() && std::filesystem::exists(kInstalledConfig, ec) ? std::filesystem::path(kInstalledConfig)
                                                                                 : ctx->assets_dir / "site/office.toml";
    }
    auto cfg = load_site_config(config_file);
    if (!cfg) return cfg.error();
    ctx->config = std::move(*cfg);
    check_form_files(ctx->config, ctx->assets_dir);  // a form's PDF: the site's folder, else the assets
    // What does not stop the start is still named, once, where the program's log goes (a
    // form's missing PDF: the form is hidden until the file is there).
    for (const auto& w : ctx->config.warnings) std::fprintf(stderr, "kiosk: warning: %s\n", w.c_str());
    if (const char* now = std::getenv("CSC_NOW"); now && *now) {
        const std::string text(now);
        auto date = Date::parse(text.substr(0, 10));
        int hour = -1, minute = -1;
        if (text.size() == 16 && text[10] == 'T') std::sscanf(text.c_str() + 11, "%2d:%2d", &hour, &minute);
        if (!date || hour < 0 || hour > 23 || minute < 0 || minute > 59)
            return fail("CSC_NOW=\"" + text + "\": expected office local time as YYYY-MM-DDTHH:MM");
        ctx->clock.start_at(ctx->config.timezone.from_local(*date, hour * 60 + minute));
    }
    for (const auto& w : ctx->config.warnings) remember_warning(ctx->clock.now(), w);  // the IT dashboard shows them too
    auto tr = Translator::load(ctx->assets_dir / "i18n", ctx->config.languages);
    if (!tr)  // named with the configuration line that asked for the language
        return fail_as("input", config_file.string() + ":" + std::to_string(ctx->config.languages_line) +
                                    ": office.languages: " + tr.error().message);
    ctx->translator = std::move(*tr);
    // The printer profiles printing and `kiosk printer list` use: the installed file, then the
    // site's own ([printer] profiles). Read now, so a mistake in either stops the start.
    std::vector<std::filesystem::path> profile_files{printer::installed_profiles_file(ctx->assets_dir)};
    if (!ctx->config.printer.site_profiles.empty()) profile_files.push_back(ctx->config.printer.site_profiles);
    auto profiles = printer::load_profile_catalog(profile_files);
    if (!profiles) {
        if (ctx->config.printer.site_profiles_line > 0 && !std::filesystem::exists(ctx->config.printer.site_profiles))
            return fail_as("input", config_file.string() + ":" + std::to_string(ctx->config.printer.site_profiles_line) +
                                        ": printer.profiles: " + profiles.error().message);
        return profiles.error();
    }
    printer::use_profile_catalog(std::move(*profiles));
    // The printer is checked before anything starts: an unknown profile or a bad --printer is
    // an error now, not a ticket issued and then silently not printed.
    if (auto profile = printer::find_profile(ctx->config.printer.profile); !profile)
        return fail_as("input", config_file.string() + ":" + std::to_string(ctx->config.printer.profile_line) +
                                    ": printer.profile: " + profile.error().message);
    if (!options.printer.empty() && options.printer != "auto")
        if (auto spec = printer::parse_printer_option(options.printer); !spec)
            return fail_as("input", "--printer " + options.printer + ": " + spec.error().message);
    return ctx;
}

int exit_code_for(const Error& e) {
    if (e.code == "input" || e.code.rfind("input.", 0) == 0) return 2;
    if (e.code == "store.corrupt") return 3;
    if (e.code == "store.newer") return 4;
    if (e.code == "store.readonly" || e.code == "store.permission") return 5;
    if (e.code == "store.full") return 6;
    if (e.code == "store.locked" || e.code == "store.in_use") return 7;
    if (e.code == "clock") return 8;
    return 1;
}

Result<std::unique_ptr<Context>> open_context(const GlobalOptions& options, StoreAccess access) {
    auto ctx = load_context(options);
    if (!ctx) return ctx;
    auto office = Office::open((*ctx)->config, (*ctx)->data_dir, (*ctx)->clock, options.device, access);
    if (!office) return office.error();
    (*ctx)->office = std::move(*office);
    // Operators from before staff were events (DATA/operators.json) move into the store, once.
    if (access == StoreAccess::ReadWrite)
        if (auto moved = migrate_operators_file(*(*ctx)->office, (*ctx)->data_dir); !moved) return moved.error();
    return ctx;
}

}  // namespace csc::app
