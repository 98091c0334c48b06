// The Info Point's application calls (issue 12) on a real store: the CRS PIN release (checks,
// receipt with the digits, office copy without, one register event and never a digit in the
// store), bad input recorded nowhere, a failed print recorded nowhere; the forms catalogue and
// the "what to bring" slip.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <regex>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "kiosk/app/bring_slip.hpp"
#include "kiosk/app/crs_pin.hpp"
#include "kiosk/app/forms.hpp"
#include "kiosk/app/staff.hpp"
#include "test_support.hpp"
#include "tests/app/test_files.hpp"

using namespace csc;

using csc::test::file_text;

namespace {

// The sample site with distinctive digit counts (PIN 4, PUK 7), so that the digits typed in the
// tests are strings no timestamp or id contains by chance (its forms are found in the assets).
std::filesystem::path sample_config(const std::filesystem::path& dir, bool digits = true) {
    std::string text = file_text(std::string(CSC_SOURCE_ASSETS) + "/site/office.toml");
    auto replace = [&](const std::string& from, const std::string& to) {
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
    };
    replace("pin_digits = 2", "pin_digits = 4");
    replace("puk_digits = 2", "puk_digits = 7");
    if (!digits) replace("digits = true ", "digits = false ");
    const auto file = dir / "office.toml";
    std::ofstream(file) << text;
    return file;
}

std::unique_ptr<app::Context> open_office(const std::filesystem::path& dir, bool digits = true) {
    app::GlobalOptions o;
    o.assets = CSC_SOURCE_ASSETS;
    o.data = dir / "data";
    o.config = sample_config(dir, digits);
    o.printer = "memory";
    auto ctx = app::open_context(o);
    REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().message));
    REQUIRE((*ctx)->config.warnings.empty());
    REQUIRE(app::save_staff(*(*ctx)->office, "Anna Info", {"infopoint"}, "482913", true, "test").ok());
    REQUIRE(app::save_staff(*(*ctx)->office, "Carlo Counter", {"counter"}, "482914", true, "test").ok());
    return std::move(*ctx);
}

app::CrsPinRequest request() {
    app::CrsPinRequest r;
    r.fiscal_code = "rss mra 80a01 h501u";
    r.document_type = "cie";
    r.document_number = "CA12345XY";
    r.document_expiry = "2031-06-30";
    r.relation = "holder";
    r.contact = "+39 333 1234567";
    r.lang = "it";
    r.office_copy = true;
    return r;
}

void type(app::CrsPinDigits& d, const char* pin, const char* puk) {
    REQUIRE(d.pin.assign(pin).ok());
    REQUIRE(d.puk.assign(puk).ok());
}

std::string stored(const app::Context& ctx) {
    return file_text(ctx.data_dir / "office.db") + file_text(ctx.data_dir / "office.db-wal");
}

std::int64_t desk_count(const app::Context& ctx) {
    std::int64_t n = 0;
    ctx.office->read([&](const OfficeState& s) {
        for (const auto& [service, by] : s.desk_services())
            for (const auto& [who, count] : by) n += count;
    });
    return n;
}

std::vector<std::string> paper_lines(const printer::Profile& profile, const std::vector<std::uint8_t>& bytes) {
    printer::EmulatedPrinter p(profile);
    p.feed(bytes);
    return p.text_lines();
}

}  // namespace

TEST_CASE("SecretDigits: digits only, wiped, never copied") {
    app::SecretDigits d;
    CHECK(d.assign("47 39").ok());
    CHECK(d.reveal() == "4739");
    auto bad = d.assign("47a9");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "input.digits");
    CHECK(bad.error().message.find("47") == std::string::npos);
    CHECK(d.empty());  // nothing kept of a bad entry
    CHECK(d.push('1'));
    CHECK_FALSE(d.push('x'));
    d.pop();
    CHECK(d.empty());
    CHECK(d.assign("12").ok());
    app::SecretDigits moved(std::move(d));
    CHECK(moved.reveal() == "12");
    CHECK(d.empty());  // NOLINT: moved-from is empty by contract
    moved.wipe();
    CHECK(moved.empty());
    static_assert(!std::is_copy_constructible_v<app::SecretDigits>);
}

TEST_CASE("mask_contact keeps the last 3 digits of a phone and the first letter of each part of an e-mail") {
    CHECK(app::mask_contact("+39 333 1234567") == "+** *** ****567");
    CHECK(app::mask_contact("maria.rossi@example.it") == "m****.r****@e******.i*");
}

TEST_CASE("CRS PIN release: the citizen's receipt has the digits, the office copy none, the register one event and no digit") {
    test::TempDir dir;
    auto ctx = open_office(dir.path());
    auto profile = printer::find_profile(ctx->config.printer.profile);
    REQUIRE(profile.ok());
    printer::MemoryTransport paper;
    app::CrsPinDigits digits;
    type(digits, "4739", "9315826");
    auto out = app::release_crs_pin(*ctx, paper, *profile, request(), digits, "anna info");
    REQUIRE_MESSAGE(out.ok(), (out.ok() ? "" : out.error().message));
    CHECK(out->receipt.printed);
    REQUIRE(out->office_copy);
    CHECK(out->office_copy->printed);
    CHECK(digits.pin.empty());  // wiped once the receipt printed
    CHECK(digits.puk.empty());

    // The paper: the receipt (up to the first cut) has the digits large, the copy has none.
    printer::EmulatedPrinter printed(*profile);
    printed.feed(paper.bytes());
    std::string receipt, copy;
    bool in_copy = false;
    for (const auto& l : printed.lines()) {
        if (l.utf8.find("copia per l'ufficio") != std::string::npos) in_copy = true;
        (in_copy ? copy : receipt) += l.utf8 + " ";
        if (l.utf8 == "4 7 3 9") CHECK(l.style.width == 4);
        if (l.utf8 == "9315826") CHECK(l.style.width == 4);  // 7 digits: unspaced, to stay 4 times as large on 58 mm paper
        if (l.utf8.find("4 7 3 9") != std::string::npos || l.utf8.find("9315826") != std::string::npos) CHECK(l.style.height == 4);
    }
    CHECK(printed.cut_count() == 2);
    CHECK(receipt.find("4 7 3 9") != std::string::npos);
    CHECK(receipt.find(" 9315826 ") != std::string::npos);
    CHECK(receipt.find("SMS al numero +** *** ****567") != std::string::npos);
    // One digit left of each (PIN 5 - 4, PUK 8 - 7): the catalogue's singular, never "Le altre 1 cifre".
    INFO(receipt);
    CHECK(receipt.find("L'ultima cifra del PIN e l'ultima del PUK") != std::string::npos);
    CHECK(receipt.find("1 cifre") == std::string::npos);
    CHECK(receipt.find("urp@comune.esempio.it") != std::string::npos);
    CHECK(receipt.find("RSSMRA80A01H501U") == std::string::npos);  // the codice fiscale: office copy only
    CHECK(copy.find("RSSMRA80A01H501U") != std::string::npos);
    CHECK(copy.find("Firma") != std::string::npos);
    CHECK(copy.find("Anna Info") != std::string::npos);
    CHECK(copy.find("termina con 5XY") != std::string::npos);
    CHECK(std::regex_search(copy, std::regex("4 ?7 ?3 ?9|9 ?3 ?1 ?5 ?8 ?2 ?6")) == false);

    // The register: one event, by Anna, counted; the store holds no digit and no codice fiscale.
    CHECK(desk_count(*ctx) == 1);
    ctx->office->read([&](const OfficeState& s) { CHECK(s.desk_services().at("crs_pin").at("Anna Info") == 1); });
    const std::string db = stored(*ctx);
    CHECK(db.find("crs_pin.released") != std::string::npos);
    CHECK(db.find("\"document_tail\":\"5XY\"") != std::string::npos);
    for (const char* secret : {"4739", "9315826", "4 7 3 9", "9 3 1 5 8 2 6", "RSSMRA80A01H501U", "CA12345XY"}) {
        CAPTURE(secret);
        CHECK(db.find(secret) == std::string::npos);
    }
}

TEST_CASE("CRS PIN release: bad input is a clear code, nothing printed and nothing recorded") {
    test::TempDir dir;
    auto ctx = open_office(dir.path());
    auto profile = printer::find_profile(ctx->config.printer.profile);
    REQUIRE(profile.ok());
    printer::MemoryTransport paper;
    const std::string before = stored(*ctx);
    struct Case {
        std::function<void(app::CrsPinRequest&)> change;
        const char* code;
    };
    const std::vector<Case> cases{
        {[](auto& r) { r.document_expiry = "2025-01-31"; }, "input.document.expired"},
        {[](auto& r) { r.fiscal_code = "RSSMRA80A01H501"; }, "input.fiscal_code.length"},
        {[](auto& r) { r.fiscal_code = "RSSMRA80A01H501X"; }, "input.fiscal_code.check_letter"},
        {[](auto& r) { r.document_number = "CA1234"; }, "input.document.number"},
        {[](auto& r) { r.relation = "delegate"; }, "input.crs_pin.form"},
        {[](auto& r) { r.relation = "friend"; }, "input.crs_pin.relation"},
        {[](auto& r) { r.contact = ""; }, "input.crs_pin.contact"},
        {[](auto& r) { r.contact = "not a phone"; }, "input.crs_pin.contact"},
        {[](auto& r) { r.lang = "xx"; }, "input.lang"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.code);
        auto r = request();
        c.change(r);
        app::CrsPinDigits digits;
        type(digits, "4739", "9315826");
        auto out = app::release_crs_pin(*ctx, paper, *profile, r, digits, "Anna Info");
        REQUIRE_FALSE(out.ok());
        CHECK(out.error().code == c.code);
        CHECK(app::exit_code_for(out.error()) == 2);
        CHECK(out.error().message.find("4739") == std::string::npos);
    }
    // Digits: too few, and not digits at all.
    {
        app::CrsPinDigits digits;
        type(digits, "473", "9315826");
        auto out = app::release_crs_pin(*ctx, paper, *profile, request(), digits, "Anna Info");
        REQUIRE_FALSE(out.ok());
        CHECK(out.error().code == "input.crs_pin.digits");
        CHECK(out.error().args == ErrorArgs{{"what", "PIN"}, {"count", "4"}});
        CHECK(out.error().message.find("473") == std::string::npos);
        CHECK(ctx->translator.tr_error("it", out.error()) == "scriva le prime 4 cifre del PIN");
        CHECK(ctx->translator.tr_error("en", out.error()) == "type the first 4 digits of the PIN");
        auto not_digits = digits.pin.assign("47x9");
        CHECK(not_digits.error().code == "input.digits");
        CHECK(ctx->translator.tr_error("it", not_digits.error()) == "qui si scrivono solo cifre");
        CHECK(ctx->translator.tr_error("en", not_digits.error()) == "only digits can be typed here");
    }
    // Staff: a counter operator, a stranger.
    for (const char* who : {"Carlo Counter", "Nobody", ""}) {
        CAPTURE(who);
        app::CrsPinDigits digits;
        type(digits, "4739", "9315826");
        auto out = app::release_crs_pin(*ctx, paper, *profile, request(), digits, who);
        REQUIRE_FALSE(out.ok());
        CHECK(out.error().code == "input.staff");
    }
    CHECK(paper.bytes().empty());
    CHECK(desk_count(*ctx) == 0);
    CHECK(stored(*ctx) == before);
}

TEST_CASE("CRS PIN release: a receipt that does not print records nothing and keeps the digits for a retry") {
    test::TempDir dir;
    auto ctx = open_office(dir.path());
    auto profile = printer::find_profile(ctx->config.printer.profile);
    REQUIRE(profile.ok());
    printer::MemoryTransport paper;
    printer::PrinterStatus out_of_paper;
    out_of_paper.known = true;
    out_of_paper.paper_end = true;
    out_of_paper.paper_near_end = true;
    paper.set_status(out_of_paper);
    app::CrsPinDigits digits;
    type(digits, "4739", "9315826");
    auto out = app::release_crs_pin(*ctx, paper, *profile, request(), digits, "Anna Info");
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == "printer");
    CHECK(digits.pin.size() == 4);
    CHECK(desk_count(*ctx) == 0);
    // Paper back: the retry prints and records once.
    printer::PrinterStatus fine;
    fine.known = true;
    fine.online = true;
    paper.set_status(fine);
    paper.clear();
    auto again = app::release_crs_pin(*ctx, paper, *profile, request(), digits, "Anna Info");
    REQUIRE_MESSAGE(again.ok(), (again.ok() ? "" : again.error().message));
    CHECK(desk_count(*ctx) == 1);
}

TEST_CASE("CRS PIN release with digits turned off: instructions only, and digits typed anyway are refused") {
    test::TempDir dir;
    auto ctx = open_office(dir.path(), false);
    auto profile = printer::find_profile(ctx->config.printer.profile);
    REQUIRE(profile.ok());
    printer::MemoryTransport paper;
    app::CrsPinDigits typed;
    type(typed, "4739", "9315826");
    auto refused = app::release_crs_pin(*ctx, paper, *profile, request(), typed, "Anna Info");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "input.crs_pin.digits_off");
    app::CrsPinDigits none;
    auto r = request();
    r.office_copy = false;
    auto out = app::release_crs_pin(*ctx, paper, *profile, r, none, "Anna Info");
    REQUIRE_MESSAGE(out.ok(), (out.ok() ? "" : out.error().message));
    CHECK_FALSE(out->office_copy);
    std::string all;
    for (const auto& l : paper_lines(*profile, paper.bytes())) all += l + "\n";
    CHECK(all.find("PIN: ___ ___") != std::string::npos);
    CHECK(all.find("L'ultima cifra del PIN") != std::string::npos);
    CHECK(all.find("1 cifre") == std::string::npos);
    CHECK(all.find("Prime 4 cifre") == std::string::npos);
}

TEST_CASE("CRS PIN release on the office's printer: never digits on a printer that keeps paper as a file by default") {
    test::TempDir dir;
    auto ctx = open_office(dir.path());
    ctx->options.printer = "emulated";  // DATA/printer/last-ticket.png: kept on disk
    app::CrsPinDigits digits;
    type(digits, "4739", "9315826");
    auto out = app::release_crs_pin(*ctx, request(), digits, "Anna Info");
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == "crs_pin.printer_keeps_files");
    CHECK_FALSE(std::filesystem::exists(ctx->data_dir / "printer" / "last-ticket.png"));
    ctx->options.printer = "memory";
    auto ok = app::release_crs_pin(*ctx, request(), digits, "Anna Info");
    REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message));
    CHECK(ok->receipt.printed);
}

TEST_CASE("forms: per service, per sector, hidden when the PDF is missing; a slip with the QR; handed out counted") {
    test::TempDir dir;
    auto ctx = open_office(dir.path());
    auto pin_forms = app::list_forms(*ctx, "crs-pin", "en");
    REQUIRE(pin_forms.ok());
    REQUIRE(pin_forms->size() == 2);
    CHECK((*pin_forms)[0].id == "delega-crs");
    CHECK((*pin_forms)[0].title == "Delegation for the CRS / TS-CNS PIN");
    CHECK((*pin_forms)[0].hand_in == "Info Point, at the entrance");
    auto residence = app::list_forms(*ctx, "residenza", "it");
    REQUIRE(residence.ok());
    REQUIRE(residence->size() == 1);
    CHECK((*residence)[0].hand_in == "Anagrafe, sportello 1, 2, 3");  // the sector's counters by default
    auto sector = app::list_forms(*ctx, "anagrafe", "it");
    REQUIRE(sector.ok());
    CHECK(sector->size() == 2);
    CHECK(app::list_forms(*ctx, "", "it")->size() == 4);
    CHECK(app::list_forms(*ctx, "nope", "it").error().code == "input.service");

    auto slip = app::find_form_entry(*ctx, "delega-crs", "it");
    REQUIRE(slip.ok());
    auto profile = printer::find_profile(ctx->config.printer.profile);
    auto bytes = printer::EscposEncoder(*profile).encode(app::make_form_slip(ctx->config, ctx->translator, *slip, "it"));
    REQUIRE(bytes.ok());
    printer::EmulatedPrinter p(*profile);
    p.feed(*bytes);
    REQUIRE(p.qr_codes().size() == 1);
    CHECK(p.qr_codes()[0] == "https://www.comune.esempio.it/moduli/delega-crs.pdf");
    auto printed = app::print_form_slip(*ctx, "delega-crs", "it");
    REQUIRE(printed.ok());
    CHECK(printed->printed);

    auto id = app::record_form_handed_out(*ctx, "delega-crs", 2, "Carlo Counter");
    REQUIRE_MESSAGE(id.ok(), (id.ok() ? "" : id.error().message));
    ctx->office->read([&](const OfficeState& s) { CHECK(s.desk_services().at("form:delega-crs").at("Carlo Counter") == 2); });
    CHECK(app::record_form_handed_out(*ctx, "delega-crs", 0, "Carlo Counter").error().code == "input.copies");
    CHECK(app::record_form_handed_out(*ctx, "nope", 1, "Carlo Counter").error().code == "input.form");
    CHECK(app::record_form_handed_out(*ctx, "delega-crs", 1, "Nobody").error().code == "input.staff");
    CHECK(desk_count(*ctx) == 2);
}

TEST_CASE("what to bring: the configured list with its forms, a bookable service's documents, else a clear error") {
    test::TempDir dir;
    auto ctx = open_office(dir.path());
    auto pin = app::bring_slip_for(*ctx, "crs-pin", "it");
    REQUIRE(pin.ok());
    CHECK(pin->title == "PIN della CRS / TS-CNS");
    CHECK(pin->items.size() == 5);
    CHECK(pin->forms.size() == 2);
    auto residence = app::bring_slip_for(*ctx, "residenza", "en");
    REQUIRE(residence.ok());
    REQUIRE(residence->items.size() == 1);
    CHECK(residence->items[0].find("rental contract") != std::string::npos);
    CHECK(app::bring_slip_for(*ctx, "protocollo", "it").error().code == "input.bring");
    CHECK(app::bring_slip_for(*ctx, "nope", "it").error().code == "input.service");
    auto profile = printer::find_profile(ctx->config.printer.profile);
    auto bytes = printer::EscposEncoder(*profile).encode(app::make_bring_slip(ctx->config, ctx->translator, *pin, "it"));
    REQUIRE(bytes.ok());
    printer::EmulatedPrinter p(*profile);
    p.feed(*bytes);
    CHECK(p.qr_codes().size() == 2);
    auto printed = app::print_bring_slip(*ctx, "carta-identita", "it");
    REQUIRE(printed.ok());
    CHECK(printed->printed);
}
