// fake_usb_printer.hpp — an ESC/POS printer behind usbfs, emulated with umockdev, so
// UsbTransport is tested through libusb's real Linux backend (run under umockdev-wrapper).
//
// Contents: FakeUsbPrinter.
// The fake answers the usbfs ioctls libusb uses: URB submit/reap/discard for bulk OUT (the
// printed bytes), bulk IN (DLE EOT answers) and control (string descriptors); claim/release,
// get-driver/disconnect/connect (usblp detach). Behaviour knobs model printer trouble.
#pragma once

#include <umockdev.h>

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace csc::printer::test {

class FakeUsbPrinter {
public:
    struct Identity {
        std::uint16_t vendor = 0x04b8, product = 0x0e15;
        int bus = 1, address = 5;
        std::string port = "1-1";  ///< sysfs name
        std::string manufacturer = "EPSON", product_name = "TM-T20II";
    };
    FakeUsbPrinter(UMockdevTestbed* testbed, Identity id);
    ~FakeUsbPrinter();
    FakeUsbPrinter(const FakeUsbPrinter&) = delete;
    FakeUsbPrinter& operator=(const FakeUsbPrinter&) = delete;

    /// Adds the device (and its usblp-bound interface) and sends the add uevent.
    void plug();
    /// Completes in-flight URBs with -ESHUTDOWN, fails later ioctls with ENODEV, sends the
    /// remove uevent and removes the device (interface first).
    void unplug();
    /// Plug again at a new address (a re-plugged device gets a new one).
    void replug(int new_address);

    // ---- behaviour (thread-safe; the handler runs on umockdev's thread)
    /// DLE EOT answers for n = 1..4.
    void set_status(std::uint8_t n1, std::uint8_t n2, std::uint8_t n3, std::uint8_t n4);
    /// Print data accepted from now on before the printer stops taking bytes.
    void set_room(std::size_t bytes);
    /// Takes nothing at all, answers nothing (OUT and IN never complete).
    void set_stalled(bool stalled);

    // ---- what happened
    std::vector<std::uint8_t> received() const;  ///< print data of the current plug
    std::vector<std::uint8_t> received_before_unplug() const;
    int status_requests() const;
    bool kernel_driver_attached() const;
    int claims() const;
    const Identity& identity() const { return id_; }
    std::string devnode() const;
    std::string syspath() const;

private:
    struct Urb {
        UMockdevIoctlData* urb = nullptr;     // owned ref
        UMockdevIoctlData* buffer = nullptr;  // owned ref
        unsigned long client_addr = 0;
        int type = 0, endpoint = 0, length = 0;
        std::size_t accepted = 0;             // OUT: bytes taken so far
    };
    static gboolean on_ioctl(UMockdevIoctlBase* handler, UMockdevIoctlClient* client, gpointer self);
    gboolean handle(UMockdevIoctlClient* client);
    void finish(Urb u, int status, const std::uint8_t* in_data, int in_len, int actual);
    void serve_pending_locked();
    std::string description() const;

    UMockdevTestbed* testbed_;
    Identity id_;
    UMockdevIoctlBase* handler_ = nullptr;
    mutable std::mutex mutex_;
    bool present_ = false, gone_ = false, stalled_ = false, driver_attached_ = true;
    std::size_t room_ = SIZE_MAX;
    std::uint8_t status_[4] = {0x12, 0x12, 0x12, 0x12};
    std::deque<std::uint8_t> answers_;
    std::vector<Urb> pending_;     // submitted, not yet finished
    std::deque<Urb> reapable_;     // finished, waiting for REAPURB
    std::vector<std::uint8_t> received_, received_before_;
    int status_requests_ = 0, claims_ = 0;
};

}  // namespace csc::printer::test
