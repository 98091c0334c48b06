#include "shared/office_time.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <vector>

#include <date/tz.h>

#include "shared/text_match.hpp"

namespace csc {

// Howard Hinnant's public-domain civil-date algorithms (re-derived here).
long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

Date civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long y = static_cast<long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

Result<Date> Date::parse(std::string_view text) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    const std::string s(text);
    if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return fail("expected a date as YYYY-MM-DD, got \"" + s + "\"");
    const Date date{y, m, d};
    if (m < 1 || m > 12 || d < 1 || d > 31 || civil_from_days(days_from_civil(y, m, d)) != date)
        return fail("no such date: " + s);
    return date;
}

std::string Date::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

namespace {
constexpr Millis kMinute = 60'000;
constexpr Millis kDay = 86'400'000;

// Weekday of a day count, 0 = Monday (1970-01-01 was a Thursday).
int weekday_of(long days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

Millis floor_div(Millis a, Millis b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The zone of that name in the tz database. The database (read once, by date's first call) lives
// until the process ends, so the pointer stays valid; date throws on an unknown name or a
// missing database, which becomes an Error here.
Result<const date::time_zone*> locate(std::string_view name) {
    const date::tzdb* db = nullptr;
    try {
        db = &date::get_tzdb();
    } catch (const std::exception& e) {
        return fail("the system's time zone database cannot be read (" + std::string(e.what()) +
                    "); install the Debian package tzdata");
    }
    try {
        return date::locate_zone(name);  // the library exports the free function only
    } catch (const std::exception&) {
        // An unknown name: suggest the names it was probably meant to be.
    }
    std::vector<std::string> names;
    names.reserve(db->zones.size());  // with USE_OS_TZDB, links are listed as zones too
    for (const auto& zone : db->zones) names.emplace_back(zone.name());
    std::string closest;
    for (const auto& n : closest_names(name, names)) closest += (closest.empty() ? "" : ", ") + n;
    return fail("unknown time zone \"" + std::string(name) + "\": not in the system's time zone database " +
                "(an IANA name like Europe/Rome)" + (closest.empty() ? "" : "; closest: " + closest));
}

const date::time_zone* default_zone() {
    static const date::time_zone* const rome = [] {
        auto zone = locate("Europe/Rome");
        if (zone) return *zone;
        std::fprintf(stderr, "csc: %s; using UTC\n", zone.error().message.c_str());
        return static_cast<const date::time_zone*>(nullptr);
    }();
    return rome;
}
}  // namespace

OfficeTimeZone::OfficeTimeZone() : OfficeTimeZone("Europe/Rome", default_zone()) {}

OfficeTimeZone::OfficeTimeZone(std::string name, const date::time_zone* zone)
    : name_(std::move(name)), zone_(zone) {}

Result<OfficeTimeZone> OfficeTimeZone::named(std::string_view name) {
    // Scenarios and tests run in UTC; they must not need tzdata.
    if (name == "UTC") return OfficeTimeZone("UTC", nullptr);
    auto zone = locate(name);
    if (!zone) return zone.error();
    return OfficeTimeZone(std::string(name), *zone);
}

LocalTime OfficeTimeZone::to_local(Millis t) const {
    int offset_seconds = 0;
    if (zone_ != nullptr) {
        // get_info costs ~170 ns (a search and a sys_info with its abbreviation); the state
        // machine asks for nearby times over and over, so each thread keeps the last span of
        // one offset and answers from it while the time stays inside.
        struct OffsetSpan {
            const date::time_zone* zone = nullptr;
            std::int64_t begin = 0, end = 0;  // seconds since the epoch, [begin, end)
            int offset_seconds = 0;
        };
        thread_local OffsetSpan last;
        const std::int64_t at = floor_div(t, 1000);
        if (last.zone != zone_ || at < last.begin || at >= last.end) {
            const date::sys_info info = zone_->get_info(date::sys_seconds{std::chrono::seconds{at}});
            last = {zone_, info.begin.time_since_epoch().count(), info.end.time_since_epoch().count(),
                    static_cast<int>(info.offset.count())};
        }
        offset_seconds = last.offset_seconds;
    }
    const Millis local = t + offset_seconds * Millis{1000};
    const long days = static_cast<long>(floor_div(local, kDay));
    const Millis in_day = local - days * kDay;
    LocalTime lt;
    lt.date = civil_from_days(days);
    lt.hour = static_cast<int>(in_day / 3'600'000);
    lt.minute = static_cast<int>(in_day / kMinute % 60);
    lt.second = static_cast<int>(in_day / 1000 % 60);
    lt.weekday = weekday_of(days);
    lt.utc_offset_minutes = offset_seconds / 60;
    return lt;
}

Millis OfficeTimeZone::from_local(Date d, int minute_of_day) const {
    const Millis naive = days_from_civil(d.year, d.month, d.day) * kDay + minute_of_day * kMinute;
    if (zone_ == nullptr) return naive;
    const date::local_seconds local{std::chrono::seconds{floor_div(naive, 1000)}};
    // unique: first is the only answer; ambiguous (overlap): first is the earlier instant, the
    // offset before the switch; nonexistent (gap): first is the offset before the gap.
    const date::local_info info = zone_->get_info(local);
    return naive - info.first.offset.count() * Millis{1000};
}

Millis OfficeTimeZone::start_of_day(Millis t) const { return from_local(to_local(t).date, 0); }

int weekday_of(const Date& d) { return weekday_of(days_from_civil(d.year, d.month, d.day)); }

std::string two_digits(int v) {
    char b[16];
    std::snprintf(b, sizeof b, "%02d", v);
    return b;
}

}  // namespace csc
