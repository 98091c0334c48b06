// The service menu's actions on the device (maintenance.hpp).
#include "kiosk/app/maintenance.hpp"

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
    pid_t pid = 0;
    if (const int e = posix_spawn(&pid, "/bin/sh", nullptr, nullptr, argv.data(), environ); e != 0)
        return Error{"cannot run \"" + command + "\": " + std::strerror(e)};
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
        if (std::chrono::steady_clock::now() >= give_up) return Error{"\"" + command + "\" did not finish within 30 s"};
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace csc::app
