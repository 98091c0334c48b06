// counter_screens.hpp — the counter terminal on the operator's PC: sign-in by PIN, then the
// current ticket, the actions (each with a keyboard shortcut) and the waiting list per sector.
//
// Contents: CounterAction, CounterModal, CounterTicketView, CounterQueueView, CounterView,
// CounterIntents, CounterDesk, action_key_name() (the sign-in: staff_sign_in.hpp).
// Contract: the role controller (roles/counter.cpp) rebuilds CounterView before each frame;
// the screens only read it and call CounterIntents. The PIN typed at sign-in lives only in the
// sign-in screen's buffer until it is handed over, and is wiped right after.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/gui/screen.hpp"
#include "kiosk/gui/screens/staff_sign_in.hpp"
#include "shared/config.hpp"
#include "shared/office_state.hpp"

namespace csc::gui {

/// Everything an operator can do at the counter (one button and one key each).
enum class CounterAction { Call, Recall, Start, Finish, NoShow, Transfer, Pause, Resume, Open, Close };
inline constexpr int kCounterActionCount = 10;
/// "call", "recall", … (stable ids for the layout dump and tests).
[[nodiscard]] const char* action_id(CounterAction a);
/// The keyboard shortcut shown on the button: "F1" …
[[nodiscard]] const char* action_key_name(CounterAction a);

/// A dialog over the desk: which pause reason, which sector to transfer to.
enum class CounterModal { None, Pause, Transfer };

/// The ticket at the counter.
struct CounterTicketView {
    std::string label;         ///< "A042"
    std::string sector_name, service_name, priority_name;
    Rgb colour, text;
    bool serving = false;      ///< false = called, waiting for the citizen
    std::string since;         ///< "10:42": called at / serving since
    int recalls = 0;
};

/// One sector this counter serves, with who waits in it.
struct CounterQueueView {
    std::string id, name, icon;
    Rgb colour, text;
    int waiting = 0;
    std::vector<std::pair<std::string, bool>> first;  ///< next labels in call order, (label, goes first: priority/appointment)
};

/// Everything the counter screens show.
struct CounterView {
    int counter = 0;
    std::string counter_title;   ///< "Sportello 2" or the configured name
    std::string sectors_line;    ///< "Anagrafe, Stato civile"
    std::string time;            ///< "10:42"
    // Sign-in.
    StaffSignInView login;       ///< the sign-in screen's (its title, time and flag are the desk's)
    std::string operator_name;   ///< "" = nobody signed in
    // Desk.
    CounterStatus status = CounterStatus::Closed;
    std::string pause_reason;
    std::optional<CounterTicketView> current;
    std::string next_label;      ///< what "call next" would get ("" = nobody)
    std::vector<CounterQueueView> queues;
    std::vector<std::pair<std::string, std::string>> transfer_targets;  ///< sector id, name
    std::vector<std::pair<std::string, std::string>> pause_reasons;  ///< (i18n key, translated label)
    bool busy = false;           ///< an action is being recorded
    /// LAN: this counter's call is waiting for the office stream's decision (no ticket shown yet).
    bool calling = false;
    Error error;                 ///< the last action's error (empty message = none), translated on the screen
    CounterModal modal = CounterModal::None;
    /// Whether an action makes sense now (others are shown disabled).
    bool enabled[kCounterActionCount] = {};
    std::string link_flag;       ///< i18n key of the LAN flag in the top bar ("" = none)
};

/// What the operator can ask for.
class CounterIntents : public StaffSignInIntents {
public:
    virtual void sign_out() = 0;
    /// Runs an action; Transfer and Pause open their dialog first.
    virtual void act(CounterAction action) = 0;
    virtual void pause_with(const std::string& reason) = 0;
    virtual void transfer_to(const std::string& sector) = 0;
    virtual void close_modal() = 0;
};

/// The desk: current ticket, actions, waiting list, dialogs.
class CounterDesk final : public Screen {
public:
    CounterDesk(const CounterView& view, CounterIntents& intents) : view_(view), intents_(intents) {}
    [[nodiscard]] std::string_view name() const override { return "desk"; }

protected:
    void draw_content(FrameContext& ui) override;

private:
    float draw_top_bar(FrameContext& ui);
    void draw_current(FrameContext& ui, ImVec2 min, ImVec2 max);
    void draw_actions(FrameContext& ui, ImVec2 min, ImVec2 max);
    void draw_queues(FrameContext& ui, ImVec2 min, ImVec2 max);
    void draw_modal(FrameContext& ui);
    void handle_keys();
    const CounterView& view_;
    CounterIntents& intents_;
};

}  // namespace csc::gui
