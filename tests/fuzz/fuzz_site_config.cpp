// libFuzzer target: the site configuration (assets/site/office.toml), through parse_site_config(),
// the parser behind load_site_config() that the program starts with.
// Input: the file's bytes as they are (any bytes: the file is edited by people).
// Properties: never crashes or hangs; a rejected file is an Error that names the file; an accepted
// one keeps the contract of shared/config.hpp (complete and consistent), checked here field by
// field, and its opening-hours queries answer without crashing.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "shared/config.hpp"

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

bool valid_range(const csc::TimeRange& r) { return 0 <= r.begin && r.begin < r.end && r.end <= 24 * 60; }

void check_ranges(const std::vector<csc::TimeRange>& ranges) {
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        require(valid_range(ranges[i]));
        if (i > 0) require(ranges[i - 1].end <= ranges[i].begin);  // sorted, not overlapping
    }
}

void check_accepted(const csc::SiteConfig& cfg) {
    require(!cfg.languages.empty());
    for (const auto& l : cfg.languages) require(l.size() == 2);
    require(!cfg.sectors.empty());
    std::set<std::string> ids, letters;
    for (const auto& s : cfg.sectors) {
        require(!s.id.empty() && ids.insert(s.id).second);
        require(!s.letter.empty() && s.letter.size() <= 2 && letters.insert(s.letter).second);
        for (char c : s.letter) require(c >= 'A' && c <= 'Z');
        require(csc::contrast_ratio(s.colour, s.text_colour) >= 4.5);
        require(csc::Rgb::parse(s.colour.hex()).ok());
        (void)s.name.get(cfg.languages.front());
        std::set<std::string> services;
        for (const auto& v : s.services) {
            require(services.insert(v.id).second);
            require(s.find_service(v.id) != nullptr);
        }
        require(cfg.find_sector(s.id) == &s);
        const auto within = [](double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; };
        require(!s.expected_service_minutes ||
                within(*s.expected_service_minutes, csc::Sector::kExpectedServiceMin, csc::Sector::kExpectedServiceMax));
        require(!s.expected_walk_ins_per_day || within(*s.expected_walk_ins_per_day, 0, csc::Sector::kExpectedWalkInsMax));
    }
    std::set<int> numbers;
    for (const auto& c : cfg.counters) {
        require(c.number >= 1 && c.number <= 999 && numbers.insert(c.number).second);
        require(!c.sectors.empty());
        for (const auto& sid : c.sectors) require(cfg.find_sector(sid) != nullptr);
        check_ranges(c.staffed);
    }
    for (const auto& day : cfg.hours.weekly) check_ranges(day);
    require(cfg.kiosk.confirm_seconds >= 2 && cfg.kiosk.confirm_seconds <= 120);
    require(cfg.display.calls_shown >= 1 && cfg.display.calls_shown <= 12);
    require(cfg.queue.walk_ins_per_priority >= 1);
    // The queries the entrance asks every frame: any answer, no crash, no endless loop.
    for (const csc::Millis t : {csc::Millis{1795939200000}, csc::Millis{1764547200000}}) {
        const auto local = cfg.timezone.to_local(t);
        (void)cfg.hours.is_open(local);
        (void)cfg.hours.closes_at(local);
        if (auto next = cfg.hours.next_opening(local)) require(next->second >= 0 && next->second < 24 * 60);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string name = "site.toml";
    auto cfg = csc::parse_site_config(text, name);
    if (!cfg) {
        require(cfg.error().message.rfind(name, 0) == 0);  // "site.toml:LINE:COL: problem"
        return 0;
    }
    check_accepted(*cfg);
    return 0;
}
