// Booking for a citizen at the Info Point: the service, a free slot (the next ones first, a
// page at a time), the citizen's name and phone or e-mail typed by staff, "book and print";
// moving a booking picks a new slot of its service the same way.
#include <algorithm>

#include "kiosk/gui/screens/infopoint_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {

// A choice tile: filled when chosen; one or two lines in the small font, wrapped to its width.
bool tile(FrameContext& ui, const std::string& id, ImVec2 min, ImVec2 size, const std::string& top, const std::string& bottom,
          bool chosen) {
    const Touch t = touch_target(ui, id, min, size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max{min.x + size.x, min.y + size.y};
    dl->AddRectFilled(min, max, chosen ? palette::kAccent : palette::kCard, ui.px(14));
    dl->AddRect(min, max, palette::kAccent, ui.px(14), 0, ui.px(chosen || t.held ? 5 : 2));
    const ImU32 ink = chosen ? IM_COL32_WHITE : palette::kInk;
    dl->PushClipRect(min, max, true);
    if (bottom.empty()) {
        const ImVec2 s = text_size(ui.fonts.small, top, size.x - ui.px(28));
        draw_text(dl, ui.fonts.small, {min.x + ui.px(14), min.y + (size.y - s.y) / 2}, ink, top, size.x - ui.px(28));
    } else {
        const float h = ui.fonts.bold->FontSize + ui.fonts.small->FontSize;
        const float y = min.y + (size.y - h) / 2;
        draw_text(dl, ui.fonts.bold, {min.x + ui.px(14), y}, ink, top);
        draw_text(dl, ui.fonts.small, {min.x + ui.px(14), y + ui.fonts.bold->FontSize}, chosen ? IM_COL32_WHITE : palette::kInkSoft,
                  bottom);
    }
    dl->PopClipRect();
    return t.tapped;
}

}  // namespace

void InfopointBook::forget() {
    for (char* p : {name_, contact_}) {
        volatile char* v = p;
        const std::size_t n = p == name_ ? sizeof name_ : sizeof contact_;
        for (std::size_t i = 0; i < n; ++i) v[i] = 0;
    }
    slot_page_ = 0;
}

void InfopointBook::draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (view_.booked_serial != seen_booked_) {  // a booking went through: the next citizen starts empty
        seen_booked_ = view_.booked_serial;
        forget();
    }
    const float gap = ui.px(40);
    const float right_w = std::min(ui.px(720), (max.x - min.x) * 0.4f);
    const float left_w = max.x - min.x - right_w - gap;
    const float rx = min.x + left_w + gap;

    // ---- Left: service (not when moving: the booking's own), then the free slots.
    float y = min.y;
    if (view_.moving.empty()) {
        y += draw_text(dl, ui.fonts.bold, {min.x, y}, palette::kInkSoft, ui.t("infopoint.book.service")).y + ui.px(12);
        const float sg = ui.px(16);
        const std::size_t n = view_.bookable.size();
        const int per_row = static_cast<int>(std::clamp<std::size_t>(n, 1, 3));
        const float sw = (left_w - (per_row - 1) * sg) / per_row, sh = ui.px(84);
        for (std::size_t i = 0; i < n; ++i) {
            const auto& [id, label] = view_.bookable[i];
            if (tile(ui, "bookservice:" + id, {min.x + (i % per_row) * (sw + sg), y + (i / per_row) * (sh + sg)}, {sw, sh}, label, "",
                     view_.book_service == id)) {
                slot_page_ = 0;
                intents_.choose_book_service(id);
            }
        }
        y += ((n + per_row - 1) / per_row) * (sh + sg) + ui.px(8);
    } else {
        y += draw_text(dl, ui.fonts.bold, {min.x, y}, palette::kInk, ui.t("infopoint.book.moving", {{"code", view_.moving}})).y +
             ui.px(16);
    }
    if (!view_.book_service.empty()) {
        y += draw_text(dl, ui.fonts.bold, {min.x, y}, palette::kInkSoft, ui.t("infopoint.book.slot")).y + ui.px(12);
        if (view_.slots.empty()) {
            draw_text(dl, ui.fonts.body, {min.x, y}, palette::kErrorInk, ui.t("infopoint.book.no_slots"));
        } else {
            const int cols = 3;
            const float tg = ui.px(14), tw = (left_w - (cols - 1) * tg) / cols, th = ui.px(90);
            const float page_h = ui.px(80);
            const int rows = std::max(1, static_cast<int>((max.y - y - page_h - ui.px(16)) / (th + tg)));
            const int per_page = rows * cols;
            const int pages = (static_cast<int>(view_.slots.size()) + per_page - 1) / per_page;
            slot_page_ = std::clamp(slot_page_, 0, std::max(0, pages - 1));
            const std::size_t first = std::size_t(slot_page_ * per_page);
            for (std::size_t i = first; i < view_.slots.size() && i < first + std::size_t(per_page); ++i) {
                const auto& s = view_.slots[i];
                const std::size_t k = i - first;
                const ImVec2 tmin{min.x + (k % cols) * (tw + tg), y + (k / cols) * (th + tg)};
                const std::string top = (view_.slot == s.id && !ui.icons.check.empty() ? ui.icons.check + "  " : "") + s.time;
                if (tile(ui, "slot:" + s.id, tmin, {tw, th}, top, s.day + " · " + ui.tc("infopoint.book.free", s.free),
                         view_.slot == s.id))
                    intents_.choose_slot(s.id);
            }
            if (pages > 1) {
                const float py = max.y - page_h, pb = ui.px(300);
                if (slot_page_ > 0 &&
                    big_button(ui, "slots:earlier", {min.x, py}, {pb, page_h}, ui.icons.chevron_left, ui.t("infopoint.earlier"), false))
                    --slot_page_;
                if (slot_page_ + 1 < pages && big_button(ui, "slots:later", {min.x + left_w - pb, py}, {pb, page_h},
                                                         ui.icons.chevron_right, ui.t("infopoint.later"), false))
                    ++slot_page_;
            }
        }
    }

    // ---- Right: name, contact, book; the booking just made.
    float ry = min.y;
    if (view_.moving.empty()) {
        ry += draw_text(dl, ui.fonts.bold, {rx, ry}, palette::kInkSoft, ui.t("infopoint.book.name")).y + ui.px(10);
        if (focus_name_) {
            ImGui::SetKeyboardFocusHere();
            focus_name_ = false;
        }
        text_field(ui, "##name", name_, sizeof name_, {rx, ry}, right_w);
        ry += ui.px(84) + ui.px(20);
        ry += draw_text(dl, ui.fonts.bold, {rx, ry}, palette::kInkSoft, ui.t("infopoint.book.contact")).y + ui.px(10);
        text_field(ui, "##contact", contact_, sizeof contact_, {rx, ry}, right_w);
        ry += ui.px(84) + ui.px(28);
    }
    const bool ready = !view_.slot.empty() && !view_.busy && (!view_.moving.empty() || name_[0] != 0);
    const float bh = ui.px(100);
    const std::string label = ui.t(view_.moving.empty() ? "infopoint.book.confirm" : "infopoint.book.move_confirm");
    // Always a target (the name typed is this screen's own state, not the role's): greyed out
    // and without effect until a slot and a name are there.
    const Touch t = touch_target(ui, "book", {rx, ry}, {right_w, bh});
    const ImVec2 bmax{rx + right_w, ry + bh};
    dl->AddRectFilled({rx, ry}, bmax, ready ? palette::kAccent : palette::kCard, ui.px(18));
    dl->AddRect({rx, ry}, bmax, ready ? palette::kAccent : palette::kBorder, ui.px(18), 0, ui.px(t.held && ready ? 6 : 3));
    const std::string text = (ui.icons.print.empty() ? "" : ui.icons.print + "  ") + label;
    const ImVec2 ls = text_size(ui.fonts.bold, text);
    draw_text(dl, ui.fonts.bold, {rx + (right_w - ls.x) / 2, ry + (bh - ls.y) / 2}, ready ? IM_COL32_WHITE : palette::kInkSoft,
              text);
    if (t.tapped && ready) intents_.book(name_, contact_);
    ry += bh + ui.px(24);
    if (view_.booked) {
        const auto& b = *view_.booked;
        const ImVec2 cmin{rx, ry}, cmax{rx + right_w, std::min(max.y, ry + ui.px(260))};
        dl->AddRectFilled(cmin, cmax, palette::kOkBg, ui.px(18));
        float cy = cmin.y + ui.px(18);
        cy += draw_text(dl, ui.fonts.bold, {cmin.x + ui.px(24), cy}, palette::kOkInk, ui.t("infopoint.book.done")).y;
        cy += draw_text(dl, ui.fonts.title, {cmin.x + ui.px(24), cy}, palette::kInk, b.code_shown).y;
        cy += draw_text(dl, ui.fonts.small, {cmin.x + ui.px(24), cy}, palette::kInk, b.service_name + "  ·  " + b.time,
                        right_w - ui.px(48)).y;
        if (!view_.booked_print.empty())
            draw_text(dl, ui.fonts.small, {cmin.x + ui.px(24), cy},
                      view_.booked_print == "failed" ? palette::kErrorInk : palette::kOkInk,
                      ui.t("infopoint.print." + view_.booked_print));
    }
}

}  // namespace csc::gui
