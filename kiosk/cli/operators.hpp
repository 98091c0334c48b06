// operators.hpp — the counter operators and their PINs (hashed with argon2id, libsodium).
//
// Contents: Operator, OperatorRegistry, check_pin_format(), hash_pin(), verify_pin().
// Contract: a PIN is never stored, logged or passed on a command line in clear: only its
// argon2id hash (crypto_pwhash_str, salted, "$argon2id$…") is kept, in DATA_DIR/operators.json
// (mode 0600, replaced atomically). Verifying a PIN costs ~0.1–0.5 s and 64 MB on purpose:
// run it off the UI thread.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.hpp"

namespace csc::app {

/// One operator who may sign in at a counter terminal.
struct Operator {
    std::string name;      ///< as shown on the sign-in list, unique (case-insensitive)
    std::string pin_hash;  ///< crypto_pwhash_str output
};

/// The operators file of one data directory.
class OperatorRegistry {
public:
    /// Reads DATA_DIR/operators.json (a missing file = no operators yet).
    [[nodiscard]] static Result<OperatorRegistry> load(const std::filesystem::path& data_dir);
    [[nodiscard]] const std::vector<Operator>& operators() const { return operators_; }
    /// The operator with this name (case-insensitive), or nullptr.
    [[nodiscard]] const Operator* find(std::string_view name) const;
    /// Adds an operator (or, with `replace`, changes the PIN of an existing one) and saves.
    Result<void> add(const std::string& name, std::string_view pin, bool replace = false);
    /// Removes an operator and saves.
    Result<void> remove(std::string_view name);
    [[nodiscard]] const std::filesystem::path& file() const { return file_; }

private:
    Result<void> save() const;
    std::filesystem::path file_;
    std::vector<Operator> operators_;
};

/// A PIN is 4–12 digits; anything else is an Error saying so (never echoing the PIN).
Result<void> check_pin_format(std::string_view pin);
/// argon2id hash of a PIN (interactive limits).
[[nodiscard]] Result<std::string> hash_pin(std::string_view pin);
/// True when `pin` matches `hash` (constant time in libsodium).
[[nodiscard]] bool verify_pin(const std::string& hash, std::string_view pin);

}  // namespace csc::app
