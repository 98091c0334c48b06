#include "kiosk/app/printing/paper_text.hpp"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "drivers/printer/escpos_encoder.hpp"
#include "shared/text_check.hpp"

namespace csc::app {
namespace {

constexpr double kDotsPerHeightUnit = 22.0;  // the font's size in dots at height 1 (font A's line is 24)
constexpr int kPadDots = 2;                  // above and below the drawn line

// The text as Pango may take it: '\t' a space, other control characters dropped (as the encoder does).
std::string clean(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (char c : utf8) {
        const auto b = static_cast<unsigned char>(c);
        if (c == '\t') out += ' ';
        else if (c == '\n' || b >= 0x20) out += c;
    }
    return out;
}

PangoAlignment alignment(printer::Align a) {
    switch (a) {
        case printer::Align::Center: return PANGO_ALIGN_CENTER;
        case printer::Align::Right: return PANGO_ALIGN_RIGHT;
        case printer::Align::Left: break;
    }
    return PANGO_ALIGN_LEFT;  // for a right-to-left paragraph Pango puts it on the right
}

}  // namespace

std::shared_ptr<const printer::MonoImage> paper_text_image(std::string_view utf8, const printer::TextStyle& style,
                                                           int dots_per_line) {
    const std::string text = clean(utf8);
    if (text.empty() || !valid_utf8(text) || dots_per_line <= 0) return nullptr;
    const int width_mag = std::clamp(style.width, 1, 8), height_mag = std::clamp(style.height, 1, 8);
    const double x_scale = double(width_mag) / double(height_mag);  // 2x1 wide, 1x2 tall, as the printer's own font

    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_A8, dots_per_line, 1);
    cairo_t* cr = cairo_create(surface);
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* font = pango_font_description_from_string("DejaVu Sans");
    pango_font_description_set_absolute_size(font, kDotsPerHeightUnit * height_mag * PANGO_SCALE);
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    pango_layout_set_width(layout, static_cast<int>(dots_per_line / x_scale * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, alignment(style.align));
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    if (style.underline) {
        PangoAttrList* attrs = pango_attr_list_new();
        pango_attr_list_insert(attrs, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE));
        pango_layout_set_attributes(layout, attrs);
        pango_attr_list_unref(attrs);
    }
    int w = 0, h = 0;
    pango_layout_get_pixel_size(layout, &w, &h);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);

    // Drawn at the font's own proportions, then squeezed or stretched across (1x2 tall, 2x1
    // wide, as the printer's own font is): scaling the drawing instead would space the letters.
    std::shared_ptr<printer::MonoImage> image;
    const int height = h + 2 * kPadDots;
    const int drawn_width = static_cast<int>(std::ceil(dots_per_line / x_scale));
    if (h > 0 && height <= 4096) {
        surface = cairo_image_surface_create(CAIRO_FORMAT_A8, drawn_width, height);
        cr = cairo_create(surface);
        cairo_move_to(cr, 0, kPadDots);
        pango_cairo_update_layout(cr, layout);
        pango_cairo_show_layout(cr, layout);
        cairo_surface_flush(surface);
        if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS) {
            image = std::make_shared<printer::MonoImage>();
            image->width = dots_per_line;
            image->height = height;
            image->dots.resize(std::size_t(dots_per_line) * std::size_t(height));
            const unsigned char* data = cairo_image_surface_get_data(surface);
            const int stride = cairo_image_surface_get_stride(surface);
            bool ink = false;
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < dots_per_line; ++x) {
                    // The drawn columns this dot covers, their coverage averaged.
                    const int from = std::min(drawn_width - 1, static_cast<int>(x / x_scale));
                    const int to = std::clamp(static_cast<int>((x + 1) / x_scale), from + 1, drawn_width);
                    int sum = 0;
                    for (int sx = from; sx < to; ++sx) sum += data[y * stride + sx];
                    const bool dot = sum / (to - from) >= 112;  // a thermal dot is on or off
                    image->dots[std::size_t(y) * std::size_t(dots_per_line) + std::size_t(x)] = (dot != style.reverse) ? 1 : 0;
                    ink = ink || dot;
                }
            if (!ink) image.reset();  // nothing drawn: no font had these characters
        }
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
    }
    g_object_unref(layout);
    return image;
}

printer::Receipt printable_receipt(const printer::Profile& profile, const printer::Receipt& receipt) {
    printer::Receipt out;
    out.reserve(receipt.elements().size());  // never reallocated: a copied secret is only where wipe() reaches
    for (const printer::ReceiptElement& e : receipt.elements()) {
        const auto* t = std::get_if<printer::TextElement>(&e);
        if (t && !printer::prints_as_text(profile, t->utf8)) {
            if (auto image = paper_text_image(t->utf8, t->style, profile.dots_per_line)) {
                out.logo(std::move(image), printer::Align::Left);  // as wide as the paper: aligned inside
                continue;
            }
        }
        out.add(e);
    }
    return out;
}

Result<std::vector<std::uint8_t>> encode_for_paper(const printer::Profile& profile, const printer::Receipt& receipt) {
    return printer::EscposEncoder(profile).encode(printable_receipt(profile, receipt));
}

}  // namespace csc::app
