// usb_export.hpp — the office's figures and the day's data copied to a USB stick (issue 14,
// point 2, "Export"): the sticks plugged in, found in sysfs; the stick mounted read-write only
// for the copy (mount(2) as root, else udisks2 through `udisksctl`), the files written and
// flushed, the stick unmounted before the result is given.
//
// Contents: ExportVolume, find_export_volumes(), ExportResult, export_folder_name(),
//           write_export(), export_to_device().
// Contract: blocking (the store, the disk): call from a RoleWorker or the CLI, never from a
// frame. Only statistics and visits are written, never a citizen's name, contact or booking
// code. The copy goes into a new folder, written under a ".partial" name and renamed when whole
// (an existing one is never overwritten, a failed one removed); only FAT, exFAT, NTFS and ext4
// are mounted (nosuid, nodev, noexec, nosymfollow); a stick that is mounted elsewhere already is
// refused (export into that folder instead), and a stick that cannot be flushed or unmounted
// after the copy is reported as not safe to pull out.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/app/context.hpp"
#include "kiosk/app/statistics.hpp"

namespace csc::app {

/// A place an export can go.
struct ExportVolume {
    std::string device;         ///< "/dev/sdb1"
    std::string name;           ///< "SanDisk Cruzer Blade (sdb1)", or the device for a configured one
    std::uint64_t bytes = 0;    ///< its size (0 = unknown)
    bool configured = false;    ///< named by [service_menu] export_device, not found as a USB stick
};

/// The USB sticks plugged in: every partition (or whole disk without partitions) of a
/// removable disk on USB under `sys_class_block` (/sys/class/block), by device name — but disks
/// with anything of theirs mounted (in `mountinfo`: the system's own when it boots from USB) —
/// then the configured devices that exist. The kernel's tables are read, nothing is touched.
[[nodiscard]] std::vector<ExportVolume> find_export_volumes(const std::filesystem::path& sys_class_block = "/sys/class/block",
                                                            const std::vector<std::string>& configured = {},
                                                            const std::filesystem::path& mountinfo = "/proc/self/mountinfo");

/// What an export wrote.
struct ExportResult {
    std::string folder;               ///< the new folder's name on the stick
    std::vector<std::string> files;   ///< the files in it, in the order written
    std::uint64_t bytes = 0;          ///< their total size
    std::string device;               ///< the stick ("" = written into a folder given by path)
};

/// "csc-export-2026-11-26-1030": the folder one export makes (the office's local time).
[[nodiscard]] std::string export_folder_name(const Context& ctx, Millis now);

/// Writes the export into a new folder under `dir`: statistics of `range` by day, hour,
/// sector, service, counter and operator (CSV with ';' and a BOM for Italian spreadsheets, and
/// one JSON with all of them), the monthly report (PDF) of the range's last month, and the
/// visits of the range's last day (CSV: times and waits, no names). Each file is flushed to
/// the disk before the next.
[[nodiscard]] Result<ExportResult> write_export(const Context& ctx, const std::filesystem::path& dir, const StatsRange& range);

/// Mounts `device` read-write (nosuid, nodev, noexec) on a folder of its own, write_export()
/// into it, flushes and unmounts it. An Error says what failed and whether the stick may be
/// pulled out.
[[nodiscard]] Result<ExportResult> export_to_device(const Context& ctx, const std::string& device, const StatsRange& range);

}  // namespace csc::app
