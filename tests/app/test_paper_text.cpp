// A receipt in the citizen's script (kiosk/app/printing/paper_text): lines the printer's code
// pages lack become images of the paper's width; the rest stays text. What the images say is
// read back by OCR in tests/gui/test_scripts.py (the tickets printed on the emulated printer).
#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "drivers/printer/escpos_encoder.hpp"
#include "kiosk/app/printing/paper_text.hpp"

using namespace csc;
using printer::Align;
using printer::TextStyle;

namespace {

printer::Profile generic_80() {
    auto p = printer::find_profile("generic-80");
    REQUIRE(p.ok());
    return *p;
}

// Ink of one column band [x0, x1) of an image.
int ink(const printer::MonoImage& img, int x0, int x1) {
    int n = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = x0; x < x1; ++x) n += img.at(x, y) ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("paper text: Italian prints as text, Cyrillic, Chinese and Arabic do not") {
    const auto p = generic_80();
    CHECK(printer::prints_as_text(p, "Anagrafe: 3 persone prima di lei, più € 16,20"));
    CHECK(printer::prints_as_text(p, "\u201CRilascio\u201D \u2013 carta d'identità"));  // quotes and dash: look-alikes
    CHECK(printer::prints_as_text(p, "Škoda, Łukasz Čech"));  // a name's letters have honest look-alikes
    // Romanian's ă, ș, ț have none in cp850/858/437: such a line was "C?s?torii": now an image.
    CHECK_FALSE(printer::prints_as_text(p, "Căsătorii și uniuni civile"));
    CHECK_FALSE(printer::prints_as_text(p, "Ваш номер"));
    CHECK_FALSE(printer::prints_as_text(p, "您的号码"));
    CHECK_FALSE(printer::prints_as_text(p, "رقمك"));
}

TEST_CASE("paper text: only the lines the printer lacks become images, in the same order") {
    const auto p = generic_80();
    printer::Receipt r;
    r.text("Comune di Esempio", TextStyle{1, 1, true, false, false, Align::Center});
    r.text("您的号码", TextStyle{1, 1, false, false, false, Align::Center});
    r.text("A012", TextStyle{6, 6, true, false, false, Align::Center});
    r.text("Зберігайте талон до виклику", TextStyle{1, 1, false, false, false, Align::Center});
    r.qr("https://example.org/t/abc");
    r.cut();
    const printer::Receipt out = app::printable_receipt(p, r);
    REQUIRE(out.elements().size() == r.elements().size());
    CHECK(std::holds_alternative<printer::TextElement>(out.elements()[0]));
    CHECK(std::holds_alternative<printer::TextElement>(out.elements()[2]));
    for (int i : {1, 3}) {
        const auto* logo = std::get_if<printer::LogoElement>(&out.elements()[std::size_t(i)]);
        REQUIRE(logo != nullptr);
        REQUIRE(logo->image != nullptr);
        CHECK(logo->image->width == p.dots_per_line);
        CHECK(ink(*logo->image, 0, logo->image->width) > 50);
    }
    CHECK(std::holds_alternative<printer::QrElement>(out.elements()[4]));
    // The bytes: the Italian line as text, the images as GS v 0 rasters.
    auto bytes = app::encode_for_paper(p, r);
    REQUIRE(bytes.ok());
    const std::string b(bytes->begin(), bytes->end());
    CHECK(b.find("Comune di Esempio") != std::string::npos);
    CHECK(b.find("\x1d\x76\x30") != std::string::npos);
}

TEST_CASE("paper text: Arabic aligned 'left' starts at the right, as right-to-left text does; Chinese at the left") {
    const auto p = generic_80();
    const TextStyle left{1, 1, false, false, false, Align::Left};
    const auto arabic = app::paper_text_image("يرجى الاحتفاظ بالتذكرة", left, p.dots_per_line);
    const auto chinese = app::paper_text_image("请保留本号票", left, p.dots_per_line);
    REQUIRE(arabic);
    REQUIRE(chinese);
    const int half = p.dots_per_line / 2;
    CHECK(ink(*arabic, half, p.dots_per_line) > 0);
    CHECK(ink(*arabic, 0, 60) == 0);
    CHECK(ink(*chinese, 0, half) > 0);
    CHECK(ink(*chinese, p.dots_per_line - 60, p.dots_per_line) == 0);
}

TEST_CASE("paper text: sizes as the printer's own font (double height is twice as tall), reverse is white on black") {
    const auto p = generic_80();
    const auto normal = app::paper_text_image("Ваш номер", TextStyle{1, 1, false, false, false, Align::Center}, p.dots_per_line);
    const auto tall = app::paper_text_image("Ваш номер", TextStyle{1, 2, false, false, false, Align::Center}, p.dots_per_line);
    const auto reverse = app::paper_text_image("Ваш номер", TextStyle{1, 1, false, false, true, Align::Center}, p.dots_per_line);
    REQUIRE(normal);
    REQUIRE(tall);
    REQUIRE(reverse);
    CHECK(tall->height > normal->height * 3 / 2);
    CHECK(tall->height < normal->height * 5 / 2);
    // Tall is squeezed across as the printer's 1x2 is: about as wide as the normal line.
    const int w_normal = ink(*normal, 0, normal->width), w_tall = ink(*tall, 0, tall->width);
    CHECK(w_tall > w_normal);  // twice the height, the same width: more ink, less than 3x
    CHECK(w_tall < 3 * w_normal);
    CHECK(ink(*reverse, 0, reverse->width) > reverse->width * reverse->height / 2);
}

TEST_CASE("paper text: a line that cannot be drawn stays text, never an empty image") {
    const auto p = generic_80();
    CHECK(app::paper_text_image("", TextStyle{}, p.dots_per_line) == nullptr);
    CHECK(app::paper_text_image(std::string("\xFF\xFE bad"), TextStyle{}, p.dots_per_line) == nullptr);
    printer::Receipt r;
    r.text(std::string("\xD0 \xFF"), TextStyle{});  // not UTF-8: the encoder prints it as '?'
    const auto out = app::printable_receipt(p, r);
    REQUIRE(out.elements().size() == 1);
    CHECK(std::holds_alternative<printer::TextElement>(out.elements()[0]));
}
