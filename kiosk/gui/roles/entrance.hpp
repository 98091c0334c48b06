// entrance.hpp — the entrance-kiosk role: home → (services) → confirmation; with bookable
// services also booking (service → day → time → name → review → receipt) and check-in; the
// tickets the Info Point asks to print here (print.requested "entrance", kiosk/app/print_requests).
//
// Contents: EntranceRole.
// Contract: the UI thread only reads the office (under its lock, briefly) and queues requests;
// recording a ticket, a hold, a booking or a check-in (an fsync with synchronous=FULL, or the
// LAN stream's answer) runs on the role's worker (app::RoleWorker) and printing on the
// PrintSpooler's thread, and both post their results back; the sectors' waiting counts and
// forecasts (Office::sector_outlook, a simulation) run on a second worker, asked again only
// when the office's event feed says a queue changed (a reset: read again), or the minute turns. A ticket or booking is on disk before anything is printed; a
// failed print leaves it recorded and shown on screen (number or code, with its QR). A place
// held for a citizen is given back when they go back from the name step or leave.
// A print request is taken from the office's event feed (and, at start or after a reset, from
// the state), claimed on the worker, printed by the spooler, and its outcome recorded: it prints
// once, whichever entrance kiosk claims it first (roles/entrance_print_requests.cpp).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "kiosk/app/content_source.hpp"
#include "drivers/audio/headset_jack.hpp"
#include "drivers/audio/speech_output.hpp"
#include "kiosk/app/role_worker.hpp"
#include "kiosk/app/speech_guide.hpp"
#include "kiosk/gui/roles/content_cards.hpp"
#include "kiosk/gui/roles/role.hpp"
#include "kiosk/gui/screens/entrance_screens.hpp"
#include "shared/content/content_player.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"

namespace csc::gui {

class EntranceRole final : public Role, public EntranceIntents {
public:
    /// Starts the worker and the print spooler; the office must be open in env.ctx.
    explicit EntranceRole(RoleEnv& env);
    ~EntranceRole() override;

    // Role
    void update(SteadyTime now) override;
    [[nodiscard]] Screen& screen() override;
    [[nodiscard]] const std::string& lang() const override { return lang_; }
    [[nodiscard]] std::optional<SteadyTime> next_deadline(SteadyTime now) const override;
    [[nodiscard]] std::string state_key() const override;
    [[nodiscard]] app::PrintSpooler* spooler() override { return spooler_.get(); }
    [[nodiscard]] nlohmann::json describe() const override;
    [[nodiscard]] app::SpeechGuide* speech_guide() override { return voice_ ? &guide_ : nullptr; }
    void after_frame() override;

    // EntranceIntents
    void choose_sector(const std::string& sector) override;
    void choose_service(const std::string& sector, const std::string& service) override;
    void choose_language(const std::string& lang) override;
    void open_languages() override;
    void go_home() override;
    void activity() override;
    void toggle_contrast() override;
    void toggle_large_text() override;
    [[nodiscard]] bool large_text() const override { return view_.large_text; }
    void leave_attract() override;
    // Forms and "what to bring" (roles/entrance_forms_flow.cpp)
    void open_forms() override;
    void choose_form_group(const std::string& id) override;
    void choose_kiosk_form(const std::string& id) override;
    void choose_bring(const std::string& service) override;
    void print_chosen() override;
    void forms_back() override;

    // BookingIntents (roles/entrance_booking.cpp)
    void start_booking() override;
    void start_check_in() override;
    void keys_typed(const std::string& utf8, bool enter) override;
    void choose_booking_service(const std::string& id) override;
    void turn_calendar(int pages) override;
    void choose_day(const std::string& id) override;
    void choose_time(const std::string& id) override;
    void keyboard_text(const std::string& utf8) override;
    void keyboard_backspace() override;
    void keyboard_shift() override;
    void keyboard_field(int field) override;
    void booking_next() override;
    void booking_confirm() override;
    void booking_back() override;
    void still_here() override;
    void check_in_key(char c) override;
    void check_in_backspace() override;
    void check_in_submit() override;
    void manage_cancel() override;
    void manage_cancel_confirmed() override;
    void manage_move() override;

    enum class Page { Home, Attract, Languages, Services, Confirm, BookService, BookDay, BookTime, BookName, BookReview, BookDone, CheckIn, CheckInDone, Manage, Forms };
    [[nodiscard]] Page page() const { return page_; }
    [[nodiscard]] const EntranceView& view() const { return view_; }
    /// Milliseconds from the tap to the print report of the last ticket (the last byte was
    /// handed to the transport and its status read), if it was printed.
    [[nodiscard]] std::optional<double> last_tap_to_print_ms() const { return last_tap_to_print_ms_; }

private:
    struct IssueJob {
        int job = 0;
        IssueRequest request;
        SteadyTime tapped;
    };
    struct Issued {
        int job = 0;
        IssuedTicket ticket;
        std::string qr_data;
        std::string spoken;  // the paper's text as a voice reads it
    };
    struct NotIssued {
        int job = 0;
        std::string message;
    };
    struct Printed {
        app::PrintReport report;
        SteadyTime at;
    };
    /// What the worker did for the booking and check-in flows.
    struct BookingOutcome {
        enum class Kind { Hold, Book, CheckIn, Found, Cancel, Move } kind = Kind::Hold;
        int job = 0;
        bool ok = false;
        std::string error_code, error_message;  ///< when not ok
        ErrorArgs error_args;                   ///< the error code's arguments ("time" of booking.too_early, …)
        std::string hold;                       ///< Hold: the hold's id
        std::optional<Booking> booking;         ///< Book, Move, Cancel: as recorded; Found: as found
        std::optional<IssuedTicket> ticket;     ///< CheckIn: the appointment ticket
        std::string masked_name;                ///< CheckIn: the booking's name, masked
    };
    using Posted = std::variant<Issued, NotIssued, Printed, BookingOutcome>;

    void issue(const std::string& sector, const std::string& service);
    void issue_now(const IssueJob& job);          ///< on the worker: records the ticket, hands it to the spooler
    void post(Posted p);                          ///< from the worker or the spooler: taken on the UI thread
    void take_posted(Posted& p, SteadyTime now);  ///< UI thread
    /// UI thread: the office's event feed; the sectors' counts follow what it says changed.
    void take_feed();
    void ask_outlook();                           ///< the sectors' waiting counts and forecasts, off the UI thread
    void refresh_view(SteadyTime now);
    void refresh_sectors();
    [[nodiscard]] int sector_index(const std::string& id) const;

    // Forms and "what to bring" (roles/entrance_forms_flow.cpp).
    void build_forms();                          ///< view_.forms.groups from the catalogue, in lang_
    bool take_forms_print(const Printed& p);     ///< a form slip's or list's report
    [[nodiscard]] nlohmann::json describe_forms() const;  ///< the layout dump's "forms"

    // Print requests from the Info Point (roles/entrance_print_requests.cpp).
    /// From the feed's items (or, rescan, the state): claims queued.
    void take_print_requests(const std::vector<FeedItem>& items, bool rescan);
    void claim_and_print(const std::string& request);    ///< on the worker
    bool take_requested_print(const Printed& p);         ///< a report of one: its outcome recorded

    // Booking and check-in (roles/entrance_booking.cpp).
    void take(BookingOutcome& o, SteadyTime now);
    bool take_print(const Printed& p, SteadyTime now);  ///< a booking receipt's or check-in ticket's report
    void leave_booking();                               ///< gives the hold back, forgets the flow
    void touch_booking();                               ///< a tap: the inactivity timer starts again
    void build_calendar();
    void build_times();
    void back_to_times();                               ///< the held place given back, the time step again
    void offer_alternatives(const std::string& notice);
    void submit_check_in();
    void fill_booking_services();                       ///< view_.booking.services, in lang_
    void show_found(const Booking& b, Millis now);     ///< the Manage page for a booking found by code
    void update_booking(SteadyTime now);
    [[nodiscard]] bool in_booking_flow() const;
    /// A page with a time limit (services, languages, forms, the booking steps): untouched for
    /// idle_warn_after_, it warns on screen with "More time"; idle_warn_for_ later it goes home.
    [[nodiscard]] bool idle_timed() const;
    /// The end of a visit: the next citizen starts in the office's first language, normal contrast.
    void reset_visit_settings();
    bool sectors_contrast_ = false;  // the contrast view_.sectors' colours were made for
    [[nodiscard]] std::optional<SteadyTime> booking_deadline(SteadyTime now) const;
    [[nodiscard]] std::string booking_key() const;
    [[nodiscard]] nlohmann::json describe_booking() const;

    RoleEnv& env_;
    Office& office_;
    const SiteConfig& config_;
    std::string default_lang_, lang_;
    Page page_ = Page::Home;
    EntranceView view_;
    EntranceHome home_{view_, *this};
    EntranceAttract attract_screen_{view_, *this};
    EntranceLanguages languages_screen_{view_, *this};
    EntranceServices services_{view_, *this};
    EntranceConfirm confirm_{view_, *this};
    EntranceBookService book_service_screen_{view_, *this};
    EntranceBookDay book_day_screen_{view_, *this};
    EntranceBookTime book_time_screen_{view_, *this};
    EntranceBookName book_name_screen_{view_, *this};
    EntranceBookReview book_review_screen_{view_, *this};
    EntranceBookDone book_done_screen_{view_, *this};
    EntranceCheckIn check_in_screen_{view_, *this};
    EntranceCheckInDone check_in_done_screen_{view_, *this};
    EntranceManageBooking manage_screen_{view_, *this};
    EntranceForms forms_screen_{view_, *this};

    // Controller state (UI thread).
    std::string sectors_lang_;
    std::vector<SectorOutlook> outlook_;   // the last waiting counts and forecasts (outlook worker)
    bool outlook_due_ = true;              // the feed said the queues changed: ask again
    int next_job_ = 0, current_job_ = 0;
    std::string current_ticket_id_;
    SteadyTime current_tap_{};
    std::optional<SteadyTime> confirm_deadline_;
    int confirm_base_s_ = 8;   // [kiosk] confirm_seconds
    int confirm_total_s_ = 8;  // that, or longer in speech mode (the ticket is read aloud)
    std::optional<double> last_tap_to_print_ms_;
    int last_minute_ = -1;

    // Booking and check-in state (UI thread).
    std::string book_service_;                 // bookable service id
    std::optional<Date> book_day_;
    std::string hold_;                         // the live hold's id ("" = none)
    std::optional<Millis> book_slot_;
    std::string booking_code_;                 // booked: the bare code
    std::optional<Booking> managed_;           // Manage page / moving: the booking found by its code
    std::string book_print_id_;                // "booking:CODE" while its receipt prints
    int booking_job_ = 0;                      // the outcome the flow waits for (0 = none)
    SteadyTime last_touch_{};
    std::optional<SteadyTime> done_deadline_;  // BookDone / CheckInDone: back home then
    int done_total_s_ = 0;
    SteadyTime booking_tap_{};
    std::optional<double> booking_tap_to_print_ms_;
    bool agenda_changed_ = false;              // the feed said so: the calendar is built again
    std::string scan_buffer_;                  // keys typed on the home screen (a scanner)
    SteadyTime last_key_{};
    std::chrono::seconds idle_warn_after_{60}, idle_warn_for_{20};

    // Forms (UI thread).
    std::string forms_print_id_;                // "form:ID" / "bring:SERVICE" while it prints
    int forms_printed_ = 0;

    // Print requests (UI thread; claiming_ and unconfirmed_claims_ also the worker's, under mutex_).
    std::shared_ptr<EventFeed> feed_;           // the office's applied events (shared/event_feed.hpp)
    std::set<std::string> claiming_;           // requests queued, being claimed or printed here
    std::set<std::string> retrying_reported_;  // requests whose first failed try (spooler retrying) is recorded
    std::set<std::string> unconfirmed_claims_; // LAN: claims not yet ordered by the stream
    int requested_printed_ = 0, requested_failed_ = 0;

    // Shared with the worker and the spooler's thread.
    std::mutex mutex_;                          // claiming_, retrying_reported_, unconfirmed_claims_
    std::unique_ptr<app::PrintSpooler> spooler_;
    // Tickets, holds, bookings, check-ins, claims, in tap order; the queues' outlook apart (a
    // forecast never delays a tap). Both finish what is queued when the role ends.
    app::RoleWorker worker_{env_.wake};
    app::RoleWorker outlook_worker_{env_.wake};

    // Speech mode ([kiosk] speech; kiosk/app/speech_guide.hpp): the keypad's guide and its voice
    // (nullptr: speech mode is off in the configuration). The voice speaks in lang_.
    app::SpeechGuide guide_;
    std::unique_ptr<audio::SpeechOutput> voice_;
    // The headset jack (drivers/audio/headset_jack.hpp; with the voice only): plugging a headset
    // starts speech mode on [kiosk] speech_headset_device; pulling it out ends it (what follows
    // is not for the room's loudspeaker).
    std::unique_ptr<audio::HeadsetJack> jack_;
    bool headset_ = false;  // as last seen by update()
    bool jack_told_ = false;  // what the jack watches is in the log
    void headset_changed(bool plugged);

    // The attract loop ([kiosk] attract_seconds; UI thread): the communication zone's items
    // while nobody uses the kiosk (docs/CONTENT.md); read by its own ContentSource, whose
    // changes come through the outlook worker's inbox. Declared last: stopped first.
    [[nodiscard]] LocalTime local_now() const;
    void show_attract_item();
    SteadyTime last_activity_{};
    content::ContentPlayer attract_player_{std::chrono::seconds(env_.ctx.config.totem.page_seconds)};
    ContentCards attract_cards_;
    std::unique_ptr<app::ContentSource> content_;
};

}  // namespace csc::gui
