#include "drivers/printer/profile.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <list>
#include <mutex>

#include "drivers/printer/codepage.hpp"
#include "shared/text_match.hpp"
#include "shared/toml_reader.hpp"

namespace csc::printer {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::optional<int> to_int(std::string_view s, int base = 10) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// A profile id as the configuration names it: 1-40 of a-z 0-9 - _ .
bool is_profile_id(std::string_view id) {
    if (id.empty() || id.size() > 40) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
}

constexpr std::string_view kKnownQuirks[] = {"raster-band-rows", "cut-simple", "present-needs-cut",
                                             "unidir"};

}  // namespace

std::string UsbId::str() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04x:%04x", vendor, product);
    return buf;
}

Result<UsbId> parse_usb_id(std::string_view text) {
    text = trim(text);
    auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 4 || text.size() - colon - 1 == 0 ||
        text.size() - colon - 1 > 4)
        return fail("USB id '" + std::string(text) + "' is not VID:PID in hex, e.g. 04b8:0e28");
    auto v = to_int(text.substr(0, colon), 16);
    auto p = to_int(text.substr(colon + 1), 16);
    if (!v || !p) return fail("USB id '" + std::string(text) + "' is not VID:PID in hex, e.g. 04b8:0e28");
    return UsbId{static_cast<std::uint16_t>(*v), static_cast<std::uint16_t>(*p)};
}

bool Profile::has_quirk(std::string_view quirk) const {
    return std::any_of(quirks.begin(), quirks.end(), [&](const Quirk& q) { return q.name == quirk; });
}

int Profile::quirk_value(std::string_view quirk, int fallback) const {
    for (const auto& q : quirks)
        if (q.name == quirk) return q.value;
    return fallback;
}

std::optional<int> Profile::code_page_number(std::string_view code_page) const {
    for (const auto& c : code_pages)
        if (c.name == code_page) return c.escpos_number;
    return std::nullopt;
}

std::optional<std::string> Profile::code_page_name(int number) const {
    for (const auto& c : code_pages)
        if (c.escpos_number == number) return c.name;
    return std::nullopt;
}

Result<ProfileCatalog> ProfileCatalog::parse(std::string_view text, std::string_view origin) {
    ProfileCatalog cat;
    if (auto added = cat.add(text, origin); !added) return added.error();
    return cat;
}

Result<void> ProfileCatalog::add(std::string_view text, std::string_view origin) {
    const std::string name(origin);
    auto merged = parse_toml<std::vector<Profile>>(text, name, [&](const toml::table& root, const TomlReader& rd) {
        rd.only_keys(root, {"profile", "quirk"}, "the file");
        std::vector<Profile> profiles = profiles_;
        std::vector<std::string> defined_here;
        const auto position = [&](const toml::node& n) {
            return name + ":" + std::to_string(n.source().begin.line);
        };

        if (const toml::array* list = rd.array(root, "profile", "the file")) {
            for (const toml::node& node : *list) {
                const auto& t = rd.table(node, "each [[profile]]");
                rd.only_keys(t, {"id", "name", "usb", "dots", "columns", "codepages", "qr", "cutter", "present", "eject",
                                 "retract", "status", "recover"},
                             "[[profile]]");
                Profile p;
                p.id = rd.string(t, "id", "[[profile]]");
                if (!is_profile_id(p.id))
                    rd.problem(*t.get("id"), "profile id \"" + p.id + "\" must be 1-40 of a-z 0-9 - _ .");
                if (std::find(defined_here.begin(), defined_here.end(), p.id) != defined_here.end())
                    rd.problem(*t.get("id"), "profile \"" + p.id + "\" defined twice in this file");
                defined_here.push_back(p.id);
                const std::string where = "profile " + p.id;
                p.name = rd.string(t, "name", where, p.id);
                p.source = position(t);
                if (const toml::array* usb = rd.array(t, "usb", where)) {
                    for (const toml::node& u : *usb) {
                        const auto* text_id = u.as_string();
                        if (text_id == nullptr) rd.problem(u, "usb in " + where + ": each id is a text like \"04b8:0e28\"");
                        auto id = parse_usb_id(text_id->get());
                        if (!id) rd.problem(u, id.error().message);
                        p.usb_ids.push_back(*id);
                    }
                }
                p.dots_per_line = static_cast<int>(rd.integer(t, "dots", where, p.dots_per_line, 8, 4096));
                if (p.dots_per_line % 8 != 0) rd.problem(*t.get("dots"), "dots in " + where + " must be a multiple of 8");
                p.columns = static_cast<int>(rd.integer(t, "columns", where, p.columns, 8, 4096));
                if (const toml::array* pages = rd.array(t, "codepages", where)) {
                    if (pages->empty()) rd.problem(*pages, "codepages in " + where + " needs at least one \"name:number\"");
                    for (const toml::node& c : *pages) {
                        const auto* entry = c.as_string();
                        const std::string a = entry ? entry->get() : std::string();
                        const auto colon = a.find(':');
                        const auto num = colon == std::string::npos ? std::nullopt : to_int(std::string_view(a).substr(colon + 1));
                        if (!num || *num < 0 || *num > 255)
                            rd.problem(c, "code page \"" + a + "\" in " + where + " is not \"name:number\", e.g. \"cp858:19\"");
                        const std::string page = a.substr(0, colon);
                        if (find_code_page(page) == nullptr) {
                            std::string known;
                            for (auto k : code_page_names()) known += (known.empty() ? "" : ", ") + std::string(k);
                            rd.problem(c, "unknown code page '" + page + "' (known: " + known + ")");
                        }
                        p.code_pages.push_back({page, *num});
                    }
                }
                if (p.code_pages.empty()) p.code_pages.push_back({"cp437", 0});
                const std::string qr = rd.string(t, "qr", where, "native");
                if (qr != "native" && qr != "raster") rd.problem(*t.get("qr"), "qr in " + where + " is \"native\" or \"raster\"");
                p.native_qr = qr == "native";
                const std::string cutter = rd.string(t, "cutter", where, "full+partial");
                if (cutter == "none") p.cutter = p.partial_cut = false;
                else if (cutter == "full") p.cutter = true, p.partial_cut = false;
                else if (cutter == "full+partial") p.cutter = p.partial_cut = true;
                else rd.problem(*t.get("cutter"), "cutter in " + where + " is \"none\", \"full\" or \"full+partial\"");
                const std::string status = rd.string(t, "status", where, "dle-eot");
                if (status != "dle-eot" && status != "none")
                    rd.problem(*t.get("status"), "status in " + where + " is \"dle-eot\" or \"none\"");
                p.realtime_status = status == "dle-eot";
                const auto bytes = [&](std::string_view key) {
                    std::vector<std::uint8_t> out;
                    const toml::array* list = rd.array(t, key, where);
                    if (list == nullptr) return out;
                    if (list->empty()) rd.problem(*list, std::string(key) + " in " + where + " needs bytes, e.g. [0x1d, 0x65, 0x02]");
                    for (const toml::node& b : *list) {
                        const auto v = b.value<std::int64_t>();
                        if (!b.is_integer() || !v || *v < 0 || *v > 255)
                            rd.problem(b, std::string(key) + " in " + where + ": each byte is a number 0-255, e.g. 0x1d");
                        out.push_back(static_cast<std::uint8_t>(*v));
                    }
                    return out;
                };
                p.present_cmd = bytes("present");
                p.eject_cmd = bytes("eject");
                p.retract_cmd = bytes("retract");
                p.recover_cmd = bytes("recover");

                auto same = std::find_if(profiles.begin(), profiles.end(), [&](const Profile& q) { return q.id == p.id; });
                if (same != profiles.end()) *same = std::move(p);  // a later file's definition wins
                else profiles.push_back(std::move(p));
            }
        }

        if (const toml::array* list = rd.array(root, "quirk", "the file")) {
            for (const toml::node& node : *list) {
                const auto& t = rd.table(node, "each [[quirk]]");
                rd.only_keys(t, {"profile", "name", "value", "reason"}, "[[quirk]]");
                const std::string profile = rd.string(t, "profile", "[[quirk]]");
                Quirk q;
                q.name = rd.string(t, "name", "[[quirk]] for " + profile);
                if (std::find(std::begin(kKnownQuirks), std::end(kKnownQuirks), q.name) == std::end(kKnownQuirks)) {
                    std::string known;
                    for (auto k : kKnownQuirks) known += (known.empty() ? "" : ", ") + std::string(k);
                    rd.problem(*t.get("name"), "unknown quirk '" + q.name + "' (known: " + known + ")");
                }
                q.value = static_cast<int>(rd.integer(t, "value", "[[quirk]] " + q.name, 1, 0, 1'000'000));
                if (!t.contains("reason"))
                    rd.problem(t, "[[quirk]] " + q.name + " for " + profile +
                                      " needs a reason: the problem it works around, on which model");
                q.reason = rd.string(t, "reason", "[[quirk]] " + q.name);
                if (q.reason.empty()) rd.problem(*t.get("reason"), "[[quirk]] " + q.name + ": the reason is empty");
                auto target = std::find_if(profiles.begin(), profiles.end(), [&](const Profile& p) { return p.id == profile; });
                if (target == profiles.end()) {
                    std::vector<std::string> ids;
                    for (const auto& p : profiles) ids.push_back(p.id);
                    std::string closest;
                    for (const auto& n : closest_names(profile, ids)) closest += (closest.empty() ? "" : ", ") + n;
                    rd.problem(*t.get("profile"), "quirk for unknown profile '" + profile + "'" +
                                                       (closest.empty() ? "" : "; closest: " + closest));
                }
                target->quirks.push_back(q);
                if (q.name == "unidir") target->realtime_status = false;
            }
        }
        if (profiles.empty()) rd.problem(root.source(), "no [[profile]] in the file");
        return Result<std::vector<Profile>>(std::move(profiles));
    });
    if (!merged) return merged.error();
    profiles_ = std::move(*merged);
    files_.push_back(name);
    return {};
}

Result<Profile> ProfileCatalog::find(std::string_view id) const {
    for (const auto& p : profiles_)
        if (p.id == id) return p;
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const auto& p : profiles_) {
        std::size_t d = csc::edit_distance(id, p.id);
        if (!id.empty() && p.id.find(id) != std::string::npos) d = 0;  // "t20" finds epson-tm-t20iii
        scored.emplace_back(d, p.id);
    }
    std::stable_sort(scored.begin(), scored.end());
    std::string closest;
    for (std::size_t i = 0; i < scored.size() && i < 3; ++i) closest += (i ? ", " : "") + scored[i].second;
    return fail("unknown printer profile '" + std::string(id) + "'; closest: " + closest);
}

const Profile* ProfileCatalog::match_usb(UsbId id) const {
    for (const auto& p : profiles_)
        for (const auto& u : p.usb_ids)
            if (u == id) return &p;
    return nullptr;
}

std::vector<std::string> ProfileCatalog::ids() const {
    std::vector<std::string> out;
    for (const auto& p : profiles_) out.push_back(p.id);
    return out;
}

std::filesystem::path installed_profiles_file(const std::filesystem::path& assets) {
    return assets / "printer" / "profiles.toml";
}

Result<ProfileCatalog> load_profile_catalog(const std::vector<std::filesystem::path>& files) {
    ProfileCatalog catalog;
    for (const auto& file : files) {
        auto text = read_toml_file(file, "printer profiles");
        if (!text) return fail_as("input", text.error().message);
        if (auto added = catalog.add(*text, file.string()); !added) return added.error();
    }
    if (catalog.profiles().empty()) return fail_as("input", "no printer profiles file given");
    return catalog;
}

namespace {

struct CatalogInUse {
    std::mutex mutex;
    std::list<ProfileCatalog> kept;  // every catalog ever in use: references handed out stay valid
    const ProfileCatalog* active = nullptr;
    std::string load_error;  // why the default catalog is empty
};

CatalogInUse& catalog_in_use() {
    static CatalogInUse state;
    return state;
}

std::filesystem::path default_assets() {
    if (const char* env = std::getenv("CSC_ASSETS"); env && *env) return env;
    if (std::filesystem::exists(installed_profiles_file(CSC_SOURCE_ASSETS))) return CSC_SOURCE_ASSETS;
    return "/usr/share/csc-kiosk";
}

bool same_profiles(const ProfileCatalog& a, const ProfileCatalog& b) {
    if (a.files() != b.files() || a.profiles().size() != b.profiles().size()) return false;
    for (std::size_t i = 0; i < a.profiles().size(); ++i) {
        const Profile &x = a.profiles()[i], &y = b.profiles()[i];
        if (x.id != y.id || x.source != y.source || x.name != y.name || x.usb_ids != y.usb_ids ||
            x.dots_per_line != y.dots_per_line || x.columns != y.columns || x.code_pages != y.code_pages ||
            x.native_qr != y.native_qr || x.cutter != y.cutter || x.partial_cut != y.partial_cut ||
            x.present_cmd != y.present_cmd || x.eject_cmd != y.eject_cmd || x.retract_cmd != y.retract_cmd ||
            x.realtime_status != y.realtime_status || x.recover_cmd != y.recover_cmd || x.quirks != y.quirks)
            return false;
    }
    return true;
}

}  // namespace

void use_profile_catalog(ProfileCatalog catalog) {
    auto& state = catalog_in_use();
    std::lock_guard lock(state.mutex);
    // Every Context of a test process sets the same catalog again: keep one copy of it.
    if (state.active != nullptr && same_profiles(*state.active, catalog)) return;
    state.kept.push_back(std::move(catalog));
    state.active = &state.kept.back();
    state.load_error.clear();
}

const ProfileCatalog& active_profiles() {
    auto& state = catalog_in_use();
    std::lock_guard lock(state.mutex);
    if (state.active == nullptr) {
        auto loaded = load_profile_catalog({installed_profiles_file(default_assets())});
        if (loaded) {
            state.kept.push_back(std::move(*loaded));
        } else {
            state.kept.emplace_back();
            state.load_error = loaded.error().message;
        }
        state.active = &state.kept.back();
    }
    return *state.active;
}

Result<Profile> find_profile(std::string_view name) {
    const ProfileCatalog& catalog = active_profiles();
    if (catalog.profiles().empty()) {
        std::lock_guard lock(catalog_in_use().mutex);
        return fail_as("input", "unknown printer profile '" + std::string(name) + "': no printer profiles were read (" +
                                    catalog_in_use().load_error + ")");
    }
    return catalog.find(name);
}

}  // namespace csc::printer
