// Programs' statuses (shared/presence/): what a status may hold, what is refused and why, when a
// program counts as online (on the receiver's clock), and the folder the dashboard reads.
#include <doctest/doctest.h>

#include <fstream>

#include "shared/presence/device_status.hpp"
#include "shared/presence/presence_board.hpp"
#include "test_support.hpp"

using namespace csc;
using namespace csc::presence;

namespace {

DeviceStatus full_status() {
    DeviceStatus s;
    s.device = "kiosk-1";
    s.role = "entrance";
    s.sent = 1'780'000'000'000;
    s.started = 1'779'999'000'000;
    s.printer = PrinterPresence{PrinterState::PaperNearEnd, "online, paper near end", 1'779'999'990'000, 57};
    s.sync = SyncPresence{true, 1200, 1205, 3, ""};
    return s;
}

std::string refusal(const std::string& json) {
    auto r = read_device_status(json);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "input");
    return r.error().message;
}

}  // namespace

TEST_CASE("presence: a status reads back as it was written, with every field") {
    const DeviceStatus s = full_status();
    auto back = read_device_status(write_device_status(s));
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message));
    CHECK(*back == s);

    DeviceStatus counter;
    counter.device = "pc-sportello.3";
    counter.role = "counter";
    counter.counter = 3;
    counter.stopping = true;
    auto c = read_device_status(write_device_status(counter));
    REQUIRE(c.ok());
    CHECK(*c == counter);
    CHECK(presence_key(*c) == "pc-sportello.3.counter3");
    CHECK(presence_key(s) == "kiosk-1.entrance");
}

TEST_CASE("presence: a long printer detail is cut whole characters short, and still reads back") {
    DeviceStatus s = full_status();
    s.printer->detail.clear();
    for (int i = 0; i < 150; ++i) s.printer->detail += "è";  // 300 bytes
    auto back = read_device_status(write_device_status(s));
    REQUIRE(back.ok());
    CHECK(back->printer->detail.size() == 200);
    CHECK(back->printer->detail == s.printer->detail.substr(0, 200));
}

TEST_CASE("presence: a malformed status is refused, saying what is wrong") {
    CHECK(refusal("not json").find("not a JSON object") != std::string::npos);
    CHECK(refusal("[1,2]").find("not a JSON object") != std::string::npos);
    CHECK(refusal(R"({"v":2,"device":"a","role":"web","sent":1,"started":1})").find("version 2") != std::string::npos);
    CHECK(refusal(R"({"v":1,"role":"web","sent":1,"started":1})").find("\"device\" is missing") != std::string::npos);
    CHECK(refusal(R"({"v":1,"device":"a b","role":"web","sent":1,"started":1})").find("\"device\" must be") != std::string::npos);
    CHECK(refusal(R"({"v":1,"device":"a","role":"printer","sent":1,"started":1})").find("not a role") != std::string::npos);
    CHECK(refusal(R"({"v":1,"device":"a","role":"web","sent":-5,"started":1})").find("\"sent\" must be a whole number") != std::string::npos);
    CHECK(refusal(R"({"v":1,"device":"a","role":"counter","sent":1,"started":1})").find("\"counter\" must be 1–999") != std::string::npos);
    CHECK(refusal(R"({"v":1,"device":"a","role":"web","counter":2,"sent":1,"started":1})").find("\"counter\"") != std::string::npos);
    CHECK(refusal(R"({"v":1,"device":"a","role":"entrance","sent":1,"started":1,"printer":{"state":"melting","checked":1,"printed":0}})")
              .find("\"melting\" is not a printer state") != std::string::npos);
    CHECK(refusal(R"({"v":1,"device":"a","role":"entrance","sent":1,"started":1,"printer":{"state":"ok","printed":0}})")
              .find("printer: \"checked\" is missing") != std::string::npos);
    CHECK(refusal(R"({"v":1,"device":"a","role":"sync","sent":1,"started":1,"sync":{"online":"yes","applied_seq":1,"stream_last_seq":1,"unconfirmed":0}})")
              .find("sync: \"online\" must be true or false") != std::string::npos);
    CHECK(refusal(std::string(3000, ' ')).find("longer than 2048") != std::string::npos);
}

TEST_CASE("presence: online is judged on the receiver's clock, three missed statuses make it gone") {
    DeviceStatus s = full_status();
    s.sent = 5;  // the sender's clock is decades wrong: it does not matter
    const Millis received = 1'000'000;
    CHECK(liveness(s, received, received) == Liveness::Online);
    CHECK(liveness(s, received, received + kPresenceGoneAfterMs) == Liveness::Online);
    CHECK(liveness(s, received, received + kPresenceGoneAfterMs + 1) == Liveness::Gone);
    // The receiver's clock went back an hour: the status seems to come from the future.
    CHECK(liveness(s, received, received - 3'600'000) == Liveness::Gone);
    s.stopping = true;
    CHECK(liveness(s, received, received) == Liveness::Stopped);
    CHECK(liveness(s, received, received + 10 * kPresenceGoneAfterMs) == Liveness::Stopped);
}

TEST_CASE("presence: the folder keeps one file per program, skips a damaged one and forgets day-old ones") {
    const auto dir = test::fresh_dir("presence", "board");
    DeviceStatus a = full_status();
    DeviceStatus b;
    b.device = "display-1";
    b.role = "display";
    const Millis now = 1'800'000'000'000;
    REQUIRE(put_status(dir, a, now - 1000).ok());
    REQUIRE(put_status(dir, b, now - 25LL * 3600 * 1000).ok());  // a day and an hour ago
    a.printer->printed = 58;
    REQUIRE(put_status(dir, a, now).ok());  // replaces the first
    std::ofstream(presence_dir(dir) / "broken.web.json") << "17\n{\"v\":1}\n";
    std::ofstream(presence_dir(dir) / "nodate.web.json") << "yesterday\n{}\n";

    const Board board = read_board(dir, now);
    REQUIRE(board.statuses.size() == 1);
    CHECK(board.statuses[0].status == a);
    CHECK(board.statuses[0].received == now);
    REQUIRE(board.problems.size() == 2);
    CHECK(board.problems[0].find("presence/") == 0);
    const std::string all = board.problems[0] + board.problems[1];
    CHECK(all.find("\"device\" is missing") != std::string::npos);
    CHECK(all.find("not the time it was received") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(presence_dir(dir) / "display-1.display.json"));  // forgotten
    CHECK(std::filesystem::exists(presence_dir(dir) / "broken.web.json"));               // never deleted
    std::filesystem::remove_all(dir);
}

TEST_CASE("presence: an unwritable folder is an error that names it") {
    const auto dir = test::fresh_dir("presence", "readonly");
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "presence") << "a file where the folder should be";
    auto r = put_status(dir, full_status(), 1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find((dir / "presence").string()) != std::string::npos);
    std::filesystem::remove_all(dir);
}
