#include "kiosk/cli/context.hpp"

#include <cstdio>
#include <cstdlib>

namespace csc::app {

namespace {

std::filesystem::path default_assets() {
    if (const char* env = std::getenv("CSC_ASSETS"); env && *env) return env;
    if (std::filesystem::exists(std::filesystem::path(CSC_SOURCE_ASSETS) / "site")) return CSC_SOURCE_ASSETS;
    return "/usr/share/csc-kiosk";
}

std::filesystem::path default_data() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "csc-kiosk";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local/share/csc-kiosk";
    return "/var/lib/csc-kiosk";
}

}  // namespace

Result<std::unique_ptr<Context>> load_context(const GlobalOptions& options) {
    auto ctx = std::make_unique<Context>();
    ctx->options = options;
    ctx->assets_dir = options.assets.empty() ? default_assets() : options.assets;
    ctx->data_dir = options.data.empty() ? default_data() : options.data;
    const auto config_file = options.config.empty() ? ctx->assets_dir / "site/office.toml" : options.config;
    auto cfg = load_site_config(config_file);
    if (!cfg) return cfg.error();
    ctx->config = std::move(*cfg);
    if (const char* now = std::getenv("CSC_NOW"); now && *now) {
        const std::string text(now);
        auto date = Date::parse(text.substr(0, 10));
        int hour = -1, minute = -1;
        if (text.size() == 16 && text[10] == 'T') std::sscanf(text.c_str() + 11, "%2d:%2d", &hour, &minute);
        if (!date || hour < 0 || hour > 23 || minute < 0 || minute > 59)
            return fail("CSC_NOW=\"" + text + "\": expected office local time as YYYY-MM-DDTHH:MM");
        ctx->clock.start_at(ctx->config.timezone.from_local(*date, hour * 60 + minute));
    }
    auto tr = Translator::load(ctx->assets_dir / "i18n", ctx->config.languages);
    if (!tr) return tr.error();
    ctx->translator = std::move(*tr);
    return ctx;
}

Result<std::unique_ptr<Context>> open_context(const GlobalOptions& options) {
    auto ctx = load_context(options);
    if (!ctx) return ctx;
    auto office = Office::open((*ctx)->config, (*ctx)->data_dir, (*ctx)->clock, options.device);
    if (!office) return office.error();
    (*ctx)->office = std::move(*office);
    return ctx;
}

}  // namespace csc::app
