#include "kiosk/app/staff.hpp"

#include <sodium.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "shared/text_check.hpp"

namespace csc::app {

namespace {

constexpr const char* kOperatorsFile = "operators.json";
constexpr std::size_t kMaxStaffNameChars = 60;  // what the sign-in list shows

Result<void> sodium_ready() {
    if (sodium_init() < 0) return fail("libsodium could not start");
    return {};
}

std::string known_roles() {
    std::string out;
    for (auto r : kStaffRoles) out += (out.empty() ? "" : ", ") + std::string(r);
    return out;
}

}  // namespace

Result<void> check_pin_format(std::string_view pin) {
    if (pin.size() < 4 || pin.size() > 12 ||
        !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return fail_as("input", "a PIN is 4 to 12 digits");
    return {};
}

Result<std::string> hash_pin(std::string_view pin) {
    if (auto r = sodium_ready(); !r) return r.error();
    if (auto r = check_pin_format(pin); !r) return r.error();
    char out[crypto_pwhash_STRBYTES];
    // argon2id, 2 passes over 32 MiB: libsodium's INTERACTIVE passes with half its memory, above
    // OWASP's minimum (19 MiB, 2 passes). A PIN of 4-12 digits is not protected offline by any
    // hash cost (10^4 guesses); the lockout is what holds. The cost is the staff's wait at every
    // sign-in (issue 12: usable ≤ 300 ms): ~120 ms instead of ~230 ms here (docs/PERFORMANCE.md).
    // A stored hash keeps its own parameters: older ones still verify.
    constexpr unsigned long long kPinOpsLimit = 2;
    constexpr std::size_t kPinMemLimit = 32u << 20;
    static_assert(kPinOpsLimit >= crypto_pwhash_OPSLIMIT_MIN && kPinMemLimit >= crypto_pwhash_MEMLIMIT_MIN);
    if (crypto_pwhash_str(out, pin.data(), pin.size(), kPinOpsLimit, kPinMemLimit) != 0)
        return fail("cannot hash the PIN (out of memory?)");
    return std::string(out);
}

bool verify_pin(const std::string& hash, std::string_view pin) {
    if (!sodium_ready() || hash.empty()) return false;
    return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

Result<std::vector<std::string>> parse_roles(std::string_view list) {
    std::vector<std::string> roles;
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto comma = list.find(',', start);
        std::string role(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        role.erase(0, role.find_first_not_of(' '));
        role.erase(role.find_last_not_of(' ') + 1);
        if (!role.empty()) {
            if (!known_staff_role(role))
                return fail_as("input", "unknown role \"" + utf8_from_terminal(role.substr(0, 40)) + "\" (roles: " + known_roles() + ")");
            if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.push_back(role);
        }
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    if (roles.empty()) return fail_as("input", "no role given (roles: " + known_roles() + ")");
    return roles;
}

Result<StaffMember> save_staff(Office& office, const std::string& name, const std::vector<std::string>& roles,
                               std::string_view pin, bool must_be_new, const std::string& by) {
    if (name.empty()) return fail_as("input", "the staff member's name is empty");
    if (auto problem = text_problem(name, kMaxStaffNameBytes); !problem.empty())
        return fail_as("input", "the staff member's name " + problem);
    if (utf8_length(name) > kMaxStaffNameChars)
        return fail_as("input", "the staff member's name is too long (" + std::to_string(utf8_length(name)) + " characters, at most " +
                                    std::to_string(kMaxStaffNameChars) + "); nothing changed");
    for (const auto& r : roles)
        if (!known_staff_role(r)) return fail_as("input", "unknown role \"" + r + "\" (roles: " + known_roles() + ")");
    const auto existing = office.find_staff(name);
    if (existing && must_be_new) return fail_as("input", "staff member \"" + existing->name + "\" already exists");
    if (!existing && pin.empty()) return fail_as("input", "a new staff member needs a PIN");
    if (!existing && roles.empty()) return fail_as("input", "a new staff member needs a role (roles: " + known_roles() + ")");
    StaffSaved body;
    body.name = existing ? existing->name : name;
    body.roles = roles.empty() ? existing->roles : roles;
    if (!pin.empty()) {
        auto hash = hash_pin(pin);
        if (!hash) return hash.error();
        body.pin_hash = std::move(*hash);
    }
    if (auto r = office.record(body, by); !r) return r.error();
    auto saved = office.find_staff(body.name);
    if (!saved) return fail("staff member \"" + body.name + "\" was recorded but is not in the directory");
    return *saved;
}

Result<void> remove_staff(Office& office, std::string_view name, const std::string& by) {
    const auto existing = office.find_staff(name);
    if (!existing) return fail_as("input", "no staff member named \"" + utf8_from_terminal(std::string(name.substr(0, 60))) + "\"");
    if (auto r = office.record(StaffRemoved{existing->name}, by); !r) return r.error();
    return {};
}

Result<SignInResult> sign_in(Office& office, std::string_view name, std::string_view pin, std::string_view role,
                             const std::string& where) {
    SignInResult out;
    // Another program on this store (the CLI that just added the member, a second counter that
    // just took the fifth wrong PIN) may have recorded since this one's last refresh.
    if (auto r = office.refresh(); !r) return r.error();
    const auto member = office.find_staff(name);
    if (!member) {
        out.message = "no staff member named \"" + utf8_from_terminal(std::string(name.substr(0, 60))) + "\"";
        return out;
    }
    out.name = member->name;
    if (auto until = office.sign_in_locked_until(member->name)) {
        out.locked_until = until;
        out.message = "sign-in of \"" + member->name + "\" is locked after " + std::to_string(kWrongPinsBeforeLock) + " wrong PINs";
        return out;
    }
    if (!member->has_role(role)) {
        out.message = "\"" + member->name + "\" does not have the " + std::string(role) + " role";
        return out;
    }
    out.ok = verify_pin(member->pin_hash, pin);
    if (auto r = office.record(StaffSignIn{member->name, out.ok, where}); !r) return r.error();
    if (!out.ok) {
        out.message = "wrong PIN for \"" + member->name + "\"";
        out.locked_until = office.sign_in_locked_until(member->name);
    }
    out.tries_left = kWrongPinsBeforeLock - office.wrong_pins_in_a_row(member->name);
    return out;
}

Result<int> migrate_operators_file(Office& office, const std::filesystem::path& data_dir) {
    const auto file = data_dir / kOperatorsFile;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return 0;
    std::ifstream in(file);
    if (!in) return fail(file.string() + ": cannot read (the operators to move into the store)");
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("operators") || !j["operators"].is_array())
        return fail(file.string() + ": not an operators file (expected {\"operators\": [...]}); fix or remove it");
    int moved = 0;
    for (const auto& o : j["operators"]) {
        if (!o.is_object() || !o.contains("name") || !o["name"].is_string() || !o.contains("pin_hash") || !o["pin_hash"].is_string())
            return fail(file.string() + ": every operator needs a \"name\" and a \"pin_hash\"");
        StaffSaved body{o["name"].get<std::string>(), {"counter"}, o["pin_hash"].get<std::string>()};
        if (const auto existing = office.find_staff(body.name)) {
            // Already moved (a run that stopped before the rename): keep what the store says.
            continue;
        }
        if (auto r = office.record(body, "operators.json"); !r)
            return fail_as(r.error().code, file.string() + ": operator \"" + body.name + "\": " + r.error().message);
        ++moved;
    }
    std::filesystem::rename(file, data_dir / (std::string(kOperatorsFile) + ".migrated"), ec);
    if (ec) return fail(file.string() + ": moved into the store, but cannot be renamed: " + ec.message());
    return moved;
}

}  // namespace csc::app
