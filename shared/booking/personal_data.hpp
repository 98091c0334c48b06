// personal_data.hpp — forgetting citizens: the personal fields of booking events that the
// agenda no longer keeps (issue 11, "purged after a configurable number of days").
//
// Contents: kPurgedName, personal_data_cutoff(), is_purged_person(), PersonalDataPurge,
//           plan_personal_data_purge(), plan_snapshot_purge().
// Contract: pure (no store, no clock). The agenda forgets a booking keep_days after its day
// (Agenda::roll_to); the store still holds its booking.made event, with the name, contact and
// person key. plan_personal_data_purge() says which stored booking.made events to rewrite and
// how, so that replaying the log gives the SAME state as before: only events whose booking no
// live agenda holds (forgotten, or never applied) are touched; the name becomes kPurgedName and
// the contact "" (neither is ever judged on); the person key (judged by the per-person limit)
// is replaced by a token that keeps equality — equal keys get one token per purge, and a key
// that a live booking still has is kept — so every refusal and acceptance replays alike.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "shared/booking/agenda.hpp"
#include "shared/config.hpp"
#include "shared/events.hpp"

namespace csc {

/// The name a purged booking.made carries (the decoder wants one).
inline constexpr std::string_view kPurgedName = "(purged)";

/// The start of the earliest local day whose bookings an agenda rolled to `agenda_day`
/// (YYYYMMDD) still keeps: bookings with a slot before it are forgotten (0 when agenda_day is 0).
[[nodiscard]] Millis personal_data_cutoff(int agenda_day, const SiteConfig& config);

/// Whether a person key is a purge token (never a citizen's key).
[[nodiscard]] bool is_purged_person(std::string_view person);

/// What a purge rewrites.
struct PersonalDataPurge {
    std::vector<Event> rewritten;  ///< booking.made events with their personal fields redacted (same id, time, code)
    int bookings = 0;              ///< how many (one booking each)
    std::map<std::string, std::string, std::less<>> tokens;  ///< person key → this purge's token
    std::set<std::string, std::less<>> live_persons;         ///< keys a live booking has (kept)
};

/// Plans the purge of `made` (stored booking.made events stamped before the cutoff) given the
/// agendas that must not change (`live`: the state, and in LAN mode the confirmed state too).
/// `batch` names this purge (unique per run: the purge's time); tokens are "~<batch>.<n>".
[[nodiscard]] PersonalDataPurge plan_personal_data_purge(const std::vector<Event>& made,
                                                         const std::vector<const Agenda*>& live, std::string_view batch);

/// Plans the purge of stored agenda.snapshot parts (LAN, docs/BOOKING.md): they carry no name
/// or contact, but the person key of every booking. A booking with its slot before `cutoff`
/// (forgotten by every agenda that rolled past it) gets the same token as the booking.made
/// events of `made_plan` (this run's booking purge), or its key is kept when a live booking has
/// it, so a replay that adopts the part judges every later event as before. Parts that change
/// are returned, with the number of bookings changed in `bookings`.
[[nodiscard]] PersonalDataPurge plan_snapshot_purge(const std::vector<Event>& snapshots, Millis cutoff,
                                                    PersonalDataPurge& made_plan, std::string_view batch);

}  // namespace csc
