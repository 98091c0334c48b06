#include "drivers/audio/headset_jack.hpp"

#include <alsa/asoundlib.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <memory>
#include <vector>

namespace csc::audio {

bool is_headphone_jack(std::string_view name) {
    if (!name.ends_with(" Jack") || name.find("Phantom") != std::string_view::npos) return false;
    return name.find("Headphone") != std::string_view::npos || name.find("Headset") != std::string_view::npos;
}

HeadsetJack::HeadsetJack(Options options) : options_(std::move(options)) {
    if (!options_.file.empty()) described_ = "the file " + options_.file.string() + " (\"1\" = plugged)";
    if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) wake_pipe_[0] = wake_pipe_[1] = -1;
    thread_ = std::thread([this] { run(); });
}

HeadsetJack::~HeadsetJack() {
    stopping_.store(true);
    if (wake_pipe_[1] >= 0) {
        const char c = 1;
        [[maybe_unused]] const auto n = ::write(wake_pipe_[1], &c, 1);
    }
    if (thread_.joinable()) thread_.join();
    for (int fd : wake_pipe_)
        if (fd >= 0) ::close(fd);
}

std::string HeadsetJack::describe() const {
    std::lock_guard lock(mutex_);
    return described_;
}

void HeadsetJack::set(bool plugged) {
    if (plugged_.exchange(plugged) != plugged && options_.on_change) options_.on_change();
}

void HeadsetJack::run() {
    if (!options_.file.empty()) watch_file();
    else watch_cards();
}

void HeadsetJack::watch_file() {
    while (!stopping_.load()) {
        std::ifstream in(options_.file);
        std::string text;
        in >> text;
        set(text == "1");
        pollfd wake{wake_pipe_[0], POLLIN, 0};
        ::poll(&wake, wake_pipe_[0] >= 0 ? 1 : 0, 200);
    }
}

namespace {

// One card's control handle and its headphone jack controls (by numid).
struct Card {
    std::string name;
    snd_ctl_t* ctl = nullptr;
    std::vector<std::pair<unsigned, std::string>> jacks;
    ~Card() {
        if (ctl) snd_ctl_close(ctl);
    }
};

std::vector<std::pair<unsigned, std::string>> headphone_jacks(snd_ctl_t* ctl) {
    std::vector<std::pair<unsigned, std::string>> out;
    snd_ctl_elem_list_t* list = nullptr;
    if (snd_ctl_elem_list_malloc(&list) < 0) return out;
    if (snd_ctl_elem_list(ctl, list) >= 0 && snd_ctl_elem_list_alloc_space(list, snd_ctl_elem_list_get_count(list)) >= 0 &&
        snd_ctl_elem_list(ctl, list) >= 0) {
        for (unsigned i = 0; i < snd_ctl_elem_list_get_used(list); ++i)
            if (snd_ctl_elem_list_get_interface(list, i) == SND_CTL_ELEM_IFACE_CARD &&
                is_headphone_jack(snd_ctl_elem_list_get_name(list, i)))
                out.emplace_back(snd_ctl_elem_list_get_numid(list, i), snd_ctl_elem_list_get_name(list, i));
        snd_ctl_elem_list_free_space(list);
    }
    snd_ctl_elem_list_free(list);
    return out;
}

bool any_plugged(const std::vector<std::unique_ptr<Card>>& cards) {
    snd_ctl_elem_value_t* value = nullptr;
    if (snd_ctl_elem_value_malloc(&value) < 0) return false;
    bool on = false;
    for (const auto& card : cards)
        for (const auto& [numid, name] : card->jacks) {
            snd_ctl_elem_value_clear(value);
            snd_ctl_elem_value_set_numid(value, numid);
            if (snd_ctl_elem_read(card->ctl, value) >= 0 && snd_ctl_elem_value_get_boolean(value, 0)) on = true;
        }
    snd_ctl_elem_value_free(value);
    return on;
}

}  // namespace

void HeadsetJack::watch_cards() {
    std::vector<std::unique_ptr<Card>> cards;
    std::string described, left_out;
    for (int index = -1; snd_card_next(&index) == 0 && index >= 0;) {
        auto card = std::make_unique<Card>();
        card->name = "hw:" + std::to_string(index);
        if (const int e = snd_ctl_open(&card->ctl, card->name.c_str(), SND_CTL_NONBLOCK); e < 0) {
            card->ctl = nullptr;
            left_out += (left_out.empty() ? "" : "; ") + card->name + ": " + snd_strerror(e);
            continue;
        }
        card->jacks = headphone_jacks(card->ctl);
        if (card->jacks.empty() || snd_ctl_subscribe_events(card->ctl, 1) < 0) continue;
        for (const auto& [numid, name] : card->jacks) described += (described.empty() ? "" : ", ") + card->name + " '" + name + "'";
        cards.push_back(std::move(card));
    }
    {
        std::lock_guard lock(mutex_);
        described_ = !described.empty() ? described : "no headphone jack reported by ALSA (no sound card, or none with a jack control)";
        if (!left_out.empty()) described_ += " (not opened: " + left_out + ")";
    }
    if (cards.empty()) return;  // never plugged
    set(any_plugged(cards));
    snd_ctl_event_t* event = nullptr;
    if (snd_ctl_event_malloc(&event) < 0) return;
    while (!stopping_.load()) {
        std::vector<pollfd> fds{{wake_pipe_[0], POLLIN, 0}};
        for (const auto& card : cards) {
            const int n = snd_ctl_poll_descriptors_count(card->ctl);
            const std::size_t at = fds.size();
            fds.resize(at + std::size_t(std::max(n, 0)));
            if (n > 0) snd_ctl_poll_descriptors(card->ctl, fds.data() + at, static_cast<unsigned>(n));
        }
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
        if (stopping_.load()) break;
        bool changed = false;
        for (const auto& card : cards)
            while (snd_ctl_read(card->ctl, event) > 0)
                changed = changed || (snd_ctl_event_get_type(event) == SND_CTL_EVENT_ELEM &&
                                      (snd_ctl_event_elem_get_mask(event) & SND_CTL_EVENT_MASK_VALUE) != 0);
        if (changed) set(any_plugged(cards));
    }
    snd_ctl_event_free(event);
}

}  // namespace csc::audio
