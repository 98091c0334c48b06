// Core errors as codes with arguments, translated where they are shown (issue 10, point 7):
// the counter desk's refusals carry a code, every code has a text in the shipped catalogues,
// and the English message stays for logs and the CLI.
#include <doctest/doctest.h>

#include <filesystem>

#include "shared/i18n.hpp"
#include "shared/office.hpp"
#include "tests/core/queue_fixture.hpp"
#include "tests/core/test_support.hpp"

using namespace csc;
using namespace csc::test;

namespace {
Translator shipped() {
    auto tr = Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", {"it", "en"});
    REQUIRE_MESSAGE(tr.ok(), (tr.ok() ? "" : tr.error().message));
    return std::move(*tr);
}
}  // namespace

TEST_CASE("a refused counter action is a code with arguments: Italian on the screen, English in the log") {
    const auto dir = csc::test::fresh_dir("codes", "refused");
    ManualClock clock(kMonday9);
    auto opened = Office::open(queue_config(), dir, clock, "k1");
    REQUIRE(opened.ok());
    Office& office = **opened;
    const Translator tr = shipped();

    auto r = office.call_next(1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "counter 1 is closed: open it first");
    CHECK(r.error().code == "refused.counter.closed");
    CHECK(r.error().args == ErrorArgs{{"counter", "1"}});
    CHECK(tr.tr_error("it", r.error()) == "lo sportello 1 è chiuso: lo apra prima");
    CHECK(tr.tr_error("en", r.error()) == "counter 1 is closed: open it first");

    REQUIRE(office.open_counter(1).ok());
    auto nobody = office.call_next(1);
    REQUIRE_FALSE(nobody.ok());
    CHECK(nobody.error().code == "refused.counter.nobody_waiting");
    CHECK(tr.tr_error("it", nobody.error()) == "nessuno in attesa per lo sportello 1");

    IssueRequest req;
    req.sector = "a";
    REQUIRE(office.issue(req).ok());
    REQUIRE(office.call_next(1).ok());
    auto busy = office.close_counter(1);
    REQUIRE_FALSE(busy.ok());
    CHECK(busy.error().code == "refused.counter.busy");
    CHECK(tr.tr_error("it", busy.error()) == "allo sportello 1 c'è ancora il numero A001: lo concluda prima");
    REQUIRE(office.start_service(1).ok());
    CHECK(tr.tr_error("it", office.recall(1).error()) == "il numero A001 è già in servizio");
    // A refusal without a code of its own still reads as Italian, never as the English reason.
    auto unknown = office.open_counter(77);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == "refused");
    CHECK(tr.tr_error("it", unknown.error()) == "l'azione non è possibile in questo momento");
    std::filesystem::remove_all(dir);
}

TEST_CASE("every error code the screens may show has a text in every shipped catalogue; unknown codes fall back") {
    const Translator tr = shipped();
    for (const char* code : {"store.full", "store.readonly", "store.permission", "store.locked", "store.corrupt", "clock",
                             "input", "lan.unconfirmed", "refused", "refused.counter.closed", "refused.counter.paused",
                             "refused.counter.busy", "refused.counter.nobody_waiting", "refused.counter.no_ticket",
                             "refused.counter.already_open", "refused.counter.already_closed", "refused.counter.not_open",
                             "refused.counter.not_paused", "refused.ticket.serving", "booking", "booking.unknown",
                             "booking.other_sector", "booking.other_service", "booking.already_checked_in",
                             "booking.cancelled", "booking.cancelled_by_office", "booking.no_show", "booking.other_day",
                             "booking.too_early", "booking.too_late", "booking.not_bookable", "booking.not_a_slot",
                             "booking.closed", "booking.past", "booking.too_soon", "booking.too_far",
                             "booking.hold_expired", "booking.full", "booking.person_limit", "booking.code",
                             "booking.code.lookalike", "booking.code.letters", "booking.code.length", "booking.code.check",
                             "booking.code_taken", "booking.same_slot", "booking.not_yet",
                             "booking.closure_past", "booking.closure_date", "booking.not_late", "booking.walked_in",
                             "booking.staff_only", "offline"}) {
        CAPTURE(code);
        for (const auto& c : tr.catalogs()) CHECK(c.texts.count(std::string("error.") + code) == 1);
    }
    CHECK(tr.tr_error("it", fail_as("store.newer", "x")) == tr.tr("it", "error.store"));  // the family's text
    CHECK(tr.tr_error("it", fail("disk on fire")) == tr.tr("it", "error.generic"));         // no code: never the English
    CHECK(tr.tr_error("en", fail_as("refused.counter.closed", "x", {{"counter", "4"}})) ==
          "counter 4 is closed: open it first");
}

TEST_CASE("a check-in refused by the agenda reads in Italian and English from its code, with the time to come back") {
    const Translator tr = shipped();
    const Error early = fail_as("booking.too_early", "too early: check-in for K7PQX4M opens at 09:30",
                                {{"code", "K7PQX4M"}, {"time", "09:30"}});
    CHECK(tr.tr_error("it", early) == "è presto: la registrazione per K7PQX4M apre alle 09:30");
    CHECK(tr.tr_error("en", early) == "too early: check-in for K7PQX4M opens at 09:30");
    CHECK(tr.tr_error("it", fail_as("booking.code.check", "x")) ==
          "il codice ha un errore di battitura (l'ultimo carattere non corrisponde)");
    CHECK(tr.tr_error("it", fail_as("booking.some_new_reason", "x")) == tr.tr("it", "error.booking"));  // the family's text
    CHECK(tr.tr_or_text("it", "closure.office_closed") == "ufficio chiuso");
    CHECK(tr.tr_or_text("en", "closure.local_holiday") == "local holiday");
    CHECK(tr.tr_or_text("it", "Natale") == "Natale");
}
