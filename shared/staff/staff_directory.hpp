// staff_directory.hpp — the office's staff (counter operators, info-point staff, maintenance)
// as derived from the staff.* events of the whole log, and the sign-in lockout.
//
// Contents: kWrongPinsBeforeLock, kSignInLockTime, StaffMember, StaffDirectory.
// Contract: the result does not depend on the order events arrive in (a record is the last
// write by event time, then event id; sign-in attempts are a set), so every device holding the
// same staff events agrees — on the LAN too, where a PIN set on one machine works at every
// counter and a lockout holds everywhere. Applying an event twice changes nothing. Only hashes
// of PINs are ever held (argon2id, made by the application layer).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/events.hpp"

namespace csc {

/// Wrong PINs in a row (since the last right one) that lock a name's sign-in.
inline constexpr int kWrongPinsBeforeLock = 5;
/// How long a name's sign-in stays locked after the last of those wrong PINs.
inline constexpr Millis kSignInLockTime = 5 * 60'000;

/// One staff member as the log says now.
struct StaffMember {
    std::string name;
    std::vector<std::string> roles;  ///< counter | infopoint | maintenance
    std::string pin_hash;            ///< argon2id; "" = no PIN set yet (cannot sign in)
    [[nodiscard]] bool has_role(std::string_view role) const;
    bool operator==(const StaffMember&) const = default;
};

/// The staff records of every staff.* event seen, across office days.
class StaffDirectory {
public:
    /// Takes in a staff.* event (anything else is ignored); true if something changed.
    bool apply(const Event& e);
    /// Current members (not removed), sorted by name.
    [[nodiscard]] std::vector<StaffMember> members() const;
    /// The member named `name` (case-insensitive for ASCII letters), if present.
    [[nodiscard]] std::optional<StaffMember> find(std::string_view name) const;
    /// Until when the sign-in of `name` is locked at `now` (nullopt = not locked).
    [[nodiscard]] std::optional<Millis> locked_until(std::string_view name, Millis now) const;
    /// Wrong PINs since the last right one or the last lock (what is left before a lock).
    [[nodiscard]] int wrong_in_a_row(std::string_view name) const;
    /// The key names are compared by: ASCII letters folded to lower case.
    [[nodiscard]] static std::string key_of(std::string_view name);

private:
    struct Stamp {
        Millis time = 0;
        std::string id;
        bool operator<(const Stamp& o) const { return time != o.time ? time < o.time : id < o.id; }
    };
    struct Attempt {
        Millis time = 0;
        std::string id;
        bool ok = false;
        bool operator<(const Attempt& o) const { return time != o.time ? time < o.time : id < o.id; }
    };
    struct Record {
        std::string name;
        std::vector<std::string> roles;
        bool present = false;
        Stamp record_stamp;  ///< last staff.saved / staff.removed
        std::string pin_hash;
        Stamp pin_stamp;     ///< last staff.saved with a PIN hash
        std::vector<Attempt> attempts;  ///< sorted, the most recent kKeptAttempts
    };
    struct LockView {
        int wrong = 0;
        Millis lock_end = 0;
    };
    [[nodiscard]] LockView lock_view(const Record& r) const;
    std::map<std::string, Record, std::less<>> records_;  // by key_of(name)
};

}  // namespace csc
