// store_backup.hpp — a copy of the office's store taken while the office runs, and putting one
// back (`kiosk backup`, `kiosk restore`; issue 14 point 9).
//
// Contents: BackupReport, backup_store(), RestoreReport, check_backup(), restore_store().
// Contract: all SQL of backups lives here. backup_store() copies DATA_DIR/office.db with SQLite's
// online backup in one read transaction (a consistent copy while other programs record), checks
// the copy (integrity_check) and only then moves it to `output` (mode 0600: it holds citizens'
// data); it never overwrites an existing file and never leaves a partial one. restore_store()
// refuses a backup that is damaged, is not an office store, or was written by a newer program,
// and refuses while any program has the store open (a running role, `kiosk serve`, `kiosk sync`);
// the store it replaces is first copied beside it (office.db.before-restore-…): nothing is lost.
// A backup of an older schema is restored as it is; the next program to open it migrates it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "shared/result.hpp"

namespace csc {

/// What a backup holds.
struct BackupReport {
    std::filesystem::path file;   ///< the backup (or the checked file)
    std::int64_t bytes = 0;       ///< its size
    std::int64_t events = 0;      ///< events in its log
    int schema_version = 0;       ///< the store's schema version (PRAGMA user_version)
};

/// Copies the store in `data_dir` to `output` (a new file). Codes: "store.missing", "backup.exists",
/// "backup.io", and the store's own (store.locked, store.corrupt, …).
[[nodiscard]] Result<BackupReport> backup_store(const std::filesystem::path& data_dir, const std::filesystem::path& output);

/// Opens `file` read-only and says whether it can be restored: "backup.missing", "backup.damaged",
/// "backup.not_a_store", "backup.newer" (newer than this program's schema).
[[nodiscard]] Result<BackupReport> check_backup(const std::filesystem::path& file);

/// What a restore did.
struct RestoreReport {
    BackupReport restored;                   ///< the backup put in place
    std::filesystem::path kept_aside;        ///< the store it replaced ("" = there was none)
};

/// Replaces the store in `data_dir` with `backup` (checked first with check_backup()).
/// "store.in_use" while another program has the store open; nothing is changed on any refusal.
[[nodiscard]] Result<RestoreReport> restore_store(const std::filesystem::path& data_dir, const std::filesystem::path& backup,
                                                  const std::string& stamp);

}  // namespace csc
