#include "kiosk/app/crs_pin.hpp"

namespace csc::app {

Result<CheckedCrsPin> check_crs_pin_request(const Office&, const CrsPinRequest&, const CrsPinDigits&) {
    return fail("not implemented yet");
}
std::string mask_contact(std::string_view) { return {}; }
printer::Receipt make_crs_pin_receipt(const SiteConfig&, const Translator&, const CheckedCrsPin&, const CrsPinDigits*, Millis) {
    return {};
}
printer::Receipt make_crs_pin_office_copy(const SiteConfig&, const Translator&, const CheckedCrsPin&, Millis) { return {}; }
Result<CrsPinOutcome> release_crs_pin(Context&, const CrsPinRequest&, CrsPinDigits&, const std::string&) {
    return fail("not implemented yet");
}
Result<CrsPinOutcome> release_crs_pin(Context&, printer::Transport&, const printer::Profile&, const CrsPinRequest&, CrsPinDigits&,
                                      const std::string&) {
    return fail("not implemented yet");
}

}  // namespace csc::app
