#include "shared/text_bidi.hpp"

#include "shared/text_check.hpp"

#include <fribidi.h>

#include <algorithm>

namespace csc {
namespace {

bool rtl_char(char32_t c) {
    return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFC) ||
           (c >= 0x10800 && c <= 0x10FFF) || (c >= 0x1E800 && c <= 0x1EFFF);
}

// What is written of a shaped character: the filler FriBidi leaves where a ligature took two
// letters, and the bidi controls that steer the algorithm, take no room and are not drawn.
bool drawn(char32_t c) {
    return c != FRIBIDI_CHAR_FILL && c != 0x061C && !(c >= 0x200B && c <= 0x200F) && !(c >= 0x202A && c <= 0x202E) &&
           !(c >= 0x2060 && c <= 0x2069);
}

}  // namespace

bool has_rtl(std::string_view utf8) {
    for (std::size_t i = 0; i < utf8.size();) {
        if (static_cast<unsigned char>(utf8[i]) < 0xD6) {  // below U+0580: ASCII, Latin, Greek, Cyrillic
            ++i;
            continue;
        }
        if (rtl_char(next_utf8(utf8, i))) return true;
    }
    return false;
}

BidiParagraph::BidiParagraph(std::string_view utf8) {
    for (std::size_t i = 0; i < utf8.size();) shaped_.push_back(next_utf8(utf8, i));
    const auto n = static_cast<FriBidiStrIndex>(shaped_.size());
    if (n == 0) return;
    auto* str = reinterpret_cast<FriBidiChar*>(shaped_.data());
    std::vector<FriBidiCharType> types(shaped_.size());
    std::vector<FriBidiBracketType> brackets(shaped_.size());
    std::vector<FriBidiLevel> levels(shaped_.size());
    std::vector<FriBidiArabicProp> joining(shaped_.size());
    fribidi_get_bidi_types(str, n, types.data());
    // An icon (Font Awesome, in the Private Use Area) is no letter: Unicode gives it a strong
    // left-to-right type, which made "⌛  جار…" a left-to-right paragraph with the icon at its
    // left. As a neutral it takes its neighbours' direction: first in an Arabic line, rightmost.
    for (FriBidiStrIndex i = 0; i < n; ++i)
        if (str[i] >= 0xE000 && str[i] <= 0xF8FF) types[std::size_t(i)] = FRIBIDI_TYPE_ON;
    fribidi_get_bracket_types(str, n, types.data(), brackets.data());
    FriBidiParType base = FRIBIDI_PAR_ON;
    if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), n, &base, levels.data()) == 0) {
        std::fill(levels.begin(), levels.end(), 0);  // out of memory: drawn as typed
        base = FRIBIDI_PAR_LTR;
    }
    fribidi_get_joining_types(str, n, joining.data());
    fribidi_join_arabic(types.data(), n, levels.data(), joining.data());
    fribidi_shape(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, levels.data(), n, joining.data(), str);
    rtl_ = FRIBIDI_IS_RTL(base);
    types_.assign(types.begin(), types.end());
    levels_.assign(levels.begin(), levels.end());
}

std::string BidiParagraph::logical(std::size_t from, std::size_t to) const {
    std::string out;
    to = std::min(to, shaped_.size());
    for (std::size_t i = from; i < to; ++i)
        if (drawn(shaped_[i])) append_utf8(out, shaped_[i]);
    return out;
}

std::string BidiParagraph::visual(std::size_t from, std::size_t to) const {
    to = std::min(to, shaped_.size());
    if (from >= to) return {};
    // fribidi_reorder_line reorders the levels and the string in place: work on copies.
    std::u32string line = shaped_;
    std::vector<FriBidiCharType> types(types_.begin(), types_.end());
    std::vector<FriBidiLevel> levels(levels_.begin(), levels_.end());
    if (fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, types.data(),
                             static_cast<FriBidiStrIndex>(to - from), static_cast<FriBidiStrIndex>(from),
                             rtl_ ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR, levels.data(),
                             reinterpret_cast<FriBidiChar*>(line.data()), nullptr) == 0)
        return logical(from, to);  // out of memory: shaped, in reading order, rather than nothing
    std::string out;
    for (std::size_t i = from; i < to; ++i)
        if (drawn(line[i])) append_utf8(out, line[i]);
    return out;
}

std::vector<BidiLine> break_bidi_lines(const BidiParagraph& p, float max_width,
                                       const std::function<float(std::string_view)>& width) {
    std::vector<BidiLine> lines;
    const std::size_t n = p.size();
    std::size_t start = 0;
    while (start < n && p.space_at(start)) ++start;
    while (start < n) {
        // Grow the line a word at a time while it fits.
        std::size_t end = start;      // end of the last word that fits
        std::size_t scan = start;
        while (scan < n) {
            std::size_t word_end = scan;
            while (word_end < n && p.space_at(word_end)) ++word_end;
            while (word_end < n && !p.space_at(word_end)) ++word_end;
            if (end > start && max_width > 0 && width(p.logical(start, word_end)) > max_width) break;
            end = word_end;
            scan = word_end;
        }
        std::size_t last = end;
        while (last > start && p.space_at(last - 1)) --last;  // a line's trailing spaces take no room
        lines.push_back({start, last});
        start = end;
        while (start < n && p.space_at(start)) ++start;
    }
    return lines;
}

std::string visual_text(std::string_view utf8) {
    if (!has_rtl(utf8)) return std::string(utf8);
    std::string out;
    std::size_t begin = 0;
    while (true) {
        const std::size_t nl = utf8.find('\n', begin);
        const std::string_view para = utf8.substr(begin, nl == std::string_view::npos ? std::string_view::npos : nl - begin);
        const BidiParagraph p(para);
        out += p.visual(0, p.size());
        if (nl == std::string_view::npos) break;
        out += '\n';
        begin = nl + 1;
    }
    return out;
}

}  // namespace csc
