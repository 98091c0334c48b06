// stream_message.hpp — what a device accepts from the office stream.
//
// Contract: a message is accepted only if it is a valid event (decode_event: strict JSON,
// known version and type, size limit) published on SUBJECT.<device> by that same device.
// Anything else is an Error with a readable reason: the caller logs it and skips the message;
// it never changes the state and never crashes the device.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/events.hpp"
#include "shared/result.hpp"

namespace csc::sync {

/// The subject a device publishes its events on: "<subject>.<device>".
[[nodiscard]] std::string device_subject(std::string_view subject_prefix, std::string_view device);
/// Checks and decodes one stream message.
[[nodiscard]] Result<Event> decode_stream_message(std::string_view subject_prefix, std::string_view subject,
                                                  std::string_view data);

}  // namespace csc::sync
