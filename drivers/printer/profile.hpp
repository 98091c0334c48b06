// profile.hpp — what a printer model can do, as data (assets/printer/profiles.toml).
//
// Contents: UsbId, CodePageChoice, Quirk, Profile, ProfileCatalog, installed_profiles_file(),
//           load_profile_catalog(), use_profile_catalog(), active_profiles(), find_profile().
// Contract: profiles and quirks are read at run time from TOML files (the installed one, then
// the site's), never built into the program or hard-coded in the encoder; printing and
// `kiosk printer list` use the same catalog. Every file error says FILE:LINE:COL: problem; an
// unknown profile name is an Error that lists the closest known names.
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
    std::string source;  ///< where it was defined: "profiles.toml:27"

    [[nodiscard]] bool has_presenter() const { return !present_cmd.empty() || !eject_cmd.empty(); }
    [[nodiscard]] bool has_quirk(std::string_view quirk) const;
    [[nodiscard]] int quirk_value(std::string_view quirk, int fallback) const;
    /// Number for ESC t that selects `code_page`, if the model has it.
    [[nodiscard]] std::optional<int> code_page_number(std::string_view code_page) const;
    /// Code page name selected by ESC t `number` on this model, if known.
    [[nodiscard]] std::optional<std::string> code_page_name(int number) const;
};

/// The profiles of one or more profiles files.
class ProfileCatalog {
public:
    /// Parses one profiles file (TOML, see assets/printer/profiles.toml); `origin` names it in
    /// errors ("profiles.toml:12:3: ...").
    static Result<ProfileCatalog> parse(std::string_view text, std::string_view origin);
    /// Adds the profiles and quirks of one more file: a profile whose id is already known
    /// replaces it (a site's own definition wins), its quirks may name any profile known so far.
    /// On error the catalog is unchanged.
    Result<void> add(std::string_view text, std::string_view origin);

    [[nodiscard]] const std::vector<Profile>& profiles() const { return profiles_; }
    /// The profile with this id, or an Error listing the closest names.
    [[nodiscard]] Result<Profile> find(std::string_view id) const;
    /// The first profile listing this USB id, if any.
    [[nodiscard]] const Profile* match_usb(UsbId id) const;
    [[nodiscard]] std::vector<std::string> ids() const;
    /// The files read, in order (installed first).
    [[nodiscard]] const std::vector<std::string>& files() const { return files_; }

private:
    std::vector<Profile> profiles_;
    std::vector<std::string> files_;
};

/// <assets>/printer/profiles.toml: the profiles installed with the program.
[[nodiscard]] std::filesystem::path installed_profiles_file(const std::filesystem::path& assets);
/// Reads and parses `files` in order (the installed file, then the site's, if any).
[[nodiscard]] Result<ProfileCatalog> load_profile_catalog(const std::vector<std::filesystem::path>& files);
/// Makes `catalog` the one find_profile() and the transports use (the program calls it once at
/// start-up, after reading the site configuration). Catalogs set earlier stay valid.
void use_profile_catalog(ProfileCatalog catalog);
/// The catalog in use. Until use_profile_catalog() is called: the installed file of the
/// default assets ($CSC_ASSETS, else the source tree's, else /usr/share/csc-kiosk), read on
/// first use; if it cannot be read, an empty catalog (find_profile() then says why).
[[nodiscard]] const ProfileCatalog& active_profiles();
/// find in active_profiles(): "epson-tm-t20iii", "epson-tm-t88vi", "custom-vkp80iii",
/// "generic-80", "generic-58", and whatever the site added. Unknown name: Error listing the
/// closest names.
[[nodiscard]] Result<Profile> find_profile(std::string_view name);

}  // namespace csc::printer
