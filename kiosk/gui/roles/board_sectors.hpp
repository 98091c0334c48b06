// board_sectors.hpp — the sectors' tiles of the screens that show every queue at a glance (the
// queue display, the totem): built from the configuration, then kept current from the office.
//
// Contents: board_sectors(), apply_outlook().
// Contract: UI thread; no I/O. A sector's texts in `lang`, its colours as configured (text ≥ 4.5:1).
#pragma once

#include <string>
#include <vector>

#include "kiosk/gui/icon_font.hpp"
#include "kiosk/gui/screens/display_screens.hpp"
#include "shared/forecast/outlook.hpp"

namespace csc::gui {

/// One tile per configured sector, in the configuration's order, nothing waiting yet.
[[nodiscard]] std::vector<BoardSectorView> board_sectors(const SiteConfig& config, const std::string& lang, const IconMap& icons);
/// The outlook's counts and forecasts (told as the ticket tells them) into the tiles of the same sector.
void apply_outlook(std::vector<BoardSectorView>& tiles, const std::vector<SectorOutlook>& outlook);

}  // namespace csc::gui
