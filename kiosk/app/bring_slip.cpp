#include "kiosk/app/bring_slip.hpp"

namespace csc::app {

Result<BringSlip> bring_slip_for(const Context&, const std::string&, const std::string&) { return fail("not implemented yet"); }
printer::Receipt make_bring_slip(const SiteConfig&, const Translator&, const BringSlip&, const std::string&) { return {}; }
Result<PrintReport> print_bring_slip(Context&, const std::string&, const std::string&) { return fail("not implemented yet"); }

}  // namespace csc::app
