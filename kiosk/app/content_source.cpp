// The content reader thread: one per screen that shows the communication zone.
#include "kiosk/app/content_source.hpp"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <system_error>

namespace csc::app {

namespace {

// The folder's state as names, sizes and modification times: equal = nothing to parse again.
std::string folder_fingerprint(const std::filesystem::path& dir, std::string& error) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) return "(none)";
    std::vector<std::string> rows;
    std::filesystem::directory_iterator it(dir, ec), end;
    if (ec) {
        error = dir.string() + ": " + ec.message();
        return "(unreadable)";
    }
    for (; it != end; it.increment(ec)) {
        if (ec) break;
        const auto& p = it->path();
        std::error_code e1, e2;
        const auto size = std::filesystem::file_size(p, e1);
        const auto mtime = std::filesystem::last_write_time(p, e2);
        rows.push_back(p.filename().string() + '\t' + std::to_string(e1 ? 0 : size) + '\t' +
                       std::to_string(e2 ? 0 : mtime.time_since_epoch().count()));
    }
    std::sort(rows.begin(), rows.end());
    std::string out;
    for (const auto& r : rows) out += r + '\n';
    return out;
}

}  // namespace

ContentSource::ContentSource(const SiteConfig& config, std::filesystem::path cache_dir, const Clock& clock,
                             std::function<void(ContentUpdate)> on_change, std::function<void(std::string)> on_error,
                             bool pictures)
    : config_(config), clock_(clock), on_change_(std::move(on_change)), on_error_(std::move(on_error)), pictures_(pictures),
      feeds_(config.totem.feeds, std::move(cache_dir), config.timezone,
             [](const std::string& url) { return fetch_url(url); }) {
    thread_ = std::thread([this] { loop(); });
}

ContentSource::~ContentSource() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

std::optional<content::ContentFolder> ContentSource::read_folder(std::string& error) {
    const auto& dir = config_.totem.content;
    auto fingerprint = folder_fingerprint(dir, error);
    if (fingerprint == fingerprint_) {
        error.clear();  // unchanged (an unreadable folder is said once)
        return std::nullopt;
    }
    fingerprint_ = std::move(fingerprint);
    if (!error.empty()) return content::ContentFolder{};
    return content::load_content_folder(dir, config_.languages);
}

void ContentSource::loop() {
    const auto every = std::chrono::seconds(std::max(1, config_.totem.refresh_seconds));
    std::unique_lock lock(mutex_);
    bool first = true;
    while (!stop_) {
        lock.unlock();
        std::string error;
        bool changed = first;
        if (auto folder = read_folder(error)) {
            folder_ = std::move(*folder);
            // The pictures are decoded here, with the folder, never on a screen's thread.
            images_.clear();
            image_problems_.clear();
            for (const auto& item : folder_.items) {
                if (item.image.empty() || !pictures_) continue;
                if (auto img = load_content_image(config_.totem.content / item.image)) images_.emplace(item.id, std::move(*img));
                else image_problems_.push_back(img.error().message + " (item \"" + item.id + "\" is shown without it)");
            }
            changed = true;
        }
        if (!error.empty() && on_error_) on_error_("content folder " + error);
        if (feeds_.refresh(clock_.now())) changed = true;
        if (changed) {
            ContentUpdate update;
            update.items = folder_.items;
            for (auto& i : feeds_.items()) update.items.push_back(std::move(i));
            update.images = images_;
            for (const auto& r : folder_.rejected) update.problems.push_back(r.reason);
            for (const auto& p : image_problems_) update.problems.push_back(p);
            for (const auto& [name, st] : feeds_.states()) {
                if (!st.problem.empty())
                    update.problems.push_back(st.problem + (st.last_good > 0 && !st.stale ? " (its last good copy is shown)" : ""));
                if (st.stale) update.problems.push_back("feed \"" + name + "\": its last good copy is too old (max_age_hours): hidden");
            }
            on_change_(std::move(update));
        }
        first = false;
        lock.lock();
        wake_.wait_for(lock, every, [this] { return stop_; });
    }
}

Result<ContentImage> load_content_image(const std::filesystem::path& png) {
    constexpr std::uintmax_t kMaxBytes = 4u << 20;
    constexpr png_uint_32 kMaxSide = 4096;
    const std::string what = "image " + png.string();
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(png, ec);
    if (ec) return fail(what + " cannot be read: " + ec.message());
    if (bytes > kMaxBytes) return fail(what + " is larger than 4 MiB");
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, png.c_str()))
        return fail(what + " is not a PNG that can be read (" + image.message + ")");
    if (image.width == 0 || image.height == 0 || image.width > kMaxSide || image.height > kMaxSide) {
        png_image_free(&image);
        return fail(what + " is " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                    " pixels (at most 4096 a side)");
    }
    image.format = PNG_FORMAT_RGBA;
    std::vector<std::uint8_t> full(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, full.data(), 0, nullptr))
        return fail(what + " is damaged (" + image.message + ")");
    int w = static_cast<int>(image.width), h = static_cast<int>(image.height);
    if (w > kMaxContentImageWidth || h > kMaxContentImageWidth) {
        // Box filter down into a kMaxContentImageWidth square: each new pixel the mean of the ones it covers.
        const double k = std::min(double(kMaxContentImageWidth) / w, double(kMaxContentImageWidth) / h);
        const int nw = std::max(1, static_cast<int>(std::lround(w * k))), nh = std::max(1, static_cast<int>(std::lround(h * k)));
        std::vector<std::uint8_t> small(std::size_t(nw) * std::size_t(nh) * 4);
        for (int y = 0; y < nh; ++y) {
            const int y0 = y * h / nh, y1 = std::max(y0 + 1, (y + 1) * h / nh);
            for (int x = 0; x < nw; ++x) {
                const int x0 = x * w / nw, x1 = std::max(x0 + 1, (x + 1) * w / nw);
                unsigned sum[4] = {0, 0, 0, 0};
                for (int sy = y0; sy < y1; ++sy)
                    for (int sx = x0; sx < x1; ++sx)
                        for (int c = 0; c < 4; ++c) sum[c] += full[(std::size_t(sy) * std::size_t(w) + std::size_t(sx)) * 4 + std::size_t(c)];
                const unsigned n = unsigned((y1 - y0) * (x1 - x0));
                for (int c = 0; c < 4; ++c)
                    small[(std::size_t(y) * std::size_t(nw) + std::size_t(x)) * 4 + std::size_t(c)] = static_cast<std::uint8_t>(sum[c] / n);
            }
        }
        full = std::move(small);
        w = nw;
        h = nh;
    }
    return ContentImage{w, h, std::make_shared<const std::vector<std::uint8_t>>(std::move(full))};
}

std::string when_text(const content::ContentItem& item, const Translator& tr, const std::string& lang) {
    std::string when = item.when.get(lang);
    if (!when.empty() || !item.starts_on) return when;
    const Date d = *item.starts_on;
    when = tr.tr(lang, "date.long", {{"weekday", tr.tr(lang, "weekday." + std::to_string(weekday_of(d)))},
                                     {"day", std::to_string(d.day)},
                                     {"month", tr.tr(lang, "month." + std::to_string(d.month))}});
    if (item.starts_minute >= 0) when += ", " + two_digits(item.starts_minute / 60) + ":" + two_digits(item.starts_minute % 60);
    return when;
}

}  // namespace csc::app
