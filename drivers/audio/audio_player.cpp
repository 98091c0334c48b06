#include "drivers/audio/audio_player.hpp"

#include <alsa/asoundlib.h>

#include <algorithm>

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
        std::string error = play_on_alsa(device_, pcm);
        std::lock_guard lock(mutex_);
        if (!error.empty()) error_ = std::move(error);
        else {
            error_.clear();
            ++played_;
        }
    }
}

std::string play_on_alsa(const std::string& device, const Pcm& pcm, const std::function<bool()>& cut_short) {
    snd_pcm_t* handle = nullptr;
    int rc = snd_pcm_open(&handle, device.c_str(), SND_PCM_STREAM_PLAYBACK, 0);
    if (rc >= 0)
        rc = snd_pcm_set_params(handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                static_cast<unsigned>(pcm.sample_rate), 1, 200000);
    const std::size_t block = static_cast<std::size_t>(std::max(1, pcm.sample_rate / 20));  // 50 ms
    std::size_t done = 0;
    bool cut = false;
    while (rc >= 0 && done < pcm.samples.size()) {
        if (cut_short && cut_short()) {
            cut = true;
            break;
        }
        auto n = snd_pcm_writei(handle, pcm.samples.data() + done, std::min(block, pcm.samples.size() - done));
        if (n < 0) n = snd_pcm_recover(handle, static_cast<int>(n), 1);
        if (n < 0) {
            rc = static_cast<int>(n);
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    if (handle) {
        if (rc >= 0 && !cut) snd_pcm_drain(handle);
        else snd_pcm_drop(handle);
        snd_pcm_close(handle);
    }
    return rc < 0 ? "sound: " + device + ": " + snd_strerror(rc) : std::string();
}

}  // namespace csc::audio
