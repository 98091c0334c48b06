// infopoint_screens.hpp — the Info Point's staff terminal (landscape, mouse/keyboard or touch):
// sign-in by PIN, then four tabs: tickets for a citizen (any sector and service, priority
// classes, reprint, cancel with a reason, search by number), the live queues and counters,
// today's agenda of appointments (check in, no-show, cancel, move) and booking for a citizen.
//
// Contents: InfoTab, InfoSectorView, InfoTicketView, InfoCounterView, InfoBookingView,
// InfoSlotView, InfopointView, InfopointIntents, InfopointScreen, 
// InfopointTickets, InfopointQueues, InfopointAgenda, InfopointBook.
// Contract: the role controller (roles/infopoint.cpp) rebuilds InfopointView before each frame;
// the screens only read it and call InfopointIntents. Every citizen's datum (a name, a phone, a
// search) lives in the view or in a screen's buffer tied to `session`: when the staff member
// signs out (or is signed out) the role resets the view and bumps `session`, and every screen
// wipes its buffers on the next frame, so nothing of the previous citizen is drawn again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/gui/screen.hpp"
#include "kiosk/gui/screens/staff_sign_in.hpp"
#include "shared/config.hpp"
#include "shared/forecast.hpp"
#include "shared/result.hpp"

namespace csc::gui {

/// The tabs of the signed-in terminal.
enum class InfoTab { Tickets, Queues, Agenda, Book, CrsPin, Forms };
inline constexpr int kInfoTabCount = 6;
/// "tickets", "queues", "agenda", "book", "crs_pin", "forms" (layout dump and touch-target ids).
[[nodiscard]] const char* tab_id(InfoTab t);

/// A wait as the paper ticket tells it (the core's told_wait: never rounded again here).
using InfoWait = ToldWait;

/// One sector: to issue in, and its live queue.
struct InfoSectorView {
    std::string id, name, letter, icon;
    Rgb colour, text;
    int waiting = 0;
    int open_counters = 0;
    std::optional<InfoWait> wait;  ///< for a new ordinary ticket now (none when closed)
    std::vector<std::pair<std::string, std::string>> services;  ///< id, name
};

/// A ticket shown to staff (the one just issued, or one found by its number).
struct InfoTicketView {
    std::string id, label, sector_name, service_name, priority_name, status_key;
    Rgb colour, text;
    bool waiting = false;     ///< still in the queue: can be cancelled
    int people_ahead = 0;
    std::optional<InfoWait> wait;
    int counter = 0;          ///< called / served at
    /// "" | "printing" | "printed" | "failed" (here) | "entrance_waiting" | "entrance_printing" |
    /// "entrance_printed" | "entrance_failed" (asked at the entrance kiosk: print_request)
    std::string print_state;
    std::string print_message;  ///< why not printed (the driver's English: logged and dumped, not drawn)
    std::string print_request;  ///< the print.requested id when it was sent to the entrance kiosk
};

/// One counter: who is there and what it does.
struct InfoCounterView {
    int number = 0;
    std::string name, status, staff, current_label, pause_reason;
    Rgb colour{0x0B, 0x3D, 0x73}, text{0xFF, 0xFF, 0xFF};  ///< of the current ticket's sector
};

/// One appointment of the agenda (staff see the full name and contact).
struct InfoBookingView {
    std::string code, time, service_name, name, contact, status;  ///< status: to_string(BookingStatus)
    std::string code_shown;  ///< the code grouped for reading aloud ("K7M-4PX", format_booking_code)
    bool can_check_in = false, can_cancel = false, can_no_show = false;
    bool can_walk_in = false;  ///< past its check-in window today: a walk-in ticket instead (app::walk_in_late_booking)
};

/// A free slot offered for booking or moving.
struct InfoSlotView {
    std::string id;     ///< epoch millis as text (touch-target id "slot:<id>")
    std::string day;    ///< "gio 17/12"
    std::string time;   ///< "10:10"
    int free = 0;
};

/// The CRS / TS-CNS PIN request as staff type it: never a digit of the PIN or PUK.
struct CrsPinForm {
    std::string fiscal_code, document_type, document_number, document_expiry;
    std::string relation = "holder";  ///< holder | guardian | delegate
    std::string form_reference, contact;
    bool office_copy = true;
};
/// The PIN release's steps: the citizen and the document; the digits (masked, never captured);
/// done (what printed).
enum class CrsStep { Details, Digits, Done };

/// One form of the catalogue, in the screen's language.
struct InfoFormView {
    std::string id, title, description, hand_in, version, url, group;  ///< group: its sector or service name
};

/// Everything the Info Point screens show.
struct InfopointView {
    std::uint64_t session = 0;     ///< bumped at each sign-in and sign-out: screens wipe their buffers
    std::string town, office, time, date, link_flag;
    // Sign-in (staff_sign_in.hpp): its operators are the members with the infopoint role.
    StaffSignInView login;
    // Signed in.
    std::string signed_in;           ///< "" = nobody
    int countdown = 0;               ///< > 0: seconds before the automatic sign-out (shown)
    int countdown_total = 0;
    InfoTab tab = InfoTab::Tickets;
    std::vector<InfoSectorView> sectors;
    std::vector<std::pair<std::string, std::string>> priorities;  ///< id, name ("" first = ordinary)
    int sector = -1;                 ///< chosen for the next ticket
    std::string service, priority;
    bool print_at_entrance = false;  ///< tickets and reprints go to the entrance kiosk's printer
    /// Today's requests to the entrance kiosk not printed yet: label, and the printer's reason
    /// when its last attempt failed ("" = waiting for the kiosk; the screen says only that it
    /// failed, translated: the reason is the driver's English, for the log and the layout dump).
    std::vector<std::pair<std::string, std::string>> pending_prints;
    bool busy = false;               ///< a job runs on the worker
    std::optional<InfoTicketView> last;   ///< the ticket just issued (reprint, cancel)
    std::optional<InfoTicketView> found;  ///< the ticket found by its number
    bool searched = false;                ///< a search ran (found empty = not found)
    std::string cancel_for;               ///< ticket id whose cancel dialog is open
    std::vector<std::pair<std::string, std::string>> cancel_reasons;  ///< key, label
    std::vector<InfoCounterView> counters;
    std::string agenda_title;             ///< "Oggi, lunedì 14 dicembre"
    std::vector<InfoBookingView> agenda;
    // Booking.
    std::vector<std::pair<std::string, std::string>> bookable;  ///< service id, name
    std::string book_service;
    std::vector<InfoSlotView> slots;      ///< free slots of book_service (or of the moved booking's)
    std::string slot;                     ///< chosen
    std::string moving;                   ///< code of the booking being moved ("" = a new booking)
    std::optional<InfoBookingView> booked;  ///< just booked / moved: its code on screen
    std::string booked_print;             ///< its receipt: "printing" | "printed" | "failed"
    int booked_serial = 0;                ///< bumped at each booking made: the name fields empty again
    // CRS PIN release. The digits themselves are in the role (locked memory), never here.
    CrsStep crs_step = CrsStep::Details;
    std::vector<std::pair<std::string, std::string>> crs_documents;  ///< accepted types: id, name
    bool crs_with_digits = true;          ///< [crs_pin] digits: the receipt carries the first digits
    int crs_pin_digits = 2, crs_puk_digits = 2;
    bool crs_office_copy = true;          ///< [crs_pin] office_copy: the default
    int crs_pin_typed = 0, crs_puk_typed = 0;  ///< how many are typed (never which)
    int crs_field = 0;                    ///< the field the keys go to: 0 = PIN, 1 = PUK
    int crs_serial = 0;                   ///< bumped when a release is done or dropped: the fields empty again
    std::string crs_summary;              ///< the checked request, masked ("CIE …45AB · Titolare · +39 *** **** 567")
    std::string crs_receipt, crs_copy;    ///< Done: "printed" | "failed" | "" (no office copy)
    // Forms.
    std::vector<InfoFormView> forms;
    std::string form;                     ///< the form shown with its QR ("" = none)
    int form_qr_modules = 0;
    std::vector<unsigned char> form_qr;
    // Outcome of the last action: a translated key (notice) or an Error (translated by code).
    std::string notice;                   ///< i18n key of a success line
    std::vector<std::pair<std::string, std::string>> notice_args;
    Error error;
};

/// What the staff member can ask for.
class InfopointIntents : public StaffSignInIntents {
public:
    /// Any touch, click or key: the inactivity countdown starts again.
    virtual void activity() = 0;
    virtual void sign_out() = 0;
    virtual void show_tab(InfoTab tab) = 0;
    virtual void choose_sector(const std::string& id) = 0;
    virtual void choose_service(const std::string& id) = 0;
    virtual void choose_priority(const std::string& id) = 0;
    /// Where tickets and reprints print: here (false) or at the entrance kiosk (true).
    virtual void choose_print_at(bool entrance) = 0;
    /// Issues the chosen sector/service/priority for the citizen and prints it here or at the
    /// entrance kiosk (choose_print_at).
    virtual void issue_ticket() = 0;
    virtual void reprint(const std::string& ticket_id) = 0;
    virtual void ask_cancel(const std::string& ticket_id) = 0;
    virtual void cancel_with(const std::string& reason_key) = 0;
    virtual void close_dialog() = 0;
    /// Finds today's ticket by its number ("A12", "a012", "12" within the chosen sector).
    virtual void search(const std::string& query) = 0;
    // Agenda.
    virtual void check_in(const std::string& code) = 0;
    virtual void no_show(const std::string& code) = 0;
    /// A citizen past the check-in window: a walk-in ticket for the booking's service, printed.
    virtual void walk_in(const std::string& code) = 0;
    virtual void cancel_booking(const std::string& code) = 0;
    virtual void start_move(const std::string& code) = 0;
    // Booking.
    virtual void choose_book_service(const std::string& id) = 0;
    virtual void choose_slot(const std::string& id) = 0;
    /// Books the chosen slot for `name` (and phone/e-mail) and prints the receipt; or moves.
    virtual void book(const std::string& name, const std::string& contact) = 0;
    // CRS PIN release.
    /// Checks the request (codice fiscale, document, relation, contact); then the digits step.
    virtual void crs_next(const CrsPinForm& form) = 0;
    /// One digit typed or tapped on the keypad, into the current field (PIN, then PUK).
    virtual void crs_digit(char digit) = 0;
    virtual void crs_backspace() = 0;
    virtual void crs_select_field(int field) = 0;
    /// Back to the citizen's details: the digits are wiped.
    virtual void crs_back() = 0;
    /// Prints the citizen's receipt (and the office copy) and records the release.
    virtual void crs_release() = 0;
    /// The next citizen: everything of the last release forgotten.
    virtual void crs_new() = 0;
    /// Prints the "what to bring" slip for the PIN release.
    virtual void crs_bring_slip() = 0;
    // Forms.
    virtual void choose_form(const std::string& id) = 0;
    virtual void print_form(const std::string& id) = 0;
    virtual void form_handed_out(const std::string& id) = 0;
};

/// The frame every signed-in tab shares: the top bar (title, staff member, clock, sign-out),
/// the tab bar, the sign-out countdown and the outcome line.
class InfopointScreen : public Screen {
public:
    InfopointScreen(const InfopointView& view, InfopointIntents& intents) : view_(view), intents_(intents) {}

protected:
    void draw_content(FrameContext& ui) final;
    /// The tab's own content inside [min, max].
    virtual void draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) = 0;
    /// A text field (ImGui InputText) with a large font; returns true on Enter.
    bool text_field(FrameContext& ui, const char* id, char* buf, std::size_t size, ImVec2 min, float width,
                    int flags = 0);
    /// A choice button: filled when chosen, outlined otherwise, its label wrapped; true when tapped.
    static bool choice(FrameContext& ui, const std::string& id, ImVec2 min, ImVec2 size, const std::string& label,
                       bool chosen);
    /// A sector-coloured ticket card: the number large, sector, service, priority, state.
    void draw_ticket_card(FrameContext& ui, const InfoTicketView& t, ImVec2 min, ImVec2 size, const std::string& prefix);
    [[nodiscard]] std::string wait_text(FrameContext& ui, const InfoWait& w) const;
    const InfopointView& view_;
    InfopointIntents& intents_;
    std::uint64_t seen_session_ = ~std::uint64_t{0};
    /// Called when view_.session changed: wipe every citizen's datum kept in the screen.
    virtual void forget() {}

private:
    float draw_top(FrameContext& ui);
    void draw_countdown(FrameContext& ui);
    void draw_cancel_dialog(FrameContext& ui);
    void draw_outcome(FrameContext& ui, ImVec2 min, float width);
};

/// Tickets for a citizen: sector, service, priority class, issue; the last ticket (reprint,
/// cancel).
class InfopointTickets final : public InfopointScreen {
public:
    using InfopointScreen::InfopointScreen;
    [[nodiscard]] std::string_view name() const override { return "tickets"; }

protected:
    void draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) override;
};

/// Orientation: the live queue per sector, who is at which counter, a ticket by its number
/// (reprint, cancel).
class InfopointQueues final : public InfopointScreen {
public:
    using InfopointScreen::InfopointScreen;
    ~InfopointQueues() override { forget(); }
    [[nodiscard]] std::string_view name() const override { return "queues"; }

protected:
    void draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) override;
    void forget() override;

private:
    char query_[16] = {};
};

/// Today's appointments, with check-in, no-show, cancel and move.
class InfopointAgenda final : public InfopointScreen {
public:
    using InfopointScreen::InfopointScreen;
    [[nodiscard]] std::string_view name() const override { return "agenda"; }

protected:
    void draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) override;
    void forget() override { page_ = 0; }

private:
    int page_ = 0;
};

/// Booking for a citizen: service, a free slot, name and phone; or a new slot for a move.
class InfopointBook final : public InfopointScreen {
public:
    using InfopointScreen::InfopointScreen;
    ~InfopointBook() override { forget(); }
    [[nodiscard]] std::string_view name() const override { return "book"; }

protected:
    void draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) override;
    void forget() override;

private:
    char name_[128] = {};
    char contact_[64] = {};
    bool focus_name_ = false;
    int slot_page_ = 0;
    int seen_booked_ = 0;
};

/// The CRS PIN release: the citizen's details, then the digits (masked), then done.
class InfopointCrsPin final : public InfopointScreen {
public:
    using InfopointScreen::InfopointScreen;
    ~InfopointCrsPin() override { forget(); }
    [[nodiscard]] std::string_view name() const override { return "crs_pin"; }

protected:
    void draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) override;
    void forget() override;

private:
    void draw_details(FrameContext& ui, ImVec2 min, ImVec2 max);
    void draw_digits(FrameContext& ui, ImVec2 min, ImVec2 max);
    void draw_done(FrameContext& ui, ImVec2 min, ImVec2 max);
    char fiscal_code_[24] = {}, number_[24] = {}, expiry_[16] = {}, form_ref_[48] = {}, contact_[64] = {};
    std::string document_type_, relation_ = "holder";
    int office_copy_ = -1;  ///< -1 = the office's default
    int seen_serial_ = 0;
};

/// The forms catalogue: the forms per service, one shown with its QR, print its slip, mark a
/// paper copy handed out.
class InfopointForms final : public InfopointScreen {
public:
    using InfopointScreen::InfopointScreen;
    [[nodiscard]] std::string_view name() const override { return "forms"; }

protected:
    void draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) override;
    void forget() override { page_ = 0; }

private:
    int page_ = 0;
};

}  // namespace csc::gui
