#include "kiosk/gui/png_write.hpp"

// stb compiled privately (static) here: the printer driver has its own static copy.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace csc::gui {

Result<void> write_png_rgb(const std::filesystem::path& file, int width, int height,
                           const std::vector<unsigned char>& rgb, bool flip_vertically) {
    if (width <= 0 || height <= 0 || rgb.size() < std::size_t(width) * height * 3)
        return fail("screenshot: empty image");
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    const auto tmp = file.string() + ".tmp";
    stbi_flip_vertically_on_write(flip_vertically ? 1 : 0);
    stbi_write_png_compression_level = 4;  // screenshots: speed over size
    if (!stbi_write_png(tmp.c_str(), width, height, 3, rgb.data(), width * 3)) {
        std::filesystem::remove(tmp, ec);  // never leave a temporary file behind (disk full)
        return fail("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, file, ec);  // readers never see a half-written file
    if (ec) {
        const std::string why = ec.message();
        std::filesystem::remove(tmp, ec);
        return fail("cannot write " + file.string() + ": " + why);
    }
    return {};
}

}  // namespace csc::gui
