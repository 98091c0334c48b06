#include "kiosk/web/admin_sessions.hpp"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace csc::web {

namespace {

bool is_session_id(const std::string& id) {
    if (id.size() != 64) return false;
    for (char c : id)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

bool AdminSessions::expired(const AdminSession& s, Millis now) const {
    // A clock put back (NTP) must not make a session live longer: a use "before" the sign-in
    // counts as expired too.
    return now - s.last_use >= kAdminIdleTime || now - s.signed_in >= kAdminMaxSessionTime || now < s.signed_in;
}

Result<std::string> AdminSessions::open(const std::string& name) {
    std::array<unsigned char, 32> bytes{};
    std::size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t n = getrandom(bytes.data() + got, bytes.size() - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(std::string("no random source for a dashboard session: getrandom: ") + std::strerror(errno));
        got += static_cast<std::size_t>(n);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    for (unsigned char b : bytes) {
        id += kHex[b >> 4];
        id += kHex[b & 15];
    }
    const Millis now = clock_.now();
    std::lock_guard lock(mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();)
        it = expired(it->second, now) ? sessions_.erase(it) : std::next(it);
    if (sessions_.size() >= kAdminMaxSessions) {
        auto oldest = sessions_.begin();
        for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
            if (it->second.last_use < oldest->second.last_use) oldest = it;
        sessions_.erase(oldest);
    }
    sessions_[id] = AdminSession{name, now, now};
    return id;
}

std::optional<AdminSession> AdminSessions::use(const std::string& id, bool active) {
    if (!is_session_id(id)) return std::nullopt;
    const Millis now = clock_.now();
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return std::nullopt;
    if (expired(it->second, now)) {
        sessions_.erase(it);
        return std::nullopt;
    }
    if (active) it->second.last_use = now;
    return it->second;
}

std::optional<AdminSession> AdminSessions::close(const std::string& id) {
    auto s = use(id);
    std::lock_guard lock(mutex_);
    sessions_.erase(id);
    return s;
}

std::size_t AdminSessions::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

}  // namespace csc::web
