// The only file that compiles stb. Everything static (see stb_private.hpp for why).
#include "drivers/printer/stb_private.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#endif
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#include <stb/stb_image.h>
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb/stb_truetype.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace csc::printer::detail {

std::vector<std::uint8_t> image_decode_rgba(const std::uint8_t* data, int size, int& w, int& h, std::string& error) {
    int channels = 0;
    unsigned char* px = stbi_load_from_memory(data, size, &w, &h, &channels, 4);
    if (px == nullptr) {
        const char* why = stbi_failure_reason();
        error = why ? why : "unknown decoder error";
        return {};
    }
    std::vector<std::uint8_t> out(px, px + std::size_t(w) * h * 4);
    stbi_image_free(px);
    return out;
}

bool image_info(const std::uint8_t* data, int size, int& w, int& h) {
    int comp = 0;
    return stbi_info_from_memory(data, size, &w, &h, &comp) != 0;
}

bool png_write_grey(const std::string& path, const std::uint8_t* pixels, int w, int h) {
    return stbi_write_png(path.c_str(), w, h, 1, pixels, w) != 0;
}

struct Font {
    std::vector<unsigned char> ttf;
    stbtt_fontinfo info{};
};

Font* font_load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return nullptr;
    auto* f = new Font;
    f->ttf.assign(std::istreambuf_iterator<char>(in), {});
    if (f->ttf.empty() || !stbtt_InitFont(&f->info, f->ttf.data(), stbtt_GetFontOffsetForIndex(f->ttf.data(), 0))) {
        delete f;
        return nullptr;
    }
    return f;
}

float font_scale_for_pixel_height(const Font* f, float pixel_height) {
    return stbtt_ScaleForPixelHeight(&f->info, pixel_height);
}

void font_vmetrics(const Font* f, int& ascent, int& descent) {
    int gap = 0;
    stbtt_GetFontVMetrics(&f->info, &ascent, &descent, &gap);
}

int font_advance(const Font* f, char32_t cp) {
    int adv = 0, lsb = 0;
    stbtt_GetCodepointHMetrics(&f->info, static_cast<int>(cp), &adv, &lsb);
    return adv;
}

std::vector<std::uint8_t> font_glyph(const Font* f, char32_t cp, float sx, float sy, int& w, int& h, int& xoff,
                                     int& yoff) {
    unsigned char* bm = stbtt_GetCodepointBitmap(&f->info, sx, sy, static_cast<int>(cp), &w, &h, &xoff, &yoff);
    if (bm == nullptr) {
        w = h = 0;
        return {};
    }
    std::vector<std::uint8_t> out(bm, bm + std::size_t(w) * h);
    stbtt_FreeBitmap(bm, nullptr);
    return out;
}

}  // namespace csc::printer::detail
