#include "shared/presence/device_status.hpp"

#include <array>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

namespace csc::presence {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<PrinterState, std::string_view>, 7> kPrinterStates{{
    {PrinterState::Ok, "ok"},
    {PrinterState::PaperNearEnd, "paper_near_end"},
    {PrinterState::PaperEnd, "paper_end"},
    {PrinterState::CoverOpen, "cover_open"},
    {PrinterState::Offline, "offline"},
    {PrinterState::Error, "error"},
    {PrinterState::Unknown, "unknown"},
}};

constexpr std::array<std::string_view, 9> kRoles{"entrance", "display", "counter", "infopoint", "totem",
                                                 "clock",    "feedback", "web",     "sync"};
constexpr std::size_t kMaxText = 200;
constexpr std::size_t kMaxJson = 2048;

bool name_ok(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            return false;
    return true;
}

// Cuts at kMaxText bytes without splitting a UTF-8 sequence.
std::string bounded(std::string s) {
    if (s.size() <= kMaxText) return s;
    std::size_t n = kMaxText;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
    return s;
}

// The reader's checks, each failing with what is wrong.
struct Reader {
    std::string problem;

    template <class T>
    bool get(const json& obj, const char* key, T& out, bool required) {
        if (!problem.empty()) return false;
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) problem = std::string("\"") + key + "\" is missing";
            return false;
        }
        if constexpr (std::is_same_v<T, bool>) {
            if (!it->is_boolean()) return fail(key, "true or false");
        } else if constexpr (std::is_same_v<T, std::string>) {
            if (!it->is_string()) return fail(key, "a text");
            if (it->get_ref<const std::string&>().size() > kMaxText) return fail(key, "at most 200 bytes");
        } else if constexpr (std::is_unsigned_v<T>) {
            if (!it->is_number_unsigned()) return fail(key, "a whole number ≥ 0");
        } else {
            if (!it->is_number_integer() || it->get<std::int64_t>() < 0) return fail(key, "a whole number ≥ 0");
        }
        out = it->get<T>();
        return true;
    }
    bool fail(const char* key, const char* what) {
        problem = std::string("\"") + key + "\" must be " + what;
        return false;
    }
};

}  // namespace

std::string_view to_string(PrinterState s) {
    for (const auto& [state, name] : kPrinterStates)
        if (state == s) return name;
    return "unknown";
}

std::string presence_key(const DeviceStatus& s) {
    if (s.role == "counter") return s.device + ".counter" + std::to_string(s.counter);
    return s.device + "." + s.role;
}

std::string write_device_status(const DeviceStatus& s) {
    json j{{"v", 1}, {"device", s.device}, {"role", s.role}, {"sent", s.sent}, {"started", s.started}};
    if (s.counter > 0) j["counter"] = s.counter;
    if (s.stopping) j["stopping"] = true;
    if (s.printer)
        j["printer"] = {{"state", to_string(s.printer->state)},
                        {"detail", bounded(s.printer->detail)},
                        {"checked", s.printer->checked},
                        {"printed", s.printer->printed}};
    if (s.sync)
        j["sync"] = {{"online", s.sync->online},
                     {"applied_seq", s.sync->applied_seq},
                     {"stream_last_seq", s.sync->stream_last_seq},
                     {"unconfirmed", s.sync->unconfirmed},
                     {"last_error", bounded(s.sync->last_error)}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<DeviceStatus> read_device_status(std::string_view text) {
    auto refuse = [](const std::string& why) { return fail_as("input", "device status refused: " + why); };
    if (text.size() > kMaxJson) return refuse("longer than 2048 bytes");
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return refuse("not a JSON object");
    Reader r;
    int version = 0;
    DeviceStatus s;
    r.get(j, "v", version, true);
    if (r.problem.empty() && version != 1) return refuse("version " + std::to_string(version) + " is not known (1 is)");
    r.get(j, "device", s.device, true);
    r.get(j, "role", s.role, true);
    r.get(j, "sent", s.sent, true);
    r.get(j, "started", s.started, true);
    r.get(j, "counter", s.counter, false);
    r.get(j, "stopping", s.stopping, false);
    if (!r.problem.empty()) return refuse(r.problem);
    if (!name_ok(s.device)) return refuse("\"device\" must be 1–64 letters, digits, '-', '_' or '.'");
    bool role_known = false;
    for (std::string_view k : kRoles) role_known = role_known || k == s.role;
    if (!role_known) return refuse("\"role\" \"" + s.role + "\" is not a role");
    if ((s.role == "counter") != (s.counter > 0) || s.counter > 999)
        return refuse("\"counter\" must be 1–999 for a counter and absent otherwise");
    if (auto it = j.find("printer"); it != j.end()) {
        if (!it->is_object()) return refuse("\"printer\" must be an object");
        PrinterPresence p;
        std::string state;
        r.get(*it, "state", state, true);
        r.get(*it, "detail", p.detail, false);
        r.get(*it, "checked", p.checked, true);
        r.get(*it, "printed", p.printed, true);
        if (!r.problem.empty()) return refuse("printer: " + r.problem);
        bool found = false;
        for (const auto& [st, name] : kPrinterStates)
            if (name == state) p.state = st, found = true;
        if (!found) return refuse("printer: \"state\" \"" + state + "\" is not a printer state");
        s.printer = std::move(p);
    }
    if (auto it = j.find("sync"); it != j.end()) {
        if (!it->is_object()) return refuse("\"sync\" must be an object");
        SyncPresence y;
        r.get(*it, "online", y.online, true);
        r.get(*it, "applied_seq", y.applied_seq, true);
        r.get(*it, "stream_last_seq", y.stream_last_seq, true);
        r.get(*it, "unconfirmed", y.unconfirmed, true);
        r.get(*it, "last_error", y.last_error, false);
        if (!r.problem.empty()) return refuse("sync: " + r.problem);
        s.sync = std::move(y);
    }
    return s;
}

Liveness liveness(const DeviceStatus& s, Millis received, Millis now) {
    if (s.stopping) return Liveness::Stopped;
    // A receiver's clock that went back makes `received` lie in the future: within the same
    // bound either way, else nothing can be said but that it is not known to be alive.
    const Millis age = now - received;
    return age <= kPresenceGoneAfterMs && age >= -kPresenceGoneAfterMs ? Liveness::Online : Liveness::Gone;
}

}  // namespace csc::presence
