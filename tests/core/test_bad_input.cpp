// One bad input never stops the office (issue 17): what is appended can be read back, clocks
// that lie do not move the office into another day, each store failure says what it is.
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <map>

#include "shared/office.hpp"
#include "shared/store.hpp"
#include "shared/store_sync.hpp"
#include "shared/sim/scenario.hpp"
#include "shared/text_check.hpp"
#include "shared/toml_reader.hpp"
#include "test_support.hpp"

using namespace csc;

namespace {

// kiosk-1's event number `seq` with `body`, stamped Thursday 26 November 2026 at 10:00.
Event kiosk_event(std::int64_t seq, EventBody body) {
    Event e;
    e.device = "kiosk-1";
    e.seq = seq;
    e.id = make_event_id(e.device, seq);
    e.time = test::rome(2026, 11, 26, 10);
    e.body = std::move(body);
    return e;
}

std::int64_t stored_events(const std::filesystem::path& dir) {
    auto store = Store::open(dir, StoreAccess::ReadOnly);
    REQUIRE(store.ok());
    return (*store)->event_count();
}

void sql(const std::filesystem::path& db_file, const std::string& statement) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_file.c_str(), &db) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

// Every file of a directory with its bytes: "nothing changed" is checked on these.
std::map<std::string, std::string> snapshot(const std::filesystem::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(f.path(), std::ios::binary);
        out[f.path().filename().string()] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    return out;
}

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("text checks: Latin-1 from a terminal becomes UTF-8, control characters and overlong text are named") {
    CHECK(valid_utf8("caff\xC3\xA8"));
    CHECK_FALSE(valid_utf8("caff\xE8"));
    CHECK(utf8_from_terminal("caff\xE8") == "caff\xC3\xA8");
    CHECK(utf8_from_terminal("caff\xC3\xA8") == "caff\xC3\xA8");
    CHECK_FALSE(valid_utf8("\xED\xA0\x80"));   // a UTF-16 surrogate
    CHECK_FALSE(valid_utf8("\xC0\xAF"));       // an overlong '/'
    CHECK(text_problem("pausa", 120).empty());
    CHECK(text_problem("a\nb", 120) == "contains a control character");
    CHECK(text_problem("a\xC2\x85" "b", 120) == "contains a control character");  // NEL (C1)
    CHECK(text_problem(std::string(121, 'x'), 120) == "is too long (121 bytes, at most 120)");
    CHECK(text_problem("caff\xE8", 120) == "is not valid UTF-8 text");
    CHECK(utf8_length("caff\xC3\xA8") == 5);
}

TEST_CASE("an event the decoder would refuse is refused before it is stored, and the store still opens") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 10));
    {
        auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
        REQUIRE(office.ok());
        REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());
        REQUIRE((*office)->open_counter(1).ok());

        IssueRequest long_lang = test::issue_request("protocollo");
        long_lang.lang = "it-IT-x-long";  // over the decoder's 8 bytes
        auto r1 = (*office)->issue(long_lang);
        REQUIRE_FALSE(r1.ok());
        CHECK(r1.error().message.find("field \"lang\" is too long (12 bytes, at most 8)") != std::string::npos);

        auto r2 = (*office)->pause_counter(1, std::string(121, 'x'));
        REQUIRE_FALSE(r2.ok());
        CHECK(r2.error().code == "input");
        CHECK(r2.error().message.find("\"reason\" is too long") != std::string::npos);

        auto r3 = (*office)->pause_counter(1, "caff\xE8");  // Latin-1, as a terminal may send it
        REQUIRE_FALSE(r3.ok());
        CHECK(r3.error().message.find("not valid UTF-8") != std::string::npos);

        auto r4 = (*office)->pause_counter(1, "pausa\x1b[2J");
        REQUIRE_FALSE(r4.ok());
        CHECK(r4.error().message.find("control character") != std::string::npos);

        // The counter still works after all of it.
        CHECK((*office)->pause_counter(1, "caff\xC3\xA8").ok());
    }
    CHECK(stored_events(dir.path()) == 3);  // ticket, open, pause: nothing of the refused ones
    auto again = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(again.ok());
    (*again)->read([](const OfficeState& s) { CHECK(s.find_counter(1)->pause_reason == "caff\xC3\xA8"); });
}

TEST_CASE("Store::append refuses an unreadable event itself, whoever calls it") {
    test::TempDir dir;
    auto store = Store::open(dir.path());
    REQUIRE(store.ok());
    Event e = kiosk_event(1, CounterPaused{1, std::string(20'000, 'x')});
    auto r = (*store)->append(e);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "input");
    e.body = TicketCancelled{"kiosk-1:\xFF"};
    CHECK_FALSE((*store)->append(e).ok());
    e.time = -5;
    e.body = CounterOpened{1};
    CHECK_FALSE((*store)->append(e).ok());
    CHECK((*store)->event_count() == 0);
}

TEST_CASE("a stored event that cannot be decoded is quarantined and the rest of the day replays") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 10));
    {
        auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
        REQUIRE(office.ok());
        REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());
        REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());
    }
    // An older bug or a bit flip: the second event's text is damaged on disk.
    sql(dir.path() / "office.db", "UPDATE events SET encoded = substr(encoded, 1, 30) WHERE id = 'kiosk-1:2'");
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE_MESSAGE(office.ok(), (office.ok() ? std::string() : office.error().message));
    const auto q = (*office)->quarantined();
    REQUIRE(q.size() == 1);
    CHECK(q[0].id == "kiosk-1:2");
    CHECK(q[0].reason.find("not a JSON object") != std::string::npos);
    // The office keeps working: the next ticket is issued and numbered after what replayed.
    auto next = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE(next.ok());
    CHECK(next->ticket.label == "C002");
}

TEST_CASE("a ticket stamped a day ahead does not stop the office once the clock is put right") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 10));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(office.ok());
    REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());  // C001 today
    // The PC's clock jumps a day ahead (a wrong RTC before NTP), and a ticket is issued.
    clock.set(test::rome(2026, 11, 27, 10));
    auto ahead = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE(ahead.ok());
    // NTP puts the clock right: every action works again, numbering continues today's.
    clock.set(test::rome(2026, 11, 26, 10, 5));
    auto next = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE_MESSAGE(next.ok(), (next.ok() ? std::string() : next.error().message));
    CHECK(next->ticket.label == "C002");
    REQUIRE((*office)->open_counter(1).ok());
    const auto q = (*office)->quarantined();
    REQUIRE(q.size() == 1);
    CHECK(q[0].id == ahead->ticket.id);
    CHECK(q[0].reason.find("2026-11-27 10:00") != std::string::npos);

    // Another program on the store, started now, agrees.
    auto other = Office::open(test::always_open_config(), dir.path(), clock, "display-1");
    REQUIRE(other.ok());
    CHECK((*other)->confirmed_hash() == (*office)->confirmed_hash());

    // The next day the event from the future stays out: that day starts at C001 again.
    clock.set(test::rome(2026, 11, 27, 11));
    auto tomorrow = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(tomorrow.ok());
    (*tomorrow)->read([](const OfficeState& s) { CHECK(s.tickets().empty()); });
    auto first = (*tomorrow)->issue(test::issue_request("protocollo"));
    REQUIRE(first.ok());
    CHECK(first->ticket.label == "C001");
}

TEST_CASE("a ticket stamped a day ahead in the last minutes before midnight is set aside too") {
    // The tolerance for a clock a little ahead near midnight must not let a whole day in.
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 23, 57));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(office.ok());
    REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());  // C001 today
    clock.set(test::rome(2026, 11, 27, 23, 57));
    auto ahead = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE(ahead.ok());
    clock.set(test::rome(2026, 11, 26, 23, 58));
    auto next = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE_MESSAGE(next.ok(), (next.ok() ? std::string() : next.error().message));
    CHECK(next->ticket.label == "C002");
    const auto q = (*office)->quarantined();
    REQUIRE(q.size() == 1);
    CHECK(q[0].id == ahead->ticket.id);
}

TEST_CASE("a clock two minutes ahead at midnight opens the next day two minutes early, losing nothing") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 23, 58));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(office.ok());
    REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());
    clock.set(test::rome(2026, 11, 27, 0, 1));  // this PC runs 2 minutes ahead: already tomorrow
    auto early = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE(early.ok());
    CHECK(early->ticket.label == "C001");
    // Another program on the store whose clock is right (23:59) takes it in, not sets it aside.
    ManualClock right(test::rome(2026, 11, 26, 23, 59));
    auto other = Office::open(test::always_open_config(), dir.path(), right, "display-1");
    REQUIRE(other.ok());
    CHECK((*other)->quarantined().empty());
    CHECK((*other)->confirmed_hash() == (*office)->confirmed_hash());
}

TEST_CASE("LAN: the stream's server stamps decide, also in the last minutes before midnight") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 23, 56));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-a");
    REQUIRE(office.ok());
    REQUIRE((*office)->enable_lan(LanSettings{}, nullptr).ok());
    auto confirmed_day = [&] {
        int day = 0;
        (*office)->read_confirmed([&](const OfficeState& st) { day = st.day(); });
        return day;
    };
    const int before = confirmed_day();
    auto streamed = [](std::uint64_t seq, std::string device, Millis stamped, Millis stored) {
        StreamedEvent se;
        se.stream_seq = seq;
        se.event.device = std::move(device);
        se.event.seq = 1;
        se.event.id = make_event_id(se.event.device, 1);
        se.event.time = stamped;
        se.event.body = TicketIssued{"protocollo", ""};
        se.server_time = stored;
        return se;
    };
    // A device a whole day ahead, stored by the servers at 23:57: set aside.
    std::vector<StreamedEvent> batch{streamed(1, "kiosk-ahead", test::rome(2026, 11, 27, 23, 57), test::rome(2026, 11, 26, 23, 57))};
    REQUIRE((*office)->apply_stream(batch, 1).ok());
    CHECK(confirmed_day() == before);
    REQUIRE((*office)->quarantined().size() == 1);
    CHECK((*office)->quarantined()[0].id == "kiosk-ahead:1");
    // A device two minutes ahead at 23:59 (its 00:01): believed, the office day turns early.
    batch = {streamed(2, "kiosk-fast", test::rome(2026, 11, 27, 0, 1), test::rome(2026, 11, 26, 23, 59))};
    REQUIRE((*office)->apply_stream(batch, 2).ok());
    CHECK((*office)->quarantined().size() == 1);
    CHECK(confirmed_day() == 20261127);
}

TEST_CASE("a clock that reads before 2026 stamps nothing and says why") {
    test::TempDir dir;
    ManualClock clock(946'684'800'000);  // 2000-01-01: a PC without an RTC battery
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(office.ok());
    CHECK((*office)->clock_alarm().find("clock alarm") != std::string::npos);
    auto r = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("clock alarm: this device's clock reads 2000-01-01") != std::string::npos);
    CHECK_FALSE((*office)->open_counter(1).ok());
    CHECK(stored_events(dir.path()) == 0);
}

TEST_CASE("LAN: a clock a day ahead of the office servers raises the clock alarm and issues nothing") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 27, 10));
    auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
    REQUIRE(office.ok());
    (*office)->note_server_time(test::rome(2026, 11, 26, 10), clock.now());
    const auto alarm = (*office)->clock_alarm();
    CHECK(alarm.find("1440 min ahead of the office servers") != std::string::npos);
    auto r = (*office)->issue(test::issue_request("protocollo"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "clock");
    (*office)->note_server_time(clock.now() - 2000, clock.now());  // within the tolerance
    CHECK((*office)->clock_alarm().empty());
    CHECK((*office)->issue(test::issue_request("protocollo")).ok());
}

TEST_CASE("a store written by a newer program is refused without a byte changed") {
    test::TempDir dir;
    { REQUIRE(Store::open(dir.path()).ok()); }
    sql(dir.path() / "office.db", "PRAGMA journal_mode=DELETE; PRAGMA user_version=99");
    const auto before = snapshot(dir.path());
    auto store = Store::open(dir.path());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code == "store.newer");
    CHECK(store.error().message.find("upgrade the program") != std::string::npos);
    CHECK(store.error().message.find("backup") == std::string::npos);
    CHECK(snapshot(dir.path()) == before);
}

TEST_CASE("a file that is not a store is called corrupt, left untouched, and only then is a backup advised") {
    test::TempDir dir;
    { std::ofstream(dir.path() / "office.db") << std::string(4096, 'z'); }
    const auto before = snapshot(dir.path());
    auto store = Store::open(dir.path());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code == "store.corrupt");
    CHECK(store.error().message.find("backup") != std::string::npos);
    CHECK(snapshot(dir.path()) == before);
}

TEST_CASE("a full disk is reported as a full disk, not as a damaged store") {
    test::TempDir dir;
    auto store = Store::open(dir.path());
    REQUIRE(store.ok());
    // The database may not grow any more: what SQLite reports when the disk is full.
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2((*store)->handle(), "PRAGMA page_count", -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const std::string limit = "PRAGMA max_page_count = " + std::to_string(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    REQUIRE(sqlite3_exec((*store)->handle(), limit.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    Result<void> r;
    for (int i = 1; i <= 200 && r.ok(); ++i) {
        r = (*store)->append(kiosk_event(i, CounterPaused{1, std::string(100, 'x')}));
    }
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "store.full");
    CHECK(r.error().message.find("the disk is full") != std::string::npos);
    CHECK(r.error().message.find("backup") == std::string::npos);
}

TEST_CASE("a read-only office reads while another program holds the write lock, and records nothing") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 10));
    {
        auto office = Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1");
        REQUIRE(office.ok());
        REQUIRE((*office)->issue(test::issue_request("protocollo")).ok());
    }
    sqlite3* writer = nullptr;
    REQUIRE(sqlite3_open((dir.path() / "office.db").c_str(), &writer) == SQLITE_OK);
    REQUIRE(sqlite3_exec(writer, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    auto reader = Office::open(test::always_open_config(), dir.path(), clock, "status-cli", StoreAccess::ReadOnly);
    REQUIRE_MESSAGE(reader.ok(), (reader.ok() ? std::string() : reader.error().message));
    (*reader)->read([](const OfficeState& s) { CHECK(s.waiting("protocollo") == 1); });
    auto r = (*reader)->issue(test::issue_request("protocollo"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("read-only") != std::string::npos);
    sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(writer);
    // The store's device name was not changed by the reader's --device.
    auto store = Store::open(dir.path(), StoreAccess::ReadOnly);
    REQUIRE(store.ok());
    CHECK((*store)->meta("device") == "kiosk-1");
}

TEST_CASE("--device on one command does not change the store's device name") {
    test::TempDir dir;
    ManualClock clock(test::rome(2026, 11, 26, 10));
    { REQUIRE(Office::open(test::always_open_config(), dir.path(), clock, "kiosk-1").ok()); }
    { REQUIRE(Office::open(test::always_open_config(), dir.path(), clock, "other").ok()); }
    auto office = Office::open(test::always_open_config(), dir.path(), clock);
    REQUIRE(office.ok());
    CHECK((*office)->device() == "kiosk-1");
}

TEST_CASE("the data directory is created 0700 and the store 0600; an existing one loses the others' access") {
    test::TempDir dir;
    const auto data = dir.path() / "data";
    { REQUIRE(Store::open(data).ok()); }
    CHECK(mode_of(data) == 0700);
    CHECK(mode_of(data / "office.db") == 0600);
    REQUIRE(::chmod(data.c_str(), 0755) == 0);
    REQUIRE(::chmod((data / "office.db").c_str(), 0644) == 0);
    { REQUIRE(Store::open(data).ok()); }
    CHECK(mode_of(data) == 0750);
    CHECK(mode_of(data / "office.db") == 0640);
}

TEST_CASE("TOML that toml++ 3.3.0 mishandles is refused first: a non-ASCII character outside quotes, with line and column") {
    // Found by the site-configuration fuzzer (tests/fuzz/crashes): valid UTF-8 where toml++
    // expects whitespace reaches an unreachable branch (marzer/tomlplusplus#295).
    auto a = parse_site_config("[office]\nname = \xC3\xA0\n", "a.toml");
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().message == "a.toml:2:8: a non-ASCII character outside quotes: put texts in quotes (\"...\")");
    auto b = parse_site_config("a = 1 \xEF\xAD\xB0\n", "b.toml");
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().message.rfind("b.toml:1:7:", 0) == 0);
    // Inside quotes, comments and multi-line strings non-ASCII text is fine.
    CHECK(toml_ascii_problem_at("# caff\xC3\xA8\nx = \"caff\xC3\xA8\"\ny = 'caf\xC3\xA8'\nz = \"\"\"\ncaff\xC3\xA8 \\\"\"\"\n", "c").empty());
    CHECK(toml_ascii_problem_at("z = '''\n\xC3\xA8'''\nw = \"a\\\"\xC3\xA8\"\n", "d").empty());
    // Found by the fuzzers on 2026-12-04: a quote glued to a bare value (`1"`, `05-'`) opens no
    // string in TOML, but toml++ still reached the unreachable branch on the character after it.
    auto c = parse_site_config("a = 1\"\xEF\xAD\xB0\n", "c.toml");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message == "c.toml:1:7: a non-ASCII character outside quotes: put texts in quotes (\"...\")");
    CHECK(toml_ascii_problem_at("d = 1979-05-'7T07 \xC3\xA0'\n", "e").rfind("e:1:19:", 0) == 0);
    // A quote opens a string where a key or a value starts: a line's start, after = [ , { or a
    // dotted key's dot; texts there stay allowed.
    CHECK(toml_ascii_problem_at("\"caff\xC3\xA8\" = 1\na.\"\xC3\xA8\" = [\"\xC3\xA8\", '\xC3\xA8']\nt = { x = \"\xC3\xA8\" }\n", "f").empty());
    // Found as `""""\na \"S \à "]`: the backslash before the à (below) was the cause.
    CHECK(toml_ascii_problem_at("\"\"\"\"\\na \\\"S \\\xC3\xA0 \"]\n", "g").rfind("g:1:", 0) == 0);
    CHECK(toml_ascii_problem_at("x = \"\"\"\n\xC3\xA8\"\"\"\ny = [\n'''\xC3\xA8''']\n", "h").empty());
    // A backslash before a non-ASCII character is no escape (toml++'s report of it was UB too).
    CHECK(toml_ascii_problem_at("x = \"\"\"a\n b\\\xC3\xA0\"\"\"\n", "i") ==
          "i:2:3: a non-ASCII character after a backslash (and any spaces or line breaks) in a string: toml++ cannot "
          "read it (write \\\\ for a backslash, or begin the next line with an ASCII character)");
    CHECK(toml_ascii_problem_at("x = \"a\\\xC3\xA0\"\n", "j").rfind("j:1:7:", 0) == 0);
    // After a backslash and any whitespace (a line-ending one, for toml++) the next character
    // must be ASCII.
    CHECK(toml_ascii_problem_at("x = \"\"\"a\\\n\n  \xC3\xA0\"\"\"\n", "k") ==
          "k:1:9: a non-ASCII character after a backslash (and any spaces or line breaks) in a string: toml++ cannot "
          "read it (write \\\\ for a backslash, or begin the next line with an ASCII character)");
    CHECK(toml_ascii_problem_at("x = \"a\\ \xC3\xA0\"\n", "m").rfind("m:1:7:", 0) == 0);
    // A dot after the line's '=' is no dotted key's: a quote after it opens nothing.
    CHECK(toml_ascii_problem_at("n=4'7:\".':\xEF\xBB\xBE\n", "n").rfind("n:1:11:", 0) == 0);
    CHECK(toml_ascii_problem_at("a.'\xC3\xA8'.\"\xC3\xA8\" = 1\n", "o").empty());
    // A second '=' on a line (outside an inline table) starts no value: a quote after it opens nothing.
    CHECK(toml_ascii_problem_at("a=72:00o/=\"(\xC2\xB1o\n", "p").rfind("p:1:13:", 0) == 0);
    CHECK(toml_ascii_problem_at("t = { x = \"\xC3\xA8\", y = [\"\xC3\xA8\"] }\n", "q").empty());
    CHECK(toml_ascii_problem_at("x = \"\"\"a\\\n  b\xC3\xA0\"\"\"\n", "l").empty());
}

TEST_CASE("TOML: toml++ reads an ASCII shadow of the text first (non-ASCII as '~'), so its UB branch is never reached") {
    // The last fuzzer find (2026-12-04, tests/fuzz/corpus/site_config/crash-fixed-tomlpp-ub-bracket-glued):
    // a '[' glued to a bare value, which the lexer took for an array's start, so the quote after
    // it opened a string and the à counted as quoted. The shadow stops toml++ at its first error.
    const std::string glued = "# S(tnee.\n\n[[counetr]]\nnumber = -esc1[\"a\xC3\xA0""0grafe4o\n4\"4]edt\"a  |0\"]\n0o''0";
    CHECK(toml_ascii_problem_at(glued, "g").empty());  // the lexer alone lets it through
    CHECK(toml_shadow_problem_at(glued, "g").rfind("g:4:", 0) == 0);
    auto r = parse_site_config(glued, "g.toml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.rfind("g.toml:4:", 0) == 0);
    // Where toml++'s first error is the non-ASCII character itself, the message says so.
    CHECK(toml_shadow_problem_at("[office]\n\xC3\xA8 = 1\n", "h") ==
          "h:2:1: a non-ASCII character outside a quoted text or a comment (put it in quotes)");
    // Valid text with non-ASCII in strings and comments passes, as does a '~' of its own in a string.
    CHECK(toml_shadow_problem_at("# caff\xC3\xA8\nx = \"caff\xC3\xA8 ~\"\ny = '''\n\xF0\x9F\x98\x80'''\n", "i").empty());
    // Other errors keep toml++'s own description, at the text's line and column (a multi-byte
    // character before them counts as one column).
    const std::string late = toml_shadow_problem_at("x = \"\xC3\xA8\" y\n", "j");
    INFO(late);
    CHECK(late.rfind("j:1:9:", 0) == 0);
    CHECK(late.find("non-ASCII") == std::string::npos);
}

TEST_CASE("numbers and time ranges that used to slip through: NaN, infinity, a huge hour") {
    CHECK(parse_time_range("08:30-12:30") == std::make_pair(510, 750));
    CHECK(parse_time_range("8:30-24:00") == std::make_pair(510, 1440));
    CHECK_FALSE(parse_time_range("99999999:00-24:00"));
    CHECK_FALSE(parse_time_range("23:00-24:59"));
    CHECK_FALSE(parse_time_range("12:30-08:30"));
    CHECK_FALSE(parse_time_range("08:30-12:30x"));
    const std::string base = "[scenario]\nname = \"x\"\nhours = [\"08:00-09:00\"]\n[[sector]]\nid = \"a\"\n";
    for (const char* bad : {"service_mean = nan\n", "service_mean = inf\n", "appointments = nan\n"}) {
        auto r = sim::parse_scenario(base + bad + "[[counter]]\nnumber = 1\nsectors = [\"a\"]\n", "s.toml");
        CHECK_MESSAGE(!r.ok(), bad);
    }
    auto n = sim::parse_scenario(base + "[[counter]]\nnumber = nan\nsectors = [\"a\"]\n", "s.toml");
    CHECK_FALSE(n.ok());
    auto h = sim::parse_scenario("[scenario]\nname = \"x\"\nhours = [\"99999999:00-24:00\"]\n[[sector]]\nid = \"a\"\n", "s.toml");
    REQUIRE_FALSE(h.ok());
    CHECK(h.error().message.find("expected a time range") != std::string::npos);
}

TEST_CASE("utf8_prefix never cuts a character in two") {
    CHECK(csc::utf8_prefix("Servizi all’impresa", 13) == "Servizi all’i");
    CHECK(csc::utf8_prefix("Реєстрація", 4) == "Реєс");
    CHECK(csc::utf8_prefix("abc", 10) == "abc");
    CHECK(csc::utf8_prefix("", 3).empty());
    CHECK(csc::valid_utf8(csc::utf8_prefix("人口登记处", 2)));
}
