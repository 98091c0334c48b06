#include "kiosk/gui/png_write.hpp"

#include <png.h>

#include <cstdio>
#include <memory>

namespace csc::gui {

namespace {

// libpng reports errors through longjmp: the writer's state is plain data, freed on every path.
struct PngFile {
    std::FILE* file = nullptr;
    png_structp png = nullptr;
    png_infop info = nullptr;
    ~PngFile() {
        if (png) png_destroy_write_struct(&png, info ? &info : nullptr);
        if (file) std::fclose(file);
    }
};

// Writes the rows; false if libpng or the file failed (disk full).
bool write_rows(PngFile& f, int width, int height, const unsigned char* rgb, bool flip) {
    if (setjmp(png_jmpbuf(f.png))) return false;
    png_init_io(f.png, f.file);
    png_set_IHDR(f.png, f.info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    // Screenshots are written at each change of a screen under test: speed over size. zlib's
    // fastest level with the "sub" filter only (flat UI colours compress well with it) writes a
    // 1080x1920 screen in tens of milliseconds; stb's writer, which tried all five filters per
    // row with its own deflate, spent ~40% of a test program's CPU here.
    png_set_compression_level(f.png, 1);
    png_set_filter(f.png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_write_info(f.png, f.info);
    const std::size_t stride = std::size_t(width) * 3;
    for (int y = 0; y < height; ++y) {
        const int row = flip ? height - 1 - y : y;
        png_write_row(f.png, const_cast<png_bytep>(rgb + stride * std::size_t(row)));
    }
    png_write_end(f.png, nullptr);
    return std::fflush(f.file) == 0 && !std::ferror(f.file);
}

}  // namespace

Result<void> write_png_rgb(const std::filesystem::path& file, int width, int height,
                           const std::vector<unsigned char>& rgb, bool flip_vertically) {
    if (width <= 0 || height <= 0 || rgb.size() < std::size_t(width) * height * 3)
        return fail("screenshot: empty image");
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    const auto tmp = file.string() + ".tmp";
    bool written = false;
    {
        PngFile f;
        f.file = std::fopen(tmp.c_str(), "wb");
        if (f.file) f.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
        if (f.png) f.info = png_create_info_struct(f.png);
        written = f.info && write_rows(f, width, height, rgb.data(), flip_vertically);
    }
    if (!written) {
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
