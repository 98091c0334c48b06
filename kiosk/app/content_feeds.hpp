// content_feeds.hpp — the town's calendar (iCalendar) and news (RSS 2.0 or Atom) as content
// items for the totem (issue 13 point 2, docs/CONTENT.md "Feeds"): fetched over HTTP(S), the
// last good copy cached in the data folder, so an offline totem still shows it, and hidden once
// it is older than the feed's freshness limit.
//
// Contents: parse_ical_feed(), parse_news_feed(), parse_feed(), fetch_url(), FeedState, FeedReader.
// Contract: the parsers are pure functions of the text, the feed's settings, the office's zone
// and the time (libical, libxml2 without network or entity expansion); a bad feed is an Error
// naming the feed and what is wrong, never a crash (fuzzed: tests/fuzz). A feed that cannot be
// fetched or parsed keeps its last good copy; a copy older than max_age_hours shows nothing.
// Texts are cut to the content limits (a title of 80 characters, a body of 600).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "shared/config.hpp"
#include "shared/content/content_item.hpp"
#include "shared/result.hpp"

namespace csc::app {

/// Most items taken from one feed (the nearest events, the newest news).
inline constexpr std::size_t kMaxFeedItems = 30;
/// Largest feed fetched or parsed.
inline constexpr std::size_t kMaxFeedBytes = 4u << 20;

/// The events of an iCalendar text still to come at `now` (each shown from lead_days before it).
[[nodiscard]] Result<std::vector<content::ContentItem>> parse_ical_feed(std::string_view text, const TotemFeed& feed,
                                                                         const OfficeTimeZone& tz, Millis now);
/// The news of an RSS 2.0 or Atom text published within keep_days of `now`.
[[nodiscard]] Result<std::vector<content::ContentItem>> parse_news_feed(std::string_view text, const TotemFeed& feed,
                                                                         const OfficeTimeZone& tz, Millis now);
/// parse_ical_feed or parse_news_feed by feed.format.
[[nodiscard]] Result<std::vector<content::ContentItem>> parse_feed(std::string_view text, const TotemFeed& feed,
                                                                    const OfficeTimeZone& tz, Millis now);

/// GET `url` (http/https, ≤ 3 redirects, `timeout_s`, at most kMaxFeedBytes); Error with what failed.
[[nodiscard]] Result<std::string> fetch_url(const std::string& url, long timeout_s = 20);

/// What the totem knows of one feed.
struct FeedState {
    std::vector<content::ContentItem> items;  ///< from the last good copy, if fresh
    Millis last_good = 0;                     ///< when the copy shown was fetched (0 = never)
    bool stale = false;                       ///< the last good copy is older than max_age_hours: nothing shown
    std::string problem;                      ///< the last fetch's or parse's failure ("" = none)
};

/// The feeds of [totem], fetched when due; the last good copy of each in `cache_dir`.
class FeedReader {
public:
    /// `fetch`: how a URL is read (fetch_url; tests give their own).
    FeedReader(std::vector<TotemFeed> feeds, std::filesystem::path cache_dir, OfficeTimeZone tz,
               std::function<Result<std::string>(const std::string&)> fetch);
    /// Fetches the feeds that are due at `now` (all on the first call; none with `fetch_due`
    /// false: the service menu's look at the copies), re-reads every copy's items at `now`;
    /// true when any feed's items or state changed.
    bool refresh(Millis now, bool fetch_due = true);
    /// Every feed's state, by name.
    [[nodiscard]] const std::map<std::string, FeedState>& states() const { return states_; }
    /// The items of every fresh feed.
    [[nodiscard]] std::vector<content::ContentItem> items() const;

private:
    std::vector<TotemFeed> feeds_;
    std::filesystem::path cache_dir_;
    OfficeTimeZone tz_;
    std::function<Result<std::string>(const std::string&)> fetch_;
    std::map<std::string, FeedState> states_;
    std::map<std::string, Millis> next_fetch_;
};

}  // namespace csc::app
