// display_screens.hpp — the queue display (a TV in the waiting room) and the view model it reads.
//
// Contents: CallView, BoardSectorView, DisplayView, DisplayBoard.
// Contract: the display role (roles/display.cpp) rebuilds DisplayView before each frame; the
// board only reads it (it has nothing to tap). Texts come from the Translator through
// FrameContext::t(); names from the configuration are already in the display's language.
// Sized for reading from 5 metres on a 1920×1080 screen: the newest call's number and counter
// are ~220 px tall, older calls ~100 px.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/gui/screen.hpp"
#include "kiosk/gui/screens/content_card.hpp"
#include "kiosk/gui/screens/entrance_screens.hpp"
#include "shared/config.hpp"

namespace csc::gui {

/// One call on the board (ticket → counter).
struct CallView {
    std::string ticket_id;
    std::string label;        ///< "A042"
    int counter = 0;
    std::string counter_name; ///< the counter's configured name, "" = "Sportello N"
    std::string sector_name;  ///< in the display's language
    std::string icon;         ///< UTF-8 of the sector's icon ("" if unknown)
    Rgb colour, text;         ///< sector colour and its ≥ 4.5:1 text colour
    bool recalled = false;    ///< the newest event on it was a recall
};

/// One sector's queue as the board shows it.
struct BoardSectorView {
    std::string id, name, letter, icon;
    Rgb colour, text;
    int waiting = 0;
    int open_counters = 0;
    std::optional<ForecastView> forecast;
};

/// Everything the board shows.
struct DisplayView {
    std::string town, office;
    std::string time;        ///< "10:42"
    int weekday = 0;         ///< 0 = Monday
    int day = 1, month = 1;
    bool open = true;        ///< the office is open now
    std::vector<CallView> calls;  ///< newest first, at most [display] calls_shown
    bool highlight = false;       ///< the newest call is being announced (blinks)
    bool highlight_inverted = false;  ///< blink phase: colours swapped
    std::vector<BoardSectorView> sectors;
    std::string ticker;      ///< the news line ("" = the default welcome text)
    int ticker_page = 0;     ///< which page of a ticker too long for one line
    std::string link_flag;   ///< i18n key of the LAN flag in the header ("" = none)
    /// [display] side_panel: the communication zone's page shown under the waits (none: no
    /// panel, or nothing plays); hidden while a call is announced.
    std::optional<ContentCardView> panel_item;
};

/// The whole board: header with date and clock, latest calls, waiting per sector, ticker.
class DisplayBoard final : public Screen {
public:
    explicit DisplayBoard(const DisplayView& view) : view_(view) {}
    [[nodiscard]] std::string_view name() const override { return "board"; }
    /// Pages the ticker needed at the last draw (1 = it fits: no paging timer needed).
    [[nodiscard]] int ticker_pages() const { return ticker_pages_; }

protected:
    void draw_content(FrameContext& ui) override;

private:
    void draw_calls(FrameContext& ui, ImVec2 min, ImVec2 max);
    void draw_newest(FrameContext& ui, const CallView& c, ImVec2 min, ImVec2 max);
    void draw_older(FrameContext& ui, const CallView& c, ImVec2 min, ImVec2 max);
    void draw_sectors(FrameContext& ui, ImVec2 min, ImVec2 max);
    void draw_ticker(FrameContext& ui, float top);

    const DisplayView& view_;
    int ticker_pages_ = 1;
};

}  // namespace csc::gui
