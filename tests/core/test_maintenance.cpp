// What a maintainer does at a device from the service menu (issue 14): maintenance.done —
// codec, strict decoding, refusals, and that it changes no queue state.
#include <doctest/doctest.h>

#include "shared/events.hpp"
#include "shared/office_state.hpp"
#include "tests/core/queue_fixture.hpp"

using namespace csc;
using namespace csc::test;

namespace {

Event done_by(std::int64_t seq, MaintenanceDone body, const std::string& by) {
    Event e;
    e.device = "kiosk-1";
    e.seq = seq;
    e.id = make_event_id(e.device, seq);
    e.time = kMonday9 + 20 * kMin;
    e.by = by;
    e.body = std::move(body);
    return e;
}

}  // namespace

TEST_CASE("maintenance.done: every action round-trips, an unknown one or an overlong detail is refused by the codec") {
    for (std::string_view action : kMaintenanceActions) {
        const Event e = done_by(1, {std::string(action), action == "printer-profile" ? "epson-tm-t20iii" : ""}, "Marco");
        CAPTURE(encode_event(e));
        REQUIRE(validate_event(e).ok());
        auto back = decode_event(encode_event(e));
        REQUIRE(back.ok());
        CHECK(*back == e);
    }
    CHECK(encode_event(done_by(1, {"test-page", ""}, "Marco")).find("\"type\":\"maintenance.done\"") != std::string::npos);
    const auto unknown = validate_event(done_by(1, {"format-disk", ""}, "Marco"));
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message.find("format-disk") != std::string::npos);
    CHECK_FALSE(validate_event(done_by(1, {"restart", std::string(201, 'x')}, "Marco")).ok());
    CHECK_FALSE(validate_event(done_by(1, {"restart", "line\nbreak"}, "Marco")).ok());
}

TEST_CASE("maintenance.done: needs the maintainer who did it, and moves no queue") {
    Office1 o(queue_config());
    o.issue("a");
    const auto before = o.state.state_hash();
    const auto nobody = o.state.apply(done_by(1, {"paper-changed", ""}, ""));
    CHECK_FALSE(nobody.applied);
    CHECK(nobody.code == "desk.no_staff");
    const auto done = o.state.apply(done_by(2, {"paper-changed", ""}, "Marco"));
    CHECK(done.applied);
    CHECK(o.state.state_hash() == before);
    CHECK(o.state.tickets().size() == 1);
}
