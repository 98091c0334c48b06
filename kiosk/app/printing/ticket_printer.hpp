// ticket_printer.hpp — from an issued ticket to paper: the ticket layout (pure, translated)
// and the printing of it, synchronously (CLI) or through a background spooler (GUI roles).
//
// Contract: printing never loses a ticket — the ticket is already durable in the store before
// anything here runs; a print that fails is reported (printed = false, with a reason a person
// can read) and can be retried; nothing here throws.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "drivers/printer/profile.hpp"
#include "drivers/printer/receipt.hpp"
#include "drivers/printer/transport.hpp"
#include "kiosk/app/booking.hpp"
#include "kiosk/app/context.hpp"
#include "kiosk/app/printing/printer_care.hpp"

namespace csc::app {

/// What happened to one print job.
struct PrintReport {
    std::string ticket_id;
    bool printed = false;
    std::string message;                 ///< readable reason when not printed ("paper end", …)
    std::filesystem::path preview_png;   ///< emulated printer: the paper as a PNG
    printer::PrinterStatus status;       ///< read after the job (paper near end → staff alert)
    bool given_up = false;               ///< not printed and never will be: the spooler dropped the job (retry window over, no printer, bad job)
};

/// The paper ticket of `issued`, in the citizen's language (pure).
[[nodiscard]] printer::Receipt make_ticket_receipt(const SiteConfig& config, const Translator& tr,
                                                   const IssuedTicket& issued, const std::string& lang);

/// A print-out's text as a voice reads it (speech mode reads every ticket and receipt in full,
/// EN 301 549 5.1.3.16): its text lines in order as sentences, `label` (a ticket's number, as
/// printed) said as `spoken_label`; codes, pictures and rules have no words, nor a line holding
/// `secret` (a booking's code: whoever hears it can cancel the booking), nor a masked name's
/// asterisks.
[[nodiscard]] std::string receipt_as_speech(const printer::Receipt& receipt, const std::string& label = {},
                                            const std::string& spoken_label = {}, const std::string& secret = {});

/// A citizen's name as printed or shown outside staff screens: each word's first letter and
/// asterisks ("Maria Rossi" → "M**** R****").
[[nodiscard]] std::string mask_name(std::string_view name);

/// The booking receipt of `booking`, in `lang` (pure): service, date and time, where, what to
/// bring, the code large and as a QR (what the kiosk's check-in reads), how to cancel, and a
/// second, smaller QR holding the appointment as an iCalendar VEVENT (booking_calendar.hpp).
[[nodiscard]] printer::Receipt make_booking_receipt(const SiteConfig& config, const Translator& tr, const Booking& booking,
                                                    const std::string& lang);
/// Prints a booking receipt now, waiting for the outcome (`kiosk booking book`, the info point).
[[nodiscard]] PrintReport print_booking_receipt_now(Context& ctx, const Booking& booking);

/// The day's agenda as staff print it (pure), in `lang`: per bookable service (in the
/// configuration's order, only those with bookings), each booking's time, masked name, code and
/// status as it reads at `now`; "no appointments" when there are none.
[[nodiscard]] printer::Receipt make_agenda_printout(const SiteConfig& config, const Translator& tr, const Date& date,
                                                    const std::vector<Booking>& bookings, Millis now, const std::string& lang);
/// Prints the agenda of `date` (one bookable service, or "" = all) from ctx.office now, in the
/// office's first language: the staff operation "print the day's agenda" (`kiosk booking list
/// --print`, the info point). The report's id is "agenda:<YYYY-MM-DD>".
[[nodiscard]] PrintReport print_agenda_now(Context& ctx, const Date& date, const std::string& service = {});
/// Whom to call after a closure of `date` (pure), in `lang`: its reason, each moved booking (old
/// time -> new date and time), then each cancelled one, with code and masked name — paper: the
/// contacts are read by code on a staff screen; "nobody to call" when the list is empty.
[[nodiscard]] printer::Receipt make_closure_call_list(const SiteConfig& config, const Translator& tr, const Date& date,
                                                      const std::string& reason, const ClosureOutcome& outcome, Millis now,
                                                      const std::string& lang);
/// Prints that list now in the office's first language (`kiosk booking close --print`); the
/// report's id is "closure:<YYYY-MM-DD>".
[[nodiscard]] PrintReport print_closure_call_list_now(Context& ctx, const Date& date, const std::string& reason,
                                                      const ClosureOutcome& outcome);

/// The transport chosen by --printer, else by `own` (a role's own printer in the --printer
/// syntax, e.g. [infopoint] printer; "" = none), else by the configuration's [printer]; "auto"
/// becomes "usb" when a USB printer (the configured VID:PID, if any) is attached, else "emulated".
[[nodiscard]] Result<printer::TransportSpec> printer_spec(const Context& ctx, std::string_view own = {});

/// Encodes and sends the ticket now, waiting for the outcome (used by `kiosk issue`).
[[nodiscard]] PrintReport print_ticket_now(Context& ctx, const IssuedTicket& issued);

/// Prints tickets on a background thread, in order; reports each outcome through `on_done`
/// (called on the spooler's thread: post it to the UI, do not draw from it).
///
/// A ticket that did not print is kept and retried every `retry_interval` while it is younger
/// than `retry_window` (the citizen is probably still at the kiosk): after paper is reloaded
/// the rest of a half-printed job comes out, and never a byte twice (PrintJob). An older one is
/// dropped: its number was shown on screen, and a ticket printed minutes later for nobody would
/// only confuse the next citizen. Each retry reports again.
class PrintSpooler {
public:
    PrintSpooler(Context& ctx, std::function<void(const PrintReport&)> on_done,
                 std::chrono::milliseconds retry_interval = std::chrono::seconds(3),
                 std::chrono::milliseconds retry_window = std::chrono::seconds(60));
    /// The same with a transport given by the caller (tests, tools).
    PrintSpooler(Context& ctx, std::unique_ptr<printer::Transport> transport,
                 std::function<void(const PrintReport&)> on_done, std::chrono::milliseconds retry_interval,
                 std::chrono::milliseconds retry_window);
    ~PrintSpooler();
    PrintSpooler(const PrintSpooler&) = delete;
    PrintSpooler& operator=(const PrintSpooler&) = delete;

    /// Queues a ticket for printing (returns at once).
    void submit(const IssuedTicket& issued, const std::string& lang);
    /// Queues a receipt made by the caller (a booking receipt), reported under `id`.
    void submit(std::string id, printer::Receipt receipt);
    /// The printer's last known status (for the staff alert), refreshed after each job.
    [[nodiscard]] printer::PrinterStatus last_status() const;
    /// Tickets waiting for a retry.
    [[nodiscard]] std::size_t pending() const;

    // ---- Maintenance (the service menu's printer page; printer_care.hpp) ----
    /// Counts this role's paper (DATA/printer/<role>.paper) and uses the profile chosen for it
    /// (DATA/printer/<role>.profile) from the next job; call once, before the first job.
    void keep_care(const std::string& role);
    /// The paper count now (zeros without keep_care()).
    [[nodiscard]] PaperCount paper_count() const;
    /// The paper was changed: the count since the change starts again.
    void paper_changed();
    /// The profile the next job is encoded for (the chosen one, else the configured one).
    [[nodiscard]] std::string profile_id() const;
    /// Remembers `id` for this role's printer and uses it from the next job; refused if unknown.
    [[nodiscard]] Result<void> choose_profile(const std::string& id);
    /// The last ticket that came out: the bytes sent and the profile they were made for.
    struct LastTicket {
        std::string id;
        std::string label;  ///< the ticket's number ("C001")
        std::vector<std::uint8_t> bytes;
        printer::Profile profile;
    };
    /// The last ticket printed (never a receipt: those may carry a booking's code), if any.
    [[nodiscard]] std::optional<LastTicket> last_ticket() const;

private:
    void run();
    struct Job {
        std::string id;
        std::optional<IssuedTicket> issued;    ///< a ticket, laid out on the spooler's thread
        std::optional<printer::Receipt> made;  ///< or a receipt laid out by the caller
        std::string lang;
    };
    struct Unprinted {
        std::string ticket_id;
        std::unique_ptr<printer::PrintJob> job;
        std::chrono::steady_clock::time_point first_try;
        std::string ticket_label;                           ///< a ticket's number (kept for the preview once printed); "" = not a ticket
        std::shared_ptr<const printer::Profile> profile;    ///< what a ticket was encoded for
    };
    PrintReport attempt(Unprinted& u);
    Context& ctx_;
    std::function<void(const PrintReport&)> on_done_;
    std::unique_ptr<printer::Transport> transport_;
    std::string transport_error_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    std::deque<Unprinted> unprinted_;
    std::chrono::milliseconds retry_interval_, retry_window_;
    printer::PrinterStatus status_;
    std::unique_ptr<PaperCounter> paper_;
    std::filesystem::path profile_file_;
    std::string chosen_profile_;
    std::optional<LastTicket> last_ticket_;
    bool stop_ = false;
    std::thread worker_;
};

}  // namespace csc::app
