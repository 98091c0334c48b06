// libFuzzer target: the simulator's scenario file (assets/scenarios/*.toml), through
// parse_scenario(), the parser behind load_scenario() that `kiosk simulate` reads.
// Input: the file's bytes as they are.
// Properties: never crashes or hangs; a rejected file is an Error that names the file; an accepted
// one keeps the contract of shared/sim/scenario.hpp (complete and consistent): every number
// finite and inside the range the parser enforces, opening and staffing ranges inside one day,
// one arrival multiplier per opening hour, counters serving known sectors; and the site
// configuration derived from it (site_config_of) is consistent too.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "shared/sim/scenario.hpp"

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

bool within(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

void check_ranges(const std::vector<csc::TimeRange>& ranges) {
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        require(0 <= ranges[i].begin && ranges[i].begin < ranges[i].end && ranges[i].end <= 24 * 60);
        if (i > 0) require(ranges[i - 1].end <= ranges[i].begin);
    }
}

void check_accepted(const csc::sim::Scenario& s) {
    require(!s.hours.empty());
    check_ranges(s.hours);
    const int first_hour = s.hours.front().begin / 60, last_hour = (s.hours.back().end - 1) / 60;
    require(static_cast<int>(s.profile.size()) == last_hour - first_hour + 1);
    for (double p : s.profile) require(std::isfinite(p) && p >= 0);
    require(s.patience_profile.empty() || s.patience_profile.size() == s.profile.size());
    for (double f : s.patience_profile) require(within(f, 0.05, 20));
    require(within(s.day_speed_sd, 0, 1) && within(s.patience_mean, 1, 1000) && within(s.patience_cv, 0, 3));
    require(within(s.no_show_cost, 0, 30) && within(s.pause_rate_per_hour, 0, 10) && within(s.pause_minutes, 0.5, 120));
    require(s.queue.walk_ins_per_priority >= 1 && s.queue.walk_ins_per_priority <= 50);
    require(!s.sectors.empty());
    std::set<std::string> ids;
    for (const auto& sec : s.sectors) {
        require(ids.insert(sec.id).second);
        require(within(sec.walk_ins, 0, 5000) && within(sec.priority_share, 0, 1));
        require(within(sec.service_mean, 0.2, 240) && within(sec.service_cv, 0, 3));
        require(sec.appointments >= 0 && sec.appointments <= 500);
        require(sec.appointment_every >= 1 && sec.appointment_every <= 240);
        require(within(sec.appointment_no_show, 0, 1));
        require(!sec.patience_mean || within(*sec.patience_mean, 1, 1000));
        require(!sec.patience_cv || within(*sec.patience_cv, 0, 3));
        require(!sec.expected_service_minutes || within(*sec.expected_service_minutes, csc::Sector::kExpectedServiceMin, csc::Sector::kExpectedServiceMax));
        require(!sec.expected_walk_ins_per_day || within(*sec.expected_walk_ins_per_day, 0, csc::Sector::kExpectedWalkInsMax));
        // Its bookable services: one at least when it has appointments, shares adding up to 1.
        require(sec.bookings.empty() == (sec.appointments == 0));
        double shares = 0;
        for (const auto& k : sec.bookings) {
            require(!k.id.empty() && within(k.share, 0, 1) && within(k.no_show, 0, 1) && within(k.late_share, 0, 1));
            require(within(k.late_mean, 0.5, 240));
            shares += k.share;
        }
        require(sec.bookings.empty() || std::abs(shares - 1) <= 0.001);
    }
    require(!s.counters.empty());
    std::set<int> numbers;
    for (const auto& c : s.counters) {
        require(c.number >= 1 && c.number <= 999 && numbers.insert(c.number).second);
        require(!c.sectors.empty());
        for (const auto& sid : c.sectors) require(ids.count(sid) == 1);
        check_ranges(c.staffed);
    }
    const csc::SiteConfig cfg = csc::sim::site_config_of(s);
    require(cfg.sectors.size() == s.sectors.size() && cfg.counters.size() == s.counters.size());
    for (const auto& sec : s.sectors)
        for (const auto& k : sec.bookings) require(cfg.booking.find(k.id) && cfg.booking.find(k.id)->sector == sec.id);
    for (const auto& c : cfg.counters)
        for (const auto& sid : c.sectors) require(cfg.find_sector(sid) != nullptr);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string name = "scenario.toml";
    auto s = csc::sim::parse_scenario(text, name);
    if (!s) {
        require(s.error().message.rfind(name, 0) == 0);  // "scenario.toml:LINE:COL: problem"
        return 0;
    }
    check_accepted(*s);
    return 0;
}
