// feedback_screens.hpp — the small screen beside a counter that asks the citizen just served how
// it went ("Mettiamoci la faccia"): three large faces, for "bad" one reason, then thanks.
//
// Contents: FeedbackStep, FeedbackView, FeedbackIntents, FeedbackScreen.
// Contract: the role (roles/feedback.cpp) rebuilds FeedbackView before each frame; the screen
// only reads it and reports taps through FeedbackIntents. Every text is a catalogue key in the
// citizen's language; each face carries its word, never colour alone.
#pragma once

#include <string>

#include "kiosk/gui/screen.hpp"

namespace csc::gui {

/// Where the exchange is.
enum class FeedbackStep { Idle, Ask, Reasons, Thanks };

/// What the feedback screen shows.
struct FeedbackView {
    FeedbackStep step = FeedbackStep::Idle;
    std::string town, office, time;  ///< header
    std::string link_flag;           ///< i18n key of the LAN flag ("" = none)
    int counter = 0;                 ///< the counter it stands beside
    std::string counter_title;       ///< "Sportello 4" or the configured name
    std::string label;               ///< the ticket just served ("C012"); "" when idle
    bool sending = false;            ///< a rating is being recorded: taps are ignored
    std::string thanks_key = "feedback.thanks";  ///< the thank-you's key (or "web.feedback.already")
};

/// What a tap on the feedback screen asks for.
class FeedbackIntents {
public:
    virtual ~FeedbackIntents() = default;
    /// A face: "good" | "so-so" | "bad".
    virtual void rate(const std::string& rating) = 0;
    /// After "bad": a reason ("waiting" | "staff" | "came-back" | "outcome"; "" = rather not say).
    virtual void give_reason(const std::string& reason) = 0;
};

/// The one screen of the feedback role.
class FeedbackScreen final : public Screen {
public:
    /// Draws `view` (kept by the role) and reports taps to `intents`.
    FeedbackScreen(const FeedbackView& view, FeedbackIntents& intents) : view_(view), intents_(intents) {}
    /// "feedback.idle" | "feedback.ask" | "feedback.reasons" | "feedback.thanks".
    [[nodiscard]] std::string_view name() const override;

protected:
    void draw_content(FrameContext& ui) override;

private:
    const FeedbackView& view_;
    FeedbackIntents& intents_;
};

}  // namespace csc::gui
