// speech_output.hpp — the entrance kiosk's voice in speech mode (EN 301 549 5.1.3): what the
// screen says is synthesized with espeak-ng and played on the headset or the speaker, one
// utterance after another, the newest able to cut the one playing short.
//
// Contents: SpeechOutput.
// Contract: say() and the rest return at once; synthesis and playing run on the object's own
// thread. With `record_dir` set nothing is played: each utterance is written there as NNN.wav
// and NNN.json (text, language, the words espeak-ng reports it said — a word joined by an apostrophe
// comes as its first letter —, volume, the device it would have played on) — the GUI test's
// ear. No sound card is reported once in last_error() and the screen goes on. A text given
// here is never logged (it may be a citizen's booking).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "drivers/audio/call_announcer.hpp"

namespace csc::audio {

class SpeechOutput {
public:
    struct Options {
        std::string device = "default";     ///< ALSA PCM (the headset's, when the kiosk has one)
        std::filesystem::path record_dir;   ///< not empty: write utterances here instead of playing
        int volume = 70;                    ///< percent of full scale, 10..100
    };
    explicit SpeechOutput(Options options);
    ~SpeechOutput();
    SpeechOutput(const SpeechOutput&) = delete;
    SpeechOutput& operator=(const SpeechOutput&) = delete;

    /// Speaks `text` in `lang` after what is queued; `interrupt`: what is playing or queued stops first.
    void say(std::string text, std::string lang, bool interrupt);
    /// Stops what is playing and drops what is queued.
    void silence();
    /// The ALSA device of what is said after this call (a headset plugged in or out).
    void set_device(std::string device);
    /// The volume of what is said after this call, in percent (clamped to 10..100).
    void set_volume(int percent);
    [[nodiscard]] int volume() const { return volume_.load(); }
    /// The last problem ("" if none): no voice, no sound card, a record file not written.
    [[nodiscard]] std::string last_error() const;
    /// Utterances synthesized so far (played, recorded or cut short).
    [[nodiscard]] int spoken() const;

private:
    struct Request {
        std::string text, lang;
        unsigned generation = 0;
        int volume = 70;  // as set when it was said
        std::string device;  // as set when it was said
    };
    void run();
    void finish(const SpeechSynth::Spoken& s, const Request& r);
    Options options_;
    std::atomic<int> volume_;
    std::string device_;  // under mutex_
    std::atomic<unsigned> generation_{0};  // bumped by an interruption: older requests stop
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Request> queue_;
    std::string error_;
    int spoken_ = 0;
    bool stop_ = false;
    std::thread worker_;
};

}  // namespace csc::audio
