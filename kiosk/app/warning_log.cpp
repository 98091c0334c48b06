#include "kiosk/app/warning_log.hpp"

#include <deque>
#include <mutex>

namespace csc::app {

namespace {

struct WarningList {
    std::mutex mutex;
    std::deque<ProgramWarning> items;
    std::size_t dropped = 0;
};

WarningList& warning_list() {
    static WarningList list;  // one per process, as the program's stderr is
    return list;
}

}  // namespace

void remember_warning(Millis time, std::string text) {
    if (text.size() > 500) text.resize(500);  // may cut a UTF-8 sequence: JSON output replaces it
    WarningList& l = warning_list();
    std::lock_guard lock(l.mutex);
    l.items.push_back(ProgramWarning{time, std::move(text)});
    while (l.items.size() > kWarningsKept) {
        l.items.pop_front();
        ++l.dropped;
    }
}

std::vector<ProgramWarning> recent_warnings(std::size_t* dropped) {
    WarningList& l = warning_list();
    std::lock_guard lock(l.mutex);
    if (dropped) *dropped = l.dropped;
    return {l.items.begin(), l.items.end()};
}

}  // namespace csc::app
