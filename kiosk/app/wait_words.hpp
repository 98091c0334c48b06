// wait_words.hpp — a forecast in words: the one place that turns the core's rounding
// (told_wait(), shared/forecast.hpp) into the sentence a citizen reads, so the kiosk's screen,
// the queue display, the Info Point, the web pages and the paper ticket say the same range.
//
// Contents: WaitWording, wait_words().
// Contract: pure; the numbers are told_wait()'s, never rounded again; only the wording differs
// between a screen line and the paper ticket's fuller sentence (keys forecast.* and ticket.forecast*).
#pragma once

#include <string>

#include "shared/forecast.hpp"
#include "shared/i18n.hpp"

namespace csc::app {

/// Where the words go: a screen or a web page ("Attesa 10–25 min"), or the paper ticket ("Attesa prevista 10–25 min").
enum class WaitWording { Screen, Paper };

/// The sentence for a told wait in `lang`.
[[nodiscard]] std::string wait_words(const Translator& tr, const std::string& lang, const ToldWait& w,
                                     WaitWording wording = WaitWording::Screen);

}  // namespace csc::app
