#include "drivers/printer/receipt.hpp"

#include <string.h>  // explicit_bzero

#include <utility>

namespace csc::printer {

Receipt& Receipt::text(std::string utf8, TextStyle style) {
    elements_.emplace_back(TextElement{std::move(utf8), style});
    return *this;
}
Receipt& Receipt::qr(std::string data, int module_dots, Align align) {
    elements_.emplace_back(QrElement{std::move(data), module_dots, align});
    return *this;
}
Receipt& Receipt::barcode128(std::string data, int height_dots) {
    elements_.emplace_back(Barcode128Element{std::move(data), height_dots, Align::Center});
    return *this;
}
Receipt& Receipt::logo(std::filesystem::path png, Align align) {
    elements_.emplace_back(LogoElement{std::move(png), nullptr, align, 0});
    return *this;
}
Receipt& Receipt::logo(std::shared_ptr<const MonoImage> image, Align align) {
    elements_.emplace_back(LogoElement{{}, std::move(image), align, 0});
    return *this;
}
Receipt& Receipt::rule(int thickness_dots) {
    elements_.emplace_back(RuleElement{thickness_dots});
    return *this;
}
Receipt& Receipt::feed(int lines) {
    elements_.emplace_back(FeedElement{lines});
    return *this;
}
Receipt& Receipt::cut(bool partial) {
    elements_.emplace_back(CutElement{partial});
    return *this;
}
void Receipt::wipe() {
    auto zero = [](std::string& s) {
        if (!s.empty()) explicit_bzero(s.data(), s.size());
        s.clear();
    };
    for (auto& e : elements_) {
        if (auto* t = std::get_if<TextElement>(&e)) zero(t->utf8);
        else if (auto* q = std::get_if<QrElement>(&e)) zero(q->data);
        else if (auto* b = std::get_if<Barcode128Element>(&e)) zero(b->data);
    }
    elements_.clear();
}

Receipt& Receipt::presenter(PresenterAction action) {
    elements_.emplace_back(PresenterElement{action});
    return *this;
}

}  // namespace csc::printer
