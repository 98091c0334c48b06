#include "kiosk/gui/roles/single_screen.hpp"

#include <cstdio>

namespace csc::gui {

namespace {

class SingleScreenRole final : public Role {
public:
    SingleScreenRole(RoleEnv& env, std::unique_ptr<FactsScreen> screen)
        : env_(env), screen_(std::move(screen)),
          lang_(env.lang.empty() ? env.ctx.config.languages.front() : env.lang) {}

    void update(SteadyTime) override {
        const auto& config = env_.ctx.config;
        const LocalTime local = config.timezone.to_local(env_.ctx.clock.now());
        char hhmm[8];
        std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", local.hour, local.minute);
        facts_ = {config.town, config.office_name, hhmm, local.weekday, local.date.day, local.date.month, link_flag(env_)};
        screen_->show(facts_);
    }
    [[nodiscard]] Screen& screen() override { return *screen_; }
    [[nodiscard]] const std::string& lang() const override { return lang_; }
    [[nodiscard]] std::optional<SteadyTime> next_deadline(SteadyTime now) const override {
        const Millis wall = env_.ctx.clock.now();
        return now + std::chrono::milliseconds(60'000 - wall % 60'000 + 5);  // just after the minute turns
    }
    [[nodiscard]] std::string state_key() const override {
        return std::string(screen_->name()) + "/" + lang_ + "/" + facts_.time + "/" + facts_.link_flag;
    }
    [[nodiscard]] nlohmann::json describe() const override {
        return {{"screen", screen_->name()}, {"lang", lang_}, {"time", facts_.time}, {"link", link_state(env_)}};
    }

private:
    RoleEnv& env_;
    std::unique_ptr<FactsScreen> screen_;
    std::string lang_;
    OfficeFacts facts_;
};

}  // namespace

Result<std::unique_ptr<Role>> make_single_screen_role(RoleEnv& env, std::unique_ptr<FactsScreen> screen) {
    return std::unique_ptr<Role>(std::make_unique<SingleScreenRole>(env, std::move(screen)));
}

}  // namespace csc::gui
