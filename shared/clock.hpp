// clock.hpp — the injected source of time. Nothing in the project reads the system clock
// except SystemClock, so a test can live through a whole day in a second.
#pragma once

#include <atomic>
#include <cstdint>

namespace csc {

/// Milliseconds since the Unix epoch, UTC.
using Millis = std::int64_t;

/// Source of the current time.
class Clock {
public:
    virtual ~Clock() = default;
    /// Current time, ms since the Unix epoch (UTC).
    [[nodiscard]] virtual Millis now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock {
public:
    [[nodiscard]] Millis now() const override;
};

/// The wall clock shifted by a fixed offset: a demo or an end-to-end test can run the real
/// program "on Tuesday at 10:00" (see the CSC_NOW environment variable in kiosk/cli/context).
class OffsetClock final : public Clock {
public:
    [[nodiscard]] Millis now() const override { return system_.now() + offset_.load(); }
    /// From now on, now() starts at `start` and runs at real speed.
    void start_at(Millis start) { offset_.store(start - system_.now()); }

private:
    SystemClock system_;
    std::atomic<Millis> offset_{0};
};

/// A clock the test moves by hand. Thread-safe.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Millis start = 0) : t_(start) {}
    [[nodiscard]] Millis now() const override { return t_.load(); }
    /// Jump to an absolute time.
    void set(Millis t) { t_.store(t); }
    /// Move forward by dt milliseconds.
    void advance(Millis dt) { t_.fetch_add(dt); }

private:
    std::atomic<Millis> t_;
};

}  // namespace csc
