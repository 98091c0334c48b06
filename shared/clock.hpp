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
