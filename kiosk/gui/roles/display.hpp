// display.hpp — the queue-display role (a TV in the waiting room): latest calls, waiting and
// forecast per sector, date and clock, a news line ([display] ticker, or today's hours and what
// the communication zone plays now: docs/CONTENT.md); each new call (and recall) is announced
// with a chime and a spoken call, in Italian and in the citizen's language.
//
// Contents: DisplayRole, make_display_role(), display_window_defaults().
// Contract: calls and recalls come from the office's event feed; the UI thread reads the office
// under its lock (briefly) only for the tickets they name; the
// forecast (Monte Carlo) runs on the outlook worker and the speech synthesis and playback on
// the sound worker (app::RoleWorker each), and both post their results back. Calls already made when the display
// starts are shown, not announced.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drivers/audio/audio_player.hpp"
#include "kiosk/app/content_source.hpp"
#include "kiosk/app/role_worker.hpp"
#include "kiosk/gui/roles/content_cards.hpp"
#include "kiosk/gui/roles/role.hpp"
#include "kiosk/gui/screens/display_screens.hpp"
#include "shared/content/content_player.hpp"

namespace csc::gui {

class DisplayRole final : public Role {
public:
    explicit DisplayRole(RoleEnv& env);
    ~DisplayRole() override;

    void update(SteadyTime now) override;
    [[nodiscard]] Screen& screen() override { return board_; }
    [[nodiscard]] const std::string& lang() const override { return lang_; }
    [[nodiscard]] std::optional<SteadyTime> next_deadline(SteadyTime now) const override;
    [[nodiscard]] int frames_per_wake() const override { return 1; }  // no input: one frame per change
    [[nodiscard]] std::string state_key() const override;
    [[nodiscard]] nlohmann::json describe() const override;

    [[nodiscard]] const DisplayView& view() const { return view_; }

private:
    /// What the role remembers of a ticket's last call, to notice new calls and recalls.
    struct Seen {
        Millis called_at = 0;
        int counter = 0;
        int recalls = 0;
    };
    /// One call in the board's order (newest first), kept by the role so a recall moves it up.
    struct ShownCall {
        std::string ticket_id;
        bool recalled = false;
    };
    struct Announcement {
        std::string label;
        int counter = 0;
        std::string lang;  ///< the citizen's language ("" or Italian = Italian only)
        SteadyTime noticed;
    };
    struct SoundDone {
        std::string label;
        double seconds = 0;
        std::string note;     ///< fallback or error, for the log
        bool failed = false;
        double noticed_to_sound_ms = 0;
    };

    /// A call or recall to show (and announce).
    struct Noticed {
        Millis at = 0;
        std::string id, label, lang;
        int counter = 0;
        bool recall = false;
    };
    /// Compares every ticket's call with what was seen (at start, and after a reset).
    void scan_calls(SteadyTime now, bool announce);
    /// The calls and recalls among events from the office's feed.
    void take_calls(const std::vector<FeedItem>& items, SteadyTime now);
    void show_calls(const std::vector<Noticed>& noticed, SteadyTime now, bool announce);
    void rebuild_calls();
    void refresh_clock(SteadyTime now);
    /// Without a configured ticker: today's hours, then what the communication zone plays now.
    void rebuild_ticker();
    void ask_outlook();                     ///< the forecasts again, on the outlook worker
    void take_outlook(const std::vector<SectorOutlook>& outlook);
    void announce_call(const Announcement& a);  ///< queues a call's sound on the sound worker
    [[nodiscard]] SoundDone sound(const Announcement& a);  ///< on the sound worker
    void take_sound(const SoundDone& d);
    [[nodiscard]] Result<audio::Pcm> synthesize(const Announcement& a, std::vector<std::string>& notes) const;

    RoleEnv& env_;
    Office& office_;
    const SiteConfig& config_;
    std::string lang_;
    DisplayView view_;
    DisplayBoard board_{view_};

    // UI-thread controller state.
    std::map<std::string, Seen> seen_;
    std::vector<ShownCall> shown_;
    std::shared_ptr<EventFeed> feed_;  // the office's applied events (shared/event_feed.hpp)
    std::optional<SteadyTime> highlight_start_;
    SteadyTime ticker_since_{};
    int last_minute_ = -1;
    bool default_ticker_ = false;  // no [display] ticker: today's opening hours and the content's titles
    std::vector<content::ContentItem> content_items_;  // the communication zone (default ticker or side panel)
    content::ContentPlayer panel_player_;  // [display] side_panel: its pages, as the totem turns them
    ContentCards panel_cards_;
    /// The side panel's item (view_.panel_item) from the player, in the display's language.
    void show_panel_item();
    int calls_noticed_ = 0, sounds_done_ = 0;
    std::string last_sound_note_;
    double last_sound_seconds_ = 0;
    double last_sound_ms_ = 0;  // call noticed → its sound synthesized (and handed to the player)

    std::unique_ptr<audio::AudioPlayer> player_;  // null with --sound-file
    // The forecasts (coalesced: only the newest request runs); the calls' sounds in order, those
    // not yet started dropped when the role ends.
    app::RoleWorker outlook_worker_{env_.wake};
    app::RoleWorker sound_worker_{env_.wake, app::RoleWorker::OnStop::Drop};
    // The content folder and feeds for the default ticker (their changes posted to the outlook
    // worker's inbox); none with a configured ticker. Declared last: stopped first.
    std::unique_ptr<app::ContentSource> content_;
};

/// `kiosk run --role display`.
Result<std::unique_ptr<Role>> make_display_role(RoleEnv& env);
/// Landscape; fullscreen unless [display] fullscreen = false.
WindowDefaults display_window_defaults(const SiteConfig& config);

}  // namespace csc::gui
