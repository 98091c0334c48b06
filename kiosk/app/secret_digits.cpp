#include "kiosk/app/secret_digits.hpp"

#include <sodium.h>

#include <string>
#include <utility>

namespace csc::app {

SecretDigits::SecretDigits() {
    if (sodium_init() < 0) return;
    data_ = static_cast<char*>(sodium_malloc(kCapacity));
    if (data_) sodium_memzero(data_, kCapacity);
}

SecretDigits::~SecretDigits() {
    if (data_) sodium_free(data_);  // zeroes the whole allocation before freeing it
}

SecretDigits::SecretDigits(SecretDigits&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretDigits& SecretDigits::operator=(SecretDigits&& other) noexcept {
    if (this != &other) {
        if (data_) sodium_free(data_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

Result<void> SecretDigits::assign(std::string_view typed) {
    wipe();
    std::size_t count = 0;
    for (char c : typed) {
        if (c == ' ') continue;
        ++count;
        if (c < '0' || c > '9' || !push(c)) {
            wipe();
            // Never the characters themselves: they may be the secret with one typo.
            return fail_as("input.digits", "only digits can be typed here (character " + std::to_string(count) + " is not one)",
                           {{"position", std::to_string(count)}});
        }
    }
    return {};
}

bool SecretDigits::push(char digit) {
    if (!data_ || digit < '0' || digit > '9' || size_ >= kCapacity) return false;
    data_[size_++] = digit;
    return true;
}

void SecretDigits::pop() {
    if (size_ == 0) return;
    data_[--size_] = 0;
    sodium_memzero(data_ + size_, 1);
}

void SecretDigits::wipe() {
    if (data_) sodium_memzero(data_, kCapacity);
    size_ = 0;
}

std::string_view SecretDigits::reveal() const { return data_ ? std::string_view(data_, size_) : std::string_view(); }

}  // namespace csc::app
