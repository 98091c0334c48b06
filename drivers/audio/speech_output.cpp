#include "drivers/audio/speech_output.hpp"

#include "drivers/audio/audio_player.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

namespace csc::audio {

SpeechOutput::SpeechOutput(Options options)
    : options_(std::move(options)), volume_(std::clamp(options_.volume, 10, 100)), device_(options_.device),
      worker_([this] { run(); }) {}

SpeechOutput::~SpeechOutput() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        queue_.clear();
    }
    ++generation_;
    wake_.notify_all();
    worker_.join();
}

void SpeechOutput::say(std::string text, std::string lang, bool interrupt) {
    {
        std::lock_guard lock(mutex_);
        if (interrupt) {
            queue_.clear();
            ++generation_;
        }
        queue_.push_back({std::move(text), std::move(lang), generation_.load(), volume_.load(), device_});
    }
    wake_.notify_one();
}

void SpeechOutput::silence() {
    {
        std::lock_guard lock(mutex_);
        queue_.clear();
        ++generation_;
    }
    wake_.notify_one();
}

void SpeechOutput::set_volume(int percent) { volume_.store(std::clamp(percent, 10, 100)); }

void SpeechOutput::set_device(std::string device) {
    std::lock_guard lock(mutex_);
    device_ = std::move(device);
}

std::string SpeechOutput::last_error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

int SpeechOutput::spoken() const {
    std::lock_guard lock(mutex_);
    return spoken_;
}

void SpeechOutput::run() {
    for (;;) {
        Request r;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
            if (stop_) return;
            r = std::move(queue_.front());
            queue_.pop_front();
        }
        if (r.generation != generation_.load()) continue;  // interrupted before it began
        auto synth = SpeechSynth::instance();
        if (!synth) {
            std::lock_guard lock(mutex_);
            error_ = synth.error().message;
            continue;
        }
        const auto cancelled = [this, g = r.generation] { return generation_.load() != g; };
        auto spoken = (*synth)->speak_plain(r.text, r.lang, cancelled);
        if (!spoken) {
            std::lock_guard lock(mutex_);
            error_ = spoken.error().message;
            continue;
        }
        for (auto& s : spoken->pcm.samples) s = static_cast<std::int16_t>(s * r.volume / 100);
        finish(*spoken, r);
    }
}

void SpeechOutput::finish(const SpeechSynth::Spoken& s, const Request& r) {
    std::string error;
    if (!options_.record_dir.empty()) {
        int n = 0;
        {
            std::lock_guard lock(mutex_);
            n = spoken_ + 1;
        }
        char base[16];
        std::snprintf(base, sizeof base, "%03d", n);
        std::error_code ec;
        std::filesystem::create_directories(options_.record_dir, ec);
        if (auto w = write_wav(s.pcm, options_.record_dir / (std::string(base) + ".wav")); !w) error = w.error().message;
        nlohmann::json j{{"text", r.text}, {"lang", r.lang}, {"words", s.words}, {"volume", r.volume}, {"device", r.device},
                         {"fell_back", s.fell_back}, {"cut_short", s.cancelled}, {"seconds", s.pcm.seconds()}};
        // The JSON last (renamed into place): a reader that sees it finds the WAV complete.
        const auto json = options_.record_dir / (std::string(base) + ".json");
        const auto tmp = options_.record_dir / (std::string(base) + ".json.tmp");
        std::ofstream(tmp) << j.dump(1) << '\n';
        std::filesystem::rename(tmp, json, ec);
        if (ec) error = json.string() + ": " + ec.message();
    } else if (!s.cancelled) {
        // An interruption is heard at once: the sound stops within 50 ms.
        const std::string played = play_on_alsa(r.device, s.pcm, [this, g = r.generation] { return generation_.load() != g; });
        if (!played.empty()) error = "speech: " + played;
    }
    std::lock_guard lock(mutex_);
    ++spoken_;
    if (!error.empty()) error_ = error;
    else if (!s.fell_back) error_.clear();
    else error_ = "speech: no voice for \"" + r.lang + "\": spoken with the Italian voice";
}

}  // namespace csc::audio
