// The roles `kiosk run --role` can start. Adding a role (display, counter, …) = a new file in
// roles/ with its make function, and one line here. A role that is one screen (a clock, a
// notice) needs no role file: its screen (a FactsScreen, screens/simple_screens.hpp), its
// factory declared here and `&single_screen_role<factory>` in the table.
#include "kiosk/gui/roles/role.hpp"

#include <sodium.h>

#include "kiosk/gui/roles/single_screen.hpp"

namespace csc::gui {

std::string link_state(const RoleEnv& env) {
    if (!env.link) return "none";
    const auto st = env.link();
    return !st.online ? "offline" : st.stale ? "stale" : "online";
}

std::string local_hhmm(const SiteConfig& config, Millis t) {
    const LocalTime l = config.timezone.to_local(t);
    return two_digits(l.hour) + ":" + two_digits(l.minute);
}

void wipe_secret(std::string& s) {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
    s.clear();
}

std::string link_flag(const RoleEnv& env) {
    const auto state = link_state(env);
    return state == "offline" ? "link.offline" : state == "stale" ? "link.stale" : "";
}

Result<std::unique_ptr<Role>> make_entrance_role(RoleEnv& env);  // roles/entrance.cpp
Result<std::unique_ptr<Role>> make_display_role(RoleEnv& env);   // roles/display.cpp
WindowDefaults display_window_defaults(const SiteConfig& config);
Result<std::unique_ptr<Role>> make_counter_role(RoleEnv& env);   // roles/counter.cpp
WindowDefaults counter_window_defaults(const SiteConfig& config);
Result<std::unique_ptr<Role>> make_infopoint_role(RoleEnv& env); // roles/infopoint.cpp
WindowDefaults infopoint_window_defaults(const SiteConfig& config);
Result<std::unique_ptr<Role>> make_feedback_role(RoleEnv& env);  // roles/feedback.cpp
WindowDefaults feedback_window_defaults(const SiteConfig& config);
Result<std::unique_ptr<Role>> make_totem_role(RoleEnv& env);     // roles/totem.cpp
WindowDefaults totem_window_defaults(const SiteConfig& config);
std::unique_ptr<FactsScreen> make_clock_screen();                // screens/clock_face.cpp

namespace {
constexpr RoleInfo kRoles[] = {
    {"entrance", "entrance kiosk: the citizen chooses a service and takes a ticket", &make_entrance_role},
    {"display", "queue display (TV): latest calls, waiting per sector, spoken calls", &make_display_role,
     &display_window_defaults},
    {"counter", "counter terminal (operator's PC, --counter N): sign in by PIN, call, serve, transfer, pause",
     &make_counter_role, &counter_window_defaults},
    {"infopoint", "Info Point (staff, landscape): sign in by PIN; tickets for citizens, queues, agenda, bookings",
     &make_infopoint_role, &infopoint_window_defaults},
    {"totem", "information totem (portrait): the town's deadlines, initiatives and events a page at a time, waits per sector; calls pre-empt",
     &make_totem_role, &totem_window_defaults, true},
    {"clock", "a clock: the office's time and date, large", &single_screen_role<make_clock_screen>},
    {"feedback", "satisfaction screen beside a counter (--counter N): after each service, three faces and, for bad, a reason",
     &make_feedback_role, &feedback_window_defaults},
};
}  // namespace

std::span<const RoleInfo> role_table() { return kRoles; }

const RoleInfo* find_role(std::string_view name) {
    for (const auto& r : kRoles)
        if (r.name == name) return &r;
    return nullptr;
}

}  // namespace csc::gui
