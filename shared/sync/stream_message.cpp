#include "shared/sync/stream_message.hpp"

namespace csc::sync {

std::string device_subject(std::string_view subject_prefix, std::string_view device) {
    return std::string(subject_prefix) + "." + std::string(device);
}

Result<Event> decode_stream_message(std::string_view subject_prefix, std::string_view subject, std::string_view data) {
    auto e = decode_event(data);
    if (!e) return e.error();
    // A message on another device's subject is foreign (or forged): the subject is what the
    // server's permissions can restrict per device, so it must agree with the payload.
    if (subject != device_subject(subject_prefix, e->device))
        return fail("event " + e->id + " rejected: published on \"" + std::string(subject.substr(0, 80)) +
                    "\", not on its device's subject");
    return e;
}

}  // namespace csc::sync
