// LAN sync: TLS with the office CA and NKey authentication against real nats-server processes
// (certificates and keys made at test time), device index conflicts, and the forecast history
// fed by other devices' events. All on 127.0.0.1; every server is killed by its NatsCluster.
#include <doctest/doctest.h>
#include <sodium.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "shared/store_history.hpp"
#include "tests/lan/lan_device.hpp"
#include "tests/lan/nats_cluster.hpp"

using namespace csc;
using csc::testing::LanDevice;
using csc::testing::NatsCluster;
using csc::testing::TcpProxy;
using csc::testing::TempDir;
using csc::testing::eventually;
using csc::testing::sleep_ms;
using csc::testing::sync_for;

namespace {

std::string tls_url(int port) { return "tls://127.0.0.1:" + std::to_string(port); }

// ---- a throw-away PKI with the openssl command (Debian package openssl) -------------------------

bool sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0; }

// CA (ca.pem/ca.key) in `dir`, named `name`.
bool make_ca(const std::filesystem::path& dir, const std::string& name) {
    const std::string d = dir.string();
    return sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj '/CN=" + name +
              "' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -keyout " + d +
              "/ca.key -out " + d + "/ca.pem");
}

// Server certificate for 127.0.0.1 and localhost signed by the CA in `dir` (server.pem/server.key).
bool make_server_cert(const std::filesystem::path& dir) {
    const std::string d = dir.string();
    std::ofstream(dir / "ext.cnf") << "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
                                      "basicConstraints=CA:FALSE\n";
    return sh("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 -keyout " + d +
              "/server.key -out " + d + "/server.csr") &&
           sh("openssl x509 -req -days 2 -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
              "/ca.key -CAcreateserial -extfile " + d + "/ext.cnf -out " + d + "/server.pem");
}

// ---- NKeys, test side only: ed25519 (libsodium) + the NATS encoding ------------------------------
// An NKey is base32(prefix byte(s) + key + CRC-16/XMODEM little-endian), no padding; a user's
// public key starts with 'U' (prefix 20<<3), its seed with "SU" (18<<3 then the user prefix).

std::uint16_t crc16(const std::vector<unsigned char>& d) {
    std::uint16_t crc = 0;
    for (unsigned char b : d) {
        crc ^= static_cast<std::uint16_t>(b << 8);
        for (int i = 0; i < 8; ++i) crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021) : static_cast<std::uint16_t>(crc << 1);
    }
    return crc;
}

std::string base32(const std::vector<unsigned char>& d) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char b : d) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out += abc[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += abc[(buffer << (5 - bits)) & 31];
    return out;
}

std::string nkey_encode(std::vector<unsigned char> raw) {
    const std::uint16_t crc = crc16(raw);
    raw.push_back(static_cast<unsigned char>(crc & 0xff));
    raw.push_back(static_cast<unsigned char>(crc >> 8));
    return base32(raw);
}

struct UserNKey {
    std::string public_key;  // "U…"
    std::string seed;        // "SU…"
};

UserNKey make_user_nkey() {
    REQUIRE(sodium_init() >= 0);
    unsigned char seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    randombytes_buf(seed, sizeof seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    constexpr unsigned char kUser = 20 << 3, kSeed = 18 << 3;
    std::vector<unsigned char> pub{kUser};
    pub.insert(pub.end(), pk, pk + sizeof pk);
    std::vector<unsigned char> sd{static_cast<unsigned char>(kSeed | (kUser >> 5)), static_cast<unsigned char>((kUser & 31) << 3)};
    sd.insert(sd.end(), seed, seed + sizeof seed);
    return {nkey_encode(pub), nkey_encode(sd)};
}

// Captures the sync log for one test (and still prints it).
struct LogCapture {
    std::mutex m;
    std::vector<std::string> lines;
    LogCapture() {
        sync::set_sync_log([this](const std::string& l) {
            std::lock_guard lock(m);
            lines.push_back(l);
        });
    }
    ~LogCapture() { sync::set_sync_log(nullptr); }
    bool contains(const std::string& what) {
        std::lock_guard lock(m);
        for (const auto& l : lines)
            if (l.find(what) != std::string::npos) return true;
        return false;
    }
};

}  // namespace

TEST_CASE("TLS with the office CA: the right CA connects and replicates; no CA or a wrong CA works offline") {
    TempDir pki;
    const auto office_ca = pki.path / "office", other_ca = pki.path / "other";
    std::filesystem::create_directories(office_ca);
    std::filesystem::create_directories(other_ca);
    REQUIRE_MESSAGE(make_ca(office_ca, "csc office test CA"), "openssl could not make the CA (package openssl)");
    REQUIRE(make_server_cert(office_ca));
    REQUIRE(make_ca(other_ca, "some other CA"));
    NatsCluster server({.nodes = 1,
                        .extra = "tls {\n  cert_file: \"" + (office_ca / "server.pem").string() + "\"\n  key_file: \"" +
                                 (office_ca / "server.key").string() + "\"\n  ca_file: \"" +
                                 (office_ca / "ca.pem").string() + "\"\n  timeout: 2\n}\n"});
    server.start_all();
    REQUIRE(server.wait_healthy(20000));
    const int port = server.client_port(0);
    TempDir root;

    auto good_cfg = sync_for("tls", 1, {tls_url(port)}, 'S');
    good_cfg.tls_ca_file = office_ca / "ca.pem";
    auto reader_cfg = sync_for("tls", 2, {tls_url(port)}, 'S');
    reader_cfg.tls_ca_file = office_ca / "ca.pem";
    auto wrong_cfg = sync_for("tls", 3, {tls_url(port)}, 'S');
    wrong_cfg.tls_ca_file = other_ca / "ca.pem";
    auto no_ca_cfg = sync_for("tls", 4, {tls_url(port)}, 'S');  // TLS URL, but no CA configured
    auto plain_cfg = sync_for("tls", 5, {server.url(0)}, 'S');   // TLS forgotten altogether

    LanDevice good("kiosk-good", good_cfg, root.path), reader("display-1", reader_cfg, root.path);
    LanDevice wrong("kiosk-wrong-ca", wrong_cfg, root.path), no_ca("kiosk-no-ca", no_ca_cfg, root.path),
        plain("kiosk-plain", plain_cfg, root.path);
    for (auto* d : {&good, &reader, &wrong, &no_ca, &plain}) d->open();
    REQUIRE(good.catch_up(20000));
    REQUIRE(reader.catch_up(20000));
    CHECK(good.replicator->status().server.find("127.0.0.1") != std::string::npos);

    auto t = good.issue();
    REQUIRE(t);
    CHECK_FALSE(t->ticket.offline);
    CHECK(t->ticket.label == "A001");
    REQUIRE(reader.catch_up(10000));
    CHECK(reader.hash() == good.hash());
    reader.office->read_confirmed([&](const OfficeState& s) { CHECK(s.find_ticket(t->ticket.id) != nullptr); });

    for (auto* d : {&wrong, &no_ca, &plain}) {
        CAPTURE(d->name);
        CHECK_FALSE(d->catch_up(300));
        const auto st = d->replicator->status();
        CHECK_FALSE(st.online);
        CHECK(st.stale);
        MESSAGE(d->name << ": " << st.last_error);
        CHECK(st.last_error.find("connecting: SSL") != std::string::npos);
        auto off = d->issue();
        REQUIRE_MESSAGE(off, off.error().message);
        CHECK(off->ticket.offline);
        CHECK(off->ticket.number == d->sync.device_index * 1000 + 1);
    }
    sleep_ms(300);
    good.office->read_confirmed([&](const OfficeState& s) {
        REQUIRE(s.tickets().size() == 1);  // nothing from the devices that could not connect
        CHECK(s.tickets()[0].device == "kiosk-good");
    });
}

TEST_CASE("NKey authentication: the registered key publishes; an unknown key cannot connect") {
    const UserNKey registered = make_user_nkey(), unknown = make_user_nkey();
    REQUIRE(registered.public_key.size() == 56);
    REQUIRE(registered.public_key[0] == 'U');
    REQUIRE(registered.seed.substr(0, 2) == "SU");
    NatsCluster server({.nodes = 1, .extra = "authorization { users = [ { nkey: \"" + registered.public_key + "\" } ] }\n"});
    server.start_all();
    REQUIRE(server.wait_healthy(20000));
    TempDir root;
    auto seed_file = [&](const std::string& name, const std::string& seed) {
        const auto p = root.path / (name + ".nk");
        std::ofstream(p) << seed << "\n";
        std::filesystem::permissions(p, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        return p;
    };
    auto good_cfg = sync_for("nkey", 1, server.urls(), 'S');
    good_cfg.nkey = registered.public_key;
    good_cfg.nkey_seed_file = seed_file("good", registered.seed);
    auto bad_cfg = sync_for("nkey", 2, server.urls(), 'S');
    bad_cfg.nkey = unknown.public_key;
    bad_cfg.nkey_seed_file = seed_file("bad", unknown.seed);
    auto none_cfg = sync_for("nkey", 3, server.urls(), 'S');  // no credentials at all

    LanDevice good("kiosk-good", good_cfg, root.path), bad("kiosk-bad", bad_cfg, root.path),
        none("kiosk-none", none_cfg, root.path);
    for (auto* d : {&good, &bad, &none}) d->open();
    REQUIRE(good.catch_up(20000));
    auto t = good.issue();
    REQUIRE(t);
    CHECK_FALSE(t->ticket.offline);
    for (auto* d : {&bad, &none}) {
        CAPTURE(d->name);
        CHECK_FALSE(d->catch_up(300));
        const auto st = d->replicator->status();
        CHECK_FALSE(st.online);
        MESSAGE(d->name << ": " << st.last_error);
        CHECK(st.last_error.find("uthoriz") != std::string::npos);
        auto off = d->issue();
        REQUIRE(off);
        CHECK(off->ticket.offline);
    }
    sleep_ms(300);
    good.office->read_confirmed([&](const OfficeState& s) { CHECK(s.tickets().size() == 1); });
}

TEST_CASE("two devices with the same device_index: both see the conflict and refuse offline tickets") {
    NatsCluster server({.nodes = 1});
    server.start_all();
    REQUIRE(server.wait_healthy(20000));
    LogCapture log;
    TempDir root;
    TcpProxy proxy(server.client_port(0));
    LanDevice a("kiosk-a", sync_for("dup", 5, server.urls(), 'S'), root.path);
    LanDevice b("kiosk-b", sync_for("dup", 5, {proxy.url()}, 'S'), root.path);
    LanDevice c("kiosk-c", sync_for("dup", 6, server.urls(), 'S'), root.path);
    for (auto* d : {&a, &b, &c}) d->open();
    for (auto* d : {&a, &b, &c}) REQUIRE(d->catch_up(20000));
    REQUIRE(eventually(5000, [&] { return !a.replicator->status().conflict.empty() && !b.replicator->status().conflict.empty(); }));
    CHECK(a.office->index_conflicts() == std::vector<std::string>{"kiosk-b"});
    CHECK(b.office->index_conflicts() == std::vector<std::string>{"kiosk-a"});
    CHECK(c.office->index_conflicts().empty());
    CHECK(c.replicator->status().conflict.empty());
    const auto st = b.replicator->status();
    MESSAGE("kiosk-b: " << st.conflict);
    CHECK(st.conflict.find("device_index 5 is also used by kiosk-a") != std::string::npos);
    CHECK(log.contains("CONFLICT: device_index 5"));

    // Online tickets stay safe (numbered by the stream order).
    auto ta = a.issue(), tb = b.issue();
    REQUIRE(ta);
    REQUIRE(tb);
    CHECK_FALSE(ta->ticket.offline);
    CHECK_FALSE(tb->ticket.offline);
    CHECK(ta->ticket.label != tb->ticket.label);

    // Offline, kiosk-b refuses to number a ticket from the shared range.
    proxy.cut();
    REQUIRE(eventually(5000, [&] { return !b.replicator->online(); }));
    auto refused = b.issue();
    REQUIRE_FALSE(refused);
    MESSAGE("kiosk-b offline: " << refused.error().message);
    CHECK(refused.error().message.find("offline tickets are disabled") != std::string::npos);
    CHECK(refused.error().message.find("kiosk-a") != std::string::npos);
    // The conflict survives a restart while cut off (known from the stored stream).
    b.close();
    b.open();
    CHECK_FALSE(b.replicator->status().conflict.empty());
    CHECK_FALSE(b.issue());
    // A device with its own index still works offline as before.
    proxy.heal();
    REQUIRE(b.catch_up(20000));
    c.replicator->stop();
    auto tc = c.issue();
    REQUIRE(tc);
    CHECK(tc->ticket.offline);
    CHECK(tc->ticket.label == "A6001");
}

TEST_CASE("the forecast history learns from every device's events, once per ticket") {
    NatsCluster server({.nodes = 1});
    server.start_all();
    REQUIRE(server.wait_healthy(20000));
    TempDir root;
    LanDevice kiosk("kiosk-1", sync_for("learn", 1, server.urls(), 'S'), root.path);
    LanDevice counter("counter-1", sync_for("learn", 2, server.urls(), 'S'), root.path);
    kiosk.open();
    counter.open();
    REQUIRE(kiosk.catch_up(20000));
    REQUIRE(counter.catch_up(20000));
    std::vector<std::string> served;
    for (int i = 0; i < 3; ++i) served.push_back(kiosk.issue()->ticket.id);
    const std::string cancelled = kiosk.issue()->ticket.id;
    REQUIRE(counter.catch_up(10000));
    Office& co = *counter.office;
    REQUIRE(co.record_confirmed(CounterOpened{1}));
    for (int i = 0; i < 3; ++i) {
        auto called = co.record_confirmed(TicketCalled{1, ""});
        REQUIRE(called);
        CHECK(called->ticket_id == served[i]);
        REQUIRE(co.record_confirmed(ServiceStarted{1}));
        sleep_ms(5);
        REQUIRE(co.record_confirmed(ServiceFinished{1, ""}));
        if (i == 1) {
            REQUIRE(co.record_confirmed(CounterPaused{1, "pausa"}));
            REQUIRE(co.record_confirmed(CounterResumed{1}));
        }
    }
    REQUIRE(co.record_confirmed(CounterClosed{1}));
    REQUIRE(kiosk.office->cancel_ticket(cancelled));  // the kiosk's own event, learned by the counter
    REQUIRE(kiosk.catch_up(10000));
    REQUIRE(counter.catch_up(10000));

    const int today = kiosk.office->config().timezone.day_key(kiosk.clock.now());
    auto check_history = [&](LanDevice& d) {
        CAPTURE(d.name);
        auto outcomes = load_outcomes(d.office->store(), today);
        REQUIRE(outcomes);
        std::map<std::string, TicketOutcome::Kind> by_id;
        for (const auto& o : *outcomes) CHECK_MESSAGE(by_id.emplace(o.id, o.kind).second, "outcome of " << o.id << " twice");
        CHECK(by_id.size() == 4);
        for (const auto& id : served) {
            REQUIRE(by_id.count(id));
            CHECK(by_id[id] == TicketOutcome::Kind::Served);
        }
        REQUIRE(by_id.count(cancelled));
        CHECK(by_id[cancelled] == TicketOutcome::Kind::Cancelled);
        for (const auto& o : *outcomes)
            if (o.kind == TicketOutcome::Kind::Served) CHECK(o.finished_at >= o.started_at);
        // Counter time is a plain log (no key): exactly one pause and one open period.
        auto times = load_counter_time(d.office->store(), today);
        REQUIRE(times);
        int pauses = 0, opens = 0;
        for (const auto& t : *times) (t.kind == "pause" ? pauses : opens) += 1;
        CHECK(pauses == 1);
        CHECK(opens == 1);
    };
    check_history(kiosk);    // learned the counter's actions from the stream
    check_history(counter);  // learned its own actions once (not again from the stream)
    // A restart resumes after the applied stream position: nothing is learned twice.
    kiosk.close();
    kiosk.open();
    REQUIRE(kiosk.catch_up(20000));
    check_history(kiosk);
}
