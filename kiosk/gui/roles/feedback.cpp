// feedback.cpp — `kiosk run --role feedback --counter N`: a small screen beside counter N. When
// the counter finishes a service (the office's event feed), it asks that citizen how it went
// (three faces), for "bad" one reason, then thanks, then idle again after a while
// (docs/WEB.md, "Satisfaction"; the rules: app::record_feedback, asked once).
//
// The rating is recorded on the role's worker (an fsync never runs on the frame loop), with no
// staff member (anonymous), naming the ticket by its id. Idle, it redraws once a minute (the
// header's clock) and otherwise only when the office wakes it: ~0% CPU.
#include <chrono>
#include <cstdio>
#include <memory>

#include "kiosk/app/feedback.hpp"
#include "kiosk/app/role_worker.hpp"
#include "kiosk/gui/roles/role.hpp"
#include "kiosk/gui/screens/feedback_screens.hpp"
#include "shared/event_feed.hpp"

namespace csc::gui {

namespace {

constexpr auto kFeedbackAskFor = std::chrono::seconds(60);     // unanswered: idle again, nothing recorded
constexpr auto kFeedbackThanksFor = std::chrono::seconds(6);   // the thank-you, then idle

class FeedbackRole final : public Role, private FeedbackIntents {
public:
    FeedbackRole(RoleEnv& env, const CounterConfig& counter)
        : env_(env), office_(*env.ctx.office), config_(env.ctx.config), screen_(view_, *this),
          office_lang_(env.lang.empty() ? env.ctx.config.languages.front() : env.lang), lang_(office_lang_) {
        view_.town = config_.town;
        view_.office = config_.office_name;
        view_.counter = counter.number;
        const std::string own = counter.name.get(office_lang_);
        view_.counter_title = own.empty() ? env.ctx.translator.tr(office_lang_, "counter.title", {{"counter", std::to_string(counter.number)}})
                                          : own;
        feed_ = office_.subscribe(env_.wake);
    }
    ~FeedbackRole() override { worker_.stop(); }

    void update(SteadyTime now) override {
        now_ = now;
        worker_.apply_posted();
        view_.link_flag = link_flag(env_);
        const LocalTime local = config_.timezone.to_local(env_.ctx.clock.now());
        view_.time = two_digits(local.hour) + ":" + two_digits(local.minute);
        const auto batch = feed_->take();
        for (const auto& item : batch.items) take(item);
        if (until_ && now >= *until_) idle();
    }
    [[nodiscard]] Screen& screen() override { return screen_; }
    [[nodiscard]] const std::string& lang() const override { return lang_; }
    [[nodiscard]] std::optional<SteadyTime> next_deadline(SteadyTime now) const override {
        const Millis wall = env_.ctx.clock.now();
        const SteadyTime minute = now + std::chrono::milliseconds(60'000 - wall % 60'000 + 5);
        return until_ && *until_ < minute ? *until_ : minute;
    }
    [[nodiscard]] std::string state_key() const override {
        return std::string(screen_.name()) + "/" + view_.label + "/" + lang_ + "/" + view_.time + "/" + view_.link_flag +
               (view_.sending ? "/sending" : "");
    }
    [[nodiscard]] nlohmann::json describe() const override {
        return {{"screen", screen_.name()}, {"lang", lang_},          {"counter", view_.counter},
                {"ticket", view_.label},    {"sending", view_.sending}, {"link", link_state(env_)}};
    }

private:
    // A service finished at this counter: ask its citizen, in their language. A rating given
    // meanwhile elsewhere (the phone page) ends the question with thanks.
    void take(const FeedItem& item) {
        if (!item.result.applied) return;
        if (const auto* done = std::get_if<ServiceFinished>(&item.event.body); done && done->counter == view_.counter) {
            std::string label, lang;
            office_.read([&](const OfficeState& st) {
                const Ticket* t = st.find_ticket(item.result.ticket_id);
                if (t && t->status == TicketStatus::Served && t->feedback.empty()) {
                    label = t->label;
                    lang = t->lang;
                }
            });
            if (label.empty()) return;
            ticket_ = item.result.ticket_id;
            view_.label = label;
            lang_ = env_.ctx.translator.find(lang) ? lang : office_lang_;
            view_.step = FeedbackStep::Ask;
            view_.sending = false;
            rating_.clear();
            worker_.new_session();  // a rating still being sent was for the ticket before
            until_ = now_ + kFeedbackAskFor;
        } else if (const auto* rated = std::get_if<FeedbackGiven>(&item.event.body);
                   rated && rated->ticket == ticket_ && (view_.step == FeedbackStep::Ask || view_.step == FeedbackStep::Reasons)) {
            thanks("feedback.thanks");
        }
    }
    void rate(const std::string& rating) override {
        if (view_.step != FeedbackStep::Ask || view_.sending) return;
        rating_ = rating;
        if (rating == "bad") {
            view_.step = FeedbackStep::Reasons;
            until_ = now_ + kFeedbackAskFor;
            return;
        }
        send("");
    }
    void give_reason(const std::string& reason) override {
        if (view_.step != FeedbackStep::Reasons || view_.sending) return;
        send(reason);
    }
    void send(const std::string& reason) {
        view_.sending = true;
        app::FeedbackRequest request{ticket_, false, rating_, reason, "screen"};
        worker_.run([this, request]() -> app::RoleWorker::Apply {
            auto r = app::record_feedback(office_, request);
            const bool ok = r.ok();
            const std::string code = ok ? std::string() : r.error().code;
            const std::string message = ok ? std::string() : r.error().message;
            return [this, ok, code, message] {
                view_.sending = false;
                if (ok || code == "refused.feedback.already") return thanks(ok ? "feedback.thanks" : "web.feedback.already");
                std::fprintf(stderr, "kiosk: feedback: the rating was not recorded: %s\n", message.c_str());
                thanks("web.feedback.failed");
            };
        });
    }
    void thanks(const std::string& key) {
        view_.step = FeedbackStep::Thanks;
        view_.thanks_key = key;
        view_.sending = false;
        until_ = now_ + kFeedbackThanksFor;
    }
    void idle() {
        view_.step = FeedbackStep::Idle;
        view_.label.clear();
        view_.sending = false;
        ticket_.clear();
        rating_.clear();
        lang_ = office_lang_;
        until_.reset();
    }

    RoleEnv& env_;
    Office& office_;
    const SiteConfig& config_;
    FeedbackView view_;
    FeedbackScreen screen_;
    std::string office_lang_, lang_;
    std::shared_ptr<EventFeed> feed_;
    std::string ticket_, rating_;           // the ticket asked about (its id), the face chosen
    std::optional<SteadyTime> until_;       // when the current step ends
    SteadyTime now_{};
    app::RoleWorker worker_{env_.wake};     // last: stopped (joined) before the rest goes
};

}  // namespace

Result<std::unique_ptr<Role>> make_feedback_role(RoleEnv& env) {
    if (!env.ctx.office) return fail("the feedback role needs the office store");
    std::string list;
    for (const auto& c : env.ctx.config.counters) list += (list.empty() ? "" : ", ") + std::to_string(c.number);
    if (env.counter <= 0)
        return fail("the feedback role stands beside a counter: it needs --counter N (this office's counters: " +
                    (list.empty() ? "none" : list) + ")");
    const CounterConfig* counter = env.ctx.config.find_counter(env.counter);
    if (!counter)
        return fail("counter " + std::to_string(env.counter) + " does not exist in " + env.ctx.config.source.string() +
                    " (counters: " + (list.empty() ? "none" : list) + ")");
    return std::unique_ptr<Role>(new FeedbackRole(env, *counter));
}

WindowDefaults feedback_window_defaults(const SiteConfig&) {
    WindowDefaults d;  // a small tablet beside the counter
    d.orientation = "landscape";
    d.fullscreen = false;
    d.width = 1280;
    d.height = 800;
    return d;
}

}  // namespace csc::gui
