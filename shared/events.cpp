#include "shared/events.hpp"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "shared/booking/agenda.hpp"
#include "shared/person/identity_document.hpp"
#include "shared/text_check.hpp"

namespace csc {

using nlohmann::json;

std::string make_event_id(std::string_view device, std::int64_t seq) {
    return std::string(device) + ":" + std::to_string(seq);
}

bool is_ticket_token(std::string_view token) {
    return token.size() == kTicketTokenLength && std::all_of(token.begin(), token.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
           });
}

Result<std::string> new_ticket_token() {
    std::array<unsigned char, 16> bytes{};
    std::size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t n = getrandom(bytes.data() + got, bytes.size() - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(std::string("no random source for the ticket's phone token: getrandom: ") + std::strerror(errno));
        got += static_cast<std::size_t>(n);
    }
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(acc >> bits) & 63];
        }
    }
    if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
    return out;  // 128 bits → 22 characters
}

bool valid_device_name(std::string_view name) {
    if (name.empty() || name.size() > 40) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
    return true;
}

bool known_maintenance_action(std::string_view action) {
    return std::find(kMaintenanceActions.begin(), kMaintenanceActions.end(), action) != kMaintenanceActions.end();
}

bool known_staff_role(std::string_view role) {
    return role == "counter" || role == "infopoint" || role == "maintenance";
}

bool known_crs_pin_relation(std::string_view relation) {
    return relation == "holder" || relation == "guardian" || relation == "delegate";
}

bool valid_print_target(std::string_view at) { return at == "entrance" || valid_device_name(at); }

bool known_feedback_rating(std::string_view rating) { return rating == "good" || rating == "so-so" || rating == "bad"; }
bool known_feedback_reason(std::string_view reason) {
    return reason == "waiting" || reason == "staff" || reason == "came-back" || reason == "outcome";
}
bool known_feedback_channel(std::string_view channel) { return channel == "web" || channel == "screen" || channel == "cli"; }

std::string_view event_type(const EventBody& body) {
    return std::visit([](const auto& b) { return std::decay_t<decltype(b)>::kType; }, body);
}

namespace {

// Field readers that turn a wrong shape into an Error message (thrown locally, caught below).
struct Bad {
    std::string message;
};

const json& field(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) throw Bad{std::string("missing field \"") + key + "\""};
    return *it;
}
std::string str(const json& j, const char* key, std::size_t max_len = 200) {
    const json& v = field(j, key);
    if (!v.is_string()) throw Bad{std::string("field \"") + key + "\" must be a string"};
    auto s = v.get<std::string>();
    if (auto problem = text_problem(s, max_len); !problem.empty()) throw Bad{std::string("field \"") + key + "\" " + problem};
    return s;
}
std::string opt_str(const json& j, const char* key, std::size_t max_len = 200) {
    return j.contains(key) ? str(j, key, max_len) : std::string();
}
std::int64_t integer(const json& j, const char* key) {
    const json& v = field(j, key);
    if (!v.is_number_integer()) throw Bad{std::string("field \"") + key + "\" must be an integer"};
    return v.get<std::int64_t>();
}
// A time (ms since 1970): from 1970 to year 3000, so arithmetic on it never overflows.
Millis time_field(const json& j, const char* key) {
    const auto t = integer(j, key);
    if (t < 0 || t > kMaxEventTime) throw Bad{std::string("field \"") + key + "\" is not a plausible time"};
    return t;
}

// ---- per-kind codecs -----------------------------------------------------------------------
json write(const TicketIssued& b) {
    json j{{"sector", b.sector}, {"service", b.service}, {"priority", b.priority}, {"lang", b.lang},
           {"channel", b.channel}};
    if (b.offline_number) j["offline_number"] = *b.offline_number;
    if (b.appointment_at) j["appointment_at"] = *b.appointment_at;
    if (!b.booking.empty()) j["booking"] = b.booking;
    if (b.walk_in) j["walk_in"] = true;
    if (!b.token.empty()) j["token"] = b.token;
    if (b.promised_low_min && b.promised_high_min)
        j["promised"] = json::array({*b.promised_low_min, *b.promised_high_min});
    return j;
}
void read(const json& j, TicketIssued& b) {
    b.sector = str(j, "sector", 40);
    b.service = opt_str(j, "service", 40);
    b.priority = opt_str(j, "priority", 40);
    b.lang = str(j, "lang", 8);
    b.channel = str(j, "channel", 16);
    if (j.contains("offline_number")) {
        const auto n = integer(j, "offline_number");
        if (n < 1 || n > 9999) throw Bad{"offline_number out of range"};
        b.offline_number = static_cast<int>(n);
    }
    if (j.contains("appointment_at")) b.appointment_at = time_field(j, "appointment_at");
    b.booking = opt_str(j, "booking", 16);
    if (j.contains("walk_in")) {
        if (!j["walk_in"].is_boolean()) throw Bad{"field \"walk_in\" is not a boolean"};
        b.walk_in = j["walk_in"].get<bool>();
        if (b.walk_in && b.booking.empty()) throw Bad{"a walk-in of a booking names its booking"};
    }
    b.token = opt_str(j, "token", kTicketTokenLength);
    if (!b.token.empty() && !is_ticket_token(b.token))
        throw Bad{"field \"token\" is not " + std::to_string(kTicketTokenLength) + " base64url characters"};
    // The printed promise (statistics: forecast accuracy): [low, high] whole minutes, a day at most.
    if (j.contains("promised")) {
        const json& p = j["promised"];
        if (!p.is_array() || p.size() != 2 || !p[0].is_number_integer() || !p[1].is_number_integer())
            throw Bad{"field \"promised\" must be [low, high] in whole minutes"};
        const auto low = p[0].get<std::int64_t>(), high = p[1].get<std::int64_t>();
        if (low < 0 || high < low || high > 24 * 60) throw Bad{"field \"promised\" out of range (0 <= low <= high <= 1440)"};
        b.promised_low_min = static_cast<int>(low);
        b.promised_high_min = static_cast<int>(high);
    }
}

int counter_number(const json& j) {
    const auto n = integer(j, "counter");
    if (n < 1 || n > 999) throw Bad{"field \"counter\" out of range"};
    return static_cast<int>(n);
}
json write(const CounterOpened& b) { return {{"counter", b.counter}}; }
void read(const json& j, CounterOpened& b) { b.counter = counter_number(j); }
json write(const TicketCalled& b) { return {{"counter", b.counter}, {"ticket", b.ticket}}; }
void read(const json& j, TicketCalled& b) {
    b.counter = counter_number(j);
    b.ticket = str(j, "ticket", 64);
}
json write(const TicketRecalled& b) { return {{"counter", b.counter}}; }
void read(const json& j, TicketRecalled& b) { b.counter = counter_number(j); }
json write(const ServiceStarted& b) { return {{"counter", b.counter}}; }
void read(const json& j, ServiceStarted& b) { b.counter = counter_number(j); }
json write(const ServiceFinished& b) { return {{"counter", b.counter}, {"service", b.service}}; }
void read(const json& j, ServiceFinished& b) {
    b.counter = counter_number(j);
    b.service = str(j, "service", 40);
}
json write(const TicketNoShow& b) { return {{"counter", b.counter}}; }
void read(const json& j, TicketNoShow& b) { b.counter = counter_number(j); }
json write(const TicketTransferred& b) {
    json j{{"counter", b.counter}, {"to_sector", b.to_sector}};
    if (b.to_counter) j["to_counter"] = *b.to_counter;
    return j;
}
void read(const json& j, TicketTransferred& b) {
    b.counter = counter_number(j);
    b.to_sector = str(j, "to_sector", 40);
    if (j.contains("to_counter")) {
        const auto n = integer(j, "to_counter");
        if (n < 1 || n > 999) throw Bad{"field \"to_counter\" out of range"};
        b.to_counter = static_cast<int>(n);
    }
}
json write(const CounterPaused& b) { return {{"counter", b.counter}, {"reason", b.reason}}; }
void read(const json& j, CounterPaused& b) {
    b.counter = counter_number(j);
    b.reason = str(j, "reason", 120);
}
json write(const CounterResumed& b) { return {{"counter", b.counter}}; }
void read(const json& j, CounterResumed& b) { b.counter = counter_number(j); }
json write(const CounterClosed& b) { return {{"counter", b.counter}}; }
void read(const json& j, CounterClosed& b) { b.counter = counter_number(j); }
json write(const TicketCancelled& b) {
    json j{{"ticket", b.ticket}};
    if (!b.reason.empty()) j["reason"] = b.reason;  // absent in older events: they still decode
    return j;
}
void read(const json& j, TicketCancelled& b) {
    b.ticket = str(j, "ticket", 64);
    b.reason = opt_str(j, "reason", 80);
}
json write(const DayClosed&) { return json::object(); }
void read(const json&, DayClosed&) {}
json write(const DeviceHello& b) { return {{"device_index", b.device_index}}; }
void read(const json& j, DeviceHello& b) {
    const auto n = integer(j, "device_index");
    if (n < 1 || n > 9) throw Bad{"field \"device_index\" out of range"};
    b.device_index = static_cast<int>(n);
}

std::string staff_name(const json& j) {
    auto name = str(j, "name", kMaxStaffNameBytes);
    if (name.empty()) throw Bad{"field \"name\" is empty"};
    return name;
}
json write(const StaffSaved& b) { return {{"name", b.name}, {"roles", b.roles}, {"pin_hash", b.pin_hash}}; }
void read(const json& j, StaffSaved& b) {
    b.name = staff_name(j);
    const json& roles = field(j, "roles");
    if (!roles.is_array() || roles.size() > 8) throw Bad{"field \"roles\" must be a list of at most 8 roles"};
    for (const auto& r : roles) {
        if (!r.is_string() || !known_staff_role(r.get<std::string>())) throw Bad{"field \"roles\" holds an unknown role"};
        b.roles.push_back(r.get<std::string>());
    }
    b.pin_hash = str(j, "pin_hash", 200);
    if (!b.pin_hash.empty() && b.pin_hash.rfind("$argon2id$", 0) != 0) throw Bad{"field \"pin_hash\" is not an argon2id hash"};
}
json write(const StaffRemoved& b) { return {{"name", b.name}}; }
void read(const json& j, StaffRemoved& b) { b.name = staff_name(j); }
json write(const StaffSignIn& b) { return {{"name", b.name}, {"ok", b.ok}, {"where", b.where}}; }
void read(const json& j, StaffSignIn& b) {
    b.name = staff_name(j);
    const json& ok = field(j, "ok");
    if (!ok.is_boolean()) throw Bad{"field \"ok\" must be true or false"};
    b.ok = ok.get<bool>();
    b.where = str(j, "where", 40);
}

json write(const StaffSignedOut& b) { return {{"name", b.name}, {"where", b.where}}; }
void read(const json& j, StaffSignedOut& b) {
    b.name = staff_name(j);
    b.where = str(j, "where", 40);
}

std::string nonempty(const json& j, const char* key, std::size_t max_len) {
    auto v = str(j, key, max_len);
    if (v.empty()) throw Bad{std::string("field \"") + key + "\" is empty"};
    return v;
}
json write(const BookingHeld& b) { return {{"service", b.service}, {"slot", b.slot}}; }
void read(const json& j, BookingHeld& b) {
    b.service = nonempty(j, "service", 40);
    b.slot = time_field(j, "slot");
}
json write(const BookingReleased& b) { return {{"hold", b.hold}}; }
void read(const json& j, BookingReleased& b) { b.hold = nonempty(j, "hold", 64); }
json write(const BookingMade& b) {
    return {{"code", b.code},       {"service", b.service}, {"slot", b.slot},     {"hold", b.hold}, {"name", b.name},
            {"contact", b.contact}, {"person", b.person},   {"lang", b.lang}, {"channel", b.channel}};
}
void read(const json& j, BookingMade& b) {
    b.code = nonempty(j, "code", 16);
    b.service = nonempty(j, "service", 40);
    b.slot = time_field(j, "slot");
    b.hold = str(j, "hold", 64);
    b.name = nonempty(j, "name", kMaxBookingNameBytes);
    b.contact = str(j, "contact", kMaxBookingContactBytes);
    b.person = str(j, "person", 128);
    b.lang = str(j, "lang", 8);
    b.channel = str(j, "channel", 16);
}
json write(const BookingMoved& b) { return {{"code", b.code}, {"slot", b.slot}, {"hold", b.hold}}; }
void read(const json& j, BookingMoved& b) {
    b.code = nonempty(j, "code", 16);
    b.slot = time_field(j, "slot");
    b.hold = str(j, "hold", 64);
}
json write(const BookingCancelled& b) { return {{"code", b.code}, {"by_office", b.by_office}, {"reason", b.reason}}; }
void read(const json& j, BookingCancelled& b) {
    b.code = nonempty(j, "code", 16);
    const json& v = field(j, "by_office");
    if (!v.is_boolean()) throw Bad{"field \"by_office\" must be true or false"};
    b.by_office = v.get<bool>();
    b.reason = str(j, "reason", 200);
}
json write(const BookingNoShow& b) { return {{"code", b.code}}; }
void read(const json& j, BookingNoShow& b) { b.code = nonempty(j, "code", 16); }
json write(const ClosureDeclared& b) {
    return {{"date", b.date}, {"from_minute", b.from_minute}, {"to_minute", b.to_minute}, {"reason", b.reason}};
}
void read(const json& j, ClosureDeclared& b) {
    const auto d = integer(j, "date");
    if (d < 19700101 || d > 29991231) throw Bad{"field \"date\" is not a YYYYMMDD date"};
    b.date = static_cast<int>(d);
    const auto from = integer(j, "from_minute"), to = integer(j, "to_minute");
    if (from < 0 || to > 24 * 60 || from >= to) throw Bad{"fields \"from_minute\"/\"to_minute\" are not a time range of one day"};
    b.from_minute = static_cast<int>(from);
    b.to_minute = static_cast<int>(to);
    b.reason = str(j, "reason", 200);
}

json write(const CrsPinReleased& b) {
    return {{"document", b.document}, {"document_tail", b.document_tail}, {"relation", b.relation},
            {"form", b.form},         {"digits_printed", b.digits_printed}, {"office_copy", b.office_copy}};
}
bool flag(const json& j, const char* key) {
    const json& v = field(j, key);
    if (!v.is_boolean()) throw Bad{std::string("field \"") + key + "\" must be true or false"};
    return v.get<bool>();
}
void read(const json& j, CrsPinReleased& b) {
    b.document = nonempty(j, "document", 40);
    if (!find_document_kind(b.document)) throw Bad{"field \"document\" is not a known document type"};
    b.document_tail = nonempty(j, "document_tail", 3);
    for (char c : b.document_tail)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) throw Bad{"field \"document_tail\" holds other than A-Z, 0-9"};
    b.relation = str(j, "relation", 16);
    if (!known_crs_pin_relation(b.relation)) throw Bad{"field \"relation\" must be holder, guardian or delegate"};
    b.form = str(j, "form", 60);
    b.digits_printed = flag(j, "digits_printed");
    b.office_copy = flag(j, "office_copy");
}
json write(const FormHandedOut& b) { return {{"form", b.form}, {"copies", b.copies}}; }
void read(const json& j, FormHandedOut& b) {
    b.form = nonempty(j, "form", 40);
    const auto n = integer(j, "copies");
    if (n < 1 || n > 50) throw Bad{"field \"copies\" out of range"};
    b.copies = static_cast<int>(n);
}

// An agenda snapshot: a booking's history is a list of [time, what, by] (compact: ~70
// bookings fit a 16 KiB message); names and contacts are not fields at all.
bool known_booking_status(std::string_view s) { return booking_status_named(s).has_value(); }
const json& list(const json& j, const char* key, std::size_t max) {
    const json& v = field(j, key);
    if (!v.is_array() || v.size() > max)
        throw Bad{std::string("field \"") + key + "\" must be a list of at most " + std::to_string(max) + " entries"};
    return v;
}
json write(const AgendaSnapshot& b) {
    json bookings = json::array(), holds = json::array(), closures = json::array();
    for (const auto& k : b.bookings) {
        json history = json::array();
        for (const auto& h : k.history) history.push_back(json::array({h.time, h.what, h.by}));
        bookings.push_back({{"code", k.code},       {"service", k.service}, {"sector", k.sector}, {"slot", k.slot},
                            {"person", k.person},   {"lang", k.lang},       {"channel", k.channel}, {"status", k.status},
                            {"ticket", k.ticket},   {"reason", k.reason},   {"history", std::move(history)}});
    }
    for (const auto& h : b.holds) holds.push_back({{"id", h.id}, {"service", h.service}, {"slot", h.slot}, {"until", h.until}});
    for (const auto& c : b.closures)
        closures.push_back({{"date", c.date}, {"from_minute", c.from_minute}, {"to_minute", c.to_minute}, {"reason", c.reason}, {"by", c.by}});
    return {{"based_on", b.based_on}, {"part", b.part},   {"parts", b.parts},          {"day", b.day},
            {"bookings", bookings},   {"holds", holds},   {"closures", closures}};
}
void read(const json& j, AgendaSnapshot& b) {
    const auto based_on = integer(j, "based_on");
    if (based_on < 1) throw Bad{"field \"based_on\" must be a stream sequence (>= 1)"};
    b.based_on = static_cast<std::uint64_t>(based_on);
    const auto parts = integer(j, "parts"), part = integer(j, "part");
    if (parts < 1 || parts > 100'000) throw Bad{"field \"parts\" out of range"};
    if (part < 0 || part >= parts) throw Bad{"field \"part\" must be 0 … parts-1"};
    b.parts = static_cast<int>(parts);
    b.part = static_cast<int>(part);
    const auto day = integer(j, "day");
    if (day != 0 && (day < 19700101 || day > 29991231)) throw Bad{"field \"day\" is not a YYYYMMDD date"};
    b.day = static_cast<int>(day);
    for (const auto& k : list(j, "bookings", 1000)) {
        if (!k.is_object()) throw Bad{"a snapshot booking must be an object"};
        SnapshotBooking bk;
        bk.code = nonempty(k, "code", 16);
        bk.service = nonempty(k, "service", 40);
        bk.sector = str(k, "sector", 40);
        bk.slot = time_field(k, "slot");
        bk.person = str(k, "person", 128);
        bk.lang = str(k, "lang", 8);
        bk.channel = str(k, "channel", 16);
        bk.status = str(k, "status", 24);
        if (!known_booking_status(bk.status)) throw Bad{"snapshot booking " + bk.code + ": unknown status \"" + bk.status + "\""};
        bk.ticket = str(k, "ticket", 64);
        bk.reason = str(k, "reason", 200);
        for (const auto& h : list(k, "history", 200)) {
            if (!h.is_array() || h.size() != 3 || !h[0].is_number_integer() || !h[1].is_string() || !h[2].is_string())
                throw Bad{"snapshot booking " + bk.code + ": a history step must be [time, what, by]"};
            const json step{{"time", h[0]}, {"what", h[1]}, {"by", h[2]}};
            bk.history.push_back({time_field(step, "time"), str(step, "what", 24), str(step, "by", kMaxStaffNameBytes)});
        }
        b.bookings.push_back(std::move(bk));
    }
    for (const auto& h : list(j, "holds", 1000)) {
        if (!h.is_object()) throw Bad{"a snapshot hold must be an object"};
        b.holds.push_back({nonempty(h, "id", 64), nonempty(h, "service", 40), time_field(h, "slot"), time_field(h, "until")});
    }
    for (const auto& c : list(j, "closures", 1000)) {
        if (!c.is_object()) throw Bad{"a snapshot closure must be an object"};
        SnapshotClosure cl;
        ClosureDeclared as_declared;
        read(c, as_declared);  // the same date and range rules as a declared closure
        cl.date = as_declared.date;
        cl.from_minute = as_declared.from_minute;
        cl.to_minute = as_declared.to_minute;
        cl.reason = as_declared.reason;
        cl.by = str(c, "by", kMaxStaffNameBytes);
        b.closures.push_back(std::move(cl));
    }
}
json write(const PrintRequested& b) { return {{"ticket", b.ticket}, {"at", b.at}, {"reprint", b.reprint}}; }
void read(const json& j, PrintRequested& b) {
    b.ticket = nonempty(j, "ticket", 64);
    b.at = str(j, "at", 40);
    if (!valid_print_target(b.at)) throw Bad{"field \"at\" must be \"entrance\" or a device name"};
    b.reprint = flag(j, "reprint");
}
json write(const PrintClaimed& b) { return {{"request", b.request}}; }
void read(const json& j, PrintClaimed& b) { b.request = nonempty(j, "request", 64); }
json write(const PrintFinished& b) {
    json j{{"request", b.request}, {"ok", b.ok}};
    if (!b.error.empty()) j["error"] = b.error;
    if (b.retrying) j["retrying"] = true;
    return j;
}
void read(const json& j, PrintFinished& b) {
    b.request = nonempty(j, "request", 64);
    b.ok = flag(j, "ok");
    b.error = opt_str(j, "error", 200);
    b.retrying = j.contains("retrying") && flag(j, "retrying");
    if (b.retrying && b.ok) throw Bad{"a print that went well is not retrying"};
}
json write(const TicketReprinted& b) { return {{"ticket", b.ticket}}; }
void read(const json& j, TicketReprinted& b) { b.ticket = nonempty(j, "ticket", 64); }
json write(const FeedbackGiven& b) {
    json j{{"ticket", b.ticket}, {"rating", b.rating}, {"channel", b.channel}};
    if (!b.reason.empty()) j["reason"] = b.reason;
    return j;
}
void read(const json& j, FeedbackGiven& b) {
    b.ticket = nonempty(j, "ticket", 64);
    b.rating = str(j, "rating", 16);
    if (!known_feedback_rating(b.rating)) throw Bad{"field \"rating\" must be good, so-so or bad"};
    b.reason = opt_str(j, "reason", 16);
    if (!b.reason.empty() && !known_feedback_reason(b.reason))
        throw Bad{"field \"reason\" must be waiting, staff, came-back or outcome"};
    if (!b.reason.empty() && b.rating != "bad") throw Bad{"field \"reason\" is given only with a \"bad\" rating"};
    b.channel = str(j, "channel", 16);
    if (!known_feedback_channel(b.channel)) throw Bad{"field \"channel\" must be web, screen or cli"};
}
json write(const MaintenanceDone& b) {
    json j{{"action", b.action}};
    if (!b.detail.empty()) j["detail"] = b.detail;
    return j;
}
void read(const json& j, MaintenanceDone& b) {
    b.action = str(j, "action", 24);
    if (!known_maintenance_action(b.action)) throw Bad{"unknown maintenance action \"" + b.action + "\""};
    b.detail = opt_str(j, "detail", 200);
}

template <std::size_t I = 0>
bool read_body(std::string_view type, const json& j, EventBody& out) {
    if constexpr (I < std::variant_size_v<EventBody>) {
        using T = std::variant_alternative_t<I, EventBody>;
        if (type == T::kType) {
            T b;
            read(j, b);
            out = std::move(b);
            return true;
        }
        return read_body<I + 1>(type, j, out);
    } else {
        return false;
    }
}

}  // namespace

std::string encode_event(const Event& e) {
    json j{{"v", kEventFormatVersion}, {"id", e.id},     {"device", e.device}, {"seq", e.seq},
           {"time", e.time},           {"type", event_type(e.body)}};
    if (!e.by.empty()) j["by"] = e.by;
    j["body"] = std::visit([](const auto& b) { return write(b); }, e.body);
    // Never throws: text that is not UTF-8 is replaced (U+FFFD) here, and validate_event()
    // refuses such an event before it is stored or published.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<void> validate_event(const Event& e) {
    const std::string where = "invalid " + std::string(event_type(e.body)) + " event";
    if (!valid_device_name(e.device)) return fail(where + ": device name \"" + e.device + "\" is not valid");
    if (const auto* t = std::get_if<TicketIssued>(&e.body); t && t->promised_low_min.has_value() != t->promised_high_min.has_value())
        return fail(where + ": a promised wait needs both its low and its high end");
    const std::string encoded = encode_event(e);
    auto back = decode_event(encoded);
    if (!back) {
        std::string why = back.error().message;
        if (why.rfind("event rejected: ", 0) == 0) why = why.substr(16);
        return fail(where + ": " + why);
    }
    // The only difference a round trip can make is text that was not UTF-8 (replaced).
    if (!(*back == e)) return fail(where + ": a text is not valid UTF-8");
    return {};
}

Result<Event> decode_event(std::string_view text) {
    if (text.size() > kMaxEncodedEventSize)
        return fail("event rejected: " + std::to_string(text.size()) + " bytes is over the limit");
    json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return fail("event rejected: not a JSON object");
    try {
        const auto v = integer(j, "v");
        if (v != kEventFormatVersion) return fail("event rejected: unknown format version " + std::to_string(v));
        Event e;
        e.device = str(j, "device", 40);
        if (!valid_device_name(e.device)) return fail("event rejected: invalid device name");
        e.seq = integer(j, "seq");
        if (e.seq < 1) return fail("event rejected: seq must be positive");
        e.id = str(j, "id", 64);
        if (e.id != make_event_id(e.device, e.seq)) return fail("event rejected: id does not match device:seq");
        e.time = time_field(j, "time");
        e.by = opt_str(j, "by", kMaxStaffNameBytes);
        const auto type = str(j, "type", 40);
        const json& body = field(j, "body");
        if (!body.is_object()) return fail("event rejected: body must be an object");
        if (!read_body(type, body, e.body)) return fail("event rejected: unknown type \"" + type + "\"");
        return e;
    } catch (const Bad& bad) {
        return fail("event rejected: " + bad.message);
    } catch (const json::exception& ex) {
        return fail(std::string("event rejected: ") + ex.what());
    }
}

}  // namespace csc
