// font_plan.hpp — which characters the screens can draw, and which font draws each one.
// The font atlas holds only the characters the loaded catalogues and the site configuration
// use (plus a base set), each taken from the first text font of the chain that has it, so
// a Cyrillic, Greek or Chinese catalogue works by adding the catalogue (and, for a script
// DejaVu lacks, a font package to the chain), and the atlas stays small without one.
//
// Contents: NeededCharacters, TextFace, text_faces(), FacePlan, FontPlan, needed_characters(),
//           plan_fonts(), describe_missing().
// Contract: pure apart from reading font files (FreeType, no GL, no ImGui context); a
// character no face has is listed in FontPlan::missing with where it was first seen, never
// dropped silently. ImGui 1.86 in Debian keeps 16-bit characters: one above U+FFFF is missing.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/config.hpp"
#include "shared/i18n.hpp"

namespace csc::gui {

/// The characters the screens may draw, each with the first place it was seen.
class NeededCharacters {
public:
    /// Adds every character of `logical` as drawn (right-to-left text shaped: its joined forms;
    /// invalid bytes are skipped); `origin` names its source,
    /// e.g. `catalogue zh.toml "home.title"` or `office.toml sector "anagrafe" name.zh`.
    void add_text(std::string_view logical, const std::string& origin);
    /// Adds the characters first..last (inclusive) under one origin.
    void add_range(char32_t first, char32_t last, const std::string& origin);
    /// Character → where it was first seen, in code point order.
    [[nodiscard]] const std::map<char32_t, std::string>& chars() const { return chars_; }

private:
    std::map<char32_t, std::string> chars_;
};

/// The base set (ASCII, Latin-1 for names and reasons typed by staff, common punctuation,
/// U+FFFD as the visible fallback), every text of every loaded catalogue, and every text of
/// the site configuration a screen shows (office, town, sectors, services, counters,
/// priority classes, ticker). With `whole` not empty, only those languages' texts, and of
/// every other catalogue its own name (for the language buttons): a first atlas.
[[nodiscard]] NeededCharacters needed_characters(const Translator& translator, const SiteConfig& config,
                                                 std::span<const std::string> whole = {});

/// One text font of the chain (Debian package paths).
struct TextFace {
    std::string_view package;  ///< the Debian package that installs it (for messages and docs)
    std::string_view regular;  ///< regular face file
    std::string_view bold;     ///< bold face file; "" = the regular one, emboldened by FreeType
    int face_index = 0;        ///< face in a .ttc collection
    bool required = false;     ///< the program does not start without it
};

/// The text font chain, in order of preference: DejaVu (Latin, Greek, Cyrillic, …), then
/// WenQuanYi Micro Hei (CJK). Adding a script's font = one line here (font_plan.cpp).
[[nodiscard]] std::span<const TextFace> text_faces();

/// What one face contributes to one style (regular or bold).
struct FacePlan {
    const TextFace* face = nullptr;
    std::string file;                ///< the file to load for this style
    bool embolden = false;           ///< bold style drawn from a regular file
    std::vector<char32_t> chars;     ///< the characters taken from this face, ascending
};

/// Where every needed character comes from, per style.
struct FontPlan {
    std::vector<FacePlan> regular;   ///< faces with at least one character, chain order
    std::vector<FacePlan> bold;
    /// Characters no face has (in either style), with where they were first seen.
    std::map<char32_t, std::string> missing;
};

/// Assigns each needed character to the first face of `faces` that has it (FreeType's cmap),
/// separately for the regular and the bold style. An Error names a required face's missing
/// file and its package.
[[nodiscard]] Result<FontPlan> plan_fonts(const NeededCharacters& needed, std::span<const TextFace> faces);

/// One log line for a missing character: `U+0915 "क" (catalogue hi.toml "home.title")`.
[[nodiscard]] std::string describe_missing(char32_t c, const std::string& origin);

}  // namespace csc::gui
