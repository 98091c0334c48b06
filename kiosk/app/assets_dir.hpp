// assets_dir.hpp — where the assets are (translations, fonts, sample site), for commands that
// need them without a configuration (`kiosk translations`).
#pragma once

#include <filesystem>

#include "kiosk/app/context.hpp"

namespace csc::app {

/// --assets, else $CSC_ASSETS, else the source tree's assets, else /usr/share/csc-kiosk.
[[nodiscard]] std::filesystem::path assets_dir(const GlobalOptions& options);

}  // namespace csc::app
