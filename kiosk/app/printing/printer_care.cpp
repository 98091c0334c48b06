// The paper counter, the chosen profile and the preview (printer_care.hpp).
#include "kiosk/app/printing/printer_care.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include "drivers/printer/emulated_printer.hpp"

namespace csc::app {

namespace {

// Writes `text` beside `file` and renames it over: the old or the new one, never half.
Result<void> replace_file(const std::filesystem::path& file, const std::string& text) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return Error{"cannot create " + file.parent_path().string() + ": " + ec.message()};
    const auto tmp = std::filesystem::path(file.string() + ".new");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) return Error{"cannot write " + tmp.string()};
    }
    std::filesystem::rename(tmp, file, ec);
    if (ec) return Error{"cannot replace " + file.string() + ": " + ec.message()};
    return {};
}

}  // namespace

PaperCounter::PaperCounter(std::filesystem::path file) : file_(std::move(file)) {
    std::ifstream in(file_);
    if (!in) return;  // never counted yet
    // One line: "<day YYYYMMDD> <today> <since change> <changed at, ms>".
    PaperCount c;
    std::string rest;
    if (!(in >> c.day >> c.today >> c.since_change >> c.changed_at) || (in >> rest) || c.today < 0 || c.since_change < 0 ||
        c.changed_at < 0) {
        std::cerr << "kiosk: printer: " << file_.string() << " is not a paper count; counting from 0 again\n";
        return;
    }
    count_ = c;
}

PaperCount PaperCounter::read(int day) const {
    std::lock_guard lock(mutex_);
    PaperCount c = count_;
    if (c.day != day) {
        c.day = day;
        c.today = 0;
    }
    return c;
}

void PaperCounter::printed(int day) {
    std::lock_guard lock(mutex_);
    if (count_.day != day) {
        count_.day = day;
        count_.today = 0;
    }
    ++count_.today;
    ++count_.since_change;
    save_locked();
}

void PaperCounter::paper_changed(Millis now, int day) {
    std::lock_guard lock(mutex_);
    if (count_.day != day) {
        count_.day = day;
        count_.today = 0;
    }
    count_.since_change = 0;
    count_.changed_at = now;
    save_locked();
}

void PaperCounter::save_locked() {
    std::ostringstream text;
    text << count_.day << ' ' << count_.today << ' ' << count_.since_change << ' ' << count_.changed_at << '\n';
    if (auto r = replace_file(file_, text.str()); !r) std::cerr << "kiosk: printer: paper count not kept: " << r.error().message << '\n';
}

std::filesystem::path printer_care_file(const std::filesystem::path& data_dir, std::string_view role, std::string_view kind) {
    return data_dir / "printer" / (std::string(role) + "." + std::string(kind));
}

std::string read_chosen_profile(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string id;
    if (!in || !(in >> id)) return {};
    if (!printer::find_profile(id)) {
        std::cerr << "kiosk: printer: " << file.string() << " names profile \"" << id << "\", which is not installed; using the configured one\n";
        return {};
    }
    return id;
}

Result<void> write_chosen_profile(const std::filesystem::path& file, const std::string& profile) {
    if (auto p = printer::find_profile(profile); !p) return p.error();
    return replace_file(file, profile + "\n");
}

PaperImage render_paper(const std::vector<std::uint8_t>& bytes, const printer::Profile& profile, int max_width) {
    printer::EmulatedPrinter paper(profile);
    paper.feed(bytes);
    PaperImage out;
    const int w = paper.width(), h = paper.paper_height();
    if (w <= 0 || h <= 0) return out;
    const int step = std::max(1, (w + std::max(1, max_width) - 1) / std::max(1, max_width));
    out.width = w / step;
    out.height = h / step;
    out.grey.resize(std::size_t(out.width) * std::size_t(out.height));
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            int sum = 0;
            for (int dy = 0; dy < step; ++dy)
                for (int dx = 0; dx < step; ++dx) sum += paper.pixel(x * step + dx, y * step + dy);
            out.grey[std::size_t(y) * std::size_t(out.width) + std::size_t(x)] = static_cast<std::uint8_t>(sum / (step * step));
        }
    return out;
}

}  // namespace csc::app
