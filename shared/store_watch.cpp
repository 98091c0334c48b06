#include "shared/store_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string_view>

namespace csc {

StoreWatch::StoreWatch(const std::filesystem::path& data_dir) {
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    inotify_fd_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (inotify_fd_ < 0) return;
    // The directory, not the files: the -wal file comes and goes (checkpoints), and a watch on a
    // file that is replaced would go silent.
    if (::inotify_add_watch(inotify_fd_, data_dir.c_str(), IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO) < 0) {
        ::close(inotify_fd_);
        inotify_fd_ = -1;
    }
}

StoreWatch::~StoreWatch() {
    if (inotify_fd_ >= 0) ::close(inotify_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

void StoreWatch::interrupt() {
    const std::uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
}

bool StoreWatch::wait(int timeout_ms) {
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    const nfds_t n = inotify_fd_ >= 0 ? 2 : 1;
    if (::poll(fds, n, timeout_ms) <= 0) return false;
    if (fds[0].revents & POLLIN) {
        std::uint64_t count = 0;
        (void)!::read(wake_fd_, &count, sizeof count);
        return false;
    }
    // Drain every queued event; report a change only for the store's own files.
    bool store_changed = false;
    alignas(inotify_event) char buf[4096];
    for (;;) {
        const ssize_t len = ::read(inotify_fd_, buf, sizeof buf);
        if (len <= 0) break;
        for (ssize_t off = 0; off < len;) {
            const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
            // Not office.db-shm: readers touch it (its memory map reports nothing, but be sure).
            const std::string_view name = ev->len > 0 ? std::string_view(ev->name) : std::string_view();
            if (name == "office.db" || name == "office.db-wal" || name == "office.db-journal") store_changed = true;
            off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
        }
    }
    return store_changed;
}

}  // namespace csc
