// infopoint.hpp — the Info Point role (`kiosk run --role infopoint`): staff in assisted mode on
// the info point's own landscape screen. Sign-in with the member's own PIN (infopoint role),
// automatic sign-out after [infopoint] idle_sign_out_s without a touch or key (a countdown for
// the last countdown_s seconds); tickets for a citizen (any sector and service, priority
// classes), reprint, cancel with a reason; the live queues, counters and today's agenda; search
// by number; booking, check-in, cancel, move and no-show through kiosk/app/booking.
//
// Contents: InfopointRole, make_infopoint_role(), infopoint_window_defaults().
// Contract: PIN checks, recording and booking run on the role's worker (app::RoleWorker), the
// queues' forecasts on a second one; printing on its PrintSpooler (the role's printer:
// --printer, else [infopoint] printer, else [printer]). Every recorded action carries the
// signed-in member as `by`. A result that comes back after the member signed out is dropped
// (the worker's session): the next session starts from an empty view. The view is read again
// when the office's event feed says what it shows changed (a reset: all), and each minute.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "kiosk/app/crs_pin.hpp"
#include "kiosk/app/role_worker.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"
#include "kiosk/gui/roles/role.hpp"
#include "kiosk/gui/screens/infopoint_screens.hpp"

namespace csc::gui {

class InfopointRole final : public Role, public InfopointIntents {
public:
    explicit InfopointRole(RoleEnv& env);
    ~InfopointRole() override;

    // Role
    void update(SteadyTime now) override;
    [[nodiscard]] Screen& screen() override;
    [[nodiscard]] const std::string& lang() const override { return lang_; }
    [[nodiscard]] std::optional<SteadyTime> next_deadline(SteadyTime now) const override;
    [[nodiscard]] std::string state_key() const override;
    [[nodiscard]] app::PrintSpooler* spooler() override { return spooler_.get(); }
    [[nodiscard]] nlohmann::json describe() const override;
    [[nodiscard]] bool capture_allowed() const override;

    // InfopointIntents
    void activity() override;
    void sign_in(const std::string& name, const std::string& pin) override;
    void sign_out() override;
    void show_tab(InfoTab tab) override;
    void choose_sector(const std::string& id) override;
    void choose_service(const std::string& id) override;
    void choose_priority(const std::string& id) override;
    void choose_print_at(bool entrance) override;
    void issue_ticket() override;
    void reprint(const std::string& ticket_id) override;
    void ask_cancel(const std::string& ticket_id) override;
    void cancel_with(const std::string& reason_key) override;
    void close_dialog() override;
    void search(const std::string& query) override;
    void check_in(const std::string& code) override;
    void no_show(const std::string& code) override;
    void walk_in(const std::string& code) override;
    void cancel_booking(const std::string& code) override;
    void start_move(const std::string& code) override;
    void choose_book_service(const std::string& id) override;
    void choose_slot(const std::string& id) override;
    void book(const std::string& name, const std::string& contact) override;
    // CRS PIN and forms (roles/infopoint_crs.cpp)
    void crs_next(const CrsPinForm& form) override;
    void crs_digit(char digit) override;
    void crs_backspace() override;
    void crs_select_field(int field) override;
    void crs_back() override;
    void crs_release() override;
    void crs_new() override;
    void crs_bring_slip() override;
    void choose_form(const std::string& id) override;
    void print_form(const std::string& id) override;
    void form_handed_out(const std::string& id) override;

private:
    using Task = std::function<void()>;
    /// Runs `work` on the worker; its result (a closure) is applied on the UI thread if the
    /// same session is still signed in.
    /// `wake_again`: wake the loop a second time a little later (a sign-in's answer: a lost
    /// glfwPostEmptyEvent would otherwise wait for the next poll).
    void run(std::function<Task()> work, bool wake_again = false);
    void end_session(const char* notice);  ///< the view emptied, session bumped
    /// The office's event feed: which parts of the view to read again.
    void take_feed();
    void ask_outlook();  ///< the sectors' waiting counts and forecasts, on the outlook worker
    void done(const Error* e, std::string notice = {}, std::vector<std::pair<std::string, std::string>> args = {});
    void refresh_view(SteadyTime now);
    void refresh_office();
    void refresh_slots();
    [[nodiscard]] std::optional<InfoTicketView> ticket_view(const std::string& id) const;
    void print_ticket(const std::string& ticket_id, bool reprint);
    /// The card's print state from the office's print request (asked at the entrance kiosk).
    void follow_print_request(InfoTicketView& t, const OfficeState& st) const;
    void on_printed(const app::PrintReport& r, SteadyTime at);
    // CRS PIN and forms (roles/infopoint_crs.cpp).
    void fill_crs_and_forms();   ///< the static parts of the view (accepted documents, digits, forms)
    /// Digits wiped, the request dropped — at once if the worker is not printing with them, else
    /// by the worker as soon as it is done (the UI thread never waits for the printer).
    void crs_forget();
    void crs_wipe_locked();      ///< the wiping itself, crs_mutex_ held
    void crs_count();            ///< view_.crs_*_typed from the digits
    /// "printing" until the spooler reported on `id`, then "printed" | "failed".
    [[nodiscard]] std::string print_state_of(const std::string& id) const;
    /// A booking's ticket (check-in or walk-in) shown as the last one, with `notice`.
    void show_booking_ticket(const IssuedTicket& t, const char* notice);

    RoleEnv& env_;
    Office& office_;
    const SiteConfig& config_;
    std::string lang_;
    InfopointView view_;
    StaffSignIn sign_in_screen_{view_.login, *this, "sign_in"};
    InfopointTickets tickets_screen_{view_, *this};
    InfopointQueues queues_screen_{view_, *this};
    InfopointAgenda agenda_screen_{view_, *this};
    InfopointBook book_screen_{view_, *this};
    InfopointCrsPin crs_screen_{view_, *this};
    InfopointForms forms_screen_{view_, *this};

    // UI thread.
    std::chrono::seconds idle_after_{180}, countdown_for_{20};
    SteadyTime last_activity_{};
    SteadyTime session_started_{};            // the last sign-in or sign-out (a few frames follow it)
    std::optional<Millis> locked_until_;
    std::shared_ptr<EventFeed> feed_;   // the office's applied events (shared/event_feed.hpp)
    bool office_due_ = true;            // read the view again before the next frame
    std::uint64_t office_reads_ = 0;    // how often it was (the layout dump's key follows it)
    std::vector<SectorOutlook> outlook_;  // the last waiting counts and forecasts
    int last_minute_ = -1;
    int sign_in_attempts_ = 0, actions_done_ = 0, prints_done_ = 0, sign_outs_ = 0;
    std::string last_print_;                      // id of the last job reported ("" = none)
    std::string last_print_png_;                  // its paper (emulated printer), for tests
    std::map<std::string, std::pair<std::string, SteadyTime>> print_outcomes_;  // this session's reports by job id
    SteadyTime tapped_{};                         // the last issue tap (benchmark)
    std::optional<double> last_tap_to_print_ms_;  // issue tap → its print report
    std::string timed_ticket_;                    // the ticket whose print is timed
    SteadyTime sign_in_tap_{};                    // Enter / the sign-in button (benchmark)
    mutable bool usable_pending_ = false;         // signed in, first frame not yet presented
    mutable std::optional<double> sign_in_to_usable_ms_;
    // Where a sign-in's time goes (benchmark, the layout dump's sign_in_parts_ms): the tap → the
    // worker starts; app::sign_in (argon2id + the event committed); its answer → applied on the
    // UI thread; the new view built (end_session + refresh); → the first frame presented.
    struct SignInParts {
        double queued = 0, check = 0, posted = 0, view = 0, frame = 0;
    };
    mutable SignInParts sign_in_parts_;
    SteadyTime sign_in_view_ready_{};
    bool sign_in_view_pending_ = false;

    // CRS PIN: the checked request and the digits typed. The digits are in locked memory
    // (app::SecretDigits); the worker uses them while printing, under crs_mutex_.
    std::mutex crs_mutex_;
    std::optional<app::CrsPinRequest> crs_request_;
    app::CrsPinDigits crs_digits_;
    std::atomic<bool> crs_forget_asked_{false};  // set before trying the lock: the worker wipes if the UI could not

    std::unique_ptr<app::PrintSpooler> spooler_;
    // Sign-ins, actions, bookings in order (a session's results dropped once it ended); the
    // forecasts apart, coalesced. Both finish what is queued when the role ends.
    app::RoleWorker worker_{env_.wake};
    app::RoleWorker outlook_worker_{env_.wake};
};

/// `kiosk run --role infopoint`.
Result<std::unique_ptr<Role>> make_infopoint_role(RoleEnv& env);
/// Landscape; fullscreen as [infopoint] says, else a 1600×900 window.
WindowDefaults infopoint_window_defaults(const SiteConfig& config);

}  // namespace csc::gui
