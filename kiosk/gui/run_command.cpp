// `kiosk run [--role entrance] …`: opens the office, the window and a role's screens.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <iostream>
#include <set>
#include <thread>

#include "kiosk/cli/commands.hpp"
#include "kiosk/app/log_capture.hpp"
#include "kiosk/app/presence_beacon.hpp"
#include "kiosk/app/lan_session.hpp"
#include "kiosk/app/office_follower.hpp"
#include "kiosk/gui/backend.hpp"
#include "kiosk/gui/frame_loop.hpp"
#include "kiosk/gui/icon_font.hpp"
#include "kiosk/gui/roles/role.hpp"
#include "kiosk/gui/roles/service_menu.hpp"
#include "shared/content/content_folder.hpp"
#include "kiosk/web/web_server.hpp"

namespace csc::cli {

using namespace csc::app;

namespace {

struct RunArgs {
    std::string role = "entrance";
    bool fullscreen = false, windowed = false;
    std::string orientation;  // "" = from the configuration
    std::string size;         // "WxH" windowed size
    std::string lang;
    int exit_after_ms = -1;
    int frames = -1;
    std::string ready_file, layout_file, screenshot_dir, stats_file;
    int counter = 0;          // --role counter: which counter
    std::string sound_file;   // --role display: write call sounds as WAV instead of playing
    std::string speech_dir;   // --role entrance: write speech mode's utterances instead of playing
    std::string headset_file; // --role entrance: the headset jack's state from a file
};

int report(const std::string& message) {
    std::cerr << "kiosk: " << message << '\n';
    return 1;
}

// SIGINT/SIGTERM end the frame loop cleanly (tickets in flight are finished and printed):
// a thread waits for them so the handler can wake GLFW, which is not allowed in a handler.
class SignalWatcher {
public:
    SignalWatcher() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGINT);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGUSR2);
        pthread_sigmask(SIG_BLOCK, &set_, nullptr);  // before any thread starts: all inherit it
    }
    void start(std::function<void()> on_stop) {
        thread_ = std::thread([this, on_stop = std::move(on_stop)] {
            for (;;) {
                int sig = 0;
                if (sigwait(&set_, &sig) != 0) continue;
                if (sig == SIGUSR2) return;  // our own "watcher, finish"
                stop.store(true);
                on_stop();
            }
        });
    }
    ~SignalWatcher() {
        if (thread_.joinable()) {
            pthread_kill(thread_.native_handle(), SIGUSR2);
            thread_.join();
        }
    }
    std::atomic<bool> stop{false};

private:
    sigset_t set_;
    std::thread thread_;
};


// The fonts a role's screens need with this office's catalogues and configuration.
gui::FontOptions font_options(const Context& c, const gui::RoleInfo& info, const gui::IconMap& icon_map,
                              const std::string& start_lang) {
    gui::FontOptions fonts;
    fonts.text = gui::needed_characters(c.translator, c.config);
    // The first frame's atlas holds the starting language (`--lang`, else the office's first)
    // and the languages' names only; the rest follows right after that frame (with a Chinese
    // catalogue the first atlas is a quarter of the glyphs: docs/PERFORMANCE.md, "Totem").
    const std::vector<std::string> first_lang{
        !start_lang.empty() ? start_lang : c.translator.catalogs().empty() ? std::string() : c.translator.catalogs().front().lang};
    if (!first_lang.front().empty()) fonts.first_text = gui::needed_characters(c.translator, c.config, first_lang);
    if (info.shows_content) {
        // The items as they are at start; a character that arrives later with no glyph in the
        // atlas is drawn as U+FFFD until the next start (docs/CONTENT.md).
        const auto folder = content::load_content_folder(c.config.totem.content, c.config.languages);
        for (const auto& item : folder.items)
            for (const LocalizedText* text : {&item.title, &item.body, &item.where, &item.when})
                for (const auto& [lang, value] : text->by_lang) {
                    fonts.text.add_text(value, "content item " + item.id);
                    if (fonts.first_text && lang == first_lang.front()) fonts.first_text->add_text(value, "content item " + item.id);
                }
    }
    // (the first set is part of the whole: the same size, the same set, one build)
    if (fonts.first_text && fonts.first_text->chars().size() == fonts.text.chars().size()) fonts.first_text.reset();
    fonts.huge_glyphs = "0123456789";
    for (const auto& s : c.config.sectors) {
        if (auto code = icon_map.find(s.icon)) fonts.icons.push_back(*code);
        fonts.huge_glyphs += s.letter;
    }
    return fonts;
}

// The window's title: the office and its town.
std::string window_title(const Context& c) { return c.config.office_name + " — " + c.config.town; }

// The window a role opens with this configuration and command line; an Error for a bad --size.
Result<gui::WindowOptions> window_options(const Context& c, const gui::RoleInfo& info, const RunArgs& args) {
    gui::WindowOptions window;
    window.title = window_title(c);
    gui::WindowDefaults defaults{c.config.kiosk.orientation, c.config.kiosk.fullscreen};
    if (info.window_defaults) defaults = info.window_defaults(c.config);
    window.fullscreen = args.fullscreen || (defaults.fullscreen && !args.windowed);
    const std::string orientation = args.orientation.empty() ? defaults.orientation : args.orientation;
    if (orientation == "landscape") std::swap(window.width, window.height);
    if (defaults.width > 0 && defaults.height > 0 && args.orientation.empty()) {
        window.width = defaults.width;
        window.height = defaults.height;
    }
    if (!args.size.empty()) {
        int w = 0, h = 0;
        if (std::sscanf(args.size.c_str(), "%dx%d", &w, &h) != 2 || w < 200 || h < 200)
            return Error{"--size must be WIDTHxHEIGHT, e.g. 540x960"};
        window.width = w;
        window.height = h;
        window.fit_to_desktop = false;
    }
    return window;
}

// Why the open window cannot show a configuration ("" = it can): a window of another shape,
// or characters, icons or ticket letters its font atlas was not built with.
std::string needs_new_window(const gui::WindowOptions& open, const gui::FontOptions& built,
                             const gui::WindowOptions& wanted, const gui::FontOptions& needed) {
    if (wanted.fullscreen != open.fullscreen || wanted.width != open.width || wanted.height != open.height)
        return "the window's size or full screen changed";
    for (const auto& [ch, origin] : needed.text.chars())
        if (!built.text.chars().contains(ch)) return "the fonts lack a character of " + origin;
    for (char32_t icon : needed.icons)
        if (std::find(built.icons.begin(), built.icons.end(), icon) == built.icons.end()) return "the fonts lack a sector's icon";
    for (char ch : needed.huge_glyphs)
        if (built.huge_glyphs.find(ch) == std::string::npos) return "the fonts lack a sector's letter";
    return {};
}

// How one office session ended: the program ends, "Apply now", or it could not start (its
// LAN link or its role could not be made with this configuration).
enum class SessionEnd { Exit, Reload, NotStarted };

// One office session in the open window: the role with its service menu, the LAN link, the
// presence beacon, the follower and the web server, built from `c`, until the window closes,
// a signal stops the program, or the service menu applies the site configuration anew.
int run_session(Context& c, gui::Backend& b, const gui::RoleInfo& info, const RunArgs& args,
                const gui::IconMap& icon_map, const gui::UiIcons& icons, SignalWatcher& signals,
                SessionEnd& end) {
    end = SessionEnd::Exit;
    gui::RoleEnv env{c, icon_map, [&b] { b.wake(); }, args.lang};
    env.counter = args.counter;
    env.sound_file = args.sound_file;
    env.speech_dir = args.speech_dir;
    env.headset_file = args.headset_file;
    env.restart = [&b] {
        request_restart();
        b.request_close();
    };
    env.reload = [&b, &end] {
        end = SessionEnd::Reload;
        b.request_close();
    };
    // With [sync]: this screen is one device of the LAN office. Never wait for the cluster here:
    // the screen comes up at once and works offline until the link is up (docs/SYNC.md).
    auto lan = start_lan_session(c, 0);
    if (!lan) {
        end = SessionEnd::NotStarted;
        return report(lan.error().message);
    }
    if (*lan) env.link = [session = lan->get()] { return session->status(); };
    // Alive, every 15 s, for the IT dashboard (docs/WEB.md "Devices"); outlives the role.
    app::PresenceBeacon beacon(c, args.role, args.counter, lan->get());
    if (args.role == "entrance") {
        beacon.has_printer();
        env.printer_report = [&beacon](const printer::PrinterStatus& st, bool printed) { beacon.printer_checked(st, printed); };
    }
    auto role = info.make(env);
    if (!role) {
        end = SessionEnd::NotStarted;
        return report(role.error().message);
    }
    // Every screen has the hidden service menu over it (docs/OPERATIONS.md, "Service menu").
    *role = gui::with_service_menu(env, std::move(*role));
    OfficeFollower follower(*c.office, c.data_dir, [&b] { b.wake(); }, [&env] { return gui::link_state(env); });
    // [web] role = this role: this program serves the office's pages too (docs/WEB.md). A
    // failure to listen is logged, never stops the screen.
    std::optional<web::WebServer> web_server;
    if (!c.config.web.listen.empty() && c.config.web.role == args.role) {
        const auto where = split_listen_address(c.config.web.listen);
        web_server.emplace(c);
        if (auto started = web_server->start(where->first, where->second); !started) {
            std::cerr << "kiosk: " << started.error().message << '\n';
            web_server.reset();
        }
    }

    gui::LoopHooks hooks;
    hooks.ready_file = args.ready_file;
    hooks.layout_file = args.layout_file;
    hooks.screenshot_dir = args.screenshot_dir;
    hooks.stats_file = args.stats_file;
    if (args.exit_after_ms >= 0) hooks.exit_after_ms = args.exit_after_ms;
    if (args.frames > 0) hooks.frames = args.frames;
    const int code = gui::run_frame_loop(b, **role, icons, c.translator, hooks, signals.stop);
    if (web_server) web_server->stop();
    role->reset();  // stops its threads before the window goes (the watcher, then the LAN link, follow)
    if (signals.stop.load()) end = SessionEnd::Exit;  // SIGTERM while applying: the program ends
    return code;
}

int run_role(const GlobalOptions& options, const RunArgs& args) {
    const gui::RoleInfo* info = gui::find_role(args.role);
    if (!info) return report("unknown role \"" + args.role + "\"");
    SignalWatcher signals;
    // The log kept in memory too, from the first line on, for the service menu's Log page.
    OffsetClock log_clock;
    auto log = app::LogCapture::start([&log_clock] { return log_clock.now(); });
    if (!log) std::cerr << "kiosk: " << log.error().message << " (the service menu's Log page stays empty)\n";

    auto ctx = open_context(options);
    if (!ctx) return report(ctx.error().message);
    log_clock.start_at((*ctx)->clock.now());  // the office's clock (CSC_NOW in demos and tests)
    if (!args.lang.empty() && !(*ctx)->translator.find(args.lang))
        return report("language \"" + args.lang + "\" is not one of the office's languages");

    gui::IconMap icon_map;
    if (auto m = gui::IconMap::load()) icon_map = std::move(*m);
    else std::cerr << "kiosk: " << m.error().message << " (icons will be missing)\n";

    gui::FontOptions fonts = font_options(**ctx, *info, icon_map, args.lang);
    for (const auto& s : (*ctx)->config.sectors)
        if (!icon_map.find(s.icon)) std::cerr << "kiosk: sector " << s.id << ": unknown icon \"" << s.icon << "\"\n";
    const gui::UiIcons icons = gui::resolve_ui_icons(icon_map, fonts.icons);
    auto window = window_options(**ctx, *info, args);
    if (!window) return report(window.error().message);

    auto backend = gui::Backend::open(*window, fonts);
    if (!backend) return report(backend.error().message);
    gui::Backend& b = **backend;
    // Once per character, never a silent "?" on screen: the log says which text needs a font.
    for (const auto& [ch, origin] : b.font_report().missing)
        std::cerr << "kiosk: no font has " << gui::describe_missing(ch, origin)
                  << ": it is drawn as \"\uFFFD\"; install a font for it (docs/GUI.md, \"Fonts\")\n";
    signals.start([&b] { b.wake(); });

    // The office before the last "Apply now", kept while the new one's session runs: a
    // configuration that checks but cannot start here (a --counter it no longer has) falls back.
    std::unique_ptr<Context> previous;
    for (;;) {
        SessionEnd end = SessionEnd::Exit;
        const int code = run_session(**ctx, b, *info, args, icon_map, icons, signals, end);
        if (end == SessionEnd::NotStarted && previous) {
            std::cerr << "kiosk: configuration not applied: this screen cannot start with it (the running one stays)\n";
            ctx = std::move(previous);
            b.set_title(window_title(**ctx));
            continue;
        }
        previous.reset();
        if (end != SessionEnd::Reload) return code;
        // "Apply now": the file is read again and the office opened with it beside the running
        // one; only then is the running one let go. Whatever fails keeps the running office.
        b.cancel_close();
        auto fresh = open_context(options);
        if (!fresh) {
            std::cerr << "kiosk: configuration not applied: " << fresh.error().message << " (the running one stays)\n";
            continue;
        }
        if (!args.lang.empty() && !(*fresh)->translator.find(args.lang)) {
            std::cerr << "kiosk: configuration not applied: language \"" << args.lang
                      << "\" of the command line is no longer one of the office's languages (the running one stays)\n";
            continue;
        }
        auto wanted = window_options(**fresh, *info, args);
        const std::string why = wanted ? needs_new_window(*window, fonts, *wanted, font_options(**fresh, *info, icon_map, args.lang))
                                       : wanted.error().message;
        if (!why.empty()) {
            // The open window cannot show it: the program starts again with it (same command line).
            std::cerr << "kiosk: configuration applied: " << why << ", so the program starts again\n";
            request_restart();
            return code;
        }
        previous = std::move(*ctx);
        ctx = std::move(fresh);
        b.set_title(wanted->title);
        std::cerr << "kiosk: configuration applied in this window: " << (*ctx)->config.source.string() << '\n';
    }
}

}  // namespace

void add_run_command(CLI::App& app, const GlobalOptions& options, int& exit_code) {
    auto args = std::make_shared<RunArgs>();
    auto* run = app.add_subcommand("run", "start a role on this screen (default: the entrance kiosk)");
    std::string roles_help = "what this screen is:";
    std::vector<std::string> names;
    for (const auto& r : gui::role_table()) {
        roles_help += " " + std::string(r.name) + " (" + std::string(r.summary) + ")";
        names.emplace_back(r.name);
    }
    run->add_option("--role", args->role, roles_help)->check(CLI::IsMember(names));
    auto* full = run->add_flag("--fullscreen", args->fullscreen, "kiosk mode: whole screen, no cursor");
    run->add_flag("--windowed", args->windowed, "a window on a desktop (overrides the configuration)")->excludes(full);
    run->add_option("--orientation", args->orientation, "portrait (1080x1920) or landscape (1920x1080)")
        ->check(CLI::IsMember({"portrait", "landscape"}));
    run->add_option("--size", args->size, "windowed size WIDTHxHEIGHT (the layout scales)");
    run->add_option("--lang", args->lang, "starting language (default: the office's first)");
    run->add_option("--exit-after-ms", args->exit_after_ms, "close after this many milliseconds");
    run->add_option("--frames", args->frames, "benchmark: draw this many frames back to back, then close");
    run->add_option("--ready-file", args->ready_file, "test hook: written after the first frame");
    run->add_option("--layout-file", args->layout_file, "test hook: JSON of the touch targets, on every change");
    run->add_option("--screenshot-dir", args->screenshot_dir, "test hook: a PNG each time the screen changes");
    run->add_option("--stats-file", args->stats_file, "benchmark: frame timings as JSON, written at exit");
    run->add_option("--counter", args->counter, "--role counter: the counter (sportello) number this terminal works");
    run->add_option("--sound-file", args->sound_file,
                    "--role display, test hook: write each call's chime and voice to this WAV file instead of playing it");
    run->add_option("--headset-file", args->headset_file,
                    "the headset jack's state from this file (\"1\" = plugged) instead of ALSA's jack controls: "
                    "a test hook, or a kiosk whose jack ALSA does not report");
    run->add_option("--speech-dir", args->speech_dir,
                    "--role entrance, test hook: write what speech mode says to this directory (NNN.wav and NNN.json) instead of playing it");
    run->callback([&options, &exit_code, args] { exit_code = run_role(options, *args); });
}

}  // namespace csc::cli
