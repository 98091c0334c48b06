// store_watch.hpp — noticing at once that another program wrote the office store (single
// machine: entrance, display and counters are separate processes on one store).
//
// Contents: StoreWatch.
// Contract: wait() returns as soon as a file of the store (office.db, its -wal or -journal)
// was written or replaced, or after the timeout, or when interrupt() is called; a wake-up is a
// hint to call Office::refresh() (cheap when nothing changed), never a promise that something
// did. Linux inotify; where it is not available (or a network file system never reports), the
// caller's timeout still bounds how late a change is seen.
#pragma once

#include <filesystem>

namespace csc {

/// Watches one data directory's store files.
class StoreWatch {
public:
    /// Starts watching `data_dir` (without inotify, wait() only sleeps: see available()).
    explicit StoreWatch(const std::filesystem::path& data_dir);
    ~StoreWatch();
    StoreWatch(const StoreWatch&) = delete;
    StoreWatch& operator=(const StoreWatch&) = delete;

    /// Whether changes are reported by the kernel (false: only the timeout).
    [[nodiscard]] bool available() const { return inotify_fd_ >= 0; }
    /// Blocks until a store file changed (true), `timeout_ms` passed or interrupt() (false).
    bool wait(int timeout_ms);
    /// Makes a wait() in another thread return now (thread-safe).
    void interrupt();

private:
    int inotify_fd_ = -1;
    int wake_fd_ = -1;  // eventfd for interrupt()
};

}  // namespace csc
