// stats_log.hpp — the office's history as statistics records: one per ticket, pause, idle
// stretch and booking, folded from the event log through the state machine.
//
// Contents: VisitOutcome, VisitRecord, PauseRecord, IdleRecord, BookingRecord, FeedbackRecord, StatsLog,
// StatsCollector.
// Contract: pure — the records follow from the events given and the configuration, nothing
// else (no clock, no store). Events are fed in log order; the collector replays them through
// OfficeState, so "call next" names the ticket the rules gave, exactly as every device saw it.
// A record's day and hour are the office's local ones (docs/STATISTICS.md has every definition):
// a ticket by the time it was issued, a pause or idle stretch by its start, a booking by its slot.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "shared/config.hpp"
#include "shared/events.hpp"
#include "shared/office_state.hpp"

namespace csc::stats {

/// How a ticket ended. Open = not ended when the events given ran out (today's tickets).
enum class VisitOutcome { Served, LeftBeforeCall, CalledAbsent, LeftDuringService, Open };
/// "served", "left-before-call", "called-absent", "left-during-service", "open" (JSON names).
[[nodiscard]] std::string_view to_string(VisitOutcome o);

/// One ticket.
struct VisitRecord {
    std::string id;             ///< the ticket's id (the issuing event's id)
    int day = 0;                ///< office day of issue, YYYYMMDD
    int hour = 0;               ///< local hour of issue, 0–23
    std::string sector;         ///< sector it was issued in
    std::string service;        ///< the service done (finish), else the one asked for ("" = none)
    bool priority = false;
    bool booking = false;       ///< checked in with a booking
    int counter = 0;            ///< the counter that last called it (0 = never called)
    std::string staff;          ///< who called it there ("" = not signed in)
    VisitOutcome outcome = VisitOutcome::Open;
    Millis issued_at = 0;
    Millis first_called_at = 0; ///< 0 = never called
    Millis called_at = 0;       ///< the last call (the one service started from); 0 = never called
    Millis started_at = 0;      ///< 0 = service never started
    Millis finished_at = 0;     ///< 0 = not finished
    Millis ended_at = 0;        ///< when it ended: served, no-show, cancelled, or its day closed (0 = open)
    std::optional<int> promised_low_min, promised_high_min;  ///< as printed (TicketIssued)
};

/// One pause of a counter (paused → resumed, opened again, closed, or the day's end).
struct PauseRecord {
    int day = 0, hour = 0;  ///< when it began
    int counter = 0;
    std::string staff;      ///< the counter's staff when it began
    std::string reason;     ///< as stored: a catalogue key or the operator's text
    double minutes = 0;
};

/// A stretch in which an open counter had nobody called or in service while somebody waited in
/// one of its sectors.
struct IdleRecord {
    int day = 0, hour = 0;  ///< when it began
    int counter = 0;
    std::string staff;
    double minutes = 0;
};

/// One booking whose slot day is over (cancelled ones are left out).
struct BookingRecord {
    std::string code;
    int day = 0, hour = 0;  ///< of the slot
    std::string sector, service;
    bool came = false;      ///< checked in (or came late and got a walk-in ticket); false = no-show
};

/// One citizen's rating (feedback.given): anonymous — no ticket id, token or staff member; the
/// day and hour are the rated ticket's issue's (as its VisitRecord's).
struct FeedbackRecord {
    int day = 0, hour = 0;  ///< of the rated ticket's issue (YYYYMMDD, local hour)
    std::string sector;   ///< the sector the ticket was served in
    std::string service;  ///< the service done (finish), else the one asked for ("" = none)
    int counter = 0;      ///< the counter that served it
    std::string rating;   ///< good | so-so | bad
    std::string reason;   ///< with bad: waiting | staff | came-back | outcome ("" = not given)
};

/// Every record of the events given.
struct StatsLog {
    std::vector<VisitRecord> visits;
    std::vector<PauseRecord> pauses;
    std::vector<IdleRecord> idle;
    std::vector<BookingRecord> bookings;
    std::vector<FeedbackRecord> feedback;
};

/// Folds events, in log order, into a StatsLog.
class StatsCollector {
public:
    /// Records with this configuration (queue rules, counters' sectors, time zone).
    explicit StatsCollector(const SiteConfig& config);
    /// Applies one event (a refused one changes nothing).
    void add(const Event& e);
    /// Ends the fold: running pauses and idle stretches end at the last event's time; open
    /// tickets end by the stage they reached if their day is over at `now` (as the next day's
    /// first event would end them), else stay Open; bookings whose slot day is over at `now` are
    /// judged. The collector is spent.
    [[nodiscard]] StatsLog finish(Millis now);

private:
    struct OpenStretch {
        Millis since = 0;
        std::string staff, reason;
    };
    void end_ticket(const Ticket& t, TicketStatus before, Millis at);
    void track_waiting(const Ticket& t);
    void update_counters(Millis now);
    void end_stretch(std::map<int, OpenStretch>& running, int counter, Millis now, bool pause);
    void end_all_stretches(Millis now);
    void judge_bookings(Millis now);

    const SiteConfig* config_;
    OfficeState state_;
    Millis next_day_start_ = 0;                 // the current office day ends here (0 = no day yet)
    std::vector<std::vector<std::string>> counter_sectors_;  // by counter index (config order)
    StatsLog log_;
    std::map<std::string, std::pair<int, int>, std::less<>> promised_;  // ticket → printed range
    std::map<std::string, Millis, std::less<>> first_call_;             // ticket → first call
    std::map<std::string, std::string, std::less<>> waiting_in_;         // waiting ticket → sector
    std::map<std::string, int, std::less<>> waiting_count_;              // sector → waiting
    std::map<int, OpenStretch> pause_, idle_;                            // counter → running
    std::set<std::string, std::less<>> bookings_judged_;
};

}  // namespace csc::stats
