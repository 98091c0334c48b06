// The feedback screen beside a counter (see feedback_screens.hpp): faces drawn as shapes (no
// emoji font), each with its word under it; the reasons as large outlined buttons.
#include <imgui.h>

#include <array>

#include "kiosk/gui/screens/feedback_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {

constexpr ImU32 kFaceGood = IM_COL32(0xC8, 0xEB, 0xD0, 0xFF);
constexpr ImU32 kFaceSoSo = IM_COL32(0xFD, 0xE9, 0xB0, 0xFF);
constexpr ImU32 kFaceBad = IM_COL32(0xF7, 0xC9, 0xC4, 0xFF);

// A face in a circle of radius r at c: eyes, and a mouth that smiles (1), is straight (0) or
// frowns (-1). The shape says it as much as the colour does.
void draw_face(ImDrawList* dl, ImVec2 c, float r, ImU32 fill, int mood, float line) {
    dl->AddCircleFilled(c, r, fill, 64);
    dl->AddCircle(c, r, palette::kInk, 64, line);
    const float eye = r * 0.11f;
    dl->AddCircleFilled({c.x - r * 0.33f, c.y - r * 0.22f}, eye, palette::kInk, 24);
    dl->AddCircleFilled({c.x + r * 0.33f, c.y - r * 0.22f}, eye, palette::kInk, 24);
    const ImVec2 left{c.x - r * 0.45f, c.y + r * 0.32f}, right{c.x + r * 0.45f, c.y + r * 0.32f};
    if (mood == 0) {
        dl->AddLine(left, right, palette::kInk, line * 1.4f);
        return;
    }
    const float bend = mood > 0 ? r * 0.42f : -r * 0.42f;
    const ImVec2 l{left.x, left.y + (mood < 0 ? r * 0.18f : 0)}, rr{right.x, right.y + (mood < 0 ? r * 0.18f : 0)};
    dl->AddBezierQuadratic(l, {c.x, l.y + bend}, rr, palette::kInk, line * 1.4f, 32);
}

}  // namespace

std::string_view FeedbackScreen::name() const {
    switch (view_.step) {
        case FeedbackStep::Idle: return "feedback.idle";
        case FeedbackStep::Ask: return "feedback.ask";
        case FeedbackStep::Reasons: return "feedback.reasons";
        case FeedbackStep::Thanks: return "feedback.thanks";
    }
    return "feedback.idle";
}

void FeedbackScreen::draw_content(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = draw_header(ui, view_.town, view_.office, view_.time, view_.counter_title,
                                  view_.link_flag.empty() ? std::string() : ui.t(view_.link_flag));
    const float pad = ui.px(48);
    const float width = ui.size.x - 2 * pad;
    float y = top + ui.px(40);

    switch (view_.step) {
        case FeedbackStep::Idle: {
            const float mid = top + (ui.size.y - top) * 0.4f;
            draw_paragraph_centred(dl, ui.fonts.title, pad, width, mid - ui.fonts.title->FontSize, palette::kInkSoft,
                                   ui.t("feedback.idle"));
            break;
        }
        case FeedbackStep::Ask: {
            draw_text_centred(dl, ui.fonts.heading, ui.size.x / 2, y, palette::kInkSoft, ui.t("feedback.ticket", {{"ticket", view_.label}}));
            y += ui.fonts.heading->FontSize + ui.px(16);
            y += draw_paragraph_centred(dl, ui.fonts.title, pad, width, y, palette::kInk, ui.t("feedback.question")) + ui.px(40);
            struct Face {
                const char* rating;
                const char* key;
                ImU32 fill;
                int mood;
            };
            static constexpr std::array<Face, 3> faces{{{"good", "feedback.rating.good", kFaceGood, 1},
                                                        {"so-so", "feedback.rating.so_so", kFaceSoSo, 0},
                                                        {"bad", "feedback.rating.bad", kFaceBad, -1}}};
            const float gap = ui.px(32);
            const float w = (width - 2 * gap) / 3;
            const float h = std::min(ui.size.y - y - pad, w * 1.15f);
            for (std::size_t i = 0; i < faces.size(); ++i) {
                const ImVec2 min{pad + static_cast<float>(i) * (w + gap), y};
                const Touch t = touch_target(ui, std::string("rate.") + faces[i].rating, min, {w, h});
                const bool down = t.held && !view_.sending;
                dl->AddRectFilled(min, {min.x + w, min.y + h}, down ? palette::kInfoBg : palette::kCard, ui.px(24));
                dl->AddRect(min, {min.x + w, min.y + h}, palette::kInk, ui.px(24), 0, ui.px(4));
                const std::string word = ui.t(faces[i].key);
                const float text_h = ui.fonts.heading->FontSize;
                const float r = std::min(w * 0.36f, (h - text_h - ui.px(72)) / 2);
                draw_face(dl, {min.x + w / 2, min.y + ui.px(28) + r}, r, faces[i].fill, faces[i].mood, ui.px(6));
                draw_text_centred(dl, ui.fonts.heading, min.x + w / 2, min.y + h - text_h - ui.px(24), palette::kInk, word);
                if (t.tapped && !view_.sending) intents_.rate(faces[i].rating);
            }
            break;
        }
        case FeedbackStep::Reasons: {
            y += draw_paragraph_centred(dl, ui.fonts.title, pad, width, y, palette::kInk, ui.t("feedback.reason.title")) + ui.px(32);
            static constexpr std::array<std::pair<const char*, const char*>, 4> reasons{{{"waiting", "feedback.reason.waiting"},
                                                                                           {"staff", "feedback.reason.staff"},
                                                                                           {"came-back", "feedback.reason.came_back"},
                                                                                           {"outcome", "feedback.reason.outcome"}}};
            const float gap = ui.px(24);
            const float skip_h = ui.px(110);
            const float w = (width - gap) / 2;
            const float h = std::min(ui.px(200), (ui.size.y - y - pad - skip_h - 2 * gap) / 2);
            for (std::size_t i = 0; i < reasons.size(); ++i) {
                const ImVec2 min{pad + static_cast<float>(i % 2) * (w + gap), y + static_cast<float>(i / 2) * (h + gap)};
                if (big_button(ui, std::string("reason.") + reasons[i].first, min, {w, h}, "", ui.t(reasons[i].second), true) &&
                    !view_.sending)
                    intents_.give_reason(reasons[i].first);
            }
            const ImVec2 skip{pad, y + 2 * (h + gap)};
            if (big_button(ui, "reason.none", skip, {width, skip_h}, "", ui.t("feedback.reason.skip"), false) && !view_.sending)
                intents_.give_reason("");
            break;
        }
        case FeedbackStep::Thanks: {
            const float mid = top + (ui.size.y - top) * 0.35f;
            const float r = ui.px(110);
            draw_face(dl, {ui.size.x / 2, mid - r / 2}, r, kFaceGood, 1, ui.px(7));
            draw_paragraph_centred(dl, ui.fonts.title, pad, width, mid + r * 0.8f, palette::kInk, ui.t(view_.thanks_key));
            break;
        }
    }
}

}  // namespace csc::gui
