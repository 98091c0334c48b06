#include "shared/staff/staff_directory.hpp"

#include <algorithm>

namespace csc {

namespace {
// Enough history to judge a lock: a lock needs kWrongPinsBeforeLock attempts in a row.
constexpr std::size_t kKeptAttempts = 64;
}  // namespace

bool StaffMember::has_role(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::string StaffDirectory::key_of(std::string_view name) {
    std::string k(name);
    for (char& c : k)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return k;
}

bool StaffDirectory::apply(const Event& e) {
    const Stamp stamp{e.time, e.id};
    if (const auto* b = std::get_if<StaffSaved>(&e.body)) {
        Record& r = records_[key_of(b->name)];
        bool changed = false;
        if (r.record_stamp < stamp) {
            r.record_stamp = stamp;
            r.name = b->name;
            r.roles = b->roles;
            r.present = true;
            changed = true;
        }
        if (!b->pin_hash.empty() && r.pin_stamp < stamp) {
            r.pin_stamp = stamp;
            r.pin_hash = b->pin_hash;
            changed = true;
        }
        return changed;
    }
    if (const auto* b = std::get_if<StaffRemoved>(&e.body)) {
        Record& r = records_[key_of(b->name)];
        if (!(r.record_stamp < stamp)) return false;
        r.record_stamp = stamp;
        if (r.name.empty()) r.name = b->name;
        r.present = false;
        return true;
    }
    if (const auto* b = std::get_if<StaffSignIn>(&e.body)) {
        Record& r = records_[key_of(b->name)];
        if (r.name.empty()) r.name = b->name;
        const Attempt a{e.time, e.id, b->ok};
        auto at = std::lower_bound(r.attempts.begin(), r.attempts.end(), a);
        if (at != r.attempts.end() && at->id == a.id && at->time == a.time) return false;
        // An attempt older than everything kept cannot change the lock any more.
        if (r.attempts.size() >= kKeptAttempts && at == r.attempts.begin()) return false;
        r.attempts.insert(at, a);
        if (r.attempts.size() > kKeptAttempts) r.attempts.erase(r.attempts.begin());
        return true;
    }
    return false;
}

std::vector<StaffMember> StaffDirectory::members() const {
    std::vector<StaffMember> out;
    for (const auto& [key, r] : records_)
        if (r.present) out.push_back({r.name, r.roles, r.pin_hash});
    std::sort(out.begin(), out.end(), [](const StaffMember& a, const StaffMember& b) { return a.name < b.name; });
    return out;
}

std::optional<StaffMember> StaffDirectory::find(std::string_view name) const {
    auto it = records_.find(key_of(name));
    if (it == records_.end() || !it->second.present) return std::nullopt;
    return StaffMember{it->second.name, it->second.roles, it->second.pin_hash};
}

// Walks the attempts in time order: kWrongPinsBeforeLock wrong ones in a row lock the name for
// kSignInLockTime from the last of them; attempts during a lock (two devices at once) do not
// count; a right PIN starts the count again.
StaffDirectory::LockView StaffDirectory::lock_view(const Record& r) const {
    LockView v;
    for (const auto& a : r.attempts) {
        if (a.time < v.lock_end) continue;
        if (a.ok) {
            v.wrong = 0;
            continue;
        }
        if (++v.wrong >= kWrongPinsBeforeLock) {
            v.lock_end = a.time + kSignInLockTime;
            v.wrong = 0;
        }
    }
    return v;
}

std::optional<Millis> StaffDirectory::locked_until(std::string_view name, Millis now) const {
    auto it = records_.find(key_of(name));
    if (it == records_.end()) return std::nullopt;
    const LockView v = lock_view(it->second);
    if (now < v.lock_end) return v.lock_end;
    return std::nullopt;
}

int StaffDirectory::wrong_in_a_row(std::string_view name) const {
    auto it = records_.find(key_of(name));
    return it == records_.end() ? 0 : lock_view(it->second).wrong;
}

}  // namespace csc
