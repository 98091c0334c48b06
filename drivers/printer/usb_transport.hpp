// usb_transport.hpp — ESC/POS over USB with libusb: find, claim, write with timeouts, read
// real-time status, survive unplug/re-plug.
//
// Contents: UsbOptions, UsbTransport, UsbPrinterInfo, list_usb_printers().
// Contract: every libusb error has a stated policy (docs/PRINTER.md, "libusb error policy"):
//   TIMEOUT       keep the count of bytes already written; report Stalled; PrintJob resends
//                 only the rest
//   PIPE          clear the halt and retry once, then fail
//   INTERRUPTED   retry once, then fail
//   NO_DEVICE     close; report Disconnected; the next send/status reopens (re-plug)
//   ACCESS        report with the udev rule to install
//   other         close; report IoError; the next send/status reopens
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "drivers/printer/profile.hpp"
#include "drivers/printer/transport.hpp"
#include "shared/result.hpp"

struct libusb_context;
struct libusb_device;
struct libusb_device_handle;

namespace csc::printer {

struct UsbOptions {
    std::optional<UsbId> id;         ///< empty: the first device with a printer-class interface
    int write_timeout_ms = 5000;     ///< per bulk OUT chunk
    int status_timeout_ms = 500;     ///< per DLE EOT request and answer
    std::size_t chunk_bytes = 4096;  ///< bulk OUT transfer size (granularity of the byte count)
};

class UsbTransport final : public Transport {
public:
    /// Starts libusb (Error if it cannot). Does not need the printer to be plugged in yet.
    /// `profile`: the model; if not given, the profile whose USB id matches the device found,
    /// else generic-80.
    static Result<std::unique_ptr<UsbTransport>> create(UsbOptions options, std::optional<Profile> profile = {});
    ~UsbTransport() override;
    UsbTransport(const UsbTransport&) = delete;
    UsbTransport& operator=(const UsbTransport&) = delete;

    PrintOutcome send(std::span<const std::uint8_t> job) override;
    PrinterStatus status() override;
    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] std::uint64_t connection_id() const override;
    void refresh_connection() override;
    [[nodiscard]] std::vector<std::uint8_t> recovery_prefix() const override { return profile_.recover_cmd; }

    /// Opens the printer now if it is not open. Error says why (not found, permission, busy).
    Result<void> connect();
    [[nodiscard]] bool connected() const;
    [[nodiscard]] const Profile& profile() const { return profile_; }

private:
    UsbTransport() = default;
    void close_device();
    void pump_events();
    PrinterStatus query_status();
    static int hotplug_cb(libusb_context*, libusb_device*, int event, void* self);

    mutable std::mutex mutex_;
    UsbOptions options_;
    Profile profile_;
    bool profile_given_ = false;
    libusb_context* ctx_ = nullptr;
    libusb_device_handle* handle_ = nullptr;
    int hotplug_handle_ = 0;
    bool hotplug_ = false;
    std::atomic<bool> device_left_{false};
    int interface_ = -1;
    std::uint8_t ep_out_ = 0, ep_in_ = 0;
    bool detached_kernel_driver_ = false;
    std::uint64_t connection_ = 0;
    std::string where_;       // "bus 1 device 5"
    UsbId open_id_{};
    std::string last_error_;
};

/// A USB device that looks like a printer, with the profile it matches.
struct UsbPrinterInfo {
    int bus = 0, address = 0;
    UsbId id;
    std::string manufacturer, product, serial;  ///< empty if the device could not be opened
    bool printer_class = false;                  ///< has an interface of class 7
    std::string profile_id;                      ///< matched profile, or "generic-80"
    bool exact_match = false;                    ///< profile matched by USB id
};
/// Lists USB printers (class 7 interfaces, or a USB id some profile names).
Result<std::vector<UsbPrinterInfo>> list_usb_printers(const ProfileCatalog& catalog);

}  // namespace csc::printer
