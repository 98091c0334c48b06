// headset_jack.hpp — whether a headset is plugged into the kiosk's audio jack (issue 13, point
// 6; EN 301 549 8.2.2: a standard 3.5 mm jack for private listening). Plugging one starts
// speech mode at the entrance, and its voice goes to the headset.
//
// Contents: is_headphone_jack(), HeadsetJack.
// Contract: the state is watched on the object's own thread; plugged() and describe() return at
// once, `on_change` is called from that thread after each change (the GUI's wake()).
// Source: ALSA's jack controls (the kernel's HD-audio and USB-audio drivers report a jack's
// state as a BOOLEAN control of the CARD interface named "… Jack"): on every sound card, each
// one is_headphone_jack() names, read at start and again at each of the card's value-change
// events. Plugged = any of them on. Or `file` (a test hook, and for a kiosk whose jack ALSA
// does not report, set by its own script): plugged while it holds "1", read every 200 ms;
// then the cards are not looked at. No card, or no headphone jack control on any: never
// plugged, and describe() says so. The object never fails: a card that cannot be opened is
// left out and named in describe().
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace csc::audio {

/// True for the name of an ALSA jack control that reports headphones or a headset ("Headphone
/// Jack", "Front Headphone Jack", "Headset Mic Jack", "Headphone Mic Jack"); false for the
/// others ("Mic Jack", "Line Out Jack", "Speaker Phantom Jack", "HDMI/DP,pcm=3 Jack").
[[nodiscard]] bool is_headphone_jack(std::string_view control_name);

class HeadsetJack {
public:
    struct Options {
        std::filesystem::path file;       ///< not empty: the state is this file's ("1" = plugged)
        std::function<void()> on_change;  ///< called on the watching thread after each change
    };
    explicit HeadsetJack(Options options);
    ~HeadsetJack();
    HeadsetJack(const HeadsetJack&) = delete;
    HeadsetJack& operator=(const HeadsetJack&) = delete;

    /// A headset is plugged in now.
    [[nodiscard]] bool plugged() const { return plugged_.load(); }
    /// What is watched ("hw:0 'Headphone Jack'", "the file …") or why nothing is ("no headphone
    /// jack reported by ALSA …"); "" until the watching thread has looked at the cards.
    [[nodiscard]] std::string describe() const;

private:
    void run();
    void watch_file();
    void watch_cards();
    void set(bool plugged);
    Options options_;
    std::atomic<bool> plugged_{false};
    std::atomic<bool> stopping_{false};
    int wake_pipe_[2] = {-1, -1};  // written by the destructor: the thread's poll() returns
    mutable std::mutex mutex_;
    std::string described_;  // "" until known
    std::thread thread_;
};

}  // namespace csc::audio
