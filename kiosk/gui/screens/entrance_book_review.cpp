// Booking, fifth step: everything once more (the name masked, as on paper), then Confirm.
#include <algorithm>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void EntranceBookReview::draw_content(FrameContext& ui) {
    const BookingView& b = view_.booking;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float margin = ui.px(ui.portrait() ? 48 : 64);
    auto [y, bottom] = b.moving ? step_frame(ui, ui.t("manage.move.review.title"), ui.t("manage.move.review.subtitle"))
                                : step_frame(ui, ui.t("booking.review.title"), ui.t("booking.review.subtitle"));
    if (!b.notice.empty()) y += notice_panel(ui, y, ui.t(b.notice, b.notice_args), true) + ui.px(24);

    // The summary card.
    const float w = ui.size.x - 2 * margin;
    std::vector<std::pair<std::string, std::string>> rows;
    if (b.service >= 0 && b.service < int(b.services.size()))
        rows.push_back({ui.t("booking.review.service"), b.services[std::size_t(b.service)].name});
    if (b.moving && b.moving_from) rows.push_back({ui.t("manage.move.from"), slot_text(ui, *b.moving_from)});
    if (b.chosen) rows.push_back({ui.t(b.moving ? "manage.move.to" : "booking.review.when"), slot_text(ui, *b.chosen)});
    rows.push_back({ui.t("booking.review.name"), b.masked_name});
    if (!b.masked_contact.empty()) rows.push_back({ui.t("booking.review.phone"), b.masked_contact});
    const float label_w = ui.portrait() ? ui.px(260) : ui.px(340);
    float h = ui.px(40);
    for (const auto& [label, value] : rows) h += text_size(ui.fonts.heading, value, w - label_w - ui.px(80)).y + ui.px(28);
    dl->AddRectFilled({margin, y + ui.px(6)}, {margin + w, y + h + ui.px(6)}, palette::kShadow, ui.px(22));
    dl->AddRectFilled({margin, y}, {margin + w, y + h}, palette::kCard, ui.px(22));
    float ry = y + ui.px(28);
    for (const auto& [label, value] : rows) {
        draw_text(dl, ui.fonts.body, {margin + ui.px(40), ry + ui.px(8)}, palette::kInkSoft, label);
        ry += draw_text(dl, ui.fonts.heading, {margin + ui.px(40) + label_w, ry}, palette::kInk, value,
                        w - label_w - ui.px(80))
                  .y +
              ui.px(28);
    }
    y += h + ui.px(40);
    std::string summary;
    for (const auto& [label, value] : rows) summary += label + ": " + value + ". ";
    say_live(ui, "summary", summary);

    // Confirm: the primary action, large, right under the summary; when the summary leaves no room
    // (landscape, four rows) in the bottom row, opposite Back.
    float bw = std::min(w, ui.px(700)), bh = ui.px(150);
    ImVec2 at{margin + (w - bw) / 2, y};
    if (y + bh > bottom) {
        bh = ui.px(130);  // Back's height
        at = {margin + w - bw, bottom + ui.px(32)};
    }
    const bool busy = b.busy;
    if (big_button(ui, "confirm", at, {bw, bh}, ui.icons.check,
                   busy ? ui.t("confirm.issuing") : ui.t(b.moving ? "manage.move.confirm" : "booking.review.confirm"), true) &&
        !busy)
        intents_.booking_confirm();
    idle_overlay(ui);
}

}  // namespace csc::gui
