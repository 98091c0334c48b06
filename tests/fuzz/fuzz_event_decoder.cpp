// libFuzzer target: what a device accepts from the office stream (docs/SYNC.md, "Bad input").
// Input: first byte = subject length n (mod 64), then n bytes of subject, then the payload.
// Properties: never crashes or hangs; an accepted event re-encodes to a text that decodes to the
// same event (so what is stored can always be read back and replayed).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "shared/events.hpp"
#include "shared/sync/stream_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    std::string_view subject, payload = all;
    if (!all.empty()) {
        const std::size_t n = std::min<std::size_t>(static_cast<std::uint8_t>(all[0]) % 64, all.size() - 1);
        subject = all.substr(1, n);
        payload = all.substr(1 + n);
    }
    (void)csc::decode_event(all);
    auto e = csc::sync::decode_stream_message("csc.events", subject, payload);
    if (!e) e = csc::decode_event(payload);  // the decoder alone, whatever the subject
    if (e) {
        const std::string again = csc::encode_event(*e);
        auto back = csc::decode_event(again);
        if (!back || !(*back == *e)) std::abort();
    }
    return 0;
}
