// emulated_printer.hpp — an ESC/POS interpreter that draws the paper: on-screen preview of a
// ticket and the other half of the encoder tests (it reads what the encoder writes).
//
// Contents: PrintedLine, EmulatedPrinter, EmulatedTransport.
// Contract: feed() accepts any bytes and never fails; commands it does not understand are
// recorded in unknown_commands() (a test asserts that list is empty for encoder output).
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "drivers/printer/profile.hpp"
#include "drivers/printer/receipt.hpp"
#include "drivers/printer/transport.hpp"
#include "shared/result.hpp"

namespace csc::printer {

/// A text line as it came out on paper (decoded back to UTF-8) with the style of its first
/// character.
struct PrintedLine {
    std::string utf8;
    TextStyle style;
};

class EmulatedPrinter {
public:
    /// Paper width and code page numbers come from the profile.
    explicit EmulatedPrinter(const Profile& profile);

    /// Interprets bytes; a command split across calls is completed by the next call.
    void feed(std::span<const std::uint8_t> bytes);
    /// Writes the paper printed so far as an 8-bit grey PNG (cuts drawn as dashed lines).
    [[nodiscard]] Result<void> write_png(const std::filesystem::path& path) const;
    /// Forgets the paper (and what was seen) but keeps the printer mode, like tearing it off.
    void clear_paper();

    [[nodiscard]] const std::vector<PrintedLine>& lines() const { return lines_; }
    [[nodiscard]] std::vector<std::string> text_lines() const;  ///< lines() as plain UTF-8
    [[nodiscard]] int cut_count() const { return cuts_; }
    [[nodiscard]] int partial_cut_count() const { return partial_cuts_; }
    [[nodiscard]] const std::vector<std::string>& qr_codes() const { return qr_codes_; }   ///< printed QR data
    [[nodiscard]] const std::vector<std::string>& barcodes() const { return barcodes_; }   ///< decoded Code128
    [[nodiscard]] const std::vector<MonoImage>& images() const { return images_; }         ///< GS v 0 bands
    [[nodiscard]] const std::vector<PresenterAction>& presenter_actions() const { return presenter_; }
    [[nodiscard]] const std::vector<std::string>& unknown_commands() const { return unknown_; }
    [[nodiscard]] int width() const { return width_; }
    [[nodiscard]] int paper_height() const { return static_cast<int>(paper_.size() / std::size_t(width_)); }
    /// Grey level of a paper dot (0 black .. 255 white); white outside the paper.
    [[nodiscard]] std::uint8_t pixel(int x, int y) const;
    /// Bytes not yet interpreted (an incomplete command at the end of the data).
    [[nodiscard]] std::size_t pending_bytes() const { return pending_.size(); }

private:
    struct Glyph {
        char32_t cp;
        TextStyle style;
    };
    std::size_t interpret(std::span<const std::uint8_t> b);  // returns bytes consumed, 0 = need more
    void print_char(std::uint8_t byte);
    void flush_line(bool force_empty);
    void advance(int rows);
    void draw_image(const MonoImage& img, Align align, int scale = 1);
    void draw_glyph(const Glyph& g, int x, int baseline_top, int cell_w, int cell_h);

    Profile profile_;
    int width_;
    std::vector<std::uint8_t> paper_;
    std::vector<int> cut_rows_;
    std::vector<std::uint8_t> pending_;
    // printer mode
    TextStyle mode_;
    int code_page_number_ = 0;
    std::optional<std::string> code_page_;
    int qr_module_ = 3;
    std::string qr_store_;
    int barcode_height_ = 162, barcode_module_ = 3;
    std::vector<Glyph> line_;
    int line_width_ = 0;
    // what was seen
    std::vector<PrintedLine> lines_;
    std::vector<std::string> qr_codes_, barcodes_, unknown_;
    std::vector<MonoImage> images_;
    std::vector<PresenterAction> presenter_;
    int cuts_ = 0, partial_cuts_ = 0;
};

/// A Transport that prints on an EmulatedPrinter and writes each job's paper as a PNG
/// (`<dir>/last-ticket.png`, or the given .png path). Printer trouble can be simulated.
class EmulatedTransport final : public Transport {
public:
    struct Simulation {
        bool offline = false, cover_open = false, paper_near_end = false, paper_end = false;
        bool stalled = false;              ///< accepts nothing
        std::optional<std::size_t> paper_runs_out_after;  ///< bytes printed before paper end
    };
    EmulatedTransport(const Profile& profile, std::filesystem::path png_dir_or_file);

    PrintOutcome send(std::span<const std::uint8_t> job) override;
    PrinterStatus status() override;
    [[nodiscard]] std::string describe() const override;

    void simulate(Simulation s);
    /// Paper reloaded: clears paper end and prints what the printer kept in its buffer.
    void load_paper();
    [[nodiscard]] std::filesystem::path png_path() const;
    /// The printer of the last job (its lines, QR codes, cuts).
    [[nodiscard]] const EmulatedPrinter& printer() const { return printer_; }
    [[nodiscard]] std::size_t total_bytes() const { return total_bytes_; }

private:
    void render_job();
    mutable std::mutex mutex_;
    Profile profile_;
    std::filesystem::path out_;
    EmulatedPrinter printer_;
    Simulation sim_;
    std::vector<std::uint8_t> held_;  // accepted while out of paper
    std::size_t total_bytes_ = 0, printed_since_load_ = 0;
};

}  // namespace csc::printer
