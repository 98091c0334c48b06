#include "kiosk/app/speech_guide.hpp"

#include <algorithm>
#include <cmath>

namespace csc::app {

namespace {
// `a` and `b` as two sentences: a full stop between them unless `a` ends with one of its own.
std::string sentences(std::string a, const std::string& b) {
    if (b.empty()) return a;
    if (a.empty()) return b;
    static const char* const stops[] = {".", "!", "?", ":", "\xE3\x80\x82" /* 。 */, "\xD8\x9F" /* ؟ */, "\xEF\xBC\x9F" /* ？ */};
    bool stopped = false;
    for (const char* s : stops) {
        const std::size_t n = std::char_traits<char>::length(s);
        stopped = stopped || (a.size() >= n && a.compare(a.size() - n, n, s) == 0);
    }
    return a + (stopped ? " " : ". ") + b;
}

bool is_back(const std::string& id) {
    return id == "back" || (id.size() > 5 && id.compare(id.size() - 5, 5, ":back") == 0);
}
}  // namespace

SpeechGuide::SpeechGuide(int volume) : start_volume_(std::clamp(volume, 10, 100)), volume_(start_volume_) {}

void SpeechGuide::start() {
    if (on_) return;
    on_ = true;
    started_ = true;
    focus_.clear();
    last_live_.clear();  // what is on screen now is news to the listener
}

void SpeechGuide::stop() {
    if (on_) out_.push_back({"", true});
    on_ = false;
    started_ = moved_ = repeat_ = volume_changed_ = quiet_ = false;
    focus_.clear();
    volume_ = start_volume_;
}

int SpeechGuide::index_of(const std::vector<Item>& items, const std::string& id) const {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].id == id) return static_cast<int>(i);
    return -1;
}

void SpeechGuide::begin_frame(std::string_view screen, const std::vector<GuideKey>& keys, bool pointer_active) {
    screen_ = screen;
    items_.clear();
    live_.clear();
    title_.clear();
    activate_.clear();
    pointer_active_ = pointer_active;
    if (!pointer_active) swallow_ = false;
    if (!on_) return;
    const int n = static_cast<int>(last_items_.size());
    for (GuideKey k : keys) {
        int i = index_of(last_items_, focus_);
        switch (k) {
            case GuideKey::Next:
            case GuideKey::Previous:
                if (n == 0) break;
                i = i < 0 ? (k == GuideKey::Next ? 0 : n - 1) : (i + (k == GuideKey::Next ? 1 : n - 1)) % n;
                focus_ = last_items_[std::size_t(i)].id;
                moved_ = true;
                break;
            case GuideKey::Select:
                if (i >= 0) activate_ = focus_;
                else repeat_ = true;
                break;
            case GuideKey::Back: {
                auto b = std::find_if(last_items_.begin(), last_items_.end(), [](const Item& it) { return is_back(it.id); });
                if (b != last_items_.end()) activate_ = b->id;
                else repeat_ = true;  // nowhere to go back to: where we are, again
                break;
            }
            case GuideKey::Repeat: repeat_ = true; break;
            case GuideKey::Louder:
            case GuideKey::Softer:
                volume_ = std::clamp(volume_ + (k == GuideKey::Louder ? 10 : -10), 10, 100);
                volume_changed_ = true;
                break;
            case GuideKey::Quiet: quiet_ = true; break;
        }
    }
}

bool SpeechGuide::offer(const std::string& id, std::string_view spoken, bool tapped, float left, float top,
                        std::string_view spoken_lang) {
    if (on_ && !spoken.empty()) items_.push_back({id, std::string(spoken), left, top, std::string(spoken_lang)});
    if (swallow_) return false;
    return tapped || (on_ && !activate_.empty() && id == activate_);
}

void SpeechGuide::title(std::string text) { title_ = std::move(text); }

void SpeechGuide::live(const std::string& id, std::string text, std::string focus) {
    if (!text.empty()) live_[id] = {std::move(text), std::move(focus)};
}

void SpeechGuide::say(std::string text, bool interrupt) {
    if (!text.empty()) out_.push_back({std::move(text), interrupt});
}

void SpeechGuide::say_item(const Translator& tr, const std::string& lang, std::size_t index, std::string before, bool interrupt) {
    const Item& it = items_[index];
    const std::string place =
        tr.tr(lang, "speech.position", {{"n", std::to_string(index + 1)}, {"count", std::to_string(items_.size())}});
    if (it.lang.empty() || it.lang == lang) {
        say(sentences(sentences(std::move(before), it.spoken), place), interrupt);
        return;
    }
    if (!before.empty()) {
        say(std::move(before), interrupt);
        interrupt = false;
    }
    out_.push_back({it.spoken, interrupt, it.lang});
    say(place, false);
}

void SpeechGuide::end_frame(const Translator& tr, const std::string& lang) {
    if (!on_) {
        last_items_.clear();
        last_live_.clear();
        last_screen_ = screen_;
        return;
    }
    // Live texts new or changed since the last frame; one that names a target takes the focus
    // there (a warning's "More time": the warning is news on the same screen, not a new one).
    std::vector<std::string> news;
    for (const auto& [id, v] : live_) {
        auto was = last_live_.find(id);
        if (was != last_live_.end() && was->second.first == v.first) continue;
        news.push_back(v.first);
        if (!v.second.empty() && index_of(items_, v.second) >= 0) {
            focus_ = v.second;
            moved_ = true;
        }
    }
    // Reading order: rows (tops within 24 px are one row) top to bottom, each left to right; Back
    // always the last choice, wherever the screen draws it.
    std::stable_sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) {
        if (is_back(a.id) != is_back(b.id)) return is_back(b.id);
        const long ra = std::lround(a.top / 24.0f), rb = std::lround(b.top / 24.0f);
        return ra != rb ? ra < rb : a.left < b.left;
    });
    const bool new_screen = started_ || screen_ != last_screen_ || title_ != last_title_ ||
                            (!items_.empty() && index_of(items_, focus_) < 0);
    bool interrupt = true;
    if (started_) {
        say(tr.tr(lang, "speech.on"), true);
        interrupt = false;
    }
    if (quiet_) out_.push_back({"", true});
    int at = index_of(items_, focus_);
    if (at >= 0 && !moved_ && acted_last_frame_) {  // chosen with 5 and says something else now (a toggle turned on)
        const int was = index_of(last_items_, focus_);
        moved_ = was >= 0 && last_items_[std::size_t(was)].spoken != items_[std::size_t(at)].spoken;
    }
    // (A focused sector's waiting count changing by itself is not said: the queue moves all day.)
    if (new_screen || repeat_) {
        if (at < 0 && !moved_) {
            focus_ = items_.empty() ? std::string() : items_.front().id;
            at = items_.empty() ? -1 : 0;
        }
        std::string words = title_;
        if (repeat_)
            for (const auto& [id, v] : live_) words = sentences(words, v.first);
        else
            for (const auto& n : news) words = sentences(words, n);
        if (!items_.empty()) words = sentences(words, tr.tr_count(lang, "speech.choices", long(items_.size())));
        if (at >= 0) say_item(tr, lang, std::size_t(at), std::move(words), interrupt);
        else say(words, interrupt);
    } else {
        // News waits for what is being said (the ticket read aloud is not cut off by "printed");
        // what a key asked for comes at once.
        for (const auto& n : news) say(n, false);
        if (moved_ && at >= 0) say_item(tr, lang, std::size_t(at), {}, news.empty() && interrupt);
    }
    if (volume_changed_) say(tr.tr(lang, "speech.volume", {{"percent", std::to_string(volume_)}}), true);
    started_ = moved_ = repeat_ = volume_changed_ = quiet_ = false;
    acted_last_frame_ = !activate_.empty();
    last_items_ = std::move(items_);
    items_.clear();
    last_live_ = std::move(live_);
    live_.clear();
    last_screen_ = screen_;
    last_title_ = title_;
}

std::vector<GuideUtterance> SpeechGuide::take() {
    std::vector<GuideUtterance> out;
    out.swap(out_);
    return out;
}

}  // namespace csc::app
