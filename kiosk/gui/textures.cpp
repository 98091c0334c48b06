// Pictures as GPU textures (textures.hpp).
#include "kiosk/gui/textures.hpp"

#include <glad/gl.h>

#include <algorithm>
#include <cstdint>

namespace csc::gui {

TextureCache::~TextureCache() {
    for (const Entry& e : entries_) glDeleteTextures(1, &e.id);
}

ImTextureID TextureCache::texture(const Picture& picture) {
    const std::size_t n = std::size_t(picture.width) * std::size_t(picture.height);
    if (picture.empty() || (picture.channels != 1 && picture.channels != 4) ||
        picture.pixels->size() < n * std::size_t(picture.channels))
        return nullptr;
    for (Entry& e : entries_)
        if (e.pixels == picture.pixels) {
            e.used = true;
            return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(e.id));
        }
    // RGBA, as ImGui's OpenGL backend samples it (its shader multiplies the texture's colour).
    std::vector<std::uint8_t> grey_as_rgba;
    const std::uint8_t* rgba = picture.pixels->data();
    if (picture.channels == 1) {
        grey_as_rgba.resize(n * 4);
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint8_t g = (*picture.pixels)[i];
            grey_as_rgba[4 * i] = grey_as_rgba[4 * i + 1] = grey_as_rgba[4 * i + 2] = g;
            grey_as_rgba[4 * i + 3] = 255;
        }
        rgba = grey_as_rgba.data();
    }
    GLint previous = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    GLuint id = 0;
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_2D, id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, picture.width, picture.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
    entries_.push_back({picture.pixels, id, true});
    return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(id));
}

void TextureCache::end_frame() {
    auto unused = std::partition(entries_.begin(), entries_.end(), [](const Entry& e) { return e.used; });
    for (auto it = unused; it != entries_.end(); ++it) glDeleteTextures(1, &it->id);
    entries_.erase(unused, entries_.end());
    for (Entry& e : entries_) e.used = false;
}

}  // namespace csc::gui
