// paper_text.hpp — a receipt in the citizen's script on any ESC/POS printer. A thermal printer
// has Latin code pages only: a line in Cyrillic, Chinese or Arabic would come out as "???".
// Such a line is drawn here as an image of the paper's width (Pango: shaped, right to left where
// the script is, any installed font through fontconfig) and printed as a raster; every other line
// stays text in the printer's own font.
//
// Contents: paper_text_image(), printable_receipt(), encode_for_paper().
// Contract: pure apart from reading fonts; never throws. A line that cannot be drawn (not UTF-8,
// no font) stays text, as the encoder prints it. Alignment follows the paragraph's direction, as
// a mirrored layout does: Left is the start (the right for Arabic), Right the end. Reverse is a
// black band across the paper with the text in white (the printer's own reverse, GS B, blackens
// only behind the characters). Only text elements the profile cannot print are
// drawn: the CRS PIN's digits (ASCII, always printable) never become an image.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "drivers/printer/profile.hpp"
#include "drivers/printer/receipt.hpp"
#include "shared/result.hpp"

namespace csc::app {

/// `utf8` drawn as black dots, `dots_per_line` wide, in the size, weight and alignment of `style`
/// (font A's 24-dot line per unit of height); nullptr when it cannot be drawn.
[[nodiscard]] std::shared_ptr<const printer::MonoImage> paper_text_image(std::string_view utf8, const printer::TextStyle& style,
                                                                        int dots_per_line);
/// `receipt` with each text `profile` cannot print (printer::prints_as_text) replaced by its image.
[[nodiscard]] printer::Receipt printable_receipt(const printer::Profile& profile, const printer::Receipt& receipt);
/// printable_receipt(), then the ESC/POS bytes (printer::EscposEncoder::encode).
[[nodiscard]] Result<std::vector<std::uint8_t>> encode_for_paper(const printer::Profile& profile,
                                                                 const printer::Receipt& receipt);

}  // namespace csc::app
