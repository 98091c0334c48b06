// The sectors' tiles (board_sectors.hpp).
#include "kiosk/gui/roles/board_sectors.hpp"

namespace csc::gui {

std::vector<BoardSectorView> board_sectors(const SiteConfig& config, const std::string& lang, const IconMap& icons) {
    std::vector<BoardSectorView> tiles;
    for (const auto& s : config.sectors) {
        BoardSectorView v;
        v.id = s.id;
        v.name = s.name.get(lang);
        v.letter = s.letter;
        v.colour = s.colour;
        v.text = s.text_colour;
        if (auto c = icons.find(s.icon)) v.icon = utf8_of(*c);
        tiles.push_back(std::move(v));
    }
    return tiles;
}

void apply_outlook(std::vector<BoardSectorView>& tiles, const std::vector<SectorOutlook>& outlook) {
    for (auto& v : tiles)
        for (const auto& o : outlook)
            if (o.sector == v.id) {
                v.waiting = o.waiting;
                v.open_counters = o.open_counters;
                v.forecast.reset();
                if (o.forecast) v.forecast = told_wait(*o.forecast);  // the ticket's rounding
            }
}

}  // namespace csc::gui
