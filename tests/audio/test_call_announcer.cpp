// Spoken calls: synthesized to WAV with the real espeak-ng; no audio device needed.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "drivers/audio/call_announcer.hpp"

using namespace csc::audio;

TEST_CASE("the chime is audible and short") {
    const Pcm chime = make_chime(22050);
    CHECK(chime.seconds() == doctest::Approx(1.1).epsilon(0.05));
    CHECK(chime.rms() > 0.05);
}

TEST_CASE("the call text spells the letters and says the number without leading zeros") {
    const auto ssml = call_ssml("Numero {ticket}, sportello {counter}", "A042", 3);
    CHECK(ssml == "<speak>Numero <say-as interpret-as=\"characters\">A</say-as> 42, sportello 3</speak>");
    // A translation cannot inject markup.
    CHECK(call_ssml("<audio src='x'/>{ticket}", "B7", 1).find("<audio") == std::string::npos);
}

TEST_CASE("an Italian call synthesizes to a non-silent WAV of plausible length") {
    std::vector<std::string> notes;
    auto pcm = make_call_announcement({true, true}, {{"it", call_ssml("Numero {ticket}, sportello {counter}", "A042", 3)}}, &notes);
    REQUIRE_MESSAGE(pcm.ok(), (pcm.ok() ? "" : pcm.error().message));
    CHECK(notes.empty());
    CHECK(pcm->seconds() > 2.0);   // chime ~1.35 s + speech
    CHECK(pcm->seconds() < 8.0);
    CHECK(pcm->rms() > 0.02);
    // The voice part alone is not silent either.
    auto voice = make_call_announcement({false, true}, {{"it", call_ssml("Numero {ticket}, sportello {counter}", "A042", 3)}});
    REQUIRE(voice.ok());
    CHECK(voice->seconds() > 1.0);
    CHECK(voice->rms() > 0.02);
    const auto file = std::filesystem::temp_directory_path() / "csc-call-it.wav";
    REQUIRE(write_wav(*pcm, file).ok());
    std::ifstream in(file, std::ios::binary);
    char riff[4];
    in.read(riff, 4);
    CHECK(std::string(riff, 4) == "RIFF");
    CHECK(std::filesystem::file_size(file) == 44 + pcm->samples.size() * 2);
    std::filesystem::remove(file);
}

TEST_CASE("Italian then the citizen's language; a missing voice falls back to Italian") {
    std::vector<std::string> notes;
    auto both = make_call_announcement(
        {false, true},
        {{"it", call_ssml("Numero {ticket}, sportello {counter}", "C7", 2)}, {"en", call_ssml("Number {ticket}, counter {counter}", "C7", 2)}},
        &notes);
    REQUIRE(both.ok());
    auto italian = make_call_announcement({false, true}, {{"it", call_ssml("Numero {ticket}, sportello {counter}", "C7", 2)}});
    REQUIRE(italian.ok());
    CHECK(both->seconds() > italian->seconds() * 1.6);
    CHECK(notes.empty());
    auto klingon = make_call_announcement({false, true}, {{"tlh", call_ssml("{ticket} {counter}", "C7", 2)}}, &notes);
    REQUIRE(klingon.ok());
    CHECK(klingon->rms() > 0.02);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].find("Italian") != std::string::npos);
}
