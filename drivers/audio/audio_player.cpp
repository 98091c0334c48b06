#include "drivers/audio/audio_player.hpp"

#include <alsa/asoundlib.h>

namespace csc::audio {

AudioPlayer::AudioPlayer(std::string device) : device_(std::move(device)), worker_([this] { run(); }) {}

AudioPlayer::~AudioPlayer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        queue_.clear();
    }
    wake_.notify_all();
    worker_.join();
}

void AudioPlayer::play(Pcm pcm) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(pcm));
    }
    wake_.notify_one();
}

std::string AudioPlayer::last_error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

int AudioPlayer::played() const {
    std::lock_guard lock(mutex_);
    return played_;
}

void AudioPlayer::run() {
    for (;;) {
        Pcm pcm;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
            if (stop_) return;
            pcm = std::move(queue_.front());
            queue_.pop_front();
        }
        // Open per sound: a USB speaker plugged in later is found, and the card is free between calls.
        snd_pcm_t* handle = nullptr;
        int rc = snd_pcm_open(&handle, device_.c_str(), SND_PCM_STREAM_PLAYBACK, 0);
        if (rc >= 0)
            rc = snd_pcm_set_params(handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                    static_cast<unsigned>(pcm.sample_rate), 1, 200000);
        std::size_t done = 0;
        while (rc >= 0 && done < pcm.samples.size()) {
            auto n = snd_pcm_writei(handle, pcm.samples.data() + done, pcm.samples.size() - done);
            if (n < 0) n = snd_pcm_recover(handle, static_cast<int>(n), 1);
            if (n < 0) {
                rc = static_cast<int>(n);
                break;
            }
            done += static_cast<std::size_t>(n);
        }
        if (handle) {
            if (rc >= 0) snd_pcm_drain(handle);
            snd_pcm_close(handle);
        }
        std::lock_guard lock(mutex_);
        if (rc < 0) error_ = "sound: " + device_ + ": " + snd_strerror(rc);
        else {
            error_.clear();
            ++played_;
        }
    }
}

}  // namespace csc::audio
