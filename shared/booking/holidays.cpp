#include "shared/booking/holidays.hpp"

#include <algorithm>
#include <array>

namespace csc {

Date easter_sunday(int year) {
    // Meeus/Jones/Butcher: valid for every Gregorian year.
    const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
    const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return Date{year, month, day};
}

namespace {
struct Fixed {
    int month, day;
    int from_year;  // first year it is a holiday
    std::string_view name;
};
constexpr std::array<Fixed, 11> kFixed{{
    {1, 1, 0, "Capodanno"},
    {1, 6, 0, "Epifania"},
    {4, 25, 0, "Festa della Liberazione"},
    {5, 1, 0, "Festa del Lavoro"},
    {6, 2, 0, "Festa della Repubblica"},
    {8, 15, 0, "Assunzione"},
    {10, 4, 2026, "San Francesco d'Assisi"},  // L. 151/2025, in force from 1 January 2026
    {11, 1, 0, "Ognissanti"},
    {12, 8, 0, "Immacolata Concezione"},
    {12, 25, 0, "Natale"},
    {12, 26, 0, "Santo Stefano"},
}};
}  // namespace

std::vector<Date> italian_public_holidays(int year) {
    std::vector<Date> out;
    for (const auto& f : kFixed)
        if (year >= f.from_year) out.push_back(Date{year, f.month, f.day});
    const Date easter = easter_sunday(year);
    out.push_back(easter);
    out.push_back(civil_from_days(days_from_civil(easter.year, easter.month, easter.day) + 1));
    std::sort(out.begin(), out.end(), [](const Date& a, const Date& b) { return a.key() < b.key(); });
    return out;
}

std::optional<std::string_view> italian_public_holiday(const Date& d) {
    for (const auto& f : kFixed)
        if (d.year >= f.from_year && d.month == f.month && d.day == f.day) return f.name;
    const Date easter = easter_sunday(d.year);
    if (d == easter) return "Pasqua";
    const Date monday = civil_from_days(days_from_civil(easter.year, easter.month, easter.day) + 1);
    if (d == monday) return "Lunedì dell'Angelo";
    return std::nullopt;
}

}  // namespace csc
