// admin_sessions.hpp — the signed-in staff of the IT dashboard (/admin, docs/WEB.md): session
// ids handed to the browser as a cookie, with idle and absolute expiry.
//
// Contents: kAdminIdleTime, kAdminMaxSessionTime, kAdminMaxSessions, AdminSession, AdminSessions.
// Contract: an id is 32 bytes from the kernel's random source (getrandom), 64 hex characters:
// unguessable. Sessions live in the serving process's memory only: a restart of `kiosk serve`
// signs everybody out, and another device serving the web does not know them. Time is the
// injected clock's: a session ends kAdminIdleTime after its last use, and kAdminMaxSessionTime
// after its sign-in whatever the use. At most kAdminMaxSessions at once (the oldest one goes).
// Thread-safe (the web server's worker threads share one).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "shared/clock.hpp"
#include "shared/result.hpp"

namespace csc::web {

/// A session ends this long after its last use.
inline constexpr Millis kAdminIdleTime = 15 * 60'000;
/// … and this long after its sign-in, however busy.
inline constexpr Millis kAdminMaxSessionTime = 8 * 3'600'000;
/// Sessions held at once; a new one beyond this ends the oldest.
inline constexpr std::size_t kAdminMaxSessions = 64;

/// One signed-in staff member.
struct AdminSession {
    std::string name;     ///< the member as recorded (their own spelling)
    Millis signed_in = 0; ///< when the session began (injected clock)
    Millis last_use = 0;  ///< the last request that used it
};

/// The dashboard's sessions, by id.
class AdminSessions {
public:
    /// `clock` must outlive the sessions.
    explicit AdminSessions(const Clock& clock) : clock_(clock) {}

    /// A new session for `name`; its id (64 hex characters). Error: no random source.
    [[nodiscard]] Result<std::string> open(const std::string& name);
    /// The session of `id` if it is still valid now (with `active`, its last use becomes now:
    /// a page's automatic refresh is not a use); an expired one is forgotten. Unknown,
    /// malformed or expired: nullopt.
    [[nodiscard]] std::optional<AdminSession> use(const std::string& id, bool active = true);
    /// Ends the session of `id`; returns it if it was valid.
    std::optional<AdminSession> close(const std::string& id);
    /// Sessions held now (expired ones included until next looked at).
    [[nodiscard]] std::size_t size() const;

private:
    [[nodiscard]] bool expired(const AdminSession& s, Millis now) const;
    const Clock& clock_;
    mutable std::mutex mutex_;
    std::map<std::string, AdminSession, std::less<>> sessions_;
};

}  // namespace csc::web
