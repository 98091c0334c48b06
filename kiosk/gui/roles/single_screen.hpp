// single_screen.hpp — the role around a one-screen role's screen (a clock, a notice): it keeps
// the screen's OfficeFacts current from the office's clock and configuration and asks for a
// redraw each minute, so adding such a role is its screen plus one line in role_table.cpp.
//
// Contents: make_single_screen_role(), single_screen_role<>.
// Contract: as Role (roles/role.hpp); no threads of its own, nothing recorded.
#pragma once

#include <memory>

#include "kiosk/gui/roles/role.hpp"
#include "kiosk/gui/screens/simple_screens.hpp"

namespace csc::gui {

/// A role that shows `screen` and nothing else, in the office's first language (or --lang).
[[nodiscard]] Result<std::unique_ptr<Role>> make_single_screen_role(RoleEnv& env, std::unique_ptr<FactsScreen> screen);

/// The role table's `make` for a one-screen role: `&single_screen_role<make_clock_screen>`.
template <std::unique_ptr<FactsScreen> (*MakeScreen)()>
Result<std::unique_ptr<Role>> single_screen_role(RoleEnv& env) {
    return make_single_screen_role(env, MakeScreen());
}

}  // namespace csc::gui
