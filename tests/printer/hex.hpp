// hex.hpp — test helper: write expected ESC/POS bytes by hand as hex text.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace csc::printer::test {

/// "1b 40 'Hi' 0a" -> bytes. Quoted text is taken literally (ASCII only).
inline std::vector<std::uint8_t> hx(std::string_view s) {
    std::vector<std::uint8_t> out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] == ' ' || s[i] == '|' || s[i] == '\n') { ++i; continue; }
        if (s[i] == '\'') {
            std::size_t end = s.find('\'', i + 1);
            for (std::size_t k = i + 1; k < end; ++k) out.push_back(static_cast<std::uint8_t>(s[k]));
            i = end + 1;
            continue;
        }
        out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(s.substr(i, 2)), nullptr, 16)));
        i += 2;
    }
    return out;
}

/// Bytes -> "1b 40 ..." for readable failure messages.
inline std::string to_hex(const std::vector<std::uint8_t>& b) {
    std::string s;
    char buf[4];
    for (auto v : b) {
        std::snprintf(buf, sizeof buf, "%02x ", v);
        s += buf;
    }
    return s;
}

}  // namespace csc::printer::test
