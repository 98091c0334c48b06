// mono_image.hpp — PNG logo loading and 1-bit dithering for thermal paper.
//
// Contents: LogoLimits, load_logo(), dither_to_mono(), write_grey_png().
// Contract: a missing, huge or corrupt PNG is an Error with a readable message (the ticket
// then prints without the logo); nothing here throws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "drivers/printer/receipt.hpp"
#include "shared/result.hpp"

namespace csc::printer {

/// Refusal thresholds for logo files (a logo is a few KiB; anything bigger is a mistake).
struct LogoLimits {
    std::uintmax_t max_file_bytes = 2u << 20;  ///< 2 MiB
    int max_side_pixels = 4096;                ///< before scaling
};

/// Loads a PNG, composites transparency over white, scales it down to at most `max_width`
/// dots (aspect kept) and dithers it (Floyd–Steinberg) to 1 bit.
Result<MonoImage> load_logo(const std::filesystem::path& png, int max_width, LogoLimits limits = {});
/// Same from PNG bytes already in memory; `name` is used in error messages.
Result<MonoImage> decode_logo(std::span<const std::uint8_t> png, std::string_view name, int max_width,
                              LogoLimits limits = {});
/// Floyd–Steinberg dither of 8-bit grey (0 black .. 255 white) to a MonoImage.
MonoImage dither_to_mono(std::span<const std::uint8_t> grey, int width, int height);
/// Writes 8-bit grey pixels as a PNG file.
Result<void> write_grey_png(const std::filesystem::path& path, std::span<const std::uint8_t> grey, int width,
                            int height);

}  // namespace csc::printer
