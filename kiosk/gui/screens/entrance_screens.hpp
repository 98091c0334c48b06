// entrance_screens.hpp — the screens of the entrance kiosk and the view model they read.
//
// Contents: ForecastView, ServiceView, SectorView, ConfirmPhase, ConfirmView, EntranceView,
// EntranceIntents, EntranceAttract, EntranceHome, EntranceLanguages, EntranceServices, EntranceConfirm; booking and check-in:
// EntranceBookService, EntranceBookDay, EntranceBookTime, EntranceBookName, EntranceBookReview,
// EntranceBookDone, EntranceCheckIn, EntranceCheckInDone, EntranceManageBooking (their view: entrance_booking_view.hpp);
// forms and "what to bring": KioskFormView, KioskBringView, KioskFormGroup, FormsStep, FormsView, EntranceForms.
// Contract: the role controller (roles/entrance.cpp) rebuilds EntranceView before each frame;
// the screens only read it and call EntranceIntents. Texts come from the Translator through
// FrameContext::t(); names from the configuration are already in the citizen's language.
#pragma once

#include <algorithm>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/gui/qr.hpp"
#include "kiosk/gui/screens/content_card.hpp"
#include "kiosk/gui/screens/entrance_booking_view.hpp"
#include "kiosk/gui/screen.hpp"
#include "shared/config.hpp"
#include "shared/forecast.hpp"

namespace csc::gui {

/// Expected wait of a sector as citizens are told it (the core's told_wait: the ticket says the same).
using ForecastView = ToldWait;

struct ServiceView {
    std::string id;
    std::string name;  ///< in the citizen's language
};

struct SectorView {
    std::string id;
    std::string name;  ///< in the citizen's language
    std::string letter;
    std::string icon;  ///< UTF-8 of the icon glyph ("" if the icon is unknown)
    Rgb colour, text;  ///< text: ≥ 4.5:1 on colour
    int waiting = 0;
    std::optional<ForecastView> forecast;
    std::vector<ServiceView> services;
};

enum class ConfirmPhase {
    Issuing,      ///< the tap was taken, the ticket is being recorded
    Printing,     ///< issued, at the printer
    Printed,      ///< the printer took it
    PrinterDown,  ///< issued but not printed: show it large, with its QR
    NotIssued,    ///< recording failed: nothing was issued
};

struct ConfirmView {
    ConfirmPhase phase = ConfirmPhase::Issuing;
    std::string label;  ///< "A007"
    int sector = -1;    ///< index into EntranceView::sectors
    std::string service_name;
    int people_ahead = 0;
    std::optional<ForecastView> forecast;
    std::optional<QrMatrix> qr;
    int seconds_left = 0;     ///< until the screen returns home
    float time_fraction = 1;  ///< seconds_left / total, for the countdown bar
    std::string spoken;       ///< speech mode: the printed ticket's whole text, as a voice reads it
};

/// One form of the catalogue ([[form]]) as the citizen reads it.
struct KioskFormView {
    std::string id, title, description, hand_in, version, url;
    std::string service_name;  ///< the service it is for ("" = the whole sector)
};
/// A "what to bring" list ([[bring]]) for one service.
struct KioskBringView {
    std::string service;             ///< the id bring_slip_for takes
    std::string title;               ///< the service's name
    std::vector<std::string> items;  ///< one line each
};
/// A sector (or the CRS PIN desk) with its forms and lists, in its colours.
struct KioskFormGroup {
    std::string id, name, icon;
    Rgb colour{0x0B, 0x3D, 0x73}, text{0xFF, 0xFF, 0xFF};
    std::vector<KioskFormView> forms;
    std::vector<KioskBringView> bring;
};
/// The steps of the "Moduli" entry: which office → which form or list → the form (QR, print)
/// or the list (print).
enum class FormsStep { Groups, Items, Form, Bring };
struct FormsView {
    FormsStep step = FormsStep::Groups;
    std::vector<KioskFormGroup> groups;
    int group = -1;                ///< index into groups
    int item = -1;                 ///< Form: index into forms; Bring: into bring
    std::optional<QrMatrix> qr;    ///< Form: its address
    std::string print_state;       ///< "" | "printing" | "printed" | "failed"
    std::string spoken;            ///< the slip being printed as speech mode reads it once printed
};

/// Everything the entrance screens show.
struct EntranceView {
    std::string town, office;
    std::string time;       ///< "10:42"
    int weekday = 0;        ///< 0 = Monday
    int day = 1, month = 1; ///< today's date
    std::string lang;
    std::vector<std::pair<std::string, std::string>> languages;  ///< code, own name
    bool high_contrast = false;  ///< this visit's screens in high contrast (palette::use_high_contrast)
    bool large_text = false;     ///< this visit's screens in the large fonts (Role::large_text)
    /// The share of the screen from its top that is out of reach ([kiosk] screen_bottom_mm): no
    /// control is laid out there (0: the whole screen is within reach).
    float unreachable_top = 0;
    bool open = true;
    std::optional<int> reopen_weekday;  ///< when closed: the day it opens (nullopt = unknown)
    bool reopen_today = false, reopen_tomorrow = false;
    std::string reopen_time;            ///< "08:30"
    std::string opening_hours_today;    ///< "08:30–12:30, 14:30–17:30" or ""
    std::vector<SectorView> sectors;
    int selected_sector = -1;           ///< services screen
    /// A line for the staff on the home screen ("" = none): i18n key "staff.paper_near_end"
    /// (still prints: reload soon) or "staff.printer_down" (tickets are not coming out).
    std::string staff_alert;
    std::string link_flag;  ///< i18n key of the LAN flag in the header ("" = none)
    ConfirmView confirm;
    bool bookable = false;  ///< the office has bookable services: home offers booking and check-in
    bool forms_available = false;  ///< the catalogue has forms or "what to bring" lists: home offers them
    FormsView forms;
    BookingView booking;
    CheckInView check_in;
    ManageView manage;
    /// The attract loop (the communication zone while nobody uses the kiosk): the item shown.
    std::optional<ContentCardView> attract_item;
    int attract_page = 0, attract_pages = 0;
};

/// What a person can ask for on the entrance kiosk.
class EntranceIntents : public BookingIntents {
public:
    /// A sector was tapped (with several services the controller asks which).
    virtual void choose_sector(const std::string& sector) = 0;
    /// A service of the selected sector was tapped: issue the ticket.
    virtual void choose_service(const std::string& sector, const std::string& service) = 0;
    /// A language was chosen (on the home screen's bar, or in the language menu: then home).
    virtual void choose_language(const std::string& lang) = 0;
    /// The home screen's language button (when the bar does not fit): the menu of every language.
    virtual void open_languages() = 0;
    /// Back to the home screen (Back, Done).
    virtual void go_home() = 0;
    /// The home screen's contrast button: high contrast on or off, for this visit.
    virtual void toggle_contrast() = 0;
    /// The home screen's large-text button: large text on or off, for this visit.
    virtual void toggle_large_text() = 0;
    /// Someone is at the home screen (a touch, a key): the attract loop waits.
    virtual void activity() = 0;
    /// A touch on the attract loop: the home screen at once (the touch does nothing else).
    virtual void leave_attract() = 0;
    // Forms and "what to bring" (roles/entrance_forms_flow.cpp).
    /// The home screen's "Moduli e cosa portare": the offices.
    virtual void open_forms() = 0;
    /// An office (a sector id, or "crs-pin"): its forms and lists.
    virtual void choose_form_group(const std::string& id) = 0;
    /// A form of the office: its description and QR.
    virtual void choose_kiosk_form(const std::string& id) = 0;
    /// A "what to bring" list of the office (by its service id).
    virtual void choose_bring(const std::string& service) = 0;
    /// Prints the chosen form's slip (its QR) or the chosen "what to bring" list.
    virtual void print_chosen() = 0;
    /// One step back (from the offices: home).
    virtual void forms_back() = 0;
};

/// The date under the clock: "giovedì 26 novembre".
[[nodiscard]] std::string long_date(const FrameContext& ui, const EntranceView& view);

class EntranceScreen : public Screen {
public:
    EntranceScreen(const EntranceView& view, EntranceIntents& intents) : view_(view), intents_(intents) {}

protected:
    /// The shared header; returns its height.
    float header(FrameContext& ui) const;
    /// A last step's Done button, centred at the bottom of the column [margin, margin + w): a tap
    /// goes home; returns the button's top.
    float done_button(FrameContext& ui, float margin, float w) const;
    /// A list screen's Back button at the bottom left; its top goes to `top`; true when tapped.
    bool back_button(FrameContext& ui, float margin, float& top) const;
    /// Where controls may start: `y`, or lower when the screen's top is out of reach (the "low"
    /// layout of a screen mounted high; docs/GUI.md "Reach").
    [[nodiscard]] float controls_top(const FrameContext& ui, float y) const {
        return std::max(y, view_.unreachable_top * ui.size.y + (view_.unreachable_top > 0 ? ui.px(8) : 0.0f));
    }
    /// Hands this frame's typed characters and Enter (keyboard, USB scanner) to keys_typed().
    void forward_keys() const;
    /// A booking step's frame: header, a title band in the service's colours (when one is chosen)
    /// with the step's title (wrapped at `title_w`, 0 = the width), and Back at the bottom; returns
    /// the free area's [top, bottom) under the title.
    std::pair<float, float> step_frame(FrameContext& ui, std::string_view title, std::string_view subtitle = {},
                                       float title_w = 0) const;
    /// Where step_frame's title starts (below the header and the service band).
    [[nodiscard]] float step_top(const FrameContext& ui) const;
    /// The inactivity warning over the screen, when the view asks for it.
    void idle_overlay(FrameContext& ui) const;
    /// A page with a time limit, for one frame: a touch, key or pointer movement tells the role
    /// someone is there (the limit starts again); when the frame's drawing ends, by whichever
    /// return, the inactivity warning is drawn over the page if the view asks for it.
    class TimedFrame {
    public:
        TimedFrame(const EntranceScreen& screen, FrameContext& ui);
        ~TimedFrame();
        TimedFrame(const TimedFrame&) = delete;
        TimedFrame& operator=(const TimedFrame&) = delete;

    private:
        const EntranceScreen& screen_;
        FrameContext& ui_;
    };
    /// A message panel (error colours when `error`, else information) at y; returns its height.
    float notice_panel(FrameContext& ui, float y, std::string_view text, bool error) const;
    /// "lunedì 14 dicembre, 09:20".
    [[nodiscard]] std::string slot_text(const FrameContext& ui, const SlotView& s) const;
    const EntranceView& view_;
    EntranceIntents& intents_;
};

/// Sector buttons, waiting counts, language switch; "closed, opens at" outside opening hours;
/// with bookable services, booking and check-in (also by a USB scanner's keys).
/// The attract loop: the communication zone's item, large, and "touch to take a number".
class EntranceAttract final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "attract"; }

protected:
    void draw_content(FrameContext& ui) override;
};

class EntranceHome final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "home"; }

protected:
    void draw_content(FrameContext& ui) override;

private:
    void draw_sector(FrameContext& ui, const SectorView& s, ImVec2 min, ImVec2 size);
    void draw_sector_compact(FrameContext& ui, const SectorView& s, ImVec2 min, ImVec2 size, ImU32 ink, ImU32 bg);
    void draw_languages(FrameContext& ui, float top, float height);
    /// "Book an appointment" and "I have an appointment" (when bookable) and "Forms and what to
    /// bring" (when there are any) ending at `bottom`; returns their height.
    float draw_booking_buttons(FrameContext& ui, float bottom);
    /// The staff alert strip ending at `bottom`; returns its height.
    float draw_staff_alert(FrameContext& ui, float bottom);
    void draw_closed(FrameContext& ui, float top, float bottom);
};

/// Every language of the office, a large button each, named in its own language and script;
/// the current one marked. Opened from the home screen when its bar has no room for them all.
class EntranceLanguages final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "languages"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// Which service of the chosen sector.
class EntranceServices final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "services"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// The number, very large, while the ticket prints; returns home after a timeout.
class EntranceConfirm final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "confirm"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// Which service to book.
class EntranceBookService final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "book_service"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// A calendar of the bookable days: which have room, which are closed and why.
class EntranceBookDay final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "book_day"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// The free slots of the chosen day (choosing one holds the place).
class EntranceBookTime final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "book_time"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// Name (required) and phone (optional) on a large on-screen keyboard with Italian accents.
class EntranceBookName final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "book_name"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// Everything once more before booking: service, day, time, name (masked), Confirm.
class EntranceBookReview final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "book_review"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// Booked: the code large, its QR, the receipt printing.
class EntranceBookDone final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "book_done"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// "I have an appointment": the code on a keypad of its alphabet, or from a scanner.
class EntranceCheckIn final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "check_in"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// The check-in's outcome: the appointment ticket, "come back at", or "go to the Info Point".
class EntranceCheckInDone final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "check_in_done"; }

protected:
    void draw_content(FrameContext& ui) override;
};

/// Forms and "what to bring": the offices in their colours, then their forms and lists, then a
/// form with its QR to download it (and its slip to print) or a list to print.
class EntranceForms final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "forms"; }

protected:
    void draw_content(FrameContext& ui) override;

private:
    /// One large row button (a stripe in `colour`, the text, a chevron); returns whether tapped.
    bool row(FrameContext& ui, const std::string& id, ImVec2 min, ImVec2 size, Rgb colour, const std::string& title,
             const std::string& subtitle);
};

/// A booking found by its code outside its check-in window: cancel it (after a confirmation) or
/// change its day or time; Back at every step.
class EntranceManageBooking final : public EntranceScreen {
public:
    using EntranceScreen::EntranceScreen;
    [[nodiscard]] std::string_view name() const override { return "manage_booking"; }

protected:
    void draw_content(FrameContext& ui) override;
};

}  // namespace csc::gui
