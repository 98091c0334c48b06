// cli_common.hpp — what several command groups of the CLI share: the office opened with its
// LAN session, and an error reported the one way (a line on stderr, the exit code for it).
//
// Contents: OpenedOffice, open_office(), report_error().
// Contract: open_office() returns the application context and, in LAN mode, a session that
// has caught up for up to 3 s (the session is null on a single machine).
#pragma once

#include <memory>

#include "kiosk/app/context.hpp"
#include "kiosk/app/lan_session.hpp"

namespace csc::cli {

/// The office of one command: its context and, in LAN mode, its session.
struct OpenedOffice {
    std::unique_ptr<app::Context> ctx;
    std::unique_ptr<app::LanSession> lan;
    /// The office itself.
    Office& office() { return *ctx->office; }
};

/// Opens the office of `options` and, in LAN mode, starts its session (catching up ≤ 3 s).
Result<OpenedOffice> open_office(const app::GlobalOptions& options);

/// Prints "kiosk: <message>" on stderr and returns the exit code for `e`.
int report_error(const Error& e);

}  // namespace csc::cli
