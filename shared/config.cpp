#include "shared/config.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>


#include "shared/booking/holidays.hpp"
#include "shared/person/identity_document.hpp"
#include "shared/printer_transports.hpp"
#include "shared/text_check.hpp"
#include "shared/text_match.hpp"
#include "shared/localized_reader.hpp"
#include "shared/toml_reader.hpp"

namespace csc {

const std::string& LocalizedText::get(const std::string& lang) const {
    static const std::string empty;
    if (auto it = by_lang.find(lang); it != by_lang.end()) return it->second;
    if (auto it = by_lang.find(first_lang); it != by_lang.end()) return it->second;
    return by_lang.empty() ? empty : by_lang.begin()->second;
}

std::string Rgb::hex() const {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02X%02X%02X", r, g, b);
    return buf;
}

Result<Rgb> Rgb::parse(std::string_view text) {
    auto hexval = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    if (text.size() != 7 || text[0] != '#')
        return fail("colour must be written #RRGGBB, got \"" + std::string(text) + "\"");
    int v[6];
    for (int i = 0; i < 6; ++i)
        if ((v[i] = hexval(text[i + 1])) < 0)
            return fail("colour must be written #RRGGBB, got \"" + std::string(text) + "\"");
    return Rgb{static_cast<std::uint8_t>(v[0] * 16 + v[1]), static_cast<std::uint8_t>(v[2] * 16 + v[3]),
               static_cast<std::uint8_t>(v[4] * 16 + v[5])};
}

double relative_luminance(Rgb c) {
    auto lin = [](std::uint8_t v) {
        const double s = v / 255.0;
        return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

double contrast_ratio(Rgb a, Rgb b) {
    double la = relative_luminance(a), lb = relative_luminance(b);
    if (la < lb) std::swap(la, lb);
    return (la + 0.05) / (lb + 0.05);
}

const Service* Sector::find_service(std::string_view id) const {
    for (const auto& s : services)
        if (s.id == id) return &s;
    return nullptr;
}

const Sector* SiteConfig::find_sector(std::string_view id) const {
    for (const auto& s : sectors)
        if (s.id == id) return &s;
    return nullptr;
}

const CounterConfig* SiteConfig::find_counter(int number) const {
    for (const auto& c : counters)
        if (c.number == number) return &c;
    return nullptr;
}

const PriorityClass* SiteConfig::find_priority(std::string_view id) const {
    for (const auto& p : priorities)
        if (p.id == id) return &p;
    return nullptr;
}

const FormConfig* SiteConfig::find_form(std::string_view id) const {
    for (const auto& f : forms)
        if (f.id == id) return &f;
    return nullptr;
}

const Sector* SiteConfig::sector_of_service(std::string_view service) const {
    if (const Sector* s = find_sector(service)) return s;
    for (const auto& s : sectors)
        if (s.find_service(service)) return &s;
    return nullptr;
}

bool OpeningHours::is_closed_day(const Date& d) const {
    if (std::find(closed_days.begin(), closed_days.end(), d) != closed_days.end()) return true;
    for (const auto& [m, day] : closed_every_year)
        if (d.month == m && d.day == day) return true;
    return national_holidays && italian_public_holiday(d).has_value();
}

bool OpeningHours::is_open(const LocalTime& t) const { return closes_at(t).has_value(); }

std::vector<TimeRange> OpeningHours::ranges_on(const Date& d, int weekday) const {
    if (is_closed_day(d) || weekday < 0 || weekday > 6) return {};
    return weekly[static_cast<std::size_t>(weekday)];
}

std::string OpeningHours::text_of(const std::vector<TimeRange>& ranges) {
    std::string out;
    for (const auto& r : ranges)
        out += (out.empty() ? "" : ", ") + two_digits(r.begin / 60) + ":" + two_digits(r.begin % 60) + "–" +
               two_digits(r.end / 60) + ":" + two_digits(r.end % 60);
    return out;
}

std::optional<int> OpeningHours::closes_at(const LocalTime& t) const {
    if (is_closed_day(t.date)) return {};
    const int m = t.minute_of_day();
    for (const auto& r : weekly[static_cast<std::size_t>(t.weekday)])
        if (m >= r.begin && m < r.end) return r.end;
    return {};
}

std::optional<std::pair<Date, int>> OpeningHours::next_opening(const LocalTime& t) const {
    const long today = days_from_civil(t.date.year, t.date.month, t.date.day);
    for (long d = 0; d <= 366; ++d) {
        const Date date = civil_from_days(today + d);
        if (is_closed_day(date)) continue;
        const auto wd = static_cast<std::size_t>((t.weekday + d) % 7);
        for (const auto& r : weekly[wd])
            if (d > 0 || r.begin > t.minute_of_day()) return std::make_pair(date, r.begin);
    }
    return {};
}

std::vector<int> BookableService::slot_starts(int weekday) const {
    std::vector<int> out;
    if (weekday < 0 || weekday > 6 || slot_minutes <= 0) return out;
    for (const auto& w : weekly[static_cast<std::size_t>(weekday)])
        for (int m = w.begin; m + slot_minutes <= w.end; m += slot_minutes + buffer_minutes) out.push_back(m);
    return out;
}

const BookableService* BookingConfig::find(std::string_view id) const {
    for (const auto& s : services)
        if (s.id == id) return &s;
    return nullptr;
}

namespace {

// The site configuration's reader: the shared TOML getters plus texts per language.
using Reader = LocalizedReader;

bool valid_id(const std::string& id) {
    if (id.empty() || id.size() > 40) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

// "08:30-12:30" → TimeRange.
std::optional<TimeRange> parse_range(const std::string& s) {
    const auto r = parse_time_range(s);
    if (!r) return {};
    return TimeRange{r->first, r->second};
}

constexpr std::array<std::string_view, 7> kWeekdays{"monday", "tuesday", "wednesday", "thursday",
                                                    "friday", "saturday", "sunday"};

// Weekday keys of `t` ("monday = [\"08:30-12:30\", …]") into sorted, non-overlapping ranges.
void read_week(const Reader& rd, const toml::table& t, const std::string& where, std::array<std::vector<TimeRange>, 7>& week) {
    for (std::size_t d = 0; d < 7; ++d) {
        const auto* a = rd.array(t, kWeekdays[d], where);
        if (!a) continue;
        for (const auto& e : *a) {
            if (!e.is_string()) rd.problem(e, where + ": times are texts like \"08:30-12:30\"");
            auto r = parse_range(e.as_string()->get());
            if (!r) rd.problem(e, "\"" + e.as_string()->get() + "\" is not a time range like \"08:30-12:30\"");
            for (const auto& other : week[d])
                if (r->begin < other.end && other.begin < r->end)
                    rd.problem(e, "\"" + e.as_string()->get() + "\" overlaps another range of " + std::string(kWeekdays[d]));
            week[d].push_back(*r);
        }
        std::sort(week[d].begin(), week[d].end(), [](const TimeRange& a, const TimeRange& b) { return a.begin < b.begin; });
    }
}

void parse_booking(const toml::table& root, const Reader& rd, SiteConfig& cfg) {
    const toml::node* n = root.get("booking");
    if (!n) return;
    const auto& b = rd.table(*n, "[booking]");
    rd.only_keys(b, {"hold_minutes", "checkin_early_minutes", "checkin_late_minutes", "keep_days", "service"}, "[booking]");
    auto& bc = cfg.booking;
    bc.hold_minutes = static_cast<int>(rd.integer(b, "hold_minutes", "[booking]", 5, 1, 60));
    bc.checkin_early_minutes = static_cast<int>(rd.integer(b, "checkin_early_minutes", "[booking]", 30, 0, 240));
    bc.checkin_late_minutes = static_cast<int>(rd.integer(b, "checkin_late_minutes", "[booking]", 15, 0, 240));
    bc.keep_days = static_cast<int>(rd.integer(b, "keep_days", "[booking]", 30, 1, 3650));
    const auto* services = rd.array(b, "service", "[booking]");
    if (!services) return;
    std::set<std::string> ids;
    for (const auto& sn : *services) {
        const auto& st = rd.table(sn, "[[booking.service]]");
        rd.only_keys(st, {"sector", "service", "slot_minutes", "capacity", "buffer_minutes", "min_notice_minutes",
                          "days_ahead", "per_person_per_day", "documents", "counters", "monday", "tuesday", "wednesday",
                          "thursday", "friday", "saturday", "sunday"},
                     "[[booking.service]]");
        BookableService s;
        s.sector = rd.string(st, "sector", "[[booking.service]]");
        const Sector* sector = cfg.find_sector(s.sector);
        if (!sector) rd.problem(*st.get("sector"), "[[booking.service]]: unknown sector \"" + s.sector + "\"");
        s.service = rd.string(st, "service", "[[booking.service]]", std::string());
        if (s.service.empty() && !sector->services.empty())
            rd.problem(st, "[[booking.service]] of sector \"" + s.sector + "\": say which service (service = \"…\"): the sector has several");
        if (!s.service.empty() && !sector->find_service(s.service))
            rd.problem(*st.get("service"), "[[booking.service]]: sector \"" + s.sector + "\" has no service \"" + s.service + "\"");
        s.id = s.service.empty() ? s.sector : s.service;
        const std::string where = "bookable service \"" + s.id + "\"";
        if (!ids.insert(s.id).second) rd.problem(st, where + " is defined twice");
        s.slot_minutes = static_cast<int>(rd.integer(st, "slot_minutes", where, 20, 5, 480));
        s.capacity = static_cast<int>(rd.integer(st, "capacity", where, 1, 1, 50));
        s.buffer_minutes = static_cast<int>(rd.integer(st, "buffer_minutes", where, 0, 0, 240));
        s.min_notice_minutes = static_cast<int>(rd.integer(st, "min_notice_minutes", where, 60, 0, 60 * 24 * 30));
        s.days_ahead = static_cast<int>(rd.integer(st, "days_ahead", where, 30, 0, 365));
        s.per_person_per_day = static_cast<int>(rd.integer(st, "per_person_per_day", where, 1, 1, 20));
        s.documents = rd.localized(st, "documents", where, cfg.languages, false, kMaxTickerChars);
        for (const auto& c : rd.integers(st, "counters", where, 1, 999)) {
            if (!cfg.find_counter(static_cast<int>(c)))
                rd.problem(*st.get("counters"), where + ": counter " + std::to_string(c) + " is not configured");
            s.counters.push_back(static_cast<int>(c));
        }
        read_week(rd, st, where, s.weekly);
        bool any = false;
        for (int d = 0; d < 7; ++d) any = any || !s.slot_starts(d).empty();
        if (!any) rd.problem(st, where + " has no slot in its week: add e.g. monday = [\"09:00-12:00\"] (each range at least slot_minutes long)");
        bc.services.push_back(std::move(s));
    }
}

// A service id that forms and "what to bring" lists may name: a sector's service, a sector, or
// the Info Point's own (kCrsPinService).
void check_service_name(const Reader& rd, const SiteConfig& cfg, const toml::node& n, const std::string& service,
                        const std::string& where) {
    if (service == kCrsPinService || cfg.sector_of_service(service)) return;
    std::vector<std::string> known{std::string(kCrsPinService)};
    for (const auto& s : cfg.sectors) {
        known.push_back(s.id);
        for (const auto& v : s.services) known.push_back(v.id);
    }
    std::string msg = where + ": unknown service \"" + service + "\"";
    if (auto near = closest_names(service, known, 1); !near.empty()) msg += " (did you mean \"" + near.front() + "\"?)";
    rd.problem(n, msg);
}

void parse_statistics(const toml::table& root, const Reader& rd, SiteConfig& cfg) {
    const toml::node* n = root.get("statistics");
    if (!n) return;
    const auto& t = rd.table(*n, "[statistics]");
    rd.only_keys(t, {"target_wait_min", "target_share", "compact_after_days"}, "[statistics]");
    cfg.statistics.target_wait_min = static_cast<int>(rd.integer(t, "target_wait_min", "[statistics]", 15, 1, 24 * 60));
    cfg.statistics.target_share = static_cast<int>(rd.integer(t, "target_share", "[statistics]", 85, 1, 100));
    cfg.statistics.compact_after_days = static_cast<int>(rd.integer(t, "compact_after_days", "[statistics]", 400, 0, 3660));
    if (cfg.statistics.compact_after_days > 0 && cfg.statistics.compact_after_days < kMinCompactAfterDays)
        rd.problem(*t.get("compact_after_days"), "[statistics] compact_after_days must be 0 (never) or at least " +
                                                     std::to_string(kMinCompactAfterDays) + " (the forecast learns from 60 days)");
}

void parse_crs_pin(const toml::table& root, const Reader& rd, SiteConfig& cfg) {
    cfg.crs_pin.contacts.first_lang = cfg.languages.front();
    const toml::node* n = root.get("crs_pin");
    if (!n) return;
    const auto& t = rd.table(*n, "[crs_pin]");
    rd.only_keys(t, {"digits", "pin_digits", "puk_digits", "office_copy", "documents", "contacts"}, "[crs_pin]");
    auto& c = cfg.crs_pin;
    c.digits = rd.boolean(t, "digits", "[crs_pin]", true);
    c.pin_digits = static_cast<int>(rd.integer(t, "pin_digits", "[crs_pin]", 2, 1, 4));
    c.puk_digits = static_cast<int>(rd.integer(t, "puk_digits", "[crs_pin]", 2, 1, 7));
    c.office_copy = rd.boolean(t, "office_copy", "[crs_pin]", true);
    if (t.get("documents")) {
        c.documents = rd.strings(t, "documents", "[crs_pin]");
        if (c.documents.empty()) rd.problem(*t.get("documents"), "crs_pin.documents must name at least one document type");
        std::set<std::string> seen;
        for (const auto& d : c.documents) {
            if (!find_document_kind(d)) {
                std::vector<std::string> known;
                for (const auto& k : kDocumentKinds) known.emplace_back(k.id);
                std::string msg = "crs_pin.documents: unknown document type \"" + d + "\"";
                if (auto near = closest_names(d, known, 1); !near.empty()) msg += " (did you mean \"" + near.front() + "\"?)";
                rd.problem(*t.get("documents"), msg);
            }
            if (!seen.insert(d).second) rd.problem(*t.get("documents"), "crs_pin.documents names \"" + d + "\" twice");
        }
    }
    c.contacts = rd.localized(t, "contacts", "[crs_pin]", cfg.languages, false, kMaxTickerChars);
}

void parse_forms(const toml::table& root, const Reader& rd, SiteConfig& cfg) {
    const auto* forms = rd.array(root, "form", "the file");
    if (!forms) return;
    std::set<std::string> ids;
    for (const auto& fn : *forms) {
        const auto& ft = rd.table(fn, "[[form]]");
        FormConfig f;
        f.line = static_cast<int>(ft.source().begin.line);
        f.id = rd.string(ft, "id", "[[form]]");
        const std::string where = "form \"" + f.id + "\"";
        rd.only_keys(ft, {"id", "sector", "service", "title", "description", "hand_in", "file", "url", "version"}, where);
        if (!valid_id(f.id)) rd.problem(*ft.get("id"), "form id \"" + f.id + "\" must be lowercase letters, digits, - or _");
        if (!ids.insert(f.id).second) rd.problem(*ft.get("id"), where + " is defined twice");
        f.sector = rd.string(ft, "sector", where, std::string());
        f.service = rd.string(ft, "service", where, std::string());
        if (f.sector.empty() && f.service.empty())
            rd.problem(ft, where + ": say which sector or service it is for (sector = \"…\", service = \"…\")");
        if (!f.sector.empty()) {
            const Sector* sector = cfg.find_sector(f.sector);
            if (!sector) rd.problem(*ft.get("sector"), where + ": unknown sector \"" + f.sector + "\"");
            if (!f.service.empty() && !sector->find_service(f.service))
                rd.problem(*ft.get("service"), where + ": sector \"" + f.sector + "\" has no service \"" + f.service + "\"");
        } else {
            check_service_name(rd, cfg, *ft.get("service"), f.service, where);
            if (const Sector* s = cfg.sector_of_service(f.service)) {
                f.sector = s->id;
                if (f.service == s->id) f.service.clear();
            }
        }
        f.title = rd.localized(ft, "title", where, cfg.languages, true, 80);
        f.description = rd.localized(ft, "description", where, cfg.languages, false, kMaxTickerChars);
        f.hand_in = rd.localized(ft, "hand_in", where, cfg.languages, false, 200);
        if (const toml::node* pn = ft.get("file")) {
            const std::filesystem::path file(rd.string(ft, "file", where));
            if (file.empty()) rd.problem(*pn, where + ": file: give a PDF file name, or leave the key out");
            const auto base = std::filesystem::path(ft.source().path ? *ft.source().path : std::string()).parent_path();
            f.file_as_written = file;
            f.file = file.is_absolute() ? file : base / file;
        }
        f.url = rd.string(ft, "url", where, std::string());
        if (const toml::node* un = ft.get("url")) {
            if ((f.url.rfind("https://", 0) != 0 && f.url.rfind("http://", 0) != 0) || f.url.size() > 400 ||
                f.url.find_first_of(" \t\"<>") != std::string::npos)
                rd.problem(*un, where + ": url must be a web address starting with https:// (at most 400 characters, no spaces)");
        }
        if (f.file.empty() && f.url.empty()) rd.problem(ft, where + ": give its PDF (file = \"…\") or its web address (url = \"…\"), or both");
        const toml::node* vn = ft.get("version");
        if (!vn) rd.problem(ft, where + ": missing key \"version\" (the form's date, \"YYYY-MM-DD\")");
        if (const auto* d = vn->as_date()) {
            f.version = Date{d->get().year, d->get().month, d->get().day};
        } else {
            auto d2 = vn->is_string() ? Date::parse(vn->as_string()->get()) : Result<Date>(fail("a date \"YYYY-MM-DD\""));
            if (!d2) rd.problem(*vn, where + ": version must be a date, \"YYYY-MM-DD\" (" + d2.error().message + ")");
            f.version = *d2;
        }
        cfg.forms.push_back(std::move(f));
    }
}

void parse_bring(const toml::table& root, const Reader& rd, SiteConfig& cfg) {
    const auto* lists = rd.array(root, "bring", "the file");
    if (!lists) return;
    std::set<std::string> services;
    for (const auto& bn : *lists) {
        const auto& bt = rd.table(bn, "[[bring]]");
        BringList b;
        b.service = rd.string(bt, "service", "[[bring]]");
        const std::string where = "what to bring for \"" + b.service + "\"";
        rd.only_keys(bt, {"service", "items", "forms"}, where);
        check_service_name(rd, cfg, *bt.get("service"), b.service, "[[bring]]");
        if (!services.insert(b.service).second) rd.problem(*bt.get("service"), where + " is defined twice");
        const auto* items = rd.array(bt, "items", where);
        if (!items || items->empty()) rd.problem(bt, where + ": list what to bring, items = [\"…\", …]");
        if (items->size() > 20) rd.problem(*bt.get("items"), where + ": at most 20 items");
        for (const auto& item : *items) b.items.push_back(rd.localized_node(item, where + ": an item", cfg.languages, 200));
        b.forms = rd.strings(bt, "forms", where);
        for (const auto& id : b.forms)
            if (!cfg.find_form(id)) rd.problem(*bt.get("forms"), where + ": unknown form \"" + id + "\" (no [[form]] has this id)");
        cfg.bring.push_back(std::move(b));
    }
}

SiteConfig parse(const toml::table& root, const Reader& rd) {
    SiteConfig cfg;
    rd.only_keys(root, {"office", "printer", "kiosk", "service_menu", "infopoint", "display", "hours", "sector", "counter", "queue", "priority", "sync", "booking",
                        "crs_pin", "form", "bring", "web", "statistics", "totem"},
                 "the file");

    // [office]
    const toml::node* office_node = root.get("office");
    if (!office_node) rd.problem(root, "missing table [office]");
    const auto& office = rd.table(*office_node, "[office]");
    rd.only_keys(office, {"name", "town", "timezone", "languages"}, "[office]");
    cfg.office_name = rd.string(office, "name", "[office]");
    rd.check_text(*office.get("name"), cfg.office_name, kMaxOfficeNameChars, "office.name");
    cfg.town = rd.string(office, "town", "[office]", std::string());
    if (const toml::node* tn = office.get("town")) rd.check_text(*tn, cfg.town, kMaxOfficeNameChars, "office.town");
    const auto tzname = rd.string(office, "timezone", "[office]", std::string("Europe/Rome"));
    auto tz = OfficeTimeZone::named(tzname);
    if (!tz) rd.problem(*office.get("timezone"), tz.error().message);
    cfg.timezone = *tz;
    if (office.get("languages")) {
        cfg.languages = rd.strings(office, "languages", "[office]");
        cfg.languages_line = static_cast<int>(office.get("languages")->source().begin.line);
        if (cfg.languages.empty()) rd.problem(*office.get("languages"), "office.languages must name at least one language");
        for (const auto& l : cfg.languages)
            if (l.size() != 2 || !valid_id(l))
                rd.problem(*office.get("languages"), "\"" + l + "\" is not a two-letter language code");
    }

    // [printer]
    if (const toml::node* n = root.get("printer")) {
        const auto& p = rd.table(*n, "[printer]");
        rd.only_keys(p, {"transport", "profile", "profiles", "usb_id", "output"}, "[printer]");
        cfg.printer.transport = rd.string(p, "transport", "[printer]", cfg.printer.transport);
        if (const auto* kind = find_printer_transport_kind(cfg.printer.transport); kind == nullptr || !kind->in_config)
            rd.problem(*p.get("transport"), "printer.transport must be one of " + printer_transport_names(false));
        // The site's own printer profiles: relative to this file's folder, like [sync]'s files.
        if (const toml::node* pn = p.get("profiles")) {
            const std::filesystem::path file(rd.string(p, "profiles", "[printer]"));
            if (file.empty()) rd.problem(*pn, "printer.profiles: give a file name, or leave the key out");
            const auto base = std::filesystem::path(p.source().path ? *p.source().path : std::string()).parent_path();
            cfg.printer.site_profiles = file.is_absolute() ? file : base / file;
            cfg.printer.site_profiles_line = static_cast<int>(pn->source().begin.line);
        }
        cfg.printer.profile = rd.string(p, "profile", "[printer]", cfg.printer.profile);
        if (const toml::node* pn = p.get("profile")) cfg.printer.profile_line = static_cast<int>(pn->source().begin.line);
        cfg.printer.usb_id = rd.string(p, "usb_id", "[printer]", std::string());
        cfg.printer.output = rd.string(p, "output", "[printer]", std::string());
        if (!cfg.printer.usb_id.empty()) {
            unsigned v, d;
            char tail;
            if (std::sscanf(cfg.printer.usb_id.c_str(), "%4x:%4x%c", &v, &d, &tail) != 2)
                rd.problem(*p.get("usb_id"), "printer.usb_id must be VID:PID in hex, e.g. \"04b8:0e15\"");
        }
        if (cfg.printer.transport == "file" && cfg.printer.output.empty())
            rd.problem(p, "printer.transport = \"file\" needs printer.output (a file path)");
    }

    // [sync] (docs/SYNC.md); file paths are relative to this file's folder.
    if (const toml::node* n = root.get("sync")) {
        const auto& t = rd.table(*n, "[sync]");
        rd.only_keys(t, {"servers", "device_index", "stream", "subject", "presence_subject", "replicas", "user", "password", "nkey",
                         "nkey_seed_file", "tls_ca_file", "confirm_timeout_ms", "connect_timeout_ms", "duplicate_window_s",
                         "retention_days"},
                     "[sync]");
        auto& sy = cfg.sync;
        sy.servers = rd.strings(t, "servers", "[sync]");
        for (const auto& url : sy.servers)
            if (url.rfind("nats://", 0) != 0 && url.rfind("tls://", 0) != 0)
                rd.problem(*t.get("servers"), "sync.servers: \"" + url + "\" must start with nats:// or tls://");
        sy.device_index = static_cast<int>(rd.integer(t, "device_index", "[sync]", 0, 0, 9));
        sy.stream = rd.string(t, "stream", "[sync]", sy.stream);
        sy.subject = rd.string(t, "subject", "[sync]", sy.subject);
        sy.presence_subject = rd.string(t, "presence_subject", "[sync]", sy.presence_subject);
        // Statuses must stay out of the stream: never under the events' subject.
        if (sy.presence_subject == sy.subject || sy.presence_subject.starts_with(sy.subject + "."))
            rd.problem(t.get("presence_subject") ? *t.get("presence_subject") : *t.get("subject"),
                       "sync.presence_subject \"" + sy.presence_subject + "\" must not be the events' subject \"" + sy.subject +
                           "\" nor under it: the statuses would be stored in the stream");
        sy.replicas = static_cast<int>(rd.integer(t, "replicas", "[sync]", 0, 0, 5));
        sy.user = rd.string(t, "user", "[sync]", std::string());
        sy.password = rd.string(t, "password", "[sync]", std::string());
        sy.nkey = rd.string(t, "nkey", "[sync]", std::string());
        const auto base = std::filesystem::path(t.source().path ? *t.source().path : std::string()).parent_path();
        auto path = [&](const char* key) -> std::filesystem::path {
            const auto v = rd.string(t, key, "[sync]", std::string());
            if (v.empty()) return {};
            const std::filesystem::path p(v);
            return p.is_absolute() ? p : base / p;
        };
        sy.nkey_seed_file = path("nkey_seed_file");
        sy.tls_ca_file = path("tls_ca_file");
        sy.confirm_timeout_ms = static_cast<int>(rd.integer(t, "confirm_timeout_ms", "[sync]", 1500, 200, 30000));
        sy.connect_timeout_ms = static_cast<int>(rd.integer(t, "connect_timeout_ms", "[sync]", 800, 100, 10000));
        sy.duplicate_window_s = static_cast<int>(rd.integer(t, "duplicate_window_s", "[sync]", 600, 10, 86400));
        sy.retention_days = static_cast<int>(rd.integer(t, "retention_days", "[sync]", 14, 1, 3650));
        if (!sy.user.empty() && !sy.nkey.empty()) rd.problem(t, "[sync]: use either user/password or nkey, not both");
    }

    // [kiosk]
    if (const toml::node* n = root.get("kiosk")) {
        const auto& k = rd.table(*n, "[kiosk]");
        rd.only_keys(k, {"confirm_seconds", "orientation", "fullscreen", "attract_seconds", "speech", "speech_device", "speech_headset_device",
                         "speech_volume", "screen_height_mm", "screen_bottom_mm"},
                     "[kiosk]");
        cfg.kiosk.confirm_seconds = static_cast<int>(rd.integer(k, "confirm_seconds", "[kiosk]", 8, 2, 120));
        cfg.kiosk.attract_seconds = static_cast<int>(rd.integer(k, "attract_seconds", "[kiosk]", 120, 0, 3600));
        if (cfg.kiosk.attract_seconds > 0 && cfg.kiosk.attract_seconds < 10)
            rd.problem(*k.get("attract_seconds"), "kiosk.attract_seconds must be 0 (never) or at least 10: a citizen reading the screen needs the time");
        cfg.kiosk.orientation = rd.string(k, "orientation", "[kiosk]", cfg.kiosk.orientation);
        if (cfg.kiosk.orientation != "portrait" && cfg.kiosk.orientation != "landscape")
            rd.problem(*k.get("orientation"), "kiosk.orientation must be \"portrait\" or \"landscape\"");
        cfg.kiosk.fullscreen = rd.boolean(k, "fullscreen", "[kiosk]", false);
        cfg.kiosk.speech = rd.boolean(k, "speech", "[kiosk]", true);
        cfg.kiosk.speech_device = rd.string(k, "speech_device", "[kiosk]", cfg.kiosk.speech_device);
        if (cfg.kiosk.speech_device.empty()) rd.problem(*k.get("speech_device"), "kiosk.speech_device must not be empty (\"default\" is the sound card's)");
        cfg.kiosk.speech_headset_device = rd.string(k, "speech_headset_device", "[kiosk]", cfg.kiosk.speech_headset_device);
        cfg.kiosk.speech_volume = static_cast<int>(rd.integer(k, "speech_volume", "[kiosk]", 70, 10, 100));
        cfg.kiosk.screen_height_mm = static_cast<int>(rd.integer(k, "screen_height_mm", "[kiosk]", 0, 0, 3000));
        cfg.kiosk.screen_bottom_mm = static_cast<int>(rd.integer(k, "screen_bottom_mm", "[kiosk]", 0, 0, 3000));
        if ((cfg.kiosk.screen_height_mm > 0) != (cfg.kiosk.screen_bottom_mm > 0)) {
            const toml::node* given = k.get(cfg.kiosk.screen_height_mm > 0 ? "screen_height_mm" : "screen_bottom_mm");
            rd.problem(*given, "kiosk.screen_height_mm and kiosk.screen_bottom_mm go together, both above 0 (the screen's visible height "
                               "and its bottom edge's height above the floor)");
        }
        if (cfg.kiosk.unreachable_top() > KioskConfig::kMostUnreachable)
            rd.problem(*k.get("screen_bottom_mm"), "kiosk.screen_bottom_mm is " + std::to_string(cfg.kiosk.screen_bottom_mm) + " mm: only " +
                                                      std::to_string(KioskConfig::kReachHighMm - cfg.kiosk.screen_bottom_mm) + " of the screen's " +
                                                      std::to_string(cfg.kiosk.screen_height_mm) +
                                                      " mm would be within reach (up to 1,220 mm), too little for the controls; mount the screen lower");
        if (cfg.kiosk.screen_bottom_mm > 0 && cfg.kiosk.screen_bottom_mm < KioskConfig::kReachLowMm)
            rd.problem(*k.get("screen_bottom_mm"), "kiosk.screen_bottom_mm is " + std::to_string(cfg.kiosk.screen_bottom_mm) +
                                                      " mm: controls at the screen's bottom would be below the lowest reach (" +
                                                      std::to_string(KioskConfig::kReachLowMm) + " mm); mount the screen higher");
        if (cfg.kiosk.screen_bottom_mm >= KioskConfig::kReachHighMm - 200)
            rd.problem(*k.get("screen_bottom_mm"), "kiosk.screen_bottom_mm is " + std::to_string(cfg.kiosk.screen_bottom_mm) +
                                                      " mm: less than 200 mm of the screen would be within reach (up to " +
                                                      std::to_string(KioskConfig::kReachHighMm) + " mm); mount the screen lower");
    }

    // [service_menu]
    if (const toml::node* n = root.get("service_menu")) {
        const auto& sm = rd.table(*n, "[service_menu]");
        rd.only_keys(sm, {"idle_seconds", "reboot_command", "shutdown_command", "export_device"}, "[service_menu]");
        cfg.service_menu.idle_seconds = static_cast<int>(rd.integer(sm, "idle_seconds", "[service_menu]", 60, 10, 600));
        cfg.service_menu.reboot_command = rd.string(sm, "reboot_command", "[service_menu]", cfg.service_menu.reboot_command);
        cfg.service_menu.shutdown_command = rd.string(sm, "shutdown_command", "[service_menu]", cfg.service_menu.shutdown_command);
        cfg.service_menu.export_device = rd.string(sm, "export_device", "[service_menu]", "");
        const std::string& dev = cfg.service_menu.export_device;
        if (!dev.empty() && (!dev.starts_with("/dev/") || dev.size() > 100 || dev.find_first_of(" \t'\"\\;$`") != std::string::npos))
            rd.problem(*sm.get("export_device"), "[service_menu] export_device must be a device under /dev/, e.g. \"/dev/mmcblk0p1\"");
    }

    // [infopoint]
    if (const toml::node* n = root.get("infopoint")) {
        const auto& ip = rd.table(*n, "[infopoint]");
        rd.only_keys(ip, {"idle_sign_out_s", "countdown_s", "printer", "fullscreen"}, "[infopoint]");
        auto& c = cfg.infopoint;
        c.idle_sign_out_s = static_cast<int>(rd.integer(ip, "idle_sign_out_s", "[infopoint]", 180, 5, 3600));
        c.countdown_s = static_cast<int>(rd.integer(ip, "countdown_s", "[infopoint]", 20, 2, 600));
        if (c.countdown_s >= c.idle_sign_out_s) {
            const toml::node* at = ip.get("countdown_s") ? ip.get("countdown_s") : ip.get("idle_sign_out_s");
            rd.problem(*at, "infopoint.countdown_s (" + std::to_string(c.countdown_s) +
                                ") must be shorter than infopoint.idle_sign_out_s (" + std::to_string(c.idle_sign_out_s) + ")");
        }
        c.printer = rd.string(ip, "printer", "[infopoint]", "");
        if (!c.printer.empty()) {
            c.printer_line = static_cast<int>(ip.get("printer")->source().begin.line);
            const std::string kind = c.printer.substr(0, c.printer.find(':'));
            if (const auto* k = find_printer_transport_kind(kind); k == nullptr || !k->in_option || kind == "memory")
                rd.problem(*ip.get("printer"), "infopoint.printer must be like --printer: auto, usb, usb:VID:PID, emulated, "
                                               "emulated:DIR, file:PATH (or left out for the [printer] section)");
        }
        c.fullscreen = rd.boolean(ip, "fullscreen", "[infopoint]", false);
    }

    // [display]
    if (const toml::node* n = root.get("display")) {
        const auto& d = rd.table(*n, "[display]");
        rd.only_keys(d, {"ticker", "chime", "voice", "calls_shown", "highlight_seconds", "fullscreen", "sound_device",
                         "side_panel"},
                     "[display]");
        cfg.display.ticker = rd.localized(d, "ticker", "[display]", cfg.languages, false, kMaxTickerChars);
        cfg.display.chime = rd.boolean(d, "chime", "[display]", true);
        cfg.display.voice = rd.boolean(d, "voice", "[display]", true);
        cfg.display.calls_shown = static_cast<int>(rd.integer(d, "calls_shown", "[display]", 6, 1, 12));
        cfg.display.highlight_seconds = static_cast<int>(rd.integer(d, "highlight_seconds", "[display]", 8, 0, 60));
        cfg.display.fullscreen = rd.boolean(d, "fullscreen", "[display]", true);
        cfg.display.side_panel = rd.boolean(d, "side_panel", "[display]", false);
        cfg.display.sound_device = rd.string(d, "sound_device", "[display]", cfg.display.sound_device);
        if (cfg.display.sound_device.empty()) rd.problem(*d.get("sound_device"), "display.sound_device must not be empty");
    }

    // [totem] (docs/CONTENT.md). Without the section: the folder "content" beside this file.
    {
        const auto base = std::filesystem::path(root.source().path ? *root.source().path : std::string()).parent_path();
        cfg.totem.content = base / "content";
        if (const toml::node* n = root.get("totem")) {
            const auto& t = rd.table(*n, "[totem]");
            rd.only_keys(t, {"content", "page_seconds", "call_seconds", "refresh_seconds", "fullscreen", "feed"}, "[totem]");
            const auto folder = rd.string(t, "content", "[totem]", "content");
            if (folder.empty()) rd.problem(*t.get("content"), "totem.content must name a folder (e.g. \"content\")");
            cfg.totem.content = std::filesystem::path(folder).is_absolute() ? std::filesystem::path(folder) : base / folder;
            cfg.totem.page_seconds = static_cast<int>(rd.integer(t, "page_seconds", "[totem]", 12, 4, 120));
            cfg.totem.call_seconds = static_cast<int>(rd.integer(t, "call_seconds", "[totem]", 10, 0, 60));
            cfg.totem.refresh_seconds = static_cast<int>(rd.integer(t, "refresh_seconds", "[totem]", 60, 1, 86400));
            cfg.totem.fullscreen = rd.boolean(t, "fullscreen", "[totem]", true);
            if (const auto* feeds = rd.array(t, "feed", "[totem]")) {
                std::set<std::string> names;
                for (const auto& fn : *feeds) {
                    const auto& ft = rd.table(fn, "[[totem.feed]]");
                    rd.only_keys(ft, {"name", "url", "format", "refresh_minutes", "max_age_hours", "lead_days", "keep_days",
                                      "priority"},
                                 "[[totem.feed]]");
                    TotemFeed f;
                    f.name = rd.string(ft, "name", "[[totem.feed]]");
                    const bool id_ok = !f.name.empty() && f.name.size() <= 40 &&
                                       f.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
                    if (!id_ok) rd.problem(*ft.get("name"), "[[totem.feed]] name must be 1-40 of a-z 0-9 - _");
                    else if (!names.insert(f.name).second) rd.problem(*ft.get("name"), "[[totem.feed]] name \"" + f.name + "\" is used twice");
                    f.url = rd.string(ft, "url", "[[totem.feed]]");
                    if (!(f.url.starts_with("http://") || f.url.starts_with("https://")))
                        rd.problem(*ft.get("url"), "[[totem.feed]] url must start with http:// or https://");
                    f.format = rd.string(ft, "format", "[[totem.feed]]");
                    if (f.format != "ical" && f.format != "rss")
                        rd.problem(*ft.get("format"), "[[totem.feed]] format must be \"ical\" (a calendar) or \"rss\" (RSS or Atom news)");
                    f.refresh_minutes = static_cast<int>(rd.integer(ft, "refresh_minutes", "[[totem.feed]]", 30, 1, 1440));
                    f.max_age_hours = static_cast<int>(rd.integer(ft, "max_age_hours", "[[totem.feed]]", 48, 1, 24 * 60));
                    f.lead_days = static_cast<int>(rd.integer(ft, "lead_days", "[[totem.feed]]", 14, 0, 365));
                    f.keep_days = static_cast<int>(rd.integer(ft, "keep_days", "[[totem.feed]]", 7, 1, 365));
                    f.priority = static_cast<int>(rd.integer(ft, "priority", "[[totem.feed]]", 4, 0, 9));
                    cfg.totem.feeds.push_back(std::move(f));
                }
            }
        }
    }

    // [web] (docs/WEB.md)
    if (const toml::node* n = root.get("web")) {
        const auto& w = rd.table(*n, "[web]");
        rd.only_keys(w, {"listen", "role", "public_url", "allow_origins", "max_streams", "requests_per_minute", "cert_file",
                         "key_file"},
                     "[web]");
        cfg.web.listen = rd.string(w, "listen", "[web]", std::string());
        if (!cfg.web.listen.empty() && !split_listen_address(cfg.web.listen))
            rd.problem(*w.get("listen"), "web.listen: \"" + cfg.web.listen + "\" is not ADDRESS:PORT (e.g. \"0.0.0.0:8080\")");
        cfg.web.role = rd.string(w, "role", "[web]", std::string());
        if (!cfg.web.role.empty() && cfg.web.listen.empty())
            rd.problem(*w.get("role"), "web.role: a role serves the pages only with web.listen (ADDRESS:PORT)");
        // A typo would serve the pages from nowhere: the role must be one `kiosk run` has.
        static constexpr std::array<std::string_view, 7> kScreenRoles{"entrance", "display", "counter", "infopoint",
                                                                      "totem",    "clock",   "feedback"};
        if (!cfg.web.role.empty() &&
            std::find(kScreenRoles.begin(), kScreenRoles.end(), cfg.web.role) == kScreenRoles.end()) {
            std::string names;
            for (std::string_view r : kScreenRoles) names += (names.empty() ? "" : ", ") + std::string(r);
            rd.problem(*w.get("role"), "web.role: \"" + cfg.web.role + "\" is not a role of `kiosk run` (" + names + ")");
        }
        cfg.web.public_url = rd.string(w, "public_url", "[web]", std::string());
        if (!cfg.web.public_url.empty() &&
            !(cfg.web.public_url.starts_with("http://") || cfg.web.public_url.starts_with("https://")))
            rd.problem(*w.get("public_url"), "web.public_url must start with http:// or https://");
        while (!cfg.web.public_url.empty() && cfg.web.public_url.back() == '/') cfg.web.public_url.pop_back();
        cfg.web.allow_origins = rd.strings(w, "allow_origins", "[web]");
        for (const auto& o : cfg.web.allow_origins)
            if (!(o.starts_with("http://") || o.starts_with("https://")) || o.find_first_of(" /", o.find("//") + 2) != std::string::npos)
                rd.problem(*w.get("allow_origins"), "web.allow_origins: \"" + o + "\" is not an origin such as \"https://www.comune.example.it\"");
        cfg.web.max_streams = static_cast<int>(rd.integer(w, "max_streams", "[web]", 1000, 1, 5000));
        cfg.web.requests_per_minute = static_cast<int>(rd.integer(w, "requests_per_minute", "[web]", 120, 10, 100000));
        const auto base = std::filesystem::path(w.source().path ? *w.source().path : std::string()).parent_path();
        for (auto [key, out] : {std::pair{"cert_file", &cfg.web.cert_file}, std::pair{"key_file", &cfg.web.key_file}}) {
            const auto v = rd.string(w, key, "[web]", std::string());
            *out = v.empty() ? std::filesystem::path() : std::filesystem::path(v).is_absolute() ? std::filesystem::path(v) : base / v;
        }
        if (cfg.web.cert_file.empty() != cfg.web.key_file.empty())
            rd.problem(w, "[web]: HTTPS needs both cert_file and key_file (the office's certificate and its private key)");
    }

    // [hours]
    if (const toml::node* n = root.get("hours")) {
        const auto& h = rd.table(*n, "[hours]");
        rd.only_keys(h, {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "closed",
                         "closed_every_year", "national_holidays"},
                     "[hours]");
        cfg.hours.national_holidays = rd.boolean(h, "national_holidays", "[hours]", true);
        if (const auto* a = rd.array(h, "closed_every_year", "[hours]"))
            for (const auto& e : *a) {
                int m = 0, d = 0;
                char tail = 0;
                const std::string text = e.is_string() ? e.as_string()->get() : std::string();
                if (!e.is_string() || std::sscanf(text.c_str(), "%2d-%2d%c", &m, &d, &tail) != 2 || m < 1 || m > 12 ||
                    d < 1 || d > days_in_month(2024, m))  // a leap year: 02-29 is allowed
                    rd.problem(e, "yearly closures are texts like \"12-07\" (month-day), got \"" + text + "\"");
                cfg.hours.closed_every_year.emplace_back(m, d);
            }
        read_week(rd, h, "[hours]", cfg.hours.weekly);
        if (const auto* a = rd.array(h, "closed", "[hours]"))
            for (const auto& e : *a) {
                if (!e.is_string()) rd.problem(e, "closed days are texts like \"2026-12-25\"");
                auto d = Date::parse(e.as_string()->get());
                if (!d) rd.problem(e, d.error().message);
                cfg.hours.closed_days.push_back(*d);
            }
    } else {
        rd.problem(root, "missing table [hours]: say when the office is open, e.g. monday = [\"08:30-12:30\"]");
    }

    // [[sector]]
    const auto* sectors = rd.array(root, "sector", "the file");
    if (!sectors || sectors->empty()) rd.problem(root, "no [[sector]] defined: the office needs at least one");
    std::set<std::string> ids, letters;
    for (const auto& sn : *sectors) {
        const auto& st = rd.table(sn, "[[sector]]");
        Sector s;
        s.id = rd.string(st, "id", "[[sector]]");
        const std::string where = "sector \"" + s.id + "\"";
        rd.only_keys(st, {"id", "name", "colour", "icon", "letter", "service", "target_wait_min", "expected_service_minutes",
                          "expected_walk_ins_per_day"},
                     where);
        if (!valid_id(s.id)) rd.problem(*st.get("id"), "sector id \"" + s.id + "\" must be lowercase letters, digits, - or _");
        if (!ids.insert(s.id).second) rd.problem(*st.get("id"), "sector id \"" + s.id + "\" is used twice");
        s.name = rd.localized(st, "name", where, cfg.languages, true);
        auto colour = Rgb::parse(rd.string(st, "colour", where));
        if (!colour) rd.problem(*st.get("colour"), where + ": " + colour.error().message);
        s.colour = *colour;
        const Rgb white{255, 255, 255}, ink{17, 17, 17};
        s.text_colour = contrast_ratio(s.colour, white) >= contrast_ratio(s.colour, ink) ? white : ink;
        if (contrast_ratio(s.colour, s.text_colour) < 4.5)
            rd.problem(*st.get("colour"), where + ": colour " + s.colour.hex() +
                                              " gives text contrast below 4.5:1 with both white and black; choose a darker or lighter colour");
        s.icon = rd.string(st, "icon", where, std::string("info"));
        s.letter = rd.string(st, "letter", where);
        if (s.letter.empty() || s.letter.size() > 2 ||
            !std::all_of(s.letter.begin(), s.letter.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            rd.problem(*st.get("letter"), where + ": letter must be one or two capital letters A-Z");
        if (!letters.insert(s.letter).second)
            rd.problem(*st.get("letter"), where + ": letter \"" + s.letter + "\" is already used by another sector");
        if (st.get("target_wait_min"))
            s.target_wait_min = static_cast<int>(rd.integer(st, "target_wait_min", where, 15, 1, 24 * 60));
        if (st.get("expected_service_minutes"))
            s.expected_service_minutes = rd.number(st, "expected_service_minutes", where, 8, Sector::kExpectedServiceMin, Sector::kExpectedServiceMax);
        if (st.get("expected_walk_ins_per_day"))
            s.expected_walk_ins_per_day = rd.number(st, "expected_walk_ins_per_day", where, 50, 0, Sector::kExpectedWalkInsMax);
        if (const auto* svcs = rd.array(st, "service", where)) {
            std::set<std::string> sids;
            for (const auto& vn : *svcs) {
                const auto& vt = rd.table(vn, "[[sector.service]]");
                Service v;
                v.id = rd.string(vt, "id", where + " service");
                const std::string vwhere = where + " service \"" + v.id + "\"";
                rd.only_keys(vt, {"id", "name"}, vwhere);
                if (!valid_id(v.id)) rd.problem(*vt.get("id"), "service id \"" + v.id + "\" must be lowercase letters, digits, - or _");
                if (!sids.insert(v.id).second) rd.problem(*vt.get("id"), vwhere + " is defined twice");
                v.name = rd.localized(vt, "name", vwhere, cfg.languages, true);
                s.services.push_back(std::move(v));
            }
        }
        cfg.sectors.push_back(std::move(s));
    }

    // [[counter]]
    std::set<std::int64_t> numbers;
    if (const auto* counters = rd.array(root, "counter", "the file"))
        for (const auto& cn : *counters) {
            const auto& ct = rd.table(cn, "[[counter]]");
            rd.only_keys(ct, {"number", "name", "sectors", "staffed"}, "[[counter]]");
            if (!ct.get("number")) rd.problem(ct, "a [[counter]] needs a number");
            CounterConfig c;
            c.number = static_cast<int>(rd.integer(ct, "number", "[[counter]]", 0, 1, 999));
            const std::string where = "counter " + std::to_string(c.number);
            if (!numbers.insert(c.number).second) rd.problem(*ct.get("number"), where + " is defined twice");
            c.name = rd.localized(ct, "name", where, cfg.languages, false);
            c.sectors = rd.strings(ct, "sectors", where);
            if (c.sectors.empty()) rd.problem(ct, where + " serves no sector: add sectors = [\"...\"]");
            for (const auto& sid : c.sectors)
                if (!cfg.find_sector(sid)) {
                    std::vector<std::string> known;
                    for (const auto& s : cfg.sectors) known.push_back(s.id);
                    std::string msg = where + " serves unknown sector \"" + sid + "\"";
                    if (auto near = closest_names(sid, known, 1); !near.empty()) msg += " (did you mean \"" + near.front() + "\"?)";
                    rd.problem(*ct.get("sectors"), msg);
                }
            if (const auto* a = rd.array(ct, "staffed", where)) {
                for (const auto& e : *a) {
                    if (!e.is_string()) rd.problem(e, where + ": staffed hours are texts like \"08:30-12:00\"");
                    auto r = parse_range(e.as_string()->get());
                    if (!r) rd.problem(e, "\"" + e.as_string()->get() + "\" is not a time range like \"08:30-12:00\"");
                    for (const auto& other : c.staffed)
                        if (r->begin < other.end && other.begin < r->end)
                            rd.problem(e, where + ": staffed range \"" + e.as_string()->get() + "\" overlaps another");
                    c.staffed.push_back(*r);
                }
                std::sort(c.staffed.begin(), c.staffed.end(),
                          [](const TimeRange& a, const TimeRange& b) { return a.begin < b.begin; });
            }
            cfg.counters.push_back(std::move(c));
        }

    // [queue]
    if (const toml::node* n = root.get("queue")) {
        const auto& q = rd.table(*n, "[queue]");
        rd.only_keys(q, {"policy", "walk_ins_per_priority", "appointment_early_minutes", "appointment_late_minutes"},
                     "[queue]");
        const auto policy = rd.string(q, "policy", "[queue]", std::string("strict"));
        if (policy == "strict") cfg.queue.mode = QueuePolicy::Mode::Strict;
        else if (policy == "alternate") cfg.queue.mode = QueuePolicy::Mode::Alternate;
        else rd.problem(*q.get("policy"), "queue.policy must be \"strict\" or \"alternate\"");
        cfg.queue.walk_ins_per_priority = static_cast<int>(rd.integer(q, "walk_ins_per_priority", "[queue]", 2, 1, 50));
        cfg.queue.appointment_early_min = static_cast<int>(rd.integer(q, "appointment_early_minutes", "[queue]", 10, 0, 240));
        cfg.queue.appointment_late_min = static_cast<int>(rd.integer(q, "appointment_late_minutes", "[queue]", 15, 0, 240));
    }

    // [[priority]]
    if (const auto* prios = rd.array(root, "priority", "the file")) {
        std::set<std::string> pids;
        for (const auto& pn : *prios) {
            const auto& pt = rd.table(pn, "[[priority]]");
            PriorityClass p;
            p.id = rd.string(pt, "id", "[[priority]]");
            const std::string where = "priority class \"" + p.id + "\"";
            rd.only_keys(pt, {"id", "name"}, where);
            if (!valid_id(p.id)) rd.problem(*pt.get("id"), "priority id \"" + p.id + "\" must be lowercase letters, digits, - or _");
            if (!pids.insert(p.id).second) rd.problem(*pt.get("id"), where + " is defined twice");
            p.name = rd.localized(pt, "name", where, cfg.languages, true);
            cfg.priorities.push_back(std::move(p));
        }
    }
    parse_booking(root, rd, cfg);
    // The stream keeps a booking (its name included) retention_days after it was made, and
    // cannot be edited: within keep_days after the booking's day only if retention_days <=
    // keep_days (docs/BOOKING.md, "Personal data").
    if (const toml::node* sn = root.get("sync"); sn && cfg.sync.retention_days > cfg.booking.keep_days) {
        const toml::node* at = sn->is_table() ? sn->as_table()->get("retention_days") : nullptr;
        if (!at)
            if (const toml::node* bn = root.get("booking"); bn && bn->is_table()) at = bn->as_table()->get("keep_days");
        rd.problem(at ? at->source() : sn->source(),
                   "sync.retention_days (" + std::to_string(cfg.sync.retention_days) + ") must be at most booking.keep_days (" +
                       std::to_string(cfg.booking.keep_days) +
                       "): the stream would keep citizens' names longer than the office keeps them");
    }
    parse_crs_pin(root, rd, cfg);
    parse_statistics(root, rd, cfg);
    parse_forms(root, rd, cfg);
    parse_bring(root, rd, cfg);
    return cfg;
}

}  // namespace

void check_form_files(SiteConfig& config, const std::filesystem::path& fallback_dir) {
    std::erase_if(config.warnings, [](const std::string& w) { return w.find(": form \"") != std::string::npos; });
    const auto base = config.source.parent_path();
    for (auto& f : config.forms) {
        if (f.file_as_written.empty()) continue;
        std::error_code ec;
        // Relative: the configuration's folder first (the site's own files), then the fallback
        // (the installed assets: a copy of the sample configuration elsewhere still finds them).
        std::vector<std::filesystem::path> tries{f.file_as_written.is_absolute() ? f.file_as_written : base / f.file_as_written};
        if (!f.file_as_written.is_absolute() && !fallback_dir.empty()) tries.push_back(fallback_dir / f.file_as_written);
        f.available = false;
        for (const auto& t : tries)
            if (std::filesystem::is_regular_file(t, ec)) {
                f.file = t;
                f.available = true;
                break;
            }
        if (!f.available) {
            f.file = tries.front();
            config.warnings.push_back(config.source.string() + ":" + std::to_string(f.line) + ": form \"" + f.id + "\": file " +
                                      f.file.string() + " is missing: the form is hidden until it is there");
        }
    }
}

Result<SiteConfig> parse_site_config(std::string_view text, const std::string& name) {
    return parse_toml<SiteConfig>(text, name, [&](const toml::table& root, const TomlReader&) {
        return parse(root, Reader(name));
    });
}

Result<SiteConfig> load_site_config(const std::filesystem::path& file) {
    auto text = read_toml_file(file, "site configuration file");
    if (!text) return text.error();
    auto cfg = parse_site_config(*text, file.string());
    if (!cfg) return cfg;
    cfg->source = file;
    check_form_files(*cfg);
    return cfg;
}

std::optional<std::pair<std::string, int>> split_listen_address(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 >= text.size()) return std::nullopt;
    std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') return std::nullopt;
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return std::nullopt;  // an IPv6 address goes in brackets
    }
    if (host.find_first_of(" /") != std::string_view::npos) return std::nullopt;
    int p = 0;
    for (char c : port) {
        if (c < '0' || c > '9' || p > 65535) return std::nullopt;
        p = p * 10 + (c - '0');
    }
    if (p < 1 || p > 65535) return std::nullopt;
    return std::pair{std::string(host), p};
}

int StatisticsConfig::target_for(const Sector* sector) const {
    return sector && sector->target_wait_min ? *sector->target_wait_min : target_wait_min;
}

}  // namespace csc
