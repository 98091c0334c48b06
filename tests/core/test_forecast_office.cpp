// The forecast at the tap (Office::issue): recorded first, computed on a snapshot outside the
// office lock, and still printed on the ticket.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <unistd.h>

#include "shared/office.hpp"
#include "tests/core/queue_fixture.hpp"

using namespace csc;
using namespace csc::test;

TEST_CASE("forecast at the tap: the issued ticket carries the forecast of the state it was issued in") {
    const auto dir = std::filesystem::temp_directory_path() / ("csc-forecast-office-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    ManualClock clock(kMonday9);
    auto opened = Office::open(queue_config(), dir, clock, "k1");
    REQUIRE(opened.ok());
    Office& office = **opened;
    REQUIRE(office.open_counter(1).ok());
    IssueRequest req;
    req.sector = "a";
    std::optional<IssuedTicket> last;
    for (int i = 0; i < 40; ++i) {
        auto r = office.issue(req);
        REQUIRE(r.ok());
        REQUIRE(r->forecast);
        last = *r;
    }
    CHECK(last->people_ahead == 39);
    // Same clock, same state, same seed (the ticket id): forecast_for gives the printed forecast.
    const auto again = office.forecast_for(last->ticket.id);
    REQUIRE(again);
    CHECK(again->median_min == doctest::Approx(last->forecast->median_min));
    CHECK(again->high_min == doctest::Approx(last->forecast->high_min));
    CHECK(last->forecast->median_min > 60);
    // Taps from two threads at once: every ticket is recorded once and gets its forecast.
    std::vector<std::thread> taps;
    std::atomic<int> with_forecast{0};
    for (int k = 0; k < 2; ++k)
        taps.emplace_back([&] {
            for (int i = 0; i < 10; ++i)
                if (auto r = office.issue(req); r.ok() && r->forecast) ++with_forecast;
        });
    for (auto& t : taps) t.join();
    CHECK(with_forecast == 20);
    CHECK(office.sector_outlook()[0].waiting == 60);
    opened->reset();
    std::filesystem::remove_all(dir);
}
