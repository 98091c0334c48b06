#include "kiosk/cli/cli_common.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "kiosk/cli/commands.hpp"

namespace csc::cli {

Result<OpenedOffice> open_office(const app::GlobalOptions& options) {
    auto ctx = app::open_context(options);
    if (!ctx) return ctx.error();
    auto lan = app::start_lan_session(**ctx, 3000);
    if (!lan) return lan.error();
    return OpenedOffice{std::move(*ctx), std::move(*lan)};
}

int report_error(const Error& e) {
    std::cerr << "kiosk: " << e.message << '\n';
    return app::exit_code_for(e);
}

namespace {
std::atomic<bool> restart_asked{false};
}  // namespace

void request_restart() { restart_asked = true; }

std::string restart_if_requested() {
    if (!restart_asked) return {};
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    const std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> words;
    for (std::size_t at = 0; at < line.size();) {
        const std::size_t end = line.find('\0', at);
        words.push_back(line.substr(at, end == std::string::npos ? std::string::npos : end - at));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    if (words.empty()) return "cannot read this program's command line (/proc/self/cmdline)";
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    std::cout.flush();
    std::cerr << "kiosk: restarting (" << words.size() << " words of command line)" << std::endl;
    execv("/proc/self/exe", argv.data());
    return std::string("cannot start again: ") + std::strerror(errno);
}

}  // namespace csc::cli
