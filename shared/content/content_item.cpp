#include "shared/content/content_item.hpp"

#include <algorithm>

namespace csc::content {

std::string_view to_string(ContentKind k) {
    switch (k) {
        case ContentKind::Deadline: return "deadline";
        case ContentKind::Initiative: return "initiative";
        case ContentKind::Event: return "event";
        case ContentKind::Notice: return "notice";
    }
    return "notice";
}

namespace {

// An occurrence may start on this day: within the dates, on one of the weekdays.
bool starts_on(const ContentItem& item, const Date& day) {
    if (item.from && day < *item.from) return false;
    if (item.to && day > *item.to) return false;
    return item.weekdays[static_cast<std::size_t>(weekday_of(day))];
}

Date day_before(const Date& d) { return civil_from_days(days_from_civil(d.year, d.month, d.day) - 1); }

}  // namespace

bool shows_at(const ContentItem& item, const LocalTime& now) {
    const int m = now.minute_of_day();
    const DailyWindow& w = item.window;
    if (!w.over_midnight()) return m >= w.begin && m < w.end && starts_on(item, now.date);
    // Over midnight: the evening part belongs to today, the early-morning part to yesterday.
    if (m >= w.begin) return starts_on(item, now.date);
    if (m < w.end) return starts_on(item, day_before(now.date));
    return false;
}

PlaylistNow playlist_at(const std::vector<ContentItem>& items, const LocalTime& now) {
    PlaylistNow out;
    std::vector<const ContentItem*> urgent, scheduled, fallback;
    for (const auto& it : items) {
        if (!shows_at(it, now)) continue;
        if (it.urgent) urgent.push_back(&it);
        else if (it.fallback) fallback.push_back(&it);
        else scheduled.push_back(&it);
    }
    const auto order = [](const ContentItem* a, const ContentItem* b) {
        if (a->priority != b->priority) return a->priority > b->priority;
        const Date far{9999, 12, 31};
        const Date ea = a->to.value_or(far), eb = b->to.value_or(far);
        if (ea != eb) return ea < eb;
        return a->id < b->id;
    };
    if (!urgent.empty()) {
        out.urgent = true;
        out.items = std::move(urgent);
    } else if (!scheduled.empty()) {
        out.items = std::move(scheduled);
    } else {
        out.fallback = !fallback.empty();
        out.items = std::move(fallback);
    }
    std::sort(out.items.begin(), out.items.end(), order);
    return out;
}

}  // namespace csc::content
