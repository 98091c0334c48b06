// "Rilascio PIN CRS/TS-CNS" at the Info Point: the citizen's codice fiscale, the identity
// document, who asks (holder, parent or guardian, delegate with the form's reference), the
// contact the other digits go to; then the first digits of the PIN and PUK typed masked (on the
// keyboard or the keypad), then the receipt printed.
//
// The digits never pass through this screen's memory as text: each key goes straight to the
// role (which keeps them in locked memory) and ImGui's queue of typed characters is zeroed
// after it is read; the screen draws one dot per digit typed. The role forbids screenshots of
// the digits step (Role::capture_allowed).
#include <algorithm>
#include <cstring>

#include "kiosk/gui/screens/infopoint_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {

constexpr int kKeyBackspace = 259;  // GLFW key code (ImGui 1.86 io.KeysDown index)

void zero(char* p, std::size_t n) {
    volatile char* v = p;
    for (std::size_t i = 0; i < n; ++i) v[i] = 0;
}

}  // namespace

void InfopointCrsPin::forget() {
    for (auto [p, n] : {std::pair{fiscal_code_, sizeof fiscal_code_}, {number_, sizeof number_}, {expiry_, sizeof expiry_},
                        {form_ref_, sizeof form_ref_}, {contact_, sizeof contact_}})
        zero(p, n);
    document_type_.clear();
    relation_ = "holder";
    office_copy_ = -1;
}

void InfopointCrsPin::draw_tab(FrameContext& ui, ImVec2 min, ImVec2 max) {
    if (view_.crs_serial != seen_serial_) {  // a release done or dropped: the next citizen starts empty
        seen_serial_ = view_.crs_serial;
        forget();
    }
    switch (view_.crs_step) {
        case CrsStep::Details: return draw_details(ui, min, max);
        case CrsStep::Digits: return draw_digits(ui, min, max);
        case CrsStep::Done: return draw_done(ui, min, max);
    }
}

void InfopointCrsPin::draw_details(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float gap = ui.px(48);
    const float col_w = (max.x - min.x - gap) / 2;
    const float rx = min.x + col_w + gap;
    const float label_gap = ui.px(8), field_h = ui.px(84), row_gap = ui.px(18);
    auto label = [&](float x, float& y, const char* key) {
        y += draw_text(dl, ui.fonts.bold, {x, y}, palette::kInkSoft, ui.t(key)).y + label_gap;
    };

    // ---- Left: the citizen and the document.
    float y = min.y;
    label(min.x, y, "infopoint.crs.fiscal_code");
    text_field(ui, "##fiscal_code", fiscal_code_, sizeof fiscal_code_, {min.x, y}, col_w, ImGuiInputTextFlags_CharsUppercase);
    y += field_h + row_gap;
    label(min.x, y, "infopoint.crs.document");
    if (document_type_.empty() && !view_.crs_documents.empty()) document_type_ = view_.crs_documents.front().first;
    const float cg = ui.px(12), cw = (col_w - cg) / 2, ch = ui.px(64);
    for (std::size_t i = 0; i < view_.crs_documents.size(); ++i) {
        const auto& [id, name] = view_.crs_documents[i];
        if (choice(ui, "document:" + id, {min.x + (i % 2) * (cw + cg), y + (i / 2) * (ch + cg)}, {cw, ch}, name,
                   document_type_ == id))
            document_type_ = id;
    }
    y += ((view_.crs_documents.size() + 1) / 2) * (ch + cg) + ui.px(6);
    const float half = (col_w - ui.px(20)) / 2;
    float y2 = y;
    label(min.x, y, "infopoint.crs.document_number");
    label(min.x + half + ui.px(20), y2, "infopoint.crs.document_expiry");
    text_field(ui, "##document_number", number_, sizeof number_, {min.x, y}, half, ImGuiInputTextFlags_CharsUppercase);
    text_field(ui, "##document_expiry", expiry_, sizeof expiry_, {min.x + half + ui.px(20), y}, half);

    // ---- Right: who asks, the contact, the office copy, next.
    float ry = min.y;
    label(rx, ry, "infopoint.crs.relation");
    static const char* const kRelations[] = {"holder", "guardian", "delegate"};
    const float rw = (col_w - 2 * cg) / 3;
    for (int i = 0; i < 3; ++i)
        if (choice(ui, std::string("relation:") + kRelations[i], {rx + i * (rw + cg), ry}, {rw, ch},
                   ui.t(std::string("crs_pin.relation.") + kRelations[i]), relation_ == kRelations[i]))
            relation_ = kRelations[i];
    ry += ch + row_gap;
    if (relation_ != "holder") {
        label(rx, ry, "infopoint.crs.form_reference");
        text_field(ui, "##form_reference", form_ref_, sizeof form_ref_, {rx, ry}, col_w);
        ry += field_h + row_gap;
    }
    label(rx, ry, "infopoint.crs.contact");
    text_field(ui, "##contact", contact_, sizeof contact_, {rx, ry}, col_w);
    ry += field_h + row_gap;
    const bool copy = office_copy_ < 0 ? view_.crs_office_copy : office_copy_ == 1;
    if (choice(ui, "office_copy", {rx, ry}, {col_w, ch}, ui.t("infopoint.crs.office_copy"), copy)) office_copy_ = copy ? 0 : 1;
    ry += ch + row_gap + ui.px(8);

    const float bh = ui.px(96);
    const float by = std::max(ry, max.y - bh);
    if (big_button(ui, "crs:bring", {rx, by}, {(col_w - cg) * 0.42f, bh}, ui.icons.print, ui.t("infopoint.crs.bring"), false))
        intents_.crs_bring_slip();
    const float nx = rx + (col_w - cg) * 0.42f + cg;
    if (big_button(ui, "crs:next", {nx, by}, {rx + col_w - nx, bh}, ui.icons.chevron_right, ui.t("infopoint.crs.next"), true) &&
        !view_.busy) {
        CrsPinForm f;
        f.fiscal_code = fiscal_code_;
        f.document_type = document_type_;
        f.document_number = number_;
        f.document_expiry = expiry_;
        f.relation = relation_;
        f.form_reference = relation_ == "holder" ? std::string() : std::string(form_ref_);
        f.contact = contact_;
        f.office_copy = copy;
        intents_.crs_next(f);
    }
}

void InfopointCrsPin::draw_digits(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // Keys typed on the keyboard go to the role one by one; ImGui's copy is zeroed at once.
    ImGuiIO& io = ImGui::GetIO();
    if (!view_.busy) {
        for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
            const ImWchar c = io.InputQueueCharacters[i];
            if (c >= '0' && c <= '9') intents_.crs_digit(static_cast<char>(c));
        }
        if (ImGui::IsKeyPressed(kKeyBackspace, false)) intents_.crs_backspace();
    }
    if (io.InputQueueCharacters.Size > 0) {
        std::memset(io.InputQueueCharacters.Data, 0, sizeof(ImWchar) * std::size_t(io.InputQueueCharacters.Size));
        io.InputQueueCharacters.resize(0);
    }

    const float gap = ui.px(48);
    const float left_w = (max.x - min.x) * 0.52f;
    const float rx = min.x + left_w + gap, right_w = max.x - rx;
    float y = min.y;
    y += draw_text(dl, ui.fonts.bold, {min.x, y}, palette::kInkSoft, ui.t("infopoint.crs.checked")).y + ui.px(6);
    y += draw_text(dl, ui.fonts.body, {min.x, y}, palette::kInk, view_.crs_summary, left_w).y + ui.px(28);
    if (!view_.crs_with_digits) {
        y += draw_text(dl, ui.fonts.body, {min.x, y}, palette::kInkSoft, ui.t("infopoint.crs.no_digits"), left_w).y + ui.px(20);
    } else {
        // Two masked fields: a box per digit, a dot in each typed one; the current field outlined.
        for (int field = 0; field < 2; ++field) {
            const int count = field == 0 ? view_.crs_pin_digits : view_.crs_puk_digits;
            const int typed = field == 0 ? view_.crs_pin_typed : view_.crs_puk_typed;
            y += draw_text(dl, ui.fonts.bold, {min.x, y}, palette::kInkSoft,
                           ui.tc(field == 0 ? "infopoint.crs.pin_first" : "infopoint.crs.puk_first", count))
                     .y +
                 ui.px(10);
            const float box = ui.px(96), bg = ui.px(16);
            const float w = count * box + (count - 1) * bg;
            const Touch t = touch_target(ui, field == 0 ? "crs:pin" : "crs:puk", {min.x, y}, {std::max(w, ui.px(200)), box});
            if (t.tapped) intents_.crs_select_field(field);
            for (int i = 0; i < count; ++i) {
                const ImVec2 bmin{min.x + i * (box + bg), y};
                const bool current = field == view_.crs_field && i == typed;
                dl->AddRectFilled(bmin, {bmin.x + box, bmin.y + box}, palette::kCard, ui.px(12));
                dl->AddRect(bmin, {bmin.x + box, bmin.y + box}, current ? palette::kAccent : palette::kBorder, ui.px(12), 0,
                            ui.px(current ? 6 : 3));
                if (i < typed) dl->AddCircleFilled({bmin.x + box / 2, bmin.y + box / 2}, ui.px(14), palette::kInk);
            }
            y += box + ui.px(28);
        }
        draw_text(dl, ui.fonts.small, {min.x, y}, palette::kInkSoft, ui.t("infopoint.crs.digits_hint"), left_w);
    }

    // ---- Right: the keypad (touch), back, print.
    if (view_.crs_with_digits) {
        const float kg = ui.px(14), kw = (right_w - 2 * kg) / 3, kh = ui.px(84);
        static const char kKeys[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9', 'x', '0', '<'};
        for (int i = 0; i < 12; ++i) {
            const char k = kKeys[i];
            if (k == 'x') continue;
            const ImVec2 kmin{rx + (i % 3) * (kw + kg), min.y + (i / 3) * (kh + kg)};
            const std::string id = k == '<' ? "crs:backspace" : std::string("crs:digit:") + k;  // the keypad's layout, not what is typed
            if (big_button(ui, id, kmin, {kw, kh}, "", k == '<' ? ui.t("infopoint.crs.backspace") : std::string(1, k), false) &&
                !view_.busy) {
                if (k == '<') intents_.crs_backspace();
                else intents_.crs_digit(k);
            }
        }
    }
    const float bh = ui.px(100), bg = ui.px(16);
    const float by = max.y - bh;
    const float bw = (right_w - bg) * 0.38f;
    if (big_button(ui, "crs:back", {rx, by}, {bw, bh}, ui.icons.chevron_left, ui.t("service.back"), false) && !view_.busy)
        intents_.crs_back();
    const bool ready = !view_.busy && (!view_.crs_with_digits || (view_.crs_pin_typed == view_.crs_pin_digits &&
                                                                    view_.crs_puk_typed == view_.crs_puk_digits));
    const ImVec2 pmin{rx + bw + bg, by};
    const Touch t = touch_target(ui, "crs:print", pmin, {right_w - bw - bg, bh});
    dl->AddRectFilled(pmin, {rx + right_w, by + bh}, ready ? palette::kAccent : palette::kCard, ui.px(18));
    dl->AddRect(pmin, {rx + right_w, by + bh}, ready ? palette::kAccent : palette::kBorder, ui.px(18), 0, ui.px(3));
    const std::string label = (ui.icons.print.empty() ? "" : ui.icons.print + "  ") + ui.t("infopoint.crs.print");
    const ImVec2 ls = text_size(ui.fonts.bold, label);
    draw_text(dl, ui.fonts.bold, {pmin.x + (right_w - bw - bg - ls.x) / 2, by + (bh - ls.y) / 2},
              ready ? IM_COL32_WHITE : palette::kInkSoft, label);
    if (t.tapped && ready) intents_.crs_release();
}

void InfopointCrsPin::draw_done(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float w = std::min(max.x - min.x, ui.px(1200));
    float y = min.y + ui.px(20);
    const bool ok = view_.crs_receipt == "printed";
    const float card_h = ui.px(300);
    dl->AddRectFilled({min.x, y}, {min.x + w, y + card_h}, ok ? palette::kOkBg : palette::kErrorBg, ui.px(18));
    float cy = y + ui.px(28);
    cy += draw_text(dl, ui.fonts.title, {min.x + ui.px(32), cy}, ok ? palette::kOkInk : palette::kErrorInk,
                    ui.t(ok ? "infopoint.crs.done" : "infopoint.crs.not_printed"))
              .y +
          ui.px(16);
    cy += draw_text(dl, ui.fonts.body, {min.x + ui.px(32), cy}, palette::kInk, view_.crs_summary, w - ui.px(64)).y + ui.px(12);
    if (!view_.crs_copy.empty())
        draw_text(dl, ui.fonts.bold, {min.x + ui.px(32), cy}, view_.crs_copy == "printed" ? palette::kOkInk : palette::kErrorInk,
                  ui.t(view_.crs_copy == "printed" ? "infopoint.crs.copy_printed" : "infopoint.crs.copy_failed"), w - ui.px(64));
    y += card_h + ui.px(32);
    if (big_button(ui, "crs:new", {min.x, y}, {ui.px(560), ui.px(100)}, ui.icons.chevron_right, ui.t("infopoint.crs.new"), true))
        intents_.crs_new();
    (void)max;
}

}  // namespace csc::gui
