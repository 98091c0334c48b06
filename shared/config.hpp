// config.hpp — the site configuration: one human-editable TOML file describing the office.
//
// Contents: LocalizedText, Rgb, Service, Sector, CounterConfig, TimeRange, OpeningHours,
// PriorityClass, QueuePolicy, BookableService, BookingConfig, PrinterConfig, KioskConfig, InfopointConfig, StatisticsConfig, DisplayConfig, TotemConfig,
// kCrsPinService, CrsPinConfig, FormConfig, BringList, SiteConfig, load_site_config(), check_form_files(),
// parse_site_config().
// Contract: a file that loads is complete and consistent (every counter's sector exists,
// letters are unique, ...). A bad file yields an Error "FILE:LINE:COL: problem" and nothing
// half-configured is returned. Unknown keys are errors (a typo never silently does nothing).
#pragma once

#include <algorithm>

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "shared/office_time.hpp"
#include "shared/result.hpp"
#include "shared/sync/sync_config.hpp"

namespace csc {

/// Length limits of the texts citizens see (characters), checked when the file is loaded.
inline constexpr std::size_t kMaxNameChars = 60;        ///< sector, service, counter, priority names
inline constexpr std::size_t kMaxOfficeNameChars = 80;  ///< office.name, office.town
inline constexpr std::size_t kMaxTickerChars = 400;     ///< display.ticker

/// A text in several languages; get() falls back to Italian, then to any language.
struct LocalizedText {
    std::map<std::string, std::string> by_lang;
    std::string first_lang;  ///< the office's first language (configuration), the fallback
    /// Text in `lang`, else in the office's first language, else the first one present, else "".
    [[nodiscard]] const std::string& get(const std::string& lang) const;
};

/// An sRGB colour.
struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    /// "#RRGGBB".
    [[nodiscard]] std::string hex() const;
    /// Parses "#RRGGBB".
    static Result<Rgb> parse(std::string_view text);
    bool operator==(const Rgb&) const = default;
};

/// WCAG 2 relative luminance and contrast ratio (1..21).
[[nodiscard]] double relative_luminance(Rgb c);
[[nodiscard]] double contrast_ratio(Rgb a, Rgb b);

/// One service of a sector (e.g. "Carta d'identità" in "Anagrafe").
struct Service {
    std::string id;
    LocalizedText name;
};

/// A sector of the office: its own queue, letter and colour.
struct Sector {
    std::string id;
    LocalizedText name;
    Rgb colour;
    /// Text colour on the sector colour: white or near-black, whichever contrasts more.
    Rgb text_colour;
    std::string icon;    ///< icon name (see assets/icons/icons.toml)
    std::string letter;  ///< ticket prefix, 1–2 capital letters, unique in the office
    std::vector<Service> services;
    /// Statistics: the wait this sector aims to call within (minutes); unset = [statistics]'s.
    std::optional<int> target_wait_min;
    /// The forecast's priors for a new office, until its own history outweighs them: the
    /// expected length of one service, minutes, and of walk-in tickets on an open day; unset =
    /// the forecast's generic priors (8 minutes; 6 an hour).
    std::optional<double> expected_service_minutes;
    std::optional<double> expected_walk_ins_per_day;
    /// Their accepted ranges (the site configuration's and the simulator's scenarios' alike).
    static constexpr double kExpectedServiceMin = 0.5, kExpectedServiceMax = 240;
    static constexpr double kExpectedWalkInsMax = 5000;
    /// The service with this id, or nullptr.
    [[nodiscard]] const Service* find_service(std::string_view id) const;
};

/// A half-open interval of local minutes since midnight, [begin, end).
struct TimeRange {
    int begin = 0, end = 0;
};

/// A counter (sportello) and the sectors it serves, in order of preference.
struct CounterConfig {
    int number = 0;
    LocalizedText name;  ///< optional display name; empty = "Sportello N"
    std::vector<std::string> sectors;
    /// Planned staffing, local minutes, every open day (empty = whenever the office is open).
    /// The forecast assumes an open counter stays open until its range ends and a closed one
    /// opens at the start of its next range.
    std::vector<TimeRange> staffed;
};

/// A class of citizens served before walk-ins (disabili, donne in gravidanza, anziani, …).
struct PriorityClass {
    std::string id;
    LocalizedText name;
};

/// How each sector's queue is ordered.
struct QueuePolicy {
    enum class Mode { Strict, Alternate };
    /// Strict: priority citizens and due appointments always go first. Alternate: one of them,
    /// then up to `walk_ins_per_priority` walk-ins, then one of them again, …
    Mode mode = Mode::Strict;
    int walk_ins_per_priority = 2;
    /// An appointment is "due" from slot − early to slot + late; only then does it go first.
    int appointment_early_min = 10;
    int appointment_late_min = 15;
};

/// Weekly opening hours and closed days.
struct OpeningHours {
    std::array<std::vector<TimeRange>, 7> weekly;  ///< 0 = Monday
    std::vector<Date> closed_days;                 ///< single closures ("2026-12-24")
    std::vector<std::pair<int, int>> closed_every_year;  ///< (month, day): the patron saint, …
    bool national_holidays = true;                 ///< closed on Italy's public holidays (computed)
    /// True when the whole day is closed: a holiday, a yearly or a single closure.
    [[nodiscard]] bool is_closed_day(const Date& d) const;
    /// True when the office is open at this local time.
    [[nodiscard]] bool is_open(const LocalTime& t) const;
    /// The opening hours of that day (weekday 0 = Monday); empty when the whole day is closed.
    [[nodiscard]] std::vector<TimeRange> ranges_on(const Date& d, int weekday) const;
    /// "08:30–12:30, 14:30–17:30" ("" for no ranges): one way to write hours everywhere.
    [[nodiscard]] static std::string text_of(const std::vector<TimeRange>& ranges);
    /// Closing minute of the open interval containing t, if open.
    [[nodiscard]] std::optional<int> closes_at(const LocalTime& t) const;
    /// The next opening (local date + minute) strictly after t, within 366 days.
    [[nodiscard]] std::optional<std::pair<Date, int>> next_opening(const LocalTime& t) const;
};

/// A service citizens can book an appointment for (the Info Point, the kiosk, the CLI).
struct BookableService {
    std::string id;       ///< the service's id, or the sector's when it has no services (unique)
    std::string sector;
    std::string service;  ///< "" = the sector as a whole
    std::array<std::vector<TimeRange>, 7> weekly;  ///< bookable windows per weekday, 0 = Monday
    int slot_minutes = 20;
    int capacity = 1;            ///< citizens per slot (parallel desks)
    int buffer_minutes = 0;      ///< kept free after each slot
    int min_notice_minutes = 60; ///< a slot must start at least this long after the booking
    int days_ahead = 30;         ///< the last bookable day, counted from today
    int per_person_per_day = 1;  ///< bookings of this service per person (fiscal code or phone) per day
    LocalizedText documents;     ///< what to bring, printed on the receipt
    std::vector<int> counters;   ///< counters that serve it ("" = its sector's counters)
    /// Start minutes (local) of the slots on a weekday: each window stepped by slot + buffer,
    /// every slot ending inside its window.
    [[nodiscard]] std::vector<int> slot_starts(int weekday) const;
};

/// Appointments: what can be booked and the rules around a booking.
struct BookingConfig {
    std::vector<BookableService> services;
    int hold_minutes = 5;            ///< a place held while the citizen chooses is freed after this
    int checkin_early_minutes = 30;  ///< check-in opens this long before the slot
    int checkin_late_minutes = 15;   ///< and closes this long after it
    int keep_days = 30;              ///< personal data of a booking is purged this long after its day
    /// The bookable service with this id, or nullptr.
    [[nodiscard]] const BookableService* find(std::string_view id) const;
};

/// Which printer and how to reach it.
struct PrinterConfig {
    std::string transport = "auto";      ///< a kind of kPrinterTransportKinds (shared/printer_transports.hpp)
    std::string profile = "generic-80";
    int profile_line = 0;                ///< where `profile` was set in the file (0 = default), for errors
    std::filesystem::path site_profiles; ///< the site's own printer profiles file (added to the installed ones); empty = none
    int site_profiles_line = 0;          ///< where `profiles` was set, for errors
    std::string usb_id;                  ///< "VID:PID" hex, empty = first printer-class device
    std::string output;                  ///< file transport path / emulated PNG dir ("" = DATA/printer)
};

/// Entrance-kiosk behaviour.
struct KioskConfig {
    int confirm_seconds = 8;        ///< the confirmation screen returns home after this
    int attract_seconds = 120;      ///< untouched this long at home: the communication zone's items play (0 = never)
    std::string orientation = "portrait";  ///< portrait (1080×1920) | landscape (1920×1080)
    bool fullscreen = false;        ///< kiosk mode: fullscreen, cursor hidden
    /// Speech mode (docs/ACCESSIBILITY.md): a keypad key or a 3-second press starts it.
    bool speech = true;
    std::string speech_device = "default";  ///< ALSA PCM it speaks on (the headset's, when the kiosk has one)
    /// ALSA PCM while a headset is plugged into the jack ("" = speech_device: most sound cards
    /// move their output to a plugged headset by themselves); plugging one starts speech mode.
    std::string speech_headset_device;
    int speech_volume = 70;         ///< percent each visit starts with (10..100; the keypad's + and - change it)
    /// How the screen is mounted, for reach (EN 301 549 8.3.3.1; docs/GUI.md "Reach"): its visible
    /// height and the height of its bottom edge above the floor, in mm (0 = not given: every
    /// control may be anywhere). Mounted so high that its upper part is out of reach, the entrance
    /// lays every control out below the reach line ("low" layout).
    int screen_height_mm = 0;
    int screen_bottom_mm = 0;
    /// The highest point a standing or seated citizen reaches forward (mm above the floor).
    static constexpr int kReachHighMm = 1220;
    /// The lowest.
    static constexpr int kReachLowMm = 380;
    /// The most of the screen's height that may be out of reach: the controls need the rest (a
    /// 32" portrait screen from 800 mm has 41% out of reach and still fits them at finger size).
    static constexpr double kMostUnreachable = 0.45;
    /// The share of the screen's height, from its top, above which no control may be (0 = the
    /// whole screen is within reach, or the mounting is not given).
    [[nodiscard]] double unreachable_top() const {
        if (screen_height_mm <= 0 || screen_bottom_mm <= 0) return 0;
        const int over = screen_bottom_mm + screen_height_mm - kReachHighMm;
        return over <= 0 ? 0 : std::min(1.0, double(over) / screen_height_mm);
    }
};

/// The hidden service menu of every screen (docs/OPERATIONS.md, "Service menu").
struct ServiceMenuConfig {
    int idle_seconds = 60;  ///< closed (and signed out) after this long without a touch or key
    /// The Device page's "Reboot" and "Shut down": run by /bin/sh as the program's user, who
    /// needs the right to (root, or a polkit rule for that user; docs/OPERATIONS.md); "" = the
    /// button is not shown.
    std::string reboot_command = "systemctl reboot";
    std::string shutdown_command = "systemctl poweroff";
    /// A disk the Export page offers beside the USB sticks it finds (an SD card slot, a fixed
    /// backup disk): "/dev/…", "" = none.
    std::string export_device;
};

/// The Info Point's staff terminal (`kiosk run --role infopoint`).
struct InfopointConfig {
    int idle_sign_out_s = 180;     ///< signed out after this long without a touch or key
    int countdown_s = 20;          ///< the sign-out countdown shown for the last seconds (< idle_sign_out_s)
    /// Its own printer, in the --printer syntax ("" = the [printer] section); --printer still wins.
    std::string printer;
    int printer_line = 0;          ///< where `printer` was set (0 = default), for errors
    bool fullscreen = false;       ///< fullscreen landscape (else a 1600×900 window)
};

/// The shortest retention of the queue's events before compaction (days).
inline constexpr int kMinCompactAfterDays = 62;

/// [statistics]: the service level the office aims at (docs/STATISTICS.md), e.g. 85% of
/// citizens called within 15 minutes. A sector may set its own wait (target_wait_min).
struct StatisticsConfig {
    int target_wait_min = 15;   ///< minutes from issue to first call
    int target_share = 85;      ///< percent of tickets to call within it (the goal shown beside the figure)
    /// The queue's events of a day are compacted into its statistics records this many days
    /// after it (0 = never; else at least kMinCompactAfterDays). docs/STATISTICS.md, "Compaction".
    int compact_after_days = 400;
    /// The target wait of a sector (its own, else this one's).
    [[nodiscard]] int target_for(const struct Sector* sector) const;
};

/// Queue display (TV) and spoken calls.
struct DisplayConfig {
    LocalizedText ticker;          ///< the news line at the bottom (until the totem's content feeds it)
    bool chime = true;             ///< a chime before each call (independent of the voice)
    bool voice = true;             ///< the spoken call ("Numero A 42, sportello 3")
    int calls_shown = 6;           ///< latest calls listed (the newest included)
    int highlight_seconds = 8;     ///< how long the newest call blinks
    bool fullscreen = true;        ///< TV mode: fullscreen, no cursor (`--windowed` overrides)
    std::string sound_device = "default";  ///< ALSA PCM for the chime and voice
    bool side_panel = false;       ///< the communication zone's pages beside the calls (under the waits)
};

/// [[totem.feed]]: a calendar or news feed of the town, shown beside the content folder's items.
struct TotemFeed {
    std::string name;               ///< id, 1-40 of a-z 0-9 - _ (items are "NAME-…"; the cache file is NAME)
    std::string url;                ///< http:// or https://
    std::string format;             ///< "ical" (events) | "rss" (RSS 2.0 or Atom news)
    int refresh_minutes = 30;       ///< how often it is fetched
    int max_age_hours = 48;         ///< a last good copy older than this is hidden (stale), not shown as current
    int lead_days = 14;             ///< ical: an event shows from this many days before it
    int keep_days = 7;              ///< rss: a news item shows this many days after it was published
    int priority = 4;               ///< of its items in the playlist (0…9)
};

/// [totem]: the information totem's communication zone (docs/CONTENT.md).
struct TotemConfig {
    std::filesystem::path content;  ///< the content folder (one TOML file per item); relative = beside this file
    int page_seconds = 12;          ///< how long each item shows before the next
    int call_seconds = 10;          ///< how long a queue call pre-empts the items
    int refresh_seconds = 60;       ///< how often the content folder is read again
    bool fullscreen = true;         ///< `--windowed` overrides
    std::vector<TotemFeed> feeds;   ///< [[totem.feed]]
};

/// [web]: the office's pages on the LAN (docs/WEB.md).
struct WebConfig {
    std::string listen;       ///< "ADDRESS:PORT" the server binds ("" = no web server unless `kiosk serve --listen`)
    std::string role;         ///< the `kiosk run` role whose program serves too ("" = only `kiosk serve`)
    std::string public_url;   ///< how phones reach it, e.g. "http://192.168.1.20:8080" (the ticket's QR); "" = no QR link
    std::vector<std::string> allow_origins;  ///< the town's site(s) allowed to read /api/waits and frame /widget
    int max_streams = 1000;   ///< live ticket pages open at once (each holds a connection and a thread)
    int requests_per_minute = 120;  ///< per client address; more are answered 429
    std::filesystem::path cert_file, key_file;  ///< HTTPS with the office's certificate (PEM) when both are set
    /// A ticket's phone page, "<public_url>/t/<token>" (the paper's QR), or "" when either is missing.
    [[nodiscard]] std::string ticket_url(const std::string& token) const {
        return public_url.empty() || token.empty() ? std::string() : public_url + "/t/" + token;
    }
};

/// The Info Point's own service (the CRS / TS-CNS PIN release): a service id that forms and
/// "what to bring" lists may name besides the sectors' services.
inline constexpr std::string_view kCrsPinService = "crs-pin";

/// [crs_pin]: the CRS / TS-CNS PIN release at the Info Point (kiosk/app/crs_pin.hpp).
struct CrsPinConfig {
    bool digits = true;     ///< print the first digits of PIN and PUK (false: only the instructions)
    int pin_digits = 2;     ///< how many the regional application shows of the PIN (5 in all)
    int puk_digits = 2;     ///< and of the PUK (8 in all)
    bool office_copy = true;  ///< print the office copy (no digits) for the citizen to sign, unless asked otherwise
    std::vector<std::string> documents{"cie", "carta-identita", "passaporto", "patente"};  ///< accepted document types
    LocalizedText contacts;   ///< the office's phone / e-mail / hours for "if the codes do not arrive"
};

/// One form of the catalogue (modulistica): [[form]] in the site configuration.
struct FormConfig {
    std::string id;
    std::string sector;         ///< the sector it belongs to ("" = the Info Point's own service)
    std::string service;        ///< a service of that sector, or kCrsPinService; "" = the whole sector
    LocalizedText title;        ///< at most 80 characters
    LocalizedText description;  ///< optional, at most 400
    LocalizedText hand_in;      ///< where to hand it in, optional (default: the sector's counters)
    std::filesystem::path file; ///< the PDF found (see check_form_files); empty = none
    std::filesystem::path file_as_written;  ///< `file` as in the configuration (relative: to its folder, else to the assets)
    std::string url;            ///< the town website's page or file (https://…); empty = none
    Date version;               ///< the form's version date
    int line = 0;               ///< where its [[form]] starts in the file
    bool available = true;      ///< false when `file` is missing (a warning names it): hidden
};

/// [[bring]]: what a citizen must bring for a service, printed on the "what to bring" slip.
struct BringList {
    std::string service;              ///< a service id, a sector id or kCrsPinService
    std::vector<LocalizedText> items; ///< one line each (document, card, phone, …), at most 200 characters
    std::vector<std::string> forms;   ///< ids of [[form]]s for minors and delegations
};

/// The whole site configuration.
struct SiteConfig {
    std::filesystem::path source;  ///< file it was loaded from
    std::string office_name;
    std::string town;
    OfficeTimeZone timezone;
    std::vector<std::string> languages{"it", "en"};  ///< first = default
    int languages_line = 0;                          ///< where office.languages is in the file (0 = default)
    std::vector<Sector> sectors;
    std::vector<CounterConfig> counters;
    OpeningHours hours;
    QueuePolicy queue;
    std::vector<PriorityClass> priorities;
    BookingConfig booking;  ///< [booking] and [[booking.service]] (no services = nothing bookable)
    PrinterConfig printer;
    KioskConfig kiosk;
    ServiceMenuConfig service_menu;
    InfopointConfig infopoint;  ///< [infopoint]
    DisplayConfig display;
    TotemConfig totem;  ///< [totem]
    WebConfig web;  ///< [web]
    SyncConfig sync;  ///< [sync]: LAN sync over NATS JetStream (no servers = single machine)
    CrsPinConfig crs_pin;           ///< [crs_pin]
    std::vector<FormConfig> forms;  ///< [[form]], in file order (hidden ones included, available = false)
    std::vector<BringList> bring;   ///< [[bring]]
    StatisticsConfig statistics;    ///< [statistics]
    /// Problems that do not stop the start, "FILE:LINE: …" (a form's missing PDF: the form is hidden).
    std::vector<std::string> warnings;

    /// The sector with this id, or nullptr.
    [[nodiscard]] const Sector* find_sector(std::string_view id) const;
    /// The counter with this number, or nullptr.
    [[nodiscard]] const CounterConfig* find_counter(int number) const;
    /// The priority class with this id, or nullptr.
    [[nodiscard]] const PriorityClass* find_priority(std::string_view id) const;
    /// The form with this id (available or not), or nullptr.
    [[nodiscard]] const FormConfig* find_form(std::string_view id) const;
    /// The sector a service id belongs to (a sector's own id gives that sector), or nullptr
    /// (also for kCrsPinService).
    [[nodiscard]] const Sector* sector_of_service(std::string_view service) const;
};

/// Loads and validates a site configuration file.
/// "ADDRESS:PORT" (IPv4 or a name; "[v6]:PORT") split into address and port 1–65535, or nothing.
[[nodiscard]] std::optional<std::pair<std::string, int>> split_listen_address(std::string_view text);
[[nodiscard]] Result<SiteConfig> load_site_config(const std::filesystem::path& file);
/// Finds each form's PDF — a relative path in the configuration's folder, else in `fallback_dir`
/// (the program passes its assets directory) — and marks a form whose PDF is in neither as not
/// available, with a warning naming it ("FILE:LINE: form \"x\": file … is missing: …").
/// load_site_config runs it without a fallback, load_context again with the assets; parse_site_config
/// does not look at files.
void check_form_files(SiteConfig& config, const std::filesystem::path& fallback_dir = {});
/// Parses configuration text; `name` is used in error messages in place of a file name.
[[nodiscard]] Result<SiteConfig> parse_site_config(std::string_view text, const std::string& name);

}  // namespace csc
