// totem.hpp — the information-totem role (`kiosk run --role totem`, portrait, in the waiting
// area): the communication zone's items a page at a time (docs/CONTENT.md), the clock, today's
// waits per sector; a queue call pre-empts the page for [totem] call_seconds.
//
// Contents: TotemRole, make_totem_role(), totem_window_defaults().
// Contract: the content folder and the feeds are read by an app::ContentSource (its own thread;
// nothing unchanged wakes the screen) and the forecasts
// are made on the outlook worker (app::RoleWorker each); both post their results back. What
// shows is a content::ContentPlayer's (playlist_at() at the office's local time), asked again at every page turn,
// every minute and on every change of the folder: the role never re-derives a schedule. A
// rejected file is logged once (per change of the folder) with its reason, never shown.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/content_source.hpp"
#include "kiosk/app/role_worker.hpp"
#include "kiosk/gui/roles/content_cards.hpp"
#include "kiosk/gui/roles/role.hpp"
#include "kiosk/gui/screens/totem_screens.hpp"
#include "shared/content/content_folder.hpp"
#include "shared/content/content_player.hpp"

namespace csc::gui {

class TotemRole final : public Role, public TotemIntents {
public:
    explicit TotemRole(RoleEnv& env);
    ~TotemRole() override;

    void update(SteadyTime now) override;
    [[nodiscard]] Screen& screen() override { return page_; }
    [[nodiscard]] const std::string& lang() const override { return lang_; }
    [[nodiscard]] std::optional<SteadyTime> next_deadline(SteadyTime now) const override;
    /// A page turn, a call or a worker's result is applied in update(): one frame shows it
    /// (input still gets the frame loop's three).
    [[nodiscard]] int frames_per_wake() const override { return 1; }
    [[nodiscard]] std::string state_key() const override;
    [[nodiscard]] nlohmann::json describe() const override;

    void next_page() override;
    void previous_page() override;
    void open_languages() override;
    void choose_language(const std::string& code) override;

private:
    void take_content(app::ContentUpdate update);
    void ask_outlook();
    void take_outlook(const std::vector<SectorOutlook>& outlook);
    void take_calls(const std::vector<FeedItem>& items, SteadyTime now);
    void refresh_clock(SteadyTime now);
    [[nodiscard]] LocalTime local_now() const;
    void show_page();  ///< the view of the player's item

    RoleEnv& env_;
    Office& office_;
    const SiteConfig& config_;
    std::string lang_;
    TotemView view_;
    TotemPage page_{view_, *this};

    std::vector<std::string> rejected_;        // reasons, for the layout dump
    content::ContentPlayer player_{std::chrono::seconds(env_.ctx.config.totem.page_seconds)};
    std::optional<SteadyTime> call_until_;
    std::optional<SteadyTime> lang_until_;     // a chosen language (or the open list) until then, then the office's first
    std::string default_lang_;
    int last_minute_ = -1;
    int reads_ = 0;                            // content folders taken (changed ones)
    ContentCards cards_;  // the items' views, QR codes made once
    std::shared_ptr<EventFeed> feed_;

    app::RoleWorker content_worker_{env_.wake, app::RoleWorker::OnStop::Drop};
    app::RoleWorker outlook_worker_{env_.wake, app::RoleWorker::OnStop::Drop};
    // The folder and feeds, read on their own thread; a change is posted to content_worker_'s
    // inbox (an unchanged folder costs no frame). Declared last: stopped first.
    std::unique_ptr<app::ContentSource> source_;
};

/// `kiosk run --role totem`.
Result<std::unique_ptr<Role>> make_totem_role(RoleEnv& env);
/// Portrait; fullscreen unless [totem] fullscreen = false.
WindowDefaults totem_window_defaults(const SiteConfig& config);

}  // namespace csc::gui
