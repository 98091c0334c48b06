// usb_export.hpp — the office's figures and the day's data copied to a USB stick (issue 14,
// point 2, "Export"): the sticks plugged in, found in sysfs; the stick mounted read-write only
// for the copy, the files written and flushed, the stick unmounted before the result is given.
// Mounting needs root: the packaged screen (user csc-kiosk) asks a root helper over a Unix
// socket (`kiosk export --stdio` started per connection by csc-kiosk-export.socket), which
// exports only to a stick find_export_volumes() offers.
//
// Contents: ExportVolume, find_export_volumes(), ExportResult, export_folder_name(),
//           write_export(), kExportHelperSocket, export_helper_socket(), export_to_device_as_root(),
//           export_through_helper(), export_to_device().
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

/// Where the root export helper listens (the package's csc-kiosk-export.socket).
inline constexpr const char* kExportHelperSocket = "/run/csc-kiosk/export.sock";
/// The helper's socket: $CSC_EXPORT_SOCKET when set, else kExportHelperSocket.
[[nodiscard]] std::filesystem::path export_helper_socket();

/// As root: mounts `device` read-write (nosuid, nodev, noexec, nosymfollow) on a folder of its
/// own under /run, write_export() into it, flushes and unmounts it. An Error says what failed
/// and whether the stick may be pulled out. (The helper's work, and the CLI's run as root.)
[[nodiscard]] Result<ExportResult> export_to_device_as_root(const Context& ctx, const std::string& device, const StatsRange& range);
/// The same through the root helper listening on `socket_path` (`kiosk export --stdio` behind a
/// systemd socket): one JSON line asked, one answered. For a program that may not mount.
[[nodiscard]] Result<ExportResult> export_through_helper(const std::filesystem::path& socket_path, const std::string& device,
                                                         const StatsRange& range);
/// export_to_device_as_root() when this program is root and $CSC_EXPORT_SOCKET is not set, else
/// export_through_helper(export_helper_socket()).
[[nodiscard]] Result<ExportResult> export_to_device(const Context& ctx, const std::string& device, const StatsRange& range);

}  // namespace csc::app
