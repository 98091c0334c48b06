#include "kiosk/app/presence_beacon.hpp"

#include <chrono>
#include <iostream>
#include <set>

#include "shared/presence/presence_board.hpp"

namespace csc::app {

using presence::PrinterState;

presence::PrinterPresence printer_presence(const printer::PrinterStatus& st, bool printed, Millis now) {
    presence::PrinterPresence p;
    p.checked = now;
    p.detail = st.summary();
    // No status channel: only the job's outcome is known ("printed, no status" or "error").
    if (!st.known) p.state = printed ? PrinterState::Unknown : PrinterState::Error;
    else if (st.cover_open) p.state = PrinterState::CoverOpen;
    else if (st.paper_end) p.state = PrinterState::PaperEnd;
    else if (st.error) p.state = PrinterState::Error;
    else if (!st.online) p.state = PrinterState::Offline;
    else if (st.paper_near_end) p.state = PrinterState::PaperNearEnd;
    else p.state = PrinterState::Ok;
    if (!printed && p.state == PrinterState::Ok) p.state = PrinterState::Error;  // it said good, yet the job failed
    return p;
}

PresenceBeacon::PresenceBeacon(Context& ctx, std::string role, int counter, LanSession* lan) : ctx_(ctx), lan_(lan) {
    base_.device = ctx.office->device();
    base_.role = std::move(role);
    base_.counter = base_.role == "counter" ? counter : 0;
    base_.started = ctx.clock.now();
    thread_ = std::thread([this] { loop(); });
}

PresenceBeacon::~PresenceBeacon() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    send(status_now(true));
}

void PresenceBeacon::has_printer() {
    {
        std::lock_guard lock(mutex_);
        if (printer_) return;
        printer_ = presence::PrinterPresence{};
        wake_ = true;  // said at once, not 15 s after a first status without it
    }
    cv_.notify_all();
}

void PresenceBeacon::printer_checked(const printer::PrinterStatus& status, bool printed) {
    const Millis now = ctx_.clock.now();
    const int day = ctx_.config.timezone.day_key(now);
    {
        std::lock_guard lock(mutex_);
        const int before = printer_ && printed_day_ == day ? printer_->printed : 0;
        printer_ = printer_presence(status, printed, now);
        printer_->printed = before + (printed ? 1 : 0);
        printed_day_ = day;
        wake_ = true;
    }
    cv_.notify_all();
}

presence::DeviceStatus PresenceBeacon::status_now(bool stopping) {
    presence::DeviceStatus s = base_;
    s.sent = ctx_.clock.now();
    s.stopping = stopping;
    {
        std::lock_guard lock(mutex_);
        s.printer = printer_;
        if (s.printer && printed_day_ != ctx_.config.timezone.day_key(s.sent)) s.printer->printed = 0;  // a new day
    }
    if (lan_) {
        const sync::SyncStatus st = lan_->status();
        s.sync = presence::SyncPresence{st.online, st.applied_seq, st.stream_last_seq, st.unconfirmed, st.last_error};
    }
    return s;
}

void PresenceBeacon::send(const presence::DeviceStatus& s) {
    if (auto r = presence::put_status(ctx_.data_dir, s, ctx_.clock.now()); !r) {
        static std::once_flag told;  // a full disk is said by the store too: once here is enough
        std::call_once(told, [&] { std::cerr << "kiosk: " << r.error().message << '\n'; });
    }
    if (lan_) lan_->replicator().send_presence(presence::write_device_status(s));
}

void PresenceBeacon::loop() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        lock.unlock();
        send(status_now(false));
        lock.lock();
        cv_.wait_for(lock, std::chrono::milliseconds(presence::kPresenceEveryMs), [this] { return stop_ || wake_; });
        wake_ = false;
    }
}

void keep_heard_statuses(sync::Replicator& replicator, const std::filesystem::path& data_dir, const Clock& clock,
                         std::string own_device) {
    replicator.on_presence([data_dir, &clock, own = std::move(own_device), told = std::set<std::string>()](
                               std::string_view device, std::string_view payload) mutable {
        if (device == own) return;  // this machine's programs write their own
        auto s = presence::read_device_status(payload);
        std::string problem;
        if (!s) problem = s.error().message;
        else if (s->device != device)
            problem = "device status refused: it names device \"" + s->device + "\" but came on the subject of \"" +
                      std::string(device) + "\"";
        if (!problem.empty()) {
            // Once per sender (bounded): a broken device repeats itself every 15 s.
            if (told.size() < 100 && told.insert(std::string(device.substr(0, 64))).second)
                sync::sync_log("status from " + std::string(device.substr(0, 64)) + ": " + problem);
            return;
        }
        if (auto r = presence::put_status(data_dir, *s, clock.now()); !r) sync::sync_log(r.error().message);
    });
}

}  // namespace csc::app
