// The entrance kiosk prints the tickets the Info Point asks for (print.requested "entrance"):
// seen in the office's event feed, claimed on the worker (the claim decides who prints when two
// kiosks or two programs see the same request), laid out as the ticket stands now and printed by
// the spooler; the spooler's report becomes print.finished. A failure gives the claim up (the
// Info Point shows the request pending with the printer's reason); the spooler's own retry may
// still print it, and then records it printed.
#include <iostream>

#include "kiosk/app/print_requests.hpp"
#include "kiosk/gui/roles/entrance.hpp"

namespace csc::gui {

namespace {
// A request older than this when this kiosk first sees it (a start after a long stop) is left to
// staff: its citizen has probably gone, and a ticket printed for nobody confuses the next one.
constexpr Millis kRequestFreshFor = 10 * 60'000;
constexpr const char* kPrefix = "print:";
}  // namespace

void EntranceRole::take_print_requests(const std::vector<FeedItem>& items, bool rescan) {
    std::vector<std::string> fresh;
    {
        for (const auto& item : items) {
            if (!item.result.applied) continue;
            if (const auto* r = std::get_if<PrintRequested>(&item.event.body)) {
                if (r->at == app::kPrintAtEntrance || r->at == office_.device()) fresh.push_back(item.event.id);
            } else if (std::holds_alternative<PrintClaimed>(item.event.body)) {
                std::lock_guard lock(mutex_);
                rescan = rescan || !unconfirmed_claims_.empty();
            }
        }
    }
    if (rescan) {
        for (const auto& p : app::pending_prints(office_, app::kPrintAtEntrance, env_.ctx.clock.now() - kRequestFreshFor))
            fresh.push_back(p.request);
        // LAN: a claim the stream had not ordered in time, now ordered as this device's.
        std::lock_guard lock(mutex_);
        for (auto it = unconfirmed_claims_.begin(); it != unconfirmed_claims_.end();) {
            bool mine = false, settled = false;
            // The confirmed state: the view already shows this device's own claim while the
            // stream has not ordered it (another device's claim may come first).
            office_.read_confirmed([&](const OfficeState& st) {
                if (const PrintRequest* r = st.find_print_request(*it)) {
                    mine = !r->done && r->claimed_by == office_.device();
                    settled = r->done || !r->claimed_by.empty();
                }
            });
            if (!settled) {
                ++it;
                continue;
            }
            if (mine) fresh.push_back("claimed:" + *it);
            it = unconfirmed_claims_.erase(it);
        }
    }
    for (const auto& id : fresh) {
        {
            std::lock_guard lock(mutex_);
            const std::string request = id.starts_with("claimed:") ? id.substr(8) : id;
            if (!claiming_.insert(request).second && !id.starts_with("claimed:")) continue;
        }
        worker_.run_only([this, id] { claim_and_print(id); });
    }
}

void EntranceRole::claim_and_print(const std::string& id) {
    const bool claimed_before = id.starts_with("claimed:");
    const std::string request = claimed_before ? id.substr(8) : id;
    auto forget = [&] {
        std::lock_guard lock(mutex_);
        claiming_.erase(request);
    };
    if (!claimed_before) {
        auto claim = app::claim_print(office_, request);
        if (!claim) {
            std::cerr << "kiosk: print request " << request << ": not claimed: " << claim.error().message << '\n';
            std::lock_guard lock(mutex_);
            // LAN: queued, ordered later; printed once the stream shows it as this device's.
            if (claim.error().code == "lan.unconfirmed") unconfirmed_claims_.insert(request);
            claiming_.erase(request);
            return;
        }
        if (!*claim) {  // another kiosk (or program) took it, or it was printed already
            forget();
            return;
        }
    }
    std::string ticket;
    office_.read([&](const OfficeState& st) {
        if (const PrintRequest* r = st.find_print_request(request)) ticket = r->ticket;
    });
    auto issued = ticket.empty() ? std::nullopt : app::ticket_as_now(office_, ticket);
    if (!issued) {
        (void)app::finish_print(office_, request, false, "the ticket is not known here");
        forget();
        return;
    }
    std::cerr << "kiosk: printing ticket " << issued->ticket.label << " asked by the info point (" << request << ")\n";
    spooler_->submit(kPrefix + request,
                     app::make_ticket_receipt(config_, env_.ctx.translator, *issued, issued->ticket.lang));
}

bool EntranceRole::take_requested_print(const Printed& p) {
    const app::PrintReport& r = p.report;
    if (!r.ticket_id.starts_with(kPrefix)) return false;
    const std::string request = r.ticket_id.substr(std::string_view(kPrefix).size());
    // Not printed yet but kept by the spooler (paper out, queued behind another ticket): the
    // claim stays this kiosk's, or another would print the ticket too and this one again once
    // the paper is back. Only a printed ticket or a job the spooler gave up is an outcome.
    if (!r.printed && !r.given_up) {
        {
            std::lock_guard lock(mutex_);
            if (!retrying_reported_.insert(request).second) return true;  // said once: the Info Point shows it
        }
        ++requested_failed_;
        worker_.run_only([this, request, message = r.message] {
            if (auto f = app::finish_print(office_, request, false, message, true); !f)
                std::cerr << "kiosk: print request " << request << ": failure not recorded: " << f.error().message << '\n';
        });
        return true;
    }
    if (r.printed) ++requested_printed_;
    else ++requested_failed_;
    worker_.run_only([this, request, ok = r.printed, message = r.message] {
        if (auto f = app::finish_print(office_, request, ok, message); !f)
            std::cerr << "kiosk: print request " << request << ": outcome not recorded: " << f.error().message << '\n';
        std::lock_guard lock(mutex_);
        claiming_.erase(request);  // printed, or given up: a later scan may claim it again
    });
    return true;
}

}  // namespace csc::gui
