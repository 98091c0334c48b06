// The counter terminal's desk: what the operator works with all day. Every action is a button
// with its key written on it (F1…F8), disabled when it cannot apply, and a dialog for the two
// actions that need a choice (pause reason, transfer sector: keys 1…9, Esc).
#include <algorithm>
#include <cmath>

#include "kiosk/gui/screens/counter_screens.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {

// ImGui 1.86 indexes io.KeysDown by the platform's key code; these are GLFW's (glfw3.h).
constexpr int kKeyEscape = 256, kKeyF1 = 290, kKey1 = 49, kKeyKp1 = 321;

constexpr CounterAction kSlots[8][2] = {
    {CounterAction::Call, CounterAction::Call},     {CounterAction::Recall, CounterAction::Recall},
    {CounterAction::Start, CounterAction::Start},   {CounterAction::Finish, CounterAction::Finish},
    {CounterAction::NoShow, CounterAction::NoShow}, {CounterAction::Transfer, CounterAction::Transfer},
    {CounterAction::Pause, CounterAction::Resume},  {CounterAction::Open, CounterAction::Close},
};

const char* action_label_key(CounterAction a) {
    switch (a) {
        case CounterAction::Call: return "counter.action.call";
        case CounterAction::Recall: return "counter.action.recall";
        case CounterAction::Start: return "counter.action.start";
        case CounterAction::Finish: return "counter.action.finish";
        case CounterAction::NoShow: return "counter.action.no_show";
        case CounterAction::Transfer: return "counter.action.transfer";
        case CounterAction::Pause: return "counter.action.pause";
        case CounterAction::Resume: return "counter.action.resume";
        case CounterAction::Open: return "counter.action.open";
        case CounterAction::Close: return "counter.action.close";
    }
    return "";
}

bool enabled(const CounterView& v, CounterAction a) { return v.enabled[static_cast<int>(a)] && !v.busy; }

// The slot's action for the current status (Pause/Resume, Open/Close share a key).
CounterAction slot_action(const CounterView& v, int slot) {
    const auto [a, b] = std::pair{kSlots[slot][0], kSlots[slot][1]};
    if (a == b) return a;
    if (slot == 6) return v.status == CounterStatus::Paused ? CounterAction::Resume : CounterAction::Pause;
    return v.status == CounterStatus::Closed ? CounterAction::Open : CounterAction::Close;
}

// A button with a label and its key; returns true when tapped or clicked while enabled.
bool action_button(FrameContext& ui, const std::string& id, ImVec2 min, ImVec2 size, const std::string& label,
                   const char* key, bool on, bool primary, bool interactive) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // Without a target while a dialog is open: ImGui gives a click to the first item under it.
    const Touch t = interactive ? touch_target(ui, id, min, size) : Touch{};
    const ImVec2 max{min.x + size.x, min.y + size.y};
    const float r = ui.px(14);
    ImU32 bg = palette::kCard, ink = palette::kAccent, edge = palette::kAccent;
    if (primary && on) bg = palette::kAccent, ink = IM_COL32_WHITE;
    if (!on) bg = IM_COL32(0xE6, 0xE9, 0xEE, 0xFF), ink = palette::kInkSoft, edge = palette::kBorder;  // 6.5:1
    dl->AddRectFilled(min, max, bg, r);
    dl->AddRect(min, max, edge, r, 0, ui.px(t.held && on ? 6 : 3));
    const ImVec2 ks = text_size(ui.fonts.small, key);
    dl->AddRectFilled({min.x + ui.px(14), min.y + ui.px(12)}, {min.x + ui.px(30) + ks.x, min.y + ui.px(16) + ks.y},
                      on ? (primary ? IM_COL32(0xFF, 0xFF, 0xFF, 0x30) : palette::kInfoBg) : palette::kCard, ui.px(6));
    draw_text(dl, ui.fonts.small, {min.x + ui.px(22), min.y + ui.px(14)}, ink, key);
    dl->PushClipRect(min, max, true);
    const ImVec2 ls = text_size(ui.fonts.bold, label, size.x - ui.px(28));
    draw_text(dl, ui.fonts.bold, {min.x + ui.px(18), max.y - ls.y - ui.px(16)}, ink, label, size.x - ui.px(28));
    dl->PopClipRect();
    return t.tapped && on;
}

}  // namespace

const char* action_id(CounterAction a) {
    static constexpr const char* ids[] = {"call", "recall", "start", "finish", "no_show",
                                          "transfer", "pause", "resume", "open", "close"};
    return ids[static_cast<int>(a)];
}

const char* action_key_name(CounterAction a) {
    for (int i = 0; i < 8; ++i)
        if (kSlots[i][0] == a || kSlots[i][1] == a) {
            static constexpr const char* names[] = {"F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"};
            return names[i];
        }
    return "";
}

void CounterDesk::draw_content(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float top = draw_top_bar(ui);
    const float margin = ui.px(36), gap = ui.px(32);
    const float status_h = ui.fonts.body->FontSize + ui.px(28);
    const float bottom = ui.size.y - status_h;
    const float left_w = std::round((ui.size.x - 2 * margin - gap) * 0.6f);
    const float actions_h = ui.px(2 * 150 + 20);
    draw_current(ui, {margin, top + ui.px(28)}, {margin + left_w, bottom - actions_h - ui.px(40)});
    draw_actions(ui, {margin, bottom - actions_h - ui.px(20)}, {margin + left_w, bottom - ui.px(20)});
    draw_queues(ui, {margin + left_w + gap, top + ui.px(28)}, {ui.size.x - margin, bottom - ui.px(20)});

    // Status line: the last error, else what comes next.
    const bool error = !view_.error.message.empty();
    dl->AddRectFilled({0, bottom}, ui.size, error ? palette::kErrorBg : palette::kCard);
    dl->AddLine({0, bottom}, {ui.size.x, bottom}, palette::kBorder, ui.px(2));
    std::string line;
    if (error) line = ui.t("counter.error", {{"reason", ui.translator.tr_error(ui.lang, view_.error)}});
    else if (view_.calling) line = ui.t("counter.calling");
    else if (view_.busy) line = ui.t("counter.busy");
    else if (!view_.next_label.empty()) line = ui.t("counter.next", {{"label", view_.next_label}});
    else line = ui.t("counter.queue.empty");
    draw_text(dl, ui.fonts.body, {margin, bottom + ui.px(14)}, error ? palette::kErrorInk : palette::kInk, line);

    if (view_.modal != CounterModal::None) draw_modal(ui);
    handle_keys();
}

float CounterDesk::draw_top_bar(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = ui.px(128), pad = ui.px(36);
    dl->AddRectFilled({0, 0}, {ui.size.x, h}, palette::kHeader);
    draw_text(dl, ui.fonts.title, {pad, (h - ui.fonts.title->FontSize) / 2 - ui.px(14)}, IM_COL32_WHITE,
              view_.counter_title);
    draw_text(dl, ui.fonts.small, {pad, (h + ui.fonts.title->FontSize) / 2 - ui.px(10)}, palette::kHeaderSoft,
              view_.sectors_line);

    // Status pill: text + colour (open green, paused amber, closed grey).
    std::string status;
    ImU32 bg = palette::kOkBg, ink = palette::kOkInk;
    switch (view_.status) {
        case CounterStatus::Open: status = ui.t("counter.status.open"); break;
        case CounterStatus::Paused:
            status = ui.t("counter.status.paused", {{"reason", view_.pause_reason}});
            bg = palette::kWarnBg, ink = palette::kWarnInk;
            break;
        case CounterStatus::Closed:
            status = ui.t("counter.status.closed");
            bg = palette::kCard, ink = palette::kInkSoft;
            break;
    }
    const float title_right = pad + std::max(text_size(ui.fonts.title, view_.counter_title).x,
                                             text_size(ui.fonts.small, view_.sectors_line).x);
    const ImVec2 ss = text_size(ui.fonts.bold, status);
    const float px = title_right + ui.px(40), py = (h - ss.y - ui.px(20)) / 2;
    dl->AddRectFilled({px, py}, {px + ss.x + ui.px(40), py + ss.y + ui.px(20)}, bg, (ss.y + ui.px(20)) / 2);
    draw_text(dl, ui.fonts.bold, {px + ui.px(20), py + ui.px(10)}, ink, status);

    // Right: clock, operator, sign-out.
    const std::string out = ui.t("counter.logout") + "  F12";
    const ImVec2 os = text_size(ui.fonts.bold, out);
    const ImVec2 omin{ui.size.x - pad - os.x - ui.px(40), (h - os.y - ui.px(28)) / 2};
    const ImVec2 osz{os.x + ui.px(40), os.y + ui.px(28)};
    const Touch t = view_.modal == CounterModal::None ? touch_target(ui, "sign_out", omin, osz) : Touch{};
    dl->AddRect(omin, {omin.x + osz.x, omin.y + osz.y}, palette::kHeaderSoft, ui.px(10), 0, ui.px(t.held ? 5 : 2));
    draw_text(dl, ui.fonts.bold, {omin.x + ui.px(20), omin.y + ui.px(14)}, IM_COL32_WHITE, out);
    if (t.tapped) intents_.sign_out();
    const std::string who = ui.t("counter.operator", {{"name", view_.operator_name}});
    const ImVec2 ws = text_size(ui.fonts.small, who);
    const ImVec2 ts = text_size(ui.fonts.heading, view_.time);
    const float rx = omin.x - ui.px(36);
    draw_text(dl, ui.fonts.heading, {rx - ts.x, ui.px(18)}, IM_COL32_WHITE, view_.time);
    draw_text(dl, ui.fonts.small, {rx - ws.x, ui.px(22) + ts.y}, palette::kHeaderSoft, who);
    if (!view_.link_flag.empty())
        draw_flag(ui, rx - std::max(ts.x, ws.x) - ui.px(36), h / 2, ui.t(view_.link_flag));
    return h;
}

void CounterDesk::draw_current(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    draw_text(dl, ui.fonts.bold, min, palette::kInkSoft, ui.t("counter.current"));
    min.y += ui.fonts.bold->FontSize + ui.px(12);
    const float r = ui.px(20);
    if (!view_.current) {
        dl->AddRectFilled(min, max, palette::kCard, r);
        dl->AddRect(min, max, palette::kBorder, r, 0, ui.px(2));
        const std::string none = ui.t("counter.current.none");
        const ImVec2 s = text_size(ui.fonts.heading, none);
        draw_text(dl, ui.fonts.heading, {(min.x + max.x - s.x) / 2, (min.y + max.y - s.y) / 2}, palette::kInkSoft, none);
        return;
    }
    const CounterTicketView& c = *view_.current;
    const ImU32 bg = rgb(c.colour), ink = rgb(c.text);
    dl->AddRectFilled(min, max, bg, r);
    dl->PushClipRect(min, max, true);
    const float pad = ui.px(36);
    const float h = max.y - min.y;
    const float size = std::min(ui.px(200), h * 0.62f);
    const ImVec2 ls = ui.fonts.huge->CalcTextSizeA(size, FLT_MAX, 0, c.label.c_str());
    draw_sized(dl, ui.fonts.huge, size, {min.x + pad, min.y + (h - ls.y) / 2}, ink, c.label);
    const float tx = min.x + pad + ls.x + ui.px(48);
    const float tw = max.x - pad - tx;
    float y = min.y + ui.px(30);
    dl->PushClipRect({tx, min.y}, {max.x - pad, max.y}, true);
    y += draw_text(dl, ui.fonts.heading, {tx, y}, ink, c.sector_name, tw).y + ui.px(8);
    if (!c.service_name.empty()) y += draw_text(dl, ui.fonts.body, {tx, y}, ink, c.service_name, tw).y + ui.px(8);
    if (!c.priority_name.empty()) {
        const std::string p = (ui.icons.warning.empty() ? "" : ui.icons.warning + "  ") + c.priority_name;
        y += draw_text(dl, ui.fonts.bold, {tx, y}, ink, p, tw).y + ui.px(8);
    }
    const std::string state = ui.t(c.serving ? "counter.state.serving" : "counter.state.called", {{"time", c.since}});
    y += ui.px(10);
    const ImVec2 ss = text_size(ui.fonts.bold, state, tw - ui.px(32));
    dl->AddRectFilled({tx, y}, {tx + std::min(tw, ss.x + ui.px(32)), y + ss.y + ui.px(18)}, ink, ui.px(10));
    draw_text(dl, ui.fonts.bold, {tx + ui.px(16), y + ui.px(9)}, bg, state, tw - ui.px(32));
    y += ss.y + ui.px(26);
    if (c.recalls > 0)
        draw_text(dl, ui.fonts.small, {tx, y}, ink, ui.t("counter.action.recall") + " × " + std::to_string(c.recalls));
    dl->PopClipRect();
    dl->PopClipRect();
}

void CounterDesk::draw_actions(FrameContext& ui, ImVec2 min, ImVec2 max) {
    const float gap = ui.px(16);
    const float w = (max.x - min.x - 3 * gap) / 4, h = (max.y - min.y - gap) / 2;
    for (int i = 0; i < 8; ++i) {
        const CounterAction a = slot_action(view_, i);
        const ImVec2 bmin{min.x + (i % 4) * (w + gap), min.y + (i / 4) * (h + gap)};
        const bool primary = a == CounterAction::Call || a == CounterAction::Open || a == CounterAction::Resume;
        if (action_button(ui, std::string("action:") + action_id(a), bmin, {w, h}, ui.t(action_label_key(a)),
                          action_key_name(a), enabled(view_, a), primary, view_.modal == CounterModal::None))
            intents_.act(a);
    }
}

void CounterDesk::draw_queues(FrameContext& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    draw_text(dl, ui.fonts.bold, min, palette::kInkSoft, ui.t("counter.queue"));
    min.y += ui.fonts.bold->FontSize + ui.px(12);
    dl->AddRectFilled(min, max, palette::kCard, ui.px(20));
    dl->AddRect(min, max, palette::kBorder, ui.px(20), 0, ui.px(2));
    float y = min.y + ui.px(20);
    const float pad = ui.px(20);
    dl->PushClipRect(min, max, true);
    for (const auto& q : view_.queues) {
        // Sector strip: colour + icon + name + count.
        const float sh = ui.fonts.bold->FontSize + ui.px(24);
        dl->AddRectFilled({min.x + pad, y}, {max.x - pad, y + sh}, rgb(q.colour), ui.px(10));
        const std::string name = q.icon.empty() ? q.name : q.icon + "  " + q.name;
        draw_text(dl, ui.fonts.bold, {min.x + pad + ui.px(16), y + ui.px(12)}, rgb(q.text), name);
        const std::string n = std::to_string(q.waiting);
        const ImVec2 ns = text_size(ui.fonts.bold, n);
        draw_text(dl, ui.fonts.bold, {max.x - pad - ui.px(16) - ns.x, y + ui.px(12)}, rgb(q.text), n);
        y += sh + ui.px(10);
        if (q.first.empty()) {
            draw_text(dl, ui.fonts.small, {min.x + pad + ui.px(16), y}, palette::kInkSoft, ui.t("counter.queue.empty"));
            y += ui.fonts.small->FontSize + ui.px(18);
            continue;
        }
        float x = min.x + pad + ui.px(16);
        for (const auto& [label, first] : q.first) {
            std::string text = first && !ui.icons.warning.empty() ? ui.icons.warning + " " + label : label;
            const ImVec2 ts = text_size(ui.fonts.body, text);
            if (x + ts.x > max.x - pad) break;
            draw_text(dl, ui.fonts.body, {x, y}, first ? palette::kWarnInk : palette::kInk, text);
            x += ts.x + ui.px(26);
        }
        y += ui.fonts.body->FontSize + ui.px(6);
        if (q.waiting > static_cast<int>(q.first.size())) {
            draw_text(dl, ui.fonts.small, {min.x + pad + ui.px(16), y}, palette::kInkSoft,
                      ui.t("counter.queue.more", {{"count", std::to_string(q.waiting - static_cast<int>(q.first.size()))}}));
            y += ui.fonts.small->FontSize;
        }
        y += ui.px(18);
    }
    dl->PopClipRect();
}

void CounterDesk::draw_modal(FrameContext& ui) {
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    dl->AddRectFilled({0, 0}, ui.size, IM_COL32(0x10, 0x20, 0x30, 0x99));
    const bool pause = view_.modal == CounterModal::Pause;
    std::vector<std::pair<std::string, std::string>> options;  // id, label
    if (pause)
        options = view_.pause_reasons;
    else
        options = view_.transfer_targets;
    const float w = ui.px(820), row = ui.px(96), gap = ui.px(14);
    const float h = ui.px(130) + options.size() * (row + gap) + row + ui.px(30);
    const ImVec2 min{(ui.size.x - w) / 2, std::max(ui.px(20), (ui.size.y - h) / 2)};
    dl->AddRectFilled(min, {min.x + w, min.y + h}, palette::kCard, ui.px(20));
    draw_text(dl, ui.fonts.heading, {min.x + ui.px(36), min.y + ui.px(36)}, palette::kInk,
              ui.t(pause ? "counter.pause.title" : "counter.transfer.title"));
    // The buttons must be drawn in the window (for input), above the dim layer: draw them on
    // the foreground list too, with their hit targets in the window.
    float y = min.y + ui.px(130);
    for (std::size_t i = 0; i < options.size(); ++i) {
        const ImVec2 bmin{min.x + ui.px(36), y};
        const ImVec2 bsize{w - ui.px(72), row};
        const Touch t = touch_target(ui, std::string(pause ? "reason:" : "sector:") + options[i].first, bmin, bsize);
        dl->AddRectFilled(bmin, {bmin.x + bsize.x, bmin.y + bsize.y}, t.held ? palette::kInfoBg : palette::kCard, ui.px(12));
        dl->AddRect(bmin, {bmin.x + bsize.x, bmin.y + bsize.y}, palette::kAccent, ui.px(12), 0, ui.px(3));
        const std::string label = std::to_string(i + 1) + "   " + options[i].second;
        draw_text(dl, ui.fonts.bold, {bmin.x + ui.px(24), bmin.y + (row - ui.fonts.bold->FontSize) / 2}, palette::kAccent,
                  label);
        if (t.tapped) {
            if (pause) intents_.pause_with(options[i].first);
            else intents_.transfer_to(options[i].first);
        }
        y += row + gap;
    }
    const ImVec2 cmin{min.x + ui.px(36), y + ui.px(10)};
    const ImVec2 csize{w - ui.px(72), row};
    const Touch c = touch_target(ui, "modal:cancel", cmin, csize);
    dl->AddRectFilled(cmin, {cmin.x + csize.x, cmin.y + csize.y}, c.held ? palette::kInfoBg : palette::kPage, ui.px(12));
    draw_text(dl, ui.fonts.bold, {cmin.x + ui.px(24), cmin.y + (row - ui.fonts.bold->FontSize) / 2}, palette::kInk,
              "Esc   " + ui.t("counter.action.cancel"));
    if (c.tapped) intents_.close_modal();
}

void CounterDesk::handle_keys() {
    if (ImGui::GetIO().WantTextInput) return;
    if (view_.modal != CounterModal::None) {
        if (ImGui::IsKeyPressed(kKeyEscape, false)) {
            intents_.close_modal();
            return;
        }
        const bool pause = view_.modal == CounterModal::Pause;
        const std::size_t n = pause ? view_.pause_reasons.size() : view_.transfer_targets.size();
        for (std::size_t i = 0; i < n && i < 9; ++i)
            if (ImGui::IsKeyPressed(kKey1 + static_cast<int>(i), false) ||
                ImGui::IsKeyPressed(kKeyKp1 + static_cast<int>(i), false)) {
                if (pause) intents_.pause_with(view_.pause_reasons[i].first);
                else intents_.transfer_to(view_.transfer_targets[i].first);
                return;
            }
        return;
    }
    for (int i = 0; i < 8; ++i)
        if (ImGui::IsKeyPressed(kKeyF1 + i, false)) {
            const CounterAction a = slot_action(view_, i);
            if (enabled(view_, a)) intents_.act(a);
            return;
        }
    if (ImGui::IsKeyPressed(kKeyF1 + 11, false)) intents_.sign_out();  // F12
}

}  // namespace csc::gui
