// profile.hpp — what a printer model can do, as data (assets/printer/profiles.txt).
//
// Contents: UsbId, CodePageChoice, Quirk, Profile, ProfileCatalog, builtin_profiles(),
//           load_profile_catalog(), find_profile().
// Contract: profiles and quirks are parsed from text, never hard-coded in the encoder; an
// unknown name is an Error that lists the closest known names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.hpp"

namespace csc::printer {

/// A USB vendor:product pair.
struct UsbId {
    std::uint16_t vendor = 0, product = 0;
    bool operator==(const UsbId&) const = default;
    [[nodiscard]] std::string str() const;  ///< "04b8:0e28"
};
/// Parses "04b8:0e28" (hex). Error on anything else.
Result<UsbId> parse_usb_id(std::string_view text);

/// A code page the printer has, with the number that selects it (ESC t n).
struct CodePageChoice {
    std::string name;  ///< one of code_page_names() in codepage.hpp, e.g. "cp858"
    int escpos_number = 0;
    bool operator==(const CodePageChoice&) const = default;
};

/// A printer quirk: a behaviour change for one model, with the reason it exists.
struct Quirk {
    std::string name;  ///< raster-band-rows | cut-simple | present-needs-cut | unidir
    int value = 0;
    std::string reason;
    bool operator==(const Quirk&) const = default;
};

/// Capabilities of one printer model.
struct Profile {
    std::string id;    ///< "epson-tm-t20iii"
    std::string name;  ///< "Epson TM-T20III"
    std::vector<UsbId> usb_ids;
    int dots_per_line = 576;
    int columns = 48;  ///< font A characters per line at size 1
    std::vector<CodePageChoice> code_pages;  ///< in order of preference; never empty
    bool native_qr = true;
    bool cutter = true;
    bool partial_cut = true;
    std::vector<std::uint8_t> present_cmd, eject_cmd, retract_cmd;  ///< empty: no presenter
    bool realtime_status = true;  ///< answers DLE EOT n
    std::vector<std::uint8_t> recover_cmd;
    std::vector<Quirk> quirks;

    [[nodiscard]] bool has_presenter() const { return !present_cmd.empty() || !eject_cmd.empty(); }
    [[nodiscard]] bool has_quirk(std::string_view quirk) const;
    [[nodiscard]] int quirk_value(std::string_view quirk, int fallback) const;
    /// Number for ESC t that selects `code_page`, if the model has it.
    [[nodiscard]] std::optional<int> code_page_number(std::string_view code_page) const;
    /// Code page name selected by ESC t `number` on this model, if known.
    [[nodiscard]] std::optional<std::string> code_page_name(int number) const;
};

/// All profiles of one profiles file.
class ProfileCatalog {
public:
    /// Parses the profiles text format (see assets/printer/profiles.txt); `origin` names the
    /// source in error messages ("profiles.txt:12: ...").
    static Result<ProfileCatalog> parse(std::string_view text, std::string_view origin);

    [[nodiscard]] const std::vector<Profile>& profiles() const { return profiles_; }
    /// The profile with this id, or an Error listing the closest names.
    [[nodiscard]] Result<Profile> find(std::string_view id) const;
    /// The first profile listing this USB id, if any.
    [[nodiscard]] const Profile* match_usb(UsbId id) const;
    [[nodiscard]] std::vector<std::string> ids() const;

private:
    std::vector<Profile> profiles_;
};

/// The catalog built into the program (a copy of assets/printer/profiles.txt at build time).
const ProfileCatalog& builtin_profiles();
/// Reads and parses a profiles file (e.g. <assets>/printer/profiles.txt).
Result<ProfileCatalog> load_profile_catalog(const std::filesystem::path& file);
/// find in builtin_profiles(): "epson-tm-t20iii", "epson-tm-t88vi", "custom-vkp80iii",
/// "generic-80", "generic-58". Unknown name: Error listing the closest names.
Result<Profile> find_profile(std::string_view name);

}  // namespace csc::printer
