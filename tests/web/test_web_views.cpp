// The web pages' views (kiosk/web/web_views.*): pure functions of the state, the sample site
// configuration and the real catalogues, checked without a server.
#include <doctest/doctest.h>

#include "kiosk/web/web_input.hpp"
#include "kiosk/web/web_views.hpp"
#include "web_sample.hpp"

using namespace csc;

namespace {

using Sample = test::WebSample;

LocalTime at(int y, int m, int d, int weekday, int hour, int minute) {
    LocalTime t;
    t.date = {y, m, d};
    t.weekday = weekday;
    t.hour = hour;
    t.minute = minute;
    return t;
}

Ticket ticket(TicketStatus status, int counter = 0, std::string lang = "it") {
    Ticket t;
    t.id = "kiosk-1:7";
    t.sector = "protocollo";
    t.label = "C007";
    t.lang = std::move(lang);
    t.status = status;
    t.counter = counter;
    t.token = "AAAAAAAAAAAAAAAAAAAAAA";
    return t;
}

}  // namespace

TEST_CASE("web ticket view: each state says what the citizen does next, in the ticket's language") {
    Sample s;
    web::TicketInput in{ticket(TicketStatus::Waiting), 3, WaitForecast{12, 8, 21, false}, at(2026, 11, 26, 3, 9, 5)};
    auto j = web::ticket_json(s.config, s.tr, in);
    CHECK(j["state"] == "waiting");
    CHECK(j["ahead"] == 3);
    CHECK(j["message"] == "3 persone prima di lei");
    CHECK(j["wait"]["text"] == "Attesa 8–21 min");  // the paper's rounding (told_wait): low down, high up
    CHECK(j["sector"]["colour"] == "#2C6E31");
    CHECK(j["updated"] == "09:05");
    in.ahead = 1;
    CHECK(web::ticket_json(s.config, s.tr, in)["message"] == "1 persona prima di lei");
    in.ahead = 0;
    CHECK(web::ticket_json(s.config, s.tr, in)["message"] == "Il prossimo numero è il suo");

    in = {ticket(TicketStatus::Called, 4), 0, std::nullopt, at(2026, 11, 26, 3, 9, 30)};
    j = web::ticket_json(s.config, s.tr, in);
    CHECK(j["state"] == "called");
    CHECK(j["message"] == "Tocca a lei: vada allo sportello 4");
    CHECK(j["wait"].is_null());
    in.ticket.status = TicketStatus::Serving;
    CHECK(web::ticket_json(s.config, s.tr, in)["state"] == "serving");
    in.ticket.status = TicketStatus::Served;
    CHECK(web::ticket_json(s.config, s.tr, in)["state"] == "done");
    for (auto gone : {TicketStatus::NoShow, TicketStatus::Cancelled, TicketStatus::NotServed})
        CHECK(web::ticket_json(s.config, s.tr, web::TicketInput{ticket(gone), 0, {}, {}})["state"] == "gone");
    // A transferred ticket waits again in its new queue.
    CHECK(web::ticket_json(s.config, s.tr, web::TicketInput{ticket(TicketStatus::Transferred), 2, {}, {}})["state"] == "waiting");

    auto en = web::ticket_json(s.config, s.tr, web::TicketInput{ticket(TicketStatus::Called, 2, "en"), 0, {}, {}});
    CHECK(en["lang"] == "en");
    CHECK(en["message"] == "Your turn: go to counter 2");
    // A language the office does not load: its first language.
    CHECK(web::ticket_json(s.config, s.tr, web::TicketInput{ticket(TicketStatus::Served, 0, "xx"), 0, {}, {}})["lang"] == "it");
}

TEST_CASE("web waits view: open or closed with when it reopens, and the week's hours with holidays") {
    Sample s;
    web::WaitsInput in;
    in.outlook = {SectorOutlook{"anagrafe", 4, 9, 2, WaitForecast{20, 10, 31, false}},
                  SectorOutlook{"protocollo", 0, 0, 1, WaitForecast{0.5, 0, 1, false}}};
    in.now = at(2026, 12, 7, 0, 10, 0);  // Monday 7 December, 10:00: open; the 8th is a holiday
    auto j = web::waits_json(s.config, s.tr, "it", in);
    CHECK(j["open"] == true);
    CHECK(j["status"] == "Aperto");
    REQUIRE(j["sectors"].size() == 2);
    CHECK(j["sectors"][0]["waiting"] == 4);
    CHECK(j["sectors"][0]["waiting_text"] == "4 in attesa");
    CHECK(j["sectors"][0]["wait"]["text"] == "Attesa 10–31 min");
    CHECK(j["sectors"][1]["waiting_text"] == "Nessuna attesa");
    REQUIRE(j["week"].size() == 7);
    CHECK(j["week"][0]["day"] == "lunedì");
    CHECK(j["week"][1]["date"] == "2026-12-08");  // Immacolata: closed whatever Tuesday's hours say
    CHECK(j["week"][1]["closed"] == true);
    CHECK(j["week"][1]["hours"] == "Chiuso");
    CHECK(j["week"][6]["day"] == "domenica");
    CHECK(j["week"][6]["closed"] == true);

    in.now = at(2026, 12, 7, 0, 19, 0);  // Monday evening: closed, reopens Wednesday (the 8th is a holiday)
    in.reopening = app::next_reopening(s.config, 1'796'666'400'000);  // 2026-12-07 18:00 UTC = 19:00 in Rome
    REQUIRE(in.reopening);
    CHECK(in.reopening->days_ahead == 2);
    j = web::waits_json(s.config, s.tr, "it", in);
    CHECK(j["open"] == false);
    CHECK(j["sectors"][0]["wait"].is_null());
    CHECK(std::string(j["status"]).find("Ufficio chiuso") == 0);
    CHECK(std::string(j["status"]).find("mercoledì") != std::string::npos);
    // Nothing personal and no token in the public view.
    CHECK(j.dump().find("AAAAAAAAAAAAAAAAAAAAAA") == std::string::npos);
}

TEST_CASE("web: a ticket is found by its token only, and a token only of its exact shape") {
    Sample s;
    OfficeState state(s.config);
    Event e;
    e.device = "kiosk-1";
    e.seq = 1;
    e.id = make_event_id(e.device, e.seq);
    e.time = 1'796'288'400'000;  // 2026-12-03 09:00 UTC: a Thursday, open
    TicketIssued b;
    b.sector = "protocollo";
    b.token = "Abcdefghijklmnopqrstu_";
    e.body = b;
    REQUIRE(state.apply(e).applied);
    const Ticket* t = web::find_ticket_by_token(state, "Abcdefghijklmnopqrstu_");
    REQUIRE(t != nullptr);
    CHECK(t->label == "C001");
    CHECK(web::find_ticket_by_token(state, "Abcdefghijklmnopqrstu-") == nullptr);
    CHECK(web::find_ticket_by_token(state, "") == nullptr);
    CHECK(web::find_ticket_by_token(state, "Abcdefghijklmnopqrstu_x") == nullptr);
}

TEST_CASE("web language: ?lang wins when served, else the first served Accept-Language tag, else the office's first") {
    const std::vector<std::string> spoken{"it", "en", "ro", "fr"};
    const auto speaks = [](const std::string& l) { return l != "fr"; };  // fr listed, no catalogue
    CHECK(web::pick_language("en", "ro-RO,ro;q=0.9", spoken, speaks) == "en");
    CHECK(web::pick_language("", "ro-RO,ro;q=0.9,en;q=0.8", spoken, speaks) == "ro");
    CHECK(web::pick_language("de", " DE-de, EN-gb;q=0.5", spoken, speaks) == "en");  // case folded, region dropped
    CHECK(web::pick_language("fr", "fr,de", spoken, speaks) == "it");                  // listed but not loaded
    CHECK(web::pick_language("", ",,;q=1,", spoken, speaks) == "it");
    CHECK(web::pick_language("<script>", "", spoken, speaks) == "it");                 // nothing echoed
}
