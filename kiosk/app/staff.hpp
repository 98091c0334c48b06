// staff.hpp — the application's staff actions: add, change, remove staff members, sign in
// with a PIN; the PIN hashing (argon2id, libsodium).
//
// Contents: kStaffRoles, check_pin_format(), hash_pin(), verify_pin(), parse_roles(),
//           save_staff(), remove_staff(), SignInResult, sign_in(), migrate_operators_file().
// Contract: staff records are events in the store (shared/staff), replicated over the LAN like
// every event: a PIN set on one machine works at every counter, and the lockout (5 wrong →
// locked 5 minutes) survives restarts and holds on every device. A PIN is never stored,
// logged, sent or passed on a command line in clear: only its argon2id hash travels.
// Verifying a PIN costs ~0.1–0.5 s and 64 MB on purpose: call sign_in() off the UI thread.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/office.hpp"

namespace csc::app {

/// The staff roles: counter operator, info-point staff, maintenance (service menu).
inline constexpr std::array<std::string_view, 3> kStaffRoles{"counter", "infopoint", "maintenance"};

/// A PIN is 4–12 digits; anything else is an Error saying so (never echoing the PIN).
Result<void> check_pin_format(std::string_view pin);
/// argon2id hash of a PIN (interactive limits).
[[nodiscard]] Result<std::string> hash_pin(std::string_view pin);
/// True when `pin` matches `hash` (constant time in libsodium).
[[nodiscard]] bool verify_pin(const std::string& hash, std::string_view pin);
/// "counter,infopoint" → roles; an unknown or empty list is an Error naming the known roles.
[[nodiscard]] Result<std::vector<std::string>> parse_roles(std::string_view list);

/// Adds a staff member (`pin` required) or, if `name` exists and !must_be_new, changes roles
/// (empty = keep) and PIN ("" = keep). Recorded as staff.saved by `by`. Errors: bad name,
/// bad PIN, exists/unknown, and every store error (nothing recorded then).
[[nodiscard]] Result<StaffMember> save_staff(Office& office, const std::string& name, const std::vector<std::string>& roles,
                                             std::string_view pin, bool must_be_new, const std::string& by);
/// Removes a staff member (recorded as staff.removed by `by`); unknown name is an Error.
Result<void> remove_staff(Office& office, std::string_view name, const std::string& by);

/// What a sign-in attempt came to.
struct SignInResult {
    bool ok = false;
    std::string name;                   ///< as recorded (the member's own spelling)
    std::optional<Millis> locked_until; ///< set when the name is locked (now or by this attempt)
    int tries_left = 0;                 ///< wrong PINs left before a lock
    std::string message;                ///< why not, for the log (never the PIN)
};
/// Signs `name` in for `role` at `where` ("counter 3"): refused at once while locked; else the
/// PIN is verified and the attempt recorded (staff.sign_in: audit and LAN-wide lockout).
/// An Error only when nothing could be recorded (store, clock alarm).
[[nodiscard]] Result<SignInResult> sign_in(Office& office, std::string_view name, std::string_view pin,
                                           std::string_view role, const std::string& where);

/// DATA_DIR/operators.json (operators before staff were events) becomes staff.saved events with
/// the counter role, once; the file is then renamed operators.json.migrated and unused.
/// Returns how many were migrated (0 when there is no file).
[[nodiscard]] Result<int> migrate_operators_file(Office& office, const std::filesystem::path& data_dir);

}  // namespace csc::app
