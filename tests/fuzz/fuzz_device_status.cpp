// libFuzzer target: a program's status as it arrives from the LAN (presence, docs/SYNC.md),
// through read_device_status().
// Input: the message's bytes as they are (any device on the LAN may send anything).
// Properties: never crashes or hangs; a refused status is an Error of code "input" whose message
// says "device status refused"; an accepted one keeps the contract of
// shared/presence/device_status.hpp (a device name of 1–64 safe characters, a known role, a
// counter exactly for a counter, texts of at most 200 bytes, times ≥ 0) and reads back the same
// after write_device_status(), and its liveness is answered for any receiving time.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "shared/presence/device_status.hpp"

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto s = csc::presence::read_device_status(text);
    if (!s) {
        require(s.error().code == "input");
        require(s.error().message.find("device status refused") == 0);
        return 0;
    }
    require(!s->device.empty() && s->device.size() <= 64);
    for (char c : s->device) require(c != '/' && c != ' ' && c != '\0');
    require((s->role == "counter") == (s->counter > 0));
    require(s->sent >= 0 && s->started >= 0);
    if (s->printer) require(s->printer->detail.size() <= 200 && s->printer->checked >= 0 && s->printer->printed >= 0);
    if (s->sync) require(s->sync->last_error.size() <= 200);
    auto again = csc::presence::read_device_status(csc::presence::write_device_status(*s));
    require(again.ok() && *again == *s);
    for (csc::Millis now : {csc::Millis{0}, s->sent, s->sent + 45'001, csc::Millis{-1}})
        (void)csc::presence::liveness(*s, s->sent, now);
    return 0;
}
