// web_views.hpp — what the office's web pages show, as JSON: pure functions of the office's
// state, the configuration and the translations (docs/WEB.md).
//
// Contents: WaitsInput, waits_json(), TicketInput, ticket_json(), find_ticket_by_token().
// Contract: no I/O, no clock read (the time is an argument), nothing personal: a ticket page
// shows the number, the sector, the people ahead, the forecast as on paper (told_wait) and the
// counter; public pages show counts and forecasts only. Texts come translated in the page's
// language (the ticket's own for /t/TOKEN), so the pages' JavaScript only places them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/app/office_rules.hpp"
#include "shared/config.hpp"
#include "shared/forecast.hpp"
#include "shared/i18n.hpp"
#include "shared/office.hpp"
#include "shared/office_state.hpp"

namespace csc::web {

/// What /api/waits is made of (read from the office under its lock, then rendered).
struct WaitsInput {
    std::vector<SectorOutlook> outlook;  ///< Office::sector_outlook()
    LocalTime now;                       ///< the office's local time (open or not follows)
    std::optional<app::Reopening> reopening;  ///< app::next_reopening: when a closed office opens again
};

/// /api/waits: {"updated","open","opens","today","week":[…],"sectors":[{"id","name","letter",
/// "colour","text_colour","waiting","counters_open","wait":{"form","low","high","about","text"}|null}]}
/// in `lang`.
[[nodiscard]] nlohmann::json waits_json(const SiteConfig& config, const Translator& tr, const std::string& lang,
                                        const WaitsInput& in);

/// What one ticket's page is made of.
struct TicketInput {
    Ticket ticket;                        ///< as the state has it now
    int ahead = 0;                        ///< people before it in its queue (waiting only)
    std::optional<WaitForecast> forecast; ///< its own forecast (waiting only)
    LocalTime now;
};

/// /api/t/TOKEN: {"lang","label","sector":{…},"state":"waiting|called|serving|done|gone",
/// "ahead","wait":{…}|null,"counter","title","message","updated"} in the ticket's language; when
/// "done", "feedback": "open" (the rating may be given) | "given".
[[nodiscard]] nlohmann::json ticket_json(const SiteConfig& config, const Translator& tr, const TicketInput& in);

/// Today's ticket with this token, or nullptr (unknown, malformed, or of another day).
[[nodiscard]] const Ticket* find_ticket_by_token(const OfficeState& state, std::string_view token);

}  // namespace csc::web
