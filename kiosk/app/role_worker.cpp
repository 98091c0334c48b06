// The worker + inbox every role uses (role_worker.hpp).
#include "kiosk/app/role_worker.hpp"

#include <iostream>

namespace csc::app {

RoleWorker::RoleWorker(std::function<void()> wake, OnStop on_stop)
    : wake_(std::move(wake)), on_stop_(on_stop), thread_([this] { loop(); }) {}

RoleWorker::~RoleWorker() { stop(); }

void RoleWorker::run(Work work) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        queue_.push_back({session_, false, std::move(work)});
    }
    work_ready_.notify_one();
}

void RoleWorker::run_coalesced(Work work) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        for (auto& q : queue_)
            if (q.coalesced) {
                q = {session_, true, std::move(work)};
                return;  // the waiting request now asks for the newest work
            }
        queue_.push_back({session_, true, std::move(work)});
    }
    work_ready_.notify_one();
}

void RoleWorker::run_only(std::function<void()> work) {
    run([work = std::move(work)]() -> Apply {
        work();
        return {};
    });
}

void RoleWorker::post(Apply apply) {
    {
        std::lock_guard lock(mutex_);
        inbox_.emplace_back(session_, std::move(apply));
    }
    if (wake_) wake_();
}

std::size_t RoleWorker::apply_posted() {
    std::deque<std::pair<std::uint64_t, Apply>> inbox;
    {
        std::lock_guard lock(mutex_);
        inbox.swap(inbox_);
    }
    std::size_t ran = 0;
    for (auto& [session, apply] : inbox) {
        // Read each time: a result applied earlier in this batch may have ended the session.
        if (session != this->session() || !apply) continue;
        apply();
        ++ran;
    }
    return ran;
}

void RoleWorker::new_session() {
    std::lock_guard lock(mutex_);
    ++session_;
}

std::uint64_t RoleWorker::session() const {
    std::lock_guard lock(mutex_);
    return session_;
}

std::size_t RoleWorker::in_flight() const {
    std::lock_guard lock(mutex_);
    return queue_.size() + running_;
}

void RoleWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (on_stop_ == OnStop::Drop) queue_.clear();
    }
    work_ready_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
    std::lock_guard lock(mutex_);
    inbox_.clear();
}

void RoleWorker::loop() {
    for (;;) {
        Queued job;
        {
            std::unique_lock lock(mutex_);
            work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and nothing left that must be finished
            job = std::move(queue_.front());
            queue_.pop_front();
            ++running_;
        }
        // A job that throws (a defect: failures are Result values) must not end the program nor
        // leave the role believing work is in flight: it is logged and yields no result.
        Apply apply;
        try {
            if (job.work) apply = job.work();
        } catch (const std::exception& e) {
            std::cerr << "kiosk: internal error in a background job (please report it): " << e.what() << '\n';
        }
        {
            std::lock_guard lock(mutex_);
            --running_;
            if (apply) inbox_.emplace_back(job.session, std::move(apply));
        }
        // Woken also without a result: the owner may wait for the work to be done (in_flight()).
        if (wake_) wake_();
    }
}

}  // namespace csc::app
