#include "kiosk/web/admin_views.hpp"

#include <cmath>
#include <concepts>
#include <cstdio>
#include <map>
#include <set>
#include <type_traits>

namespace csc::web {

namespace {

using nlohmann::json;

// A counter action's body: it names its counter.
template <class B>
concept NamesItsCounter = requires(const B& b) {
    { b.counter } -> std::same_as<const int&>;
};

// What an event says its device does. A display records nothing: it is never named here.
void note_role(DeviceActivity& d, const Event& e) {
    std::visit(
        [&](const auto& b) {
            using B = std::decay_t<decltype(b)>;
            if constexpr (NamesItsCounter<B>) {
                d.roles.insert("counter " + std::to_string(b.counter));
            } else if constexpr (std::is_same_v<B, TicketIssued>) {
                if (b.channel == "kiosk") d.roles.insert("entrance");
                else if (b.channel == "assisted") d.roles.insert("infopoint");
                else if (b.channel == "cli") d.roles.insert("cli");
            } else if constexpr (std::is_same_v<B, PrintClaimed> || std::is_same_v<B, PrintFinished>) {
                d.roles.insert("entrance");  // only an entrance kiosk claims print requests
            } else if constexpr (std::is_same_v<B, PrintRequested> || std::is_same_v<B, CrsPinReleased> ||
                                 std::is_same_v<B, FormHandedOut>) {
                d.roles.insert("infopoint");
            } else if constexpr (std::is_same_v<B, StaffSignIn>) {
                if (b.ok && b.where == "service-menu") d.roles.insert("service_menu");
            } else if constexpr (std::is_same_v<B, DeviceHello>) {
                d.device_index = b.device_index;
            }
            if constexpr (std::is_same_v<B, PrintFinished>) {
                if (!d.last_print || d.last_print->time <= e.time) d.last_print = PrintReport{e.time, b.ok, b.error};
            }
        },
        e.body);
}

std::string hhmm(const SiteConfig& config, Millis t) {
    const LocalTime l = config.timezone.to_local(t);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", l.hour, l.minute);
    return buf;
}

std::string minutes(double m) {
    if (std::isnan(m)) return "—";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f", m);
    return buf;
}

std::string role_text(const Translator& tr, const std::string& lang, const std::string& role) {
    if (role.starts_with("counter ")) return tr.tr(lang, "admin.role.counter", {{"counter", role.substr(8)}});
    return tr.tr(lang, "admin.role." + role);
}

json figures(const stats::StatsRow& r, int waiting) {
    return {{"issued", std::to_string(r.issued)}, {"served", std::to_string(r.served)}, {"waiting", std::to_string(waiting)},
            {"wait_mean", r.called ? minutes(r.wait_mean_min) : "—"}, {"wait_p90", r.called ? minutes(r.wait_p90_min) : "—"}};
}

}  // namespace

std::vector<DeviceActivity> device_activity(std::span<const Event> today) {
    std::map<std::string, DeviceActivity> by_name;
    for (const Event& e : today) {
        DeviceActivity& d = by_name[e.device];
        d.device = e.device;
        ++d.events;
        d.last_event = std::max(d.last_event, e.time);
        note_role(d, e);
    }
    std::vector<DeviceActivity> out;
    for (auto& [_, d] : by_name) out.push_back(std::move(d));
    return out;
}

namespace {

// The role of a program that sent a status, as the dashboard names it.
std::string program_role(const presence::DeviceStatus& s) {
    return s.role == "counter" ? "counter " + std::to_string(s.counter) : s.role == "web" ? "web_server" : s.role;
}

std::string printer_text(const SiteConfig& config, const Translator& tr, const std::string& lang,
                         const presence::PrinterPresence& p) {
    if (p.checked == 0) return tr.tr(lang, "admin.printer.not_asked");
    std::string text = tr.tr(lang, "admin.printer.state." + std::string(presence::to_string(p.state)),
                             {{"time", hhmm(config, p.checked)}});
    return text + " · " + tr.tr(lang, "admin.printer.printed", {{"count", std::to_string(p.printed)}});
}

std::string sync_text(const Translator& tr, const std::string& lang, const presence::SyncPresence& y) {
    const std::uint64_t behind = y.stream_last_seq > y.applied_seq ? y.stream_last_seq - y.applied_seq : 0;
    if (!y.online)
        return tr.tr(lang, "admin.sync.offline", {{"pending", std::to_string(y.unconfirmed)},
                                                  {"error", y.last_error.empty() ? "—" : y.last_error}});
    return tr.tr(lang, "admin.sync.online", {{"behind", std::to_string(behind)}, {"pending", std::to_string(y.unconfirmed)},
                                             {"seq", std::to_string(y.applied_seq)}});
}

}  // namespace

json dashboard_json(const SiteConfig& config, const Translator& tr, const std::string& lang, const DashboardInput& in) {
    const std::string not_known = tr.tr(lang, "admin.not_known");
    json devices = json::array();
    json device_warnings = json::array();  // programs gone silent, printers in trouble: said again under Warnings
    std::map<std::string, DeviceActivity> listed;
    for (const DeviceActivity& d : in.devices) listed[d.device] = d;
    listed[in.self].device = in.self;
    std::map<std::string, std::vector<const presence::HeardStatus*>> programs;
    for (const presence::HeardStatus& h : in.statuses) {
        listed[h.status.device].device = h.status.device;
        programs[h.status.device].push_back(&h);
    }
    for (const auto& [name, d] : listed) {
        const bool self = name == in.self;
        const auto& mine = programs[name];
        std::set<std::string> role_names = d.roles;
        for (const presence::HeardStatus* h : mine) role_names.insert(program_role(h->status));
        std::string roles;
        for (const std::string& r : role_names) roles += (roles.empty() ? "" : ", ") + role_text(tr, lang, r);
        if (self && !role_names.contains("web_server")) roles += (roles.empty() ? "" : ", ") + tr.tr(lang, "admin.role.web");
        if (roles.empty()) roles = not_known;
        if (d.device_index > 0) roles += " · " + tr.tr(lang, "admin.device_index", {{"index", std::to_string(d.device_index)}});

        // Online: each program as last heard, on this machine's clock.
        std::string online, state = mine.empty() ? "unknown" : "online";
        for (const presence::HeardStatus* h : mine) {
            std::string text;
            if (self && h->status.role == "web") {
                text = tr.tr(lang, "admin.online.self");  // the one answering: alive whatever its file says
            } else {
                const presence::Liveness l = presence::liveness(h->status, h->received, in.now);
                const std::string key = l == presence::Liveness::Online    ? "admin.online.yes"
                                        : l == presence::Liveness::Stopped ? "admin.online.stopped"
                                                                            : "admin.online.gone";
                if (l == presence::Liveness::Gone) {
                    state = "gone";
                    device_warnings.push_back({{"time", hhmm(config, h->received)},
                                               {"text", tr.tr(lang, "admin.warn.gone", {{"device", name},
                                                                                        {"role", role_text(tr, lang, program_role(h->status))},
                                                                                        {"time", hhmm(config, h->received)}})}});
                }
                else if (l == presence::Liveness::Stopped && state == "online") state = "stopped";
                text = tr.tr(lang, key, {{"time", hhmm(config, h->received)}});
            }
            online += (online.empty() ? "" : "; ") + role_text(tr, lang, program_role(h->status)) + ": " + text;
        }
        if (self && mine.empty()) online = tr.tr(lang, "admin.online.self"), state = "online";
        if (online.empty()) online = not_known;

        // Printer: the newer of its entrance's last job and its last print.finished.
        const presence::HeardStatus* with_printer = nullptr;
        for (const presence::HeardStatus* h : mine)
            if (h->status.printer && (!with_printer || h->status.printer->checked > with_printer->status.printer->checked))
                with_printer = h;
        std::string printer = not_known;
        if (d.last_print)
            printer = d.last_print->ok ? tr.tr(lang, "admin.printer.ok", {{"time", hhmm(config, d.last_print->time)}})
                                       : tr.tr(lang, "admin.printer.failed", {{"time", hhmm(config, d.last_print->time)},
                                                                              {"error", d.last_print->error}});
        if (with_printer) {
            const presence::PrinterPresence& p = *with_printer->status.printer;
            if (p.checked > 0 ? !d.last_print || p.checked >= d.last_print->time : !d.last_print) {
                printer = printer_text(config, tr, lang, p);
                if (p.checked > 0 && p.state != presence::PrinterState::Ok && p.state != presence::PrinterState::Unknown)
                    device_warnings.push_back({{"time", hhmm(config, p.checked)},
                                               {"text", tr.tr(lang, "admin.warn.printer", {{"device", name}, {"state", printer}})}});
            }
        }

        // Sync: what its freshest program with a link reports.
        const presence::HeardStatus* with_sync = nullptr;
        for (const presence::HeardStatus* h : mine)
            if (h->status.sync && (!with_sync || h->received > with_sync->received)) with_sync = h;
        std::string sync = not_known;
        if (self && !in.lan) sync = tr.tr(lang, "admin.sync.single");
        else if (with_sync) sync = sync_text(tr, lang, *with_sync->status.sync);
        else if (self) sync = tr.tr(lang, "admin.sync.lag", {{"pending", std::to_string(in.unconfirmed)},
                                                             {"seq", std::to_string(in.stream_seq)}});
        else if (!mine.empty() && !config.sync.enabled()) sync = tr.tr(lang, "admin.sync.single");
        devices.push_back({{"name", name},
                           {"self", self},
                           {"role", roles},
                           {"online", online},
                           {"state", state},
                           {"last_event", d.events ? hhmm(config, d.last_event) : tr.tr(lang, "admin.no_events")},
                           {"printer", printer},
                           {"sync", sync}});
    }

    json sectors = json::array();
    json total = nullptr;
    int waiting_total = 0;
    for (const Sector& s : config.sectors) {
        int waiting = 0;
        for (const SectorOutlook& o : in.outlook)
            if (o.sector == s.id) waiting = o.waiting;
        waiting_total += waiting;
        stats::StatsRow row;
        if (in.today)
            for (const stats::StatsRow& r : in.today->rows)
                if (r.key == s.id) row = r;
        json f = figures(row, waiting);
        f["name"] = s.name.get(lang);
        sectors.push_back(std::move(f));
    }
    if (in.today) {
        total = figures(in.today->total, waiting_total);
        total["name"] = tr.tr(lang, "admin.total");
    }

    json warnings = std::move(device_warnings);
    if (!in.clock_alarm.empty())
        warnings.push_back({{"time", hhmm(config, in.now)}, {"text", tr.tr(lang, "admin.warn.clock", {{"why", in.clock_alarm}})}});
    if (in.quarantined > 0)
        warnings.push_back({{"time", hhmm(config, in.now)},
                            {"text", tr.tr(lang, "admin.warn.quarantined", {{"count", std::to_string(in.quarantined)}})}});
    for (const std::string& other : in.index_conflicts)
        warnings.push_back({{"time", hhmm(config, in.now)}, {"text", tr.tr(lang, "admin.warn.index_conflict", {{"device", other}})}});
    if (!in.agenda_complete)
        warnings.push_back({{"time", hhmm(config, in.now)}, {"text", tr.tr(lang, "admin.warn.agenda_incomplete")}});
    if (!in.stats_error.empty())
        warnings.push_back({{"time", hhmm(config, in.now)}, {"text", tr.tr(lang, "admin.warn.stats", {{"why", in.stats_error}})}});
    for (const DeviceActivity& d : in.devices)
        if (d.last_print && !d.last_print->ok)
            warnings.push_back({{"time", hhmm(config, d.last_print->time)},
                                {"text", tr.tr(lang, "admin.warn.print", {{"device", d.device}, {"error", d.last_print->error}})}});
    if (in.warnings_dropped > 0)
        warnings.push_back({{"time", ""}, {"text", tr.tr(lang, "admin.warn.dropped", {{"count", std::to_string(in.warnings_dropped)}})}});
    for (auto it = in.warnings.rbegin(); it != in.warnings.rend(); ++it)  // newest first
        warnings.push_back({{"time", hhmm(config, it->time)}, {"text", it->text}});

    return {{"updated", hhmm(config, in.now)},
            {"signed_in", tr.tr(lang, "admin.signed_in_as", {{"name", in.signed_in}})},
            {"devices", std::move(devices)},
            {"sectors", std::move(sectors)},
            {"total", std::move(total)},
            {"warnings", std::move(warnings)}};
}

}  // namespace csc::web
