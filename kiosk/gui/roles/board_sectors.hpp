// board_sectors.hpp — what the screens that show every queue at a glance (the queue display, the
// totem) build alike: the sectors' tiles, from the configuration and then the office, and a call.
//
// Contents: board_sectors(), apply_outlook(), call_view().
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
/// A call of ticket `t` as a screen shows it: its counter's name and its sector's name, icon and
/// colours in `lang` (an unknown sector: the header's colours, white on dark blue, 11:1).
[[nodiscard]] CallView call_view(const Ticket& t, bool recalled, const SiteConfig& config, const std::string& lang,
                                 const IconMap& icons);

}  // namespace csc::gui
