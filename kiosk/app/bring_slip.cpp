#include "kiosk/app/bring_slip.hpp"

#include <algorithm>

#include "kiosk/app/printing/receipt_printer.hpp"

namespace csc::app {

Result<BringSlip> bring_slip_for(const Context& ctx, const std::string& service, const std::string& lang) {
    const SiteConfig& cfg = ctx.config;
    const std::string l = lang.empty() ? cfg.languages.front() : lang;
    if (std::find(cfg.languages.begin(), cfg.languages.end(), l) == cfg.languages.end())
        return fail_as("input.lang", "language \"" + l.substr(0, 8) + "\" is not one of the office's", {{"lang", l.substr(0, 8)}});
    const Sector* sector = cfg.sector_of_service(service);
    if (!sector && service != kCrsPinService)
        return fail_as("input.service", "unknown service \"" + service.substr(0, 40) + "\"", {{"service", service.substr(0, 40)}});
    BringSlip slip;
    slip.service = service;
    if (!sector) slip.title = ctx.translator.tr(l, "crs_pin.service");
    else if (const Service* s = sector->find_service(service)) slip.title = s->name.get(l);
    else slip.title = sector->name.get(l);
    const auto list = std::find_if(cfg.bring.begin(), cfg.bring.end(), [&](const BringList& b) { return b.service == service; });
    if (list != cfg.bring.end()) {
        for (const auto& item : list->items) slip.items.push_back(item.get(l));
        for (const auto& id : list->forms)
            if (auto form = find_form_entry(ctx, id, l)) slip.forms.push_back(std::move(*form));
        return slip;
    }
    // No list of its own: a bookable service's documents (what its booking receipt says).
    if (const BookableService* b = cfg.booking.find(service); b && !b->documents.get(l).empty()) {
        slip.items.push_back(b->documents.get(l));
        return slip;
    }
    return fail_as("input.bring", "nothing to bring is configured for \"" + service + "\" (add a [[bring]] for it)",
                   {{"service", service}});
}

printer::Receipt make_bring_slip(const SiteConfig& config, const Translator& tr, const BringSlip& slip, const std::string& lang) {
    using printer::Align;
    using printer::TextStyle;
    printer::Receipt r;
    if (!config.town.empty()) r.text(config.town, TextStyle{1, 1, true, false, false, Align::Center});
    r.text(config.office_name, TextStyle{1, 1, false, false, false, Align::Center});
    r.rule();
    r.text(tr.tr(lang, "bring.title"), TextStyle{1, 2, true, false, false, Align::Center});
    r.text(slip.title, TextStyle{1, 1, true, false, false, Align::Center});
    r.feed(1);
    for (const auto& item : slip.items) r.text("[ ] " + item, TextStyle{1, 1, false, false, false, Align::Left});
    if (!slip.forms.empty()) {
        r.rule();
        r.text(tr.tr(lang, "bring.forms"), TextStyle{1, 1, true, false, false, Align::Left});
        for (const auto& f : slip.forms) {
            r.text(f.title, TextStyle{1, 1, true, false, false, Align::Left});
            if (!f.url.empty()) {
                r.qr(f.url, 4);
                r.text(f.url, TextStyle{1, 1, false, false, false, Align::Center});
            }
        }
    }
    r.rule();
    r.text(tr.tr(lang, "bring.come_back"), TextStyle{1, 1, false, false, false, Align::Center});
    r.feed(2);
    r.cut(true);
    return r;
}

Result<PrintReport> print_bring_slip(Context& ctx, const std::string& service, const std::string& lang,
                                     std::string_view own_printer) {
    auto slip = bring_slip_for(ctx, service, lang);
    if (!slip) return slip.error();
    const std::string l = lang.empty() ? ctx.config.languages.front() : lang;
    return print_receipt_now(ctx, make_bring_slip(ctx.config, ctx.translator, *slip, l), "bring:" + service, own_printer);
}

}  // namespace csc::app
