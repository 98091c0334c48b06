// The service menu's actions on the device (maintenance.hpp).
#include "kiosk/app/maintenance.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

extern char** environ;

namespace csc::app {

Result<void> record_maintenance(Office& office, const std::string& who, const std::string& action, const std::string& detail) {
    auto r = office.record(MaintenanceDone{action, detail}, who);
    if (!r) return r.error();
    return {};
}

Result<void> run_device_command(const std::string& command) {
    if (command.empty()) return Error{"no command is configured for this"};
    std::string sh = "/bin/sh", dash_c = "-c", text = command;
    std::vector<char*> argv{sh.data(), dash_c.data(), text.data(), nullptr};
    // The shell starts with no signal blocked and default handlers (the program blocks the
    // signals it waits for in every thread), so systemd can stop it like any other process.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, "/bin/sh", nullptr, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    if (spawned != 0) return Error{"cannot run \"" + command + "\": " + std::strerror(spawned)};
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
        int status = 0;
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
            if (WIFEXITED(status))
                return Error{"\"" + command + "\" failed with exit status " + std::to_string(WEXITSTATUS(status))};
            return Error{"\"" + command + "\" was stopped by signal " + std::to_string(WTERMSIG(status))};
        }
        if (done < 0 && errno != EINTR) return Error{"cannot wait for \"" + command + "\": " + std::strerror(errno)};
        if (std::chrono::steady_clock::now() >= give_up) {
            ::kill(pid, SIGKILL);  // never left running behind the menu's back
            ::waitpid(pid, &status, 0);
            return Error{"\"" + command + "\" did not finish within 30 s and was stopped"};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace csc::app
