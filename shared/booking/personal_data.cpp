#include "shared/booking/personal_data.hpp"

#include <map>
#include <set>

namespace csc {

Millis personal_data_cutoff(int agenda_day, const SiteConfig& config) {
    if (agenda_day <= 0) return 0;
    // Agenda::roll_to forgets a booking when day_number(its day) + keep_days < day_number(today).
    const long first_kept = days_from_civil(agenda_day / 10000, agenda_day / 100 % 100, agenda_day % 100) -
                            config.booking.keep_days;
    return config.timezone.from_local(civil_from_days(first_kept), 0);
}

bool is_purged_person(std::string_view person) { return !person.empty() && person.front() == '~'; }

PersonalDataPurge plan_personal_data_purge(const std::vector<Event>& made, const std::vector<const Agenda*>& live,
                                           std::string_view batch) {
    // Keys that a live booking still has stay as they are: a purged event and a live booking of
    // the same citizen must still compare equal when the log is replayed.
    PersonalDataPurge out;
    auto& live_persons = out.live_persons;
    for (const Agenda* a : live)
        for (const auto& b : a->bookings())
            if (!b.person.empty()) live_persons.insert(b.person);
    auto& tokens = out.tokens;  // person key → this purge's token
    for (const Event& e : made) {
        const auto* m = std::get_if<BookingMade>(&e.body);
        if (!m) continue;
        bool held = false;
        for (const Agenda* a : live) held = held || a->find(m->code) != nullptr;
        if (held) continue;  // still in the agenda (moved to a later day, or not old enough)
        BookingMade r = *m;
        r.name = std::string(kPurgedName);
        r.contact.clear();
        if (!r.person.empty() && !is_purged_person(r.person) && !live_persons.count(r.person)) {
            auto [it, fresh] = tokens.try_emplace(r.person);
            if (fresh) it->second = "~" + std::string(batch) + "." + std::to_string(tokens.size());
            r.person = it->second;
        }
        if (r == *m) continue;  // nothing personal left in it
        Event copy = e;
        copy.body = std::move(r);
        out.rewritten.push_back(std::move(copy));
        ++out.bookings;
    }
    return out;
}

PersonalDataPurge plan_snapshot_purge(const std::vector<Event>& snapshots, Millis cutoff, PersonalDataPurge& made_plan,
                                      std::string_view batch) {
    PersonalDataPurge out;
    for (const Event& e : snapshots) {
        const auto* part = std::get_if<AgendaSnapshot>(&e.body);
        if (!part) continue;
        AgendaSnapshot r = *part;
        int cleared = 0;
        for (auto& b : r.bookings) {
            if (b.slot >= cutoff || b.person.empty() || is_purged_person(b.person) || made_plan.live_persons.count(b.person))
                continue;
            auto [it, fresh] = made_plan.tokens.try_emplace(b.person);
            if (fresh) it->second = "~" + std::string(batch) + "." + std::to_string(made_plan.tokens.size());
            b.person = it->second;
            ++cleared;
        }
        if (cleared == 0) continue;
        Event copy = e;
        copy.body = std::move(r);
        out.rewritten.push_back(std::move(copy));
        out.bookings += cleared;
    }
    return out;
}

}  // namespace csc
