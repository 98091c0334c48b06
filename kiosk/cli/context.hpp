// context.hpp — what every command of the program shares: global options, and the office
// opened from them (configuration, translations, store).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "shared/clock.hpp"
#include "shared/config.hpp"
#include "shared/i18n.hpp"
#include "shared/office.hpp"

namespace csc::app {

/// Global options, as given on the command line.
struct GlobalOptions {
    std::filesystem::path config;  ///< "" = ASSETS/site/office.toml
    std::filesystem::path data;    ///< "" = $XDG_DATA_HOME/csc-kiosk or ~/.local/share/csc-kiosk
    std::filesystem::path assets;  ///< "" = $CSC_ASSETS, the source tree's assets, or /usr/share/csc-kiosk
    std::string printer;           ///< --printer usb|emulated|file:PATH ("" = from the config)
    std::string device;            ///< --device NAME ("" = kept in the store)
};

/// The opened office and everything a command needs.
struct Context {
    GlobalOptions options;
    std::filesystem::path assets_dir;
    std::filesystem::path data_dir;
    SiteConfig config;
    Translator translator;
    /// The wall clock; with CSC_NOW="YYYY-MM-DDTHH:MM" (office local time) in the environment
    /// it starts at that time instead (demos, end-to-end tests).
    OffsetClock clock;
    std::unique_ptr<Office> office;
};

/// Resolves the directories and loads configuration and translations (no store).
[[nodiscard]] Result<std::unique_ptr<Context>> load_context(const GlobalOptions& options);
/// load_context() and then opens the store and replays today's events.
[[nodiscard]] Result<std::unique_ptr<Context>> open_context(const GlobalOptions& options);

}  // namespace csc::app
