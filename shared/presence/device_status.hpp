// device_status.hpp — a running program's word that it is alive ("presence"), and when a device
// counts as online: what the IT dashboard shows of each device (issue 15 point 5, docs/WEB.md).
//
// Contents: PrinterState, to_string(PrinterState), PrinterPresence, SyncPresence, DeviceStatus,
//           kPresenceEveryMs, kPresenceGoneAfterMs, presence_key(), write_device_status(),
//           read_device_status(), Liveness, liveness().
// Contract: pure. A status is a small JSON object a program sends every kPresenceEveryMs (to a
// file beside the store, and on the LAN); nothing personal, no secret. read_device_status()
// accepts only what write_device_status() makes (bounded sizes, known states, names of the
// configuration's shape) and says what is wrong otherwise: a malformed status from the LAN is
// refused with its reason, never trusted in part. Liveness is judged on the RECEIVER's clock
// (when the status arrived), never on the sender's: a device whose clock is wrong is still seen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/clock.hpp"
#include "shared/result.hpp"

namespace csc::presence {

/// A program says it is alive this often.
inline constexpr Millis kPresenceEveryMs = 15'000;
/// Not heard for this long (three statuses missed): no longer online.
inline constexpr Millis kPresenceGoneAfterMs = 45'000;

/// What a printer said at its last check, as the dashboard names it.
enum class PrinterState { Ok, PaperNearEnd, PaperEnd, CoverOpen, Offline, Error, Unknown };
/// "ok", "paper_near_end", "paper_end", "cover_open", "offline", "error", "unknown".
[[nodiscard]] std::string_view to_string(PrinterState s);

/// The printer of a program that prints (entrance, Info Point's entrance).
struct PrinterPresence {
    PrinterState state = PrinterState::Unknown;
    std::string detail;        ///< the driver's words ("online, paper near end"; ≤ 200 bytes)
    Millis checked = 0;        ///< when it was last asked (sender's clock; 0 = never since start)
    int printed = 0;           ///< tickets and slips this program printed today
    bool operator==(const PrinterPresence&) const = default;
};

/// A LAN device's link, as its replicator sees it.
struct SyncPresence {
    bool online = false;
    std::uint64_t applied_seq = 0;      ///< last stream position applied on the device
    std::uint64_t stream_last_seq = 0;  ///< last stream position the cluster reported to it
    std::uint64_t unconfirmed = 0;      ///< its own events the stream has not confirmed
    std::string last_error;             ///< "" if none (≤ 200 bytes)
    bool operator==(const SyncPresence&) const = default;
};

/// One running program's status.
struct DeviceStatus {
    std::string device;  ///< the device's name in events (1–64 of [A-Za-z0-9_-.])
    std::string role;    ///< "entrance", "display", "counter", "infopoint", "totem", "clock", "feedback", "web", "sync"
    int counter = 0;     ///< the counter a counter terminal works (0 = none)
    Millis sent = 0;     ///< the sender's clock
    Millis started = 0;  ///< when the program started (sender's clock)
    bool stopping = false;  ///< its last word: the program is closing normally
    std::optional<PrinterPresence> printer;
    std::optional<SyncPresence> sync;
    bool operator==(const DeviceStatus&) const = default;
};

/// One name per program: "<device>.<role>" or "<device>.counter<N>"; safe as a file name.
[[nodiscard]] std::string presence_key(const DeviceStatus& s);

/// The status as one line of JSON (≤ 1 KB).
[[nodiscard]] std::string write_device_status(const DeviceStatus& s);
/// Reads what write_device_status() wrote; Error (code "input") saying what is wrong otherwise.
[[nodiscard]] Result<DeviceStatus> read_device_status(std::string_view json);

/// What the receiver can say of a program.
enum class Liveness { Online, Gone, Stopped };
/// Online if heard within kPresenceGoneAfterMs of `now` (the receiver's clock at `received`),
/// Stopped if its last word was `stopping`, else Gone.
[[nodiscard]] Liveness liveness(const DeviceStatus& s, Millis received, Millis now);

}  // namespace csc::presence
