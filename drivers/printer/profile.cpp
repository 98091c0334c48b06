#include "drivers/printer/profile.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "drivers/printer/codepage.hpp"
#include "shared/text_match.hpp"

namespace csc::printer {

// Generated at build time from assets/printer/profiles.txt (see CMakeLists.txt).
extern const char* const kBuiltinProfilesText;

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split_words(std::string_view s) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) words.push_back(s.substr(start, i - start));
    }
    return words;
}

std::optional<int> to_int(std::string_view s, int base = 10) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

Result<std::vector<std::uint8_t>> parse_hex_bytes(const std::vector<std::string_view>& words) {
    std::vector<std::uint8_t> out;
    for (auto w : words) {
        auto v = to_int(w, 16);
        if (!v || w.size() != 2) return fail("'" + std::string(w) + "' is not a hex byte like 1d");
        out.push_back(static_cast<std::uint8_t>(*v));
    }
    return out;
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
    struct PendingQuirk {
        std::string profile;
        Quirk quirk;
        int line;
    };
    std::vector<PendingQuirk> pending;
    Profile* cur = nullptr;
    int line_no = 0;
    auto where = [&](int n) { return std::string(origin) + ":" + std::to_string(n) + ": "; };

    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view raw = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        std::string comment;
        if (auto hash = raw.find('#'); hash != std::string_view::npos) {
            comment = std::string(trim(raw.substr(hash + 1)));
            raw = raw.substr(0, hash);
        }
        bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
        auto words = split_words(raw);
        if (words.empty()) {
            if (end == text.size()) break;
            continue;
        }
        std::string_view key = words[0];
        std::vector<std::string_view> args(words.begin() + 1, words.end());

        if (!indented && key == "profile") {
            if (args.size() != 1) return fail(where(line_no) + "expected 'profile <id>'");
            if (cat.find(args[0]).ok()) return fail(where(line_no) + "profile '" + std::string(args[0]) + "' defined twice");
            cat.profiles_.push_back(Profile{});
            cur = &cat.profiles_.back();
            cur->id = std::string(args[0]);
            cur->code_pages.clear();
            continue;
        }
        if (!indented && key == "quirk") {
            if (args.size() < 2 || args.size() > 3)
                return fail(where(line_no) + "expected 'quirk <profile> <name> [value]  # reason'");
            Quirk q{std::string(args[1]), 1, comment};
            if (std::find(std::begin(kKnownQuirks), std::end(kKnownQuirks), args[1]) == std::end(kKnownQuirks)) {
                std::string known;
                for (auto k : kKnownQuirks) known += (known.empty() ? "" : ", ") + std::string(k);
                return fail(where(line_no) + "unknown quirk '" + std::string(args[1]) + "' (known: " + known + ")");
            }
            if (args.size() == 3) {
                auto v = to_int(args[2]);
                if (!v) return fail(where(line_no) + "quirk value must be a number");
                q.value = *v;
            }
            if (comment.empty()) return fail(where(line_no) + "a quirk needs a '# reason' comment");
            pending.push_back({std::string(args[0]), q, line_no});
            cur = nullptr;
            continue;
        }
        if (!indented || cur == nullptr)
            return fail(where(line_no) + "expected 'profile <id>' or 'quirk ...', got '" + std::string(key) + "'");

        auto need = [&](std::size_t n) -> Result<void> {
            if (args.size() != n)
                return fail(where(line_no) + "'" + std::string(key) + "' takes " + std::to_string(n) + " value(s)");
            return {};
        };
        if (key == "name") {
            std::string_view v = trim(raw);
            cur->name = std::string(trim(v.substr(4)));
        } else if (key == "usb") {
            if (auto r = need(1); !r) return r.error();
            auto id = parse_usb_id(args[0]);
            if (!id) return fail(where(line_no) + id.error().message);
            cur->usb_ids.push_back(*id);
        } else if (key == "dots" || key == "columns") {
            if (auto r = need(1); !r) return r.error();
            auto v = to_int(args[0]);
            if (!v || *v < 8 || *v > 4096) return fail(where(line_no) + "bad number '" + std::string(args[0]) + "'");
            if (key == "dots") {
                if (*v % 8 != 0) return fail(where(line_no) + "dots must be a multiple of 8");
                cur->dots_per_line = *v;
            } else {
                cur->columns = *v;
            }
        } else if (key == "codepages") {
            if (args.empty()) return fail(where(line_no) + "codepages needs at least one name:number");
            cur->code_pages.clear();
            for (auto a : args) {
                auto colon = a.find(':');
                auto num = colon == std::string_view::npos ? std::nullopt : to_int(a.substr(colon + 1));
                if (!num || *num < 0 || *num > 255)
                    return fail(where(line_no) + "code page '" + std::string(a) + "' is not name:number, e.g. cp858:19");
                std::string name(a.substr(0, colon));
                if (find_code_page(name) == nullptr) {
                    std::string known;
                    for (auto k : code_page_names()) known += (known.empty() ? "" : ", ") + std::string(k);
                    return fail(where(line_no) + "unknown code page '" + name + "' (known: " + known + ")");
                }
                cur->code_pages.push_back({name, *num});
            }
        } else if (key == "qr") {
            if (auto r = need(1); !r) return r.error();
            if (args[0] != "native" && args[0] != "raster") return fail(where(line_no) + "qr is native or raster");
            cur->native_qr = args[0] == "native";
        } else if (key == "cutter") {
            if (auto r = need(1); !r) return r.error();
            if (args[0] == "none") cur->cutter = cur->partial_cut = false;
            else if (args[0] == "full") cur->cutter = true, cur->partial_cut = false;
            else if (args[0] == "full+partial") cur->cutter = cur->partial_cut = true;
            else return fail(where(line_no) + "cutter is none, full or full+partial");
        } else if (key == "presenter") {
            if (auto r = need(1); !r) return r.error();
            if (args[0] != "none") return fail(where(line_no) + "presenter takes 'none'; give present/eject/retract lines instead");
        } else if (key == "present" || key == "eject" || key == "retract" || key == "recover") {
            auto bytes = parse_hex_bytes(args);
            if (!bytes) return fail(where(line_no) + bytes.error().message);
            if (bytes->empty()) return fail(where(line_no) + "'" + std::string(key) + "' needs hex bytes");
            (key == "present" ? cur->present_cmd
             : key == "eject" ? cur->eject_cmd
             : key == "retract" ? cur->retract_cmd
                                : cur->recover_cmd) = std::move(*bytes);
        } else if (key == "status") {
            if (auto r = need(1); !r) return r.error();
            if (args[0] != "dle-eot" && args[0] != "none") return fail(where(line_no) + "status is dle-eot or none");
            cur->realtime_status = args[0] == "dle-eot";
        } else {
            return fail(where(line_no) + "unknown key '" + std::string(key) + "'");
        }
    }
    for (auto& p : cat.profiles_) {
        if (p.code_pages.empty()) p.code_pages.push_back({"cp437", 0});
        if (p.name.empty()) p.name = p.id;
    }
    for (auto& q : pending) {
        auto it = std::find_if(cat.profiles_.begin(), cat.profiles_.end(), [&](const Profile& p) { return p.id == q.profile; });
        if (it == cat.profiles_.end())
            return fail(where(q.line) + "quirk for unknown profile '" + q.profile + "'");
        it->quirks.push_back(q.quirk);
        if (q.quirk.name == "unidir") it->realtime_status = false;
    }
    if (cat.profiles_.empty()) return fail(std::string(origin) + ": no profiles");
    return cat;
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

const ProfileCatalog& builtin_profiles() {
    static const ProfileCatalog catalog = [] {
        auto parsed = ProfileCatalog::parse(kBuiltinProfilesText, "builtin profiles.txt");
        if (!parsed) {
            // The build embeds a file the tests parse too; reaching here means a broken build.
            std::fprintf(stderr, "csc_printer: %s\n", parsed.error().message.c_str());
            auto fallback = ProfileCatalog::parse("profile generic-80\n  name Generic 80 mm\n", "fallback");
            return std::move(fallback).value();
        }
        return std::move(parsed).value();
    }();
    return catalog;
}

Result<ProfileCatalog> load_profile_catalog(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail("cannot read printer profiles " + file.string());
    std::stringstream ss;
    ss << in.rdbuf();
    return ProfileCatalog::parse(ss.str(), file.filename().string());
}

Result<Profile> find_profile(std::string_view name) { return builtin_profiles().find(name); }

}  // namespace csc::printer
