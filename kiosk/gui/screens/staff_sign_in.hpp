// staff_sign_in.hpp — a staff member signs in on a screen: picks their name, types their PIN
// (digits only, never shown), Enter; the counter terminal and the service menu use it.
//
// Contents: StaffSignInView, StaffSignInIntents, StaffSignIn.
// Contract: the role rebuilds StaffSignInView before each frame; the screen only reads it and
// calls StaffSignInIntents. The PIN typed lives only in the screen's buffer until it is handed
// over, and is wiped right after (and when the screen goes).
#pragma once

#include <string>
#include <vector>

#include "kiosk/gui/screen.hpp"

namespace csc::gui {

/// What the sign-in screen shows.
struct StaffSignInView {
    std::string title;                          ///< the top bar's ("Sportello 2", "Menu di servizio")
    std::string subtitle;                       ///< beside the title, smaller ("" = none; the office)
    bool users_icon = false;                    ///< the staff icon before the title (the Info Point)
    std::string time;                           ///< "10:42"
    std::string link_flag;                      ///< i18n key of the LAN flag ("" = none)
    // The words (i18n keys): each place may say them its own way.
    std::string heading_key = "counter.login";
    std::string none_key = "counter.login.none";  ///< said when nobody may sign in here
    std::string choose_key = "counter.login.choose";
    std::string pin_key = "counter.login.pin";
    std::string enter_key = "counter.login.enter";
    std::string checking_key = "counter.login.checking";
    std::string notice;                         ///< i18n key of a line when nothing else is said ("signed out after …")
    std::vector<std::string> operators;         ///< who may sign in here
    bool checking_pin = false;
    bool wrong_pin = false;
    int locked_seconds = 0;                     ///< > 0: too many wrong PINs, wait
    bool can_cancel = false;                    ///< a "Back" button (cancel_sign_in)
};

/// What the person at the sign-in can ask for.
class StaffSignInIntents {
public:
    virtual ~StaffSignInIntents() = default;
    /// Checks the PIN (off the UI thread); the caller wipes its buffer right after.
    virtual void sign_in(const std::string& name, const std::string& pin) = 0;
    /// "Back" (only with can_cancel).
    virtual void cancel_sign_in() {}
};

/// Choose the name, type the PIN, Enter.
class StaffSignIn final : public Screen {
public:
    /// `name`: the screen's name in the layout dump ("sign_in", "service_sign_in").
    StaffSignIn(const StaffSignInView& view, StaffSignInIntents& intents, std::string name)
        : view_(view), intents_(intents), name_(std::move(name)) {}
    ~StaffSignIn() override;
    [[nodiscard]] std::string_view name() const override { return name_; }
    /// Forgets the name chosen and the digits typed (a new visit of the screen).
    void reset();

protected:
    void draw_content(FrameContext& ui) override;

private:
    void submit();
    const StaffSignInView& view_;
    StaffSignInIntents& intents_;
    std::string name_;
    int selected_ = -1;
    char pin_[16] = {};
    int attempt_ = 0;
    bool focus_pin_ = true;
    bool pin_active_ = false;     // the PIN field had the keyboard in the last frame
    int pin_active_attempt_ = 0;  // ... the field of that attempt
};

}  // namespace csc::gui
