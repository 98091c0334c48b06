#include "kiosk/gui/font_plan.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iterator>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "kiosk/gui/icon_font.hpp"
#include "shared/text_bidi.hpp"

namespace csc::gui {

namespace {

// Latin first: DejaVu Sans also covers Greek, Cyrillic, Armenian, Georgian and Hebrew, and
// fonts-dejavu-core is already needed for the printer's emulated paper. WenQuanYi Micro Hei
// (5 MB, Apache-2.0 or GPL-3+ with the font exception) for Chinese, Japanese kana and Korean
// hangul; fonts-noto-cjk would be 91 MB installed for the same purpose (docs/GUI.md, "Fonts").
constexpr TextFace kFaces[] = {
    {"fonts-dejavu-core", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0, true},
    {"fonts-wqy-microhei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "", 0, false},
};

// Decodes one UTF-8 sequence at s[i]; returns 0 and skips one byte when it is invalid.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
        ++i;
        return 0;
    }
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len; ++k) {
        const auto cb = static_cast<unsigned char>(s[i + k]);
        if ((cb & 0xC0) != 0x80) {
            ++i;
            return 0;
        }
        c = (c << 6) | (cb & 0x3F);
    }
    i += len;
    return c;
}

// Every language when `whole` is empty, else only those in it.
bool wanted(std::span<const std::string> whole, const std::string& lang) {
    return whole.empty() || std::find(whole.begin(), whole.end(), lang) != whole.end();
}

void add_localized(NeededCharacters& out, const LocalizedText& text, const std::string& where,
                   std::span<const std::string> whole) {
    for (const auto& [lang, value] : text.by_lang)
        if (wanted(whole, lang)) out.add_text(value, where + "." + lang);
}

struct FreeTypeLibrary {
    FT_Library lib = nullptr;
    FreeTypeLibrary() { FT_Init_FreeType(&lib); }
    ~FreeTypeLibrary() {
        if (lib) FT_Done_FreeType(lib);
    }
};

// The characters of `wanted` that the face in `file` has (its cmap maps them to a glyph).
Result<std::vector<char32_t>> covered(FT_Library lib, const std::string& file, int index,
                                      const std::vector<char32_t>& wanted) {
    FT_Face face = nullptr;
    if (FT_New_Face(lib, file.c_str(), index, &face) != 0) return fail("cannot read the font " + file);
    std::vector<char32_t> out;
    for (char32_t c : wanted)
        if (FT_Get_Char_Index(face, c) != 0) out.push_back(c);
    FT_Done_Face(face);
    return out;
}

}  // namespace

void NeededCharacters::add_text(std::string_view logical, const std::string& origin) {
    // Right-to-left text is drawn shaped (shared/text_bidi.hpp): its joined forms are needed.
    const std::string drawn = csc::visual_text(logical);
    const std::string_view utf8 = drawn;
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t c = next_code_point(utf8, i);
        if (c >= 0x20 && c != 0x7F) chars_.emplace(c, origin);  // emplace: the first origin stays
    }
}

void NeededCharacters::add_range(char32_t first, char32_t last, const std::string& origin) {
    for (char32_t c = first; c <= last; ++c) chars_.emplace(c, origin);
}

NeededCharacters needed_characters(const Translator& translator, const SiteConfig& config,
                                   std::span<const std::string> whole) {
    NeededCharacters out;
    // Names of staff and pause reasons typed at the CLI are not known at start: an Italian
    // office's are Latin-1. U+FFFD is what ImGui draws for a character not in the atlas.
    out.add_range(0x20, 0x7E, "the base set (ASCII)");
    out.add_range(0xA0, 0xFF, "the base set (Latin-1)");
    for (char32_t c : {0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2022, 0x2026, 0x20AC, 0xFFFD})
        out.add_range(c, c, "the base set (punctuation)");
    for (const Catalog& catalog : translator.catalogs()) {
        if (!wanted(whole, catalog.lang)) {  // its name on the language buttons only
            out.add_text(catalog.language_name, "catalogue " + catalog.lang + ".toml \"language.name\"");
            continue;
        }
        for (const auto& [key, text] : catalog.texts) out.add_text(text, "catalogue " + catalog.lang + ".toml \"" + key + "\"");
    }
    const std::string file = config.source.empty() ? std::string("the configuration") : config.source.filename().string();
    out.add_text(config.office_name, file + " office.name");
    out.add_text(config.town, file + " office.town");
    for (const Sector& s : config.sectors) {
        add_localized(out, s.name, file + " sector \"" + s.id + "\" name", whole);
        out.add_text(s.letter, file + " sector \"" + s.id + "\" letter");
        for (const Service& v : s.services)
            add_localized(out, v.name, file + " sector \"" + s.id + "\" service \"" + v.id + "\" name", whole);
    }
    for (const CounterConfig& c : config.counters)
        add_localized(out, c.name, file + " counter " + std::to_string(c.number) + " name", whole);
    for (const PriorityClass& p : config.priorities) add_localized(out, p.name, file + " priority \"" + p.id + "\" name", whole);
    add_localized(out, config.display.ticker, file + " display.ticker", whole);
    return out;
}

std::span<const TextFace> text_faces() { return kFaces; }

Result<FontPlan> plan_fonts(const NeededCharacters& needed, std::span<const TextFace> faces) {
    FontPlan plan;
    std::vector<char32_t> all;
    for (const auto& [c, origin] : needed.chars()) {
        if (c > 0xFFFF) plan.missing.emplace(c, origin);  // ImWchar is 16-bit in Debian's build
        else all.push_back(c);
    }
    FreeTypeLibrary ft;
    if (!ft.lib) return fail("cannot start FreeType");
    for (const bool bold : {false, true}) {
        std::vector<char32_t> left = all;
        auto& style = bold ? plan.bold : plan.regular;
        for (const TextFace& face : faces) {
            if (left.empty()) break;
            FacePlan fp;
            fp.face = &face;
            fp.file = std::string(bold && !face.bold.empty() ? face.bold : face.regular);
            fp.embolden = bold && face.bold.empty();
            if (!std::filesystem::exists(fp.file)) {
                if (face.required)
                    return fail("font not found: " + fp.file + " (install the Debian package " + std::string(face.package) + ")");
                continue;  // an optional script's font: its characters are reported missing
            }
            auto has = covered(ft.lib, fp.file, face.face_index, left);
            if (!has) return has.error();
            if (has->empty()) continue;
            fp.chars = std::move(*has);
            std::vector<char32_t> rest;
            std::set_difference(left.begin(), left.end(), fp.chars.begin(), fp.chars.end(), std::back_inserter(rest));
            left.swap(rest);
            style.push_back(std::move(fp));
        }
        for (char32_t c : left) plan.missing.emplace(c, needed.chars().at(c));
    }
    return plan;
}

std::string describe_missing(char32_t c, const std::string& origin) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    return std::string(code) + " \"" + utf8_of(c) + "\" (" + origin + ")";
}

}  // namespace csc::gui
