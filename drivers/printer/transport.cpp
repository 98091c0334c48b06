#include "drivers/printer/transport.hpp"

#include <string.h>  // explicit_bzero

#include <fstream>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/profile.hpp"
#include "drivers/printer/usb_transport.hpp"
#include "shared/printer_transports.hpp"

namespace csc::printer {

Transport::~Transport() = default;

std::string_view to_string(PrintProblem p) {
    switch (p) {
        case PrintProblem::None: return "none";
        case PrintProblem::NotConnected: return "printer not connected";
        case PrintProblem::Stalled: return "printer not accepting data";
        case PrintProblem::Disconnected: return "printer unplugged";
        case PrintProblem::PaperEnd: return "paper end";
        case PrintProblem::CoverOpen: return "cover open";
        case PrintProblem::Offline: return "printer offline";
        case PrintProblem::PrinterError: return "printer error";
        case PrintProblem::NoStatus: return "printer did not confirm";
        case PrintProblem::IoError: return "USB error";
    }
    return "unknown";
}

// ---------------------------------------------------------------- PrintJob

PrintJob::PrintJob(std::vector<std::uint8_t> bytes, std::string label) : bytes_(std::move(bytes)), label_(std::move(label)) {}

void PrintJob::wipe() {
    if (!bytes_.empty()) explicit_bzero(bytes_.data(), bytes_.size());
    bytes_.clear();
    bytes_.shrink_to_fit();
    accepted_ = 0;
}

PrintOutcome PrintJob::send_via(Transport& transport) {
    ++attempts_;
    if (printed_) {
        PrintOutcome o;
        o.printed = true;
        o.bytes_accepted = o.bytes_total = bytes_.size();
        o.reason = "already printed";
        return o;
    }
    transport.refresh_connection();
    std::span<const std::uint8_t> rest(bytes_);
    std::vector<std::uint8_t> restart;
    if (started_ && transport.connection_id() != connection_ && accepted_ > 0) {
        // The printer was re-plugged (maybe power-cycled): what it had is gone or half-done.
        // Clear its buffer if the model can, and send the whole job again.
        restart = transport.recovery_prefix();
        restart.insert(restart.end(), bytes_.begin(), bytes_.end());
        rest = restart;
        accepted_ = 0;
    } else {
        rest = rest.subspan(accepted_);
    }
    std::size_t prefix = restart.empty() ? 0 : restart.size() - bytes_.size();
    PrintOutcome o;
    if (rest.empty()) {
        // Everything was accepted on this connection; only the confirmation was missing.
        o.status = transport.status();
        o.bytes_total = bytes_.size();
        o.bytes_accepted = bytes_.size();
        if (o.status.good()) {
            o.printed = true;
            o.reason = o.status.paper_near_end ? "printed (paper near end)" : "printed";
        } else {
            o.problem = !o.status.known ? PrintProblem::NoStatus
                        : o.status.paper_end ? PrintProblem::PaperEnd
                        : o.status.cover_open ? PrintProblem::CoverOpen
                        : o.status.error ? PrintProblem::PrinterError
                                         : PrintProblem::Offline;
            o.reason = "waiting for the printer: " + o.status.summary();
        }
    } else {
        o = transport.send(rest);
        std::size_t job_bytes = o.bytes_accepted > prefix ? o.bytes_accepted - prefix : 0;
        accepted_ += job_bytes;
        o.bytes_accepted = accepted_;
        o.bytes_total = bytes_.size();
    }
    started_ = true;
    connection_ = transport.connection_id();
    printed_ = o.printed;
    return o;
}

// ---------------------------------------------------------------- MemoryTransport

MemoryTransport::MemoryTransport() {
    status_.known = true;
    status_.online = true;
}

PrintOutcome MemoryTransport::send(std::span<const std::uint8_t> job) {
    std::lock_guard lock(mutex_);
    PrintOutcome o;
    o.bytes_total = job.size();
    std::size_t n = std::min(job.size(), accept_limit_);
    bytes_.insert(bytes_.end(), job.begin(), job.begin() + static_cast<std::ptrdiff_t>(n));
    if (accept_limit_ != SIZE_MAX) accept_limit_ -= n;
    o.bytes_accepted = n;
    o.status = status_;
    if (n < job.size()) {
        o.problem = PrintProblem::Stalled;
        o.reason = "memory transport: accept limit reached after " + std::to_string(n) + " bytes";
    } else if (!status_.good()) {
        o.problem = status_.paper_end ? PrintProblem::PaperEnd : status_.cover_open ? PrintProblem::CoverOpen : PrintProblem::Offline;
        o.reason = "status after the job: " + status_.summary();
    } else {
        o.printed = true;
        o.reason = "printed";
    }
    return o;
}

PrinterStatus MemoryTransport::status() {
    std::lock_guard lock(mutex_);
    return status_;
}

std::vector<std::uint8_t> MemoryTransport::bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

void MemoryTransport::clear() {
    std::lock_guard lock(mutex_);
    bytes_.clear();
}

void MemoryTransport::set_status(PrinterStatus s) {
    std::lock_guard lock(mutex_);
    status_ = std::move(s);
}

void MemoryTransport::set_accept_limit(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    accept_limit_ = bytes;
}

// ---------------------------------------------------------------- FileTransport

FileTransport::FileTransport(std::filesystem::path path) : path_(std::move(path)) {}

PrintOutcome FileTransport::send(std::span<const std::uint8_t> job) {
    PrintOutcome o;
    o.bytes_total = job.size();
    std::ofstream out(path_, std::ios::binary | std::ios::app);
    if (out) out.write(reinterpret_cast<const char*>(job.data()), static_cast<std::streamsize>(job.size()));
    if (!out) {
        o.problem = PrintProblem::IoError;
        o.reason = "cannot write " + path_.string();
        return o;
    }
    o.bytes_accepted = job.size();
    o.printed = true;
    o.reason = "written to " + path_.string() + " (no printer status)";
    o.status = status();
    return o;
}

PrinterStatus FileTransport::status() {
    PrinterStatus s;
    s.detail = "file output has no printer status";
    return s;
}

// ---------------------------------------------------------------- factory

Result<TransportSpec> parse_printer_option(std::string_view option) {
    TransportSpec spec;
    auto colon = option.find(':');
    std::string_view kind = option.substr(0, colon);
    std::string_view rest = colon == std::string_view::npos ? std::string_view{} : option.substr(colon + 1);
    const std::string forms = "use " + printer_transport_names(true);
    const PrinterTransportKind* known = find_printer_transport_kind(kind);
    // "auto" is resolved by the program (it needs the configuration), never opened here.
    if (known == nullptr || !known->in_option || kind == "auto")
        return fail("--printer '" + std::string(option) + "' not understood; " + forms);
    spec.kind = std::string(kind);
    if (kind == "usb") {
        if (!rest.empty()) {
            auto id = parse_usb_id(rest);
            if (!id) return fail("--printer " + std::string(option) + ": " + id.error().message);
            spec.usb_id = id->str();
        }
    } else if (kind == "emulated") {
        spec.path = std::string(rest);
    } else if (kind == "file") {
        if (rest.empty()) return fail("--printer file: needs a path (file:/tmp/ticket.bin)");
        spec.path = std::string(rest);
    } else if (!rest.empty()) {  // memory takes nothing after it
        return fail("--printer '" + std::string(option) + "' not understood; " + forms);
    }
    return spec;
}

Result<std::unique_ptr<Transport>> open_transport(const TransportSpec& spec) {
    std::optional<Profile> profile;
    if (!spec.profile.empty()) {
        auto p = find_profile(spec.profile);
        if (!p) return p.error();
        profile = *p;
    }
    if (spec.kind == "memory") return std::unique_ptr<Transport>(std::make_unique<MemoryTransport>());
    if (spec.kind == "file") {
        if (spec.path.empty()) return fail("file printer needs a path");
        return std::unique_ptr<Transport>(std::make_unique<FileTransport>(spec.path));
    }
    if (spec.kind == "emulated") {
        if (!profile) {
            auto fallback = find_profile("generic-80");
            if (!fallback) return fallback.error();
            profile = *fallback;
        }
        if (!spec.path.empty() && std::filesystem::path(spec.path).extension() != ".png") {
            std::error_code ec;
            std::filesystem::create_directories(spec.path, ec);
            if (ec) return fail("emulated printer: cannot create " + spec.path + ": " + ec.message());
        }
        return std::unique_ptr<Transport>(std::make_unique<EmulatedTransport>(*profile, spec.path));
    }
    if (spec.kind == "usb") {
        UsbOptions o;
        if (!spec.usb_id.empty()) {
            auto id = parse_usb_id(spec.usb_id);
            if (!id) return id.error();
            o.id = *id;
        }
        o.write_timeout_ms = spec.usb_timeout_ms;
        o.status_timeout_ms = spec.status_timeout_ms;
        auto t = UsbTransport::create(o, profile);
        if (!t) return t.error();
        return std::unique_ptr<Transport>(std::move(t).value());
    }
    return fail("unknown printer kind '" + spec.kind + "' (" + printer_transport_names(false) + ", memory)");
}

}  // namespace csc::printer
