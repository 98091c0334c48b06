// counter.hpp — the counter-terminal role (`kiosk run --role counter --counter N`): the
// operator signs in with a PIN, then calls, recalls, starts, finishes, marks no-shows,
// transfers and pauses (with a reason), by mouse or by keyboard.
//
// Contents: CounterRole, make_counter_role(), counter_window_defaults().
// Contract: PIN checks (argon2id, deliberately slow) and recording actions (an fsync) run on the
// role's worker (app::RoleWorker) and post their results back; the UI thread only reads the
// office under its lock, when the office's event feed names this counter, its sectors' queues
// or the staff (a reset: all again), when (LAN) the stream confirms an own event while the
// desk shows "calling…", and each minute; never on every frame. Which actions are enabled is the state
// machine's verdict (app::counter_actions_allowed). Staff and their lockout come from the store (kiosk/app/staff.hpp): five wrong PINs
// in a row lock that name for five minutes, on every device. A PIN is never logged.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/role_worker.hpp"
#include "kiosk/app/staff.hpp"
#include "kiosk/gui/roles/role.hpp"
#include "kiosk/gui/screens/counter_screens.hpp"

namespace csc::gui {

class CounterRole final : public Role, public CounterIntents {
public:
    CounterRole(RoleEnv& env, int counter);
    ~CounterRole() override;

    // Role
    void update(SteadyTime now) override;
    [[nodiscard]] Screen& screen() override;
    [[nodiscard]] const std::string& lang() const override { return lang_; }
    [[nodiscard]] std::optional<SteadyTime> next_deadline(SteadyTime now) const override;
    [[nodiscard]] std::string state_key() const override;
    [[nodiscard]] nlohmann::json describe() const override;

    // CounterIntents
    void sign_in(const std::string& name, const std::string& pin) override;
    void sign_out() override;
    void act(CounterAction action) override;
    void pause_with(const std::string& reason) override;
    void transfer_to(const std::string& sector) override;
    void close_modal() override;

private:
    struct ActionJob {
        CounterAction action;
        std::string argument;  ///< pause reason / transfer sector
        std::string by;        ///< the signed-in operator
    };
    /// A sign-in's answer, on the UI thread.
    void signed_in(const std::string& name, const Result<app::SignInResult>& r);
    /// The office's event feed: what to read again.
    void take_feed();
    void refresh_view(SteadyTime now);
    void refresh_office();
    void refresh_operators();
    Result<CounterOutcome> run(const ActionJob& job);
    void submit(ActionJob job);

    RoleEnv& env_;
    Office& office_;
    const SiteConfig& config_;
    const CounterConfig& counter_;
    std::string lang_;
    CounterView view_;
    StaffSignIn sign_in_{view_.login, *this, "sign_in"};
    CounterDesk desk_{view_, *this};

    // UI thread.
    std::shared_ptr<EventFeed> feed_;  // the office's applied events (shared/event_feed.hpp)
    bool office_due_ = true, operators_due_ = false;  // read again before the next frame
    int last_minute_ = -1;
    std::optional<Millis> locked_until_;  // wall clock: the sign-in lock of the name last tried
    int actions_done_ = 0;
    int sign_in_attempts_ = 0;  // answered sign-in attempts (tests wait on it)

    // Sign-ins, sign-outs and actions, in order; what is queued is finished when the role ends.
    app::RoleWorker worker_{env_.wake};
};

/// `kiosk run --role counter --counter N`.
Result<std::unique_ptr<Role>> make_counter_role(RoleEnv& env);
/// A compact landscape window on the operator's desktop (1280×800).
WindowDefaults counter_window_defaults(const SiteConfig& config);

}  // namespace csc::gui
