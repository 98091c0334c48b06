#include "shared/hours/office_hours.hpp"

#include <array>
#include <cstdio>

namespace csc {

bool is_open_at(const SiteConfig& config, Millis now) { return config.hours.is_open(config.timezone.to_local(now)); }

std::string describe_next_opening(const SiteConfig& config, Millis now) {
    static constexpr std::array<const char*, 7> kDays{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                      "Friday", "Saturday", "Sunday"};
    const LocalTime lt = config.timezone.to_local(now);
    const auto next = config.hours.next_opening(lt);
    if (!next) return "";
    char hm[16];
    std::snprintf(hm, sizeof hm, "%02d:%02d", next->second / 60, next->second % 60);
    const long today = days_from_civil(lt.date.year, lt.date.month, lt.date.day);
    const long day = days_from_civil(next->first.year, next->first.month, next->first.day);
    if (day == today) return std::string("today at ") + hm;
    if (day == today + 1) return std::string("tomorrow at ") + hm;
    const auto wd = static_cast<std::size_t>(((day % 7) + 7 + 3) % 7);
    if (day - today < 7) return std::string(kDays[wd]) + " at " + hm;
    return std::string(kDays[wd]) + " " + next->first.iso() + " at " + hm;
}

bool day_is_over(const SiteConfig& config, Millis now) {
    const LocalTime lt = config.timezone.to_local(now);
    const auto& ranges = config.hours.weekly[static_cast<std::size_t>(lt.weekday)];
    return ranges.empty() || lt.minute_of_day() >= ranges.back().end;
}

bool within_planned_window(const SiteConfig& config, int counter, Millis closed, Millis reopened) {
    const LocalTime a = config.timezone.to_local(closed), b = config.timezone.to_local(reopened);
    if (a.date.key() != b.date.key()) return false;
    const CounterConfig* cc = nullptr;
    for (const auto& c : config.counters)
        if (c.number == counter) cc = &c;
    const auto& ranges = cc && !cc->staffed.empty() ? cc->staffed : config.hours.weekly[static_cast<std::size_t>(a.weekday)];
    for (const auto& r : ranges)
        if (r.begin <= a.minute_of_day() && b.minute_of_day() < r.end) return true;
    return false;
}

}  // namespace csc
