// speech_guide.hpp — speech mode without sight (EN 301 549 5.1.3, 5.1.6): the touch targets a
// screen draws become a list walked with a USB numeric keypad with tactile marks, as on
// accessible cash machines — 2 and 8 move, 5 chooses, 0 goes back, * repeats, + and - set the
// volume, . is quiet — and what the citizen should hear is gathered as utterances: the screen's
// title and how many choices it has, the focused choice, and "live" texts (the ticket, a
// warning) when they appear.
//
// Contents: GuideKey, GuideUtterance, SpeechGuide.
// Contract: pure state, one instance per entrance kiosk, used on the UI thread only: a frame
// calls begin_frame(), then offer()/title()/live() while drawing, then end_frame(); the role
// takes() the utterances and speaks them. Keys act on the list drawn in the previous frame; a
// choice made with 5 is the target's own tap in the frame it was drawn. Every text comes from
// the screens (already translated) or the catalogue's speech.* keys. stop() ends it with the
// visit and puts the volume back.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "shared/i18n.hpp"

namespace csc::app {

/// A key of the keypad, by what it does.
enum class GuideKey { Previous, Next, Select, Back, Repeat, Louder, Softer, Quiet };

/// Something to say: `interrupt` stops what is being said first. An empty text with
/// interrupt is "be quiet".
struct GuideUtterance {
    std::string text;
    bool interrupt = true;
    std::string lang;  ///< the voice: "" = the visit's language (a language's own name: that language)
};

class SpeechGuide {
public:
    /// `volume`: the volume each visit starts with (percent, 10..100).
    explicit SpeechGuide(int volume = 70);
    /// Speech mode on: the keys' help is said, then the screen.
    void start();
    /// Speech mode off (the visit ended): quiet, the volume back to its start.
    void stop();
    [[nodiscard]] bool on() const { return on_; }
    /// The volume to speak at now (percent).
    [[nodiscard]] int volume() const { return volume_; }
    /// A finger is on the screen (the last frame said so): a long press may be under way.
    [[nodiscard]] bool pressing() const { return pointer_active_; }
    /// The target the keys are on ("" = none).
    [[nodiscard]] const std::string& focused_id() const { return focus_; }

    // One frame.
    /// The frame starts: `screen` is its name, `keys` the keypad's keys pressed since the last
    /// frame, `pointer_active` a finger is down or was lifted this frame.
    void begin_frame(std::string_view screen, const std::vector<GuideKey>& keys, bool pointer_active);
    /// A touch target drawn this frame, `spoken` what it says (""= not in the list), its top-left
    /// corner at (`left`, `top`) on screen; `tapped` its tap this frame. True when it acts: tapped
    /// (and not the end of the long press that started speech mode), or chosen with 5. The keys
    /// walk the targets in reading order (rows top to bottom, each left to right), Back last,
    /// whatever order the screen draws them in; a focused target whose words change (a toggle
    /// turned on with 5) is said again.
    /// `spoken_lang`: the language `spoken` is in when it is not the visit's (a language's own name,
    /// said by that language's voice).
    bool offer(const std::string& id, std::string_view spoken, bool tapped, float left = 0, float top = 0,
               std::string_view spoken_lang = {});
    /// True when `id` has the keys' focus (the screen draws the focus ring).
    [[nodiscard]] bool focused(const std::string& id) const { return on_ && !focus_.empty() && id == focus_; }
    /// The screen's title (said when the screen comes).
    void title(std::string text);
    /// A text said when it appears or changes (`id` names it across frames); `focus`: the target
    /// the keys move to then (a warning's "More time").
    void live(const std::string& id, std::string text, std::string focus = {});
    /// A modal overlay is drawn (the time-limit warning): the targets offered before it in this
    /// frame are no longer choices.
    void modal() { items_.clear(); }
    /// Started by a long press: its finger's lift is not a tap.
    void swallow_lift() { swallow_ = true; }
    /// The frame is drawn: what changed is put into words, in `lang`.
    void end_frame(const Translator& tr, const std::string& lang);
    /// What to say, in order, since the last take().
    [[nodiscard]] std::vector<GuideUtterance> take();

private:
    struct Item {
        std::string id, spoken;
        float left = 0, top = 0;
        std::string lang;  // "" = the visit's
    };
    /// The focused item said (after `before`, one sentence in the visit's language): its words and
    /// its place, in one utterance, or in two when its words are in another language.
    void say_item(const Translator& tr, const std::string& lang, std::size_t index, std::string before, bool interrupt);
    [[nodiscard]] int index_of(const std::vector<Item>& items, const std::string& id) const;
    void say(std::string text, bool interrupt);

    int start_volume_, volume_;
    bool on_ = false, started_ = false, swallow_ = false, pointer_active_ = false, acted_last_frame_ = false;
    std::string focus_, activate_, screen_, last_screen_, title_, last_title_;
    std::vector<Item> items_, last_items_;
    std::map<std::string, std::pair<std::string, std::string>> live_, last_live_;  // id → (text, focus)
    // What the keys asked, said at end_frame.
    bool moved_ = false, repeat_ = false, volume_changed_ = false, quiet_ = false;
    std::vector<GuideUtterance> out_;
};

}  // namespace csc::app
