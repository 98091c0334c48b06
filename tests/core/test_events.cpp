// Event codec: round trip, and strict rejection of everything malformed.
#include <doctest/doctest.h>

#include "shared/events.hpp"

using namespace csc;

namespace {
Event sample() {
    Event e;
    e.device = "kiosk-1";
    e.seq = 42;
    e.id = make_event_id(e.device, e.seq);
    e.time = 1'790'000'000'000;
    TicketIssued b;
    b.sector = "anagrafe";
    b.service = "carta-identita";
    b.lang = "en";
    e.body = b;
    return e;
}
}  // namespace

TEST_CASE("an event survives encode/decode unchanged") {
    const Event e = sample();
    const auto text = encode_event(e);
    CHECK(text.find("\"type\":\"ticket.issued\"") != std::string::npos);
    auto back = decode_event(text);
    REQUIRE(back.ok());
    CHECK(*back == e);
    Event off = sample();
    std::get<TicketIssued>(off.body).offline_number = 517;
    auto back2 = decode_event(encode_event(off));
    REQUIRE(back2.ok());
    CHECK(std::get<TicketIssued>(back2->body).offline_number == 517);
}

TEST_CASE("malformed events are rejected with a reason, never thrown") {
    const std::string good = encode_event(sample());
    auto rejected = [](const std::string& text) {
        auto r = decode_event(text);
        CHECK_FALSE(r.ok());
        return r.ok() ? std::string() : r.error().message;
    };
    CHECK(rejected("").find("not a JSON object") != std::string::npos);
    CHECK(rejected("[1,2]").find("not a JSON object") != std::string::npos);
    CHECK(rejected("{\"v\":1") != "");
    std::string v2 = good;
    v2.replace(v2.find("\"v\":1"), 5, "\"v\":2");
    CHECK(rejected(v2).find("version 2") != std::string::npos);
    std::string unknown = good;
    unknown.replace(unknown.find("ticket.issued"), 13, "ticket.eaten");
    CHECK(rejected(unknown).find("unknown type") != std::string::npos);
    std::string wrong_id = good;
    wrong_id.replace(wrong_id.find("kiosk-1:42"), 10, "kiosk-2:42");
    CHECK(rejected(wrong_id).find("id does not match") != std::string::npos);
    std::string wrong_type = good;
    wrong_type.replace(wrong_type.find("\"seq\":42"), 8, "\"seq\":\"42\"");
    CHECK(rejected(wrong_type).find("seq") != std::string::npos);
    CHECK(rejected(std::string(kMaxEncodedEventSize + 1, ' ')).find("over the limit") != std::string::npos);
    std::string bad_device = good;
    bad_device.replace(bad_device.find("\"device\":\"kiosk-1\""), 18, "\"device\":\"Kiosk 1\"");
    CHECK(rejected(bad_device).find("device") != std::string::npos);
}

TEST_CASE("ticket.cancelled keeps the reason key; an older event without one still decodes") {
    Event e = sample();
    e.by = "Anna Bianchi";
    e.body = TicketCancelled{"kiosk-1:7", "infopoint.cancel.wrong_sector"};
    auto back = decode_event(encode_event(e));
    REQUIRE(back.ok());
    CHECK(*back == e);
    CHECK(std::get<TicketCancelled>(back->body).reason == "infopoint.cancel.wrong_sector");
    e.body = TicketCancelled{"kiosk-1:7", ""};
    const auto text = encode_event(e);
    CHECK(text.find("reason") == std::string::npos);  // as events were written before
    auto old = decode_event(text);
    REQUIRE(old.ok());
    CHECK(std::get<TicketCancelled>(old->body).reason.empty());
}

TEST_CASE("ticket token: random, 22 base64url characters, and the decoder refuses any other shape") {
    auto a = new_ticket_token();
    auto b = new_ticket_token();
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->size() == kTicketTokenLength);
    CHECK(is_ticket_token(*a));
    CHECK(*a != *b);
    Event e = sample();
    std::get<TicketIssued>(e.body).token = *a;
    auto back = decode_event(encode_event(e));
    REQUIRE(back.ok());
    CHECK(std::get<TicketIssued>(back->body).token == *a);
    for (const std::string bad : {"short", "AAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAAA/", "AAAAAAAAAAAAAAAAAAAAAAA",
                                  "AAAAAAAAAAAAAAAAAAAA\u00e9"}) {
        std::string text = encode_event(e);
        text.replace(text.find(*a), a->size(), bad);
        auto r = decode_event(text);
        CHECK_FALSE(r.ok());
        if (!r.ok()) CHECK(r.error().message.find("token") != std::string::npos);
    }
    // An event without a token (older programs) still reads.
    auto old = decode_event(encode_event(sample()));
    REQUIRE(old.ok());
    CHECK(std::get<TicketIssued>(old->body).token.empty());
}
