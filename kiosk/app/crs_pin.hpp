// crs_pin.hpp — the Info Point's "Rilascio PIN CRS/TS-CNS": staff check the citizen's codice
// fiscale and identity document, type the first digits of the PIN and PUK the regional
// application shows, and the kiosk prints the citizen's receipt (and an office copy to sign).
//
// Contents: CrsPinRequest, CrsPinDigits, CheckedCrsPin, check_crs_pin_request(), mask_contact(),
//           make_crs_pin_receipt(), make_crs_pin_office_copy(), CrsPinOutcome, release_crs_pin().
// Contract: one call per staff action, headless, synchronous (a GUI calls it off its frame loop:
// printing waits for the printer). Bad input is an Error with an "input.*" code (translated
// through "error.input.*") and nothing is printed or recorded. THE DIGITS NEVER TOUCH DISK:
// they are held in SecretDigits (locked memory), go into no Event, log, Error text or
// exception, reach the printer directly (never the PrintSpooler's queue, never a file of ours),
// and the receipt and its bytes are wiped once the job is confirmed (and after a failure).
// The first release makes the process non-dumpable (prctl PR_SET_DUMPABLE 0), because the
// encoder's freed temporaries cannot be wiped one by one. The register gets ONE crs_pin.released
// event by the staff member: document type, last 3 characters of its number, relation, the
// form's reference — never a digit, never the codice fiscale.
#pragma once

#include <optional>
#include <string>

#include "drivers/printer/profile.hpp"
#include "drivers/printer/receipt.hpp"
#include "drivers/printer/transport.hpp"
#include "kiosk/app/context.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"
#include "kiosk/app/secret_digits.hpp"

namespace csc::app {

/// What staff type for a release, besides the digits.
struct CrsPinRequest {
    std::string fiscal_code;      ///< the card holder's codice fiscale (checked; printed only on the office copy; never kept)
    std::string document_type;    ///< a document type id of [crs_pin] documents ("cie", "carta-identita", "passaporto", "patente")
    std::string document_number;  ///< as on the document (spaces, lower case accepted)
    std::string document_expiry;  ///< "YYYY-MM-DD"; not before the office's today
    std::string relation = "holder";  ///< holder | guardian (of a minor, or a guardian by court order) | delegate
    std::string form_reference;   ///< guardian and delegate: the signed form's reference (required then)
    std::string contact;          ///< the phone or e-mail the other digits go to, as the citizen says (masked on paper)
    std::string lang;             ///< the citizen's language for the receipt ("" = the office's first)
    std::optional<bool> office_copy;  ///< print the office copy to sign (nullopt = [crs_pin] office_copy)
};

/// The first digits of the PIN and of the PUK, as typed by staff (masked entry). Left empty when
/// [crs_pin] digits = false. release_crs_pin() wipes them once the receipt printed.
struct CrsPinDigits {
    SecretDigits pin;
    SecretDigits puk;
};

/// A request that passed every check: what the receipts and the register need (no digits).
struct CheckedCrsPin {
    std::string fiscal_code;     ///< normalised (upper case, no spaces): the office copy only
    std::string document_type;
    std::string document_tail;   ///< last 3 characters of the document number
    std::string relation;
    std::string form_reference;
    std::string contact_masked;  ///< "+39 *** **** 567", "m****@e******.it"
    bool contact_is_email = false;
    std::string lang;
    bool office_copy = false;
    bool digits = false;         ///< the citizen's receipt carries digits ([crs_pin] digits)
    std::string staff;           ///< the staff member, as recorded (release_crs_pin fills it; the office copy names them)
};

/// Checks everything before anything is printed or recorded: the codice fiscale
/// ("input.fiscal_code.*"), the document ("input.document.*", expiry against the office's day
/// from the office clock), the relation ("input.crs_pin.relation"), the form reference for a
/// guardian or delegate ("input.crs_pin.form"), the contact ("input.crs_pin.contact"), the
/// language, and the digits: exactly [crs_pin] pin_digits / puk_digits of them when digits are
/// on ("input.crs_pin.digits" {what = pin|puk, count}), none when off. Never echoes a digit.
[[nodiscard]] Result<CheckedCrsPin> check_crs_pin_request(const Office& office, const CrsPinRequest& request,
                                                          const CrsPinDigits& digits);

/// A contact as printed: a phone keeps its last 3 digits ("+39 *** ***4 567" keeps spaces and
/// the leading +), an e-mail the first letter of each part and the dots ("m****@e******.it").
[[nodiscard]] std::string mask_contact(std::string_view contact);

/// The citizen's receipt (pure; wipe it with Receipt::wipe() after encoding): the digits large
/// (when `digits` is given and has them), how the other 3 PIN and 6 PUK digits arrive (SMS or
/// e-mail, to the masked contact), what to do if they do not, the office's contacts, date, place.
[[nodiscard]] printer::Receipt make_crs_pin_receipt(const SiteConfig& config, const Translator& tr, const CheckedCrsPin& checked,
                                                    const CrsPinDigits* digits, Millis now);
/// The office copy (pure): no digit of PIN or PUK; codice fiscale, document type and tail,
/// relation and form, the declaration of receipt and a line to sign; in the office's first language.
[[nodiscard]] printer::Receipt make_crs_pin_office_copy(const SiteConfig& config, const Translator& tr,
                                                        const CheckedCrsPin& checked, Millis now);

/// What a release came to.
struct CrsPinOutcome {
    std::string event_id;                   ///< the register's crs_pin.released event
    PrintReport receipt;                    ///< the citizen's receipt (printed)
    std::optional<PrintReport> office_copy; ///< when one was asked for (may have failed: say so to staff)
};

/// The release with the office's printer (printer_spec(ctx, own_printer): --printer, else a
/// role's own printer such as [infopoint] printer, else [printer]): check_crs_pin_request(), then the
/// citizen's receipt straight to the printer, then (if asked) the office copy, then ONE
/// crs_pin.released event by `by`. `by` must be a staff member with the infopoint role
/// ("input.staff" otherwise). The receipt not printed: Error code "printer" (its reason),
/// nothing recorded, the digits kept for a retry (the caller wipes them, or its destructor
/// does). Digits on a printer that keeps paper as a file (the emulated printer's PNG, the file
/// transport) only when that file was named for this run (--printer emulated:PATH|file:PATH,
/// tests and demos), else Error "crs_pin.printer_keeps_files" before anything is printed.
[[nodiscard]] Result<CrsPinOutcome> release_crs_pin(Context& ctx, const CrsPinRequest& request, CrsPinDigits& digits,
                                                    const std::string& by, std::string_view own_printer = {});
/// The same on a transport the caller opened (the info point's own printer, tests). The caller
/// answers for the transport: it must not keep the bytes (USB; memory or emulated in tests).
[[nodiscard]] Result<CrsPinOutcome> release_crs_pin(Context& ctx, printer::Transport& transport, const printer::Profile& profile,
                                                    const CrsPinRequest& request, CrsPinDigits& digits, const std::string& by);

}  // namespace csc::app
