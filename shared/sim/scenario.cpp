#include "shared/sim/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "shared/toml_reader.hpp"

namespace csc::sim {

namespace {

// The scenario's reader: the shared TOML getters plus lists of opening ranges.
class Reader : public TomlReader {
public:
    using TomlReader::TomlReader;

    std::vector<TimeRange> ranges(const toml::table& t, std::string_view key, const std::string& where) const {
        std::vector<TimeRange> out;
        const toml::node* n = t.get(key);
        if (!n) return out;
        if (!n->is_array()) problem(*n, "\"" + std::string(key) + "\" in " + where + " must be a list of \"HH:MM-HH:MM\"");
        for (const auto& e : *n->as_array()) {
            const auto parsed = e.is_string() ? parse_time_range(e.as_string()->get()) : std::nullopt;
            if (!parsed)
                problem(e, "\"" + std::string(key) + "\" in " + where + ": expected a time range like \"08:30-12:30\"");
            const TimeRange r{parsed->first, parsed->second};
            if (!out.empty() && r.begin < out.back().end)
                problem(e, "\"" + std::string(key) + "\" in " + where + ": ranges must be in order and not overlap");
            out.push_back(r);
        }
        return out;
    }
};

Scenario parse(const toml::table& root, const Reader& rd) {
    Scenario s;
    rd.only_keys(root, {"scenario", "queue", "arrivals", "sector", "counter"}, "the scenario");
    const toml::node* sn = root.get("scenario");
    if (!sn) throw TomlProblem{"missing table [scenario]"};
    const auto& st = rd.table(*sn, "[scenario]");
    rd.only_keys(st, {"name", "hours", "start", "day_speed_sd", "patience_mean", "patience_cv", "no_show_cost",
                      "pause_rate_per_hour", "pause_minutes", "outage_rate_per_hour", "outage_minutes", "surge_share",
                      "surge", "surge_factor"},
                 "[scenario]");
    s.name = rd.string(st, "name", "[scenario]");
    s.hours = rd.ranges(st, "hours", "[scenario]");
    if (s.hours.empty()) rd.problem(st, "[scenario] needs hours = [\"08:30-12:30\"]");
    if (st.get("start")) {
        auto d = Date::parse(rd.string(st, "start", "[scenario]"));
        if (!d) rd.problem(*st.get("start"), d.error().message);
        s.start = *d;
    }
    s.day_speed_sd = rd.number(st, "day_speed_sd", "[scenario]", 0.10, 0, 1);
    s.patience_mean = rd.number(st, "patience_mean", "[scenario]", 60, 1, 1000);
    s.patience_cv = rd.number(st, "patience_cv", "[scenario]", 0.5, 0, 3);
    s.no_show_cost = rd.number(st, "no_show_cost", "[scenario]", 1, 0, 30);
    s.pause_rate_per_hour = rd.number(st, "pause_rate_per_hour", "[scenario]", 0, 0, 10);
    s.pause_minutes = rd.number(st, "pause_minutes", "[scenario]", 8, 0.5, 120);
    s.outage_rate_per_hour = rd.number(st, "outage_rate_per_hour", "[scenario]", 0, 0, 10);
    s.outage_minutes = rd.number(st, "outage_minutes", "[scenario]", 40, 1, 480);
    s.surge_share = rd.number(st, "surge_share", "[scenario]", 0, 0, 1);
    s.surge = rd.ranges(st, "surge", "[scenario]");
    s.surge_factor = rd.number(st, "surge_factor", "[scenario]", 2.5, 0, 20);
    if (s.surge_share > 0 && s.surge.empty()) rd.problem(st, "[scenario] surge_share needs surge = [\"HH:MM-HH:MM\"]");

    if (const toml::node* qn = root.get("queue")) {
        const auto& q = rd.table(*qn, "[queue]");
        rd.only_keys(q, {"policy", "walk_ins_per_priority", "appointment_early_minutes", "appointment_late_minutes"}, "[queue]");
        const auto policy = rd.string(q, "policy", "[queue]", std::string("strict"));
        if (policy == "alternate") s.queue.mode = QueuePolicy::Mode::Alternate;
        else if (policy != "strict") rd.problem(*q.get("policy"), "queue.policy must be \"strict\" or \"alternate\"");
        s.queue.walk_ins_per_priority = static_cast<int>(rd.number(q, "walk_ins_per_priority", "[queue]", 2, 1, 50));
        s.queue.appointment_early_min = static_cast<int>(rd.number(q, "appointment_early_minutes", "[queue]", 10, 0, 240));
        s.queue.appointment_late_min = static_cast<int>(rd.number(q, "appointment_late_minutes", "[queue]", 15, 0, 240));
    }
    if (const toml::node* an = root.get("arrivals")) {
        const auto& a = rd.table(*an, "[arrivals]");
        rd.only_keys(a, {"profile", "patience_profile"}, "[arrivals]");
        if (const toml::node* p = a.get("profile")) {
            if (!p->is_array()) rd.problem(*p, "arrivals.profile must be a list of numbers");
            for (const auto& e : *p->as_array()) {
                // Written so that NaN (which fails every comparison) is refused too.
                if (!e.is_number() || !(e.value_or(0.0) >= 0) || !std::isfinite(e.value_or(0.0)))
                    rd.problem(e, "arrivals.profile: every entry must be a number >= 0");
                s.profile.push_back(e.value_or(0.0));
            }
        }
        if (const toml::node* p = a.get("patience_profile")) {
            if (!p->is_array()) rd.problem(*p, "arrivals.patience_profile must be a list of numbers");
            for (const auto& e : *p->as_array()) {
                const double v = e.value_or(0.0);
                if (!e.is_number() || !(v >= 0.05 && v <= 20))
                    rd.problem(e, "arrivals.patience_profile: every entry must be a number from 0.05 to 20");
                s.patience_profile.push_back(v);
            }
        }
    }
    const int first_hour = s.hours.front().begin / 60, last_hour = (s.hours.back().end - 1) / 60;
    if (s.profile.empty()) s.profile.assign(static_cast<std::size_t>(last_hour - first_hour + 1), 1.0);
    if (static_cast<int>(s.profile.size()) != last_hour - first_hour + 1)
        rd.problem(*root.get("arrivals"), "arrivals.profile needs one entry per clock hour from " + std::to_string(first_hour) +
                                              ":00 to " + std::to_string(last_hour) + ":00 (" +
                                              std::to_string(last_hour - first_hour + 1) + " entries)");
    if (!s.patience_profile.empty() && s.patience_profile.size() != s.profile.size())
        rd.problem(*root.get("arrivals"), "arrivals.patience_profile needs one entry per clock hour from " + std::to_string(first_hour) +
                                              ":00 to " + std::to_string(last_hour) + ":00 (" +
                                              std::to_string(last_hour - first_hour + 1) + " entries)");

    const toml::node* secs = root.get("sector");
    if (!secs || !secs->is_array() || secs->as_array()->empty()) rd.problem(root, "no [[sector]] defined");
    std::set<std::string> ids, booking_ids;
    for (const auto& n : *secs->as_array()) {
        const auto& t = rd.table(n, "[[sector]]");
        SectorScenario sec;
        sec.id = rd.string(t, "id", "[[sector]]");
        const std::string where = "sector \"" + sec.id + "\"";
        rd.only_keys(t, {"id", "name", "walk_ins", "priority_share", "service_mean", "service_cv", "appointments",
                         "appointment_every", "appointment_no_show", "appointment_late_share", "appointment_late_mean", "service_share_2", "service_mean_2", "service_cv_2",
                         "expected_service_minutes", "expected_walk_ins_per_day", "patience_mean", "patience_cv", "booking"},
                     where);
        if (!ids.insert(sec.id).second) rd.problem(*t.get("id"), where + " is defined twice");
        sec.name = rd.string(t, "name", where, std::string(sec.id));
        sec.walk_ins = rd.number(t, "walk_ins", where, 60, 0, 5000);
        sec.priority_share = rd.number(t, "priority_share", where, 0.05, 0, 1);
        sec.service_mean = rd.number(t, "service_mean", where, 8, 0.2, 240);
        sec.service_cv = rd.number(t, "service_cv", where, 0.6, 0, 3);
        sec.appointments = static_cast<int>(rd.number(t, "appointments", where, 0, 0, 500));
        sec.appointment_every = static_cast<int>(rd.number(t, "appointment_every", where, 15, 1, 240));
        sec.appointment_no_show = rd.number(t, "appointment_no_show", where, 0.15, 0, 1);
        sec.appointment_late_share = rd.number(t, "appointment_late_share", where, 0, 0, 1);
        sec.appointment_late_mean = rd.number(t, "appointment_late_mean", where, 8, 0.5, 240);
        sec.service_share_2 = rd.number(t, "service_share_2", where, 0, 0, 1);
        sec.service_mean_2 = rd.number(t, "service_mean_2", where, 25, 0.2, 240);
        sec.service_cv_2 = rd.number(t, "service_cv_2", where, 0.4, 0, 3);
        if (t.get("expected_service_minutes"))
            sec.expected_service_minutes = rd.number(t, "expected_service_minutes", where, 8, Sector::kExpectedServiceMin, Sector::kExpectedServiceMax);
        if (t.get("expected_walk_ins_per_day"))
            sec.expected_walk_ins_per_day = rd.number(t, "expected_walk_ins_per_day", where, 50, 0, Sector::kExpectedWalkInsMax);
        if (t.get("patience_mean")) sec.patience_mean = rd.number(t, "patience_mean", where, 60, 1, 1000);
        if (t.get("patience_cv")) sec.patience_cv = rd.number(t, "patience_cv", where, 0.5, 0, 3);
        // Its bookable services: [[sector.booking]] (each defaulting to the sector's appointment_*
        // keys), or one named as the sector.
        if (const toml::node* bn = t.get("booking")) {
            if (!bn->is_array() || bn->as_array()->empty()) rd.problem(*bn, where + ": booking must be [[sector.booking]] tables");
            double shares = 0;
            for (const auto& e : *bn->as_array()) {
                const std::string bwhere = where + ", [[sector.booking]]";
                const auto& bt = rd.table(e, bwhere);
                rd.only_keys(bt, {"id", "share", "no_show", "late_share", "late_mean"}, bwhere);
                BookingKind k;
                k.id = rd.string(bt, "id", bwhere);
                if (!booking_ids.insert(k.id).second) rd.problem(*bt.get("id"), bwhere + ": id \"" + k.id + "\" is used twice");
                k.share = rd.number(bt, "share", bwhere, 1, 0, 1);
                k.no_show = rd.number(bt, "no_show", bwhere, sec.appointment_no_show, 0, 1);
                k.late_share = rd.number(bt, "late_share", bwhere, sec.appointment_late_share, 0, 1);
                k.late_mean = rd.number(bt, "late_mean", bwhere, sec.appointment_late_mean, 0.5, 240);
                shares += k.share;
                sec.bookings.push_back(k);
            }
            if (std::abs(shares - 1) > 0.001) rd.problem(*bn, where + ": the shares of its [[sector.booking]] must add up to 1");
            if (sec.appointments <= 0) rd.problem(*bn, where + ": [[sector.booking]] needs appointments > 0");
        } else if (sec.appointments > 0) {
            if (!booking_ids.insert(sec.id).second) rd.problem(*t.get("id"), where + ": a [[sector.booking]] already has its id");
            sec.bookings.push_back({sec.id, 1, sec.appointment_no_show, sec.appointment_late_share, sec.appointment_late_mean});
        }
        s.sectors.push_back(sec);
    }
    const toml::node* cs = root.get("counter");
    if (!cs || !cs->is_array() || cs->as_array()->empty()) rd.problem(root, "no [[counter]] defined");
    std::set<int> numbers;
    for (const auto& n : *cs->as_array()) {
        const auto& t = rd.table(n, "[[counter]]");
        rd.only_keys(t, {"number", "sectors", "staffed"}, "[[counter]]");
        CounterScenario c;
        if (!t.get("number")) rd.problem(t, "a [[counter]] needs a number");
        c.number = static_cast<int>(rd.number(t, "number", "[[counter]]", 0, 1, 999));
        const std::string where = "counter " + std::to_string(c.number);
        if (!numbers.insert(c.number).second) rd.problem(*t.get("number"), where + " is defined twice");
        const toml::node* sl = t.get("sectors");
        if (!sl || !sl->is_array() || sl->as_array()->empty()) rd.problem(t, where + " needs sectors = [\"...\"]");
        for (const auto& e : *sl->as_array()) {
            if (!e.is_string() || !ids.count(e.as_string()->get())) rd.problem(e, where + " serves an unknown sector");
            c.sectors.push_back(e.as_string()->get());
        }
        c.staffed = rd.ranges(t, "staffed", where);
        s.counters.push_back(c);
    }
    return s;
}

}  // namespace

Result<Scenario> parse_scenario(std::string_view text, const std::string& name) {
    return parse_toml<Scenario>(text, name, [&](const toml::table& root, const TomlReader&) {
        return parse(root, Reader(name));
    });
}

Result<Scenario> load_scenario(const std::filesystem::path& file) {
    auto text = read_toml_file(file, "scenario file");
    if (!text) return text.error();
    return parse_scenario(*text, file.string());
}

SiteConfig site_config_of(const Scenario& s) {
    SiteConfig cfg;
    cfg.office_name = s.name;
    cfg.timezone = *OfficeTimeZone::named("UTC");
    for (auto& day : cfg.hours.weekly) day = s.hours;
    cfg.hours.national_holidays = false;  // a simulated office works every day it simulates
    cfg.queue = s.queue;
    PriorityClass p;
    p.id = "priority";
    p.name.by_lang["it"] = "Priorità";
    cfg.priorities.push_back(p);
    char letter = 'A';
    for (const auto& sec : s.sectors) {
        Sector x;
        x.id = sec.id;
        x.name.by_lang["it"] = sec.name;
        x.colour = Rgb{31, 95, 173};
        x.text_colour = Rgb{255, 255, 255};
        x.letter = std::string(1, letter++);
        x.expected_service_minutes = sec.expected_service_minutes;
        x.expected_walk_ins_per_day = sec.expected_walk_ins_per_day;
        cfg.sectors.push_back(x);
    }
    for (const auto& sec : s.sectors) {
        if (sec.appointments <= 0) continue;
        for (const auto& kind : sec.bookings) {
            BookableService b;
            b.id = kind.id;
            b.sector = sec.id;
            for (auto& day : b.weekly) day = s.hours;
            b.slot_minutes = sec.appointment_every;
            b.capacity = 1;
            b.min_notice_minutes = 0;
            b.days_ahead = 1;
            cfg.booking.services.push_back(b);
        }
    }
    for (const auto& c : s.counters) {
        CounterConfig x;
        x.number = c.number;
        x.sectors = c.sectors;
        x.staffed = c.staffed;
        cfg.counters.push_back(x);
    }
    return cfg;
}

}  // namespace csc::sim
