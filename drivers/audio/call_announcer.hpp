// call_announcer.hpp — the sound of a call on the queue display: a chime, then a voice
// ("Numero A 42, sportello 3") synthesized on the machine with espeak-ng (no cloud).
//
// Contents: Pcm, Chime, SpeechSynth (also speak_plain, for speech mode), spoken_label(), AnnouncementText, make_call_announcement(), write_wav().
// Contract: synthesis is pure CPU work that produces samples (tests write them to WAV, no audio
// device needed); playing them is AudioPlayer's job (audio_player.hpp). A voice missing for a
// language falls back to Italian and says so; nothing here throws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "shared/result.hpp"

namespace csc::audio {

/// Mono 16-bit PCM.
struct Pcm {
    int sample_rate = 22050;
    std::vector<std::int16_t> samples;
    [[nodiscard]] double seconds() const { return sample_rate ? double(samples.size()) / sample_rate : 0.0; }
    /// Root mean square level, 0..1 of full scale.
    [[nodiscard]] double rms() const;
    /// Appends `other` (resampled by nearest sample if the rates differ).
    void append(const Pcm& other);
    /// Appends `seconds` of silence.
    void append_silence(double seconds);
};

/// A two-note "ding-dong" chime (sine partials with an exponential decay).
[[nodiscard]] Pcm make_chime(int sample_rate = 22050);

/// espeak-ng, synchronous mode. One instance per process (espeak-ng has global state).
class SpeechSynth {
public:
    /// Initialises espeak-ng (its data from the espeak-ng-data package).
    static Result<SpeechSynth*> instance();
    /// Speaks `text` (SSML allowed) with the voice of `lang` ("it", "en", …). If that voice is
    /// missing the Italian one is used and `*fell_back` is set.
    Result<Pcm> speak(const std::string& text, const std::string& lang, bool* fell_back = nullptr);
    /// What speak() did, word by word, as espeak-ng reports it (its word events), for checking
    /// that a sound says what it should.
    struct Spoken {
        Pcm pcm;
        std::vector<std::string> words;  ///< the words of the text espeak-ng synthesized, in order
        bool fell_back = false;          ///< the language's voice was missing: Italian spoke
        bool cancelled = false;          ///< `cancel` said stop before the end
    };
    /// Speaks plain `text` (no markup: a translation's "<" is a character) in `lang`; `cancel`,
    /// asked between blocks of samples, stops the synthesis early (an interrupted utterance).
    Result<Spoken> speak_plain(const std::string& text, const std::string& lang, const std::function<bool()>& cancel = {});
    [[nodiscard]] int sample_rate() const { return sample_rate_; }

private:
    explicit SpeechSynth(int rate) : sample_rate_(rate) {}
    int sample_rate_;
    std::mutex mutex_;
};

/// The SSML text of a call: the letters spelt out, the number as a number ("A 42", not
/// "A zero four two"), then the counter. `phrase` is the translated template with {ticket}
/// and {counter}, e.g. "Numero {ticket}, sportello {counter}".
[[nodiscard]] std::string call_ssml(const std::string& phrase, const std::string& ticket_label, int counter);

/// A ticket's label as a voice should read it in running text: "A042" → "A 42" (letters apart,
/// the number without leading zeros); a label of another shape is returned as it is.
[[nodiscard]] std::string spoken_label(const std::string& label);

/// What to play for one call.
struct CallSound {
    bool chime = true;
    bool voice = true;
};

/// Chime and/or voice for a call, in order (chime, pause, voice in each language given).
[[nodiscard]] Result<Pcm> make_call_announcement(const CallSound& what, const std::vector<std::pair<std::string, std::string>>& lang_and_ssml,
                                                 std::vector<std::string>* notes = nullptr);

/// Writes a RIFF/WAVE file.
Result<void> write_wav(const Pcm& pcm, const std::filesystem::path& file);

}  // namespace csc::audio
