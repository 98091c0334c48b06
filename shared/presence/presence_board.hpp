// presence_board.hpp — the programs' statuses kept beside the store (DATA/presence/), one file
// per program: what the dashboard reads, whoever wrote them (the program itself, or a program of
// this machine that heard a LAN device's status).
//
// Contents: HeardStatus, presence_dir(), put_status(), read_board().
// Contract: a file is "<received ms>\n<status JSON>\n", written to a temporary file of this
// process and renamed (several programs share the folder; a reader never sees half of one).
// `received` is the writer's clock when it wrote or heard the status. A file that does not read
// back is skipped and named in `problems`, never deleted (the next status replaces it); files
// whose status is older than a day are removed by read_board().
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "shared/presence/device_status.hpp"

namespace csc::presence {

/// A status and when it reached this machine.
struct HeardStatus {
    DeviceStatus status;
    Millis received = 0;
};

/// DATA/presence.
[[nodiscard]] std::filesystem::path presence_dir(const std::filesystem::path& data_dir);
/// Writes `s` as heard at `received`; Error (nothing replaced) when the folder cannot be written.
Result<void> put_status(const std::filesystem::path& data_dir, const DeviceStatus& s, Millis received);

/// What the folder holds.
struct Board {
    std::vector<HeardStatus> statuses;  ///< sorted by presence_key
    std::vector<std::string> problems;  ///< "presence/x.json: device status refused: …"
};
/// Reads every status; removes those received more than a day before `now`.
[[nodiscard]] Board read_board(const std::filesystem::path& data_dir, Millis now);

}  // namespace csc::presence
