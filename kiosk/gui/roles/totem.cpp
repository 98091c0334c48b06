// The information totem's controller: reads the content folder off the frame loop, asks the
// core's playlist what shows now, turns the pages, lets a queue call pre-empt them, and keeps
// the waits per sector current from the office's event feed.
#include "kiosk/gui/roles/totem.hpp"
#include "kiosk/gui/roles/board_sectors.hpp"

#include <algorithm>
#include <iostream>

#include "kiosk/app/office_rules.hpp"
#include "shared/office_time.hpp"

namespace csc::gui {

namespace {

using namespace std::chrono_literals;

}  // namespace

Result<std::unique_ptr<Role>> make_totem_role(RoleEnv& env) {
    if (!env.ctx.office) return fail("the totem role needs the office store");
    return std::unique_ptr<Role>(new TotemRole(env));
}

WindowDefaults totem_window_defaults(const SiteConfig& config) {
    WindowDefaults d;
    d.orientation = "portrait";
    d.fullscreen = config.totem.fullscreen;
    return d;
}

TotemRole::TotemRole(RoleEnv& env) : env_(env), office_(*env.ctx.office), config_(env.ctx.config) {
    lang_ = config_.languages.front();
    if (!env.lang.empty() && env.ctx.translator.find(env.lang)) lang_ = env.lang;
    default_lang_ = lang_;
    view_.lang = lang_;
    for (const auto& code : config_.languages)
        if (env.ctx.translator.find(code)) view_.languages.emplace_back(code, env.ctx.translator.tr(code, "language.name"));
    view_.town = config_.town;
    view_.office = config_.office_name;
    view_.sectors = board_sectors(config_, lang_, env_.icon_map);
    const auto now = std::chrono::steady_clock::now();
    feed_ = office_.subscribe(env_.wake);
    office_.read([&](const OfficeState& st) {
        for (auto& s : view_.sectors) s.waiting = st.waiting(s.id);
    });
    refresh_clock(now);
    ask_outlook();
    source_ = std::make_unique<app::ContentSource>(
        config_, env.ctx.data_dir / "content-cache", env.ctx.clock,
        [this](app::ContentUpdate u) {
            content_worker_.post([this, u = std::make_shared<app::ContentUpdate>(std::move(u))] { take_content(std::move(*u)); });
        },
        [this](std::string e) { content_worker_.post([e] { std::cerr << "kiosk: totem: " << e << '\n'; }); });
}

TotemRole::~TotemRole() {
    source_.reset();
    content_worker_.stop();
    outlook_worker_.stop();
}

// ---- The content folder.

void TotemRole::take_content(app::ContentUpdate update) {
    ++reads_;
    player_.set_items(std::move(update.items), local_now(), std::chrono::steady_clock::now());
    // Said once per change: a problem already logged is not repeated at every read.
    for (const auto& p : update.problems)
        if (std::find(rejected_.begin(), rejected_.end(), p) == rejected_.end())
            std::cerr << "kiosk: totem: content not shown: " << p << '\n';
    rejected_ = std::move(update.problems);
    cards_.clear();
    cards_.set_images(std::move(update.images));
    show_page();
}

// ---- The playlist and its pages.

LocalTime TotemRole::local_now() const { return config_.timezone.to_local(env_.ctx.clock.now()); }

void TotemRole::show_page() {
    view_.pages = player_.pages();
    view_.page = player_.page();
    view_.item.reset();
    const content::ContentItem* it = player_.current();
    if (!it) return;
    auto v = cards_.view(*it, env_.ctx.translator, lang_);
    view_.item = std::move(v);
}

namespace {
constexpr auto kLanguageHeld = 90s;  // a chosen language stays this long after the last tap
}  // namespace

void TotemRole::open_languages() {
    const auto now = std::chrono::steady_clock::now();
    view_.choosing_language = !view_.choosing_language;
    lang_until_ = now + kLanguageHeld;
    if (!view_.choosing_language) player_.restart_page(now);  // the list covered the page: its full time again
}

void TotemRole::choose_language(const std::string& code) {
    const auto now = std::chrono::steady_clock::now();
    view_.choosing_language = false;
    player_.restart_page(now);
    lang_until_ = now + kLanguageHeld;
    if (code == lang_ || !env_.ctx.translator.find(code)) return;
    lang_ = code;
    view_.lang = code;
    for (auto& tile : view_.sectors)
        if (const Sector* s = config_.find_sector(tile.id)) tile.name = s->name.get(lang_);
    show_page();
}

void TotemRole::next_page() {
    if (lang_until_) lang_until_ = std::chrono::steady_clock::now() + kLanguageHeld;
    player_.turn(1, local_now(), std::chrono::steady_clock::now());
    show_page();
}
void TotemRole::previous_page() {
    if (lang_until_) lang_until_ = std::chrono::steady_clock::now() + kLanguageHeld;
    player_.turn(-1, local_now(), std::chrono::steady_clock::now());
    show_page();
}

// ---- Calls and waits.

void TotemRole::take_calls(const std::vector<FeedItem>& items, SteadyTime now) {
    if (config_.totem.call_seconds <= 0) return;
    office_.read([&](const OfficeState& st) {
        for (const auto& item : items) {
            const bool call = std::holds_alternative<TicketCalled>(item.event.body);
            if (!call && !std::holds_alternative<TicketRecalled>(item.event.body)) continue;
            const Ticket* t = st.find_ticket(item.result.ticket_id);
            if (!t || t->called_at <= 0 || t->counter <= 0) continue;
            view_.call = call_view(*t, !call, config_, lang_, env_.icon_map);  // the newest of the batch
            call_until_ = now + std::chrono::seconds(config_.totem.call_seconds);
        }
        for (auto& s : view_.sectors) s.waiting = st.waiting(s.id);
    });
}

void TotemRole::ask_outlook() {
    outlook_worker_.run_coalesced([this]() -> app::RoleWorker::Apply {
        return [this, o = office_.sector_outlook()] { take_outlook(o); };
    });
}

void TotemRole::take_outlook(const std::vector<SectorOutlook>& outlook) { apply_outlook(view_.sectors, outlook); }

// ---- Frame.

void TotemRole::refresh_clock(SteadyTime now) {
    const Millis wall = env_.ctx.clock.now();
    const LocalTime local = config_.timezone.to_local(wall);
    view_.time = two_digits(local.hour) + ":" + two_digits(local.minute);
    view_.weekday = local.weekday;
    view_.day = local.date.day;
    view_.month = local.date.month;
    view_.open = config_.hours.is_open(local);
    const int minute = local.minute_of_day();
    if (minute != last_minute_) {
        view_.hours_today = OpeningHours::text_of(app::hours_today(config_, wall));
        if (last_minute_ >= 0) {
            ask_outlook();  // the forecasts move with the clock
            player_.replan(local, now);  // an item's window may open or close on this minute
            show_page();
        }
        last_minute_ = minute;
    }
}

void TotemRole::update(SteadyTime now) {
    view_.link_flag = link_flag(env_);
    content_worker_.apply_posted();
    outlook_worker_.apply_posted();
    auto batch = feed_->take();
    if (!batch.items.empty()) take_calls(batch.items, now);
    if (batch.reset) {
        office_.read([&](const OfficeState& st) {
            for (auto& s : view_.sectors) s.waiting = st.waiting(s.id);
        });
    }
    if (batch.reset || !batch.items.empty()) ask_outlook();
    refresh_clock(now);
    if (call_until_ && now >= *call_until_) {
        call_until_.reset();
        view_.call.reset();
        player_.restart_page(now);  // the page the call covered gets its full time again
    }
    if (lang_until_ && now >= *lang_until_) {
        // Nobody has touched it for a while: the next passer-by reads the office's language.
        choose_language(default_lang_);  // also closes the list and gives the page its full time
        lang_until_.reset();
    }
    if (!view_.call && !view_.choosing_language && player_.turn_if_due(local_now(), now)) show_page();
}

std::optional<SteadyTime> TotemRole::next_deadline(SteadyTime now) const {
    const Millis wall = env_.ctx.clock.now();
    SteadyTime next = now + std::chrono::milliseconds(60000 - (wall % 60000) + 20);  // the clock's next minute
    if (lang_until_) next = std::min(next, *lang_until_ + 10ms);
    if (call_until_) next = std::min(next, *call_until_);
    else if (const auto turn = player_.next_turn(); turn && !view_.choosing_language)  // just after the turn is due: a wait that ends early draws nothing twice
        next = std::min(next, *turn + 10ms);
    return next;
}

std::string TotemRole::state_key() const {
    std::string key(page_.name());
    if (view_.item) key += '/' + view_.item->id;
    key += '/' + std::to_string(view_.page) + "-" + std::to_string(view_.pages);
    if (view_.call) key += "/call-" + view_.call->label + "-" + std::to_string(view_.call->counter);
    for (const auto& s : view_.sectors) key += '/' + std::to_string(s.waiting);
    if (!view_.link_flag.empty()) key += '/' + view_.link_flag;
    key += '/' + lang_;
    if (reads_ == 0) key += "/unread";  // the folder not read yet: a welcome page only for now
    return key;
}

nlohmann::json TotemRole::describe() const {
    nlohmann::json waiting = nlohmann::json::object();
    for (const auto& s : view_.sectors) waiting[s.id] = s.waiting;
    nlohmann::json j = {{"role", "totem"},       {"screen", page_.name()}, {"lang", lang_},
                        {"page", view_.page},    {"pages", view_.pages},    {"playlist", player_.playlist()},
                        {"urgent", player_.urgent()}, {"fallback", player_.fallback()}, {"items", player_.items().size()},
                        {"rejected", rejected_}, {"reads", reads_},         {"waiting", waiting},
                        {"open", view_.open},    {"choosing_language", view_.choosing_language},    {"link", link_state(env_)}};
    j["item"] = view_.item ? nlohmann::json(view_.item->id) : nlohmann::json();
    j["title"] = view_.item ? nlohmann::json(view_.item->title) : nlohmann::json();
    j["kind"] = view_.item ? nlohmann::json(view_.item->urgent ? "urgent" : view_.item->kind) : nlohmann::json();
    j["call"] = view_.call ? nlohmann::json{{"label", view_.call->label}, {"counter", view_.call->counter}} : nlohmann::json();
    return j;
}

}  // namespace csc::gui
