// proc_stats.hpp — what the benchmarks read about a running program from /proc.
#pragma once

#include <sys/types.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace csc::bench {

/// utime + stime of process `pid` so far, in clock ticks (/proc/PID/stat fields 14 and 15).
inline long cpu_ticks(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(f)), {});
    std::istringstream in(text.substr(text.rfind(')') + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
        if (i == 14) utime = std::stol(field);
        if (i == 15) stime = std::stol(field);
    }
    return utime + stime;
}

/// A "Key:   123 kB" line of /proc/PID/status in kB (RssAnon, VmRSS, …), or -1.
inline long status_kb(pid_t pid, const std::string& key) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(key + ":", 0) == 0) return std::atol(line.c_str() + key.size() + 1);
    return -1;
}

}  // namespace csc::bench
