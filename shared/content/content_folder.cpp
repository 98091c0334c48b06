#include "shared/content/content_folder.hpp"

#include <algorithm>

#include "shared/localized_reader.hpp"

namespace csc::content {

namespace {

constexpr std::size_t kContentTitleChars = 80;
constexpr std::size_t kContentBodyChars = 600;
constexpr std::size_t kContentLineChars = 120;

// A date as TOML's own (2026-12-16) or as text ("2026-12-16").
std::optional<Date> content_date(const toml::table& t, std::string_view key, const LocalizedReader& rd) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (const auto* d = n->as_date()) {
        const toml::date v = d->get();
        return Date{v.year, v.month, v.day};
    }
    if (n->is_string()) {
        if (auto d = Date::parse(n->as_string()->get())) return *d;
    }
    rd.problem(*n, "\"" + std::string(key) + "\" must be a date like 2026-12-16");
}

// "08:30-12:30", or over midnight "22:00-02:00".
std::optional<DailyWindow> content_window(std::string_view text) {
    if (auto r = parse_time_range(text)) return DailyWindow{r->first, r->second};
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const std::string a(text.substr(0, dash)), b(text.substr(dash + 1));
    const auto begin = parse_time_range(a + "-24:00");
    const auto end = parse_time_range("00:00-" + b);
    if (!begin || !end || end->second >= begin->first) return std::nullopt;
    return DailyWindow{begin->first, end->second};
}

bool content_name_ok(const std::string& stem) {
    return !stem.empty() && stem.size() <= 60 && std::all_of(stem.begin(), stem.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

}  // namespace

Result<ContentItem> parse_content_item(std::string_view text, const std::string& name, const std::string& id,
                                       const std::vector<std::string>& languages) {
    return parse_toml<ContentItem>(text, name, [&](const toml::table& root, const TomlReader&) -> ContentItem {
        LocalizedReader rd(name);
        rd.only_keys(root, {"kind", "title", "body", "where", "when", "link", "image", "from", "to", "weekdays", "hours",
                            "priority", "urgent", "fallback"},
                     "the item");
        ContentItem item;
        item.id = id;
        const std::string kind = rd.string(root, "kind", "the item", std::string("notice"));
        if (kind == "deadline") item.kind = ContentKind::Deadline;
        else if (kind == "initiative") item.kind = ContentKind::Initiative;
        else if (kind == "event") item.kind = ContentKind::Event;
        else if (kind == "notice") item.kind = ContentKind::Notice;
        else rd.problem(*root.get("kind"), "kind \"" + kind + "\": expected deadline, initiative, event or notice");
        item.title = rd.localized(root, "title", "the item", languages, true, kContentTitleChars);
        item.body = rd.localized(root, "body", "the item", languages, false, kContentBodyChars);
        item.where = rd.localized(root, "where", "the item", languages, false, kContentLineChars);
        item.when = rd.localized(root, "when", "the item", languages, false, kContentLineChars);
        item.link = rd.string(root, "link", "the item", std::string());
        if (!item.link.empty() && item.link.rfind("https://", 0) != 0 && item.link.rfind("http://", 0) != 0)
            rd.problem(*root.get("link"), "link must be an address starting with https:// (shown as a QR code)");
        if (item.link.size() > 300) rd.problem(*root.get("link"), "link is too long for a QR code a phone reads (at most 300 characters)");
        item.image = rd.string(root, "image", "the item", std::string());
        if (!item.image.empty() && (item.image.find('/') != std::string::npos || item.image.size() < 5 ||
                                    item.image.compare(item.image.size() - 4, 4, ".png") != 0))
            rd.problem(*root.get("image"), "image must be the name of a .png file beside the item (no folder)");
        item.from = content_date(root, "from", rd);
        item.to = content_date(root, "to", rd);
        if (item.from && item.to && *item.to < *item.from) rd.problem(*root.get("to"), "\"to\" is before \"from\"");
        if (root.get("weekdays")) {
            static constexpr std::array<std::string_view, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
            item.weekdays.fill(false);
            const toml::array* days = rd.array(root, "weekdays", "the item");
            for (const auto& d : *days) {
                const auto* s = d.as_string();
                const auto it = s ? std::find(kDays.begin(), kDays.end(), s->get()) : kDays.end();
                if (it == kDays.end()) rd.problem(d, "weekdays: expected mon, tue, wed, thu, fri, sat or sun");
                item.weekdays[static_cast<std::size_t>(it - kDays.begin())] = true;
            }
            if (days->empty()) rd.problem(*root.get("weekdays"), "weekdays is empty: the item would never show");
        }
        if (const toml::node* h = root.get("hours")) {
            const std::string hours = rd.string(root, "hours", "the item");
            auto w = content_window(hours);
            if (!w) rd.problem(*h, "hours \"" + hours + "\": expected HH:MM-HH:MM (22:00-02:00 runs over midnight)");
            item.window = *w;
        }
        item.priority = static_cast<int>(rd.integer(root, "priority", "the item", 5, 0, 9));
        item.urgent = rd.boolean(root, "urgent", "the item", false);
        item.fallback = rd.boolean(root, "fallback", "the item", false);
        if (item.urgent && item.fallback) rd.problem(*root.get("fallback"), "an item cannot be both urgent and fallback");
        return item;
    });
}

ContentFolder load_content_folder(const std::filesystem::path& dir, const std::vector<std::string>& languages) {
    namespace fs = std::filesystem;
    ContentFolder out;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return out;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if (p.extension() != ".toml" || !content_name_ok(p.stem().string())) continue;
        files.push_back(p);
    }
    if (ec) {
        out.rejected.push_back({dir, dir.string() + ": cannot read the content folder (" + ec.message() + ")"});
        return out;
    }
    std::sort(files.begin(), files.end());
    for (std::size_t i = 0; i < files.size(); ++i) {
        const fs::path& f = files[i];
        if (i >= kMaxContentFiles) {
            out.rejected.push_back({f, f.string() + ": not read, more than " + std::to_string(kMaxContentFiles) + " items in the folder"});
            continue;
        }
        auto text = read_toml_file(f, f.string());
        if (!text) {
            out.rejected.push_back({f, text.error().message});
            continue;
        }
        auto item = parse_content_item(*text, f.string(), f.stem().string(), languages);
        if (!item) {
            out.rejected.push_back({f, item.error().message});
            continue;
        }
        if (!item->image.empty() && !fs::is_regular_file(dir / item->image, ec)) {
            out.rejected.push_back({f, f.string() + ": image \"" + item->image + "\" is not in " + dir.string()});
            continue;
        }
        out.items.push_back(std::move(*item));
    }
    return out;
}

}  // namespace csc::content
