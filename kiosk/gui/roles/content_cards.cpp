// Content items as cards' views (content_cards.hpp).
#include "kiosk/gui/roles/content_cards.hpp"

#include <iostream>

#include "kiosk/app/content_source.hpp"

namespace csc::gui {

ContentCardView ContentCards::view(const content::ContentItem& it, const Translator& tr, const std::string& lang) {
    ContentCardView v;
    v.id = it.id;
    v.kind = std::string(content::to_string(it.kind));
    v.urgent = it.urgent;
    v.title = it.title.get(lang);
    v.body = it.body.get(lang);
    v.where = it.where.get(lang);
    v.when = app::when_text(it, tr, lang);
    if (auto img = images_.find(it.id); img != images_.end())
        v.image = Picture{img->second.width, img->second.height, img->second.rgba, 4};
    if (!it.link.empty()) {
        auto cached = qr_.find(it.id);
        if (cached == qr_.end()) {
            std::optional<QrMatrix> qr;
            if (auto made = make_qr(it.link)) qr = std::move(*made);
            else std::cerr << "kiosk: content " << it.id << ": no QR for its link: " << made.error().message << '\n';
            cached = qr_.emplace(it.id, std::move(qr)).first;
        }
        v.qr = cached->second;
    }
    return v;
}

}  // namespace csc::gui
