// log_capture.hpp — the program's log (everything it writes to stderr: its own "kiosk: …"
// lines and its libraries'), kept in memory too, so the service menu's Log page shows the last
// entries (issue 14 point 2) while the journal still gets every line.
//
// Contents: kLogLinesKept, LogLine, LogCapture, captured_log().
// Contract: at most one LogCapture per process. While it lives, stderr (fd 2) is a pipe read by
// one thread that writes every byte on to the original stderr first, then keeps the line; the
// destructor gives fd 2 back and joins, losing nothing written before it. The newest
// kLogLinesKept lines are kept (each cut to 500 bytes, booking codes masked: the Log page is on
// a public screen). No line is ever written anywhere else.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "shared/clock.hpp"
#include "shared/result.hpp"

namespace csc::app {

/// Lines of the log kept in memory (the newest).
inline constexpr std::size_t kLogLinesKept = 300;

/// One line of the program's log.
struct LogLine {
    Millis time = 0;   ///< when it was read (`now` of the capture)
    std::string text;  ///< as written, without the line feed
};

/// Tees stderr into memory for as long as it lives.
class LogCapture {
public:
    /// Starts the capture; `now` stamps each line (the program's injected clock).
    static Result<std::unique_ptr<LogCapture>> start(std::function<Millis()> now);
    ~LogCapture();
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

private:
    LogCapture() = default;
    void run();
    std::function<Millis()> now_;
    int original_ = -1;  // the stderr the bytes go on to
    int read_end_ = -1;
    std::thread reader_;
};

/// The lines kept so far in this process, oldest first (empty without a capture).
[[nodiscard]] std::vector<LogLine> captured_log();

}  // namespace csc::app
