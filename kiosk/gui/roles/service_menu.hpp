// service_menu.hpp — the hidden service menu over any role (issue 14 points 1, 2 and 4).
//
// Contents: with_service_menu().
// Contract: the role it wraps runs on unchanged (its updates, its deadlines, its layout dump)
// while the menu is closed, and keeps updating while it is open (a display still calls). The
// menu opens only by a gesture nobody makes by chance — five taps in the top-left corner within
// three seconds — or Ctrl+Alt+M on a keyboard, then asks the name and PIN of a staff member with
// the maintenance role (app::sign_in: audited, LAN-wide lockout). It closes by itself after
// [service_menu] idle_seconds without a touch or a key, and on "Close"; either way the sign-out
// is recorded. Its facts are read on a worker (app::gather_service_facts), never in a frame.
// Nothing here leaves the window or reaches the desktop.
#pragma once

#include <memory>

#include "kiosk/gui/roles/role.hpp"

namespace csc::gui {

/// `inner` with the service menu over it.
[[nodiscard]] std::unique_ptr<Role> with_service_menu(RoleEnv& env, std::unique_ptr<Role> inner);

}  // namespace csc::gui
