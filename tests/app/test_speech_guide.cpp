// Speech mode's keypad navigation and what it says (kiosk/app/speech_guide.hpp), frame by frame
// as the GUI drives it, with the shipped catalogues.
#include <doctest/doctest.h>

#include "kiosk/app/printing/ticket_printer.hpp"
#include "kiosk/app/speech_guide.hpp"

using namespace csc;
using namespace csc::app;

namespace {

const Translator& catalogues() {
    static Translator tr = *Translator::load(std::string(CSC_SOURCE_ASSETS) + "/i18n", {"it", "en"});
    return tr;
}

// One frame of a screen with three targets; returns the id that acted ("" = none).
std::string frame(SpeechGuide& g, const std::string& screen, std::vector<GuideKey> keys, const std::string& tapped = "",
                  std::vector<std::pair<std::string, std::string>> targets = {{"sector:a", "Anagrafe"}, {"sector:b", "Stato civile"}, {"home:languages", "Lingua"}},
                  const std::string& title = "Benvenuti", std::map<std::string, std::string> live = {}, bool pointer = false) {
    g.begin_frame(screen, keys, pointer);
    g.title(title);
    std::string acted;
    for (const auto& [id, spoken] : targets)
        if (g.offer(id, spoken, id == tapped)) acted = id;
    for (const auto& [id, text] : live) g.live(id, text, id == "warning" ? "more_time" : "");
    g.end_frame(catalogues(), "it");
    return acted;
}

std::vector<std::string> said(SpeechGuide& g) {
    std::vector<std::string> out;
    for (const auto& u : g.take()) out.push_back((u.interrupt ? "!" : "") + u.text);
    return out;
}

}  // namespace

TEST_CASE("speech guide: silent and inert until started; then the help, the screen and its first choice") {
    SpeechGuide g(70);
    CHECK(frame(g, "home", {GuideKey::Select}) == "");
    CHECK(said(g).empty());
    CHECK(frame(g, "home", {}, "sector:b") == "sector:b");  // touch works as always
    g.start();
    frame(g, "home", {});
    const auto s = said(g);
    REQUIRE(s.size() == 2);
    CHECK(s[0].rfind("!Guida vocale attiva", 0) == 0);
    CHECK(s[1] == "Benvenuti. 3 scelte. Anagrafe. 1 di 3");  // after the help, not cutting it off
    CHECK(g.focused("sector:a"));
}

TEST_CASE("speech guide: 8 and 2 move round the list, 5 acts on the focused target, * repeats") {
    SpeechGuide g;
    g.start();
    frame(g, "home", {});
    (void)said(g);
    frame(g, "home", {GuideKey::Next});
    CHECK(said(g) == std::vector<std::string>{"!Stato civile. 2 di 3"});
    frame(g, "home", {GuideKey::Previous, GuideKey::Previous});
    CHECK(said(g) == std::vector<std::string>{"!Lingua. 3 di 3"});  // wraps from the first to the last
    CHECK(frame(g, "home", {GuideKey::Select}) == "home:languages");
    frame(g, "home", {GuideKey::Repeat});
    CHECK(said(g) == std::vector<std::string>{"!Benvenuti. 3 scelte. Lingua. 3 di 3"});
}

TEST_CASE("speech guide: a new screen is announced with its focus on its first target; 0 is its Back") {
    SpeechGuide g;
    g.start();
    frame(g, "home", {});
    (void)said(g);
    const std::vector<std::pair<std::string, std::string>> services{{"service:c", "Certificati"}, {"back", "Indietro"}};
    frame(g, "services", {}, "", services, "Quale servizio?");
    CHECK(said(g) == std::vector<std::string>{"!Quale servizio? 2 scelte. Certificati. 1 di 2"});
    CHECK(frame(g, "services", {GuideKey::Back}, "", services, "Quale servizio?") == "back");
    // On a screen without Back, 0 says where the citizen is again.
    frame(g, "home", {});
    (void)said(g);
    CHECK(frame(g, "home", {GuideKey::Back}) == "");
    CHECK(said(g) == std::vector<std::string>{"!Benvenuti. 3 scelte. Anagrafe. 1 di 3"});
}

TEST_CASE("speech guide: a live text is said once when it appears; a warning takes the focus to its button") {
    SpeechGuide g;
    g.start();
    frame(g, "confirm", {}, "", {{"done", "Fatto"}}, "Ecco il suo numero");
    (void)said(g);
    frame(g, "confirm", {}, "", {{"done", "Fatto"}}, "Ecco il suo numero", {{"ticket", "Numero A 42. Anagrafe."}});
    CHECK(said(g) == std::vector<std::string>{"Numero A 42. Anagrafe."});  // after what is being said
    frame(g, "confirm", {}, "", {{"done", "Fatto"}}, "Ecco il suo numero", {{"ticket", "Numero A 42. Anagrafe."}});
    CHECK(said(g).empty());
    frame(g, "confirm", {GuideKey::Repeat}, "", {{"done", "Fatto"}}, "Ecco il suo numero", {{"ticket", "Numero A 42. Anagrafe."}});
    CHECK(said(g) == std::vector<std::string>{"!Ecco il suo numero. Numero A 42. Anagrafe. 1 scelta. Fatto. 1 di 1"});
    const std::vector<std::pair<std::string, std::string>> with_warning{{"service:c", "Certificati"}, {"back", "Indietro"}, {"more_time", "Mi serve altro tempo"}};
    frame(g, "services", {}, "", {{"service:c", "Certificati"}, {"back", "Indietro"}}, "Quale servizio?");
    (void)said(g);
    frame(g, "services", {}, "", with_warning, "Quale servizio?", {{"warning", "Il tempo sta per scadere."}});
    CHECK(said(g) == std::vector<std::string>{"Il tempo sta per scadere.", "Mi serve altro tempo. 2 di 3"});
    CHECK(g.focused("more_time"));
    CHECK(frame(g, "services", {GuideKey::Select}, "", with_warning, "Quale servizio?", {{"warning", "Il tempo sta per scadere."}}) == "more_time");
}

TEST_CASE("speech guide: volume steps of 10 within 10..100, quiet, and stop() puts the volume back") {
    SpeechGuide g(70);
    g.start();
    frame(g, "home", {});
    (void)said(g);
    frame(g, "home", {GuideKey::Louder, GuideKey::Louder, GuideKey::Louder, GuideKey::Louder});
    CHECK(g.volume() == 100);
    CHECK(said(g) == std::vector<std::string>{"!Volume 100 per cento"});
    for (int i = 0; i < 12; ++i) frame(g, "home", {GuideKey::Softer});
    CHECK(g.volume() == 10);
    (void)said(g);
    frame(g, "home", {GuideKey::Quiet});
    CHECK(said(g) == std::vector<std::string>{"!"});
    g.stop();
    CHECK(g.volume() == 70);
    CHECK_FALSE(g.on());
    CHECK(said(g) == std::vector<std::string>{"!"});
    CHECK(frame(g, "home", {GuideKey::Select}) == "");
}

TEST_CASE("speech guide: the lift of the long press that started it is not a tap") {
    SpeechGuide g;
    frame(g, "home", {}, "", {{"sector:a", "Anagrafe"}}, "Benvenuti", {}, true);
    g.start();
    g.swallow_lift();
    CHECK(frame(g, "home", {}, "sector:a", {{"sector:a", "Anagrafe"}}, "Benvenuti", {}, true) == "");
    // The finger is up: the next tap acts.
    frame(g, "home", {}, "", {{"sector:a", "Anagrafe"}}, "Benvenuti", {}, false);
    CHECK(frame(g, "home", {}, "sector:a", {{"sector:a", "Anagrafe"}}) == "sector:a");
}

TEST_CASE("speech guide: targets are walked in reading order, Back last; a toggled target is said again") {
    SpeechGuide g;
    g.start();
    // Drawn footer first, then the grid (as the home screen draws them).
    auto draw = [&](std::vector<GuideKey> keys, const std::string& contrast_words) {
        g.begin_frame("home", keys, false);
        g.offer("back", "Indietro", false, 0, 0);
        g.offer("home:contrast", contrast_words, false, 700, 1800);
        g.offer("home:languages", "Lingua", false, 40, 1790);  // the same row, to its left
        g.offer("sector:b", "Stato civile", false, 40, 700);
        g.offer("sector:a", "Anagrafe", false, 40, 400);
        g.end_frame(catalogues(), "it");
    };
    draw({}, "Alto contrasto: non attivo");
    CHECK(said(g).back() == "5 scelte. Anagrafe. 1 di 5");  // after the help, not cutting it off
    draw({GuideKey::Next, GuideKey::Next}, "Alto contrasto: non attivo");
    CHECK(said(g) == std::vector<std::string>{"!Lingua. 3 di 5"});
    draw({GuideKey::Next}, "Alto contrasto: non attivo");
    CHECK(said(g) == std::vector<std::string>{"!Alto contrasto: non attivo. 4 di 5"});
    draw({GuideKey::Next}, "Alto contrasto: non attivo");
    CHECK(said(g) == std::vector<std::string>{"!Indietro. 5 di 5"});
    draw({GuideKey::Previous}, "Alto contrasto: non attivo");
    (void)said(g);
    // Words that change by themselves (a sector's waiting count) are not said again...
    draw({}, "Alto contrasto: forse");
    CHECK(said(g).empty());
    // ...those of a target just chosen with 5 are (a toggle turned on).
    draw({GuideKey::Select}, "Alto contrasto: forse");
    draw({}, "Alto contrasto: attivo");
    CHECK(said(g) == std::vector<std::string>{"!Alto contrasto: attivo. 4 di 5"});
    draw({}, "Alto contrasto: attivo");
    CHECK(said(g).empty());
    // 8 (previous) on the first choice goes round to the last.
    SpeechGuide fresh;
    fresh.start();
    fresh.begin_frame("home", {}, false);
    fresh.end_frame(catalogues(), "it");  // no targets yet: nothing focused
    (void)fresh.take();
    fresh.begin_frame("home", {}, false);
    fresh.offer("a", "Uno", false, 0, 0);
    fresh.offer("b", "Due", false, 0, 100);
    fresh.end_frame(catalogues(), "it");
    (void)fresh.take();
    CHECK(fresh.focused("a"));
    fresh.begin_frame("home", {GuideKey::Previous}, false);
    fresh.offer("a", "Uno", false, 0, 0);
    fresh.offer("b", "Due", false, 0, 100);
    fresh.end_frame(catalogues(), "it");
    CHECK(fresh.focused("b"));
}

TEST_CASE("speech guide: a language's own name is said by its own voice, its place by the visit's") {
    SpeechGuide g;
    g.start();
    auto draw = [&](std::vector<GuideKey> keys) {
        g.begin_frame("languages", keys, false);
        g.title("Scegli la lingua");
        g.offer("lang:it", "Italiano", false, 0, 0, "it");
        g.offer("lang:ar", "العربية", false, 0, 100, "ar");
        g.end_frame(catalogues(), "it");
        return g.take();
    };
    auto first = draw({});
    REQUIRE(first.size() == 2);  // the help, then the screen with Italiano (the visit's language)
    CHECK(first[1].text == "Scegli la lingua. 2 scelte. Italiano. 1 di 2");
    CHECK(first[1].lang == "");
    auto next = draw({GuideKey::Next});
    REQUIRE(next.size() == 2);
    CHECK(next[0].text == "العربية");
    CHECK(next[0].lang == "ar");
    CHECK(next[0].interrupt);
    CHECK(next[1].text == "2 di 2");
    CHECK(next[1].lang == "");
    CHECK_FALSE(next[1].interrupt);
}

TEST_CASE("receipt as speech: the lines in order, without rules, tick boxes and asterisks; the number spaced; a secret's line left out") {
    printer::Receipt r;
    r.text("Comune di Esempio");
    r.rule();
    r.text("Cosa portare");
    r.text("[ ] Una fototessera recente");
    r.text("[ ] La tessera sanitaria");
    r.text("Numero A042");
    r.text("Nome: M***** R****");
    r.text("Codice: K7P-3XQ-9");
    r.qr("K7P3XQ9");
    const std::string said = app::receipt_as_speech(r, "A042", "A 42", "K7P-3XQ-9");
    CHECK(said == "Comune di Esempio. Cosa portare. Una fototessera recente. La tessera sanitaria. Numero A 42. Nome: M R");
}
