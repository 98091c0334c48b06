// secret_digits.hpp — a few digits that must never touch disk (the first digits of a CRS PIN
// and PUK): held in locked memory, wiped when done, never printed by anything but the receipt.
//
// Contents: SecretDigits.
// Contract: the digits live in one libsodium guarded allocation (sodium_malloc: mlock'ed so it
// is never swapped, MADV_DONTDUMP so it is not in a core dump, guard pages) and are wiped
// (sodium_memzero, which the compiler may not remove) by wipe() and by the destructor. The
// type cannot be copied, streamed or formatted; an Error about the digits names how many and
// which kind, never their value. Only digits 0–9 go in (anything else: an Error, nothing kept).
#pragma once

#include <cstddef>
#include <string_view>

#include "shared/result.hpp"

namespace csc::app {

/// Up to kCapacity secret decimal digits, typed one by one (a masked field) or given at once.
class SecretDigits {
public:
    static constexpr std::size_t kCapacity = 16;
    SecretDigits();
    ~SecretDigits();
    SecretDigits(SecretDigits&& other) noexcept;
    SecretDigits& operator=(SecretDigits&& other) noexcept;
    SecretDigits(const SecretDigits&) = delete;
    SecretDigits& operator=(const SecretDigits&) = delete;

    /// Replaces the content with `typed` (spaces ignored). Error code "input.digits" {count}
    /// when a character is not a digit or there are more than kCapacity: then it holds nothing.
    Result<void> assign(std::string_view typed);
    /// Appends one typed digit (a masked field); false (and nothing kept) for anything else or when full.
    bool push(char digit);
    /// Removes the last digit (Backspace), wiping it.
    void pop();
    /// Overwrites every byte with zeros and empties it.
    void wipe();
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    /// The digits, for the receipt being built (valid until the next change; do not keep a copy).
    [[nodiscard]] std::string_view reveal() const;

private:
    char* data_ = nullptr;  // kCapacity bytes from sodium_malloc (nullptr if it failed: holds nothing)
    std::size_t size_ = 0;
};

}  // namespace csc::app
