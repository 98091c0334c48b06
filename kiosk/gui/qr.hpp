// qr.hpp — a QR code as a matrix of modules (libqrencode), for showing a ticket's QR on
// screen when the printer cannot print it.
#pragma once

#include <string_view>
#include <vector>

#include "shared/result.hpp"

namespace csc::gui {

/// A square QR symbol: `modules`×`modules`, row-major, 1 = dark.
struct QrMatrix {
    int modules = 0;
    std::vector<unsigned char> dark;
};

/// Encodes `data` (error correction M, byte mode); Error if it does not fit.
[[nodiscard]] Result<QrMatrix> make_qr(std::string_view data);

}  // namespace csc::gui
