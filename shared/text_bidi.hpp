// text_bidi.hpp — right-to-left text made drawable by a renderer that only places glyphs left
// to right (Dear ImGui, a receipt's raster): Arabic letters joined into their presentation
// forms (with the lam-alef ligatures), and each line's characters put in visual order by the
// Unicode Bidirectional Algorithm. Both are GNU FriBidi's (libfribidi), not ours.
//
// Contents: has_rtl(), BidiParagraph, BidiLine, break_bidi_lines(), visual_text().
// Contract: pure (no I/O, no global state); invalid UTF-8 bytes become U+FFFD; text without a
// right-to-left character comes back byte for byte. Lines are broken in logical order (the
// order the text is read) and only then reordered, so a wrapped paragraph reads top to bottom.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace csc {

/// True when `utf8` holds a character of a right-to-left script (Hebrew, Arabic, Syriac, Thaana,
/// N'Ko, their presentation forms): the only text that needs a BidiParagraph.
[[nodiscard]] bool has_rtl(std::string_view utf8);

/// One paragraph (no line break inside) analysed once: shaped, its direction and levels known.
class BidiParagraph {
public:
    /// Shapes and resolves `utf8`; the base direction is the first strong character's (an icon
    /// of the Private Use Area counts as a neutral, not as a letter).
    explicit BidiParagraph(std::string_view utf8);
    /// True when the paragraph's base direction is right to left (it aligns to the right).
    [[nodiscard]] bool rtl() const { return rtl_; }
    /// Characters (code points) of the shaped paragraph, in logical order.
    [[nodiscard]] std::size_t size() const { return shaped_.size(); }
    /// True when character `i` is a space (where a line may break).
    [[nodiscard]] bool space_at(std::size_t i) const { return shaped_[i] == U' '; }
    /// Characters [from, to) shaped, in logical order: what a line measures (widths add up the
    /// same in either order).
    [[nodiscard]] std::string logical(std::size_t from, std::size_t to) const;
    /// Characters [from, to) as one line in visual order: what is drawn, left to right.
    [[nodiscard]] std::string visual(std::size_t from, std::size_t to) const;

private:
    std::u32string shaped_;         // presentation forms; a ligature's second half is U+FEFF
    std::vector<unsigned> types_;   // FriBidiCharType per character
    std::vector<signed char> levels_;
    bool rtl_ = false;
};

/// One line of a broken paragraph: characters [from, to), trailing spaces excluded.
struct BidiLine {
    std::size_t from = 0;  ///< first character
    std::size_t to = 0;    ///< one past the last character
};

/// Breaks `p` at spaces into lines whose `width(p.logical(from, to))` is at most `max_width`
/// (a word wider than that is a line of its own); `max_width` <= 0: one line.
[[nodiscard]] std::vector<BidiLine> break_bidi_lines(const BidiParagraph& p, float max_width,
                                                     const std::function<float(std::string_view)>& width);

/// `utf8` as drawn on one line per paragraph ('\n' kept between them), each paragraph shaped
/// and in visual order; unchanged when it has no right-to-left character.
[[nodiscard]] std::string visual_text(std::string_view utf8);

}  // namespace csc
