// audio_player.hpp — plays PCM on the machine's sound card (ALSA "default") on its own
// thread, one sound after another. With no sound card it reports so once and stays silent:
// the display goes on calling on screen.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "drivers/audio/call_announcer.hpp"

namespace csc::audio {

/// Plays `pcm` on the ALSA PCM `device` and waits for its end (opened per sound: a USB speaker
/// plugged in later is found, and the card is free between sounds). `cut_short`, asked every
/// 50 ms of sound, stops it at once (the rest dropped). "" when played or cut short, else why not
/// ("sound: default: No such file or directory").
[[nodiscard]] std::string play_on_alsa(const std::string& device, const Pcm& pcm, const std::function<bool()>& cut_short = {});

class AudioPlayer {
public:
    /// `device`: ALSA PCM name ("default", "plughw:0,0", …).
    explicit AudioPlayer(std::string device = "default");
    ~AudioPlayer();
    AudioPlayer(const AudioPlayer&) = delete;
    AudioPlayer& operator=(const AudioPlayer&) = delete;

    /// Queues a sound (returns at once).
    void play(Pcm pcm);
    /// The last playback problem ("" if none), e.g. "no sound card".
    [[nodiscard]] std::string last_error() const;
    /// Sounds played to the end so far.
    [[nodiscard]] int played() const;

private:
    void run();
    std::string device_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Pcm> queue_;
    std::string error_;
    int played_ = 0;
    bool stop_ = false;
    std::thread worker_;
};

}  // namespace csc::audio
