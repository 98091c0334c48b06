// content_card.hpp — one item of the communication zone drawn as a card (the totem's page, the
// entrance's attract loop).
//
// Contents: ContentCardView, draw_content_card().
// Contract: draw_content_card() only reads its view and draws inside [min, max]; the item's
// kind is a labelled pill (colour and word, never colour alone), an urgent notice has a red edge
// and says so in words. The roles build the views (roles/content_cards.hpp).
#pragma once

#include <optional>
#include <string>

#include "kiosk/gui/qr.hpp"
#include "kiosk/gui/textures.hpp"
#include "kiosk/gui/screen.hpp"

namespace csc::gui {

/// One content item as a card shows it.
struct ContentCardView {
    std::string id;
    std::string kind;                ///< "deadline" | "initiative" | "event" | "notice"
    bool urgent = false;
    std::string title, body, where, when;
    std::optional<QrMatrix> qr;      ///< the item's link
    Picture image;                   ///< the item's picture (empty: none)
};

/// The card: kind pill, title, when and where, the picture (up to 40% of the room, its proportions
/// kept), body in the room left, the link's QR with "scan".
void draw_content_card(FrameContext& ui, const ContentCardView& item, ImVec2 min, ImVec2 max);

}  // namespace csc::gui
