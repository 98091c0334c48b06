// maintenance.hpp — what the service menu does to the device besides reading it (issue 14,
// point 2): the audit record of each action, and the configured reboot and shut-down commands.
//
// Contents: record_maintenance(), run_device_command().
// Contract: blocking (the store, a child process): call from a RoleWorker, never from a frame.
// The record is written before the action it describes, so a reboot is never missing from the
// audit; nothing here decides whether the action is allowed (the menu's sign-in did).
#pragma once

#include <string>

#include "shared/office.hpp"
#include "shared/result.hpp"

namespace csc::app {

/// Records maintenance.done `action` (a kMaintenanceActions entry) by maintainer `who`.
[[nodiscard]] Result<void> record_maintenance(Office& office, const std::string& who, const std::string& action,
                                              const std::string& detail = {});
/// Runs `command` with /bin/sh -c (no signal blocked) and waits for it (at most 30 s, then it is
/// killed); its exit status, or why it could not run, as an Error.
[[nodiscard]] Result<void> run_device_command(const std::string& command);

}  // namespace csc::app
