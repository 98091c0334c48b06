// The entrance kiosk's "Moduli" entry: the offices (sectors, and the CRS PIN desk) in their
// colours; an office's forms and "what to bring" lists; a form with its QR to download it on a
// phone and its slip to print, or a list to print. Big rows, Back at the bottom of every step.
#include <algorithm>

#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

bool EntranceForms::row(FrameContext& ui, const std::string& id, ImVec2 min, ImVec2 size, Rgb colour, const std::string& title,
                        const std::string& subtitle) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const Touch t = touch_target(ui, id, min, size, subtitle.empty() ? title : title + ". " + subtitle);
    const ImVec2 max{min.x + size.x, min.y + size.y};
    const float stripe = ui.px(18), pad = ui.px(36), r = ui.px(18);
    const ImU32 bg = rgb(colour);
    dl->AddRectFilled({min.x, min.y + ui.px(5)}, {max.x, max.y + ui.px(5)}, palette::kShadow, r);
    dl->AddRectFilled(min, max, palette::kCard, r);
    dl->AddRectFilled(min, {min.x + stripe + r, max.y}, bg, r, ImDrawFlags_RoundCornersLeft);
    dl->AddRectFilled({min.x + stripe, min.y}, {min.x + stripe + r, max.y}, palette::kCard);
    dl->AddRect(min, max, t.held ? bg : palette::kBorder, r, 0, ui.px(t.held ? 6 : 2));
    const float chevron_w = ui.px(60);
    const float tx = min.x + stripe + pad, tw = max.x - pad - chevron_w - tx;
    ImFont* font = text_size(ui.fonts.heading, title, tw).y > ui.fonts.heading->FontSize * 1.5f ? ui.fonts.bold : ui.fonts.heading;
    const ImVec2 ts = text_size(font, title, tw);
    const ImVec2 ss = subtitle.empty() ? ImVec2{0, 0} : text_size(ui.fonts.small, subtitle, tw);
    const float block = ts.y + (subtitle.empty() ? 0 : ui.px(6) + ss.y);
    dl->PushClipRect(min, max, true);
    float y = min.y + (size.y - block) / 2;
    draw_text(dl, font, {tx, y}, palette::kInk, title, tw);
    if (!subtitle.empty()) draw_text(dl, ui.fonts.small, {tx, y + ts.y + ui.px(6)}, palette::kInkSoft, subtitle, tw);
    if (!ui.icons.chevron_right.empty()) {
        const ImVec2 cs = text_size(ui.fonts.heading, ui.icons.chevron_right);
        draw_text(dl, ui.fonts.heading, {max.x - pad - cs.x, min.y + (size.y - cs.y) / 2}, palette::kAccent, ui.icons.chevron_right);
    }
    dl->PopClipRect();
    return t.tapped;
}

void EntranceForms::draw_content(FrameContext& ui) {
    const TimedFrame timed(*this, ui);
    const FormsView& f = view_.forms;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = header(ui);
    const float margin = ui.px(ui.portrait() ? 48 : 64);
    const float width = ui.size.x - 2 * margin;
    const KioskFormGroup* group = f.group >= 0 && f.group < static_cast<int>(f.groups.size()) ? &f.groups[std::size_t(f.group)] : nullptr;

    // The band: the office's colours once one is chosen, the kiosk's before.
    const float band_h = ui.px(170);
    dl->AddRectFilled({0, top}, {ui.size.x, top + band_h}, group ? rgb(group->colour) : palette::kAccent);
    const ImU32 band_ink = group ? rgb(group->text) : palette::kOnAccent;
    float x = margin;
    if (group && !group->icon.empty()) {
        const ImVec2 is = text_size(ui.fonts.icon, group->icon);
        draw_text(dl, ui.fonts.icon, {x, top + (band_h - is.y) / 2}, band_ink, group->icon);
        x += is.x + ui.px(40);
    }
    const std::string band = group ? group->name : ui.t("forms.title");
    say_title(ui, band);
    const ImVec2 bs = text_size(ui.fonts.title, band, ui.size.x - x - margin);
    draw_text(dl, ui.fonts.title, {x, top + (band_h - bs.y) / 2}, band_ink, band, ui.size.x - x - margin);

    float y = top + band_h + ui.px(40);
    float back_top = 0;
    if (back_button(ui, margin, back_top)) intents_.forms_back();

    const float gap = ui.px(24);
    const int cols = ui.portrait() ? 1 : 2;
    const float col_w = (width - (cols - 1) * gap) / cols;
    auto grid = [&](int n, float h, auto&& draw_one) {
        const int rows = (n + cols - 1) / cols;
        const float y0 = controls_top(ui, y);
        const float avail = back_top - ui.px(32) - y0;
        const float rh = std::min(h, rows > 0 ? (avail - (rows - 1) * gap) / rows : h);
        for (int i = 0; i < n; ++i)
            draw_one(i, ImVec2{margin + (i % cols) * (col_w + gap), y0 + (i / cols) * (rh + gap)}, ImVec2{col_w, rh});
    };

    switch (f.step) {
        case FormsStep::Groups: {
            y += draw_text(dl, ui.fonts.heading, {margin, y}, palette::kInk, ui.t("forms.choose_office"), width).y + ui.px(32);
            grid(static_cast<int>(f.groups.size()), ui.px(150), [&](int i, ImVec2 min, ImVec2 size) {
                const KioskFormGroup& g = f.groups[std::size_t(i)];
                std::string sub = ui.tc("forms.count", static_cast<long long>(g.forms.size()));
                if (!g.bring.empty()) sub += " · " + ui.t("forms.with_bring");
                if (row(ui, "formgroup:" + g.id, min, size, g.colour, g.name, sub)) intents_.choose_form_group(g.id);
            });
            break;
        }
        case FormsStep::Items: {
            if (!group) break;
            y += draw_text(dl, ui.fonts.heading, {margin, y}, palette::kInk, ui.t("forms.choose_item"), width).y + ui.px(32);
            const int nf = static_cast<int>(group->forms.size());
            const int n = nf + static_cast<int>(group->bring.size());
            grid(n, ui.px(150), [&](int i, ImVec2 min, ImVec2 size) {
                if (i < nf) {
                    const KioskFormView& form = group->forms[std::size_t(i)];
                    std::string sub = form.service_name.empty() ? ui.t("forms.kind.form")
                                                                : ui.t("forms.kind.form_for", {{"service", form.service_name}});
                    if (row(ui, "kioskform:" + form.id, min, size, group->colour, form.title, sub)) intents_.choose_kiosk_form(form.id);
                } else {
                    const KioskBringView& b = group->bring[std::size_t(i - nf)];
                    if (row(ui, "bring:" + b.service, min, size, group->colour, ui.t("forms.bring_title", {{"service", b.title}}),
                            ui.t("forms.kind.bring")))
                        intents_.choose_bring(b.service);
                }
            });
            break;
        }
        case FormsStep::Form:
        case FormsStep::Bring: {
            if (!group) break;
            const bool is_form = f.step == FormsStep::Form;
            const KioskFormView* form = is_form && f.item >= 0 && f.item < static_cast<int>(group->forms.size())
                                            ? &group->forms[std::size_t(f.item)] : nullptr;
            const KioskBringView* bring = !is_form && f.item >= 0 && f.item < static_cast<int>(group->bring.size())
                                              ? &group->bring[std::size_t(f.item)] : nullptr;
            if (!form && !bring) break;
            // The print button above Back (portrait) or beside it (landscape: room for the QR), its
            // outcome above; the text and the QR above them.
            const float ph = ui.px(130);
            const bool beside = !ui.portrait();
            const float back_w = ui.px(460);
            const float print_top = beside ? back_top : back_top - ui.px(32) - ph;
            const float px0 = beside ? margin + back_w + gap : margin, pw = beside ? width - back_w - gap : width;
            const std::string print_label = ui.t(is_form ? "forms.print_form" : "forms.print_bring");
            if (big_button(ui, "forms:print", {px0, print_top}, {pw, ph}, ui.icons.print, print_label, true)) intents_.print_chosen();
            if (!f.print_state.empty()) {
                const bool bad = f.print_state == "failed";
                const std::string said = ui.t("forms.print." + f.print_state);
                const float nh = ui.px(90);
                const float ny = print_top - ui.px(20) - nh;
                dl->AddRectFilled({margin, ny}, {margin + width, ny + nh}, bad ? palette::kErrorBg : palette::kOkBg, ui.px(14));
                const ImVec2 ss = text_size(ui.fonts.bold, said, width - ui.px(48));
                draw_text(dl, ui.fonts.bold, {margin + ui.px(24), ny + (nh - ss.y) / 2}, bad ? palette::kErrorInk : palette::kOkInk, said,
                          width - ui.px(48));
            }
            // Speech mode: the outcome, and a printed slip read aloud in full, as a ticket is.
            say_live(ui, "print_state",
                     f.print_state == "printed" ? ui.t("forms.print.printed") + ". " + f.spoken
                     : f.print_state == "failed" ? ui.t("forms.print.failed")
                                                 : std::string());
            const float text_bottom = print_top - ui.px(130);
            if (form) {
                const bool qr = f.qr.has_value();
                const std::string hint = ui.t("forms.qr_hint");
                const ImVec2 hs = text_size(ui.fonts.small, hint);
                const float content_top = y;
                // Portrait: the QR under the text; landscape: beside it, as tall as the room allows.
                float qr_side = 0, qr_box_w = 0;
                if (qr && !ui.portrait()) {
                    qr_side = std::min(ui.px(420), text_bottom - content_top - hs.y - ui.px(8));
                    qr_box_w = std::max(qr_side, hs.x);
                }
                const float tw = ui.portrait() || !qr ? width : width - qr_box_w - ui.px(48);
                y += draw_text(dl, ui.fonts.heading, {margin, y}, palette::kInk, form->title, tw).y + ui.px(8);
                y += draw_text(dl, ui.fonts.small, {margin, y}, palette::kInkSoft, ui.t("form.slip.version", {{"date", form->version}}), tw).y +
                     ui.px(16);
                if (!form->description.empty())
                    y += draw_text(dl, ui.fonts.body, {margin, y}, palette::kInk, form->description, tw).y + ui.px(16);
                if (!form->hand_in.empty())
                    y += draw_text(dl, ui.fonts.body, {margin, y}, palette::kInkSoft, ui.t("forms.hand_in", {{"where", form->hand_in}}), tw).y +
                         ui.px(16);
                if (qr) {
                    float qx = 0, qy = content_top;
                    if (ui.portrait()) {
                        qy = y + ui.px(16);
                        qr_side = std::min(ui.px(520), text_bottom - qy - hs.y - ui.px(8));
                        qx = margin + (width - qr_side) / 2;
                    } else {
                        qx = margin + width - qr_box_w + (qr_box_w - qr_side) / 2;
                    }
                    draw_qr(dl, {qx, qy}, qr_side, f.qr->modules, f.qr->dark);
                    ui.hit("forms:qr", {qx, qy}, {qx + qr_side, qy + qr_side});
                    draw_text_centred(dl, ui.fonts.small, qx + qr_side / 2, qy + qr_side + ui.px(8), palette::kInkSoft, hint);
                } else {
                    draw_text(dl, ui.fonts.body, {margin, y}, palette::kInkSoft, ui.t("forms.no_qr"), tw);
                }
            } else {
                y += draw_text(dl, ui.fonts.heading, {margin, y}, palette::kInk, ui.t("forms.bring_title", {{"service", bring->title}}),
                               width).y + ui.px(20);
                for (const auto& item : bring->items) {
                    if (y > text_bottom - ui.fonts.body->FontSize) break;
                    y += draw_text(dl, ui.fonts.body, {margin, y}, palette::kInk, "•  " + item, width).y + ui.px(10);
                }
            }
            break;
        }
    }
}

}  // namespace csc::gui
