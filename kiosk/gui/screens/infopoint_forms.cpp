// The forms catalogue at the Info Point: every available form with its sector or service, a
// page at a time; the chosen one large with its QR (the town website's address, for the
// citizen's phone), "print the slip" and "handed out on paper" (counted).
#include <algorithm>

#include "kiosk/gui/screens/infopoint_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

void InfopointForms::draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (view_.forms.empty()) {
        draw_text(dl, ui.fonts.body, {min.x, min.y}, palette::kInkSoft, ui.t("infopoint.forms.none"));
        return;
    }
    const float gap = ui.px(40);
    const float right_w = std::min(ui.px(760), (max.x - min.x) * 0.42f);
    const float left_w = max.x - min.x - right_w - gap;
    const float rx = min.x + left_w + gap;

    // ---- Left: the list, a page at a time.
    float y = min.y;
    const float rh = ui.px(104), rg = ui.px(12), page_h = ui.px(80);
    const int per_page = std::max(1, static_cast<int>((max.y - y - page_h - ui.px(16)) / (rh + rg)));
    const int pages = (static_cast<int>(view_.forms.size()) + per_page - 1) / per_page;
    page_ = std::clamp(page_, 0, std::max(0, pages - 1));
    const std::size_t first = std::size_t(page_ * per_page);
    for (std::size_t i = first; i < view_.forms.size() && i < first + std::size_t(per_page); ++i) {
        const auto& f = view_.forms[i];
        const ImVec2 rmin{min.x, y}, rmax{min.x + left_w, y + rh};
        const bool chosen = f.id == view_.form;
        const Touch t = touch_target(ui, "form:" + f.id, rmin, {left_w, rh});
        dl->AddRectFilled(rmin, rmax, chosen ? palette::kInfoBg : palette::kCard, ui.px(14));
        dl->AddRect(rmin, rmax, chosen ? palette::kAccent : palette::kBorder, ui.px(14), 0, ui.px(chosen || t.held ? 5 : 2));
        dl->PushClipRect(rmin, rmax, true);
        draw_text(dl, ui.fonts.bold, {rmin.x + ui.px(20), rmin.y + ui.px(10)}, palette::kInk, f.title);
        draw_text(dl, ui.fonts.small, {rmin.x + ui.px(20), rmin.y + ui.px(58)}, palette::kInkSoft,
                  f.group + "  ·  " + ui.t("infopoint.forms.version", {{"date", f.version}}));
        dl->PopClipRect();
        if (t.tapped) intents_.choose_form(f.id);
        y += rh + rg;
    }
    if (pages > 1) {
        const float py = max.y - page_h, pb = ui.px(300);
        if (page_ > 0 && big_button(ui, "forms:earlier", {min.x, py}, {pb, page_h}, ui.icons.chevron_left, ui.t("infopoint.earlier"), false))
            --page_;
        if (page_ + 1 < pages &&
            big_button(ui, "forms:later", {min.x + left_w - pb, py}, {pb, page_h}, ui.icons.chevron_right, ui.t("infopoint.later"), false))
            ++page_;
    }

    // ---- Right: the chosen form.
    const InfoFormView* f = nullptr;
    for (const auto& x : view_.forms)
        if (x.id == view_.form) f = &x;
    if (!f) {
        draw_text(dl, ui.fonts.body, {rx, min.y}, palette::kInkSoft, ui.t("infopoint.forms.choose"), right_w);
        return;
    }
    float ry = min.y;
    ry += draw_text(dl, ui.fonts.heading, {rx, ry}, palette::kInk, f->title, right_w).y + ui.px(8);
    if (!f->description.empty()) ry += draw_text(dl, ui.fonts.small, {rx, ry}, palette::kInkSoft, f->description, right_w).y + ui.px(8);
    if (!f->hand_in.empty())
        ry += draw_text(dl, ui.fonts.small, {rx, ry}, palette::kInk, ui.t("infopoint.forms.hand_in", {{"where", f->hand_in}}), right_w).y +
              ui.px(12);
    const float bh = ui.px(90), bg = ui.px(16);
    const float buttons_y = max.y - bh;
    if (view_.form_qr_modules > 0) {
        const float side = std::min(ui.px(330), buttons_y - ry - ui.px(56));
        if (side > ui.px(120)) {
            draw_qr(dl, {rx, ry}, side, view_.form_qr_modules, view_.form_qr);
            ui.hit("form_qr", {rx, ry}, {rx + side, ry + side});
            draw_text(dl, ui.fonts.small, {rx + side + ui.px(20), ry + ui.px(10)}, palette::kInkSoft, ui.t("infopoint.forms.scan"),
                      right_w - side - ui.px(20));
            ry += side + ui.px(8);
        }
    }
    const float bw = (right_w - bg) / 2;
    if (big_button(ui, "form:print", {rx, buttons_y}, {bw, bh}, ui.icons.print, ui.t("infopoint.forms.print"), true) && !view_.busy)
        intents_.print_form(f->id);
    if (big_button(ui, "form:handed_out", {rx + bw + bg, buttons_y}, {bw, bh}, ui.icons.check, ui.t("infopoint.forms.handed_out"),
                   false) &&
        !view_.busy)
        intents_.form_handed_out(f->id);
}

}  // namespace csc::gui
