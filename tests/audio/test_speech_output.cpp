// Speech mode's voice: espeak-ng's own word events, the recorded utterances, interruption and
// volume — with the real espeak-ng, written to files instead of a sound card.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "drivers/audio/audio_player.hpp"
#include "drivers/audio/speech_output.hpp"

using namespace csc::audio;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
    const auto d = std::filesystem::temp_directory_path() / ("csc-speech-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    return d;
}

// Waits (up to 20 s) until `n` utterances are recorded in `dir`; their JSON, in order.
std::vector<nlohmann::json> wait_recorded(const SpeechOutput& out, const std::filesystem::path& dir, int n) {
    for (int i = 0; i < 400 && out.spoken() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::vector<nlohmann::json> all;
    for (int k = 1; k <= out.spoken(); ++k) {
        char base[16];
        std::snprintf(base, sizeof base, "%03d.json", k);
        std::ifstream in(dir / base);
        if (in) all.push_back(nlohmann::json::parse(in));
    }
    return all;
}

}  // namespace

TEST_CASE("espeak-ng reports the words it said") {
    auto synth = SpeechSynth::instance();
    REQUIRE(synth.ok());
    auto s = (*synth)->speak_plain("Anagrafe: certificati e carta d'identità, 3 persone.", "it");
    REQUIRE(s.ok());
    CHECK_FALSE(s->fell_back);
    CHECK_FALSE(s->cancelled);
    CHECK(s->pcm.seconds() > 1.5);
    CHECK(s->pcm.rms() > 0.02);
    const std::string joined = [&] {
        std::string j;
        for (const auto& w : s->words) j += w + " ";
        return j;
    }();
    INFO(joined);
    CHECK(joined.find("Anagrafe") != std::string::npos);
    CHECK(joined.find("certificati") != std::string::npos);
    CHECK(joined.find("persone") != std::string::npos);
    // espeak-ng's events join "d'identità" into one word it reports by its first letter.
    CHECK(s->words.size() >= 7);
    // A "<" is a character, not markup: the words after it are still said.
    auto lt = (*synth)->speak_plain("prima < dopo", "it");
    REQUIRE(lt.ok());
    CHECK(lt->words.back() == "dopo");
}

TEST_CASE("a cancelled synthesis stops early") {
    auto synth = SpeechSynth::instance();
    REQUIRE(synth.ok());
    const std::string long_text = "Uno due tre quattro cinque sei sette otto nove dieci. Undici dodici tredici quattordici quindici.";
    auto whole = (*synth)->speak_plain(long_text, "it");
    REQUIRE(whole.ok());
    int asked = 0;
    auto cut = (*synth)->speak_plain(long_text, "it", [&] { return ++asked > 2; });
    REQUIRE(cut.ok());
    CHECK(cut->cancelled);
    CHECK(cut->pcm.seconds() < whole->pcm.seconds() / 2);
}

TEST_CASE("a ticket label is read as letters and a number") {
    CHECK(spoken_label("A042") == "A 42");
    CHECK(spoken_label("PR007") == "PR 7");
    CHECK(spoken_label("A000") == "A 0");
    CHECK(spoken_label("17") == "17");
    CHECK(spoken_label("X-12") == "X-12");
    CHECK(spoken_label("") == "");
}

TEST_CASE("recorded utterances hold the text, espeak-ng's words and the volume; a louder one is louder") {
    const auto dir = fresh_dir("record");
    SpeechOutput out({"default", dir, 40});
    out.say("Scegli il servizio.", "it", false);
    out.set_volume(100);
    out.say("Scegli il servizio.", "it", false);
    const auto rec = wait_recorded(out, dir, 2);
    REQUIRE(rec.size() == 2);
    CHECK(rec[0]["text"] == "Scegli il servizio.");
    CHECK(rec[0]["words"] == nlohmann::json::array({"Scegli", "il", "servizio"}));
    CHECK(rec[1]["volume"] == 100);
    CHECK(out.last_error() == "");
    // The WAVs: the same words, the second one 2.5× the level of the first (40% → 100%).
    auto level = [&](const char* name) {
        std::ifstream in(dir / name, std::ios::binary);
        in.seekg(44);
        std::vector<std::int16_t> v(std::filesystem::file_size(dir / name) / 2 - 22);
        in.read(reinterpret_cast<char*>(v.data()), std::streamsize(v.size() * 2));
        double sum = 0;
        for (auto x : v) sum += double(x) * x;
        return std::sqrt(sum / double(v.size()));
    };
    const double quiet = level("001.wav"), loud = level("002.wav");
    CHECK(quiet > 100);
    CHECK(loud / quiet == doctest::Approx(2.5).epsilon(0.05));
    std::filesystem::remove_all(dir);
}

TEST_CASE("an interruption drops what was queued; an unknown language speaks Italian and says so") {
    const auto dir = fresh_dir("interrupt");
    SpeechOutput out({"default", dir, 70});
    for (int i = 0; i < 5; ++i) out.say("Questa frase non si sentirà fino alla fine, numero " + std::to_string(i), "it", false);
    out.say("Biglietto A 42.", "it", true);
    out.say("Klingon", "tlh", false);
    const auto rec = wait_recorded(out, dir, 2);
    REQUIRE(!rec.empty());
    // The first queued one may have started before the interruption (then cut short); none of
    // the later ones is spoken, and the interrupting one comes whole.
    std::vector<std::string> texts;
    for (const auto& r : rec) texts.push_back(r["text"]);
    REQUIRE(texts.size() >= 2);
    REQUIRE(texts.size() <= 3);
    CHECK(texts[texts.size() - 2] == "Biglietto A 42.");
    CHECK(texts.back() == "Klingon");
    CHECK(rec.back()["fell_back"] == true);
    CHECK(out.last_error().find("no voice for \"tlh\"") != std::string::npos);
    for (std::size_t i = 0; i + 2 < rec.size(); ++i) CHECK(rec[i]["text"].get<std::string>().find("numero 0") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("playing on an ALSA device that does not exist says which device and why, and returns") {
    Pcm pcm;
    pcm.samples.assign(22050, 1000);
    const std::string why = play_on_alsa("csc-no-such-device", pcm);
    CHECK(why.rfind("sound: csc-no-such-device: ", 0) == 0);
    // Speech mode on such a device: the error is kept for the layout dump, nothing hangs.
    SpeechOutput out({"csc-no-such-device", {}, 70});
    out.say("Prova.", "it", false);
    for (int i = 0; i < 200 && out.spoken() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(out.spoken() == 1);
    CHECK(out.last_error().rfind("speech: sound: csc-no-such-device: ", 0) == 0);
}
