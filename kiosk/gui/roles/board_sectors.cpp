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

CallView call_view(const Ticket& t, bool recalled, const SiteConfig& config, const std::string& lang, const IconMap& icons) {
    CallView c;
    c.ticket_id = t.id;
    c.label = t.label;
    c.counter = t.counter;
    c.recalled = recalled;
    if (const CounterConfig* cc = config.find_counter(t.counter)) c.counter_name = cc->name.get(lang);
    if (const Sector* s = config.find_sector(t.sector)) {
        c.sector_name = s->name.get(lang);
        c.colour = s->colour;
        c.text = s->text_colour;
        if (auto code = icons.find(s->icon)) c.icon = utf8_of(*code);
    } else {
        c.colour = {0x0B, 0x3D, 0x73};  // palette::kHeader: white text 11:1
        c.text = {0xFF, 0xFF, 0xFF};
    }
    return c;
}

}  // namespace csc::gui
