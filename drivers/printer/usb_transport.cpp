#include "drivers/printer/usb_transport.hpp"

#include <libusb.h>

#include <cstdio>
#include <sys/time.h>

namespace csc::printer {
namespace {

struct Endpoints {
    int interface = -1, alt = 0;
    std::uint8_t out = 0, in = 0;
    bool printer_class = false;
};

// The first printer-class interface with a bulk OUT endpoint; with `any_class` (the device was
// chosen by VID:PID) a vendor-class interface is fine too — some Epson models present one.
std::optional<Endpoints> find_endpoints(libusb_device* dev, bool any_class) {
    libusb_config_descriptor* cfg = nullptr;
    if (libusb_get_active_config_descriptor(dev, &cfg) != 0 && libusb_get_config_descriptor(dev, 0, &cfg) != 0)
        return std::nullopt;
    std::optional<Endpoints> best;
    for (int i = 0; i < cfg->bNumInterfaces && !best; ++i) {
        const libusb_interface& itf = cfg->interface[i];
        for (int a = 0; a < itf.num_altsetting; ++a) {
            const libusb_interface_descriptor& d = itf.altsetting[a];
            bool printer = d.bInterfaceClass == LIBUSB_CLASS_PRINTER;
            if (!printer && !(any_class && d.bInterfaceClass == LIBUSB_CLASS_VENDOR_SPEC)) continue;
            Endpoints e{d.bInterfaceNumber, d.bAlternateSetting, 0, 0, printer};
            for (int k = 0; k < d.bNumEndpoints; ++k) {
                const libusb_endpoint_descriptor& ep = d.endpoint[k];
                if ((ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK) continue;
                if (ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) {
                    if (!e.in) e.in = ep.bEndpointAddress;
                } else if (!e.out) {
                    e.out = ep.bEndpointAddress;
                }
            }
            if (!e.out) continue;
            // Prefer the bidirectional protocol (2): it has the IN endpoint status needs.
            if (!best || (e.in && !best->in)) best = e;
        }
    }
    libusb_free_config_descriptor(cfg);
    return best;
}

std::string usb_error(int rc) { return libusb_error_name(rc); }

std::string string_descriptor(libusb_device_handle* h, std::uint8_t index) {
    if (index == 0) return {};
    unsigned char buf[256];
    int n = libusb_get_string_descriptor_ascii(h, index, buf, sizeof buf);
    if (n <= 0) return {};
    std::string s(reinterpret_cast<char*>(buf), std::size_t(n));
    for (char& c : s)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return s;
}

}  // namespace

Result<std::unique_ptr<UsbTransport>> UsbTransport::create(UsbOptions options, std::optional<Profile> profile) {
    std::unique_ptr<UsbTransport> t(new UsbTransport());
    t->options_ = options;
    if (profile) {
        t->profile_ = *profile;
        t->profile_given_ = true;
    } else if (const Profile* p = options.id ? active_profiles().match_usb(*options.id) : nullptr) {
        t->profile_ = *p;
    } else {
        auto g = find_profile("generic-80");
        if (g) t->profile_ = *g;
    }
    int rc = libusb_init(&t->ctx_);
    if (rc != 0) {
        t->ctx_ = nullptr;
        return fail("libusb cannot start: " + usb_error(rc));
    }
    if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
        int vid = options.id ? options.id->vendor : LIBUSB_HOTPLUG_MATCH_ANY;
        int pid = options.id ? options.id->product : LIBUSB_HOTPLUG_MATCH_ANY;
        rc = libusb_hotplug_register_callback(
            t->ctx_, static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
            LIBUSB_HOTPLUG_NO_FLAGS, vid, pid, LIBUSB_HOTPLUG_MATCH_ANY,
            [](libusb_context* c, libusb_device* d, libusb_hotplug_event e, void* self) {
                return UsbTransport::hotplug_cb(c, d, e, self);
            },
            t.get(), &t->hotplug_handle_);
        t->hotplug_ = rc == 0;
    }
    return t;
}

UsbTransport::~UsbTransport() {
    std::lock_guard lock(mutex_);
    close_device();
    if (ctx_) {
        if (hotplug_) libusb_hotplug_deregister_callback(ctx_, hotplug_handle_);
        libusb_exit(ctx_);
    }
}

int UsbTransport::hotplug_cb(libusb_context*, libusb_device* dev, int event, void* self) {
    auto* t = static_cast<UsbTransport*>(self);
    // Runs inside libusb_handle_events (called from pump_events, mutex held): flags only.
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT && t->handle_ && libusb_get_device(t->handle_) == dev)
        t->device_left_ = true;
    return 0;
}

void UsbTransport::pump_events() {
    if (!hotplug_) return;
    timeval zero{0, 0};
    libusb_handle_events_timeout_completed(ctx_, &zero, nullptr);
    if (device_left_.exchange(false)) {
        last_error_ = "printer unplugged";
        close_device();
    }
}

void UsbTransport::close_device() {
    if (!handle_) return;
    libusb_release_interface(handle_, interface_);
    // Give the port back to usblp as we found it (CUPS does the same unless a quirk says not).
    if (detached_kernel_driver_) libusb_attach_kernel_driver(handle_, interface_);
    libusb_close(handle_);
    handle_ = nullptr;
    detached_kernel_driver_ = false;
}

std::uint64_t UsbTransport::connection_id() const {
    std::lock_guard lock(mutex_);
    return connection_;
}

void UsbTransport::refresh_connection() {
    std::lock_guard lock(mutex_);
    pump_events();
    if (!handle_) (void)connect();  // failure is reported by the send that follows
}

bool UsbTransport::connected() const {
    std::lock_guard lock(mutex_);
    return handle_ != nullptr;
}

Result<void> UsbTransport::connect() {
    if (handle_) return {};
    libusb_device** list = nullptr;
    ssize_t n = libusb_get_device_list(ctx_, &list);
    if (n < 0) return fail("cannot list USB devices: " + usb_error(int(n)));
    libusb_device* chosen = nullptr;
    Endpoints eps;
    for (ssize_t i = 0; i < n && !chosen; ++i) {
        libusb_device_descriptor d{};
        if (libusb_get_device_descriptor(list[i], &d) != 0) continue;
        if (options_.id && (d.idVendor != options_.id->vendor || d.idProduct != options_.id->product)) continue;
        if (auto e = find_endpoints(list[i], options_.id.has_value())) {
            chosen = list[i];
            eps = *e;
            open_id_ = {d.idVendor, d.idProduct};
        }
    }
    std::string wanted = options_.id ? "USB printer " + options_.id->str() : "a USB printer (class 7)";
    if (!chosen) {
        libusb_free_device_list(list, 1);
        return fail("no " + wanted + " connected");
    }
    char where[64];
    std::snprintf(where, sizeof where, "bus %d device %d", libusb_get_bus_number(chosen), libusb_get_device_address(chosen));
    libusb_device_handle* h = nullptr;
    int rc = libusb_open(chosen, &h);
    libusb_free_device_list(list, 1);
    if (rc == LIBUSB_ERROR_ACCESS)
        return fail(std::string("permission denied opening ") + where + ": install packaging/udev/60-csc-kiosk-printer.rules "
                    "and add the kiosk user to group csc-kiosk");
    if (rc != 0) return fail(std::string("cannot open ") + where + ": " + usb_error(rc));

    detached_kernel_driver_ = false;
    if (libusb_kernel_driver_active(h, eps.interface) == 1) {
        rc = libusb_detach_kernel_driver(h, eps.interface);
        if (rc != 0 && rc != LIBUSB_ERROR_NOT_FOUND) {
            libusb_close(h);
            return fail(std::string("cannot detach the kernel printer driver (usblp) from ") + where + ": " + usb_error(rc));
        }
        detached_kernel_driver_ = rc == 0;
    }
    rc = libusb_claim_interface(h, eps.interface);
    if (rc != 0) {
        if (detached_kernel_driver_) libusb_attach_kernel_driver(h, eps.interface);
        libusb_close(h);
        return fail(std::string("cannot claim the printer at ") + where + ": " +
                    (rc == LIBUSB_ERROR_BUSY ? "in use by another program" : usb_error(rc)));
    }
    if (eps.alt != 0) libusb_set_interface_alt_setting(h, eps.interface, eps.alt);
    handle_ = h;
    interface_ = eps.interface;
    ep_out_ = eps.out;
    ep_in_ = eps.in;
    where_ = where;
    device_left_ = false;
    ++connection_;
    if (!profile_given_)
        if (const Profile* p = active_profiles().match_usb(open_id_)) profile_ = *p;
    last_error_.clear();
    return {};
}

PrinterStatus UsbTransport::query_status() {
    PrinterStatus s;
    if (!handle_) {
        s.detail = last_error_.empty() ? "not connected" : last_error_;
        return s;
    }
    if (!profile_.realtime_status || !ep_in_) {
        s.detail = "printer has no status channel";
        return s;
    }
    std::uint8_t answers[4] = {};
    for (int n = 1; n <= 4; ++n) {
        std::uint8_t req[3] = {0x10, 0x04, std::uint8_t(n)};
        int done = 0;
        int rc = libusb_bulk_transfer(handle_, ep_out_, req, 3, &done, options_.status_timeout_ms);
        if (rc == 0 && done == 3) {
            std::uint8_t buf[64];
            int got = 0;
            rc = libusb_bulk_transfer(handle_, ep_in_, buf, sizeof buf, &got, options_.status_timeout_ms);
            if (rc == 0 && got > 0) {
                answers[n - 1] = buf[got - 1];  // the newest byte: older ones are stale answers
                continue;
            }
            if (rc == 0) rc = LIBUSB_ERROR_TIMEOUT;
        } else if (rc == 0) {
            rc = LIBUSB_ERROR_TIMEOUT;
        }
        if (rc == LIBUSB_ERROR_NO_DEVICE) {
            close_device();
            s.detail = "printer unplugged";
        } else if (rc == LIBUSB_ERROR_TIMEOUT) {
            s.detail = "no answer to DLE EOT " + std::to_string(n) + " within " + std::to_string(options_.status_timeout_ms) + " ms";
        } else {
            s.detail = "status request failed: " + usb_error(rc);
            if (rc == LIBUSB_ERROR_PIPE) libusb_clear_halt(handle_, ep_in_);
        }
        last_error_ = s.detail;
        return s;
    }
    return decode_status_bytes(answers[0], answers[1], answers[2], answers[3]);
}

PrinterStatus UsbTransport::status() {
    std::lock_guard lock(mutex_);
    pump_events();
    if (!handle_) {
        if (auto r = connect(); !r) {
            PrinterStatus s;
            s.detail = r.error().message;
            return s;
        }
    }
    return query_status();
}

PrintOutcome UsbTransport::send(std::span<const std::uint8_t> job) {
    std::lock_guard lock(mutex_);
    PrintOutcome o;
    o.bytes_total = job.size();
    pump_events();
    if (!handle_) {
        if (auto r = connect(); !r) {
            o.problem = PrintProblem::NotConnected;
            o.reason = r.error().message;
            o.status.detail = r.error().message;
            return o;
        }
    }
    std::size_t done = 0;
    int pipe_retries = 0, interrupted_retries = 0;
    while (done < job.size() && o.problem == PrintProblem::None) {
        std::size_t chunk = std::min(options_.chunk_bytes, job.size() - done);
        int transferred = 0;
        int rc = libusb_bulk_transfer(handle_, ep_out_, const_cast<std::uint8_t*>(job.data() + done), int(chunk),
                                      &transferred, options_.write_timeout_ms);
        done += std::size_t(std::max(0, transferred));  // counted on every path: never resent
        switch (rc) {
            case LIBUSB_SUCCESS: break;
            case LIBUSB_ERROR_TIMEOUT:
                o.problem = PrintProblem::Stalled;
                o.reason = "printer stopped accepting data after " + std::to_string(done) + " of " +
                           std::to_string(job.size()) + " bytes (" + std::to_string(options_.write_timeout_ms) + " ms timeout)";
                break;
            case LIBUSB_ERROR_PIPE:
                if (pipe_retries++ == 0 && libusb_clear_halt(handle_, ep_out_) == 0) break;
                o.problem = PrintProblem::IoError;
                o.reason = "endpoint stalled twice after " + std::to_string(done) + " bytes";
                close_device();
                break;
            case LIBUSB_ERROR_INTERRUPTED:
                if (interrupted_retries++ == 0) break;
                [[fallthrough]];
            default:
                o.problem = rc == LIBUSB_ERROR_NO_DEVICE ? PrintProblem::Disconnected : PrintProblem::IoError;
                o.reason = (rc == LIBUSB_ERROR_NO_DEVICE ? std::string("printer unplugged") : "USB error " + usb_error(rc)) +
                           " after " + std::to_string(done) + " of " + std::to_string(job.size()) + " bytes";
                last_error_ = o.reason;
                close_device();
                break;
        }
    }
    o.bytes_accepted = done;
    o.status = query_status();
    const PrinterStatus& s = o.status;
    if (o.problem == PrintProblem::None || o.problem == PrintProblem::Stalled) {
        // Say why the printer stalled if it can tell us.
        PrintProblem why = PrintProblem::None;
        if (s.known) {
            if (s.paper_end) why = PrintProblem::PaperEnd;
            else if (s.cover_open) why = PrintProblem::CoverOpen;
            else if (s.error) why = PrintProblem::PrinterError;
            else if (!s.online) why = PrintProblem::Offline;
        }
        if (why != PrintProblem::None) {
            o.problem = why;
            o.reason = std::string(to_string(why)) + " (" + s.summary() + "); " + std::to_string(done) + " of " +
                       std::to_string(job.size()) + " bytes accepted";
        } else if (o.problem == PrintProblem::None) {
            if (s.known) {
                o.printed = true;
                o.reason = s.paper_near_end ? "printed (paper near end)" : "printed";
            } else if (profile_.realtime_status && ep_in_) {
                o.problem = PrintProblem::NoStatus;
                o.reason = "all bytes sent but the printer did not confirm: " + s.detail;
            } else {
                o.printed = true;  // nothing more can be known from a unidirectional printer
                o.reason = "sent (printer has no status channel)";
            }
        }
    }
    return o;
}

std::string UsbTransport::describe() const {
    std::lock_guard lock(mutex_);
    std::string who = options_.id ? options_.id->str() : "printer-class device";
    if (handle_) return "USB " + open_id_.str() + " " + where_ + " (" + profile_.name + ")";
    return "USB " + who + " (not connected" + (last_error_.empty() ? "" : ": " + last_error_) + ")";
}

Result<std::vector<UsbPrinterInfo>> list_usb_printers(const ProfileCatalog& catalog) {
    libusb_context* ctx = nullptr;
    int rc = libusb_init(&ctx);
    if (rc != 0) return fail("libusb cannot start: " + usb_error(rc));
    libusb_device** list = nullptr;
    ssize_t n = libusb_get_device_list(ctx, &list);
    if (n < 0) {
        libusb_exit(ctx);
        return fail("cannot list USB devices: " + usb_error(int(n)));
    }
    std::vector<UsbPrinterInfo> out;
    for (ssize_t i = 0; i < n; ++i) {
        libusb_device_descriptor d{};
        if (libusb_get_device_descriptor(list[i], &d) != 0) continue;
        UsbPrinterInfo info;
        info.id = {d.idVendor, d.idProduct};
        info.bus = libusb_get_bus_number(list[i]);
        info.address = libusb_get_device_address(list[i]);
        const Profile* p = catalog.match_usb(info.id);
        auto eps = find_endpoints(list[i], p != nullptr);
        if (!eps) continue;
        info.printer_class = eps->printer_class;
        info.profile_id = p ? p->id : "generic-80";
        info.exact_match = p != nullptr;
        libusb_device_handle* h = nullptr;
        if (libusb_open(list[i], &h) == 0) {
            info.manufacturer = string_descriptor(h, d.iManufacturer);
            info.product = string_descriptor(h, d.iProduct);
            info.serial = string_descriptor(h, d.iSerialNumber);
            libusb_close(h);
        }
        out.push_back(std::move(info));
    }
    libusb_free_device_list(list, 1);
    libusb_exit(ctx);
    return out;
}

}  // namespace csc::printer
