// content_card.hpp — one item of the communication zone drawn as a card (the totem's page, the
// entrance's attract loop), and the view of an item in a screen's language.
//
// Contents: ContentCardView, ContentCards, draw_content_card().
// Contract: draw_content_card() only reads its view and draws inside [min, max]; the item's
// kind is a labelled pill (colour and word, never colour alone), an urgent notice has a red edge
// and says so in words. ContentCards builds views on the UI thread (no I/O; a link's QR code is
// made once per item and kept until clear()).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "kiosk/gui/qr.hpp"
#include "kiosk/gui/screen.hpp"
#include "shared/content/content_item.hpp"

namespace csc::gui {

/// One content item as a card shows it.
struct ContentCardView {
    std::string id;
    std::string kind;                ///< "deadline" | "initiative" | "event" | "notice"
    bool urgent = false;
    std::string title, body, where, when;
    std::optional<QrMatrix> qr;      ///< the item's link
};

/// Views of items in a language, their QR codes made once.
class ContentCards {
public:
    /// `item` in `lang` (texts missing in it: the office's first language).
    [[nodiscard]] ContentCardView view(const content::ContentItem& item, const Translator& tr, const std::string& lang);
    /// Forgets the QR codes (the items changed).
    void clear() { qr_.clear(); }

private:
    std::map<std::string, std::optional<QrMatrix>> qr_;
};

/// The card: kind pill, title, when and where, body in the room left, the link's QR with "scan".
void draw_content_card(FrameContext& ui, const ContentCardView& item, ImVec2 min, ImVec2 max);

}  // namespace csc::gui
