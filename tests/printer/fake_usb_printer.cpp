#include "tests/printer/fake_usb_printer.hpp"

#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <stdexcept>

namespace csc::printer::test {
namespace {

std::string hex_bytes(const std::vector<std::uint8_t>& b) {
    std::string s;
    char buf[3];
    for (auto v : b) {
        std::snprintf(buf, sizeof buf, "%02X", v);
        s += buf;
    }
    return s;
}

// Device (18) + configuration (9) + printer interface class 7/1/2 (9) + bulk OUT 0x01 (7) +
// bulk IN 0x82 (7), as the kernel exposes them in sysfs "descriptors".
std::vector<std::uint8_t> descriptors(std::uint16_t vid, std::uint16_t pid) {
    return {0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, std::uint8_t(vid & 0xFF), std::uint8_t(vid >> 8),
            std::uint8_t(pid & 0xFF), std::uint8_t(pid >> 8), 0x00, 0x01, 0x01, 0x02, 0x03, 0x01,
            0x09, 0x02, 0x20, 0x00, 0x01, 0x01, 0x00, 0xC0, 0x01,
            0x09, 0x04, 0x00, 0x00, 0x02, 0x07, 0x01, 0x02, 0x00,
            0x07, 0x05, 0x01, 0x02, 0x40, 0x00, 0x00,
            0x07, 0x05, 0x82, 0x02, 0x40, 0x00, 0x00};
}

void update(UMockdevIoctlData* d, std::size_t offset, const void* src, std::size_t len) {
    std::vector<std::uint8_t> copy(static_cast<const std::uint8_t*>(src), static_cast<const std::uint8_t*>(src) + len);
    umockdev_ioctl_data_update(d, offset, copy.data(), static_cast<gint>(len));
}

UMockdevIoctlData* resolve(UMockdevIoctlData* d, std::size_t offset, std::size_t len) {
    GError* err = nullptr;
    UMockdevIoctlData* r = umockdev_ioctl_data_resolve(d, offset, len, &err);
    if (err) {
        std::fprintf(stderr, "fake printer: resolve failed: %s\n", err->message);
        g_error_free(err);
        return nullptr;
    }
    return r;
}

}  // namespace

FakeUsbPrinter::FakeUsbPrinter(UMockdevTestbed* testbed, Identity id) : testbed_(testbed), id_(std::move(id)) {
    handler_ = umockdev_ioctl_base_new();
    g_signal_connect(handler_, "handle-ioctl", G_CALLBACK(&FakeUsbPrinter::on_ioctl), this);
}

FakeUsbPrinter::~FakeUsbPrinter() {
    std::lock_guard lock(mutex_);
    for (auto& u : pending_) {
        if (u.urb) g_object_unref(u.urb);
        if (u.buffer) g_object_unref(u.buffer);
    }
    for (auto& u : reapable_) {
        if (u.urb) g_object_unref(u.urb);
        if (u.buffer) g_object_unref(u.buffer);
    }
    // handler_ stays referenced by the testbed until it is destroyed.
}

std::string FakeUsbPrinter::devnode() const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "/dev/bus/usb/%03d/%03d", id_.bus, id_.address);
    return buf;
}

std::string FakeUsbPrinter::syspath() const { return "/sys/devices/pci0000:00/0000:00:14.0/usb1/" + id_.port; }

std::string FakeUsbPrinter::description() const {
    char ids[64];
    std::snprintf(ids, sizeof ids, "%x/%x/100", id_.vendor, id_.product);
    char vid[8], pid[8], bus[8], dev[8];
    std::snprintf(vid, sizeof vid, "%04x", id_.vendor);
    std::snprintf(pid, sizeof pid, "%04x", id_.product);
    std::snprintf(bus, sizeof bus, "%03d", id_.bus);
    std::snprintf(dev, sizeof dev, "%03d", id_.address);
    std::string sys = syspath().substr(4);  // without "/sys"
    std::string desc = hex_bytes(descriptors(id_.vendor, id_.product));
    std::string node = devnode().substr(5);  // "bus/usb/..."
    return "P: " + sys + "\n"
           "N: " + node + "=" + desc + "\n"
           "E: DEVNAME=" + devnode() + "\n"
           "E: DEVTYPE=usb_device\n"
           "E: DRIVER=usb\n"
           "E: PRODUCT=" + ids + "\n"
           "E: TYPE=0/0/0\n"
           "E: BUSNUM=" + bus + "\n"
           "E: DEVNUM=" + dev + "\n"
           "E: SUBSYSTEM=usb\n"
           "E: ID_USB_INTERFACES=:070102:\n"
           "A: busnum=" + std::to_string(id_.bus) + "\n"
           "A: devnum=" + std::to_string(id_.address) + "\n"
           "A: speed=480\n"
           "A: bConfigurationValue=1\n"
           "A: bNumConfigurations=1\n"
           "A: bDeviceClass=00\n"
           "A: idVendor=" + vid + "\n"
           "A: idProduct=" + pid + "\n"
           "A: manufacturer=" + id_.manufacturer + "\n"
           "A: product=" + id_.product_name + "\n"
           "H: descriptors=" + desc + "\n"
           "\n"
           "P: " + sys + "/" + id_.port + ":1.0\n"
           "E: DEVTYPE=usb_interface\n"
           "E: DRIVER=usblp\n"
           "E: INTERFACE=7/1/2\n"
           "E: SUBSYSTEM=usb\n"
           "A: bInterfaceClass=07\n"
           "A: bInterfaceSubClass=01\n"
           "A: bInterfaceProtocol=02\n"
           "A: bInterfaceNumber=00\n"
           "A: bNumEndpoints=02\n";
}

void FakeUsbPrinter::plug() {
    GError* err = nullptr;
    // The handler first: a device without one would answer libusb from plain files.
    if (!umockdev_testbed_attach_ioctl(testbed_, devnode().c_str(), handler_, &err)) {
        std::string m = err ? err->message : "?";
        if (err) g_error_free(err);
        throw std::runtime_error("attach_ioctl: " + m);
    }
    {
        std::lock_guard lock(mutex_);
        gone_ = false;
        present_ = true;
        driver_attached_ = true;
    }
    if (!umockdev_testbed_add_from_string(testbed_, description().c_str(), &err)) {
        std::string m = err ? err->message : "?";
        if (err) g_error_free(err);
        throw std::runtime_error("add_from_string: " + m);
    }
    umockdev_testbed_uevent(testbed_, syspath().c_str(), "add");
}

void FakeUsbPrinter::unplug() {
    {
        std::lock_guard lock(mutex_);
        gone_ = true;
        present_ = false;
        // The kernel fails in-flight URBs with -ESHUTDOWN when the device goes away.
        std::vector<Urb> pending;
        pending.swap(pending_);
        for (auto& u : pending) finish(u, -ESHUTDOWN, nullptr, 0, int(u.accepted));
        received_before_ = received_;
    }
    umockdev_testbed_uevent(testbed_, syspath().c_str(), "remove");
    umockdev_testbed_remove_device(testbed_, (syspath() + "/" + id_.port + ":1.0").c_str());
    umockdev_testbed_remove_device(testbed_, syspath().c_str());
}

void FakeUsbPrinter::replug(int new_address) {
    {
        std::lock_guard lock(mutex_);
        id_.address = new_address;
        received_.clear();
        room_ = SIZE_MAX;  // a fresh plug: the printer's buffer is empty
        stalled_ = false;
        answers_.clear();
    }
    plug();
}

void FakeUsbPrinter::set_status(std::uint8_t n1, std::uint8_t n2, std::uint8_t n3, std::uint8_t n4) {
    std::lock_guard lock(mutex_);
    status_[0] = n1, status_[1] = n2, status_[2] = n3, status_[3] = n4;
}

void FakeUsbPrinter::set_room(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    room_ = bytes;
    serve_pending_locked();
}

void FakeUsbPrinter::set_stalled(bool stalled) {
    std::lock_guard lock(mutex_);
    stalled_ = stalled;
    if (!stalled) serve_pending_locked();
}

std::vector<std::uint8_t> FakeUsbPrinter::received() const {
    std::lock_guard lock(mutex_);
    return received_;
}
std::vector<std::uint8_t> FakeUsbPrinter::received_before_unplug() const {
    std::lock_guard lock(mutex_);
    return received_before_;
}
int FakeUsbPrinter::status_requests() const {
    std::lock_guard lock(mutex_);
    return status_requests_;
}
bool FakeUsbPrinter::kernel_driver_attached() const {
    std::lock_guard lock(mutex_);
    return driver_attached_;
}
int FakeUsbPrinter::claims() const {
    std::lock_guard lock(mutex_);
    return claims_;
}

void FakeUsbPrinter::finish(Urb u, int status, const std::uint8_t* in_data, int in_len, int actual) {
    if (in_data && in_len > 0 && u.buffer) update(u.buffer, u.type == USBDEVFS_URB_TYPE_CONTROL ? 8 : 0, in_data, std::size_t(in_len));
    update(u.urb, offsetof(usbdevfs_urb, status), &status, sizeof status);
    update(u.urb, offsetof(usbdevfs_urb, actual_length), &actual, sizeof actual);
    reapable_.push_back(u);
}

void FakeUsbPrinter::serve_pending_locked() {
    if (stalled_ || gone_) return;
    std::vector<Urb> still;
    for (auto& u : pending_) {
        if (u.endpoint & 0x80) {
            if (!answers_.empty()) {
                std::uint8_t b = answers_.front();
                answers_.pop_front();
                finish(u, 0, &b, 1, 1);
                continue;
            }
        } else {
            std::size_t want = std::size_t(u.length) - u.accepted;
            std::size_t take = std::min(want, room_);
            if (take > 0) {
                const std::uint8_t* data = u.buffer->data + u.accepted;
                received_.insert(received_.end(), data, data + take);
                if (room_ != SIZE_MAX) room_ -= take;
                u.accepted += take;
            }
            if (u.accepted == std::size_t(u.length)) {
                finish(u, 0, nullptr, 0, u.length);
                continue;
            }
        }
        still.push_back(u);
    }
    pending_.swap(still);
}

gboolean FakeUsbPrinter::on_ioctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
    return static_cast<FakeUsbPrinter*>(self)->handle(client);
}

gboolean FakeUsbPrinter::handle(UMockdevIoctlClient* client) {
    const unsigned long request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    const std::size_t size = _IOC_SIZE(request);
    std::lock_guard lock(mutex_);
    const bool stale_node = devnode() != umockdev_ioctl_client_get_devnode(client);

    if (request == USBDEVFS_REAPURBNDELAY || request == USBDEVFS_REAPURB) {
        // Only URBs of this node: after a re-plug, the old node's fd sees ENODEV.
        if (!reapable_.empty() && !stale_node) {
            Urb u = reapable_.front();
            reapable_.pop_front();
            UMockdevIoctlData* d = resolve(arg, 0, size);
            umockdev_ioctl_data_set_ptr(d, 0, u.urb);
            umockdev_ioctl_client_complete(client, 0, 0);
            g_object_unref(d);
            g_object_unref(u.urb);
            if (u.buffer) g_object_unref(u.buffer);
            return TRUE;
        }
        umockdev_ioctl_client_complete(client, -1, (gone_ || stale_node) ? ENODEV : EAGAIN);
        return TRUE;
    }
    if (gone_ || stale_node) {
        umockdev_ioctl_client_complete(client, -1, ENODEV);
        return TRUE;
    }

    switch (request) {
        case USBDEVFS_GET_CAPABILITIES: {
            UMockdevIoctlData* d = resolve(arg, 0, size);
            std::uint32_t caps = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                                 USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
            update(d, 0, &caps, sizeof caps);
            umockdev_ioctl_client_complete(client, 0, 0);
            g_object_unref(d);
            return TRUE;
        }
        case USBDEVFS_CLAIMINTERFACE:
            ++claims_;
            [[fallthrough]];
        case USBDEVFS_RELEASEINTERFACE:
        case USBDEVFS_CLEAR_HALT:
        case USBDEVFS_RESETEP:
        case USBDEVFS_SETINTERFACE:
        case USBDEVFS_SETCONFIGURATION:
            umockdev_ioctl_client_complete(client, 0, 0);
            return TRUE;
        case USBDEVFS_GETDRIVER: {
            if (!driver_attached_) {
                umockdev_ioctl_client_complete(client, -1, ENODATA);
                return TRUE;
            }
            UMockdevIoctlData* d = resolve(arg, 0, size);
            char name[USBDEVFS_MAXDRIVERNAME + 1] = "usblp";
            update(d, offsetof(usbdevfs_getdriver, driver), name, sizeof name);
            umockdev_ioctl_client_complete(client, 0, 0);
            g_object_unref(d);
            return TRUE;
        }
        case USBDEVFS_IOCTL: {
            UMockdevIoctlData* d = resolve(arg, 0, size);
            auto* io = reinterpret_cast<usbdevfs_ioctl*>(d->data);
            if (io->ioctl_code == int(USBDEVFS_DISCONNECT)) {
                if (!driver_attached_) {
                    umockdev_ioctl_client_complete(client, -1, ENODATA);
                } else {
                    driver_attached_ = false;
                    umockdev_ioctl_client_complete(client, 0, 0);
                }
            } else if (io->ioctl_code == int(USBDEVFS_CONNECT)) {
                driver_attached_ = true;
                umockdev_ioctl_client_complete(client, 0, 0);
            } else {
                umockdev_ioctl_client_complete(client, -1, ENOTTY);
            }
            g_object_unref(d);
            return TRUE;
        }
        case USBDEVFS_DISCARDURB: {
            unsigned long addr = *reinterpret_cast<unsigned long*>(arg->data);
            for (auto it = pending_.begin(); it != pending_.end(); ++it) {
                if (it->client_addr != addr) continue;
                Urb u = *it;
                pending_.erase(it);
                // Bytes the printer already took stay taken: actual_length reports them.
                finish(u, -ENOENT, nullptr, 0, int(u.accepted));
                umockdev_ioctl_client_complete(client, 0, 0);
                return TRUE;
            }
            umockdev_ioctl_client_complete(client, -1, EINVAL);
            return TRUE;
        }
        case USBDEVFS_SUBMITURB: {
            UMockdevIoctlData* d = resolve(arg, 0, sizeof(usbdevfs_urb));
            auto* urb = reinterpret_cast<usbdevfs_urb*>(d->data);
            Urb u;
            u.urb = d;
            u.client_addr = d->client_addr;
            u.type = urb->type;
            u.endpoint = urb->endpoint;
            u.length = urb->buffer_length;
            if (u.length > 0) u.buffer = resolve(d, offsetof(usbdevfs_urb, buffer), std::size_t(u.length));
            umockdev_ioctl_client_complete(client, 0, 0);

            if (u.type == USBDEVFS_URB_TYPE_CONTROL) {
                const std::uint8_t* setup = u.buffer->data;
                int w_value = setup[2] | (setup[3] << 8), w_length = setup[6] | (setup[7] << 8);
                std::vector<std::uint8_t> reply;
                if (setup[0] == 0x80 && setup[1] == 6 && (w_value >> 8) == 3) {  // GET_DESCRIPTOR string
                    int index = w_value & 0xFF;
                    if (index == 0) {
                        reply = {4, 3, 0x09, 0x04};
                    } else {
                        std::string s = index == 1 ? id_.manufacturer : index == 2 ? id_.product_name : "SN0001";
                        reply = {std::uint8_t(2 + 2 * s.size()), 3};
                        for (char c : s) reply.push_back(std::uint8_t(c)), reply.push_back(0);
                    }
                }
                if (int(reply.size()) > w_length) reply.resize(std::size_t(w_length));
                finish(u, 0, reply.data(), int(reply.size()), int(reply.size()));
                return TRUE;
            }
            if (stalled_) {
                pending_.push_back(u);
                return TRUE;
            }
            if (!(u.endpoint & 0x80) && u.length == 3 && u.buffer->data[0] == 0x10 && u.buffer->data[1] == 0x04 &&
                u.buffer->data[2] >= 1 && u.buffer->data[2] <= 4) {
                // DLE EOT n is a real-time command: answered even when the buffer is full.
                ++status_requests_;
                answers_.push_back(status_[u.buffer->data[2] - 1]);
                finish(u, 0, nullptr, 0, 3);
                serve_pending_locked();
                return TRUE;
            }
            pending_.push_back(u);
            serve_pending_locked();
            return TRUE;
        }
        default:
            umockdev_ioctl_client_complete(client, -1, ENOTTY);
            return TRUE;
    }
}

}  // namespace csc::printer::test
