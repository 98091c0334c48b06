// content_source.hpp — the communication zone's items as the screens get them: the content
// folder and the [[totem.feed]] feeds, read on one thread of their own and handed over only
// when something changed. The totem and the queue display's ticker each hold one.
//
// Contents: ContentImage, load_content_image(), ContentUpdate, ContentSource, when_text().
// Contract: the folder is read at start and every [totem] refresh_seconds; a folder whose files'
// names, sizes and times did not change is not parsed again; each feed is fetched when its
// refresh_minutes are due (FeedReader, content_feeds.hpp). `on_change` runs on the source's
// thread, at start and after every change (never for a read that changed nothing): the owner
// posts it to its own thread. A folder that cannot be listed is said once per change through
// `on_error`. Stopping (the destructor) interrupts the wait at once; a fetch under way finishes
// first (at most its 20 s timeout).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/app/content_feeds.hpp"
#include "shared/clock.hpp"
#include "shared/content/content_folder.hpp"
#include "shared/i18n.hpp"

namespace csc::app {

/// An item's picture, decoded: RGBA (straight alpha), at most kMaxContentImageWidth a side.
struct ContentImage {
    int width = 0, height = 0;
    std::shared_ptr<const std::vector<std::uint8_t>> rgba;  ///< width × height × 4 bytes
};
/// Wider pictures are scaled down to this (a portrait totem's card is ~1,000 px wide).
inline constexpr int kMaxContentImageWidth = 1024;

/// Reads a PNG (libpng) for a content item: at most 4 MiB and 4096 px a side, scaled down into a
/// kMaxContentImageWidth square (≤ 4 MiB of RGBA); an Error says which file and what is wrong.
[[nodiscard]] Result<ContentImage> load_content_image(const std::filesystem::path& png);

/// What changed: every item now (the folder's, then the fresh feeds') and what is not shown.
struct ContentUpdate {
    std::vector<content::ContentItem> items;
    std::map<std::string, ContentImage> images;  ///< item id → its picture (items with `image` that loaded)
    std::vector<std::string> problems;  ///< rejected files, feeds that failed or went stale, pictures that did not load
};

class ContentSource {
public:
    /// Starts the thread. `cache_dir`: the feeds' last good copies (DATA/content-cache);
    /// `pictures`: decode the items' pictures (not for a ticker, which shows titles only).
    ContentSource(const SiteConfig& config, std::filesystem::path cache_dir, const Clock& clock,
                  std::function<void(ContentUpdate)> on_change, std::function<void(std::string)> on_error,
                  bool pictures = true);
    /// Stops and joins the thread.
    ~ContentSource();
    ContentSource(const ContentSource&) = delete;
    ContentSource& operator=(const ContentSource&) = delete;

private:
    void loop();
    /// The folder's items when it changed since the last read (nullopt: unchanged or unreadable).
    std::optional<content::ContentFolder> read_folder(std::string& error);

    const SiteConfig& config_;
    const Clock& clock_;
    std::function<void(ContentUpdate)> on_change_;
    std::function<void(std::string)> on_error_;
    bool pictures_ = true;
    FeedReader feeds_;
    std::string fingerprint_;
    content::ContentFolder folder_;
    std::map<std::string, ContentImage> images_;   // the folder's items' pictures, read with the folder
    std::vector<std::string> image_problems_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

/// When an item happens, in `lang`: its `when` text, else an event's start told as "sabato 5
/// dicembre, 10:00" (the catalogue's date.long), else "".
[[nodiscard]] std::string when_text(const content::ContentItem& item, const Translator& tr, const std::string& lang);

}  // namespace csc::app
