// Pictures as GPU textures (textures.hpp).
#include "kiosk/gui/textures.hpp"

#include <glad/gl.h>

#include <algorithm>
#include <cstdint>

namespace csc::gui {

TextureCache::~TextureCache() {
    for (const Entry& e : entries_) glDeleteTextures(1, &e.id);
}

ImTextureID TextureCache::texture(const GreyPicture& picture) {
    if (picture.empty() || picture.grey->size() < std::size_t(picture.width) * std::size_t(picture.height)) return nullptr;
    for (Entry& e : entries_)
        if (e.pixels == picture.grey) {
            e.used = true;
            return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(e.id));
        }
    // RGBA, as ImGui's OpenGL backend samples it (its shader multiplies the texture's colour).
    std::vector<std::uint8_t> rgba(std::size_t(picture.width) * std::size_t(picture.height) * 4);
    for (std::size_t i = 0, n = std::size_t(picture.width) * std::size_t(picture.height); i < n; ++i) {
        const std::uint8_t g = (*picture.grey)[i];
        rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = g;
        rgba[4 * i + 3] = 255;
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
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, picture.width, picture.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
    entries_.push_back({picture.grey, id, true});
    return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(id));
}

void TextureCache::end_frame() {
    auto unused = std::partition(entries_.begin(), entries_.end(), [](const Entry& e) { return e.used; });
    for (auto it = unused; it != entries_.end(); ++it) glDeleteTextures(1, &it->id);
    entries_.erase(unused, entries_.end());
    for (Entry& e : entries_) e.used = false;
}

}  // namespace csc::gui
