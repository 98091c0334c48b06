// Right-to-left text (shared/text_bidi): Arabic joined into presentation forms, lines in visual
// order, broken in logical order. Expected code points are from the Unicode tables (Arabic
// Presentation Forms-B), written out by hand, not produced by the code under test.
#include <doctest/doctest.h>

#include <string>

#include "shared/text_bidi.hpp"
#include "shared/text_check.hpp"

using csc::BidiParagraph;

namespace {
std::string u8(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) csc::append_utf8(out, c);
    return out;
}
}  // namespace

TEST_CASE("bidi: only text with a right-to-left letter needs reordering") {
    CHECK_FALSE(csc::has_rtl("Anagrafe è aperta"));
    CHECK_FALSE(csc::has_rtl(u8(U"Реєстр населення")));
    CHECK_FALSE(csc::has_rtl(u8(U"户籍登记")));
    CHECK(csc::has_rtl(u8(U"Ticket \u0631\u0642\u0645")));
    CHECK(csc::has_rtl(u8(U"\u05E9\u05DC\u05D5\u05DD")));  // Hebrew
    CHECK(csc::visual_text("Anagrafe è aperta\nsecond line") == "Anagrafe è aperta\nsecond line");
}

TEST_CASE("bidi: an Arabic word is joined (initial, medial, final forms) and drawn right to left") {
    // مرحبا = meem reh hah beh alef. Meem joins reh (meem initial, reh final); reh never joins
    // the next letter, so hah starts again (initial), beh is medial, alef final.
    const std::string word = u8(U"\u0645\u0631\u062D\u0628\u0627");
    const BidiParagraph p(word);
    CHECK(p.rtl());
    CHECK(p.logical(0, p.size()) == u8(U"\uFEE3\uFEAE\uFEA3\uFE92\uFE8E"));
    CHECK(p.visual(0, p.size()) == u8(U"\uFE8E\uFE92\uFEA3\uFEAE\uFEE3"));
    CHECK(csc::visual_text(word) == u8(U"\uFE8E\uFE92\uFEA3\uFEAE\uFEE3"));
}

TEST_CASE("bidi: lam followed by alef becomes the one lam-alef ligature") {
    // لا: isolated lam-alef U+FEFB; the filler FriBidi leaves in the second place is not drawn.
    CHECK(csc::visual_text(u8(U"\u0644\u0627")) == u8(U"\uFEFB"));
    // سلام (peace): seen initial, lam-alef final ligature, meem isolated (alef never joins left).
    CHECK(csc::visual_text(u8(U"\u0633\u0644\u0627\u0645")) == u8(U"\uFEE1\uFEFC\uFEB3"));
}

TEST_CASE("bidi: Latin letters and digits inside Arabic keep their own order, brackets mirror") {
    // رقم A012 (number A012): the paragraph is right to left; A012 stays A012, at its left.
    // Reh never joins the next letter: reh isolated, qaf initial, meem final.
    CHECK(csc::visual_text(u8(U"\u0631\u0642\u0645 A012")) == u8(U"A012 \uFEE2\uFED7\uFEAD"));
    // (ب): in a right-to-left run the brackets are mirrored, so they still embrace the letter.
    CHECK(csc::visual_text(u8(U"(\u0628)")) == u8(U"(\uFE8F)"));
    // An Italian sentence that quotes an Arabic word stays left to right around it.
    CHECK(csc::visual_text(u8(U"Sportello \u0628\u0627 aperto")) == u8(U"Sportello \uFE8E\uFE91 aperto"));
}

TEST_CASE("bidi: an icon before Arabic words is a neutral: the paragraph is right to left, the icon at its right") {
    // U+F017 (an icon of the Private Use Area), two spaces, بب: the icon comes first in reading
    // order, so it is drawn rightmost; the paragraph aligns right. Before Latin words it stays left.
    const BidiParagraph p(u8(U"\uF017  \u0628\u0628"));
    CHECK(p.rtl());
    CHECK(p.visual(0, p.size()) == u8(U"\uFE90\uFE91  \uF017"));
    const BidiParagraph latin(u8(U"\uF017  Anagrafe \u0628"));
    CHECK_FALSE(latin.rtl());
    CHECK(latin.visual(0, latin.size()).rfind(u8(U"\uF017  Anagrafe"), 0) == 0);
}

TEST_CASE("bidi: a paragraph is broken in reading order, then each line is reversed") {
    // Four two-letter words (بب تت ثث جج) with a width of one unit per character: at most 5
    // units puts two words on a line. The first line holds the first two words read.
    const std::string text = u8(U"\u0628\u0628 \u062A\u062A \u062B\u062B \u062C\u062C");
    const BidiParagraph p(text);
    const auto width = [](std::string_view s) {
        float n = 0;
        for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1.0f : 0.0f;
        return n;
    };
    const auto lines = csc::break_bidi_lines(p, 5, width);
    REQUIRE(lines.size() == 2);
    CHECK(p.visual(lines[0].from, lines[0].to) == u8(U"\uFE96\uFE97 \uFE90\uFE91"));  // تت بب
    CHECK(p.visual(lines[1].from, lines[1].to) == u8(U"\uFE9E\uFE9F \uFE9A\uFE9B"));  // جج ثث
    // A word wider than the line is a line of its own, never an empty line.
    const auto narrow = csc::break_bidi_lines(p, 1, width);
    CHECK(narrow.size() == 4);
    // No limit: one line.
    CHECK(csc::break_bidi_lines(p, 0, width).size() == 1);
    // Trailing spaces take no room: a right-to-left line flush right ends at its last letter.
    const BidiParagraph spaced(text + "   ");
    const auto one = csc::break_bidi_lines(spaced, 0, width);
    REQUIRE(one.size() == 1);
    CHECK(one[0].to == spaced.size() - 3);
}

TEST_CASE("bidi: invisible joiners and direction marks are not drawn (no missing-glyph boxes)") {
    // بـ + ZWJ, then an Arabic letter mark and a word joiner: only the letters come out.
    const std::string out = csc::visual_text(u8(U"\u0628\u200D \u061C\u0628\u2060"));
    for (const char32_t c : {U'\u200D', U'\u061C', U'\u2060'}) CHECK(out.find(u8(std::u32string(1, c))) == std::string::npos);
}

TEST_CASE("bidi: bytes that are not UTF-8 become the replacement character, never a crash") {
    const std::string bad = std::string("\xD9") + u8(U"\u0628") + "\xFF";
    const std::string out = csc::visual_text(bad);
    CHECK(out.find(u8(U"\uFFFD")) != std::string::npos);
    CHECK(out.find(u8(U"\uFE8F")) != std::string::npos);
    CHECK(csc::visual_text("") == "");
    CHECK(csc::BidiParagraph("").size() == 0);
}

TEST_CASE("utf8: next_utf8 and append_utf8 round-trip every plane; malformed bytes and surrogates are U+FFFD") {
    const std::u32string cps = {U'A', U'\u00E8', U'\u20AC', U'\u0628', U'\u4E2D', U'\U0001F600'};
    std::string text;
    for (char32_t c : cps) csc::append_utf8(text, c);
    CHECK(text == "A\xC3\xA8\xE2\x82\xAC\xD8\xA8\xE4\xB8\xAD\xF0\x9F\x98\x80");  // written out by hand
    std::u32string back;
    for (std::size_t i = 0; i < text.size();) back.push_back(csc::next_utf8(text, i));
    CHECK(back == cps);
    std::size_t i = 0;
    CHECK(csc::next_utf8("\xC0\xAF", i) == 0xFFFD);  // overlong '/'
    CHECK(i == 1);
    i = 0;
    CHECK(csc::next_utf8("\xED\xA0\x80", i) == 0xFFFD);  // a surrogate
    std::string s;
    csc::append_utf8(s, 0xD800);
    CHECK(s == "\xEF\xBF\xBD");
}
