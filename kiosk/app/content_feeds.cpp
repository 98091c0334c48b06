// The town's feeds as content items. iCalendar through libical, RSS and Atom through libxml2
// (no network, no entity expansion, no DTD: a feed is data, never instructions to the parser),
// HTTP(S) through libcurl. Why libraries: both formats have decades of real-world variants
// (folded lines, time zones, CDATA, namespaces) that a hand parser would get wrong.
#include "kiosk/app/content_feeds.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include <unistd.h>

#include <curl/curl.h>
#include <libical/ical.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

namespace csc::app {

namespace {

constexpr std::size_t kTitleChars = 80, kBodyChars = 600, kLineChars = 120;
constexpr Millis kDayMs = 86'400'000;

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || (n == 1 && c < 0xC2) || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
        for (int k = 1; k <= n; ++k)
            if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += static_cast<std::size_t>(n) + 1;
    }
    return true;
}

// Whitespace runs (new lines included) become one space; control characters go.
std::string tidy(std::string_view in) {
    std::string out;
    bool space = false;
    for (char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F || c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += ch;
    }
    return out;
}

// At most `max` characters (code points), cut at a space when one is near, with "…".
std::string cut(std::string text, std::size_t max) {
    std::size_t chars = 0, i = 0, last_space = std::string::npos;
    while (i < text.size()) {
        if (chars == max) {
            std::size_t at = last_space != std::string::npos && last_space + 40 > i ? last_space : i;
            text.resize(at);
            while (!text.empty() && (text.back() == ' ' || text.back() == ',' || text.back() == '.')) text.pop_back();
            return text + "…";
        }
        if (text[i] == ' ') last_space = i;
        const auto c = static_cast<unsigned char>(text[i]);
        i += c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        ++chars;
    }
    return text;
}

// HTML in a news item's description, as text: tags dropped (a <br> or </p> is a space), the
// common entities decoded (libxml2 has decoded the XML level already).
std::string html_to_text(std::string_view html) {
    std::string out;
    for (std::size_t i = 0; i < html.size();) {
        if (html[i] == '<') {
            const auto end = html.find('>', i);
            if (end == std::string_view::npos) break;
            out += ' ';
            i = end + 1;
            continue;
        }
        if (html[i] == '&') {
            static const std::pair<std::string_view, std::string_view> kEntities[] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"},
                {"&nbsp;", " "}, {"&egrave;", "è"}, {"&eacute;", "é"}, {"&agrave;", "à"}, {"&ograve;", "ò"},
                {"&ugrave;", "ù"}, {"&igrave;", "ì"}, {"&rsquo;", "’"}, {"&lsquo;", "‘"}, {"&hellip;", "…"}, {"&euro;", "€"}};
            bool done = false;
            for (const auto& [name, text] : kEntities)
                if (html.substr(i, name.size()) == name) {
                    out += text;
                    i += name.size();
                    done = true;
                    break;
                }
            if (done) continue;
        }
        out += html[i++];
    }
    return tidy(out);
}

LocalizedText every_language(const std::string& text) {
    LocalizedText t;
    if (!text.empty()) t.by_lang["*"] = text;  // one text: LocalizedText::get() gives it for every language
    return t;
}

std::string item_id(const TotemFeed& feed, std::string_view key) {
    // Stable across fetches (the playlist keeps the item shown): the feed's name and a hash of the entry's key.
    std::uint64_t h = 1469598103934665603ull;
    for (char c : key) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    char hex[20];
    std::snprintf(hex, sizeof hex, "%012llx", static_cast<unsigned long long>(h & 0xFFFFFFFFFFFFull));
    return feed.name + "-" + hex;
}

std::string good_link(const std::string& url) {
    const bool ok = (url.starts_with("https://") || url.starts_with("http://")) && url.size() <= 300 &&
                    url.find_first_of(" \t\r\n\"<>") == std::string::npos;
    return ok ? url : std::string();
}

// ---- iCalendar.

struct IcalFree {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

std::string prop_text(const char* s) { return s ? tidy(s) : std::string(); }

// An iCalendar time as office-local (date, minute; -1 for a whole day).
std::optional<std::pair<Date, int>> local_of(icaltimetype t, const OfficeTimeZone& tz) {
    if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t)) return std::nullopt;
    if (t.year < 1970 || t.year > 2200 || t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31) return std::nullopt;
    if (t.is_date) return std::pair{Date{t.year, t.month, t.day}, -1};
    if (icaltime_is_utc(t) || t.zone) {
        // A UTC time, or one in a zone the file describes: the instant, then the office's wall clock.
        const Millis at = static_cast<Millis>(icaltime_as_timet_with_zone(t, t.zone ? t.zone : icaltimezone_get_utc_timezone())) * 1000;
        const LocalTime local = tz.to_local(at);
        return std::pair{local.date, local.minute_of_day()};
    }
    return std::pair{Date{t.year, t.month, t.day}, t.hour * 60 + t.minute};  // floating: the office's own time
}

// The first occurrence of repeating event `ev` (RRULE `rule` from its DTSTART, less its EXDATEs
// and the occurrences `overridden` by VEVENTs of their own with a RECURRENCE-ID)
// whose last day (`length` days after its start) is `today` or later; nullopt when none is, or
// after kMaxSteps occurrences looked at (a rule that never reaches today costs no more than that).
std::optional<std::pair<Date, int>> next_occurrence(icalcomponent* ev, icalrecurrencetype rule, Date today, long length,
                                                    const OfficeTimeZone& tz, const std::vector<icaltimetype>& overridden) {
    constexpr int kMaxSteps = 40000;  // a daily COUNT series (no skipping ahead) of over a century
    const icaltimetype dtstart = icalcomponent_get_dtstart(ev);
    std::vector<icaltimetype> excluded;
    for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY))
        excluded.push_back(icalproperty_get_exdate(p));
    excluded.insert(excluded.end(), overridden.begin(), overridden.end());
    std::unique_ptr<icalrecur_iterator, void (*)(icalrecur_iterator*)> it(icalrecur_iterator_new(rule, dtstart),
                                                                         icalrecur_iterator_free);
    if (!it) return std::nullopt;  // a rule libical cannot follow
    if (rule.count == 0) {
        // Skip ahead to a few days before today (not possible with COUNT: it counts from DTSTART).
        icaltimetype from = dtstart;
        const Date d = civil_from_days(days_from_civil(today.year, today.month, today.day) - length - 1);
        if (Date{dtstart.year, dtstart.month, dtstart.day} < d) {
            from.year = d.year;
            from.month = d.month;
            from.day = d.day;
            icalrecur_iterator_set_start(it.get(), from);
        }
    }
    for (int step = 0; step < kMaxSteps; ++step) {
        const icaltimetype t = icalrecur_iterator_next(it.get());
        if (icaltime_is_null_time(t)) return std::nullopt;
        const bool skip = std::any_of(excluded.begin(), excluded.end(), [&](const icaltimetype& x) {
            return x.is_date ? (x.year == t.year && x.month == t.month && x.day == t.day) : icaltime_compare(x, t) == 0;
        });
        if (skip) continue;
        const auto local = local_of(t, tz);
        if (!local) continue;
        const Date last = civil_from_days(days_from_civil(local->first.year, local->first.month, local->first.day) + length);
        if (!(last < today)) return local;
    }
    return std::nullopt;
}

std::once_flag g_ical_once;

}  // namespace

Result<std::vector<content::ContentItem>> parse_ical_feed(std::string_view text, const TotemFeed& feed,
                                                          const OfficeTimeZone& tz, Millis now) {
    std::call_once(g_ical_once, [] { icalerror_set_errors_are_fatal(0); });
    const std::string what = "feed \"" + feed.name + "\" (" + feed.url + ")";
    if (text.size() > kMaxFeedBytes) return fail(what + ": larger than " + std::to_string(kMaxFeedBytes >> 20) + " MiB");
    if (!valid_utf8(text)) return fail(what + ": not UTF-8 text (an iCalendar file must be UTF-8)");
    std::string_view body = text;
    if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
    if (!body.starts_with("BEGIN:VCALENDAR")) return fail(what + ": not an iCalendar file (it does not begin with BEGIN:VCALENDAR)");
    const std::string copy(body);
    std::unique_ptr<icalcomponent, IcalFree> root(icalparser_parse_string(copy.c_str()));
    if (!root) return fail(what + ": the iCalendar text cannot be read");
    icalcomponent* cal = root.get();
    if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) return fail(what + ": no VCALENDAR in the iCalendar text");

    const LocalTime today = tz.to_local(now);
    struct Found {
        Date day;
        int minute;
        content::ContentItem item;
    };
    std::vector<Found> found;
    // Occurrences moved or cancelled one by one (a VEVENT with the series' UID and a
    // RECURRENCE-ID): left out of the series; the override stands as an event of its own.
    std::map<std::string, std::vector<icaltimetype>> overridden;
    for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        const char* uid = icalcomponent_get_uid(ev);
        const icaltimetype rid = icalcomponent_get_recurrenceid(ev);
        if (uid && !icaltime_is_null_time(rid)) overridden[uid].push_back(rid);
    }
    static const std::vector<icaltimetype> kNone;
    for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        auto start = local_of(icalcomponent_get_dtstart(ev), tz);
        if (!start) continue;  // no usable start: not an event anyone can go to
        auto end = local_of(icalcomponent_get_dtend(ev), tz);
        Date last = start->first;
        if (end && end->first > last) {
            last = end->first;
            // DTEND of a whole-day event is the day after (RFC 5545): its last day is the one before.
            if (end->second < 0 || end->second == 0) last = civil_from_days(days_from_civil(last.year, last.month, last.day) - 1);
            if (last < start->first) last = start->first;
        }
        // A repeating event (the weekly market): its next occurrence not yet over, one item.
        if (icalproperty* rrule = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY)) {
            const long length = days_from_civil(last.year, last.month, last.day) -
                                days_from_civil(start->first.year, start->first.month, start->first.day);
            const char* uid = icalcomponent_get_uid(ev);
            const auto over = uid ? overridden.find(uid) : overridden.end();
            const auto next = next_occurrence(ev, icalproperty_get_rrule(rrule), today.date, length, tz,
                                              over == overridden.end() ? kNone : over->second);
            if (!next) continue;  // the series is over
            start = next;
            last = civil_from_days(days_from_civil(next->first.year, next->first.month, next->first.day) + length);
        }
        if (last < today.date) continue;  // over
        if (icalproperty* st = icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY);
            st && icalproperty_get_status(st) == ICAL_STATUS_CANCELLED)
            continue;
        const std::string title = prop_text(icalcomponent_get_summary(ev));
        if (title.empty()) continue;
        content::ContentItem item;
        const char* uid = icalcomponent_get_uid(ev);
        item.id = item_id(feed, std::string(uid ? uid : "") + "|" + start->first.iso() + "|" + title);
        item.kind = content::ContentKind::Event;
        item.title = every_language(cut(title, kTitleChars));
        item.body = every_language(cut(prop_text(icalcomponent_get_description(ev)), kBodyChars));
        item.where = every_language(cut(prop_text(icalcomponent_get_location(ev)), kLineChars));
        if (icalproperty* url = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY))
            item.link = good_link(prop_text(icalproperty_get_url(url)));
        item.starts_on = start->first;
        item.starts_minute = start->second;
        const long first_day = days_from_civil(start->first.year, start->first.month, start->first.day) - feed.lead_days;
        item.from = civil_from_days(first_day);
        item.to = last;
        item.priority = feed.priority;
        found.push_back({start->first, start->second, std::move(item)});
    }
    // The nearest events first; at most kMaxFeedItems.
    std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
        return a.day != b.day ? a.day < b.day : a.minute < b.minute;
    });
    std::vector<content::ContentItem> items;
    for (auto& f : found) {
        if (items.size() >= kMaxFeedItems) break;
        items.push_back(std::move(f.item));
    }
    return items;
}

// ---- RSS 2.0 and Atom.

namespace {

void ignore_xml_error(void*, const char*, ...) {}

struct XmlDocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

std::string node_text(xmlNode* n) {
    if (!n) return {};
    xmlChar* c = xmlNodeGetContent(n);
    std::string s = c ? reinterpret_cast<const char*>(c) : "";
    xmlFree(c);
    return s;
}

bool named(xmlNode* n, const char* name) {
    return n && n->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
}

xmlNode* child(xmlNode* parent, const char* name) {
    for (xmlNode* c = parent ? parent->children : nullptr; c; c = c->next)
        if (named(c, name)) return c;
    return nullptr;
}

std::string attr(xmlNode* n, const char* name) {
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    std::string s = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return s;
}

int month_of(std::string_view m) {
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
        if (m.size() >= 3 && strncasecmp(m.data(), kMonths[i], 3) == 0) return i + 1;
    return 0;
}

std::optional<Millis> utc_ms(int y, int mo, int d, int h, int mi, int s, int offset_minutes) {
    if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
        return std::nullopt;
    const long days = days_from_civil(y, mo, d);
    return (static_cast<Millis>(days) * 86400 + h * 3600 + mi * 60 + s - offset_minutes * 60) * 1000;
}

// RFC 822 (RSS): "Tue, 01 Dec 2026 09:30:00 +0100" (weekday, seconds and the zone optional-ish).
std::optional<Millis> parse_rfc822(std::string_view s) {
    if (const auto comma = s.find(','); comma != std::string_view::npos) s.remove_prefix(comma + 1);
    char mon[8] = {}, zone[16] = {};
    int d = 0, y = 0, h = 0, mi = 0, sec = 0;
    const std::string str(s);
    int n = std::sscanf(str.c_str(), " %d %7s %d %d:%d:%d %15s", &d, mon, &y, &h, &mi, &sec, zone);
    if (n < 6) {
        sec = 0;
        n = std::sscanf(str.c_str(), " %d %7s %d %d:%d %15s", &d, mon, &y, &h, &mi, zone);
        if (n < 5) return std::nullopt;
    }
    if (y < 100) y += 2000;
    int offset = 0;
    const std::string_view z(zone);
    if ((z.starts_with('+') || z.starts_with('-')) && z.size() == 5 && std::isdigit(static_cast<unsigned char>(z[1]))) {
        offset = ((z[1] - '0') * 10 + (z[2] - '0')) * 60 + (z[3] - '0') * 10 + (z[4] - '0');
        if (z[0] == '-') offset = -offset;
    }
    return utc_ms(y, month_of(mon), d, h, mi, sec, offset);
}

// RFC 3339 (Atom): "2026-12-01T09:30:00+01:00" or "…Z", fractions allowed.
std::optional<Millis> parse_rfc3339(std::string_view s) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    const std::string str(s);
    if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6) return std::nullopt;
    int offset = 0;
    const auto t = s.find_first_of("Zz+-", 19);
    if (t != std::string_view::npos && s[t] != 'Z' && s[t] != 'z' && s.size() >= t + 6) {
        offset = ((s[t + 1] - '0') * 10 + (s[t + 2] - '0')) * 60 + (s[t + 4] - '0') * 10 + (s[t + 5] - '0');
        if (s[t] == '-') offset = -offset;
    }
    return utc_ms(y, mo, d, h, mi, sec, offset);
}

}  // namespace

Result<std::vector<content::ContentItem>> parse_news_feed(std::string_view text, const TotemFeed& feed,
                                                          const OfficeTimeZone& tz, Millis now) {
    const std::string what = "feed \"" + feed.name + "\" (" + feed.url + ")";
    if (text.size() > kMaxFeedBytes) return fail(what + ": larger than " + std::to_string(kMaxFeedBytes >> 20) + " MiB");
    // No network, no entities substituted, no DTD loaded; errors kept, not printed (the generic
    // handler too: an encoding error would print; libxml2 keeps handlers per thread).
    xmlSetGenericErrorFunc(nullptr, &ignore_xml_error);
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    std::unique_ptr<xmlDoc, XmlDocFree> doc(
        xmlReadMemory(text.data(), static_cast<int>(text.size()), "feed.xml", nullptr, options));
    if (!doc) {
        const xmlError* e = xmlGetLastError();
        std::string why = e && e->message ? tidy(e->message) : "not XML";
        if (e) why = "line " + std::to_string(e->line) + ": " + why;
        return fail(what + ": not an RSS or Atom feed (" + why + ")");
    }
    xmlNode* root = xmlDocGetRootElement(doc.get());
    struct Entry {
        Millis published = 0;
        content::ContentItem item;
    };
    std::vector<Entry> entries;
    const auto add = [&](const std::string& raw_title, const std::string& raw_body, const std::string& link,
                         std::optional<Millis> published) {
        const std::string title = html_to_text(raw_title);
        if (title.empty() || !published) return;  // no title or no date: nothing to show or to age
        if (*published > now + kDayMs) return;    // from the future: a wrong clock somewhere
        if (*published + feed.keep_days * kDayMs < now) return;
        content::ContentItem item;
        item.id = item_id(feed, link + "|" + title);
        item.kind = content::ContentKind::Notice;
        item.title = every_language(cut(title, kTitleChars));
        item.body = every_language(cut(html_to_text(raw_body), kBodyChars));
        item.link = good_link(tidy(link));
        const LocalTime pub = tz.to_local(*published);
        item.from = pub.date;
        item.to = tz.to_local(*published + feed.keep_days * kDayMs).date;
        item.priority = feed.priority;
        entries.push_back({*published, std::move(item)});
    };
    if (named(root, "rss")) {
        xmlNode* channel = child(root, "channel");
        if (!channel) return fail(what + ": an RSS feed without <channel>");
        for (xmlNode* n = channel->children; n; n = n->next)
            if (named(n, "item"))
                add(node_text(child(n, "title")), node_text(child(n, "description")), node_text(child(n, "link")),
                    parse_rfc822(node_text(child(n, "pubDate"))));
    } else if (named(root, "feed")) {
        for (xmlNode* n = root->children; n; n = n->next) {
            if (!named(n, "entry")) continue;
            std::string link;
            for (xmlNode* l = n->children; l; l = l->next)
                if (named(l, "link") && (attr(l, "rel").empty() || attr(l, "rel") == "alternate")) {
                    link = attr(l, "href");
                    break;
                }
            xmlNode* body = child(n, "summary");
            if (!body) body = child(n, "content");
            std::string when = node_text(child(n, "published"));
            if (when.empty()) when = node_text(child(n, "updated"));
            add(node_text(child(n, "title")), node_text(body), link, parse_rfc3339(when));
        }
    } else {
        return fail(what + ": not an RSS or Atom feed (the document is <" +
                    std::string(root ? reinterpret_cast<const char*>(root->name) : "nothing") + ">)");
    }
    // The newest first; at most kMaxFeedItems.
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.published > b.published; });
    std::vector<content::ContentItem> items;
    for (auto& e : entries) {
        if (items.size() >= kMaxFeedItems) break;
        items.push_back(std::move(e.item));
    }
    return items;
}

Result<std::vector<content::ContentItem>> parse_feed(std::string_view text, const TotemFeed& feed, const OfficeTimeZone& tz,
                                                     Millis now) {
    return feed.format == "ical" ? parse_ical_feed(text, feed, tz, now) : parse_news_feed(text, feed, tz, now);
}

// ---- Fetching.

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
    auto* out = static_cast<std::string*>(user);
    if (out->size() + size * n > kMaxFeedBytes) return 0;  // too large: the transfer stops
    out->append(data, size * n);
    return size * n;
}

std::once_flag g_curl_once;

}  // namespace

Result<std::string> fetch_url(const std::string& url, long timeout_s) {
    std::call_once(g_curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return fail(url + ": libcurl could not start");
    std::string body;
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "csc-kiosk totem");
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
    const CURLcode rc = curl_easy_perform(curl.get());
    if (rc == CURLE_WRITE_ERROR) return fail(url + ": larger than " + std::to_string(kMaxFeedBytes >> 20) + " MiB");
    if (rc != CURLE_OK) return fail(url + ": " + (error[0] ? std::string(error) : curl_easy_strerror(rc)));
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) return fail(url + ": the server answered HTTP " + std::to_string(status));
    return body;
}

// ---- The feeds of one totem.

FeedReader::FeedReader(std::vector<TotemFeed> feeds, std::filesystem::path cache_dir, OfficeTimeZone tz,
                       std::function<Result<std::string>(const std::string&)> fetch)
    : feeds_(std::move(feeds)), cache_dir_(std::move(cache_dir)), tz_(std::move(tz)), fetch_(std::move(fetch)) {}

bool FeedReader::refresh(Millis now, bool fetch_due) {
    bool changed = false;
    for (const auto& feed : feeds_) {
        FeedState before = states_[feed.name];
        FeedState& st = states_[feed.name];
        const auto copy_file = cache_dir_ / (feed.name + ".feed");
        const auto time_file = cache_dir_ / (feed.name + ".fetched");
        if (fetch_due && now >= next_fetch_[feed.name]) {
            next_fetch_[feed.name] = now + feed.refresh_minutes * 60'000LL;
            auto text = fetch_(feed.url);
            if (text) {
                // Only a copy that parses replaces the last good one.
                if (auto parsed = parse_feed(*text, feed, tz_, now); parsed) {
                    std::error_code ec;
                    std::filesystem::create_directories(cache_dir_, ec);
                    // Several screens of one machine may keep the same copy: each writes its own
                    // temporary file and renames it, so a reader never sees half of one.
                    const std::string own = "." + std::to_string(::getpid()) + ".tmp";
                    std::ofstream(copy_file.string() + own, std::ios::binary | std::ios::trunc) << *text;
                    std::ofstream(time_file.string() + own, std::ios::trunc) << now << '\n';
                    std::filesystem::rename(copy_file.string() + own, copy_file, ec);
                    if (!ec) std::filesystem::rename(time_file.string() + own, time_file, ec);
                    st.problem.clear();
                    if (ec) st.problem = copy_file.string() + ": the copy cannot be kept: " + ec.message();
                } else {
                    st.problem = parsed.error().message;
                }
            } else {
                st.problem = "feed \"" + feed.name + "\": " + text.error().message;
            }
        }
        // The last good copy, read again at `now` (an event over, a news item too old drop out).
        st.items.clear();
        st.last_good = 0;
        if (std::ifstream t(time_file); t) t >> st.last_good;
        std::string text;
        if (std::ifstream f(copy_file, std::ios::binary); f) {
            std::ostringstream ss;
            ss << f.rdbuf();
            text = ss.str();
        }
        st.stale = st.last_good > 0 && now - st.last_good > feed.max_age_hours * 3'600'000LL;
        if (!text.empty() && st.last_good > 0 && !st.stale) {
            if (auto parsed = parse_feed(text, feed, tz_, now)) st.items = std::move(*parsed);
            else st.problem = parsed.error().message;
        }
        std::vector<std::string> ids_before, ids_now;
        for (const auto& i : before.items) ids_before.push_back(i.id);
        for (const auto& i : st.items) ids_now.push_back(i.id);
        if (ids_before != ids_now || before.stale != st.stale || before.problem != st.problem || before.last_good != st.last_good)
            changed = true;
    }
    return changed;
}

std::vector<content::ContentItem> FeedReader::items() const {
    std::vector<content::ContentItem> all;
    for (const auto& [name, st] : states_)
        for (const auto& i : st.items) all.push_back(i);
    return all;
}

}  // namespace csc::app
