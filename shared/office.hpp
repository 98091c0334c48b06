// office.hpp — the office as one object: configuration + store + state machine + clock.
//
// Contents: EventUplink, PersonalDataPurgeReport, Office (LanSettings: shared/lan/lan_view.hpp).
// Contract: every change goes record() → store (durable) → state machine, in that order, under
// one lock; so what a screen or the CLI was told happened is on disk. An action that does not
// apply (finish with no ticket, call at a closed counter, unknown counter/ticket/sector) is an
// Error with a readable reason, nothing is written and the state is unchanged. Thread-safe:
// the frame loop reads snapshots while a worker thread records.
// Office is the facade over parts that each answer one concern and are tested alone:
// shared/queue/ (a ticket request, queue queries), shared/forecast/ (the outlook and the
// learning), shared/hours/ (opening hours, clocks that lie), the LAN link (shared/lan/: LanView,
// the confirmed state, own pending events and their rules; office_lan.cpp feeds it from the
// store and the stream), staff (shared/staff/), refresh from other programs (office_refresh.cpp), the personal-data
// purge (office_purge.cpp). It holds the lock, the store and the states, and feeds each part.
#pragma once

#include <filesystem>
#include <condition_variable>
#include <functional>
#include <map>
#include <span>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "shared/clock.hpp"
#include "shared/config.hpp"
#include "shared/event_feed.hpp"
#include "shared/forecast.hpp"
#include "shared/forecast/learning.hpp"
#include "shared/forecast/outlook.hpp"
#include "shared/hours/clock_check.hpp"
#include "shared/hours/office_hours.hpp"
#include "shared/lan/lan_view.hpp"
#include "shared/office_state.hpp"
#include "shared/queue/issue_request.hpp"
#include "shared/queue/queue_queries.hpp"
#include "shared/staff/staff_directory.hpp"
#include "shared/result.hpp"
#include "shared/store.hpp"
#include "shared/store_sync.hpp"

namespace csc {

/// How a LAN-mode office reaches the office's event stream (csc::sync::Replicator, docs/SYNC.md).
class EventUplink {
public:
    virtual ~EventUplink() = default;
    /// A new own event is durable in the store and waits to be published.
    virtual void publish_soon() = 0;
    /// True while own events get published and acknowledged (decides online vs offline tickets).
    [[nodiscard]] virtual bool online() const = 0;
};

/// What a purge of personal data did (or, dry run, would do): Office::purge_personal_data().
struct PersonalDataPurgeReport {
    int agenda_day = 0;          ///< the agenda's day (YYYYMMDD) the purge follows (0 = no agenda yet: nothing to do)
    Millis cutoff = 0;           ///< bookings with a slot before this are forgotten (personal_data_cutoff)
    int bookings = 0;            ///< booking.made events purged (or to purge)
    int snapshot_bookings = 0;   ///< bookings in stored agenda.snapshot parts whose person key was cleared (LAN)
    bool dry_run = false;
    bool wal_truncated = false;  ///< the WAL was emptied after the rewrite (false: a reader held it; retried next time)
};

/// The single-machine office (and, later, one device's view of the LAN office).
class Office {
public:
    /// Opens the store in `data_dir` and replays today's events. `device` names this device
    /// in events ("" = the name kept in the store, else "kiosk-1").
    /// The store's device name is written only when the store has none yet; `device` given
    /// here applies to this Office alone. ReadOnly: nothing is ever written (status, reports).
    static Result<std::unique_ptr<Office>> open(SiteConfig config, const std::filesystem::path& data_dir,
                                                const Clock& clock, std::string device = {},
                                                StoreAccess access = StoreAccess::ReadWrite);

    /// Validates the request against the configuration, records a TicketIssued and returns the
    /// ticket with its forecast. An unknown sector, service or priority class is an Error and
    /// nothing is written; so is a closed office ("office closed; opens Tuesday at 08:30")
    /// unless request.allow_when_closed.
    Result<IssuedTicket> issue(const IssueRequest& request);

    /// Records any event body made by this device now, by staff member `by` ("" = nobody
    /// signed in); Error (nothing written) if it does not apply (code "refused" or "refused.<why>", the reason).
    Result<ApplyResult> record(EventBody body, const std::string& by = {});

    // ---- Counter actions (operator). Each is one event; see events.hpp for the meaning.
    Result<CounterOutcome> open_counter(int counter);
    /// Calls the next ticket by the queue rules.
    Result<CounterOutcome> call_next(int counter);
    /// Calls a specific waiting ticket, by label ("A007") or ticket id.
    Result<CounterOutcome> call_ticket(int counter, std::string_view label_or_id, const std::string& by = {});
    Result<CounterOutcome> recall(int counter);
    Result<CounterOutcome> start_service(int counter);
    /// `service` = what was actually done ("" = what the citizen asked for).
    Result<CounterOutcome> finish_service(int counter, const std::string& service = {});
    Result<CounterOutcome> mark_no_show(int counter);
    /// to_sector "" = same sector; to_counter = only that counter may call it.
    Result<CounterOutcome> transfer(int counter, const std::string& to_sector, std::optional<int> to_counter);
    Result<CounterOutcome> pause_counter(int counter, const std::string& reason);
    Result<CounterOutcome> resume_counter(int counter);
    Result<CounterOutcome> close_counter(int counter);
    /// Any counter action (`body` names `counter`) made by staff member `by` (the application
    /// layer's counter desk: every action records who did it).
    Result<CounterOutcome> counter_action(int counter, EventBody body, const std::string& by = {});
    /// Withdraws a waiting ticket (by label or id), by staff member `by`, for `reason` (a key).
    Result<Ticket> cancel_ticket(std::string_view label_or_id, const std::string& by = {}, const std::string& reason = {});
    /// End of the day: open tickets become "not served", counters close (`by`: who closed it by
    /// hand, from the service menu; "" = the timer or a script).
    Result<void> close_day(const std::string& by = {});
    /// Records close_day() if the office's last opening interval of today is over and something
    /// is still open; returns whether it did. Call it from a timer.
    Result<bool> close_day_if_over();

    // ---- Appointments (shared/booking/agenda.hpp; office_booking.cpp): read them with read(); record with these.
    /// Records an agenda event (booking.*, closure.*) made by `by`. LAN: only while online (the
    /// stream decides who gets a place: an Error with code "offline" otherwise, nothing
    /// recorded), and waits for the stream's decision: the result says whether it applied and
    /// why not (ApplyResult::code "booking.full", … and args: AgendaRefusal).
    Result<ApplyResult> record_agenda(EventBody body, const std::string& by = {});
    /// Checks a booking in now: a ticket of its sector and service, placed in line at its slot
    /// time. Error code "booking.<why>" with its arguments and the English reason (unknown,
    /// too_early {time} "opens at 10:05", too_late, already_checked_in, …: Agenda::check_in_problem).
    /// Works offline in LAN mode (an offline-numbered ticket).
    Result<IssuedTicket> check_in(const std::string& code, const std::string& lang, const std::string& channel,
                                  const std::string& by = {});
    /// Staff turn a booking whose check-in window is over (today, still booked) into a walk-in
    /// ticket of its sector and service, in one event: the booking ends "walked-in" with the
    /// ticket and `by`. Error codes: booking.not_late {code, time} (check it in instead),
    /// booking.staff_only (no `by`), and check_in's (unknown, other_day, cancelled, …).
    Result<IssuedTicket> walk_in_late_booking(const std::string& code, const std::string& lang, const std::string& by);
    /// Forgets the personal data (name, contact, person key) in the stored booking.made events
    /// of bookings the agenda no longer keeps (keep_days after their day, as of the agenda's
    /// day: the latest event's), rewriting them in place (shared/store_purge.hpp: old bytes
    /// zeroed, WAL truncated); replaying the log gives the same state. dry_run: counts only.
    Result<PersonalDataPurgeReport> purge_personal_data(bool dry_run = false);
    /// purge_personal_data() once per agenda day: a timer calls it (at start, after the day
    /// rolled); returns whether it ran. Read-only stores never purge.
    Result<bool> purge_personal_data_if_due();

    // ---- Staff (shared/staff): records of every day, replicated like every event. Adding,
    // changing and removing staff, and sign-in attempts, are events recorded with record().
    /// Current staff members, sorted by name.
    [[nodiscard]] std::vector<StaffMember> staff() const;
    /// The staff member named `name` (case-insensitive), if present.
    [[nodiscard]] std::optional<StaffMember> find_staff(std::string_view name) const;
    /// Until when `name`'s sign-in is locked now (nullopt = not locked); LAN-wide, kept in the log.
    [[nodiscard]] std::optional<Millis> sign_in_locked_until(std::string_view name) const;
    /// Wrong PINs in a row for `name` since the last right one or lock.
    [[nodiscard]] int wrong_pins_in_a_row(std::string_view name) const;

    // ---- Reading.
    /// Runs `reader` with the current state under the lock (keep it short: copy what you need).
    void read(const std::function<void(const OfficeState&)>& reader) const;
    /// Per sector: waiting, last number, open counters and the forecast for a new ticket now.
    [[nodiscard]] std::vector<SectorOutlook> sector_outlook() const;
    /// The current forecast of a waiting ticket (updated as the queue moves), if it is waiting.
    [[nodiscard]] std::optional<WaitForecast> forecast_for(std::string_view ticket_id) const;
    /// Every waiting ticket of `sector`'s forecast, by ticket id, from one Monte Carlo run (the
    /// web's live pages: one run for a whole queue instead of one per ticket); empty if none.
    [[nodiscard]] std::map<std::string, WaitForecast> forecasts_for_sector(std::string_view sector) const;
    /// Whether the office is open now; if not, `when_opens` gets "Tuesday at 08:30" (English).
    [[nodiscard]] bool is_open_now(std::string* when_opens = nullptr) const;

    // ---- Clocks that lie (docs/ARCHITECTURE.md, "Time").
    /// Why this device's clock cannot be trusted now (then nothing is recorded: every action is
    /// an Error with code "clock"), or "" when it can: earlier than kEarliestPlausibleTime, or
    /// (LAN) more than kClockTolerance away from the office servers' time.
    [[nodiscard]] std::string clock_alarm() const;
    /// LAN: the office servers' time `server_time` was seen when this device's clock read
    /// `local_time` (a message's stream timestamp on arrival); feeds clock_alarm().
    void note_server_time(Millis server_time, Millis local_time);
    /// Events this office does not apply: stored but undecodable, or stamped on a later day
    /// than the clock allowed (a device whose clock was ahead). Reported by status and logs.
    [[nodiscard]] std::vector<QuarantinedEvent> quarantined() const;

    /// Subscribes to the events applied from now on (shared/event_feed.hpp: once each, in order,
    /// or a reset when the state was rebuilt). `notify` runs under the office's lock after each
    /// one: quick, thread-safe, never calling the office (a frame loop's wake). Drop the feed to
    /// unsubscribe. OwnConfirmations::Include: also an own_confirmed item when the LAN stream
    /// confirms an event this device recorded.
    [[nodiscard]] std::shared_ptr<EventFeed> subscribe(std::function<void()> notify,
                                                       OwnConfirmations own = OwnConfirmations::Skip);

    /// Incremented on every change; screens compare it to know when to redraw.
    [[nodiscard]] std::uint64_t version() const;

    // ---- Several processes on one store (single machine: entrance, display, counters).
    /// Applies the events other processes appended to the store since the last call, in the
    /// store's log order (own appends go through the same order: record() first catches up and
    /// appends only at the log's end). Returns whether anything changed. Cheap when nothing did
    /// (one index lookup): call it every ~200 ms. In LAN mode (the stream orders) it takes in
    /// what other processes on this store wrote: stream events they stored beyond this process,
    /// and own events they recorded that the stream has not shown yet (published from here too).
    Result<bool> refresh();

    [[nodiscard]] const SiteConfig& config() const { return *config_; }
    [[nodiscard]] const Clock& clock() const { return clock_; }
    [[nodiscard]] const std::string& device() const { return device_; }
    [[nodiscard]] Store& store() { return *store_; }

    // ---- LAN mode (shared/lan/lan_view.hpp, fed by shared/office_lan.cpp, driven by
    // shared/sync; docs/SYNC.md). In LAN mode
    // the "confirmed" state is the office stream applied in stream order — equal on every
    // device that applied the same prefix — and read() shows it plus this device's own events
    // not yet seen in the stream, applied on top. issue() then returns an online ticket only
    // once the stream has ordered it; if the cluster is unreachable, or does not confirm within
    // LanSettings::confirm_timeout, the ticket is numbered from this device's offline range.
    /// Switches to LAN mode (idempotent); `uplink` may be null (read-only: tickets are offline).
    Result<void> enable_lan(const LanSettings& settings, EventUplink* uplink);
    /// Forgets the uplink (stays in LAN mode).
    void detach_uplink();
    [[nodiscard]] bool lan_mode() const;
    /// Applies and stores events read from the stream, in stream order (one transaction);
    /// `applied_seq` = last stream sequence processed, rejected messages included.
    Result<void> apply_stream(std::span<const StreamedEvent> batch, std::uint64_t applied_seq);
    /// Last stream sequence processed (0 before any).
    [[nodiscard]] std::uint64_t applied_stream_seq() const;
    /// The first own event not yet seen in the stream with device seq > after_seq (publish order).
    [[nodiscard]] std::optional<Event> next_unconfirmed(std::int64_t after_seq) const;
    /// Own events not yet seen in the stream.
    [[nodiscard]] std::size_t unconfirmed_count() const;
    /// Runs `reader` on the confirmed state (LAN) or the state (single machine), under the lock.
    void read_confirmed(const std::function<void(const OfficeState&)>& reader) const;
    /// state_hash() of the confirmed state: equal on devices that applied the same events.
    [[nodiscard]] std::uint64_t confirmed_hash() const;
    /// Records a body and, in LAN mode, waits (up to confirm_timeout) until the stream ordered
    /// it; returns how it applied in stream order. A timeout is an Error: the event stays
    /// queued, is published when possible and applied in order (visible later in read()).
    Result<ApplyResult> record_confirmed(EventBody body, const std::string& by = {});
    /// Blocks until version() differs from `seen_version` or `timeout_ms` passes.
    void wait_for_change(std::uint64_t seen_version, Millis timeout_ms) const;
    /// Records a DeviceHello{device_index} unless this device already announced its current
    /// index today (seen in the stream or waiting to be sent); returns whether it recorded one.
    /// enable_lan() calls it; the sync calls it again so a new day gets its announcement.
    Result<bool> announce_device();
    /// Other devices that announced this device's index today, in the stream: while there is
    /// one, offline tickets are refused (their numbers would collide). Empty = no conflict.
    [[nodiscard]] std::vector<std::string> index_conflicts() const;

    // ---- Bookings older than the stream (shared/booking/agenda_snapshot.hpp; docs/BOOKING.md).
    /// The stream no longer had its messages first_missing … last_missing when this device
    /// read it (older than its retention): the agenda misses what they did until it takes an
    /// agenda snapshot based at or after last_missing. Kept in the store (meta sync.agenda_gap_end).
    Result<void> note_stream_gap(std::uint64_t first_missing, std::uint64_t last_missing);
    /// Whether the confirmed agenda holds every booking of the office: no gap in what this
    /// device read of the stream, or a snapshot taken after it. While not, booking changes are
    /// refused (code "booking.agenda_incomplete", nothing recorded).
    [[nodiscard]] bool agenda_complete() const;
    /// The stream sequence of the snapshot this device's agenda was taken from (0 = none).
    [[nodiscard]] std::uint64_t agenda_snapshot_base() const;
    /// At day open (the confirmed agenda rolled to a new day), a device whose agenda is complete
    /// publishes the agenda as it stood before the day's first event, when its turn comes
    /// (LanSettings::snapshot_stagger) and only if no device did: records the parts as own
    /// events and returns how many (0 = nothing due, not online, or another device's is there).
    Result<int> publish_agenda_snapshot_if_due();

private:
    Office(std::unique_ptr<SiteConfig> config, std::unique_ptr<Store> store, const Clock& clock, std::string device);
    Result<ApplyResult> record_locked(EventBody body, const std::string& by = {});
    Result<bool> refresh_locked();  // office_refresh.cpp
    /// Rebuilds today's state from the store (after the clock went back past the state's day).
    Result<void> replay_today_locked();
    /// True (and the event quarantined, once) when `e` is stamped on a later office day than
    /// `reference` and more than kClockTolerance after it, or was quarantined before: it must not be applied.
    bool reject_from_future_locked(const Event& e, Millis reference);
    [[nodiscard]] std::string clock_alarm_locked() const;
    /// Appends an own event at the log's end, after catching up (0 = retry: someone appended first).
    Result<std::int64_t> append_in_order_locked(const Event& e);
    // LAN mode helpers (office_lan.cpp): the store and the lock around lan_ (LanView).
    Result<ApplyResult> issue_lan_locked(std::unique_lock<std::mutex>& lock, TicketIssued body, const std::string& by);
    bool wait_confirmed_locked(std::unique_lock<std::mutex>& lock, const std::string& event_id);
    /// The view: the LAN view (lan_), or the single machine's state.
    [[nodiscard]] const OfficeState& view_locked() const { return lan_ ? lan_->view() : state_; }
    /// The ticket request for booking `code` (check-in, or a late walk-in), judged on the view now.
    [[nodiscard]] Result<IssueRequest> booking_ticket_request(const std::string& code, const std::string& lang, bool walk_in) const;
    /// issue() of a booking's ticket; a refusal in stream order carries the agenda's code.
    Result<IssuedTicket> issue_for_booking(const IssueRequest& request);
    Result<bool> refresh_lan_locked();
    Result<bool> append_own_lan_locked(const Event& e);  // false: seq taken by another process
    Result<bool> announce_device_locked();
    [[nodiscard]] std::vector<std::string> index_conflicts_locked() const;
    // The forecast's learning (shared/forecast/learning.hpp: LearnFrom, StateBefore), fed under the lock.
    [[nodiscard]] static StateBefore before_of(const OfficeState& state, const Event& e) { return state_before(state, e); }
    /// learning_.learn() of an event just applied, saving to the store's history when `from` says so.
    void learn_locked(const Event& e, const StateBefore& before, const OfficeState& after, const ApplyResult& applied,
                      LearnFrom from);
    /// One stream event (not applied before) to lan_: set aside if quarantined, else the
    /// staff directory and lan_->apply_confirmed(), learning from another device's event.
    void apply_confirmed_locked(const Event& e, std::uint64_t stream_seq, LearnFrom from);
    /// A snapshot part came while the agenda is incomplete: lan_ takes it from the stream
    /// events stored (replay_stream() takes the snapshot if all its parts are there).
    void take_agenda_snapshot_locked();

    std::unique_ptr<SiteConfig> config_;  // stable address: OfficeState points to it
    std::unique_ptr<Store> store_;
    const Clock& clock_;
    std::string device_;
    // The state (single machine; in LAN mode lan_ holds the view): read it through
    // view_locked() wherever LAN mode can be on.
    OfficeState state_;
    StaffDirectory staff_;  // from the staff.* events of every day (not only today's)
    OfficeLearning learning_;  // the forecast's learner and what it needs between events
    int purged_for_day_ = 0;              // agenda day of the last personal-data purge (office_purge.cpp)
    std::int64_t next_seq_ = 1;
    std::int64_t applied_position_ = 0;  // last store log position applied (single machine)
    std::uint64_t version_ = 0;
    EventBus bus_;  // subscribers of applied events (event_feed.hpp)
    // LAN mode (shared/lan/lan_view.hpp): the confirmed state, own pending events, the view.
    std::optional<LanView> lan_;
    EventUplink* uplink_ = nullptr;
    std::set<std::string, std::less<>> quarantined_ids_;  // never applied (persisted in the store)
    std::vector<QuarantinedEvent> future_events_;        // quarantined for their time, with reasons
    std::optional<Millis> server_skew_;                  // LAN: local clock − servers' clock
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
};

}  // namespace csc
