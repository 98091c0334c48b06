// totem_screens.hpp — the information totem (a portrait screen in the waiting area): the
// communication zone's items a page at a time, the clock, today's waits per sector; a queue
// call pre-empts the page for a few seconds.
//
// Contents: TotemView, TotemIntents, TotemPage.
// Contract: the totem role (roles/totem.cpp) rebuilds TotemView before each frame; the page only
// reads it and reports taps through TotemIntents. Texts come from the Translator through
// FrameContext::t(); the item's and the configuration's texts are already in the totem's
// language. Every item says what it is in words (kind), never by colour alone.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/gui/screens/content_card.hpp"
#include "kiosk/gui/screen.hpp"
#include "kiosk/gui/screens/display_screens.hpp"

namespace csc::gui {

/// Everything the totem shows.
struct TotemView {
    std::string town, office;
    std::string time;                ///< "10:42"
    int weekday = 0, day = 1, month = 1;
    bool open = true;                ///< the office is open now
    std::string hours_today;         ///< "08:30–12:30" ("" = closed all day)
    std::optional<ContentCardView> item;  ///< none: the welcome page
    int page = 0, pages = 0;         ///< the item's place in the playlist (0-based) and its length
    std::optional<CallView> call;    ///< a call pre-empting the page (display_screens.hpp's CallView)
    std::vector<BoardSectorView> sectors;
    std::string link_flag;           ///< i18n key of the LAN flag ("" = none)
    std::string lang;                ///< the language shown now
    std::vector<std::pair<std::string, std::string>> languages;  ///< code, own name (the office's)
    bool choosing_language = false;  ///< the language list shows instead of the item
};

/// What a person can do at the totem.
class TotemIntents {
public:
    virtual ~TotemIntents() = default;
    virtual void next_page() = 0;      ///< the next item now
    virtual void previous_page() = 0;  ///< the item before
    virtual void open_languages() = 0;  ///< the list of languages instead of the item (again: closes it)
    virtual void choose_language(const std::string& code) = 0;  ///< the totem in that language for a while
};

/// The totem's one page: header, the item (or the call), page controls, waits per sector.
class TotemPage final : public Screen {
public:
    TotemPage(const TotemView& view, TotemIntents& intents) : view_(view), intents_(intents) {}
    [[nodiscard]] std::string_view name() const override {
        return view_.call ? "call" : view_.choosing_language ? "languages" : view_.item ? "content" : "welcome";
    }

protected:
    void draw_content(FrameContext& ui) override;

private:
    void draw_welcome(FrameContext& ui, ImVec2 min, ImVec2 max);
    void draw_call(FrameContext& ui, const CallView& call, ImVec2 min, ImVec2 max);
    void draw_pager(FrameContext& ui, ImVec2 min, ImVec2 max);
    void draw_language_list(FrameContext& ui, ImVec2 min, ImVec2 max);
    void draw_waits(FrameContext& ui, ImVec2 min, ImVec2 max);

    const TotemView& view_;
    TotemIntents& intents_;
};

}  // namespace csc::gui
