#include "drivers/printer/escpos_encoder.hpp"

#include <qrencode.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "drivers/printer/codepage.hpp"
#include "drivers/printer/mono_image.hpp"

namespace csc::printer {
namespace {

using Bytes = std::vector<std::uint8_t>;
using namespace escpos;

std::uint8_t align_number(Align a) { return a == Align::Left ? 0 : a == Align::Center ? 1 : 2; }

// Characters that must never reach the printer: C0/C1 controls, DEL, and invisible format
// characters (zero-width, bidi overrides) that would only confuse the layout.
bool is_dropped_control(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c < 0xA0) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

// Tracks the printer's mode so each command is emitted only when something changes.
class Writer {
public:
    Writer(const Profile& p, std::vector<std::string>* warnings) : p_(p), warnings_(warnings) {
        for (const auto& c : p_.code_pages) pages_.push_back(find_code_page(c.name));
        put({ESC, '@'});
        select_page(0);
    }

    Bytes take() { return std::move(out_); }
    void warn(std::string w) {
        if (warnings_) warnings_->push_back(std::move(w));
    }
    void put(std::initializer_list<std::uint8_t> b) { out_.insert(out_.end(), b); }
    void put(const Bytes& b) { out_.insert(out_.end(), b.begin(), b.end()); }
    [[nodiscard]] std::size_t size() const { return out_.size(); }

    void align(Align a) {
        if (a != align_) put({ESC, 'a', align_number(a)}), align_ = a;
    }
    void style(const TextStyle& s) {
        align(s.align);
        int w = std::clamp(s.width, 1, 8), h = std::clamp(s.height, 1, 8);
        auto size = static_cast<std::uint8_t>(((w - 1) << 4) | (h - 1));
        if (size != size_) put({GS, '!', size}), size_ = size;
        if (s.bold != bold_) put({ESC, 'E', std::uint8_t(s.bold)}), bold_ = s.bold;
        if (s.underline != underline_) put({ESC, '-', std::uint8_t(s.underline)}), underline_ = s.underline;
        if (s.reverse != reverse_) put({GS, 'B', std::uint8_t(s.reverse)}), reverse_ = s.reverse;
    }
    // Back to plain size 1 text so barcodes' human-readable line and later text are normal.
    void plain() { style(TextStyle{1, 1, false, false, false, align_}); }

    // One character as code page bytes, switching code page (ESC t) if the current one lacks it.
    void character(char32_t c) {
        if (auto b = pages_[page_]->encode(c)) return out_.push_back(*b);
        // Typographic quotes, dashes and spaces: the ASCII look-alike beats a code page switch.
        if (char32_t alt = fallback_char(c); alt != 0 && alt < 0x80 && !std::isalnum(static_cast<int>(alt)))
            return out_.push_back(static_cast<std::uint8_t>(alt));
        for (std::size_t i = 0; i < pages_.size(); ++i) {
            if (auto b = pages_[i]->encode(c)) {
                select_page(i);
                return out_.push_back(*b);
            }
        }
        if (char32_t alt = fallback_char(c); alt != 0) return character(alt);
        if (c == 0x20AC) {  // no code page with the euro on this printer
            for (char a : {'E', 'U', 'R'}) out_.push_back(static_cast<std::uint8_t>(a));
            return;
        }
        out_.push_back('?');
    }

    void raster(const MonoImage& img, Align a) {
        if (img.width <= 0 || img.height <= 0) return;
        align(a);
        int bytes_per_row = (img.width + 7) / 8;
        int band = p_.quirk_value("raster-band-rows", 1024);
        band = std::clamp(band, 1, 4095);
        for (int y0 = 0; y0 < img.height; y0 += band) {
            int rows = std::min(band, img.height - y0);
            put({GS, 'v', '0', 0, std::uint8_t(bytes_per_row & 0xFF), std::uint8_t(bytes_per_row >> 8),
                 std::uint8_t(rows & 0xFF), std::uint8_t(rows >> 8)});
            for (int y = y0; y < y0 + rows; ++y) {
                for (int bx = 0; bx < bytes_per_row; ++bx) {
                    std::uint8_t v = 0;
                    for (int bit = 0; bit < 8; ++bit) {
                        int x = bx * 8 + bit;
                        if (x < img.width && img.at(x, y)) v |= std::uint8_t(0x80 >> bit);
                    }
                    out_.push_back(v);
                }
            }
        }
    }

private:
    void select_page(std::size_t i) {
        page_ = i;
        put({ESC, 't', std::uint8_t(p_.code_pages[i].escpos_number)});
    }

    const Profile& p_;
    std::vector<std::string>* warnings_;
    std::vector<const CodePage*> pages_;
    std::size_t page_ = 0;
    Bytes out_;
    Align align_ = Align::Left;  // the state ESC @ leaves
    std::uint8_t size_ = 0;
    bool bold_ = false, underline_ = false, reverse_ = false;
};

// Splits sanitized text into printable lines of at most `cols` characters, at spaces when
// possible.
std::vector<std::u32string> wrap(const std::u32string& text, std::size_t cols) {
    std::vector<std::u32string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find(U'\n', start);
        std::u32string para = text.substr(start, nl == std::u32string::npos ? std::u32string::npos : nl - start);
        while (para.size() > cols) {
            std::size_t cut = para.rfind(U' ', cols);
            std::size_t next = cut;
            if (cut == std::u32string::npos || cut == 0) cut = next = cols;  // one long word
            else next = cut + 1;
            lines.push_back(para.substr(0, cut));
            para.erase(0, next);
        }
        lines.push_back(para);
        if (nl == std::u32string::npos) break;
        start = nl + 1;
    }
    return lines;
}

std::u32string sanitize(std::string_view utf8, bool& dropped) {
    std::u32string in = decode_utf8(utf8), out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char32_t c = in[i];
        if (c == U'\r' && i + 1 < in.size() && in[i + 1] == U'\n') continue;
        if (c == U'\n' || c == U'\r') { out.push_back(U'\n'); continue; }
        if (c == U'\t') { out.push_back(U' '); continue; }
        if (is_dropped_control(c)) { dropped = true; continue; }
        if (c == 0xFFFD) c = U'?';
        out.push_back(c);
    }
    return out;
}

struct QrDeleter {
    void operator()(QRcode* q) const { QRcode_free(q); }
};
using QrPtr = std::unique_ptr<QRcode, QrDeleter>;

QrPtr qr_symbol(const std::string& data) {
    return QrPtr(QRcode_encodeData(static_cast<int>(data.size()), reinterpret_cast<const unsigned char*>(data.data()),
                                   0, QR_ECLEVEL_M));
}

void encode_text(Writer& w, const Profile& p, const TextElement& t) {
    bool dropped = false;
    std::u32string clean = sanitize(t.utf8, dropped);
    if (dropped) w.warn("control characters removed from text \"" + std::string(t.utf8.substr(0, 40)) + "\"");
    TextStyle s = t.style;
    s.width = std::clamp(s.width, 1, 8);
    s.height = std::clamp(s.height, 1, 8);
    std::size_t cols = std::max(1, p.columns / s.width);
    w.style(s);
    for (const auto& line : wrap(clean, cols)) {
        for (char32_t c : line) w.character(c);
        w.put({LF});
    }
}

void encode_qr(Writer& w, const Profile& p, const QrElement& q, const EncodeLimits& limits) {
    if (q.data.empty()) return w.warn("empty QR code skipped");
    if (q.data.size() > limits.max_qr_bytes)
        return w.warn("QR code skipped: " + std::to_string(q.data.size()) + " bytes, limit " +
                      std::to_string(limits.max_qr_bytes));
    QrPtr sym = qr_symbol(q.data);
    if (!sym) return w.warn("QR code skipped: data cannot be encoded");
    const int quiet = 4;  // modules of white border the QR standard asks for
    int module = std::clamp(q.module_dots, 1, 16);
    while (module > 1 && (sym->width + 2 * quiet) * module > p.dots_per_line) --module;
    if ((sym->width + 2 * quiet) * module > p.dots_per_line) return w.warn("QR code skipped: wider than the paper");
    w.plain();
    if (p.native_qr) {
        w.align(q.align);
        std::size_t len = q.data.size() + 3;
        w.put({GS, '(', 'k', 4, 0, '1', 'A', '2', 0});                         // model 2
        w.put({GS, '(', 'k', 3, 0, '1', 'C', std::uint8_t(module)});           // module size
        w.put({GS, '(', 'k', 3, 0, '1', 'E', '1'});                            // error correction M
        w.put({GS, '(', 'k', std::uint8_t(len & 0xFF), std::uint8_t(len >> 8), '1', 'P', '0'});  // store
        w.put(Bytes(q.data.begin(), q.data.end()));  // length-prefixed data: never parsed as commands
        w.put({GS, '(', 'k', 3, 0, '1', 'Q', '0'});                            // print
        w.put({LF});
        return;
    }
    // Raster fallback: the same symbol drawn as a bit image.
    int side = (sym->width + 2 * quiet) * module;
    MonoImage img{side, side, std::vector<std::uint8_t>(std::size_t(side) * side)};
    for (int my = 0; my < sym->width; ++my)
        for (int mx = 0; mx < sym->width; ++mx)
            if (sym->data[my * sym->width + mx] & 1)
                for (int dy = 0; dy < module; ++dy)
                    for (int dx = 0; dx < module; ++dx)
                        img.dots[std::size_t((my + quiet) * module + dy) * side + (mx + quiet) * module + dx] = 1;
    w.raster(img, q.align);
}

void encode_barcode(Writer& w, const Profile& p, const Barcode128Element& b) {
    if (b.data.empty()) return w.warn("empty barcode skipped");
    for (char c : b.data)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E)
            return w.warn("barcode \"" + b.data.substr(0, 40) + "\" skipped: Code128 takes printable ASCII only");
    bool digits = b.data.size() >= 4 && b.data.size() % 2 == 0 &&
                  std::all_of(b.data.begin(), b.data.end(), [](char c) { return c >= '0' && c <= '9'; });
    Bytes payload;
    std::size_t symbols = 0;
    if (digits) {  // code set C packs two digits per symbol
        payload = {'{', 'C'};
        for (std::size_t i = 0; i < b.data.size(); i += 2)
            payload.push_back(std::uint8_t((b.data[i] - '0') * 10 + (b.data[i + 1] - '0')));
        symbols = b.data.size() / 2;
    } else {
        payload = {'{', 'B'};
        for (char c : b.data) {
            payload.push_back(static_cast<std::uint8_t>(c));
            if (c == '{') payload.push_back('{');  // "{{" is a literal brace in GS k 73
        }
        symbols = b.data.size();
    }
    if (payload.size() > 255) return w.warn("barcode skipped: too long");
    int module = 2;
    auto width_dots = [&](int m) { return int((symbols + 3) * 11 + 2 + 20) * m; };  // + quiet zones
    if (width_dots(module) > p.dots_per_line) module = 1;
    if (width_dots(module) > p.dots_per_line) return w.warn("barcode skipped: wider than the paper");
    w.plain();
    w.align(b.align);
    w.put({GS, 'h', std::uint8_t(std::clamp(b.height_dots, 1, 255))});
    w.put({GS, 'w', std::uint8_t(module)});
    w.put({GS, 'H', 2});  // human-readable text below
    w.put({GS, 'f', 0});
    w.put({GS, 'k', 73, std::uint8_t(payload.size())});
    w.put(payload);
    w.put({LF});
}

void encode_logo(Writer& w, const Profile& p, const LogoElement& l) {
    int max_w = l.max_width_dots > 0 ? std::min(l.max_width_dots, p.dots_per_line) : p.dots_per_line;
    if (l.image) {
        if (l.image->width > p.dots_per_line || l.image->dots.size() != std::size_t(l.image->width) * l.image->height)
            return w.warn("logo skipped: pre-loaded image does not fit the paper");
        return w.raster(*l.image, l.align);
    }
    auto img = load_logo(l.png, max_w);
    if (!img) return w.warn(img.error().message + "; ticket printed without it");
    w.raster(*img, l.align);
}

}  // namespace

EscposEncoder::EscposEncoder(const Profile& profile, EncodeLimits limits) : profile_(profile), limits_(limits) {
    if (profile_.code_pages.empty()) profile_.code_pages.push_back({"cp437", 0});
    // A profile naming a code page we have no table for falls back to cp437 for that slot.
    for (auto& c : profile_.code_pages)
        if (find_code_page(c.name) == nullptr) c.name = "cp437";
}

std::vector<std::uint8_t> EscposEncoder::presenter_command(PresenterAction action) const {
    switch (action) {
        case PresenterAction::Present: return profile_.present_cmd;
        case PresenterAction::Eject: return profile_.eject_cmd;
        case PresenterAction::Retract: return profile_.retract_cmd;
    }
    return {};
}

bool prints_as_text(const Profile& profile, std::string_view utf8) {
    std::vector<const CodePage*> pages;
    for (const auto& c : profile.code_pages)
        if (const CodePage* page = find_code_page(c.name)) pages.push_back(page);
    const auto in_a_page = [&](char32_t c) {
        return c < 0x80 || std::any_of(pages.begin(), pages.end(), [c](const CodePage* p) { return p->encode(c).has_value(); });
    };
    for (char32_t c : decode_utf8(utf8)) {
        // The euro prints "EUR" at worst; a malformed byte (U+FFFD) prints "?" either way.
        if (c < 0x20 || is_dropped_control(c) || c == 0x20AC || c == 0xFFFD || in_a_page(c)) continue;
        if (const char32_t alt = fallback_char(c); alt != 0 && in_a_page(alt)) continue;
        return false;
    }
    return true;
}

Result<std::vector<std::uint8_t>> EscposEncoder::encode(const Receipt& receipt, std::vector<std::string>* warnings) const {
    Writer w(profile_, warnings);
    const Profile& p = profile_;
    bool cut_since_print = true;
    for (const auto& element : receipt.elements()) {
        if (w.size() > limits_.max_job_bytes) break;
        std::visit(
            [&](const auto& e) {
                using T = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<T, TextElement>) {
                    encode_text(w, p, e);
                    cut_since_print = false;
                } else if constexpr (std::is_same_v<T, QrElement>) {
                    encode_qr(w, p, e, limits_);
                    cut_since_print = false;
                } else if constexpr (std::is_same_v<T, Barcode128Element>) {
                    encode_barcode(w, p, e);
                    cut_since_print = false;
                } else if constexpr (std::is_same_v<T, LogoElement>) {
                    encode_logo(w, p, e);
                    cut_since_print = false;
                } else if constexpr (std::is_same_v<T, RuleElement>) {
                    int t = std::clamp(e.thickness_dots, 1, 16);
                    MonoImage line{p.dots_per_line, t, std::vector<std::uint8_t>(std::size_t(p.dots_per_line) * t, 1)};
                    w.raster(line, Align::Left);
                    cut_since_print = false;
                } else if constexpr (std::is_same_v<T, FeedElement>) {
                    if (e.lines > 0) w.put({ESC, 'd', std::uint8_t(std::min(e.lines, 255))});
                } else if constexpr (std::is_same_v<T, CutElement>) {
                    bool partial = e.partial && p.partial_cut;
                    if (!p.cutter) {
                        w.put({ESC, 'd', 4});  // tear-off: bring the last line past the tear bar
                    } else if (p.has_quirk("cut-simple")) {
                        w.put({ESC, 'd', 5});
                        w.put({GS, 'V', std::uint8_t(partial ? 1 : 0)});
                    } else {
                        w.put({GS, 'V', std::uint8_t(partial ? 66 : 65), 0});  // feed to the cutter, cut
                    }
                    cut_since_print = true;
                } else if constexpr (std::is_same_v<T, PresenterElement>) {
                    Bytes cmd = presenter_command(e.action);
                    if (cmd.empty()) {
                        w.warn("printer " + p.id + " has no presenter: present/eject/retract ignored");
                        return;
                    }
                    if (e.action != PresenterAction::Retract && p.has_quirk("present-needs-cut") && !cut_since_print) {
                        w.put({GS, 'V', 65, 0});
                        cut_since_print = true;
                    }
                    w.put(cmd);
                }
            },
            element);
    }
    if (w.size() > limits_.max_job_bytes)
        return fail("print job too large (over " + std::to_string(limits_.max_job_bytes) + " bytes)");
    return w.take();
}

}  // namespace csc::printer
