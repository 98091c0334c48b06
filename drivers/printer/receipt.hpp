// receipt.hpp — the document a caller prints: a list of plain elements, no bytes, no I/O.
//
// Contents: Align, TextStyle, MonoImage, the element structs, PresenterAction, Receipt.
// Contract: a Receipt is plain data (copyable, comparable, inspectable by tests). Turning it
// into printer bytes is EscposEncoder's job; nothing here knows about ESC/POS or a printer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace csc::printer {

enum class Align { Left, Center, Right };

/// How a text line looks. width/height are magnifications 1..8 (clamped by the encoder).
struct TextStyle {
    int width = 1, height = 1;
    bool bold = false, underline = false, reverse = false;
    Align align = Align::Left;
    bool operator==(const TextStyle&) const = default;
};

/// A 1-bit image, row-major, one byte per dot (0 = white, 1 = black). Already dithered.
struct MonoImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> dots;  ///< width*height entries
    [[nodiscard]] bool at(int x, int y) const { return dots[std::size_t(y) * width + x] != 0; }
    bool operator==(const MonoImage&) const = default;
};

/// One paragraph of UTF-8 text; ends with a line feed on paper. Control characters are never
/// sent as commands: the encoder drops them ('\n' splits the paragraph into lines).
struct TextElement {
    std::string utf8;
    TextStyle style;
    bool operator==(const TextElement&) const = default;
};
/// A QR code (model 2, error correction M). module_dots: 1..16 dots per module.
struct QrElement {
    std::string data;
    int module_dots = 6;
    Align align = Align::Center;
    bool operator==(const QrElement&) const = default;
};
/// A Code128 barcode with its human-readable text below. Printable ASCII only.
struct Barcode128Element {
    std::string data;
    int height_dots = 80;
    Align align = Align::Center;
    bool operator==(const Barcode128Element&) const = default;
};
/// A logo: either a PNG path (loaded and dithered at encode time) or a pre-loaded image.
struct LogoElement {
    std::filesystem::path png;
    std::shared_ptr<const MonoImage> image;  ///< used instead of png when set
    Align align = Align::Center;
    int max_width_dots = 0;                  ///< 0 = the printer's full width
    bool operator==(const LogoElement&) const = default;
};
/// A horizontal line across the paper.
struct RuleElement {
    int thickness_dots = 2;
    bool operator==(const RuleElement&) const = default;
};
/// Feed `lines` empty lines (0..255).
struct FeedElement {
    int lines = 1;
    bool operator==(const FeedElement&) const = default;
};
/// Cut the paper; partial leaves a small bridge. Printers without a cutter just feed.
struct CutElement {
    bool partial = false;
    bool operator==(const CutElement&) const = default;
};
/// Presenter (kiosk printers): Present holds the ticket in the mouth, Eject pushes it out,
/// Retract pulls a ticket nobody took back in. Ignored (with a warning) without a presenter.
enum class PresenterAction { Present, Eject, Retract };
struct PresenterElement {
    PresenterAction action = PresenterAction::Present;
    bool operator==(const PresenterElement&) const = default;
};

using ReceiptElement = std::variant<TextElement, QrElement, Barcode128Element, LogoElement,
                                    RuleElement, FeedElement, CutElement, PresenterElement>;

/// A ticket or any other print-out, built by the caller element by element (chainable).
class Receipt {
public:
    /// One line/paragraph of text, newline-terminated on paper; wrapped at word boundaries.
    Receipt& text(std::string utf8, TextStyle style = {});
    /// A QR code holding `data` (bytes as given, usually a URL).
    Receipt& qr(std::string data, int module_dots = 6, Align align = Align::Center);
    /// A Code128 barcode of printable ASCII `data`.
    Receipt& barcode128(std::string data, int height_dots = 80);
    /// A logo from a PNG file, dithered to 1 bit at encode time (missing/corrupt: skipped).
    Receipt& logo(std::filesystem::path png, Align align = Align::Center);
    /// A logo already loaded with load_logo() (no file I/O at encode time).
    Receipt& logo(std::shared_ptr<const MonoImage> image, Align align = Align::Center);
    /// A horizontal rule across the paper.
    Receipt& rule(int thickness_dots = 2);
    /// Feed `lines` blank lines.
    Receipt& feed(int lines = 1);
    /// Cut (full by default).
    Receipt& cut(bool partial = false);
    /// Presenter printers: hold the ticket in the mouth for the citizen.
    Receipt& present() { return presenter(PresenterAction::Present); }
    /// Presenter printers: push the ticket out.
    Receipt& eject() { return presenter(PresenterAction::Eject); }
    /// Presenter printers: pull back a ticket nobody took.
    Receipt& retract() { return presenter(PresenterAction::Retract); }
    Receipt& presenter(PresenterAction action);
    /// A copy of any element (a receipt copied element by element), made in place in this
    /// receipt's storage: no temporary holds a text (a secret's copy is only where wipe() reaches,
    /// when reserve() was called first).
    Receipt& add(const ReceiptElement& element) {
        elements_.push_back(element);
        return *this;
    }

    /// Room for `n` elements, so that adding them never moves (and leaves behind) earlier texts:
    /// call it before adding a secret (the CRS PIN receipt).
    void reserve(std::size_t n) { elements_.reserve(n); }
    /// Overwrites every text, QR and barcode with zeros (explicit_bzero, not optimised away), then
    /// empties the receipt: for receipts that carried a secret.
    void wipe();

    [[nodiscard]] const std::vector<ReceiptElement>& elements() const { return elements_; }
    [[nodiscard]] bool empty() const { return elements_.empty(); }
    bool operator==(const Receipt&) const = default;

private:
    std::vector<ReceiptElement> elements_;
};

}  // namespace csc::printer
