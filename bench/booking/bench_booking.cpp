// bench_booking — appointments (issue 11). Prints median and p99 of:
//   slots: every slot with its free places of 10 bookable services over 60 days, on an agenda
//          holding ~3,000 bookings (what the kiosk's calendar and the Info Point read);
//   tap → receipt: app::book (validation, person key, one SQLite commit with synchronous=FULL)
//          + the receipt laid out, encoded to ESC/POS and sent to a memory transport.
//   bench_booking [taps]        (default 300)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "drivers/printer/escpos_encoder.hpp"
#include "drivers/printer/profile.hpp"
#include "drivers/printer/transport.hpp"
#include "kiosk/app/booking.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"

using namespace csc;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Stats {
    double median, p99;
};
Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, std::size_t(std::ceil(q * double(v.size())) - 1))]; };
    return {at(0.5), at(0.99)};
}

// Ten bookable services in three sectors, weekdays 08:30-12:30 and Tuesday/Thursday afternoons,
// 15-minute slots, 2 places, 60 days ahead.
std::string config_text() {
    std::string t = R"(
[office]
name = "CSC bench"
[hours]
monday = ["08:00-18:00"]
tuesday = ["08:00-18:00"]
wednesday = ["08:00-18:00"]
thursday = ["08:00-18:00"]
friday = ["08:00-18:00"]
)";
    const char* sectors[] = {"anagrafe", "statocivile", "tributi"};
    const char* letters[] = {"A", "B", "T"};
    int service = 0;
    for (int s = 0; s < 3; ++s) {
        t += "[[sector]]\nid = \"" + std::string(sectors[s]) + "\"\nletter = \"" + letters[s] +
             "\"\ncolour = \"#1F5FAD\"\nname = \"" + sectors[s] + "\"\n";
        for (int k = 0; k < (s == 0 ? 4 : 3); ++k, ++service)
            t += "  [[sector.service]]\n  id = \"s" + std::to_string(service) + "\"\n  name = \"Servizio " +
                 std::to_string(service) + "\"\n";
    }
    t += "[[counter]]\nnumber = 1\nsectors = [\"anagrafe\", \"statocivile\", \"tributi\"]\n[booking]\n";
    service = 0;
    for (int s = 0; s < 3; ++s)
        for (int k = 0; k < (s == 0 ? 4 : 3); ++k, ++service)
            t += "[[booking.service]]\nsector = \"" + std::string(sectors[s]) + "\"\nservice = \"s" + std::to_string(service) +
                 "\"\nslot_minutes = 15\ncapacity = 2\nmin_notice_minutes = 60\ndays_ahead = 60\n"
                 "monday = [\"08:30-12:30\"]\ntuesday = [\"08:30-12:30\", \"14:30-17:00\"]\nwednesday = [\"08:30-12:30\"]\n"
                 "thursday = [\"08:30-12:30\", \"14:30-17:00\"]\nfriday = [\"08:30-12:30\"]\n";
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    const int taps = argc > 1 ? std::atoi(argv[1]) : 300;
    auto cfg = parse_site_config(config_text(), "bench.toml");
    if (!cfg) return std::fprintf(stderr, "%s\n", cfg.error().message.c_str()), 1;
    auto tr = Translator::load(std::filesystem::path(CSC_SOURCE_ASSETS) / "i18n", cfg->languages);
    if (!tr) return std::fprintf(stderr, "%s\n", tr.error().message.c_str()), 1;
    const auto dir = std::filesystem::temp_directory_path() / ("csc-bench-booking-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    ManualClock clock(cfg->timezone.from_local(Date{2026, 12, 14}, 8 * 60));
    auto office = Office::open(*cfg, dir, clock, "bench-1");
    if (!office) return std::fprintf(stderr, "%s\n", office.error().message.c_str()), 1;
    Office& o = **office;

    // Fill the agenda: about a third of every service's places over 60 days.
    std::mt19937 rng(7);
    int made = 0;
    const Date today{2026, 12, 14};
    for (const auto& s : cfg->booking.services) {
        auto slots = app::free_slots(o, s.id, today, 61).value();
        for (const auto& sl : slots)
            if (sl.open && rng() % 3 == 0) {
                app::BookingRequest r;
                r.service = s.id;
                r.slot = sl.start;
                r.name = "Cittadino " + std::to_string(made);
                r.contact = "333" + std::to_string(1000000 + made);
                r.channel = "cli";
                if (app::book(o, r)) ++made;
            }
    }
    std::printf("agenda: %d bookings in 10 services over 60 days\n", made);

    // Slots of all 10 services over 60 days.
    std::vector<double> ms;
    for (int i = 0; i < 100; ++i) {
        const auto t0 = SteadyClock::now();
        std::size_t n = 0;
        for (const auto& s : cfg->booking.services) n += app::free_slots(o, s.id, today, 60).value().size();
        ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
        if (n == 0) return 1;
    }
    const Stats sl = stats(ms);
    std::printf("slots, 10 services x 60 days: median %.2f ms, p99 %.2f ms (target <= 20 ms)\n", sl.median, sl.p99);

    // Tap → receipt bytes at the printer.
    auto profile = printer::find_profile("epson-tm-t20iii");
    if (!profile) return std::fprintf(stderr, "%s\n", profile.error().message.c_str()), 1;
    printer::MemoryTransport transport;
    ms.clear();
    int booked = 0;
    for (int i = 0; i < taps; ++i) {
        const auto& s = cfg->booking.services[static_cast<std::size_t>(i) % cfg->booking.services.size()];
        const auto next = app::next_free_slots(o, s.id, 1, clock.now() + 86'400'000LL * (i % 50));
        if (next.empty()) continue;
        app::BookingRequest r;
        r.service = s.id;
        r.slot = next.front();
        r.name = "Prenotante " + std::to_string(i);
        r.contact = "+39 347 " + std::to_string(2000000 + i);
        const auto t0 = SteadyClock::now();
        auto b = app::book(o, r);
        if (!b) return std::fprintf(stderr, "%s\n", b.error().message.c_str()), 1;
        const auto receipt = app::make_booking_receipt(*cfg, *tr, *b, "it");
        printer::EscposEncoder enc(*profile);
        auto bytes = enc.encode(receipt);
        if (!bytes) return 1;
        printer::PrintJob job(std::move(*bytes), b->code);
        if (!job.send_via(transport).printed) return 1;
        ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
        ++booked;
    }
    const Stats tap = stats(ms);
    std::printf("booking tap -> receipt at the printer (%d taps): median %.2f ms, p99 %.2f ms (target p99 <= 30 ms)\n", booked,
                tap.median, tap.p99);
    std::filesystem::remove_all(dir);
    return 0;
}
