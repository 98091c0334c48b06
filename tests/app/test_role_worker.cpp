// The one worker + inbox every role uses (kiosk/app/role_worker.hpp).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "kiosk/app/role_worker.hpp"

namespace role_worker_tests {

using csc::app::RoleWorker;
using namespace std::chrono_literals;

/// Counts wakes and lets a test wait for the n-th.
struct Wakes {
    std::mutex m;
    std::condition_variable cv;
    int count = 0;
    void operator()() {
        {
            std::lock_guard l(m);
            ++count;
        }
        cv.notify_all();
    }
    bool wait_for(int n) {
        std::unique_lock l(m);
        return cv.wait_for(l, 5s, [&] { return count >= n; });
    }
};

TEST_CASE("role worker: work runs off the owner's thread, in order, and its result is applied only by apply_posted") {
    Wakes wakes;
    RoleWorker worker([&] { wakes(); });
    const auto owner = std::this_thread::get_id();
    std::vector<int> applied;
    std::vector<std::thread::id> ran_on;
    for (int i = 1; i <= 3; ++i)
        worker.run([&, i]() -> RoleWorker::Apply {
            ran_on.push_back(std::this_thread::get_id());
            return [&, i] { applied.push_back(i); };
        });
    REQUIRE(wakes.wait_for(3));
    CHECK(applied.empty());  // nothing applied behind the owner's back
    CHECK(worker.apply_posted() == 3);
    CHECK(applied == std::vector<int>{1, 2, 3});
    for (auto id : ran_on) CHECK(id != owner);
    CHECK(worker.in_flight() == 0);
}

TEST_CASE("role worker: a result of an ended session is dropped, posted or returned") {
    Wakes wakes;
    RoleWorker worker([&] { wakes(); });
    std::mutex gate;
    gate.lock();  // holds the first job until the session has ended
    int applied = 0;
    worker.run([&]() -> RoleWorker::Apply {
        std::lock_guard l(gate);
        return [&] { ++applied; };
    });
    worker.post([&] { ++applied; });
    worker.new_session();
    gate.unlock();
    REQUIRE(wakes.wait_for(2));
    CHECK(worker.apply_posted() == 0);
    CHECK(applied == 0);
    worker.post([&] { applied += 10; });  // the new session's
    CHECK(worker.apply_posted() == 1);
    CHECK(applied == 10);
}

TEST_CASE("role worker: a result that ends the session drops the rest of the same batch") {
    RoleWorker worker({});
    int applied = 0;
    worker.post([&] { worker.new_session(); });
    worker.post([&] { ++applied; });
    CHECK(worker.apply_posted() == 1);
    CHECK(applied == 0);
}

TEST_CASE("role worker: stopping finishes queued work (Finish) or drops what has not started (Drop)") {
    for (auto on_stop : {RoleWorker::OnStop::Finish, RoleWorker::OnStop::Drop}) {
        std::atomic<int> done{0};
        std::atomic<bool> started{false}, release{false};
        {
            RoleWorker worker({}, on_stop);
            worker.run_only([&] {
                started = true;
                while (!release) std::this_thread::sleep_for(1ms);
                ++done;
            });
            for (int i = 0; i < 4; ++i) worker.run_only([&] { ++done; });
            while (!started) std::this_thread::sleep_for(1ms);
            std::thread releaser([&] {
                std::this_thread::sleep_for(20ms);
                release = true;
            });
            worker.stop();  // joins
            releaser.join();
            worker.run_only([&] { done += 100; });  // after stop: ignored
        }
        CHECK(done == (on_stop == RoleWorker::OnStop::Finish ? 5 : 1));
    }
}

TEST_CASE("role worker: an idle worker wakes nobody while nothing is asked") {
    Wakes wakes;
    RoleWorker worker([&] { wakes(); });
    std::this_thread::sleep_for(50ms);
    CHECK(wakes.count == 0);
    CHECK(worker.in_flight() == 0);
}

}  // namespace role_worker_tests

namespace role_worker_tests {

TEST_CASE("role worker: coalesced work asked again before it started runs once, the newest") {
    Wakes wakes;
    RoleWorker worker([&] { wakes(); });
    std::atomic<bool> release{false};
    worker.run_only([&] {
        while (!release) std::this_thread::sleep_for(1ms);
    });
    std::vector<int> ran;
    for (int i = 1; i <= 3; ++i)
        worker.run_coalesced([&, i]() -> RoleWorker::Apply {
            ran.push_back(i);
            return [] {};
        });
    release = true;
    REQUIRE(wakes.wait_for(2));  // the blocker, then one coalesced run
    while (worker.in_flight() > 0) std::this_thread::sleep_for(1ms);
    CHECK(ran == std::vector<int>{3});
}

}  // namespace role_worker_tests
