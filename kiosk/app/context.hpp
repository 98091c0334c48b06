// context.hpp — the application layer's entry (kiosk/app): what every front end (CLI
// commands, GUI roles, later the web server) shares: global options, and the office opened
// from them (configuration, translations, store). Front ends call the application layer and
// the core; nothing here includes a front end (tests/layers checks it).
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
    std::filesystem::path config;  ///< "" = /etc/csc-kiosk/office.toml (installed program), else ASSETS/site/office.toml
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

/// Resolves the directories and loads configuration, translations and the printer profiles
/// (installed + [printer] profiles; put in use with printer::use_profile_catalog); no store.
/// The configuration's warnings (SiteConfig::warnings) are written to stderr, one line each.
[[nodiscard]] Result<std::unique_ptr<Context>> load_context(const GlobalOptions& options);
/// load_context() and then opens the store and replays today's events. ReadOnly (status and
/// other readers) never writes the store and works while another program holds its write lock.
[[nodiscard]] Result<std::unique_ptr<Context>> open_context(const GlobalOptions& options,
                                                            StoreAccess access = StoreAccess::ReadWrite);
/// The process exit code for a failure, by Error::code: 2 bad input ("input", "input.*"), 3 corrupt store, 4 store
/// of a newer program, 5 read-only or permission denied, 6 disk full, 7 store locked, 8 clock
/// alarm, 1 anything else (README, "Exit codes").
[[nodiscard]] int exit_code_for(const Error& e);

}  // namespace csc::app
