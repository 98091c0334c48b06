#include "drivers/printer/emulated_printer.hpp"

#include <qrencode.h>

#include <algorithm>
#include <cstdio>

#include "drivers/printer/codepage.hpp"
#include "drivers/printer/mono_image.hpp"
#include "drivers/printer/stb_private.hpp"

namespace csc::printer {
namespace {

constexpr int kCellW = 12, kCellH = 24;   // ESC/POS font A
constexpr int kLineSpacing = 30;          // default line spacing after ESC @, in dots
constexpr int kQuietModules = 4;

struct Fonts {
    detail::Font* regular = nullptr;
    detail::Font* bold = nullptr;
};

// Printer font A is monospaced, so DejaVu Sans Mono matches the layout; DejaVu Sans is the
// fallback if the mono face is not installed.
const Fonts& fonts() {
    static const Fonts f = [] {
        const std::string dir = "/usr/share/fonts/truetype/dejavu/";
        Fonts out;
        out.regular = detail::font_load(dir + "DejaVuSansMono.ttf");
        if (!out.regular) out.regular = detail::font_load(dir + "DejaVuSans.ttf");
        out.bold = detail::font_load(dir + "DejaVuSansMono-Bold.ttf");
        if (!out.bold) out.bold = detail::font_load(dir + "DejaVuSans-Bold.ttf");
        if (!out.bold) out.bold = out.regular;
        return out;
    }();
    return f;
}

std::string hex(std::span<const std::uint8_t> b) {
    std::string s;
    char buf[4];
    for (auto v : b) {
        std::snprintf(buf, sizeof buf, "%02x", v);
        s += (s.empty() ? "" : " ") + std::string(buf);
    }
    return s;
}

bool starts_with(std::span<const std::uint8_t> b, const std::vector<std::uint8_t>& cmd, bool& incomplete) {
    if (cmd.empty()) return false;
    std::size_t n = std::min(b.size(), cmd.size());
    if (!std::equal(cmd.begin(), cmd.begin() + n, b.begin())) return false;
    if (n < cmd.size()) {
        incomplete = true;
        return false;
    }
    return true;
}

}  // namespace

EmulatedPrinter::EmulatedPrinter(const Profile& profile) : profile_(profile), width_(profile.dots_per_line) {
    code_page_ = profile_.code_page_name(0);
}

std::uint8_t EmulatedPrinter::pixel(int x, int y) const {
    if (x < 0 || y < 0 || x >= width_ || y >= paper_height()) return 255;
    return paper_[std::size_t(y) * width_ + x];
}

void EmulatedPrinter::clear_paper() {
    paper_.clear();
    cut_rows_.clear();
    lines_.clear();
    qr_codes_.clear();
    barcodes_.clear();
    unknown_.clear();
    images_.clear();
    presenter_.clear();
    cuts_ = partial_cuts_ = 0;
}

std::vector<std::string> EmulatedPrinter::text_lines() const {
    std::vector<std::string> out;
    for (const auto& l : lines_) out.push_back(l.utf8);
    return out;
}

void EmulatedPrinter::feed(std::span<const std::uint8_t> bytes) {
    pending_.insert(pending_.end(), bytes.begin(), bytes.end());
    std::size_t pos = 0;
    while (pos < pending_.size()) {
        std::size_t n = interpret(std::span(pending_).subspan(pos));
        if (n == 0) break;
        pos += n;
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(pos));
}

void EmulatedPrinter::advance(int rows) {
    if (rows > 0) paper_.resize(paper_.size() + std::size_t(rows) * width_, 255);
}

std::size_t EmulatedPrinter::interpret(std::span<const std::uint8_t> b) {
    // Model-specific sequences from the profile first (presenter, buffer recovery).
    bool incomplete = false;
    const std::pair<const std::vector<std::uint8_t>*, int> specials[] = {
        {&profile_.present_cmd, 0}, {&profile_.eject_cmd, 1}, {&profile_.retract_cmd, 2}, {&profile_.recover_cmd, 3}};
    for (auto [cmd, kind] : specials) {
        if (starts_with(b, *cmd, incomplete)) {
            if (kind < 3) {
                flush_line(false);
                presenter_.push_back(static_cast<PresenterAction>(kind));
            }
            return cmd->size();
        }
    }
    if (incomplete) return 0;

    const std::uint8_t c = b[0];
    auto need = [&](std::size_t n) { return b.size() >= n; };
    if (c == 0x0A) {
        flush_line(true);
        return 1;
    }
    if (c == 0x0D) return 1;
    if (c == 0x1B) {
        if (!need(2)) return 0;
        switch (b[1]) {
            case '@':
                mode_ = {};
                code_page_number_ = 0;
                code_page_ = profile_.code_page_name(0);
                line_.clear();
                line_width_ = 0;
                return 2;
            case 't': case 'E': case '-': case 'a': case 'd': case '!': case 'G': case '2': case '3': {
                if (b[1] == '2') return 2;
                if (!need(3)) return 0;
                std::uint8_t n = b[2];
                switch (b[1]) {
                    case 't':
                        code_page_number_ = n;
                        code_page_ = profile_.code_page_name(n);
                        if (!code_page_) unknown_.push_back("ESC t " + std::to_string(n) + " (not a code page of " + profile_.id + ")");
                        break;
                    case 'E': case 'G': mode_.bold = n & 1; break;
                    case '-': mode_.underline = n & 3; break;
                    case 'a': mode_.align = (n % 48) == 1 ? Align::Center : (n % 48) == 2 ? Align::Right : Align::Left; break;
                    case 'd':
                        flush_line(false);
                        advance(n * kLineSpacing);
                        break;
                    case '!':
                        mode_.bold = n & 0x08;
                        mode_.height = (n & 0x10) ? 2 : 1;
                        mode_.width = (n & 0x20) ? 2 : 1;
                        mode_.underline = n & 0x80;
                        break;
                    default: break;
                }
                return 3;
            }
            default:
                unknown_.push_back("ESC " + hex(b.subspan(1, 1)));
                return 2;
        }
    }
    if (c == 0x1D) {
        if (!need(2)) return 0;
        switch (b[1]) {
            case '!':
                if (!need(3)) return 0;
                mode_.width = ((b[2] >> 4) & 7) + 1;
                mode_.height = (b[2] & 7) + 1;
                return 3;
            case 'B':
                if (!need(3)) return 0;
                mode_.reverse = b[2] & 1;
                return 3;
            case 'h': case 'w': case 'H': case 'f':
                if (!need(3)) return 0;
                if (b[1] == 'h') barcode_height_ = std::max<int>(1, b[2]);
                if (b[1] == 'w') barcode_module_ = std::clamp<int>(b[2], 1, 6);
                return 3;
            case 'V': {
                if (!need(3)) return 0;
                std::uint8_t m = b[2];
                std::size_t len = (m == 65 || m == 66) ? 4 : 3;
                if (!need(len)) return 0;
                flush_line(false);
                if (len == 4) advance(b[3]);
                bool partial = m == 1 || m == 49 || m == 66;
                ++cuts_;
                if (partial) ++partial_cuts_;
                cut_rows_.push_back(paper_height());
                advance(kLineSpacing);  // top margin of the next ticket
                return len;
            }
            case 'k': {
                if (!need(3)) return 0;
                std::uint8_t m = b[2];
                if (m < 65) {  // NUL-terminated forms: not written by our encoder
                    auto nul = std::find(b.begin() + 3, b.end(), 0);
                    if (nul == b.end()) return 0;
                    unknown_.push_back("GS k " + std::to_string(m));
                    return static_cast<std::size_t>(nul - b.begin()) + 1;
                }
                if (!need(4) || !need(4 + std::size_t(b[3]))) return 0;
                auto payload = b.subspan(4, b[3]);
                std::string text;
                if (m == 73 && payload.size() >= 2 && payload[0] == '{') {
                    bool set_c = payload[1] == 'C';
                    for (std::size_t i = 2; i < payload.size(); ++i) {
                        if (set_c) {
                            char buf[3];
                            std::snprintf(buf, sizeof buf, "%02d", payload[i] % 100);
                            text += buf;
                        } else if (payload[i] == '{' && i + 1 < payload.size() && payload[i + 1] == '{') {
                            text += '{';
                            ++i;
                        } else {
                            text += static_cast<char>(payload[i]);
                        }
                    }
                } else {
                    unknown_.push_back("GS k " + std::to_string(m) + " (barcode type)");
                }
                flush_line(false);
                barcodes_.push_back(text);
                // Drawn schematically (bars from the payload bits), not a scannable Code128.
                int bars = int(payload.size()) * 11 + 35;
                MonoImage img{bars * barcode_module_, barcode_height_, {}};
                img.dots.assign(std::size_t(img.width) * img.height, 0);
                for (int x = 0; x < bars; ++x) {
                    bool on = x < 3 || x >= bars - 3 ? (x % 2 == 0)
                                                     : ((payload[std::size_t(x / 11) % payload.size()] >> (x % 8)) & 1) != (x % 3 == 0);
                    if (!on) continue;
                    for (int y = 0; y < img.height; ++y)
                        for (int k = 0; k < barcode_module_; ++k) img.dots[std::size_t(y) * img.width + x * barcode_module_ + k] = 1;
                }
                draw_image(img, mode_.align);
                TextStyle saved = mode_;
                mode_ = TextStyle{1, 1, false, false, false, saved.align};
                for (char ch : text) line_.push_back({static_cast<char32_t>(static_cast<unsigned char>(ch)), mode_});
                line_width_ = 0;
                std::vector<PrintedLine> keep = lines_;
                flush_line(false);
                lines_ = std::move(keep);  // the human-readable line is not ticket text
                mode_ = saved;
                return 4 + std::size_t(b[3]);
            }
            case '(': {
                if (!need(5)) return 0;
                std::size_t len = b[3] | (std::size_t(b[4]) << 8);
                if (!need(5 + len)) return 0;
                if (b[2] != 'k' || len < 2 || b[5] != '1') {
                    unknown_.push_back("GS ( " + hex(b.subspan(2, 1)));
                    return 5 + len;
                }
                auto args = b.subspan(5, len);  // cn fn params...
                switch (args[1]) {
                    case 'A': case 'E': break;
                    case 'C': if (len >= 3) qr_module_ = std::clamp<int>(args[2], 1, 16); break;
                    case 'P': qr_store_.assign(args.begin() + 3, args.end()); break;
                    case 'Q': {
                        flush_line(false);
                        QRcode* q = QRcode_encodeData(int(qr_store_.size()), reinterpret_cast<const unsigned char*>(qr_store_.data()), 0, QR_ECLEVEL_M);
                        if (!q) { unknown_.push_back("GS ( k print: QR data not encodable"); break; }
                        int side = q->width + 2 * kQuietModules;
                        MonoImage img{side, side, std::vector<std::uint8_t>(std::size_t(side) * side)};
                        for (int y = 0; y < q->width; ++y)
                            for (int x = 0; x < q->width; ++x)
                                img.dots[std::size_t(y + kQuietModules) * side + x + kQuietModules] = q->data[y * q->width + x] & 1;
                        QRcode_free(q);
                        qr_codes_.push_back(qr_store_);
                        draw_image(img, mode_.align, qr_module_);
                        break;
                    }
                    default: unknown_.push_back("GS ( k fn " + std::to_string(args[1])); break;
                }
                return 5 + len;
            }
            case 'v': {
                if (!need(8)) return 0;
                if (b[2] != '0') {
                    unknown_.push_back("GS v " + hex(b.subspan(2, 1)));
                    return 3;
                }
                int xb = b[4] | (b[5] << 8), rows = b[6] | (b[7] << 8);
                std::size_t len = 8 + std::size_t(xb) * rows;
                if (!need(len)) return 0;
                flush_line(false);
                MonoImage img{xb * 8, rows, std::vector<std::uint8_t>(std::size_t(xb) * 8 * rows)};
                for (int y = 0; y < rows; ++y)
                    for (int x = 0; x < xb * 8; ++x)
                        img.dots[std::size_t(y) * img.width + x] = (b[8 + std::size_t(y) * xb + x / 8] >> (7 - x % 8)) & 1;
                images_.push_back(img);
                draw_image(img, mode_.align);
                return len;
            }
            default:
                unknown_.push_back("GS " + hex(b.subspan(1, 1)));
                return 2;
        }
    }
    if (c == 0x10) {
        if (!need(2)) return 0;
        if (b[1] == 0x04) return need(3) ? 3 : 0;  // DLE EOT n: answered by the transport
        if (b[1] == 0x14) {
            if (!need(3)) return 0;
            if (b[2] == 8) return need(10) ? 10 : 0;
            unknown_.push_back("DLE DC4 " + std::to_string(b[2]));
            return 3;
        }
        unknown_.push_back("DLE " + hex(b.subspan(1, 1)));
        return 2;
    }
    if (c < 0x20 || c == 0x7F) {
        unknown_.push_back("control " + hex(b.subspan(0, 1)));
        return 1;
    }
    print_char(c);
    return 1;
}

void EmulatedPrinter::print_char(std::uint8_t byte) {
    const CodePage* page = find_code_page(code_page_.value_or("cp437"));
    if (!page) page = find_code_page("cp437");
    char32_t cp = page->decode(byte);
    int w = kCellW * std::clamp(mode_.width, 1, 8);
    if (line_width_ + w > width_) flush_line(false);  // the printer wraps at the right margin
    line_.push_back({cp, mode_});
    line_width_ += w;
}

void EmulatedPrinter::flush_line(bool force_empty) {
    if (line_.empty()) {
        if (force_empty) advance(kLineSpacing);
        return;
    }
    int line_w = 0, cell_h = kCellH;
    for (const auto& g : line_) {
        line_w += kCellW * g.style.width;
        cell_h = std::max(cell_h, kCellH * g.style.height);
    }
    const TextStyle& first = line_.front().style;
    int x = first.align == Align::Center ? (width_ - line_w) / 2 : first.align == Align::Right ? width_ - line_w : 0;
    x = std::max(0, x);
    int top = paper_height();
    advance(std::max(kLineSpacing, cell_h + kLineSpacing - kCellH));
    PrintedLine pl{{}, first};
    for (const auto& g : line_) {
        append_utf8(pl.utf8, g.cp);
        int cw = kCellW * g.style.width, ch = kCellH * g.style.height;
        draw_glyph(g, x, top + (cell_h - ch), cw, ch);
        x += cw;
    }
    lines_.push_back(std::move(pl));
    line_.clear();
    line_width_ = 0;
}

void EmulatedPrinter::draw_glyph(const Glyph& g, int x0, int y0, int cw, int ch) {
    auto put = [&](int x, int y, std::uint8_t v) {
        if (x >= 0 && x < width_ && y >= 0 && y < paper_height()) paper_[std::size_t(y) * width_ + x] = v;
    };
    auto at = [&](int x, int y) -> std::uint8_t {
        return (x >= 0 && x < width_ && y >= 0 && y < paper_height()) ? paper_[std::size_t(y) * width_ + x] : 255;
    };
    if (g.style.reverse)
        for (int y = 0; y < ch; ++y)
            for (int x = 0; x < cw; ++x) put(x0 + x, y0 + y, 0);
    const Fonts& f = fonts();
    const detail::Font* font = g.style.bold ? f.bold : f.regular;
    if (font && g.cp != U' ') {
        int ascent = 0, descent = 0;
        detail::font_vmetrics(font, ascent, descent);
        float sy = detail::font_scale_for_pixel_height(font, float(ch));
        float sx = sy * float(g.style.width) / float(g.style.height);
        int adv = detail::font_advance(font, g.cp);
        if (adv > 0 && adv * sx > cw) sx = float(cw) / float(adv);  // keep wide glyphs in their cell
        int gw = 0, gh = 0, xo = 0, yo = 0;
        auto bm = detail::font_glyph(font, g.cp, sx, sy, gw, gh, xo, yo);
        int baseline = y0 + int(ascent * sy);
        int left = x0 + std::max(0, (cw - int(adv * sx)) / 2);
        for (int y = 0; y < gh; ++y)
            for (int x = 0; x < gw; ++x) {
                std::uint8_t cov = bm[std::size_t(y) * gw + x];
                if (cov == 0) continue;
                int px = left + xo + x, py = baseline + yo + y;
                if (g.style.reverse) put(px, py, std::max(at(px, py), cov));
                else put(px, py, std::min<std::uint8_t>(at(px, py), std::uint8_t(255 - cov)));
            }
    } else if (!font && g.cp != U' ') {
        for (int y = 4; y < ch - 4; ++y) put(x0 + 2, y0 + y, 0), put(x0 + cw - 3, y0 + y, 0);  // no font: a box
    }
    if (g.style.underline)
        for (int y = ch - 2; y < ch; ++y)
            for (int x = 0; x < cw; ++x) put(x0 + x, y0 + y, g.style.reverse ? 255 : 0);
}

void EmulatedPrinter::draw_image(const MonoImage& img, Align align, int scale) {
    int w = img.width * scale, h = img.height * scale;
    int x0 = align == Align::Center ? (width_ - w) / 2 : align == Align::Right ? width_ - w : 0;
    x0 = std::max(0, x0);
    int top = paper_height();
    advance(h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w && x0 + x < width_; ++x)
            if (img.at(x / scale, y / scale)) paper_[std::size_t(top + y) * width_ + x0 + x] = 0;
}

Result<void> EmulatedPrinter::write_png(const std::filesystem::path& path) const {
    int h = std::max(1, paper_height());
    std::vector<std::uint8_t> out(paper_);
    out.resize(std::size_t(h) * width_, 255);
    for (int row : cut_rows_) {
        if (row >= h) continue;
        for (int x = 0; x < width_; ++x)
            if ((x / 8) % 2 == 0) out[std::size_t(row) * width_ + x] = 96;  // dashed cut line
    }
    return write_grey_png(path, out, width_, h);
}

// ---------------------------------------------------------------- EmulatedTransport

EmulatedTransport::EmulatedTransport(const Profile& profile, std::filesystem::path out)
    : profile_(profile), out_(std::move(out)), printer_(profile) {}

std::filesystem::path EmulatedTransport::png_path() const {
    if (out_.empty()) return std::filesystem::temp_directory_path() / "csc-kiosk-last-ticket.png";
    if (out_.extension() == ".png") return out_;
    return out_ / "last-ticket.png";
}

std::string EmulatedTransport::describe() const {
    return "emulated " + profile_.id + " printer (PNG " + png_path().string() + ")";
}

void EmulatedTransport::simulate(Simulation s) {
    std::lock_guard lock(mutex_);
    sim_ = s;
    printed_since_load_ = 0;
}

PrinterStatus EmulatedTransport::status() {
    std::lock_guard lock(mutex_);
    PrinterStatus s;
    if (sim_.stalled) {
        s.detail = "no answer (simulated stalled printer)";
        return s;
    }
    s.known = true;
    s.cover_open = sim_.cover_open;
    s.paper_end = sim_.paper_end;
    s.paper_near_end = sim_.paper_near_end || sim_.paper_end;
    s.online = !sim_.offline && !sim_.cover_open && !sim_.paper_end;
    return s;
}

void EmulatedTransport::render_job() {
    if (auto r = printer_.write_png(png_path()); !r)
        std::fprintf(stderr, "emulated printer: %s\n", r.error().message.c_str());
}

PrintOutcome EmulatedTransport::send(std::span<const std::uint8_t> job) {
    PrintOutcome o;
    o.bytes_total = job.size();
    {
        std::lock_guard lock(mutex_);
        if (sim_.stalled || sim_.offline || sim_.cover_open) {
            o.problem = sim_.stalled ? PrintProblem::Stalled : sim_.cover_open ? PrintProblem::CoverOpen : PrintProblem::Offline;
            o.reason = sim_.stalled ? "printer did not accept data (simulated stall)"
                                    : sim_.cover_open ? "cover open" : "printer offline";
        } else {
            printer_.clear_paper();
            std::size_t room = job.size();
            if (sim_.paper_end) room = 0;
            else if (sim_.paper_runs_out_after)
                room = std::min(room, *sim_.paper_runs_out_after > printed_since_load_ ? *sim_.paper_runs_out_after - printed_since_load_ : 0);
            printer_.feed(job.first(room));
            printed_since_load_ += room;
            // The printer keeps taking bytes into its buffer when the paper runs out.
            held_.insert(held_.end(), job.begin() + static_cast<std::ptrdiff_t>(room), job.end());
            if (room < job.size()) sim_.paper_end = true;
            o.bytes_accepted = job.size();
            total_bytes_ += job.size();
            render_job();
        }
    }
    o.status = status();
    if (o.problem == PrintProblem::None) {
        if (!o.status.good()) {
            o.problem = o.status.paper_end ? PrintProblem::PaperEnd : PrintProblem::Offline;
            o.reason = "status after the job: " + o.status.summary();
        } else {
            o.printed = true;
            o.reason = o.status.paper_near_end ? "printed (paper near end)" : "printed";
        }
    }
    return o;
}

void EmulatedTransport::load_paper() {
    std::lock_guard lock(mutex_);
    sim_.paper_end = false;
    sim_.paper_runs_out_after.reset();
    printed_since_load_ = 0;
    if (!held_.empty()) {
        printer_.feed(held_);
        held_.clear();
        render_job();
    }
}

}  // namespace csc::printer
