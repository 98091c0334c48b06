// Satisfaction (issue 15, point 4): feedback.given — codec, the refusals (not served, twice,
// unknown ticket, a reason with a rating that is not "bad", a staff member named), what it
// changes (the ticket's rating, hashed) and that a refused one changes nothing.
#include <doctest/doctest.h>

#include "shared/events.hpp"
#include "shared/office_state.hpp"
#include "tests/core/queue_fixture.hpp"

using namespace csc;
using namespace csc::test;

namespace {

Event rating_event(std::int64_t seq, FeedbackGiven body, const std::string& by = {}, Millis time = kMonday9 + 30 * kMin) {
    Event e;
    e.device = "web";
    e.seq = seq;
    e.id = make_event_id("web", seq);
    e.time = time;
    e.by = by;
    e.body = std::move(body);
    return e;
}

// One ticket served at counter 1, one waiting: their ids.
struct ServedAndWaiting {
    std::string served, waiting;
};
ServedAndWaiting serve_one(Office1& o) {
    o.issue("a");
    o.issue("a");
    o.ok(CounterOpened{1});
    const std::string label = o.serve(1);
    REQUIRE(label == "A001");
    return {o.state.find_label("A001")->id, o.state.find_label("A002")->id};
}

}  // namespace

TEST_CASE("feedback.given: codec round trip and strict decoding of every field") {
    for (const FeedbackGiven& body : {FeedbackGiven{"t1:1", "good", "", "web"}, FeedbackGiven{"t1:1", "so-so", "", "screen"},
                                      FeedbackGiven{"t1:1", "bad", "", "web"}, FeedbackGiven{"t1:1", "bad", "waiting", "web"},
                                      FeedbackGiven{"t1:1", "bad", "staff", "cli"}, FeedbackGiven{"t1:1", "bad", "came-back", "web"},
                                      FeedbackGiven{"t1:1", "bad", "outcome", "screen"}}) {
        const Event e = rating_event(1, body);
        CAPTURE(encode_event(e));
        CHECK(validate_event(e).ok());
        auto back = decode_event(encode_event(e));
        REQUIRE(back.ok());
        CHECK(*back == e);
    }
    CHECK(encode_event(rating_event(1, {"t1:1", "good", "", "web"})).find("\"type\":\"feedback.given\"") != std::string::npos);
    // Each field is checked: the ticket named, a known rating, a known reason only with "bad", a known channel.
    CHECK_FALSE(validate_event(rating_event(1, {"", "good", "", "web"})).ok());
    CHECK_FALSE(validate_event(rating_event(1, {"t1:1", "excellent", "", "web"})).ok());
    CHECK_FALSE(validate_event(rating_event(1, {"t1:1", "bad", "rude", "web"})).ok());
    CHECK_FALSE(validate_event(rating_event(1, {"t1:1", "good", "waiting", "web"})).ok());
    CHECK_FALSE(validate_event(rating_event(1, {"t1:1", "good", "", "email"})).ok());
    const auto why = validate_event(rating_event(1, {"t1:1", "so-so", "staff", "web"}));
    REQUIRE_FALSE(why.ok());
    CHECK(why.error().message.find("reason") != std::string::npos);
    const std::string head = R"({"v":1,"id":"web:1","device":"web","seq":1,"time":1795425000000,"type":"feedback.given","body":)";
    CHECK(decode_event(head + R"({"ticket":"t1:1","rating":"good","channel":"web"}})").ok());
    CHECK_FALSE(decode_event(head + R"({"ticket":"t1:1","channel":"web"}})").ok());                  // no rating
    CHECK_FALSE(decode_event(head + R"({"ticket":"t1:1","rating":"good"}})").ok());                  // no channel
    CHECK_FALSE(decode_event(head + R"({"rating":"good","channel":"web"}})").ok());                  // no ticket
    CHECK_FALSE(decode_event(head + R"({"ticket":"t1:1","rating":1,"channel":"web"}})").ok());       // not a string
    CHECK_FALSE(decode_event(head + R"({"ticket":"t1:1","rating":"bad","reason":7,"channel":"web"}})").ok());
}

TEST_CASE("feedback.given: a served ticket of today is rated once, and the rating is kept on the ticket") {
    Office1 o(queue_config());
    const auto ids = serve_one(o);
    auto r = o.state.apply(rating_event(1, {ids.served, "bad", "waiting", "web"}));
    REQUIRE_MESSAGE(r.applied, r.reason);
    CHECK(r.ticket_id == "web:1");  // the event's own id: the ticket was not open, nothing ended
    CHECK(o.state.find_ticket(ids.served)->feedback == "bad");
    CHECK(o.state.find_ticket(ids.served)->status == TicketStatus::Served);

    // A second rating of the same ticket is refused, whatever it says, and changes nothing.
    const auto h = o.state.state_hash();
    auto twice = o.state.apply(rating_event(2, {ids.served, "good", "", "screen"}));
    CHECK_FALSE(twice.applied);
    CHECK(twice.code == "feedback.already");
    CHECK(twice.args == ErrorArgs{{"ticket", "A001"}});
    CHECK(twice.reason.find("already rated") != std::string::npos);
    CHECK(o.state.find_ticket(ids.served)->feedback == "bad");
    CHECK(o.state.state_hash() == h);
}

TEST_CASE("feedback.given: refused for a ticket not served, unknown, with a reason that needs \"bad\", or naming staff") {
    Office1 o(queue_config());
    const auto ids = serve_one(o);
    const auto h = o.state.state_hash();

    auto waiting = o.state.apply(rating_event(1, {ids.waiting, "good", "", "web"}));
    CHECK_FALSE(waiting.applied);
    CHECK(waiting.code == "feedback.not_served");
    CHECK(waiting.reason.find("A002 has not been served (waiting)") != std::string::npos);

    auto unknown = o.state.apply(rating_event(2, {"t1:99", "good", "", "web"}));
    CHECK_FALSE(unknown.applied);
    CHECK(unknown.code == "feedback.unknown_ticket");

    // The judge checks what the decoder checks too (an event made in the program, never decoded).
    auto reason = o.state.apply(rating_event(3, {ids.served, "so-so", "staff", "web"}));
    CHECK_FALSE(reason.applied);
    CHECK(reason.code == "feedback.reason");
    auto rating = o.state.apply(rating_event(4, {ids.served, "great", "", "web"}));
    CHECK_FALSE(rating.applied);
    CHECK(rating.code == "feedback.rating");

    // Anonymous: a rating that names who recorded it is refused.
    auto named = o.state.apply(rating_event(5, {ids.served, "good", "", "screen"}, "Anna"));
    CHECK_FALSE(named.applied);
    CHECK(named.code == "feedback.not_anonymous");

    CHECK(o.state.find_ticket(ids.served)->feedback.empty());
    CHECK(o.state.state_hash() == h);
    // … and after all these the ticket can still be rated once.
    CHECK(o.state.apply(rating_event(6, {ids.served, "good", "", "web"})).applied);
}

TEST_CASE("feedback.given: a ticket in service, called, or of an earlier day cannot be rated") {
    Office1 o(queue_config());
    o.issue("a");
    o.ok(CounterOpened{1});
    CHECK(o.call(1) == "A001");
    const std::string id = o.state.find_label("A001")->id;
    auto called = o.state.apply(rating_event(1, {id, "good", "", "web"}));
    CHECK_FALSE(called.applied);
    CHECK(called.code == "feedback.not_served");
    o.ok(ServiceStarted{1});
    auto serving = o.state.apply(rating_event(2, {id, "good", "", "web"}));
    CHECK_FALSE(serving.applied);
    CHECK(serving.code == "feedback.not_served");
    o.ok(ServiceFinished{1, {}});
    // The next day: yesterday's ticket is gone with its day.
    auto tomorrow = o.state.apply(rating_event(3, {id, "good", "", "web"}, {}, kMonday9 + 24 * 3'600'000LL));
    CHECK_FALSE(tomorrow.applied);
    CHECK(tomorrow.code == "feedback.unknown_ticket");
}
