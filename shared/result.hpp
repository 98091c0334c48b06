// result.hpp — expected failures as values (the project's std::expected stand-in, C++20).
//
// Contents: Error, ErrorArgs, Result<T>, Result<void>, fail(), fail_as().
// Contract: no exception crosses a module boundary for an expected failure (paper out, bad
// input, database busy); functions return Result and the caller decides.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace csc {

/// Named arguments of an Error, for its translation ({"ticket", "A042"}).
using ErrorArgs = std::vector<std::pair<std::string, std::string>>;

/// A failure a person can read: what went wrong, in one sentence (English, for logs and CLI).
struct Error {
    std::string message;
    /// What kind of failure, for callers that act on it (exit codes, alarms) and for screens
    /// that translate it (catalogue key "error.<code>", filled from `args`): "" = unspecified;
    /// "store.full", "store.readonly", "store.permission", "store.locked", "store.corrupt",
    /// "store.newer", "clock", "input", "lan.unconfirmed", "refused.<reason>" (an action the
    /// state machine refuses, OfficeState). Logs and the CLI print `message`.
    std::string code = {};
    ErrorArgs args = {};  ///< the values a translation of `code` needs ({"counter", "2"})
};

/// Either a value or an Error. Check ok() before value().
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}            // NOLINT implicit on purpose
    Result(Error error) : v_(std::move(error)) {}        // NOLINT
    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] T& value() & { return std::get<0>(v_); }
    [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
    [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &std::get<0>(v_); }
    const T* operator->() const { return &std::get<0>(v_); }
    T& operator*() { return std::get<0>(v_); }
    const T& operator*() const { return std::get<0>(v_); }
    [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

/// Result of an operation with no value.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : err_(std::move(error)), failed_(true) {}  // NOLINT
    [[nodiscard]] bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error& error() const { return err_; }

private:
    Error err_;
    bool failed_ = false;
};

/// Shorthand: `return fail("paper out");`
inline Error fail(std::string message) { return Error{std::move(message)}; }
/// A failure with a code (see Error::code): `return fail_as("store.full", "…");`
inline Error fail_as(std::string code, std::string message, ErrorArgs args = {}) {
    return Error{std::move(message), std::move(code), std::move(args)};
}

}  // namespace csc
