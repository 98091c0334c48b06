#include "drivers/audio/call_announcer.hpp"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace csc::audio {

double Pcm::rms() const {
    if (samples.empty()) return 0.0;
    double sum = 0;
    for (auto s : samples) sum += double(s) * s;
    return std::sqrt(sum / samples.size()) / 32768.0;
}

void Pcm::append(const Pcm& other) {
    if (samples.empty() && other.sample_rate != sample_rate) sample_rate = other.sample_rate;
    if (other.sample_rate == sample_rate) {
        samples.insert(samples.end(), other.samples.begin(), other.samples.end());
        return;
    }
    const double ratio = double(other.sample_rate) / sample_rate;
    const auto n = static_cast<std::size_t>(other.samples.size() / ratio);
    for (std::size_t i = 0; i < n; ++i)
        samples.push_back(other.samples[std::min(other.samples.size() - 1, static_cast<std::size_t>(i * ratio))]);
}

void Pcm::append_silence(double seconds) {
    samples.insert(samples.end(), static_cast<std::size_t>(seconds * sample_rate), 0);
}

Pcm make_chime(int sample_rate) {
    // Two notes a major third apart (E5 then C5), like a public-address "ding-dong".
    Pcm pcm;
    pcm.sample_rate = sample_rate;
    const double pi = 3.14159265358979323846;
    for (double freq : {659.25, 523.25}) {
        const int n = static_cast<int>(0.55 * sample_rate);
        for (int i = 0; i < n; ++i) {
            const double t = double(i) / sample_rate;
            const double env = std::exp(-4.0 * t) * std::min(1.0, t / 0.005);
            const double v = 0.6 * std::sin(2 * pi * freq * t) + 0.25 * std::sin(2 * pi * 2 * freq * t) +
                             0.1 * std::sin(2 * pi * 3 * freq * t);
            pcm.samples.push_back(static_cast<std::int16_t>(std::clamp(v * env, -1.0, 1.0) * 26000));
        }
    }
    return pcm;
}

namespace {

// What one synthesis collects (espeak_Synth's user_data, given back with every event).
struct Collect {
    std::vector<std::int16_t>* samples = nullptr;
    std::vector<std::pair<int, int>>* words = nullptr;  // (character position from 1, length in characters)
    const std::function<bool()>* cancel = nullptr;
    bool cancelled = false;
};

int on_samples(short* wav, int count, espeak_EVENT* events) {
    if (!events) return 0;
    auto* c = static_cast<Collect*>(events->user_data);
    if (!c) return 0;
    if (wav && count > 0 && c->samples) c->samples->insert(c->samples->end(), wav, wav + count);
    for (espeak_EVENT* e = events; e->type != espeakEVENT_LIST_TERMINATED; ++e)
        if (e->type == espeakEVENT_WORD && c->words) c->words->emplace_back(e->text_position, e->length);
    if (c->cancel && *c->cancel && (*c->cancel)()) {
        c->cancelled = true;
        return 1;  // stop the synthesis
    }
    return 0;  // go on
}

// The byte offset of the `chars`-th character (0-based) of UTF-8 `s` (s.size() past the end).
std::size_t byte_of_char(const std::string& s, int chars) {
    std::size_t i = 0;
    for (int n = 0; n < chars && i < s.size(); ++n) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    }
    return i;
}

}  // namespace

Result<SpeechSynth*> SpeechSynth::instance() {
    static std::mutex init_mutex;
    static SpeechSynth* synth = nullptr;
    static std::string init_error;
    std::lock_guard lock(init_mutex);
    if (synth) return synth;
    if (!init_error.empty()) return fail(init_error);
    const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 500, nullptr, 0);
    if (rate <= 0) {
        init_error = "speech: espeak-ng could not start (is the espeak-ng-data package installed?)";
        return fail(init_error);
    }
    espeak_SetSynthCallback(on_samples);
    synth = new SpeechSynth(rate);  // process lifetime: espeak-ng itself is process-global
    return synth;
}

Result<Pcm> SpeechSynth::speak(const std::string& text, const std::string& lang, bool* fell_back) {
    std::lock_guard lock(mutex_);
    if (fell_back) *fell_back = false;
    if (espeak_SetVoiceByName(lang.c_str()) != EE_OK) {
        if (fell_back) *fell_back = true;
        if (espeak_SetVoiceByName("it") != EE_OK) return fail("speech: neither the \"" + lang + "\" nor the Italian voice is installed");
    }
    espeak_SetParameter(espeakRATE, 150, 0);  // a little slower than normal: a hall, a crowd
    Pcm pcm;
    pcm.sample_rate = sample_rate_;
    Collect collect{&pcm.samples};
    const auto rc = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                 espeakCHARS_UTF8 | espeakSSML, nullptr, &collect);
    if (rc != EE_OK) return fail("speech: synthesis failed");
    espeak_Synchronize();
    return pcm;
}

Result<SpeechSynth::Spoken> SpeechSynth::speak_plain(const std::string& text, const std::string& lang,
                                                      const std::function<bool()>& cancel) {
    std::lock_guard lock(mutex_);
    Spoken out;
    if (espeak_SetVoiceByName(lang.c_str()) != EE_OK) {
        out.fell_back = true;
        if (espeak_SetVoiceByName("it") != EE_OK) return fail("speech: neither the \"" + lang + "\" nor the Italian voice is installed");
    }
    espeak_SetParameter(espeakRATE, 150, 0);
    out.pcm.sample_rate = sample_rate_;
    std::vector<std::pair<int, int>> words;
    Collect collect{&out.pcm.samples, &words, &cancel};
    const auto rc = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &collect);
    // Stopped by `cancel`: espeak-ng 1.51 answers EE_OK, later versions may answer an error.
    if (rc != EE_OK && !collect.cancelled) return fail("speech: synthesis failed");
    espeak_Synchronize();
    out.cancelled = collect.cancelled;
    for (const auto& [pos, len] : words) {
        const std::size_t from = byte_of_char(text, pos - 1), to = byte_of_char(text, pos - 1 + len);
        if (from < to) out.words.push_back(text.substr(from, to - from));
    }
    return out;
}

std::string spoken_label(const std::string& label) {
    std::size_t i = 0;
    while (i < label.size() && std::isalpha(static_cast<unsigned char>(label[i]))) ++i;
    if (i == label.size()) return label;
    std::size_t k = i;
    while (k < label.size() && std::isdigit(static_cast<unsigned char>(label[k]))) ++k;
    if (k != label.size() || k == i) return label;
    std::size_t z = i;
    while (z + 1 < label.size() && label[z] == '0') ++z;
    return i == 0 ? label.substr(z) : label.substr(0, i) + " " + label.substr(z);
}

std::string call_ssml(const std::string& phrase, const std::string& ticket_label, int counter) {
    // Split "A042" into letters and number; the number is said without leading zeros.
    std::size_t i = 0;
    while (i < ticket_label.size() && std::isalpha(static_cast<unsigned char>(ticket_label[i]))) ++i;
    const std::string letters = ticket_label.substr(0, i);
    int number = 0;
    for (std::size_t k = i; k < ticket_label.size(); ++k)
        if (std::isdigit(static_cast<unsigned char>(ticket_label[k]))) number = number * 10 + (ticket_label[k] - '0');
    const std::string ticket = "<say-as interpret-as=\"characters\">" + letters + "</say-as> " + std::to_string(number);
    std::string out = "<speak>";
    for (std::size_t k = 0; k < phrase.size(); ++k) {
        if (phrase.compare(k, 8, "{ticket}") == 0) {
            out += ticket;
            k += 7;
        } else if (phrase.compare(k, 9, "{counter}") == 0) {
            out += std::to_string(counter);
            k += 8;
        } else if (phrase[k] == '<' || phrase[k] == '>' || phrase[k] == '&') {
            out += ' ';  // a translation never injects markup
        } else {
            out += phrase[k];
        }
    }
    return out + "</speak>";
}

Result<Pcm> make_call_announcement(const CallSound& what, const std::vector<std::pair<std::string, std::string>>& lang_and_ssml,
                                   std::vector<std::string>* notes) {
    Pcm out;
    out.sample_rate = 22050;
    if (what.chime) {
        out.append(make_chime(out.sample_rate));
        out.append_silence(0.25);
    }
    if (what.voice) {
        auto synth = SpeechSynth::instance();
        if (!synth) return synth.error();
        out.sample_rate = (*synth)->sample_rate();
        if (what.chime) {  // re-render the chime at the voice's rate
            out.samples.clear();
            out.append(make_chime(out.sample_rate));
            out.append_silence(0.25);
        }
        for (const auto& [lang, ssml] : lang_and_ssml) {
            bool fell_back = false;
            auto voice = (*synth)->speak(ssml, lang, &fell_back);
            if (!voice) return voice.error();
            if (fell_back && notes) notes->push_back("no voice for \"" + lang + "\": spoken with the Italian voice");
            out.append(*voice);
            out.append_silence(0.4);
        }
    }
    return out;
}

Result<void> write_wav(const Pcm& pcm, const std::filesystem::path& file) {
    std::ofstream out(file, std::ios::binary);
    if (!out) return fail(file.string() + ": cannot write");
    auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    const auto data_bytes = static_cast<std::uint32_t>(pcm.samples.size() * 2);
    out.write("RIFF", 4);
    u32(36 + data_bytes);
    out.write("WAVEfmt ", 8);
    u32(16);
    u16(1);  // PCM
    u16(1);  // mono
    u32(static_cast<std::uint32_t>(pcm.sample_rate));
    u32(static_cast<std::uint32_t>(pcm.sample_rate * 2));
    u16(2);
    u16(16);
    out.write("data", 4);
    u32(data_bytes);
    out.write(reinterpret_cast<const char*>(pcm.samples.data()), data_bytes);
    if (!out) return fail(file.string() + ": write failed");
    return {};
}

}  // namespace csc::audio
