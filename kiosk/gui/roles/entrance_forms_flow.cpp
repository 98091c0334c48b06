// The entrance kiosk's "Moduli" entry: the forms catalogue ([[form]], kiosk/app/forms) and the
// "what to bring" lists ([[bring]], kiosk/app/bring_slip) grouped by office, in the citizen's
// language; a form's QR on screen and its slip, or a list, printed through the kiosk's spooler
// (the same printer and retry rules as its tickets). Nothing is recorded: information only.
#include <iostream>

#include "kiosk/app/bring_slip.hpp"
#include "kiosk/app/forms.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"
#include "kiosk/gui/roles/entrance.hpp"
#include "kiosk/gui/widgets.hpp"

namespace csc::gui {

namespace {
using namespace std::chrono_literals;
}  // namespace

void EntranceRole::build_forms() {
    const Translator& tr = env_.ctx.translator;
    std::map<std::string, KioskFormGroup> by_id;
    auto group = [&](const std::string& id) -> KioskFormGroup& {
        auto [it, fresh] = by_id.try_emplace(id);
        if (fresh) {
            it->second.id = id;
            if (const Sector* s = config_.find_sector(id)) {
                it->second.name = s->name.get(lang_);
                it->second.colour = view_.high_contrast ? palette::high_contrast_fill(s->colour) : s->colour;
                it->second.text = view_.high_contrast ? Rgb{255, 255, 255} : s->text_colour;
                if (auto c = env_.icon_map.find(s->icon)) it->second.icon = utf8_of(*c);
            } else {
                it->second.name = tr.tr(lang_, "crs_pin.service");
            }
        }
        return it->second;
    };
    if (auto forms = app::list_forms(env_.ctx, "", lang_)) {
        for (const auto& f : *forms) {
            KioskFormView v{f.id, f.title, f.description, f.hand_in, f.version, f.url, {}};
            if (const Sector* s = config_.find_sector(f.sector))
                if (const Service* sv = s->find_service(f.service)) v.service_name = sv->name.get(lang_);
            group(f.service == kCrsPinService || f.sector.empty() ? std::string(kCrsPinService) : f.sector).forms.push_back(std::move(v));
        }
    } else {
        std::cerr << "kiosk: forms: " << forms.error().message << '\n';
    }
    for (const auto& b : config_.bring) {
        auto slip = app::bring_slip_for(env_.ctx, b.service, lang_);
        if (!slip) continue;
        const Sector* s = config_.sector_of_service(b.service);
        group(s ? s->id : std::string(kCrsPinService)).bring.push_back({b.service, slip->title, slip->items});
    }
    // The sectors in their configured order (as on the home screen), the CRS PIN desk last.
    view_.forms.groups.clear();
    for (const auto& s : config_.sectors)
        if (auto it = by_id.find(s.id); it != by_id.end()) view_.forms.groups.push_back(std::move(it->second));
    if (auto it = by_id.find(std::string(kCrsPinService)); it != by_id.end()) view_.forms.groups.push_back(std::move(it->second));
}

void EntranceRole::open_forms() {
    if (page_ != Page::Home || !view_.forms_available) return;
    leave_booking();
    view_.forms = FormsView{};
    build_forms();
    page_ = Page::Forms;
    touch_booking();
}

void EntranceRole::choose_form_group(const std::string& id) {
    if (page_ != Page::Forms) return;
    touch_booking();
    for (std::size_t i = 0; i < view_.forms.groups.size(); ++i)
        if (view_.forms.groups[i].id == id) {
            view_.forms.group = static_cast<int>(i);
            view_.forms.step = FormsStep::Items;
        }
}

void EntranceRole::choose_kiosk_form(const std::string& id) {
    if (page_ != Page::Forms || view_.forms.group < 0) return;
    touch_booking();
    const auto& forms = view_.forms.groups[std::size_t(view_.forms.group)].forms;
    for (std::size_t i = 0; i < forms.size(); ++i)
        if (forms[i].id == id) {
            view_.forms.item = static_cast<int>(i);
            view_.forms.step = FormsStep::Form;
            view_.forms.print_state.clear();
            view_.forms.qr.reset();
            if (!forms[i].url.empty())
                if (auto qr = make_qr(forms[i].url)) view_.forms.qr = std::move(*qr);
        }
}

void EntranceRole::choose_bring(const std::string& service) {
    if (page_ != Page::Forms || view_.forms.group < 0) return;
    touch_booking();
    const auto& bring = view_.forms.groups[std::size_t(view_.forms.group)].bring;
    for (std::size_t i = 0; i < bring.size(); ++i)
        if (bring[i].service == service) {
            view_.forms.item = static_cast<int>(i);
            view_.forms.step = FormsStep::Bring;
            view_.forms.print_state.clear();
            view_.forms.qr.reset();
        }
}

void EntranceRole::print_chosen() {
    FormsView& f = view_.forms;
    if (page_ != Page::Forms || f.group < 0 || f.item < 0 || f.print_state == "printing") return;
    touch_booking();
    const KioskFormGroup& g = f.groups[std::size_t(f.group)];
    const Translator& tr = env_.ctx.translator;
    if (f.step == FormsStep::Form && f.item < static_cast<int>(g.forms.size())) {
        auto form = app::find_form_entry(env_.ctx, g.forms[std::size_t(f.item)].id, lang_);
        if (!form) return;
        forms_print_id_ = "form:" + form->id;
        auto slip = app::make_form_slip(config_, tr, *form, lang_);
        f.spoken = app::receipt_as_speech(slip, {}, {}, {});  // speech mode reads it all (EN 301 549 5.1.3.16)
        spooler_->submit(forms_print_id_, std::move(slip));
    } else if (f.step == FormsStep::Bring && f.item < static_cast<int>(g.bring.size())) {
        auto slip = app::bring_slip_for(env_.ctx, g.bring[std::size_t(f.item)].service, lang_);
        if (!slip) return;
        forms_print_id_ = "bring:" + slip->service;
        auto receipt = app::make_bring_slip(config_, tr, *slip, lang_);
        f.spoken = app::receipt_as_speech(receipt, {}, {}, {});
        spooler_->submit(forms_print_id_, std::move(receipt));
    } else {
        return;
    }
    f.print_state = "printing";
}

void EntranceRole::forms_back() {
    if (page_ != Page::Forms) return;
    touch_booking();
    FormsView& f = view_.forms;
    f.print_state.clear();
    f.qr.reset();
    switch (f.step) {
        case FormsStep::Form:
        case FormsStep::Bring:
            f.step = FormsStep::Items;
            f.item = -1;
            break;
        case FormsStep::Items:
            f.step = FormsStep::Groups;
            f.group = -1;
            break;
        case FormsStep::Groups: go_home(); break;
    }
}

bool EntranceRole::take_forms_print(const Printed& p) {
    const std::string& id = p.report.ticket_id;
    if (!id.starts_with("form:") && !id.starts_with("bring:")) return false;
    if (p.report.printed) ++forms_printed_;
    else std::cerr << "kiosk: " << id << " not printed: " << p.report.message << '\n';
    // Only the slip the citizen still looks at changes the screen (the spooler retries the others).
    if (page_ == Page::Forms && id == forms_print_id_) view_.forms.print_state = p.report.printed ? "printed" : "failed";
    return true;
}

nlohmann::json EntranceRole::describe_forms() const {
    static constexpr const char* steps[] = {"groups", "items", "form", "bring"};
    const FormsView& f = view_.forms;
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : f.groups) {
        nlohmann::json forms = nlohmann::json::array(), bring = nlohmann::json::array();
        for (const auto& x : g.forms) forms.push_back({{"id", x.id}, {"title", x.title}, {"url", x.url}});
        for (const auto& b : g.bring) bring.push_back({{"service", b.service}, {"title", b.title}, {"items", b.items}});
        groups.push_back({{"id", g.id}, {"name", g.name}, {"forms", forms}, {"bring", bring}});
    }
    return {{"available", view_.forms_available}, {"step", steps[static_cast<int>(f.step)]},
            {"group", f.group >= 0 && f.group < static_cast<int>(f.groups.size()) ? f.groups[std::size_t(f.group)].id : ""},
            {"item", f.item},     {"qr", f.qr.has_value()},
            {"print", f.print_state}, {"printed", forms_printed_},
            {"groups", groups}};
}

}  // namespace csc::gui
