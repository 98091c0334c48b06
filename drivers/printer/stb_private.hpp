// stb_private.hpp — the few stb functions this library uses, behind our own names.
// stb is compiled with static linkage in stb_private.cpp only, so it can never clash with
// another copy of stb elsewhere in the program (imgui bundles one).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace csc::printer::detail {

/// Decodes PNG/any stb format to RGBA8. Empty result: `error` says why.
std::vector<std::uint8_t> image_decode_rgba(const std::uint8_t* data, int size, int& w, int& h, std::string& error);
/// Reads the dimensions without decoding. False if the data is not an image.
bool image_info(const std::uint8_t* data, int size, int& w, int& h);
/// Writes 1-channel 8-bit PNG. False on failure.
bool png_write_grey(const std::string& path, const std::uint8_t* pixels, int w, int h);

/// A loaded TrueType font (opaque).
struct Font;
/// Loads a TTF file; nullptr if missing or unreadable.
Font* font_load(const std::string& path);
/// Vertical metrics in pixels for a font scaled to `pixel_height`.
float font_scale_for_pixel_height(const Font* f, float pixel_height);
void font_vmetrics(const Font* f, int& ascent, int& descent);
int font_advance(const Font* f, char32_t cp);  ///< unscaled advance width
/// Renders one glyph into an 8-bit coverage bitmap; returns it with its size and offsets.
std::vector<std::uint8_t> font_glyph(const Font* f, char32_t cp, float sx, float sy, int& w, int& h, int& xoff,
                                     int& yoff);

}  // namespace csc::printer::detail
