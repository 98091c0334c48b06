// The hidden service menu over a role: the gesture, the maintenance sign-in, the pages made from
// facts read on a worker, the idle close. See service_menu.hpp for the contract.
#include "kiosk/gui/roles/service_menu.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <deque>
#include <iostream>

#include <imgui.h>

#include "drivers/audio/audio_player.hpp"
#include "drivers/audio/call_announcer.hpp"
#include "kiosk/gui/widgets.hpp"
#include "drivers/printer/printer_admin.hpp"
#include "kiosk/app/maintenance.hpp"
#include "kiosk/app/role_worker.hpp"
#include "kiosk/app/service_facts.hpp"
#include "kiosk/app/staff.hpp"
#include "kiosk/app/usb_export.hpp"
#include "kiosk/gui/screens/service_menu_screen.hpp"
#include "kiosk/gui/screens/staff_sign_in.hpp"

namespace csc::gui {

namespace {

using namespace std::chrono_literals;

constexpr int kCornerTaps = 5;
constexpr auto kCornerWindow = 3s;
// GLFW key codes (ImGui 1.86 io.KeysDown index): M, left/right Ctrl, left/right Alt.
constexpr int kKeyM = 77, kKeyLeftCtrl = 341, kKeyLeftAlt = 342, kKeyRightCtrl = 345, kKeyRightAlt = 346;
constexpr std::array<const char*, 8> kPages{"printer", "network", "config", "logs", "stats", "export", "day", "device"};
constexpr std::string_view kProfilePrefix = "profile:";

std::string minutes_text(double m) {
    char b[16];
    std::snprintf(b, sizeof b, "%.0f", m);
    return b;
}

class ServiceMenuGate final : public Role, StaffSignInIntents, ServiceMenuIntents {
public:
    ServiceMenuGate(RoleEnv& env, std::unique_ptr<Role> inner)
        : env_(env), inner_(std::move(inner)), worker_(env.wake, app::RoleWorker::OnStop::Finish),
          lang_(env.ctx.config.languages.front()) {
        login_.heading_key = "service_menu.login";
        login_.none_key = "service_menu.login.none";
        login_.can_cancel = true;
    }
    ~ServiceMenuGate() override {
        close_menu();
        worker_.stop();
    }

    void update(SteadyTime now) override {
        worker_.apply_posted();
        const ImGuiIO& io = ImGui::GetIO();
        // What the last frame took in: a touch or a key keeps the menu open.
        const bool touched = io.MouseClicked[0] || io.InputQueueCharacters.Size > 0 ||
                             std::any_of(std::begin(io.KeysDown), std::end(io.KeysDown), [](bool k) { return k; });
        if (state_ == State::Closed) {
            if (io.MouseClicked[0]) note_tap(io.MouseClickedPos[0], io.DisplaySize, now);
            // The backend holds a key pressed and released within one poll down for one frame,
            // but not the modifier flags: Ctrl and Alt count if seen down within the last second.
            if (io.KeyCtrl || io.KeysDown[kKeyLeftCtrl] || io.KeysDown[kKeyRightCtrl]) ctrl_at_ = now;
            if (io.KeyAlt || io.KeysDown[kKeyLeftAlt] || io.KeysDown[kKeyRightAlt]) alt_at_ = now;
            const bool combo = io.KeysDown[kKeyM] && now - ctrl_at_ < 1s && now - alt_at_ < 1s;
            if ((taps_.size() >= static_cast<std::size_t>(kCornerTaps) || combo) && !combo_held_) open_sign_in(now);
            combo_held_ = combo;
        } else {
            if (touched || exporting_) last_activity_ = now;  // never closed under a running export
            if (refresh_at_ && now >= *refresh_at_) {
                refresh_at_.reset();
                refresh();
            }
            // The Export page looks for sticks every 2 s (sysfs only): one plugged in shows up.
            if (state_ == State::Open && view_.page == "export" && !scanning_ && !exporting_ && (!scan_at_ || now >= *scan_at_)) {
                scan_at_ = now + 2s;
                scan_volumes();
            }
            if (now - last_activity_ >= idle_limit()) {
                std::cerr << "kiosk: service menu: closed after " << env_.ctx.config.service_menu.idle_seconds
                          << " s without a touch\n";
                close_menu();
            }
        }
        inner_->update(now);  // the role goes on underneath (a display still calls)
        // The staff's screens in the normal palette, whatever the citizen's visit chose.
        if (state_ != State::Closed) palette::use_high_contrast(false);
        refresh_view(now);
    }

    Screen& screen() override {
        if (state_ == State::SignIn) return sign_in_screen_;
        if (state_ == State::Open) return menu_screen_;
        return inner_->screen();
    }
    const std::string& lang() const override { return state_ == State::Closed ? inner_->lang() : lang_; }
    bool large_text() const override { return state_ == State::Closed && inner_->large_text(); }
    app::SpeechGuide* speech_guide() override { return state_ == State::Closed ? inner_->speech_guide() : nullptr; }
    void after_frame() override { inner_->after_frame(); }
    std::optional<SteadyTime> next_deadline(SteadyTime now) const override {
        auto d = inner_->next_deadline(now);
        auto sooner = [&](SteadyTime t) { d = d ? std::min(*d, t) : t; };
        if (state_ != State::Closed) {
            sooner(last_activity_ + idle_limit());
            if (refresh_at_) sooner(*refresh_at_);
            sooner(now + 1s);  // the clock, the countdown and the lock's seconds
        } else if (!taps_.empty()) {
            sooner(taps_.front() + kCornerWindow);
        }
        return d;
    }
    std::string state_key() const override {
        if (state_ == State::Closed) return inner_->state_key();
        std::string key = state_ == State::SignIn ? "service/sign_in" : "service/" + view_.page;
        if (login_.checking_pin) key += "/checking";
        if (login_.wrong_pin) key += "/wrong-pin";
        if (login_.locked_seconds > 0) key += "/locked";
        if (view_.loading) key += "/loading";
        if (!view_.question.empty()) key += "/asking-" + pending_;
        if (view_.pattern.shown) key += "/pattern-" + std::to_string(view_.pattern.marks.size());
        if (view_.page == "logs") key += "/" + log_filter_;
        if (view_.page == "device" && languages_shown_) key += "/languages";
        if (view_.page == "stats") key += "/" + std::to_string(static_cast<int>(span_));
        if (view_.page == "stats" && span_ == app::StatsSpan::Chosen) key += "/" + chosen_.from.iso() + "/" + chosen_.to.iso();
        if (view_.page == "export") {
            key += exporting_ ? "/exporting" : scanned_ ? "/sticks" : "/looking";
            for (const app::ExportVolume& v : volumes_) key += ":" + v.device;
        }
        key += "/" + std::to_string(facts_read_) + "/" + std::to_string(outcomes_);
        return key;
    }
    nlohmann::json describe() const override {
        if (state_ == State::Closed) return inner_->describe();
        nlohmann::json rows = nlohmann::json::array();
        for (const ServiceRow& r : view_.rows)
            rows.push_back({{"label", r.label}, {"value", r.value},
                            {"tone", r.tone == ServiceTone::Ok     ? "ok"
                                     : r.tone == ServiceTone::Warn ? "warn"
                                     : r.tone == ServiceTone::Error ? "error"
                                                                    : "plain"}});
        nlohmann::json bars = nlohmann::json::array();
        for (const ServiceBar& b : view_.chart) bars.push_back({{"label", b.label}, {"value", b.value}});
        nlohmann::json sectors = nlohmann::json::array();
        for (const ServiceBar& b : view_.chart2) sectors.push_back({{"label", b.label}, {"value", b.value}, {"colour", b.colour.hex()}});
        nlohmann::json actions = nlohmann::json::array(), choices = nlohmann::json::array();
        for (const ServiceAction& a : view_.actions) actions.push_back({{"id", a.id}, {"label", a.label}, {"danger", a.danger}});
        for (const ServiceAction& c : view_.choices) choices.push_back({{"id", c.id}, {"label", c.label}, {"selected", c.selected}});
        nlohmann::json queue = nlohmann::json::array();
        for (const ServiceBar& p : view_.line) queue.push_back(p.value);
        nlohmann::json marks = nlohmann::json::array();
        for (const ImVec2 m : view_.pattern.marks) marks.push_back({m.x, m.y});
        return {{"screen", state_ == State::SignIn ? "service_sign_in" : "service_menu"},
                {"lang", lang_},
                {"service", {{"page", view_.page}, {"signed_in", signed_in_}, {"rows", rows}, {"hours", bars},
                             {"sectors", sectors}, {"loading", view_.loading}, {"facts_read", facts_read_},
                             {"wrong_pin", login_.wrong_pin}, {"locked_seconds", login_.locked_seconds},
                             {"operators", login_.operators}, {"actions", actions}, {"choices", choices},
                             {"outcome", view_.outcome}, {"question", view_.question}, {"asking", pending_},
                             {"pattern", view_.pattern.shown}, {"marks", marks}, {"queue", queue},
                             {"days", facts_ ? nlohmann::json{facts_->stats_range.from.iso(), facts_->stats_range.to.iso()} : nlohmann::json()},
                             {"preview", {{"width", view_.picture.width}, {"height", view_.picture.height}}}}}};
    }
    bool capture_allowed() const override { return state_ == State::Closed ? inner_->capture_allowed() : true; }
    int frames_per_wake() const override { return state_ == State::Closed ? inner_->frames_per_wake() : 3; }

    // StaffSignInIntents
    void sign_in(const std::string& name, const std::string& pin) override {
        if (login_.checking_pin || locked_until_) return;
        login_.checking_pin = true;
        login_.wrong_pin = false;
        worker_.run([this, name, secret = pin]() mutable -> app::RoleWorker::Apply {
            auto r = app::sign_in(*env_.ctx.office, name, secret, "maintenance", "service-menu");
            wipe_secret(secret);
            return [this, name, r = std::move(r)] { signed_in(name, r); };
        });
    }
    void cancel_sign_in() override { close_menu(); }

    // ServiceMenuIntents
    void open_page(const std::string& id) override {
        if (std::find(kPages.begin(), kPages.end(), id) == kPages.end()) return;
        view_.page = id;
        refresh();
    }
    void refresh() override {
        view_.loading = true;
        worker_.run([this, spooler = inner_->spooler(), span = span_, chosen = chosen_]() -> app::RoleWorker::Apply {
            auto facts = std::make_shared<app::ServiceFacts>(app::gather_service_facts(env_.ctx, spooler, span, chosen));
            return [this, facts] {
                facts_ = facts;
                view_.loading = false;
                ++facts_read_;
                // A new picture only when the paper is another one: the texture stays otherwise.
                if (facts->printer && facts->printer->last_ticket != preview_of_) {
                    preview_of_ = facts->printer->last_ticket;
                    const app::PaperImage& img = facts->printer->preview;
                    preview_ = Picture{img.width, img.height, std::make_shared<const std::vector<std::uint8_t>>(img.grey), 1};
                }
            };
        });
    }
    void close_menu() override {
        if (state_ == State::Closed) return;
        if (view_.pattern.shown) finish_pattern();  // audited before the sign-out
        if (!signed_in_.empty())
            worker_.run_only([this, who = signed_in_] {
                if (auto r = env_.ctx.office->record(StaffSignedOut{who, "service-menu"}, who); !r)
                    std::cerr << "kiosk: service menu: sign-out not recorded: " << r.error().message << '\n';
            });
        worker_.new_session();  // what was asked while it was open applies to nobody now
        volumes_.clear();
        scanned_ = scanning_ = exporting_ = false;
        scan_at_.reset();
        signed_in_.clear();
        facts_.reset();
        preview_ = {};
        preview_of_.clear();
        pending_.clear();
        languages_shown_ = false;
        span_ = app::StatsSpan::Today;
        chosen_ = {};
        log_filter_ = "all";
        speaker_asked_ = false;
        view_.question.clear();
        view_.outcome.clear();
        refresh_at_.reset();
        state_ = State::Closed;
        taps_.clear();
        sign_in_screen_.reset();
        login_.wrong_pin = false;
        login_.checking_pin = false;
    }

    void act(const std::string& id) override {
        if (state_ != State::Open || !view_.question.empty()) return;
        app::PrintSpooler* spooler = inner_->spooler();
        if (id == "test-page" && spooler) {
            auto profile = printer::find_profile(spooler->profile_id());
            if (!profile) return say(ServiceTone::Error, tr("service_menu.printer.failed", {{"error", profile.error().message}}));
            spooler->submit("service:test-page", printer::make_test_page(*profile));
            audit("test-page", profile->id);
            say(ServiceTone::Ok, tr("service_menu.printer.test_sent", {{"profile", profile->name}}));
            refresh_at_ = std::chrono::steady_clock::now() + 2s;  // the printer's answer, once it has printed
        } else if (id == "paper-changed" && spooler) {
            spooler->paper_changed();
            audit("paper-changed");
            say(ServiceTone::Ok, tr("service_menu.printer.paper_reset"));
            refresh();
        } else if (id.starts_with(kProfilePrefix) && spooler) {
            const std::string profile = id.substr(kProfilePrefix.size());
            if (auto r = spooler->choose_profile(profile); !r)
                return say(ServiceTone::Error, tr("service_menu.printer.failed", {{"error", r.error().message}}));
            audit("printer-profile", profile);
            say(ServiceTone::Ok, tr("service_menu.printer.profile_chosen", {{"profile", profile}}));
            refresh();
        } else if (id.starts_with("log:")) {
            log_filter_ = id.substr(4);
        } else if (id.starts_with("range:")) {
            const std::string range = id.substr(6);
            span_ = range == "week"    ? app::StatsSpan::Week
                    : range == "month" ? app::StatsSpan::Month
                    : range == "chosen" ? app::StatsSpan::Chosen
                                        : app::StatsSpan::Today;
            if (span_ == app::StatsSpan::Chosen && chosen_.to.year < 2000) {  // first time: the last 30 days
                const Date today = local_today();
                chosen_ = {civil_from_days(days_from_civil(today.year, today.month, today.day) - 29), today};
            }
            refresh();
        } else if (id.starts_with("step:") && span_ == app::StatsSpan::Chosen) {
            // "step:from:-month" … "step:to:+day": one end of the chosen days moved.
            const std::string step = id.substr(5);
            chosen_ = app::step_stats_range(chosen_, step.starts_with("from:"), step.ends_with("month"),
                                            step.find('+') != std::string::npos, local_today());
            refresh();
        } else if (id == "config-reload" && (env_.reload || env_.restart)) {
            // Checked again at the moment of applying: a file broken since the page was read is
            // refused with its line, and the running configuration stays.
            worker_.run([this, who = signed_in_]() -> app::RoleWorker::Apply {
                if (auto checked = load_site_config(env_.ctx.config.source); !checked)
                    return [this, e = checked.error().message] {
                        say(ServiceTone::Error, tr("service_menu.config.error", {{"error", e}}));
                        refresh();
                    };
                auto r = app::record_maintenance(*env_.ctx.office, who, "config-reload", env_.ctx.config.source.filename().string());
                return [this, r] {
                    if (!r) return say(ServiceTone::Error, tr("service_menu.device.failed", {{"error", r.error().message}}));
                    std::cerr << "kiosk: service menu: configuration applied by \"" << signed_in_ << "\"\n";
                    close_menu();
                    if (env_.reload) env_.reload();
                    else env_.restart();
                };
            });
        } else if (id.starts_with("export:") && !exporting_) {
            // Only a device offered on the page now; recorded first, then mounted, written, unmounted.
            const std::string device = id.substr(7);
            const auto v = std::find_if(volumes_.begin(), volumes_.end(), [&](const app::ExportVolume& x) { return x.device == device; });
            if (v == volumes_.end()) return;
            exporting_ = true;
            say(ServiceTone::Plain, tr("service_menu.export.running", {{"name", v->name}}));
            worker_.run([this, who = signed_in_, device, name = v->name,
                         range = app::stats_days(span_, local_today(), chosen_)]() -> app::RoleWorker::Apply {
                if (auto r = app::record_maintenance(*env_.ctx.office, who, "export", device); !r)
                    return [this, e = r.error().message] {
                        exporting_ = false;
                        say(ServiceTone::Error, tr("service_menu.export.failed", {{"error", e}}));
                    };
                auto done = app::export_to_device(env_.ctx, device, range);
                return [this, done = std::move(done), name] {
                    exporting_ = false;
                    if (!done) {
                        std::cerr << "kiosk: service menu: export failed: " << done.error().message << '\n';
                        return say(ServiceTone::Error, tr("service_menu.export.failed", {{"error", done.error().message}}));
                    }
                    std::cerr << "kiosk: service menu: exported " << done->files.size() << " files (" << done->bytes << " bytes) to "
                              << done->device << ", folder " << done->folder << '\n';
                    say(ServiceTone::Ok, tr("service_menu.export.done", {{"count", std::to_string(done->files.size())},
                                                                         {"name", name}, {"folder", done->folder}}));
                };
            });
        } else if (id == "language-check") {
            languages_shown_ = !languages_shown_;
        } else if (id == "screen-check") {
            view_.pattern.shown = true;
            view_.pattern.marks.clear();
        } else if (id == "speaker-check") {
            speaker_check();
        } else if (id == "close-day" || id == "restart" || id == "reboot" || id == "shutdown") {
            pending_ = id;
        }
    }
    void answer(bool yes) override {
        const std::string action = std::exchange(pending_, {});
        if (!yes || action.empty() || state_ != State::Open) return;
        const std::string who = signed_in_;
        if (action == "close-day") {
            worker_.run([this, who]() -> app::RoleWorker::Apply {
                auto r = env_.ctx.office->close_day(who);
                return [this, r] {
                    if (r) say(ServiceTone::Ok, tr("service_menu.day.closed"));
                    else say(ServiceTone::Error, tr("service_menu.day.not_closed", {{"error", r.error().message}}));
                    refresh();
                };
            });
        } else if (action == "restart") {
            // Recorded first, then the window closes and the program starts again.
            worker_.run([this, who]() -> app::RoleWorker::Apply {
                auto r = app::record_maintenance(*env_.ctx.office, who, "restart");
                return [this, r] {
                    if (!r) return say(ServiceTone::Error, tr("service_menu.device.failed", {{"error", r.error().message}}));
                    std::cerr << "kiosk: service menu: restart asked by \"" << signed_in_ << "\"\n";
                    close_menu();
                    if (env_.restart) env_.restart();
                };
            });
        } else {
            const std::string command = action == "reboot" ? env_.ctx.config.service_menu.reboot_command
                                                           : env_.ctx.config.service_menu.shutdown_command;
            worker_.run([this, who, action, command]() -> app::RoleWorker::Apply {
                auto r = app::record_maintenance(*env_.ctx.office, who, action);
                if (r) {
                    std::cerr << "kiosk: service menu: " << action << " asked by \"" << who << "\": running \"" << command << "\"\n";
                    r = app::run_device_command(command);
                }
                return [this, r, action] {
                    if (r) say(ServiceTone::Ok, tr("service_menu.device." + action + "_started"));
                    else say(ServiceTone::Error, tr("service_menu.device.failed", {{"error", r.error().message}}));
                };
            });
        }
    }
    void pattern_touch(ImVec2 at, bool done) override {
        if (!view_.pattern.shown) return;
        if (done) return finish_pattern();
        view_.pattern.marks.push_back(at);
        if (view_.pattern.marks.size() > 50) view_.pattern.marks.erase(view_.pattern.marks.begin());
    }

private:
    enum class State { Closed, SignIn, Open };

    void say(ServiceTone tone, std::string text) {
        view_.outcome = std::move(text);
        view_.outcome_tone = tone;
        ++outcomes_;
    }
    void audit(const std::string& action, const std::string& detail = {}) {
        worker_.run_only([this, who = signed_in_, action, detail] {
            if (auto r = app::record_maintenance(*env_.ctx.office, who, action, detail); !r)
                std::cerr << "kiosk: service menu: " << action << " not recorded: " << r.error().message << '\n';
        });
    }
    void finish_pattern() {
        const std::size_t touches = view_.pattern.marks.size();
        view_.pattern.shown = false;
        view_.pattern.marks.clear();
        audit("screen-check", std::to_string(touches) + " touches");
        say(ServiceTone::Ok, tr("service_menu.device.screen_checked", {{"count", std::to_string(touches)}}));
    }
    void speaker_check() {
        audio::Pcm chime = audio::make_chime();
        if (!env_.sound_file.empty()) {
            // The test hook of `kiosk run --sound-file`: the sound written instead of played.
            if (auto w = audio::write_wav(chime, env_.sound_file); !w)
                return say(ServiceTone::Error, tr("service_menu.device.failed", {{"error", w.error().message}}));
            say(ServiceTone::Ok, tr("service_menu.device.speaker_played", {{"device", env_.sound_file.string()}}));
        } else {
            if (!player_) player_ = std::make_unique<audio::AudioPlayer>(env_.ctx.config.display.sound_device);
            player_->play(std::move(chime));
            say(ServiceTone::Ok, tr("service_menu.device.speaker_played", {{"device", env_.ctx.config.display.sound_device}}));
            speaker_asked_ = true;
            refresh_at_ = std::chrono::steady_clock::now() + 2s;  // then say whether it could play
        }
        audit("speaker-check");
    }

    [[nodiscard]] std::chrono::seconds idle_limit() const { return std::chrono::seconds(env_.ctx.config.service_menu.idle_seconds); }

    void note_tap(ImVec2 at, ImVec2 display, SteadyTime now) {
        const float corner = std::max(60.0f, 0.08f * std::min(display.x, display.y));
        if (at.x > corner || at.y > corner) {
            taps_.clear();  // a tap anywhere else breaks the gesture
            return;
        }
        taps_.push_back(now);
        while (!taps_.empty() && now - taps_.front() > kCornerWindow) taps_.pop_front();
    }

    void open_sign_in(SteadyTime now) {
        taps_.clear();
        state_ = State::SignIn;
        last_activity_ = now;
        login_.operators.clear();
        for (const auto& m : env_.ctx.office->staff())
            if (m.has_role("maintenance")) login_.operators.push_back(m.name);
        std::cerr << "kiosk: service menu: asked (" << login_.operators.size() << " maintenance staff)\n";
    }

    void signed_in(const std::string& name, const Result<app::SignInResult>& r) {
        login_.checking_pin = false;
        if (state_ != State::SignIn) return;
        if (!r || !r->ok) {
            login_.wrong_pin = true;
            if (r) locked_until_ = r->locked_until;
            std::cerr << "kiosk: service menu: sign-in refused for \"" << name << "\""
                      << (!r ? " (" + r.error().message + ")" : r->locked_until ? " (locked after too many wrong PINs)" : " (wrong PIN)")
                      << '\n';
            return;
        }
        signed_in_ = r->name;
        locked_until_.reset();
        state_ = State::Open;
        view_.page = kPages.front();
        std::cerr << "kiosk: service menu: opened by \"" << signed_in_ << "\"\n";
        refresh();
    }

    std::string tr(std::string_view key, const std::vector<std::pair<std::string, std::string>>& args = {}) const {
        return env_.ctx.translator.tr(lang_, key, args);
    }

    void refresh_view(SteadyTime now) {
        const SiteConfig& config = env_.ctx.config;
        const Millis wall = env_.ctx.clock.now();
        if (locked_until_ && wall >= *locked_until_) locked_until_.reset();
        login_.locked_seconds = locked_until_ ? static_cast<int>((*locked_until_ - wall + 999) / 1000) : 0;
        login_.title = tr("service_menu.title");
        login_.time = local_hhmm(config, wall);
        login_.link_flag = link_flag(env_);
        if (state_ != State::Open) return;
        view_.title = tr("service_menu.title");
        view_.subtitle = tr("service_menu.signed_in", {{"name", signed_in_}, {"device", env_.ctx.office->device()}});
        view_.time = login_.time;
        view_.close_label = tr("service_menu.close");
        view_.refresh_label = tr("service_menu.refresh");
        view_.pages.clear();
        for (const char* p : kPages) view_.pages.emplace_back(p, tr(std::string("service_menu.page.") + p));
        const auto left = idle_limit() - std::chrono::duration_cast<std::chrono::seconds>(now - last_activity_);
        view_.closes_in = left <= 15s ? tr("service_menu.closes_in", {{"seconds", std::to_string(std::max<long long>(0, left.count()))}}) : "";
        view_.heading = tr("service_menu.page." + view_.page);
        view_.rows.clear();
        view_.note.clear();
        view_.chart_title.clear();
        view_.chart.clear();
        view_.chart2.clear();
        view_.line.clear();
        view_.line_title.clear();
        view_.actions.clear();
        view_.choices.clear();
        view_.choices_title.clear();
        view_.choices_first = false;
        view_.picture = {};
        view_.picture_caption.clear();
        view_.question = pending_.empty() ? "" : tr("service_menu.confirm." + pending_);
        view_.yes_label = tr("service_menu.confirm.yes");
        view_.no_label = tr("service_menu.confirm.no");
        if (view_.pattern.shown) {
            view_.pattern.colours.clear();
            for (const Sector& s : config.sectors) view_.pattern.colours.push_back(s.colour);
            for (const Rgb c : {Rgb{0, 0, 0}, Rgb{0x80, 0x80, 0x80}, Rgb{0xFF, 0xFF, 0xFF}}) view_.pattern.colours.push_back(c);
            view_.pattern.hint = tr("service_menu.device.pattern_hint");
            view_.pattern.done_label = tr("service_menu.device.pattern_done");
        }
        if (speaker_asked_ && player_ && !refresh_at_) {
            speaker_asked_ = false;
            if (const std::string e = player_->last_error(); !e.empty())
                say(ServiceTone::Error, tr("service_menu.device.failed", {{"error", e}}));
        }
        if (!facts_) return;
        const app::ServiceFacts& f = *facts_;
        if (view_.page == "printer") printer_page(f);
        else if (view_.page == "network") network_page(f);
        else if (view_.page == "config") config_page(f);
        else if (view_.page == "logs") logs_page(f);
        else if (view_.page == "day") day_page(f);
        else if (view_.page == "device") device_page();
        else if (view_.page == "export") export_page();
        else stats_page(f);
    }

    std::string role_name(const presence::DeviceStatus& s) const {
        if (s.role == "counter") return tr("admin.role.counter", {{"counter", std::to_string(s.counter)}});
        return tr("admin.role." + (s.role == "web" ? std::string("web_server") : s.role));
    }

    void printer_page(const app::ServiceFacts& f) {
        for (const app::ProgramFact& p : f.programs) {
            if (p.status.device != f.device || !p.status.printer) continue;
            const presence::PrinterPresence& pr = *p.status.printer;
            ServiceRow row{role_name(p.status), tr("admin.printer.not_asked"), ServiceTone::Plain};
            if (pr.checked > 0) {
                row.value = tr("admin.printer.state." + std::string(presence::to_string(pr.state)),
                               {{"time", local_hhmm(env_.ctx.config, pr.checked)}}) +
                            " · " + tr("admin.printer.printed", {{"count", std::to_string(pr.printed)}});
                if (!pr.detail.empty()) row.value += "\n" + pr.detail;
                row.tone = pr.state == presence::PrinterState::Ok || pr.state == presence::PrinterState::Unknown ? ServiceTone::Ok
                           : pr.state == presence::PrinterState::PaperNearEnd                                   ? ServiceTone::Warn
                                                                                                                 : ServiceTone::Error;
            }
            view_.rows.push_back(std::move(row));
        }
        if (!f.printer) {
            if (view_.rows.empty()) view_.rows.push_back({tr("service_menu.page.printer"), tr("service_menu.printer.none"), ServiceTone::Plain});
            return;
        }
        // This program's own printer: its paper, its profile, its last ticket.
        const app::PrinterFacts& p = *f.printer;
        std::string since = tr("service_menu.printer.paper_counts", {{"today", std::to_string(p.paper.today)},
                                                                      {"since", std::to_string(p.paper.since_change)}});
        if (p.paper.changed_at > 0)
            since += "\n" + tr("service_menu.printer.paper_changed_at", {{"time", local_date_hhmm(p.paper.changed_at)}});
        view_.rows.push_back({tr("service_menu.printer.paper"), since, ServiceTone::Plain});
        if (p.waiting_for_retry > 0)
            view_.rows.push_back({tr("service_menu.printer.retrying"), std::to_string(p.waiting_for_retry), ServiceTone::Warn});
        view_.actions.push_back({"test-page", tr("service_menu.printer.test_page")});
        view_.actions.push_back({"paper-changed", tr("service_menu.printer.paper_changed")});
        view_.choices_title = tr("service_menu.printer.profile");
        for (const auto& [id, name] : p.profiles)
            view_.choices.push_back({std::string(kProfilePrefix) + id, name, false, id == p.profile});
        if (!preview_.empty()) {
            view_.picture = preview_;
            view_.picture_caption = tr("service_menu.printer.preview", {{"ticket", p.last_label}});
        } else {
            view_.note = tr("service_menu.printer.no_preview");
        }
    }

    std::string local_date_hhmm(Millis t) const {
        const LocalTime l = env_.ctx.config.timezone.to_local(t);
        char b[32];
        std::snprintf(b, sizeof b, "%02d/%02d/%04d %02d:%02d", l.date.day, l.date.month, l.date.year, l.hour, l.minute);
        return b;
    }

    void day_page(const app::ServiceFacts& f) {
        const app::DayFacts& d = f.day;
        char date_text[16];
        std::snprintf(date_text, sizeof date_text, "%02d/%02d/%04d", d.date.day, d.date.month, d.date.year);
        view_.rows.push_back({tr("service_menu.day.date"), date_text, ServiceTone::Plain});
        view_.rows.push_back({tr("service_menu.day.tickets"),
                              tr("service_menu.day.tickets_value", {{"issued", std::to_string(d.issued)},
                                                                    {"served", std::to_string(d.served)},
                                                                    {"waiting", std::to_string(d.waiting)}}),
                              d.waiting > 0 ? ServiceTone::Warn : ServiceTone::Plain});
        view_.rows.push_back({tr("service_menu.day.counters"), std::to_string(d.counters_open),
                              d.counters_open > 0 ? ServiceTone::Ok : ServiceTone::Plain});
        // The next office day opens by itself with its first ticket: when that can be.
        std::string next = tr("service_menu.day.next_none");
        if (d.next_opening) {
            const auto& [date, minute] = *d.next_opening;
            std::snprintf(date_text, sizeof date_text, "%02d/%02d/%04d", date.day, date.month, date.year);
            next = tr("service_menu.day.next_value", {{"date", date_text}, {"time", two_digits(minute / 60) + ":" + two_digits(minute % 60)}});
        }
        view_.rows.push_back({tr("service_menu.day.next"), next, ServiceTone::Plain});
        view_.note = tr(d.anything_open ? "service_menu.day.note_open" : "service_menu.day.note_closed");
        if (d.anything_open) view_.actions.push_back({"close-day", tr("service_menu.day.close"), true});
    }

    void scan_volumes() {
        scanning_ = true;
        worker_.run([this]() -> app::RoleWorker::Apply {
            auto found = app::find_export_volumes("/sys/class/block", {env_.ctx.config.service_menu.export_device});
            return [this, found = std::move(found)] {
                scanning_ = false;
                scanned_ = true;
                volumes_ = found;
            };
        });
    }

    // "7,8 GB", "512 MB" (a decimal comma but in English and Chinese).
    std::string size_text(std::uint64_t bytes) const {
        char buf[32];
        if (bytes >= 1'000'000'000ULL) std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(bytes) / 1e9);
        else std::snprintf(buf, sizeof buf, "%llu MB", static_cast<unsigned long long>(bytes / 1'000'000ULL));
        std::string s = buf;
        if (lang_ != "en" && lang_ != "zh") std::replace(s.begin(), s.end(), '.', ',');
        return s;
    }

    void export_page() {
        const app::StatsRange range = app::stats_days(span_, local_today(), chosen_);
        view_.rows.push_back({tr("service_menu.export.days"),
                              tr("service_menu.export.days_value", {{"from", range.from.iso()}, {"to", range.to.iso()}}), ServiceTone::Plain});
        view_.rows.push_back({tr("service_menu.export.what"), tr("service_menu.export.what_value"), ServiceTone::Plain});
        if (scanned_ && volumes_.empty())
            view_.rows.push_back({tr("service_menu.export.sticks"), tr("service_menu.export.none"), ServiceTone::Warn});
        for (const app::ExportVolume& v : volumes_) {
            view_.rows.push_back({tr("service_menu.export.sticks"), v.bytes ? v.name + " · " + size_text(v.bytes) : v.name, ServiceTone::Ok});
            if (!exporting_) view_.actions.push_back({"export:" + v.device, tr("service_menu.export.to", {{"name", v.name}})});
        }
        view_.note = tr("service_menu.export.note");
    }

    void device_page() {
        const SiteConfig& c = env_.ctx.config;
        if (languages_shown_) {
            // The languages check: each of the office's languages in its own words and script,
            // as the citizens' screens draw it (a missing font shows as boxes here first).
            for (const Catalog& cat : env_.ctx.translator.catalogs())
                view_.rows.push_back({cat.language_name,
                                      env_.ctx.translator.tr(cat.lang, "home.title") + " · " + env_.ctx.translator.tr(cat.lang, "home.subtitle"),
                                      ServiceTone::Plain});
        } else {
            view_.rows.push_back({tr("service_menu.device.name"), env_.ctx.office->device(), ServiceTone::Plain});
            view_.rows.push_back({tr("service_menu.device.version"), CSC_VERSION, ServiceTone::Plain});
            const ImVec2 size = ImGui::GetIO().DisplaySize;
            view_.rows.push_back({tr("service_menu.device.screen"),
                                  std::to_string(static_cast<int>(size.x)) + " × " + std::to_string(static_cast<int>(size.y)), ServiceTone::Plain});
            view_.rows.push_back({tr("service_menu.device.speaker"), env_.sound_file.empty() ? c.display.sound_device : env_.sound_file.string(),
                                  ServiceTone::Plain});
        }
        view_.actions.push_back({"language-check", tr(languages_shown_ ? "service_menu.device.language_hide" : "service_menu.device.language_check")});
        if (languages_shown_) return;  // the languages take the page's room
        view_.actions.push_back({"screen-check", tr("service_menu.device.screen_check")});
        view_.actions.push_back({"speaker-check", tr("service_menu.device.speaker_check")});
        if (env_.restart) view_.actions.push_back({"restart", tr("service_menu.device.restart"), true});
        if (!c.service_menu.reboot_command.empty()) view_.actions.push_back({"reboot", tr("service_menu.device.reboot"), true});
        if (!c.service_menu.shutdown_command.empty()) view_.actions.push_back({"shutdown", tr("service_menu.device.shutdown"), true});
    }

    void network_page(const app::ServiceFacts& f) {
        for (const app::ProgramFact& p : f.programs) {
            ServiceRow row{p.status.device + " · " + role_name(p.status), "", ServiceTone::Ok};
            const std::string at = local_hhmm(env_.ctx.config, p.received);
            switch (p.liveness) {
                case presence::Liveness::Online: row.value = tr("admin.online.yes", {{"time", at}}); break;
                case presence::Liveness::Stopped:
                    row.value = tr("admin.online.stopped", {{"time", at}});
                    row.tone = ServiceTone::Plain;
                    break;
                case presence::Liveness::Gone:
                    row.value = tr("admin.online.gone", {{"time", at}});
                    row.tone = ServiceTone::Error;
                    break;
            }
            if (p.status.sync) {
                const auto& y = *p.status.sync;
                const std::uint64_t behind = y.stream_last_seq > y.applied_seq ? y.stream_last_seq - y.applied_seq : 0;
                row.value += "\n" + (y.online ? tr("admin.sync.online", {{"behind", std::to_string(behind)},
                                                                         {"pending", std::to_string(y.unconfirmed)},
                                                                         {"seq", std::to_string(y.applied_seq)}})
                                              : tr("admin.sync.offline", {{"pending", std::to_string(y.unconfirmed)},
                                                                          {"error", y.last_error.empty() ? "—" : y.last_error}}));
                if (!y.online && row.tone == ServiceTone::Ok) row.tone = ServiceTone::Warn;
            }
            view_.rows.push_back(std::move(row));
        }
        if (view_.rows.empty()) view_.rows.push_back({tr("service_menu.page.network"), tr("service_menu.network.none"), ServiceTone::Plain});
        for (const std::string& other : f.index_conflicts)
            view_.rows.push_back({tr("service_menu.page.network"), tr("admin.warn.index_conflict", {{"device", other}}), ServiceTone::Error});
        for (const std::string& problem : f.presence_problems) view_.rows.push_back({"presence", problem, ServiceTone::Warn});
        view_.note = f.lan ? "" : tr("admin.sync.single");
    }

    void config_page(const app::ServiceFacts& f) {
        if (f.config_error.empty())
            view_.rows.push_back({f.config_file, tr("service_menu.config.ok"), ServiceTone::Ok});
        else
            view_.rows.push_back({f.config_file, tr("service_menu.config.error", {{"error", f.config_error}}), ServiceTone::Error});
        // The communication zone's sources: what the folder and each feed's last good copy hold now.
        if (!f.content_folder.empty())
            view_.rows.push_back({tr("service_menu.config.folder"),
                                  tr("service_menu.config.folder_value", {{"count", std::to_string(f.content_items)},
                                                                          {"folder", f.content_folder.string()}}),
                                  f.content_rejected.empty() ? ServiceTone::Ok : ServiceTone::Warn});
        for (const content::RejectedFile& r : f.content_rejected)
            view_.rows.push_back({tr("service_menu.config.rejected"), r.reason, ServiceTone::Error});
        for (const app::FeedFact& feed : f.feeds) {
            ServiceRow row{tr("service_menu.feed.label", {{"name", feed.name}}), "", ServiceTone::Ok};
            const std::string when = feed.state.last_good > 0 ? local_date_hhmm(feed.state.last_good) : "";
            if (feed.state.last_good == 0) {
                row.value = tr("service_menu.feed.never");
                row.tone = ServiceTone::Warn;
            } else if (feed.state.stale) {
                row.value = tr("service_menu.feed.stale", {{"time", when}});
                row.tone = ServiceTone::Warn;
            } else {
                row.value = tr("service_menu.feed.ok", {{"time", when}, {"count", std::to_string(feed.state.items.size())}});
            }
            if (!feed.state.problem.empty()) {
                row.value += "\n" + tr("service_menu.feed.problem", {{"error", feed.state.problem}});
                row.tone = ServiceTone::Error;
            }
            row.value += "\n" + feed.url;
            view_.rows.push_back(std::move(row));
        }
        view_.note = tr("service_menu.config.note");
        if (f.config_error.empty() && (env_.reload || env_.restart)) view_.actions.push_back({"config-reload", tr("service_menu.config.apply")});
    }

    // The log's lines, newest first, filtered by what they are about (their words: the log is
    // English, as the journal's).
    static bool about(std::string_view filter, std::string_view line) {
        auto has = [&](std::initializer_list<std::string_view> words) {
            return std::any_of(words.begin(), words.end(), [&](std::string_view w) {
                return std::search(line.begin(), line.end(), w.begin(), w.end(),
                                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; }) != line.end();
            });
        };
        if (filter == "problems")
            return has({"not ", "cannot", "failed", "error", "refused", "corrupt", "lost", "offline", "missing", "unknown", "no font", "wrong"});
        if (filter == "printer") return has({"printer", "print", "paper", "usb"});
        if (filter == "network") return has({"sync", "lan", "nats", "presence", "web", "link", "cluster"});
        if (filter == "staff") return has({"service menu", "sign", "staff", "operator", "pin"});
        return true;
    }

    void logs_page(const app::ServiceFacts& f) {
        for (const char* id : {"all", "problems", "printer", "network", "staff"})
            view_.choices.push_back({std::string("log:") + id, tr(std::string("service_menu.log.") + id), false, log_filter_ == id});
        view_.choices_title = tr("service_menu.log.filter");
        view_.choices_first = true;
        int shown = 0;
        for (auto it = f.log.rbegin(); it != f.log.rend(); ++it) {
            if (!about(log_filter_, it->text)) continue;
            const bool problem = about("problems", it->text);
            view_.rows.push_back({local_hhmm(env_.ctx.config, it->time), it->text, problem ? ServiceTone::Warn : ServiceTone::Plain});
            ++shown;
        }
        if (f.log.empty())  // no capture in this process: the warnings it kept
            for (auto it = f.warnings.rbegin(); it != f.warnings.rend(); ++it)
                if (about(log_filter_, it->text)) view_.rows.push_back({local_hhmm(env_.ctx.config, it->time), it->text, ServiceTone::Warn});
        if (view_.rows.empty()) view_.rows.push_back({tr("service_menu.page.logs"), tr("service_menu.log.none"), ServiceTone::Ok});
        view_.note = tr("service_menu.log.note", {{"count", std::to_string(f.log.size())}});
    }

    [[nodiscard]] Date local_today() const { return env_.ctx.config.timezone.to_local(env_.ctx.clock.now()).date; }

    void stats_page(const app::ServiceFacts& f) {
        if (!f.stats_error.empty()) view_.rows.push_back({tr("service_menu.page.stats"), tr("admin.warn.stats", {{"why", f.stats_error}}), ServiceTone::Error});
        for (const auto& [id, span] : {std::pair{"today", app::StatsSpan::Today}, std::pair{"week", app::StatsSpan::Week},
                                       std::pair{"month", app::StatsSpan::Month}, std::pair{"chosen", app::StatsSpan::Chosen}})
            view_.choices.push_back({std::string("range:") + id, tr(std::string("service_menu.stats.range.") + id), false, span == span_});
        view_.choices_first = true;
        if (span_ == app::StatsSpan::Chosen)  // each end moved by a day or a month
            for (const char* end : {"from", "to"})
                for (const char* step : {"-month", "-day", "+day", "+month"})
                    view_.actions.push_back({std::string("step:") + end + ":" + step,
                                             tr(std::string("service_menu.stats.step.") + (step[0] == '-' ? "back_" : "forward_") + (step + 1),
                                                {{"end", tr(std::string("service_menu.stats.") + end)}})});
        const bool today = span_ == app::StatsSpan::Today;
        const std::vector<std::pair<std::string, std::string>> days{{"from", f.stats_range.from.iso()}, {"to", f.stats_range.to.iso()}};
        view_.chart_title = today ? tr("service_menu.stats.waits") : tr("service_menu.stats.waits_days", days);
        view_.chart2_title = today ? tr("service_menu.stats.sectors") : tr("service_menu.stats.sectors_days", days);
        if (f.by_hour)
            for (const stats::StatsRow& r : f.by_hour->rows)
                if (!r.key.empty())
                    view_.chart.push_back({r.key, r.called ? r.wait_mean_min : 0.0, r.called ? minutes_text(r.wait_mean_min) : "—"});
        if (f.by_sector)
            for (const Sector& s : env_.ctx.config.sectors) {
                int issued = 0;
                for (const stats::StatsRow& r : f.by_sector->rows)
                    if (r.key == s.id) issued = r.issued;
                view_.chart2.push_back({s.name.get(lang_), static_cast<double>(issued), std::to_string(issued), s.colour});
            }
        // Today's queue: a point every quarter of an hour, the hours named under the line.
        if (today && !f.queue_line.empty()) {
            view_.line_title = tr("service_menu.stats.queue");
            for (const auto& [t, n] : f.queue_line) {
                const LocalTime l = env_.ctx.config.timezone.to_local(t);
                const bool on_the_hour = l.minute == 0 && t % 60'000 == 0;  // not the "now" point that ends the line
                view_.line.push_back({on_the_hour ? two_digits(l.hour) + ":00" : "", static_cast<double>(n), std::to_string(n)});
            }
        }
        if (view_.chart.empty()) view_.note = tr(today ? "service_menu.stats.none" : "service_menu.stats.none_days");
    }

    RoleEnv& env_;
    std::unique_ptr<Role> inner_;
    app::RoleWorker worker_;
    std::string lang_;
    State state_ = State::Closed;
    std::deque<SteadyTime> taps_;
    bool combo_held_ = false;
    SteadyTime ctrl_at_{}, alt_at_{};
    SteadyTime last_activity_{};
    StaffSignInView login_;
    std::optional<Millis> locked_until_;
    std::string signed_in_;
    ServiceMenuView view_;
    std::shared_ptr<const app::ServiceFacts> facts_;
    int facts_read_ = 0;
    int outcomes_ = 0;
    std::string pending_;                       ///< the action waiting for "yes" ("" = none)
    std::optional<SteadyTime> refresh_at_;      ///< read the facts again then (after a test page)
    Picture preview_;                       ///< the last ticket's paper, kept while it is the same ticket
    std::string preview_of_;
    std::unique_ptr<audio::AudioPlayer> player_;  ///< made on the first speaker check
    bool speaker_asked_ = false;
    app::StatsSpan span_ = app::StatsSpan::Today;  ///< the statistics page's days
    app::StatsRange chosen_;                       ///< the days chosen (StatsSpan::Chosen); year 1970 = not yet
    std::vector<app::ExportVolume> volumes_;       ///< the Export page's sticks, as last found
    bool scanned_ = false, scanning_ = false;      ///< looked for sticks at least once / looking now
    bool exporting_ = false;                       ///< an export is being written
    std::optional<SteadyTime> scan_at_;            ///< look for sticks again then (Export page)
    std::string log_filter_ = "all";               ///< the log page's filter
    bool languages_shown_ = false;                 ///< the device page lists the languages
    StaffSignIn sign_in_screen_{login_, *this, "service_sign_in"};
    ServiceMenuScreen menu_screen_{view_, *this};
};

}  // namespace

std::unique_ptr<Role> with_service_menu(RoleEnv& env, std::unique_ptr<Role> inner) {
    return std::make_unique<ServiceMenuGate>(env, std::move(inner));
}

}  // namespace csc::gui
