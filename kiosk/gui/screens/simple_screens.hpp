// simple_screens.hpp — screens of one-screen roles (a clock, a notice): what they may show and
// the base class they derive from. Such a role is its screen plus one line in
// roles/role_table.cpp (`single_screen_role<make_…>`, its factory declared beside it): the role
// around it (roles/single_screen.*) keeps the facts current and redraws each minute.
//
// Contents: OfficeFacts, FactsScreen.
// Contract: a FactsScreen draws only from the OfficeFacts it was last shown; it has no targets
// and no intents.
#pragma once

#include <memory>
#include <string>

#include "kiosk/gui/screen.hpp"

namespace csc::gui {

/// What any simple screen may show, refreshed by its role before each frame.
struct OfficeFacts {
    std::string town, office;  ///< from the configuration
    std::string time;          ///< office local time, "10:42"
    int weekday = 0;           ///< 0 = Monday
    int day = 1, month = 1;
    std::string link_flag;     ///< i18n key of the LAN flag ("" = none)
};

/// A screen of a one-screen role.
class FactsScreen : public Screen {
public:
    /// The facts to draw from now on.
    void show(const OfficeFacts& facts) { facts_ = facts; }

protected:
    OfficeFacts facts_;
};

}  // namespace csc::gui
