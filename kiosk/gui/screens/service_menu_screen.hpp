// service_menu_screen.hpp — the hidden service menu's pages (issue 14 points 2 and 4): printer,
// network, configuration, log, today's figures as charts, the day, the device. Staff-facing, in
// the office's first language; every text arrives translated in the view.
//
// Contents: ServiceTone, ServiceRow, ServiceBar, ServiceAction, ServiceMenuView, ServiceMenuIntents, ServiceMenuScreen.
// Contract: the role (roles/service_menu.cpp) makes the view from facts read off the frame loop;
// the screen only draws it (the charts with the GUI's own drawing) and calls the intents.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kiosk/gui/screen.hpp"
#include "shared/config.hpp"

namespace csc::gui {

/// How a line reads: plain, fine, needs a look, wrong.
enum class ServiceTone { Plain, Ok, Warn, Error };

/// One line of a page: what, and its state.
struct ServiceRow {
    std::string label, value;
    ServiceTone tone = ServiceTone::Plain;
};

/// One bar of a chart.
struct ServiceBar {
    std::string label;  ///< under the bar ("09", "Anagrafe")
    double value = 0;
    std::string value_text;  ///< above the bar ("12")
    Rgb colour{0x0B, 0x3D, 0x73};
};

/// A button of a page ("Print a test page", a printer profile to choose).
struct ServiceAction {
    std::string id, label;
    bool danger = false;    ///< drawn as a warning (it asks for confirmation first)
    bool selected = false;  ///< the choice in use (profiles)
};

/// The screen and touch check: a pattern over the whole screen, the touches marked on it.
struct ServicePattern {
    bool shown = false;
    std::vector<Rgb> colours;    ///< the bars (the sectors' colours, then black, grey, white)
    std::vector<ImVec2> marks;   ///< where the screen was touched, newest last
    std::string hint, done_label;
};

/// Everything the service menu shows.
struct ServiceMenuView {
    std::string title, subtitle, time;
    std::string page;                                   ///< id of the page shown
    std::vector<std::pair<std::string, std::string>> pages;  ///< (id, label) in the menu
    std::string heading;                                ///< the page's title
    std::vector<ServiceRow> rows;                       ///< the page's lines
    std::string note;                                   ///< under the lines ("" = none)
    std::string chart_title, chart2_title;              ///< the statistics page's charts
    std::vector<ServiceBar> chart, chart2;
    std::string line_title;                             ///< today's queue as a line ("" = not shown)
    std::vector<ServiceBar> line;                       ///< its points (label "" between the hours)
    bool loading = false;                               ///< facts being read
    std::string closes_in;                              ///< "Closes in 9 s" near the idle limit ("" = not shown)
    std::string close_label, refresh_label;
    std::vector<ServiceAction> actions;                 ///< the page's buttons, under its lines
    std::string choices_title;                          ///< above `choices` ("" = none)
    std::vector<ServiceAction> choices;                 ///< one of many (the printer profile, the log's filter)
    bool choices_first = false;                         ///< the choices above the lines (a filter), not under the buttons
    Picture picture;                                    ///< the last ticket's paper (empty = none)
    std::string picture_caption;
    std::string outcome;                                ///< what the last action did ("" = nothing yet)
    ServiceTone outcome_tone = ServiceTone::Plain;
    std::string question, yes_label, no_label;          ///< a confirmation asked over the page ("" = none)
    ServicePattern pattern;
};

/// What the maintainer can ask for.
class ServiceMenuIntents {
public:
    virtual ~ServiceMenuIntents() = default;
    virtual void open_page(const std::string& id) = 0;
    /// Reads the facts again (and checks the configuration file again).
    virtual void refresh() = 0;
    /// Signs out and gives the screen back to its role.
    virtual void close_menu() = 0;
    /// A page's button or choice (ServiceAction::id).
    virtual void act(const std::string& id) = 0;
    /// The answer to the question asked.
    virtual void answer(bool yes) = 0;
    /// A touch on the screen check's pattern (window pixels); `done`: its "Done" button.
    virtual void pattern_touch(ImVec2 at, bool done) = 0;
};

/// The menu: a column of pages on the left, the page on the right.
class ServiceMenuScreen final : public Screen {
public:
    ServiceMenuScreen(const ServiceMenuView& view, ServiceMenuIntents& intents) : view_(view), intents_(intents) {}
    [[nodiscard]] std::string_view name() const override { return "service_menu"; }

protected:
    void draw_content(FrameContext& ui) override;

private:
    void draw_chart(FrameContext& ui, ImVec2 min, ImVec2 max, const std::string& title, const std::vector<ServiceBar>& bars,
                    const std::string& id);
    void draw_line(FrameContext& ui, ImVec2 min, ImVec2 max, const std::string& title, const std::vector<ServiceBar>& points,
                   const std::string& id);
    float draw_actions(FrameContext& ui, float x, float y, float width);
    float draw_choices(FrameContext& ui, float x, float y, float width);
    void draw_question(FrameContext& ui);
    void draw_pattern(FrameContext& ui);
    const ServiceMenuView& view_;
    ServiceMenuIntents& intents_;
};

}  // namespace csc::gui
