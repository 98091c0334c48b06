#include "kiosk/app/forms.hpp"

#include <algorithm>

#include "kiosk/app/printing/receipt_printer.hpp"

namespace csc::app {

namespace {

Result<std::string> language(const SiteConfig& cfg, const std::string& lang) {
    const std::string l = lang.empty() ? cfg.languages.front() : lang;
    if (std::find(cfg.languages.begin(), cfg.languages.end(), l) == cfg.languages.end())
        return fail_as("input.lang", "language \"" + l.substr(0, 8) + "\" is not one of the office's", {{"lang", l.substr(0, 8)}});
    return l;
}

// Where to hand a form in when the configuration does not say: its sector's counters.
std::string default_hand_in(const SiteConfig& cfg, const Translator& tr, const FormConfig& f, const std::string& lang) {
    const Sector* sector = cfg.find_sector(f.sector);
    if (!sector) return tr.tr(lang, "form.hand_in.infopoint");
    std::string list;
    for (const auto& c : cfg.counters)
        if (std::find(c.sectors.begin(), c.sectors.end(), f.sector) != c.sectors.end())
            list += (list.empty() ? "" : ", ") + std::to_string(c.number);
    if (list.empty()) return tr.tr(lang, "form.hand_in.sector", {{"sector", sector->name.get(lang)}});
    return tr.tr(lang, "form.hand_in.counters", {{"list", list}, {"sector", sector->name.get(lang)}});
}

FormEntry entry_of(const SiteConfig& cfg, const Translator& tr, const FormConfig& f, const std::string& lang) {
    FormEntry e;
    e.id = f.id;
    e.sector = f.sector;
    e.service = f.service;
    e.title = f.title.get(lang);
    e.description = f.description.get(lang);
    e.hand_in = f.hand_in.get(lang).empty() ? default_hand_in(cfg, tr, f, lang) : f.hand_in.get(lang);
    e.file = f.file;
    e.url = f.url;
    e.version = f.version.iso();
    return e;
}

bool may_hand_out(const StaffMember& m) { return m.has_role("infopoint") || m.has_role("counter"); }

}  // namespace

Result<std::vector<FormEntry>> list_forms(const Context& ctx, const std::string& service, const std::string& lang) {
    const SiteConfig& cfg = ctx.config;
    auto l = language(cfg, lang);
    if (!l) return l.error();
    const Sector* sector = nullptr;
    if (!service.empty()) {
        sector = cfg.sector_of_service(service);
        if (!sector && service != kCrsPinService)
            return fail_as("input.service", "unknown service \"" + service.substr(0, 40) + "\"", {{"service", service.substr(0, 40)}});
    }
    std::vector<FormEntry> out;
    for (const auto& f : cfg.forms) {
        if (!f.available) continue;
        // A service's own forms and its sector's general ones; a sector: all of the sector's.
        const bool wanted = service.empty() || f.service == service ||
                            (sector && f.sector == sector->id && (f.service.empty() || service == sector->id));
        if (wanted) out.push_back(entry_of(cfg, ctx.translator, f, *l));
    }
    return out;
}

Result<FormEntry> find_form_entry(const Context& ctx, const std::string& id, const std::string& lang) {
    auto l = language(ctx.config, lang);
    if (!l) return l.error();
    const FormConfig* f = ctx.config.find_form(id);
    if (!f) return fail_as("input.form", "no form has the id \"" + id.substr(0, 40) + "\"", {{"form", id.substr(0, 40)}});
    if (!f->available)
        return fail_as("input.form", "form \"" + id + "\" is hidden: its file " + f->file.string() + " is missing", {{"form", id}});
    return entry_of(ctx.config, ctx.translator, *f, *l);
}

printer::Receipt make_form_slip(const SiteConfig& config, const Translator& tr, const FormEntry& form, const std::string& lang) {
    using printer::Align;
    using printer::TextStyle;
    printer::Receipt r;
    if (!config.town.empty()) r.text(config.town, TextStyle{1, 1, true, false, false, Align::Center});
    r.text(config.office_name, TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    r.text(tr.tr(lang, "form.slip.title"), TextStyle{1, 1, false, false, false, Align::Center});
    r.text(form.title, TextStyle{1, 2, true, false, false, Align::Center});
    r.text(tr.tr(lang, "form.slip.version", {{"date", form.version}}), TextStyle{1, 1, false, false, false, Align::Center});
    if (!form.description.empty()) {
        r.feed(1);
        r.text(form.description, TextStyle{1, 1, false, false, false, Align::Left});
    }
    if (!form.url.empty()) {
        r.feed(1);
        r.text(tr.tr(lang, "form.slip.download"), TextStyle{1, 1, true, false, false, Align::Center});
        r.qr(form.url, 5);
        r.text(form.url, TextStyle{1, 1, false, false, false, Align::Center});
    } else {
        r.text(tr.tr(lang, "form.slip.ask"), TextStyle{1, 1, false, false, false, Align::Center});
    }
    r.rule();
    r.text(tr.tr(lang, "form.slip.hand_in"), TextStyle{1, 1, true, false, false, Align::Left});
    r.text(form.hand_in, TextStyle{1, 1, false, false, false, Align::Left});
    r.feed(2);
    r.cut(true);
    return r;
}

Result<PrintReport> print_form_slip(Context& ctx, const std::string& id, const std::string& lang, std::string_view own_printer) {
    auto form = find_form_entry(ctx, id, lang);
    if (!form) return form.error();
    const std::string l = lang.empty() ? ctx.config.languages.front() : lang;
    return print_receipt_now(ctx, make_form_slip(ctx.config, ctx.translator, *form, l), "form:" + id, own_printer);
}

Result<std::string> record_form_handed_out(Context& ctx, const std::string& id, int copies, const std::string& by) {
    Office& office = *ctx.office;
    const auto member = office.find_staff(by);
    if (!member || !may_hand_out(*member))
        return fail_as("input.staff", "\"" + by.substr(0, 60) + "\" is not a staff member of the info point or a counter",
                       {{"name", by.substr(0, 60)}});
    if (auto form = find_form_entry(ctx, id, ""); !form) return form.error();
    if (copies < 1 || copies > 50)
        return fail_as("input.copies", "copies must be between 1 and 50", {{"count", std::to_string(copies)}});
    auto r = office.record(FormHandedOut{id, copies}, member->name);
    if (!r) return r.error();
    return r->ticket_id;
}

}  // namespace csc::app
