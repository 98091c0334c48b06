// assets_dir.hpp — where the assets are (translations, fonts, sample site), for commands that
// need them without a configuration (`kiosk translations`), and where the store is, for commands
// that must not open it (`kiosk backup`, `kiosk restore`).
#pragma once

#include <filesystem>

#include "kiosk/app/context.hpp"

namespace csc::app {

/// --assets, else $CSC_ASSETS, else /usr/share/csc-kiosk for the installed program (/usr/bin/kiosk),
/// else the source tree's assets, else /usr/share/csc-kiosk.
[[nodiscard]] std::filesystem::path assets_dir(const GlobalOptions& options);
/// --data, else /var/lib/csc-kiosk for the installed program, else $XDG_DATA_HOME/csc-kiosk, else
/// ~/.local/share/csc-kiosk, else /var/lib/csc-kiosk.
[[nodiscard]] std::filesystem::path data_dir(const GlobalOptions& options);

}  // namespace csc::app
