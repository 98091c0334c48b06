// content_cards.hpp — content items as the cards of a screen show them, in its language (the
// totem, the entrance's attract loop).
//
// Contents: ContentCards.
// Contract: UI thread, no I/O; a link's QR code is made once per item and kept until clear().
#pragma once

#include <map>
#include <optional>
#include <string>

#include "kiosk/app/content_source.hpp"
#include "kiosk/gui/screens/content_card.hpp"
#include "shared/content/content_item.hpp"
#include "shared/i18n.hpp"

namespace csc::gui {

/// Views of items in a language, their QR codes made once.
class ContentCards {
public:
    /// `item` in `lang` (texts missing in it: the office's first language).
    [[nodiscard]] ContentCardView view(const content::ContentItem& item, const Translator& tr, const std::string& lang);
    /// Forgets the QR codes (the items changed).
    void clear() { qr_.clear(); }
    /// The items' pictures from now on (ContentUpdate::images), by item id.
    void set_images(std::map<std::string, app::ContentImage> images) { images_ = std::move(images); }

private:
    std::map<std::string, std::optional<QrMatrix>> qr_;
    std::map<std::string, app::ContentImage> images_;
};

}  // namespace csc::gui
