// The headset jack (drivers/audio/headset_jack.hpp): which ALSA controls count as a headset,
// the file source's changes, and what a machine without a sound card says. (ALSA's own jack
// events need a sound card with a jack: not on the machines these tests run on.)
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <fstream>
#include <thread>

#include <alsa/asoundlib.h>
#include <unistd.h>

#include "drivers/audio/headset_jack.hpp"

using namespace csc::audio;

namespace {

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

}  // namespace

TEST_CASE("headphone jacks are told from the other jacks by their ALSA control names") {
    for (const char* yes : {"Headphone Jack", "Front Headphone Jack", "Headset Mic Jack", "Headphone Mic Jack"})
        CHECK_MESSAGE(is_headphone_jack(yes), yes);
    for (const char* no : {"Mic Jack", "Line Out Jack", "Speaker Phantom Jack", "HDMI/DP,pcm=3 Jack", "Headphone Playback Switch",
                           "Headphone Playback Volume", "Front Mic Jack", ""})
        CHECK_MESSAGE(!is_headphone_jack(no), no);
}

TEST_CASE("the file source: plugged while it holds 1, each change reported once") {
    const auto file = std::filesystem::temp_directory_path() / ("csc-jack-" + std::to_string(::getpid()));
    std::filesystem::remove(file);
    std::atomic<int> changes{0};
    HeadsetJack jack({file, [&] { ++changes; }});
    CHECK(jack.describe().find(file.string()) != std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(!jack.plugged());  // no file: not plugged
    CHECK(changes == 0);
    std::ofstream(file) << "1\n";
    REQUIRE(wait_until([&] { return jack.plugged(); }));
    CHECK(wait_until([&] { return changes == 1; }));
    std::ofstream(file) << "0\n";
    REQUIRE(wait_until([&] { return !jack.plugged(); }));
    CHECK(wait_until([&] { return changes == 2; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(changes == 2);  // no change, no report
    std::filesystem::remove(file);
}

TEST_CASE("without a sound card with a headphone jack: never plugged, and it says why; stopping returns at once") {
    int cards = 0;
    for (int i = -1; snd_card_next(&i) == 0 && i >= 0;) ++cards;
    const auto t0 = std::chrono::steady_clock::now();
    {
        HeadsetJack jack({{}, {}});
        REQUIRE(wait_until([&] { return !jack.describe().empty(); }));
        if (cards == 0) {
            CHECK(jack.describe() == "no headphone jack reported by ALSA (no sound card, or none with a jack control)");
            CHECK(!jack.plugged());
        } else {
            MESSAGE("this machine has " << cards << " sound card(s): " << jack.describe());
        }
    }
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
}
