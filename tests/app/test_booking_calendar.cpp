// Bookings as iCalendar (kiosk/app/booking_calendar.hpp), with no office opened: the text made
// by libical is read back by libical's parser (start, end, UID, summary, alarm), names appear
// only when asked for, and the booking receipt carries the event as its second QR.
#include <doctest/doctest.h>

#include <libical/ical.h>

#include "kiosk/app/booking_calendar.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"

using namespace csc;

namespace {

struct Fixture {
    SiteConfig config;
    Translator tr;
    Booking booking;
    const BookableService* service = nullptr;
    Fixture() {
        auto c = load_site_config(std::string(CSC_SOURCE_ASSETS) + "/site/office.toml");
        REQUIRE(c.ok());
        config = std::move(*c);
        auto t = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", config.languages);
        REQUIRE(t.ok());
        tr = std::move(*t);
        REQUIRE_FALSE(config.booking.services.empty());
        service = &config.booking.services.front();
        booking.code = "K7P4QXM";
        booking.service = service->id;
        booking.sector = service->sector;
        booking.slot = config.timezone.from_local(Date{2026, 12, 17}, 9 * 60 + 30);
        booking.name = "Maria Rossi";
        booking.contact = "+39 333 1234567";
        booking.lang = "en";
        booking.history.push_back({booking.slot - 86'400'000LL * 3, "made", ""});
    }
};

struct Parsed {
    icalcomponent* c;
    explicit Parsed(const std::string& text) : c(icalparser_parse_string(text.c_str())) {}
    ~Parsed() {
        if (c) icalcomponent_free(c);
    }
    Parsed(const Parsed&) = delete;
    Parsed& operator=(const Parsed&) = delete;
};

std::string prop_text(icalcomponent* ev, icalproperty_kind kind) {
    icalproperty* p = icalcomponent_get_first_property(ev, kind);
    return p ? icalproperty_get_value_as_string(p) : "";
}

}  // namespace

TEST_CASE("a booking's calendar round-trips through libical: start, end, UID, summary, alarm") {
    Fixture f;
    const std::string text = app::bookings_calendar(f.config, f.tr, {f.booking}, {});
    Parsed cal(text);
    REQUIRE(cal.c != nullptr);
    CHECK(icalcomponent_isa(cal.c) == ICAL_VCALENDAR_COMPONENT);
    CHECK(prop_text(cal.c, ICAL_VERSION_PROPERTY) == "2.0");
    CHECK(icalcomponent_count_components(cal.c, ICAL_VEVENT_COMPONENT) == 1);
    icalcomponent* ev = icalcomponent_get_first_component(cal.c, ICAL_VEVENT_COMPONENT);
    REQUIRE(ev != nullptr);
    CHECK(icalcomponent_count_errors(cal.c) == 0);

    const icaltimetype start = icalcomponent_get_dtstart(ev);
    CHECK(icaltime_is_utc(start));
    CHECK(icaltime_as_timet(start) == f.booking.slot / 1000);
    // 09:30 in Rome in December is 08:30 UTC.
    CHECK(start.hour == 8);
    CHECK(start.minute == 30);
    CHECK(icaltime_as_timet(icalcomponent_get_dtend(ev)) == f.booking.slot / 1000 + f.service->slot_minutes * 60);
    CHECK(std::string(icalcomponent_get_uid(ev)) == "K7P4QXM@" + app::office_calendar_id(f.config));
    const std::string summary = icalcomponent_get_summary(ev);
    const Sector* sector = f.config.find_sector(f.booking.sector);
    REQUIRE(sector != nullptr);
    const Service* svc = sector->find_service(f.service->service);
    CHECK(summary.find(svc ? svc->name.get("en") : sector->name.get("en")) != std::string::npos);
    CHECK(summary.find(f.config.office_name) != std::string::npos);
    CHECK(std::string(icalcomponent_get_location(ev)).find(f.config.office_name) != std::string::npos);
    CHECK(std::string(icalcomponent_get_description(ev)).find("K7P-4QX-M") != std::string::npos);
    CHECK(icalcomponent_get_status(ev) == ICAL_STATUS_CONFIRMED);

    icalcomponent* alarm = icalcomponent_get_first_component(ev, ICAL_VALARM_COMPONENT);
    REQUIRE(alarm != nullptr);
    icalproperty* trig = icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY);
    REQUIRE(trig != nullptr);
    CHECK(icaldurationtype_as_int(icalproperty_get_trigger(trig).duration) == -86400);
}

TEST_CASE("no citizen's name or contact in a calendar file unless with_names is asked for") {
    Fixture f;
    const std::string plain = app::bookings_calendar(f.config, f.tr, {f.booking}, {});
    CHECK(plain.find("Maria") == std::string::npos);
    CHECK(plain.find("Rossi") == std::string::npos);
    CHECK(plain.find("1234567") == std::string::npos);
    const std::string event = app::booking_event(f.config, f.tr, f.booking, {});
    CHECK(event.find("Rossi") == std::string::npos);
    const std::string staff = app::bookings_calendar(f.config, f.tr, {f.booking}, {.with_names = true});
    Parsed cal(staff);
    REQUIRE(cal.c != nullptr);
    icalcomponent* ev = icalcomponent_get_first_component(cal.c, ICAL_VEVENT_COMPONENT);
    REQUIRE(ev != nullptr);
    const std::string about = icalcomponent_get_description(ev);
    CHECK(about.find("Maria Rossi") != std::string::npos);
    CHECK(about.find("+39 333 1234567") != std::string::npos);
}

TEST_CASE("the QR's VEVENT is bare, unfolded, short, and parses with the same start") {
    Fixture f;
    f.booking.lang = "it";  // the Italian names have accents: UTF-8 through libical unchanged
    const std::string ev = app::booking_event(f.config, f.tr, f.booking, {.alarm = false, .documents = false});
    CHECK(ev.rfind("BEGIN:VEVENT\r\n", 0) == 0);
    CHECK(ev.size() >= 12);
    CHECK(ev.find("END:VEVENT") != std::string::npos);
    CHECK(ev.find("\r\n ") == std::string::npos);
    CHECK(ev.find("VALARM") == std::string::npos);
    CHECK(ev.size() < 400);  // a QR of version ≤ 15 at level M: 3-dot modules fit 80 mm paper easily
    Parsed parsed(ev);
    REQUIRE(parsed.c != nullptr);
    CHECK(icalcomponent_isa(parsed.c) == ICAL_VEVENT_COMPONENT);
    CHECK(icaltime_as_timet(icalcomponent_get_dtstart(parsed.c)) == f.booking.slot / 1000);

    const printer::Receipt receipt = app::make_booking_receipt(f.config, f.tr, f.booking, "it");
    std::vector<std::string> qrs;
    for (const auto& e : receipt.elements())
        if (const auto* q = std::get_if<printer::QrElement>(&e)) qrs.push_back(q->data);
    REQUIRE(qrs.size() == 2);
    CHECK(qrs[0] == "K7P4QXM");  // the check-in's QR stays the bare code
    CHECK(qrs[1] == ev);
}

TEST_CASE("cancelled bookings are withdrawn events, moved ones bump SEQUENCE; the office id is stable ASCII") {
    Fixture f;
    Booking moved = f.booking;
    moved.history.push_back({moved.slot - 86'400'000LL, "moved", "Anna"});
    Booking gone = f.booking;
    gone.code = "M2N3P4Q";
    gone.status = BookingStatus::CancelledByOffice;
    Parsed cal(app::bookings_calendar(f.config, f.tr, {moved, gone}, {}));
    REQUIRE(cal.c != nullptr);
    CHECK(icalcomponent_count_components(cal.c, ICAL_VEVENT_COMPONENT) == 2);
    icalcomponent* first = icalcomponent_get_first_component(cal.c, ICAL_VEVENT_COMPONENT);
    icalcomponent* second = icalcomponent_get_next_component(cal.c, ICAL_VEVENT_COMPONENT);
    CHECK(icalcomponent_get_sequence(first) == 1);
    CHECK(icaltime_as_timet(icalcomponent_get_dtstamp(first)) == (moved.slot - 86'400'000LL) / 1000);
    CHECK(icalcomponent_get_status(second) == ICAL_STATUS_CANCELLED);
    CHECK(icalcomponent_get_first_component(second, ICAL_VALARM_COMPONENT) == nullptr);

    CHECK(app::office_calendar_id(f.config) == "comune-di-esempio.centro-servizi-al-cittadino");
    SiteConfig other;
    other.town = "Forlì";
    other.office_name = "CSC — Sportello Unico";
    CHECK(app::office_calendar_id(other) == "forli.csc-sportello-unico");
}
