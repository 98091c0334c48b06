// A program's status for the IT dashboard (kiosk/app/presence_beacon.*): written at start, on
// each print job at once, every 15 s, and a last word at close; the printer's answer in the
// dashboard's words.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "kiosk/app/context.hpp"
#include "kiosk/app/presence_beacon.hpp"
#include "shared/presence/presence_board.hpp"

using namespace csc;
using presence::PrinterState;

namespace {

std::unique_ptr<app::Context> open_beacon_office(const std::filesystem::path& dir) {
    app::GlobalOptions o;
    o.assets = CSC_SOURCE_ASSETS;
    o.data = dir / "data";
    o.printer = "memory";
    o.device = "kiosk-7";
    auto ctx = app::open_context(o);
    REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().message));
    return std::move(*ctx);
}

// The board's one status, once `pred` holds for it (up to 5 s).
template <class P>
std::optional<presence::HeardStatus> board_status_when(const app::Context& ctx, P pred) {
    for (int i = 0; i < 250; ++i) {
        const auto board = presence::read_board(ctx.data_dir, ctx.clock.now());
        if (board.statuses.size() == 1 && pred(board.statuses[0].status)) return board.statuses[0];
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
}

printer::PrinterStatus answered(bool near_end, bool paper_end = false) {
    printer::PrinterStatus st;
    st.known = true;
    st.online = !paper_end;
    st.paper_near_end = near_end;
    st.paper_end = paper_end;
    return st;
}

}  // namespace

TEST_CASE("printer_presence: each answer of the printer in the dashboard's words, a failed job never 'ok'") {
    CHECK(app::printer_presence(answered(false), true, 5).state == PrinterState::Ok);
    CHECK(app::printer_presence(answered(true), true, 5).state == PrinterState::PaperNearEnd);
    CHECK(app::printer_presence(answered(false, true), false, 5).state == PrinterState::PaperEnd);
    printer::PrinterStatus cover = answered(false);
    cover.cover_open = true;
    cover.online = false;
    CHECK(app::printer_presence(cover, false, 5).state == PrinterState::CoverOpen);
    printer::PrinterStatus cutter = answered(false);
    cutter.error = cutter.cutter_error = true;
    CHECK(app::printer_presence(cutter, false, 5).state == PrinterState::Error);
    printer::PrinterStatus offline = answered(false);
    offline.online = false;
    CHECK(app::printer_presence(offline, false, 5).state == PrinterState::Offline);
    printer::PrinterStatus silent;  // no status channel
    CHECK(app::printer_presence(silent, true, 5).state == PrinterState::Unknown);
    CHECK(app::printer_presence(silent, false, 5).state == PrinterState::Error);
    CHECK(app::printer_presence(answered(false), false, 5).state == PrinterState::Error);  // said good, did not print
    CHECK(app::printer_presence(answered(true), true, 5).checked == 5);
}

TEST_CASE("PresenceBeacon: written at start, a print job at once with today's count, and a last word at close") {
    const auto dir = std::filesystem::temp_directory_path() / ("csc-beacon-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto ctx = open_beacon_office(dir);
    {
        app::PresenceBeacon beacon(*ctx, "entrance", 0, nullptr);
        beacon.has_printer();
        auto first = board_status_when(*ctx, [](const presence::DeviceStatus& s) { return s.printer.has_value(); });
        REQUIRE(first);
        CHECK(first->status.device == "kiosk-7");
        CHECK(first->status.role == "entrance");
        CHECK_FALSE(first->status.sync);  // single machine: no link to report
        CHECK(first->status.printer->checked == 0);
        CHECK_FALSE(first->status.stopping);

        beacon.printer_checked(answered(true), true);
        beacon.printer_checked(answered(true), true);
        auto near_end = board_status_when(*ctx, [](const presence::DeviceStatus& s) {
            return s.printer && s.printer->printed == 2;
        });
        REQUIRE(near_end);  // well before the 15 s turn: a print is sent at once
        CHECK(near_end->status.printer->state == PrinterState::PaperNearEnd);
        CHECK(near_end->status.printer->checked > 0);

        beacon.printer_checked(answered(false, true), false);
        auto out = board_status_when(*ctx, [](const presence::DeviceStatus& s) {
            return s.printer && s.printer->state == PrinterState::PaperEnd;
        });
        REQUIRE(out);
        CHECK(out->status.printer->printed == 2);  // the failed job is not counted
        CHECK(presence::liveness(out->status, out->received, ctx->clock.now()) == presence::Liveness::Online);
    }
    auto last = board_status_when(*ctx, [](const presence::DeviceStatus& s) { return s.stopping; });
    REQUIRE(last);
    CHECK(presence::liveness(last->status, last->received, ctx->clock.now()) == presence::Liveness::Stopped);
    std::filesystem::remove_all(dir);
}
