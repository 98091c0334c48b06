// The program's log kept in memory as well (log_capture.hpp).
#include "kiosk/app/log_capture.hpp"

#include "shared/booking/booking_code.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>

namespace csc::app {

namespace {

struct Kept {
    std::mutex mutex;
    std::deque<LogLine> lines;
};

Kept& kept() {
    static Kept k;  // one per process, as its stderr is
    return k;
}

// A booking's code lets whoever reads it cancel or move the booking: the Log page is on a
// public screen, so a code-shaped word (7 of the code's letters, or 3-3-1 with dashes) is
// masked in what is kept. The journal gets the line as written (it is the administrators').
std::string mask_booking_codes(std::string text) {
    const auto code_char = [](char c) { return kBookingCodeAlphabet.find(c) != std::string_view::npos; };
    const auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!code_char(text[i]) || (i > 0 && word_char(text[i - 1]))) continue;
        std::size_t j = i, letters = 0;
        while (j < text.size() && letters < kBookingCodeLength && (code_char(text[j]) || (text[j] == '-' && letters > 0))) {
            if (text[j] != '-') ++letters;
            ++j;
        }
        if (letters == kBookingCodeLength && (j == text.size() || !word_char(text[j])))
            for (std::size_t k = i; k < j; ++k)
                if (text[k] != '-') text[k] = '*';
        i = j;
    }
    return text;
}

void keep(Millis time, std::string text) {
    text = mask_booking_codes(std::move(text));
    if (text.size() > 500) text.resize(500);
    Kept& k = kept();
    std::lock_guard lock(k.mutex);
    k.lines.push_back({time, std::move(text)});
    while (k.lines.size() > kLogLinesKept) k.lines.pop_front();
}

bool write_all(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

}  // namespace

Result<std::unique_ptr<LogCapture>> LogCapture::start(std::function<Millis()> now) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Error{std::string("cannot keep the log: pipe: ") + std::strerror(errno)};
    const int original = ::fcntl(2, F_DUPFD_CLOEXEC, 3);
    if (original < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return Error{std::string("cannot keep the log: dup of stderr: ") + std::strerror(errno)};
    }
    std::unique_ptr<LogCapture> c(new LogCapture());
    c->now_ = std::move(now);
    c->original_ = original;
    c->read_end_ = fds[0];
    if (::dup2(fds[1], 2) < 0) {  // fd 2 itself stays open across exec: a restarted program logs on
        const std::string why = std::strerror(errno);
        ::close(fds[0]);
        ::close(fds[1]);
        ::close(original);
        return Error{"cannot keep the log: dup2: " + why};
    }
    ::close(fds[1]);
    c->reader_ = std::thread([p = c.get()] { p->run(); });
    return c;
}

LogCapture::~LogCapture() {
    // fd 2 back to the original: the pipe's last writer goes, the reader sees its end.
    std::fflush(stderr);
    ::dup2(original_, 2);
    if (reader_.joinable()) reader_.join();
    ::close(read_end_);
    ::close(original_);
}

void LogCapture::run() {
    std::string partial;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(read_end_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        (void)write_all(original_, buf, static_cast<std::size_t>(n));  // the journal first, whatever happens here
        partial.append(buf, static_cast<std::size_t>(n));
        std::size_t at = 0;
        for (std::size_t nl; (nl = partial.find('\n', at)) != std::string::npos; at = nl + 1)
            keep(now_(), partial.substr(at, nl - at));
        partial.erase(0, at);
        if (partial.size() > 4096) {  // a line without end: kept in pieces
            keep(now_(), partial);
            partial.clear();
        }
    }
    if (!partial.empty()) keep(now_(), partial);
}

std::vector<LogLine> captured_log() {
    Kept& k = kept();
    std::lock_guard lock(k.mutex);
    return {k.lines.begin(), k.lines.end()};
}

}  // namespace csc::app
