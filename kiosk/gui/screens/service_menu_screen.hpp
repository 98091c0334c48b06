// service_menu_screen.hpp — the hidden service menu's pages (issue 14 points 2 and 4): printer,
// network, configuration, log, today's figures as charts. Staff-facing, in the office's first
// language; every text arrives translated in the view.
//
// Contents: ServiceTone, ServiceRow, ServiceBar, ServiceMenuView, ServiceMenuIntents, ServiceMenuScreen.
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
    bool loading = false;                               ///< facts being read
    std::string closes_in;                              ///< "Closes in 9 s" near the idle limit ("" = not shown)
    std::string close_label, refresh_label;
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
    const ServiceMenuView& view_;
    ServiceMenuIntents& intents_;
};

}  // namespace csc::gui
