// The program's log kept in memory for the service menu (kiosk/app/log_capture.hpp): every
// line written to stderr is kept and still reaches the real stderr, in order, nothing lost.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "kiosk/app/log_capture.hpp"

using namespace csc;

TEST_CASE("log capture: every line written to stderr is kept, stamped, and still reaches the original stderr") {
    const auto file = std::filesystem::temp_directory_path() / ("csc-log-" + std::to_string(::getpid()) + ".txt");
    const int saved = ::dup(2);
    const int out = ::open(file.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(out >= 0);
    ::dup2(out, 2);  // "the original stderr" of this test: a file it can read back
    {
        auto capture = app::LogCapture::start([] { return Millis{42}; });
        REQUIRE(capture.ok());
        std::cerr << "kiosk: printer: paper near end\n";
        std::fprintf(stderr, "kiosk: two lines\nin one write\n");
        std::fflush(stderr);
        const std::string long_line(6000, 'x');
        std::cerr << long_line << '\n';
        std::cerr << "kiosk: ticket booking:7K2M9QX issued but not printed: no booking 7K2-M9Q-X; AB sector\n";
        std::cerr << "no line feed at the end";
    }  // the capture ends: fd 2 is the file again, the reader has taken everything
    ::dup2(saved, 2);
    ::close(saved);
    ::close(out);
    std::ifstream in(file);
    const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(written == "kiosk: printer: paper near end\nkiosk: two lines\nin one write\n" + std::string(6000, 'x') +
                         "\nkiosk: ticket booking:7K2M9QX issued but not printed: no booking 7K2-M9Q-X; AB sector\n"
                         "no line feed at the end");  // the journal gets the code
    const auto lines = app::captured_log();
    REQUIRE(lines.size() >= 5);
    CHECK(lines.back().text == "no line feed at the end");
    // Kept for the public screen: a booking's code masked, raw or with its dashes; other words not.
    CHECK(lines[lines.size() - 2].text == "kiosk: ticket booking:******* issued but not printed: no booking ***-***-*; AB sector");
    std::size_t i = lines.size() - 2;
    while (i > 0 && lines[i - 1].text.find_first_not_of('x') == std::string::npos) {
        --i;
        CHECK(lines[i].text.size() <= 500);  // a line is kept cut (a very long one in pieces); the journal gets it whole
    }
    REQUIRE(i >= 3);
    CHECK(i < lines.size() - 2);  // at least one piece of the long line
    CHECK(lines[i - 3].text == "kiosk: printer: paper near end");
    CHECK(lines[i - 3].time == 42);
    CHECK(lines[i - 2].text == "kiosk: two lines");
    CHECK(lines[i - 1].text == "in one write");
    std::filesystem::remove(file);
}
