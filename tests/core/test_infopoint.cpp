// The Info Point's core (issue 12): the codice fiscale, identity documents, the crs_pin.released
// and form.handed_out events (codec, apply, refusals, statistics, state_hash), and the
// [crs_pin], [[form]] and [[bring]] configuration with its errors at file:line.
// The codes below are made up and their check letters computed: no real person's code.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "shared/booking/fiscal_code.hpp"
#include "shared/config.hpp"
#include "shared/events.hpp"
#include "shared/i18n.hpp"
#include "shared/office_state.hpp"
#include "shared/person/identity_document.hpp"
#include "tests/core/queue_fixture.hpp"

using namespace csc;
using namespace csc::test;

TEST_CASE("codice fiscale: valid ones, in any case and with spaces, and what they say") {
    auto m = parse_fiscal_code("RSSMRA80A01H501U");
    REQUIRE(m.ok());
    CHECK(m->code == "RSSMRA80A01H501U");
    CHECK(m->birth_year_2 == 80);
    CHECK(m->birth_month == 1);
    CHECK(m->birth_day == 1);
    CHECK_FALSE(m->female);
    CHECK(m->place == "H501");
    CHECK_FALSE(m->foreign_born());
    CHECK_FALSE(m->omocodia);

    auto spaced = parse_fiscal_code("  rss mra 80a01 h501u ");
    REQUIRE(spaced.ok());
    CHECK(spaced->code == "RSSMRA80A01H501U");

    auto f = parse_fiscal_code("BNCLCU85M52F205Z");  // a woman: day + 40
    REQUIRE(f.ok());
    CHECK(f->female);
    CHECK(f->birth_day == 12);
    CHECK(f->birth_month == 8);  // M = August

    auto abroad = parse_fiscal_code("SMTJHN70C15Z404A");  // born in the United States (Z404)
    REQUIRE(abroad.ok());
    CHECK(abroad->foreign_born());
    CHECK(abroad->place == "Z404");

    auto leap = parse_fiscal_code("VRDGPP84B69L219Q");  // 29 February 1984, a woman
    REQUIRE(leap.ok());
    CHECK(leap->birth_day == 29);
    CHECK(leap->birth_month == 2);
}

TEST_CASE("codice fiscale: omocodia variants are valid and decode to the same person") {
    for (const char* code : {"RSSMRA80A01H50MM", "RSSMRAULALMHRLMD"}) {
        CAPTURE(code);
        auto c = parse_fiscal_code(code);
        REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
        CHECK(c->omocodia);
        CHECK(c->code == code);                   // as written (its own check letter)
        CHECK(c->decoded.substr(0, 15) == "RSSMRA80A01H501");
        CHECK(c->place == "H501");
        CHECK(c->birth_year_2 == 80);
        CHECK(c->birth_day == 1);
    }
    // An omocodia letter outside LMNPQRSTUV in a digit's place is not a code.
    CHECK(parse_fiscal_code("RSSMRA80A01H5X1R").error().code == "input.fiscal_code.layout");
}

TEST_CASE("codice fiscale: each mistake has its code, and the code itself is never in the message") {
    struct Case {
        const char* text;
        const char* code;
    };
    for (const auto& c : {Case{"RSSMRA80A01H501X", "input.fiscal_code.check_letter"},
                          Case{"RSSMRA80A01H501", "input.fiscal_code.length"},      // 15 characters
                          Case{"RSSMRA80A01H501UU", "input.fiscal_code.length"},
                          Case{"RSSMRA80A01H50-U", "input.fiscal_code.character"},
                          Case{"RSSMRA80K01H501V", "input.fiscal_code.month"},      // K is no month
                          Case{"VRDGPP83B69L219P", "input.fiscal_code.day"},        // 29 February 1983
                          Case{"VRDGPP84D31L219Z", "input.fiscal_code.day"},        // 31 April
                          Case{"RSSMRA80A01N501A", "input.fiscal_code.place"},      // no comune code starts with N
                          Case{"RSSMRA80A01Z099E", "input.fiscal_code.place"},      // Z-codes start at Z100
                          Case{"RSSMRA80A01H000J", "input.fiscal_code.place"},
                          Case{"1SSMRA80A01H501U", "input.fiscal_code.check_letter"}}) {
        CAPTURE(c.text);
        auto r = parse_fiscal_code(c.text);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == c.code);
        CHECK(r.error().message.find(std::string(c.text).substr(0, 10)) == std::string::npos);
    }
    auto short15 = parse_fiscal_code("RSSMRA80A01H501");
    CHECK(short15.error().args == ErrorArgs{{"count", "15"}});
}

TEST_CASE("identity document: type from the accepted list, number shape, expiry against the office's day") {
    const Date today{2026, 12, 2};
    const std::vector<std::string> all{"cie", "carta-identita", "passaporto", "patente"};
    auto cie = check_identity_document("cie", "ca 12345 ab", "2030-05-01", today, all);
    REQUIRE(cie.ok());
    CHECK(cie->number == "CA12345AB");
    CHECK(cie->tail() == "5AB");
    CHECK(check_identity_document("carta-identita", "AB1234567", "2026-12-02", today, all).ok());  // valid through its day
    CHECK(check_identity_document("passaporto", "YA1234567", "2031-01-01", today, all).ok());
    CHECK(check_identity_document("passaporto", "X12345", "2031-01-01", today, all).ok());  // a foreign one
    CHECK(check_identity_document("patente", "U1AB23456C", "2031-01-01", today, all).ok());

    auto expired = check_identity_document("cie", "CA12345AB", "2026-12-01", today, all);
    REQUIRE_FALSE(expired.ok());
    CHECK(expired.error().code == "input.document.expired");
    CHECK(expired.error().args == ErrorArgs{{"date", "2026-12-01"}});
    CHECK(check_identity_document("cie", "CA1234AB", "2030-01-01", today, all).error().code == "input.document.number");
    CHECK(check_identity_document("cie", "CA12345AB", "2030-02-30", today, all).error().code == "input.document.expiry");
    CHECK(check_identity_document("tessera-club", "CA12345AB", "2030-01-01", today, all).error().code == "input.document.type");
    // A known type the office does not accept.
    CHECK(check_identity_document("patente", "U1AB23456C", "2031-01-01", today, {"cie"}).error().code == "input.document.type");
    // The number never appears in a message.
    auto bad = check_identity_document("carta-identita", "ZZ99999", "2030-01-01", today, all);
    CHECK(bad.error().message.find("ZZ99999") == std::string::npos);
}

namespace {
SiteConfig infopoint_config(const std::string& extra = {}) {
    std::string text = R"(
[office]
name = "Test"
timezone = "Europe/Rome"
[hours]
monday = ["08:00-18:00"]
tuesday = ["08:00-18:00"]
wednesday = ["08:00-18:00"]
thursday = ["08:00-18:00"]
friday = ["08:00-18:00"]
[[sector]]
id = "a"
letter = "A"
colour = "#1F5FAD"
name = "Anagrafe"
  [[sector.service]]
  id = "cie"
  name = "CIE"
[[counter]]
number = 1
sectors = ["a"]
[[form]]
id = "delega"
service = "crs-pin"
title = { it = "Delega", en = "Delegation" }
url = "https://example.org/delega.pdf"
version = "2026-03-01"
)" + extra;
    auto cfg = parse_site_config(text, "office.toml");
    REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error().message));
    return std::move(*cfg);
}

Event desk_event(std::int64_t seq, EventBody body, const std::string& by, Millis time = kMonday9) {
    Event e;
    e.device = "ip";
    e.seq = seq;
    e.id = make_event_id(e.device, seq);
    e.time = time;
    e.by = by;
    e.body = std::move(body);
    return e;
}
}  // namespace

TEST_CASE("crs_pin.released and form.handed_out: codec round trip, strict decoding, no room for digits") {
    const Event pin = desk_event(1, CrsPinReleased{"cie", "5AB", "delegate", "Prot. 123/2026", true, true}, "Anna");
    const auto text = encode_event(pin);
    auto back = decode_event(text);
    REQUIRE(back.ok());
    CHECK(*back == pin);
    CHECK(validate_event(pin).ok());
    CHECK(text.find("\"type\":\"crs_pin.released\"") != std::string::npos);

    const Event form = desk_event(2, FormHandedOut{"delega", 3}, "Anna");
    auto form_back = decode_event(encode_event(form));
    REQUIRE(form_back.ok());
    CHECK(*form_back == form);

    CHECK_FALSE(validate_event(desk_event(3, CrsPinReleased{"tessera", "5AB", "holder", "", true, false}, "Anna")).ok());
    CHECK_FALSE(validate_event(desk_event(3, CrsPinReleased{"cie", "A5AB", "holder", "", true, false}, "Anna")).ok());  // 4 characters
    CHECK_FALSE(validate_event(desk_event(3, CrsPinReleased{"cie", "5ab", "holder", "", true, false}, "Anna")).ok());
    CHECK_FALSE(validate_event(desk_event(3, CrsPinReleased{"cie", "5AB", "friend", "", true, false}, "Anna")).ok());
    CHECK_FALSE(validate_event(desk_event(3, FormHandedOut{"delega", 0}, "Anna")).ok());
    CHECK_FALSE(validate_event(desk_event(3, FormHandedOut{"delega", 51}, "Anna")).ok());
}

TEST_CASE("desk services: applied by staff only, counted per staff member, in the hash, gone the next day") {
    const SiteConfig cfg = infopoint_config();
    OfficeState s(cfg);
    const auto h0 = s.state_hash();
    // Without a staff member, a guardian without the form, an unknown form: refused, nothing counted.
    auto nobody = s.apply(desk_event(1, CrsPinReleased{"cie", "5AB", "holder", "", true, false}, ""));
    CHECK_FALSE(nobody.applied);
    CHECK(nobody.code == "desk.no_staff");
    auto no_form = s.apply(desk_event(2, CrsPinReleased{"cie", "5AB", "guardian", "", true, false}, "Anna"));
    CHECK_FALSE(no_form.applied);
    CHECK(no_form.code == "crs_pin.form_missing");
    auto unknown = s.apply(desk_event(3, FormHandedOut{"nope", 1}, "Anna"));
    CHECK_FALSE(unknown.applied);
    CHECK(unknown.code == "form.unknown");
    CHECK(s.state_hash() == h0);
    CHECK(s.desk_services().empty());

    auto ok = s.apply(desk_event(4, CrsPinReleased{"cie", "5AB", "holder", "", true, true}, "Anna"));
    CHECK(ok.applied);
    CHECK(ok.ticket_id == "ip:4");  // the event's id: the register's reference
    CHECK(s.apply(desk_event(5, CrsPinReleased{"patente", "56C", "delegate", "D-7", false, false}, "Bruno")).applied);
    CHECK(s.apply(desk_event(6, FormHandedOut{"delega", 2}, "Anna")).applied);
    CHECK(s.apply(desk_event(7, FormHandedOut{"delega", 1}, "Anna")).applied);
    CHECK(s.desk_services().at("crs_pin").at("Anna") == 1);
    CHECK(s.desk_services().at("crs_pin").at("Bruno") == 1);
    CHECK(s.desk_services().at("form:delega").at("Anna") == 3);
    CHECK(s.state_hash() != h0);
    CHECK(s.tickets().empty());

    // The same events in the same order elsewhere: the same counts and hash.
    OfficeState other(cfg);
    const std::vector<std::pair<EventBody, std::string>> log{
        {CrsPinReleased{"cie", "5AB", "holder", "", true, false}, ""},
        {CrsPinReleased{"cie", "5AB", "guardian", "", true, false}, "Anna"},
        {FormHandedOut{"nope", 1}, "Anna"},
        {CrsPinReleased{"cie", "5AB", "holder", "", true, true}, "Anna"},
        {CrsPinReleased{"patente", "56C", "delegate", "D-7", false, false}, "Bruno"},
        {FormHandedOut{"delega", 2}, "Anna"},
        {FormHandedOut{"delega", 1}, "Anna"}};
    for (std::size_t i = 0; i < log.size(); ++i)
        (void)other.apply(desk_event(static_cast<std::int64_t>(i + 1), log[i].first, log[i].second));
    CHECK(other.desk_services() == s.desk_services());
    CHECK(other.state_hash() == s.state_hash());

    // The next office day starts with no services counted.
    CHECK(s.apply(desk_event(8, FormHandedOut{"delega", 1}, "Anna", kMonday9 + 24 * 3600 * 1000LL)).applied);
    CHECK(s.desk_services().at("form:delega").at("Anna") == 1);
    CHECK(s.desk_services().count("crs_pin") == 0);
}

TEST_CASE("site configuration: [crs_pin], [[form]] and [[bring]] read, mistakes named with file and line") {
    const SiteConfig cfg = infopoint_config(R"(
[crs_pin]
digits = false
pin_digits = 3
documents = ["cie", "passaporto"]
contacts = "tel. 0123"
[[bring]]
service = "crs-pin"
items = ["La tessera", { it = "Un documento", en = "A document" }]
forms = ["delega"]
[[bring]]
service = "a"
items = ["x"]
)");
    CHECK_FALSE(cfg.crs_pin.digits);
    CHECK(cfg.crs_pin.pin_digits == 3);
    CHECK(cfg.crs_pin.puk_digits == 2);
    CHECK(cfg.crs_pin.documents == std::vector<std::string>{"cie", "passaporto"});
    CHECK(cfg.crs_pin.contacts.get("en") == "tel. 0123");
    REQUIRE(cfg.forms.size() == 1);
    CHECK(cfg.forms[0].service == "crs-pin");
    CHECK(cfg.forms[0].sector.empty());
    CHECK(cfg.forms[0].version == Date{2026, 3, 1});
    CHECK(cfg.forms[0].line == 22);
    REQUIRE(cfg.bring.size() == 2);
    CHECK(cfg.bring[0].items.size() == 2);
    CHECK(cfg.bring[0].items[1].get("en") == "A document");
    CHECK(cfg.bring[0].forms == std::vector<std::string>{"delega"});
    CHECK(cfg.sector_of_service("cie") == cfg.find_sector("a"));

    struct Bad {
        const char* extra;
        const char* says;
    };
    for (const auto& b : {Bad{"[crs_pin]\ndocuments = [\"cei\"]\n", "office.toml:30:13: crs_pin.documents: unknown document type \"cei\" (did you mean \"cie\"?)"},
                          Bad{"[crs_pin]\npin_digits = 5\n", "office.toml:30:14:"},
                          Bad{"[[form]]\nid = \"x\"\nservice = \"cei\"\ntitle = \"X\"\nurl = \"https://e.org\"\nversion = \"2026-01-01\"\n",
                              "office.toml:31:11: form \"x\": unknown service \"cei\" (did you mean \"cie\"?)"},
                          Bad{"[[form]]\nid = \"x\"\nsector = \"a\"\ntitle = \"X\"\nversion = \"2026-01-01\"\n", "give its PDF"},
                          Bad{"[[form]]\nid = \"x\"\nsector = \"a\"\ntitle = \"X\"\nurl = \"ftp://e.org\"\nversion = \"2026-01-01\"\n",
                              "office.toml:33:7: form \"x\": url must be a web address"},
                          Bad{"[[form]]\nid = \"x\"\nsector = \"a\"\ntitle = \"X\"\nurl = \"https://e.org\"\nversion = \"2026-02-30\"\n",
                              "office.toml:34:11: form \"x\": version must be a date"},
                          Bad{"[[form]]\nid = \"delega\"\nsector = \"a\"\ntitle = \"X\"\nurl = \"https://e.org\"\nversion = \"2026-01-01\"\n",
                              "form \"delega\" is defined twice"},
                          Bad{"[[bring]]\nservice = \"a\"\nitems = [\"x\"]\nforms = [\"nope\"]\n", "unknown form \"nope\""},
                          Bad{"[[bring]]\nservice = \"a\"\nitems = []\n", "list what to bring"},
                          Bad{"[[bring]]\nservice = \"a\"\nitems = [\"x\"]\ncolour = 1\n", "unknown key"}}) {
        CAPTURE(b.extra);
        std::string text = R"(
[office]
name = "Test"
timezone = "Europe/Rome"
[hours]
monday = ["08:00-18:00"]
tuesday = ["08:00-18:00"]
wednesday = ["08:00-18:00"]
thursday = ["08:00-18:00"]
friday = ["08:00-18:00"]
[[sector]]
id = "a"
letter = "A"
colour = "#1F5FAD"
name = "Anagrafe"
  [[sector.service]]
  id = "cie"
  name = "CIE"
[[counter]]
number = 1
sectors = ["a"]
[[form]]
id = "delega"
service = "crs-pin"
title = { it = "Delega", en = "Delegation" }
url = "https://example.org/delega.pdf"
version = "2026-03-01"

)";
        text += b.extra;
        auto r = parse_site_config(text, "office.toml");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "input");
        CHECK_MESSAGE(r.error().message.find(b.says) != std::string::npos, r.error().message);
    }
}

TEST_CASE("a form whose PDF is missing is named in a warning and hidden; the configuration still loads") {
    const auto dir = std::filesystem::temp_directory_path() / ("csc-forms-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "forms");
    std::ofstream(dir / "forms/here.pdf") << "%PDF-1.4\n";
    std::ifstream in(std::string(CSC_SOURCE_ASSETS) + "/site/office.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text += "\n[[form]]\nid = \"here\"\nsector = \"protocollo\"\ntitle = \"Here\"\nfile = \"forms/here.pdf\"\nversion = \"2026-01-01\"\n";
    text += "\n[[form]]\nid = \"gone\"\nsector = \"protocollo\"\ntitle = \"Gone\"\nfile = \"forms/gone.pdf\"\nversion = \"2026-01-01\"\n";
    std::ofstream(dir / "office.toml") << text;
    auto cfg = load_site_config(dir / "office.toml");
    REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error().message));
    CHECK(cfg->find_form("here")->available);
    CHECK_FALSE(cfg->find_form("gone")->available);
    bool named = false;
    for (const auto& w : cfg->warnings) named = named || (w.find("office.toml:") != std::string::npos && w.find("gone.pdf") != std::string::npos &&
                                                          w.find("hidden") != std::string::npos);
    CHECK_MESSAGE(named, (cfg->warnings.empty() ? std::string("no warning") : cfg->warnings.back()));
    // The sample site's own forms: not next to the configuration, but in the assets (the fallback
    // the program gives), so also a copy of the sample elsewhere finds them.
    auto sample = load_site_config(std::string(CSC_SOURCE_ASSETS) + "/site/office.toml");
    REQUIRE(sample.ok());
    CHECK_FALSE(sample->warnings.empty());
    check_form_files(*sample, CSC_SOURCE_ASSETS);
    CHECK(sample->warnings.empty());
    CHECK(sample->find_form("delega-crs")->available);
    CHECK(sample->find_form("delega-crs")->file == std::filesystem::path(CSC_SOURCE_ASSETS) / "forms/delega-crs.pdf");
    check_form_files(*cfg, CSC_SOURCE_ASSETS);  // the copy: its own file still found first, the missing one still named
    CHECK(cfg->find_form("here")->file == dir / "forms/here.pdf");
    CHECK_FALSE(cfg->find_form("gone")->available);
    CHECK(cfg->find_form("delega-crs")->available);
    CHECK(sample->forms.size() >= 3);
    std::filesystem::remove_all(dir);
}

TEST_CASE("the Info Point's error codes read in Italian and English") {
    auto tr = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", {"it", "en"});
    REQUIRE(tr.ok());
    const Date today{2026, 12, 2};
    auto expired = check_identity_document("cie", "CA12345AB", "2025-01-31", today, {"cie"});
    CHECK(tr->tr_error("it", expired.error()) == "il documento è scaduto il 2025-01-31: serve un documento valido");
    CHECK(tr->tr_error("en", expired.error()) == "the document expired on 2025-01-31: a valid document is needed");
    auto short15 = parse_fiscal_code("RSSMRA80A01H501");
    CHECK(tr->tr_error("it", short15.error()) == "il codice fiscale ha 16 caratteri (ne sono stati scritti 15)");
    CHECK(tr->tr_error("en", short15.error()) == "a codice fiscale has 16 characters (15 were typed)");
    for (const char* code : {"input.fiscal_code.check_letter", "input.fiscal_code.month", "input.fiscal_code.day",
                             "input.fiscal_code.place", "input.fiscal_code.layout", "input.fiscal_code.character",
                             "input.document.type", "input.document.number", "input.document.expiry", "input.crs_pin.relation",
                             "input.crs_pin.form", "input.crs_pin.contact", "input.crs_pin.digits", "input.digits", "input.staff",
                             "input.form", "input.service", "input.bring", "printer", "crs_pin.printer_keeps_files",
                             "refused.desk.no_staff", "refused.crs_pin.form_missing", "refused.form.unknown"}) {
        CAPTURE(code);
        for (const auto& c : tr->catalogs()) CHECK(c.texts.count(std::string("error.") + code) == 1);
    }
}
