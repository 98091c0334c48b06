// png_write.hpp — saves an RGB image as PNG (screenshots for tests and docs).
#pragma once

#include <filesystem>
#include <vector>

#include "shared/result.hpp"

namespace csc::gui {

/// Writes width×height RGB pixels (rows top to bottom, or bottom to top with flip_vertically).
Result<void> write_png_rgb(const std::filesystem::path& file, int width, int height,
                           const std::vector<unsigned char>& rgb, bool flip_vertically);

}  // namespace csc::gui
