#include "kiosk/app/wait_words.hpp"

namespace csc::app {

std::string wait_words(const Translator& tr, const std::string& lang, const ToldWait& w, WaitWording wording) {
    const bool paper = wording == WaitWording::Paper;
    switch (w.form) {
        case ToldWait::Form::Short: return tr.tr(lang, "forecast.short");
        case ToldWait::Form::About:
            return tr.tr(lang, paper ? "ticket.forecast.about" : "forecast.about", {{"minutes", std::to_string(w.about_min)}});
        case ToldWait::Form::Range: break;
    }
    return tr.tr(lang, paper ? "ticket.forecast" : "forecast.range",
                 {{"low", std::to_string(w.low_min)}, {"high", std::to_string(w.high_min)}});
}

}  // namespace csc::app
