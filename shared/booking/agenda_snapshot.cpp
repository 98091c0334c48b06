#include "shared/booking/agenda_snapshot.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "shared/booking/booking_code.hpp"

namespace csc {

namespace {

SnapshotBooking to_snapshot(const Booking& b) {
    SnapshotBooking s;
    s.code = b.code;
    s.service = b.service;
    s.sector = b.sector;
    s.slot = b.slot;
    s.person = b.person;
    s.lang = b.lang;
    s.channel = b.channel;
    s.status = std::string(to_string(b.status));
    s.ticket = b.ticket;
    s.reason = b.reason;
    for (const auto& h : b.history) s.history.push_back({h.time, h.what, h.by});
    return s;
}

// The encoded size of a part as the longest envelope any device would give it (a 40-character
// device name, a 19-digit sequence, the largest based_on/part/parts): what it may weigh in the stream.
std::size_t worst_case_size(const AgendaSnapshot& part) {
    Event e;
    e.device = std::string(40, 'd');
    e.seq = 999'999'999'999'999'999;
    e.id = make_event_id(e.device, e.seq);
    e.time = kMaxEventTime;
    AgendaSnapshot widest = part;
    widest.based_on = 999'999'999'999'999'999;
    widest.part = widest.parts = 99'999;
    e.body = std::move(widest);
    return encode_event(e).size();
}

}  // namespace

Result<std::vector<AgendaSnapshot>> make_agenda_snapshot(const Agenda& agenda, std::uint64_t based_on,
                                                         std::size_t max_event_bytes) {
    if (based_on < 1) return fail("an agenda snapshot is based on a stream sequence (>= 1)");
    AgendaSnapshot first;
    first.based_on = based_on;
    first.day = agenda.day();
    for (const auto& h : agenda.holds(0)) first.holds.push_back({h.id, h.service, h.slot, h.until});
    for (const auto& c : agenda.closures()) first.closures.push_back({c.date, c.from_minute, c.to_minute, c.reason, c.by});
    if (worst_case_size(first) > max_event_bytes) return fail("the agenda's holds and closures do not fit one stream message");
    std::vector<AgendaSnapshot> parts{std::move(first)};
    // Greedy: a booking goes into the current part while the part still fits. Each booking is
    // measured once (its JSON alone, plus a comma), not by encoding the growing part again.
    const std::size_t empty_size = worst_case_size(parts.back());
    AgendaSnapshot probe;
    probe.based_on = based_on;
    probe.day = agenda.day();
    const std::size_t probe_empty = worst_case_size(probe);
    std::size_t size = empty_size;
    for (const auto& b : agenda.bookings()) {
        probe.bookings = {to_snapshot(b)};
        const std::size_t add = worst_case_size(probe) - probe_empty + 1;
        if (probe_empty + add > max_event_bytes)
            return fail("booking " + b.code + " alone does not fit one stream message (" + std::to_string(b.history.size()) +
                        " history steps)");
        if (size + add > max_event_bytes) {
            AgendaSnapshot next;
            next.based_on = based_on;
            next.day = agenda.day();
            parts.push_back(std::move(next));
            size = probe_empty;
        }
        parts.back().bookings.push_back(std::move(probe.bookings.front()));
        size += add;
    }
    const int n = static_cast<int>(parts.size());
    for (int i = 0; i < n; ++i) {
        parts[static_cast<std::size_t>(i)].part = i;
        parts[static_cast<std::size_t>(i)].parts = n;
    }
    return parts;
}

std::string snapshot_part_problem(const AgendaSnapshot& part) {
    if (part.based_on < 1) return "based on no stream sequence";
    if (part.parts < 1 || part.part < 0 || part.part >= part.parts)
        return "part " + std::to_string(part.part) + " of " + std::to_string(part.parts) + " does not exist";
    if (part.part != 0 && (!part.holds.empty() || !part.closures.empty())) return "holds and closures belong in part 0";
    std::set<std::string_view> codes;
    for (const auto& b : part.bookings) {
        auto code = normalize_booking_code(b.code);
        if (!code || *code != b.code) return "\"" + b.code + "\" is not a booking code";
        if (!codes.insert(b.code).second) return "booking " + b.code + " is in it twice";
        if (!booking_status_named(b.status)) return "booking " + b.code + " has no known status \"" + b.status + "\"";
    }
    return {};
}

Result<Agenda> assemble_agenda_snapshot(std::span<const AgendaSnapshot* const> parts) {
    if (parts.empty()) return fail("an agenda snapshot has no parts");
    const AgendaSnapshot& head = *parts.front();
    std::vector<const AgendaSnapshot*> in_order(static_cast<std::size_t>(std::max(head.parts, 0)), nullptr);
    for (const AgendaSnapshot* p : parts) {
        if (auto why = snapshot_part_problem(*p); !why.empty()) return fail("agenda snapshot part " + std::to_string(p->part) + ": " + why);
        if (p->based_on != head.based_on || p->parts != head.parts || p->day != head.day)
            return fail("agenda snapshot: parts of different snapshots (based on " + std::to_string(head.based_on) + " and " +
                        std::to_string(p->based_on) + ")");
        auto& slot = in_order[static_cast<std::size_t>(p->part)];
        if (slot) return fail("agenda snapshot: part " + std::to_string(p->part) + " twice");
        slot = p;
    }
    for (std::size_t i = 0; i < in_order.size(); ++i)
        if (!in_order[i]) return fail("agenda snapshot: part " + std::to_string(i) + " of " + std::to_string(head.parts) + " is missing");
    std::vector<Booking> bookings;
    std::vector<Hold> holds;
    std::vector<Closure> closures;
    std::set<std::string> codes;
    for (const AgendaSnapshot* p : in_order) {
        for (const auto& s : p->bookings) {
            if (!codes.insert(s.code).second) return fail("agenda snapshot: booking " + s.code + " is in two parts");
            Booking b;
            b.code = s.code;
            b.service = s.service;
            b.sector = s.sector;
            b.slot = s.slot;
            b.name = std::string(kNameOnOtherDevices);
            b.person = s.person;
            b.lang = s.lang;
            b.channel = s.channel;
            b.status = *booking_status_named(s.status);
            b.ticket = s.ticket;
            b.reason = s.reason;
            for (const auto& h : s.history) b.history.push_back({h.time, h.what, h.by});
            bookings.push_back(std::move(b));
        }
        for (const auto& h : p->holds) holds.push_back({h.id, h.service, h.slot, h.until});
        for (const auto& c : p->closures) closures.push_back({c.date, c.from_minute, c.to_minute, c.reason, c.by});
    }
    return Agenda::restore(head.day, std::move(bookings), std::move(holds), std::move(closures));
}

std::uint64_t replay_stream(OfficeState& state, std::span<const SequencedEvent> events, std::uint64_t gap_end) {
    // Which snapshot: found before anything is applied, so the choice depends on the events
    // alone (the same on a restart as when it came).
    std::optional<Agenda> chosen;
    std::uint64_t base = 0;
    if (gap_end > 0) {
        std::map<std::pair<std::uint64_t, std::string>, std::vector<const AgendaSnapshot*>> groups;  // (base, device) → parts
        for (const auto& se : events) {
            const auto* part = std::get_if<AgendaSnapshot>(&se.event->body);
            if (!part || part->based_on < gap_end || part->based_on >= se.stream_seq || !snapshot_part_problem(*part).empty()) continue;
            auto& group = groups[{part->based_on, se.event->device}];
            if (std::any_of(group.begin(), group.end(), [&](const AgendaSnapshot* p) { return p->part == part->part; })) continue;
            group.push_back(part);
            if (static_cast<int>(group.size()) != part->parts) continue;
            if (auto agenda = assemble_agenda_snapshot(group); agenda) {
                chosen = std::move(*agenda);
                base = part->based_on;
                break;
            }
        }
    }
    bool adopted = false;
    for (const auto& se : events) {
        if (chosen && !adopted && se.stream_seq > base) {
            state.adopt_agenda(*chosen);
            adopted = true;
        }
        (void)state.apply(*se.event);
    }
    if (chosen && !adopted) state.adopt_agenda(*chosen);
    return chosen ? base : 0;
}

}  // namespace csc
