// textures.hpp — pictures a view hands to its screen (a ticket's paper in the service menu, a
// content item's image on the totem), turned into GPU textures inside the frame that draws them.
//
// Contents: Picture, TextureCache.
// Contract: UI thread only, with the window's GL context current (the Backend owns the cache
// and frees it before the context). A picture is uploaded once, the first frame that draws it,
// and freed after a frame that did not draw it: a view that keeps a picture keeps its texture.
// Pictures are identified by their pixels' storage, so a view replaces the picture (a new
// shared_ptr) when the picture changes.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <imgui.h>

namespace csc::gui {

/// A picture, row-major: grey (0 black … 255 white) or RGBA (straight alpha).
struct Picture {
    int width = 0, height = 0;
    std::shared_ptr<const std::vector<std::uint8_t>> pixels;  ///< width × height × channels bytes
    int channels = 1;                                          ///< 1 grey, 4 RGBA
    [[nodiscard]] bool empty() const { return width <= 0 || height <= 0 || !pixels; }
};

/// The textures of the pictures drawn lately.
class TextureCache {
public:
    TextureCache() = default;
    TextureCache(const TextureCache&) = delete;
    TextureCache& operator=(const TextureCache&) = delete;
    ~TextureCache();
    /// The texture showing `picture` (uploaded now if it is new); nullptr for an empty picture.
    [[nodiscard]] ImTextureID texture(const Picture& picture);
    /// After a frame is rendered: frees the textures it did not draw.
    void end_frame();
    /// Textures held now (for tests and the frame statistics).
    [[nodiscard]] std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::shared_ptr<const std::vector<std::uint8_t>> pixels;  ///< held: its address cannot be reused while the texture lives
        unsigned id;
        bool used;
    };
    std::vector<Entry> entries_;
};

}  // namespace csc::gui
