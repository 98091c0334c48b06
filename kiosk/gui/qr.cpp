#include "kiosk/gui/qr.hpp"

#include <string>

#include <qrencode.h>

namespace csc::gui {

Result<QrMatrix> make_qr(std::string_view data) {
    if (data.empty()) return fail("QR: no data");
    const std::string text(data);
    QRcode* code = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
    if (!code) return fail("QR: data too long to encode");
    QrMatrix m;
    m.modules = code->width;
    m.dark.resize(std::size_t(code->width) * code->width);
    for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = code->data[i] & 1;  // bit 0 = dark module
    QRcode_free(code);
    return m;
}

}  // namespace csc::gui
