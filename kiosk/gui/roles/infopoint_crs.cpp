// The Info Point's CRS PIN release and forms catalogue: the controller side (kiosk/app/crs_pin,
// forms, bring_slip do the work; this keeps the steps, the digits and the view).
//
// The digits: typed one by one into app::SecretDigits (locked, non-dumpable memory) under
// crs_mutex_; the view holds only how many. release_crs_pin() prints them straight to the
// printer and wipes them on success; Back, a new citizen, a sign-out (also the automatic one)
// wipe them too. The digits step is never captured (capture_allowed()).
#include <iostream>

#include "kiosk/app/bring_slip.hpp"
#include "kiosk/app/forms.hpp"
#include "kiosk/gui/qr.hpp"
#include "kiosk/gui/roles/infopoint.hpp"

namespace csc::gui {

namespace {

void wipe_text(std::string& s) {
    volatile char* v = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) v[i] = 0;
    s.clear();
}

}  // namespace

bool InfopointRole::capture_allowed() const {
    return !(!view_.signed_in.empty() && view_.tab == InfoTab::CrsPin && view_.crs_step == CrsStep::Digits);
}

void InfopointRole::fill_crs_and_forms() {
    const Translator& tr = env_.ctx.translator;
    const auto& c = config_.crs_pin;
    view_.crs_documents.clear();
    for (const auto& d : c.documents) view_.crs_documents.emplace_back(d, tr.tr(lang_, "document." + d));
    view_.crs_with_digits = c.digits;
    view_.crs_pin_digits = c.pin_digits;
    view_.crs_puk_digits = c.puk_digits;
    view_.crs_office_copy = c.office_copy;
    view_.forms.clear();
    if (auto forms = app::list_forms(env_.ctx, "", lang_)) {
        for (const auto& f : *forms) {
            InfoFormView v;
            v.id = f.id;
            v.title = f.title;
            v.description = f.description;
            v.hand_in = f.hand_in;
            v.version = f.version;
            v.url = f.url;
            if (f.service == kCrsPinService) v.group = tr.tr(lang_, "crs_pin.service");
            else if (const Sector* s = config_.find_sector(f.sector)) {
                v.group = s->name.get(lang_);
                if (const Service* sv = s->find_service(f.service)) v.group += " · " + sv->name.get(lang_);
            }
            view_.forms.push_back(std::move(v));
        }
    } else {
        std::cerr << "kiosk: infopoint: forms: " << forms.error().message << '\n';
    }
}

void InfopointRole::crs_forget() {
    // A sign-out (or the automatic one) while the receipt prints must not freeze the screen for
    // the printer's time: ask first, then wipe here only if the worker does not hold them.
    crs_forget_asked_ = true;
    if (std::unique_lock lock(crs_mutex_, std::try_to_lock); lock.owns_lock()) {
        crs_forget_asked_ = false;
        crs_wipe_locked();
    }
    view_.crs_pin_typed = view_.crs_puk_typed = 0;
    view_.crs_field = 0;
}

void InfopointRole::crs_wipe_locked() {
    crs_digits_.pin.wipe();
    crs_digits_.puk.wipe();
    if (crs_request_) {
        wipe_text(crs_request_->fiscal_code);
        wipe_text(crs_request_->document_number);
        wipe_text(crs_request_->contact);
        crs_request_.reset();
    }
}

void InfopointRole::crs_count() {
    std::lock_guard lock(crs_mutex_);
    view_.crs_pin_typed = static_cast<int>(crs_digits_.pin.size());
    view_.crs_puk_typed = static_cast<int>(crs_digits_.puk.size());
}

void InfopointRole::crs_next(const CrsPinForm& form) {
    if (view_.signed_in.empty() || view_.busy) return;
    app::CrsPinRequest req;
    req.fiscal_code = form.fiscal_code;
    req.document_type = form.document_type;
    req.document_number = form.document_number;
    req.document_expiry = form.document_expiry;
    req.relation = form.relation;
    req.form_reference = form.form_reference;
    req.contact = form.contact;
    req.lang = "";  // the citizen's receipt in the office's first language
    req.office_copy = form.office_copy;
    // Everything but the digits is checked now (placeholder digits of the right count: the
    // check says how many are missing, never which, and nothing here is secret).
    app::CrsPinDigits placeholder;
    if (config_.crs_pin.digits) {
        (void)placeholder.pin.assign(std::string(std::size_t(config_.crs_pin.pin_digits), '0'));
        (void)placeholder.puk.assign(std::string(std::size_t(config_.crs_pin.puk_digits), '0'));
    }
    auto checked = app::check_crs_pin_request(office_, req, placeholder);
    if (!checked) return done(&checked.error());  // translated by its code: which field, never the value
    const Translator& tr = env_.ctx.translator;
    view_.crs_summary = tr.tr(lang_, "infopoint.crs.summary",
                              {{"document", tr.tr(lang_, "document." + checked->document_type)},
                               {"tail", checked->document_tail},
                               {"relation", tr.tr(lang_, "crs_pin.relation." + checked->relation)},
                               {"contact", checked->contact_masked}});
    {
        std::lock_guard lock(crs_mutex_);
        crs_digits_.pin.wipe();
        crs_digits_.puk.wipe();
        crs_request_ = std::move(req);
    }
    view_.crs_field = 0;
    crs_count();
    view_.crs_step = CrsStep::Digits;
    view_.error = {};
    view_.notice.clear();
}

void InfopointRole::crs_digit(char digit) {
    if (view_.crs_step != CrsStep::Digits || view_.busy || !config_.crs_pin.digits) return;
    {
        std::lock_guard lock(crs_mutex_);
        const bool pin_full = crs_digits_.pin.size() >= std::size_t(config_.crs_pin.pin_digits);
        const bool puk_full = crs_digits_.puk.size() >= std::size_t(config_.crs_pin.puk_digits);
        if (view_.crs_field == 0 && pin_full) view_.crs_field = 1;
        if (view_.crs_field == 0) (void)crs_digits_.pin.push(digit);
        else if (!puk_full) (void)crs_digits_.puk.push(digit);
        if (view_.crs_field == 0 && crs_digits_.pin.size() >= std::size_t(config_.crs_pin.pin_digits)) view_.crs_field = 1;
    }
    crs_count();
}

void InfopointRole::crs_backspace() {
    if (view_.crs_step != CrsStep::Digits || view_.busy) return;
    {
        std::lock_guard lock(crs_mutex_);
        if (view_.crs_field == 1 && crs_digits_.puk.empty()) view_.crs_field = 0;
        if (view_.crs_field == 1) crs_digits_.puk.pop();
        else crs_digits_.pin.pop();
    }
    crs_count();
}

void InfopointRole::crs_select_field(int field) {
    if (view_.crs_step == CrsStep::Digits && !view_.busy) view_.crs_field = field == 1 ? 1 : 0;
}

void InfopointRole::crs_back() {
    if (view_.busy) return;
    {
        std::lock_guard lock(crs_mutex_);
        crs_digits_.pin.wipe();
        crs_digits_.puk.wipe();
    }
    crs_count();
    view_.crs_field = 0;
    view_.crs_step = CrsStep::Details;  // the details stay typed in the screen's fields
}

void InfopointRole::crs_release() {
    if (view_.crs_step != CrsStep::Digits || view_.busy || view_.signed_in.empty()) return;
    view_.busy = true;
    view_.error = {};
    const std::string by = view_.signed_in;
    run([this, by]() -> Task {
        std::optional<Result<app::CrsPinOutcome>> out;
        {
            std::lock_guard lock(crs_mutex_);
            if (!crs_request_) return [this] { view_.busy = false; };
            out = app::release_crs_pin(env_.ctx, *crs_request_, crs_digits_, by, config_.infopoint.printer);
            if (*out) {  // printed and recorded: nothing of it is kept (release wiped the digits too)
                crs_digits_.pin.wipe();
                crs_digits_.puk.wipe();
            }
        }
        // The member signed out (or started over) while this printed: the UI asked, wipe now.
        if (crs_forget_asked_.exchange(false)) {
            std::lock_guard lock(crs_mutex_);
            crs_wipe_locked();
        }
        return [this, r = std::move(*out)] {
            crs_count();
            if (!r) return done(&r.error());  // the digits stay for a retry (printer), or until Back
            view_.crs_receipt = r->receipt.printed ? "printed" : "failed";
            view_.crs_copy = r->office_copy ? (r->office_copy->printed ? "printed" : "failed") : "";
            view_.crs_step = CrsStep::Done;
            crs_forget();
            done(nullptr, "infopoint.crs.released");
        };
    });
}

void InfopointRole::crs_new() {
    crs_forget();
    view_.crs_step = CrsStep::Details;
    view_.crs_summary.clear();
    view_.crs_receipt.clear();
    view_.crs_copy.clear();
    ++view_.crs_serial;
    view_.notice.clear();
    view_.error = {};
}

void InfopointRole::crs_bring_slip() {
    if (view_.signed_in.empty() || view_.busy) return;
    view_.busy = true;
    run([this]() -> Task {
        auto r = app::print_bring_slip(env_.ctx, std::string(kCrsPinService), lang_, config_.infopoint.printer);
        return [this, r = std::move(r)] {
            if (!r) return done(&r.error());
            if (!r->printed) {
                std::cerr << "kiosk: infopoint: slip not printed: " << r->message << '\n';
                return done(nullptr, "infopoint.print.failed");
            }
            done(nullptr, "infopoint.crs.bring_printed");
        };
    });
}

void InfopointRole::choose_form(const std::string& id) {
    view_.form = id;
    view_.form_qr.clear();
    view_.form_qr_modules = 0;
    for (const auto& f : view_.forms)
        if (f.id == id && !f.url.empty())
            if (auto qr = make_qr(f.url)) {
                view_.form_qr = std::move(qr->dark);
                view_.form_qr_modules = qr->modules;
            }
}

void InfopointRole::print_form(const std::string& id) {
    if (view_.signed_in.empty() || view_.busy) return;
    view_.busy = true;
    run([this, id]() -> Task {
        auto r = app::print_form_slip(env_.ctx, id, lang_, config_.infopoint.printer);
        return [this, r = std::move(r)] {
            if (!r) return done(&r.error());
            last_print_png_ = r->preview_png.string();
            ++prints_done_;
            if (!r->printed) {
                std::cerr << "kiosk: infopoint: form slip not printed: " << r->message << '\n';
                return done(nullptr, "infopoint.print.failed");
            }
            done(nullptr, "infopoint.forms.printed");
        };
    });
}

void InfopointRole::form_handed_out(const std::string& id) {
    if (view_.signed_in.empty() || view_.busy) return;
    view_.busy = true;
    run([this, id, by = view_.signed_in]() -> Task {
        auto r = app::record_form_handed_out(env_.ctx, id, 1, by);
        return [this, r = std::move(r)] {
            if (!r) return done(&r.error());
            done(nullptr, "infopoint.forms.counted");
        };
    });
}

}  // namespace csc::gui
