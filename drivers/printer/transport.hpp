// transport.hpp — how job bytes reach a printer, and whether the ticket came out.
//
// Contents: PrintProblem, PrintOutcome, Transport, PrintJob, MemoryTransport, FileTransport,
//           TransportSpec, parse_printer_option(), open_transport().
// Contract: send() never throws and never blocks longer than the transport's timeouts; a job
// counts as printed only when all its bytes were accepted AND the status read after it is
// good. PrintJob resends only bytes the printer has not accepted yet.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/printer/printer_status.hpp"
#include "shared/result.hpp"

namespace csc::printer {

/// Why a job did not print (None when it did).
enum class PrintProblem {
    None,
    NotConnected,   ///< no printer found / could not be opened
    Stalled,        ///< the printer stopped accepting data within the timeout
    Disconnected,   ///< unplugged during the job
    PaperEnd,
    CoverOpen,
    Offline,
    PrinterError,   ///< cutter / unrecoverable / other error bit
    NoStatus,       ///< bytes accepted but the printer did not answer the status request
    IoError,
};
std::string_view to_string(PrintProblem p);

/// The result of one send.
struct PrintOutcome {
    bool printed = false;             ///< all bytes accepted and status good afterwards
    std::size_t bytes_accepted = 0;   ///< of the bytes passed to this send()
    std::size_t bytes_total = 0;
    PrintProblem problem = PrintProblem::None;
    std::string reason;               ///< readable, e.g. "paper end after 1200 of 5400 bytes"
    PrinterStatus status;             ///< the status read after the bytes (if any)
};

/// A byte channel to one printer. One thread at a time.
class Transport {
public:
    virtual ~Transport();
    /// Sends the bytes, then reads the status. See PrintOutcome.
    virtual PrintOutcome send(std::span<const std::uint8_t> job) = 0;
    /// Real-time status (DLE EOT 1..4 where the printer supports it).
    virtual PrinterStatus status() = 0;
    /// "USB 04b8:0e28 bus 1 device 5 (Epson TM-T20III)", "file /tmp/x.bin", ...
    [[nodiscard]] virtual std::string describe() const = 0;
    /// Changes whenever the device was (re)opened: a job half-sent on an older connection
    /// must restart from its first byte. Transports without reconnects return 0.
    [[nodiscard]] virtual std::uint64_t connection_id() const { return 0; }
    /// Notices an unplug/re-plug now (before a job decides what to resend) and opens the
    /// device if it is back. Transports without reconnects do nothing.
    virtual void refresh_connection() {}
    /// Bytes to send before restarting a job on a new connection (e.g. clear printer buffers).
    [[nodiscard]] virtual std::vector<std::uint8_t> recovery_prefix() const { return {}; }
};

/// A job that can be retried: remembers how many bytes the printer already took, so a retry
/// after a timeout or paper end never sends them twice (CUPS policy). If the connection changed
/// in between (unplug/re-plug), the job restarts from byte 0 after the transport's recovery
/// prefix, because the printer may have lost its buffer.
class PrintJob {
public:
    explicit PrintJob(std::vector<std::uint8_t> bytes, std::string label = {});
    /// Sends what is left (or, if everything was accepted, only re-reads the status).
    PrintOutcome send_via(Transport& transport);
    [[nodiscard]] bool printed() const { return printed_; }
    [[nodiscard]] std::size_t accepted() const { return accepted_; }
    [[nodiscard]] std::size_t size() const { return bytes_.size(); }
    [[nodiscard]] int attempts() const { return attempts_; }
    [[nodiscard]] const std::string& label() const { return label_; }
    [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return bytes_; }
    /// Overwrites the job's bytes with zeros (explicit_bzero) and drops them: for jobs that
    /// carried a secret (the CRS PIN receipt). A wiped job has nothing left to send.
    void wipe();

private:
    std::vector<std::uint8_t> bytes_;
    std::string label_;
    std::size_t accepted_ = 0;
    std::uint64_t connection_ = 0;
    bool started_ = false, printed_ = false;
    int attempts_ = 0;
};

/// Collects bytes in memory (tests, previews). Status is whatever the test sets.
class MemoryTransport final : public Transport {
public:
    MemoryTransport();
    PrintOutcome send(std::span<const std::uint8_t> job) override;
    PrinterStatus status() override;
    [[nodiscard]] std::string describe() const override { return "memory"; }

    [[nodiscard]] std::vector<std::uint8_t> bytes() const;  ///< everything accepted so far
    void clear();
    void set_status(PrinterStatus s);            ///< default: online, paper OK
    void set_accept_limit(std::size_t bytes);    ///< accept at most this many more bytes (stall)

private:
    mutable std::mutex mutex_;
    std::vector<std::uint8_t> bytes_;
    PrinterStatus status_;
    std::size_t accept_limit_ = SIZE_MAX;
};

/// Appends job bytes to a file ("kiosk printer test --output FILE"). No status channel: a job
/// counts as printed once written.
class FileTransport final : public Transport {
public:
    explicit FileTransport(std::filesystem::path path);
    PrintOutcome send(std::span<const std::uint8_t> job) override;
    PrinterStatus status() override;
    [[nodiscard]] std::string describe() const override { return "file " + path_.string(); }

private:
    std::filesystem::path path_;
};

/// Which transport to open (from the CLI's --printer option and the site configuration).
struct TransportSpec {
    std::string kind;     ///< a kind of shared/printer_transports.hpp other than "auto"
    std::string path;     ///< file: output file; emulated: PNG directory or .png path
    std::string usb_id;   ///< "04b8:0e15", or empty = first USB printer-class device
    std::string profile;  ///< profile id; empty = matched by USB id, else generic-80
    int usb_timeout_ms = 5000;  ///< bulk OUT timeout per chunk
    int status_timeout_ms = 500;
};

/// Parses --printer: "usb", "usb:04b8:0e15", "emulated", "emulated:DIR|FILE.png",
/// "file:PATH", "memory" (the forms of kPrinterTransportKinds; "auto" is the program's).
Result<TransportSpec> parse_printer_option(std::string_view option);
/// Opens the transport. USB: succeeds even if no printer is plugged in yet (it connects on the
/// next send/status); fails only if libusb itself cannot start or the profile is unknown.
Result<std::unique_ptr<Transport>> open_transport(const TransportSpec& spec);

}  // namespace csc::printer
