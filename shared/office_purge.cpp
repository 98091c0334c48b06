// Forgetting citizens (issue 11): the personal data of bookings the agenda no longer keeps is
// rewritten out of the store. Pure decision in shared/booking/personal_data.*, SQL in
// shared/store_purge.*; this file only picks the agendas that must not change.
#include "shared/booking/personal_data.hpp"
#include "shared/office.hpp"
#include "shared/store_purge.hpp"

namespace csc {

namespace {
// Store meta: "1" while a purge's rewrite may still have old page images in the WAL.
constexpr std::string_view kPurgeWalPendingKey = "purge.wal_pending";
}  // namespace

Result<PersonalDataPurgeReport> Office::purge_personal_data(bool dry_run) {
    std::unique_lock lock(mutex_);
    PersonalDataPurgeReport report;
    report.dry_run = dry_run;
    if (!dry_run && store_->read_only())
        return fail_as("store.readonly", store_->path().string() + ": opened read-only; nothing can be purged");
    // The agendas a replay must give back unchanged: the view and, in LAN mode, the confirmed
    // state. The purge follows the earlier of their days (what both have forgotten).
    std::vector<const Agenda*> live{&view_locked().agenda()};
    int day = live.front()->day();
    if (lan_) {
        live.push_back(&lan_->confirmed().agenda());
        day = std::min(day, lan_->confirmed().agenda().day());
    }
    report.agenda_day = day;
    if (day == 0) return report;
    report.cutoff = personal_data_cutoff(day, *config_);
    auto made = booking_made_to_purge(*store_, report.cutoff);
    if (!made) return made.error();
    const std::string batch = std::to_string(clock_.now());
    PersonalDataPurge plan = plan_personal_data_purge(*made, live, batch);
    report.bookings = plan.bookings;
    // The snapshots' person keys of the same forgotten bookings (LAN; none on one machine).
    auto snapshots = snapshots_to_purge(*store_);
    if (!snapshots) return snapshots.error();
    // The same tokens as the booking.made events: a replay adopting a part judges alike.
    PersonalDataPurge snapshot_plan = plan_snapshot_purge(*snapshots, report.cutoff, plan, batch);
    report.snapshot_bookings = snapshot_plan.bookings;
    if (dry_run) return report;
    std::vector<Event> rewrite = plan.rewritten;
    for (auto& e : snapshot_plan.rewritten) rewrite.push_back(std::move(e));
    auto written = rewrite_booking_events(*store_, rewrite);
    if (!written) return written.error();
    // Only a rewrite leaves old page images in the WAL: checkpoint after one, and until one
    // succeeds (kept in the store, so the next program to purge retries it), never otherwise.
    if (*written > 0) {
        if (auto r = store_->set_meta(kPurgeWalPendingKey, "1"); !r) return r.error();
    }
    if (store_->meta(kPurgeWalPendingKey).value_or("0") != "1") {
        report.wal_truncated = true;  // nothing of a rewrite left in the WAL
        return report;
    }
    lock.unlock();  // not under the lock screens read by
    report.wal_truncated = truncate_wal(*store_);
    if (report.wal_truncated) {
        lock.lock();
        (void)store_->set_meta(kPurgeWalPendingKey, "0");
    }
    return report;
}

Result<bool> Office::purge_personal_data_if_due() {
    int day = 0;
    {
        std::lock_guard lock(mutex_);
        if (store_->read_only()) return false;
        day = view_locked().agenda().day();
        if (lan_) day = std::min(day, lan_->confirmed().agenda().day());
        if (day == 0 || day <= purged_for_day_) return false;
    }
    auto r = purge_personal_data(false);
    if (!r) return r.error();
    std::lock_guard lock(mutex_);
    // A WAL a reader held is emptied by the next try (the rows are rewritten already).
    if (r->wal_truncated) purged_for_day_ = std::max(purged_for_day_, r->agenda_day);
    return true;
}

}  // namespace csc
