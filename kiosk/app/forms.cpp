#include "kiosk/app/forms.hpp"

namespace csc::app {

Result<std::vector<FormEntry>> list_forms(const Context&, const std::string&, const std::string&) { return fail("not implemented yet"); }
Result<FormEntry> find_form_entry(const Context&, const std::string&, const std::string&) { return fail("not implemented yet"); }
printer::Receipt make_form_slip(const SiteConfig&, const Translator&, const FormEntry&, const std::string&) { return {}; }
Result<PrintReport> print_form_slip(Context&, const std::string&, const std::string&) { return fail("not implemented yet"); }
Result<std::string> record_form_handed_out(Context&, const std::string&, int, const std::string&) { return fail("not implemented yet"); }

}  // namespace csc::app
