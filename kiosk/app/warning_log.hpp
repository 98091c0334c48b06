// warning_log.hpp — the warnings a long-running program printed, kept in its memory too, so the
// IT dashboard (/admin, docs/WEB.md) can show them beside the store's own alarms.
//
// Contents: kWarningsKept, ProgramWarning, remember_warning(), recent_warnings().
// Contract: one list per process, bounded (the newest kWarningsKept; older ones are dropped and
// counted), thread-safe, in memory only: a restart empties it, and each process (each device)
// has its own. It is a copy: callers still print the warning to stderr, the program's log.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "shared/clock.hpp"

namespace csc::app {

/// Warnings a process keeps (the newest).
inline constexpr std::size_t kWarningsKept = 100;

/// One warning as printed to the program's log (English, like the log).
struct ProgramWarning {
    Millis time = 0;   ///< the injected clock's time when it was noted
    std::string text;  ///< without the "kiosk: " prefix
};

/// Keeps `text` (cut to 500 bytes) at `time` in this process's list.
void remember_warning(Millis time, std::string text);
/// This process's warnings, oldest first, and how many older ones were dropped.
[[nodiscard]] std::vector<ProgramWarning> recent_warnings(std::size_t* dropped = nullptr);

}  // namespace csc::app
