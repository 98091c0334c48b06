#include "drivers/printer/mono_image.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

#include "drivers/printer/stb_private.hpp"

namespace csc::printer {

Result<MonoImage> load_logo(const std::filesystem::path& png, int max_width, LogoLimits limits) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(png, ec)) return fail("logo " + png.string() + " not found");
    auto size = std::filesystem::file_size(png, ec);
    if (ec) return fail("logo " + png.string() + ": " + ec.message());
    if (size > limits.max_file_bytes)
        return fail("logo " + png.string() + " is too large (" + std::to_string(size) + " bytes, limit " +
                    std::to_string(limits.max_file_bytes) + ")");
    std::ifstream in(png, std::ios::binary);
    std::vector<std::uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
    if (bytes.size() != size) return fail("logo " + png.string() + " could not be read");
    return decode_logo(bytes, png.string(), max_width, limits);
}

Result<MonoImage> decode_logo(std::span<const std::uint8_t> png, std::string_view name, int max_width,
                              LogoLimits limits) {
    std::string who = "logo " + std::string(name);
    if (png.size() > limits.max_file_bytes) return fail(who + " is too large");
    if (max_width < 8) return fail(who + ": no room on the paper");
    int w = 0, h = 0;
    // Dimensions first, from the IHDR chunk: a tiny file can claim a gigapixel image (a
    // decompression bomb), and stb refuses those with a vaguer message.
    static constexpr std::uint8_t kSignature[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (png.size() >= 24 && std::equal(std::begin(kSignature), std::end(kSignature), png.begin()) &&
        std::equal(png.begin() + 12, png.begin() + 16, "IHDR")) {
        auto be32 = [&](std::size_t o) {
            return (std::uint32_t(png[o]) << 24) | (std::uint32_t(png[o + 1]) << 16) | (std::uint32_t(png[o + 2]) << 8) | png[o + 3];
        };
        std::uint32_t iw = be32(16), ih = be32(20);
        if (iw > std::uint32_t(limits.max_side_pixels) || ih > std::uint32_t(limits.max_side_pixels))
            return fail(who + " is too large (" + std::to_string(iw) + "x" + std::to_string(ih) + " pixels, limit " +
                        std::to_string(limits.max_side_pixels) + " per side)");
    }
    if (!detail::image_info(png.data(), static_cast<int>(png.size()), w, h))
        return fail(who + " is not a readable PNG (corrupt or another format)");
    if (w <= 0 || h <= 0 || w > limits.max_side_pixels || h > limits.max_side_pixels)
        return fail(who + " is too large (" + std::to_string(w) + "x" + std::to_string(h) + " pixels, limit " +
                    std::to_string(limits.max_side_pixels) + " per side)");
    std::string why;
    auto rgba = detail::image_decode_rgba(png.data(), static_cast<int>(png.size()), w, h, why);
    if (rgba.empty()) return fail(who + " is corrupt: " + why);

    // Luminance composited over white paper.
    std::vector<float> lum(std::size_t(w) * h);
    for (std::size_t i = 0; i < lum.size(); ++i) {
        float a = rgba[i * 4 + 3] / 255.0f;
        float y = 0.299f * rgba[i * 4] + 0.587f * rgba[i * 4 + 1] + 0.114f * rgba[i * 4 + 2];
        lum[i] = y * a + 255.0f * (1.0f - a);
    }
    // Area-average downscale to the printable width (never upscale: it only blurs).
    int ow = std::min(w, max_width);
    int oh = std::max(1, static_cast<int>(static_cast<long long>(h) * ow / w));
    std::vector<std::uint8_t> grey(std::size_t(ow) * oh);
    for (int oy = 0; oy < oh; ++oy) {
        int y0 = oy * h / oh, y1 = std::max(y0 + 1, (oy + 1) * h / oh);
        for (int ox = 0; ox < ow; ++ox) {
            int x0 = ox * w / ow, x1 = std::max(x0 + 1, (ox + 1) * w / ow);
            float sum = 0;
            for (int y = y0; y < y1; ++y)
                for (int x = x0; x < x1; ++x) sum += lum[std::size_t(y) * w + x];
            grey[std::size_t(oy) * ow + ox] = static_cast<std::uint8_t>(std::clamp(sum / float((y1 - y0) * (x1 - x0)), 0.0f, 255.0f));
        }
    }
    return dither_to_mono(grey, ow, oh);
}

MonoImage dither_to_mono(std::span<const std::uint8_t> grey, int width, int height) {
    MonoImage img{width, height, std::vector<std::uint8_t>(std::size_t(width) * height)};
    std::vector<float> cur(grey.begin(), grey.begin() + std::size_t(width) * height);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            std::size_t i = std::size_t(y) * width + x;
            float old = cur[i];
            float neu = old < 128.0f ? 0.0f : 255.0f;
            img.dots[i] = neu == 0.0f ? 1 : 0;
            float err = old - neu;
            if (x + 1 < width) cur[i + 1] += err * 7 / 16;
            if (y + 1 < height) {
                if (x > 0) cur[i + width - 1] += err * 3 / 16;
                cur[i + width] += err * 5 / 16;
                if (x + 1 < width) cur[i + width + 1] += err * 1 / 16;
            }
        }
    }
    return img;
}

Result<void> write_grey_png(const std::filesystem::path& path, std::span<const std::uint8_t> grey, int width,
                            int height) {
    if (width <= 0 || height <= 0 || grey.size() < std::size_t(width) * height)
        return fail("nothing to write to " + path.string());
    if (!detail::png_write_grey(path.string(), grey.data(), width, height))
        return fail("cannot write PNG " + path.string());
    return {};
}

}  // namespace csc::printer
