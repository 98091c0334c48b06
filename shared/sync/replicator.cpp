#include "shared/sync/replicator.hpp"

#include <nats/nats.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "shared/sync/stream_message.hpp"

namespace csc::sync {

namespace {

std::mutex g_log_mutex;
std::function<void(const std::string&)> g_log_sink;

std::string status_text(natsStatus s, jsErrCode jerr = static_cast<jsErrCode>(0)) {
    std::string out = natsStatus_GetText(s);
    const char* last = nats_GetLastError(nullptr);
    if (last && *last && out != last) out += std::string(" (") + last + ")";
    if (jerr) out += " [JetStream error " + std::to_string(static_cast<int>(jerr)) + "]";
    return out;
}

// What a failed connection attempt means for an operator: the server refused who we are, or
// no server answered at all (refused or silent), or TLS failed.
std::string describe_connect_failure(natsStatus s, int timeout_ms) {
    const std::string detail = status_text(s);
    std::string hint;
    switch (s) {
        case NATS_CONNECTION_AUTH_FAILED:
        case NATS_NOT_PERMITTED: hint = "authentication refused by the server: check [sync] user/password or nkey"; break;
        case NATS_SSL_ERROR: hint = "TLS failed: check [sync] tls_ca_file and tls:// URLs"; break;
        case NATS_NO_SERVER:
        case NATS_IO_ERROR: hint = "unreachable: no configured server accepts connections"; break;
        case NATS_TIMEOUT:
            hint = "unreachable: no server answered within connect_timeout_ms = " + std::to_string(timeout_ms);
            break;
        default: break;
    }
    if (hint.empty() && detail.find("Authorization Violation") != std::string::npos)
        hint = "authentication refused by the server: check [sync] user/password or nkey";
    return hint.empty() ? detail : detail + " — " + hint;
}

constexpr int kBatchMax = 2048;  // a catch-up's batch: ~20 ms of the office's lock at 100,000 events/s
constexpr Millis kStaleAfterMs = 3000;       // no word from the stream for this long = stale
constexpr Millis kStuckAfterMs = 3000;       // behind the stream without progress = resubscribe
constexpr Millis kInfoEveryMs = 1000;
constexpr Millis kHeartbeatMs = 1000;        // the push consumer's idle heartbeat
constexpr Millis kSilentAfterMs = 3000;      // no message nor heartbeat for this long = consumer gone
constexpr std::size_t kMaxAbandoned = 64;    // beyond: left to the server (gone with the connection)
constexpr int kDeleteTries = 10;             // per abandoned consumer

// Reconnect delay: 100 ms doubling to 2 s, with jitter so devices do not reconnect in step.
int64_t reconnect_delay(natsConnection*, int attempts, void*) {
    static thread_local std::minstd_rand rng{std::random_device{}()};
    const int64_t base = std::min<int64_t>(2000, 100LL << std::min(attempts, 5));
    return base + static_cast<int64_t>(rng() % 250);
}

}  // namespace

void set_sync_log(std::function<void(const std::string&)> sink) {
    std::lock_guard lock(g_log_mutex);
    g_log_sink = std::move(sink);
}

void sync_log(const std::string& line) {
    std::lock_guard lock(g_log_mutex);
    if (g_log_sink)
        g_log_sink(line);
    else
        std::cerr << "kiosk sync: " << line << '\n';
}

struct Replicator::Nats {
    natsOptions* opts = nullptr;
    natsConnection* nc = nullptr;
    jsCtx* js = nullptr;
    // The stream is read through a push consumer this class creates itself, each on its own
    // core subscription to "<inbox>.<generation>", subscribed BEFORE the consumer is created.
    // No libnats JetStream subscription is used: in 3.4.1 (Debian 12) an ordered consumer's
    // missed-heartbeat reset (jsSub_resetOrderedConsumer, from its timer) can put a subscription
    // that js_SubscribeSync is destroying after a timed-out consumer creation back into the
    // connection's table, and its reset thread frees it: the read loop (next message) or the
    // close then uses freed memory — the SIGSEGVs of one-shot commands during a leader election
    // (issue 18; ASan trace in docs/PERFORMANCE.md). A subscription given up is unsubscribed
    // (out of the table) but freed only once a flush round trip proves the read loop is past
    // anything it may have been delivering to it (`retired`), or after the close.
    natsSubscription* sub = nullptr;
    natsSubscription* presence = nullptr;  // PRESENCE.>, read by the consumer thread (exchange_presence)
    std::vector<natsSubscription*> retired;
    std::string inbox_prefix;  // "_INBOX.<nuid>"
    std::string consumer_tag;  // "<nuid>": consumer names are "csc_<nuid>_<generation>"
    // The consumer thread's own state.
    std::string consumer;       // current consumer ("" = none)
    std::string deliver;        // the subject it delivers to
    std::uint64_t generation = 0;
    std::uint64_t next_cseq = 1;  // its delivery sequence expected next (a gap = create it again)
    Millis heard_at = 0;          // its last message or heartbeat
    std::vector<std::pair<std::string, int>> abandoned;  // consumers to delete, tries so far
    // The server's last asynchronous error (e.g. "Permissions Violation for Publish to …"):
    // a publish the server refuses only times out on the client, this says why.
    std::mutex error_mutex;
    std::string async_error;
    static void on_error(natsConnection* nc, natsSubscription*, natsStatus err, void* closure) {
        auto* self = static_cast<Nats*>(closure);
        const char* text = nullptr;
        if (nc) (void)natsConnection_GetLastError(nc, &text);
        std::lock_guard lock(self->error_mutex);
        self->async_error = (text && *text) ? text : natsStatus_GetText(err);
    }
    std::string take_async_error() {
        std::lock_guard lock(error_mutex);
        return std::exchange(async_error, {});
    }
    // Teardown order (libnats 3.4.1, Debian 12): destroying a subscription while the
    // connection's read loop may still deliver to it corrupts the heap (nats-io/nats.c#637; ~1
    // `kiosk issue` in 500 aborted). So the connection is closed FIRST — that stops its read
    // loop and flusher and removes every subscription from it — and only then are the
    // subscription, the JetStream context and the connection freed. The threads that use them
    // are joined before this runs (Replicator::stop).
    ~Nats() {
        if (nc) natsConnection_Close(nc);
        if (sub) natsSubscription_Destroy(sub);
        if (presence) natsSubscription_Destroy(presence);
        for (natsSubscription* r : retired) natsSubscription_Destroy(r);
        if (js) jsCtx_Destroy(js);
        if (nc) natsConnection_Destroy(nc);
        if (opts) natsOptions_Destroy(opts);
    }
};

Result<std::unique_ptr<Replicator>> Replicator::create(Office& office, SyncConfig config) {
    if (config.servers.empty()) return fail("sync: no servers configured");
    if (config.device_index < 1 || config.device_index > 9)
        return fail("sync: device_index must be 1…9 and unique per device (it selects the offline ticket range)");
    if (config.stream.empty() || config.subject.empty()) return fail("sync: stream and subject must not be empty");
    if (!config.nkey.empty() || !config.nkey_seed_file.empty()) {
        if (config.nkey.empty() || config.nkey_seed_file.empty())
            return fail("sync: nkey authentication needs both nkey (public key) and nkey_seed_file");
        if (!std::ifstream(config.nkey_seed_file)) return fail("sync: cannot read nkey_seed_file " + config.nkey_seed_file.string());
    }
    if (!config.tls_ca_file.empty() && !std::ifstream(config.tls_ca_file))
        return fail("sync: cannot read tls_ca_file " + config.tls_ca_file.string());
    if (config.replicas == 0) config.replicas = static_cast<int>(std::min<std::size_t>(3, config.servers.size()));
    return std::unique_ptr<Replicator>(new Replicator(office, std::move(config)));
}

Replicator::Replicator(Office& office, SyncConfig config) : office_(office), config_(std::move(config)) {}

Replicator::~Replicator() { stop(); }

void Replicator::on_change(std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    callback_ = std::move(callback);
}

void Replicator::send_presence(std::string json) {
    std::lock_guard lock(mutex_);
    presence_out_ = std::move(json);
}

void Replicator::on_presence(std::function<void(std::string_view, std::string_view)> callback) {
    std::lock_guard lock(mutex_);
    presence_callback_ = std::move(callback);
}

void Replicator::exchange_presence() {
    std::string out;
    std::function<void(std::string_view, std::string_view)> heard;
    {
        std::lock_guard lock(mutex_);
        out = std::exchange(presence_out_, {});
        heard = presence_callback_;
    }
    // Only the device's own subject: the office's NATS permissions let a device publish there alone.
    if (!out.empty() && !office_.device().empty()) {
        const std::string subject = config_.presence_subject + "." + office_.device();
        (void)natsConnection_Publish(nats_->nc, subject.c_str(), out.data(), static_cast<int>(out.size()));
    }
    if (!nats_->presence) return;
    const std::string prefix = config_.presence_subject + ".";
    for (int i = 0; i < 64; ++i) {  // a burst is read over several turns, never holding up the stream
        int pending = 0, bytes = 0;
        if (natsSubscription_GetPending(nats_->presence, &pending, &bytes) != NATS_OK || pending <= 0) break;
        natsMsg* m = nullptr;
        if (natsSubscription_NextMsg(&m, nats_->presence, 10) != NATS_OK || !m) break;
        const std::string_view subject = natsMsg_GetSubject(m);
        const std::string_view data(natsMsg_GetData(m), static_cast<std::size_t>(natsMsg_GetDataLength(m)));
        if (heard && subject.starts_with(prefix)) heard(subject.substr(prefix.size()), data);
        natsMsg_Destroy(m);
    }
}

void Replicator::notify() {
    std::function<void()> cb;
    {
        std::lock_guard lock(mutex_);
        cb = callback_;
    }
    if (cb) cb();
}

void Replicator::set_healthy(bool healthy, const std::string& error) {
    if (!error.empty()) {
        std::lock_guard lock(mutex_);
        last_error_ = error;
    }
    if (healthy_.exchange(healthy) != healthy) {
        sync_log(std::string(healthy ? "online" : "offline") + (error.empty() ? "" : ": " + error));
        notify();
    }
}

static std::string describe_index_conflict(int index, const std::vector<std::string>& others) {
    if (others.empty()) return {};
    std::string who;
    for (const auto& d : others) who += (who.empty() ? "" : ", ") + d;
    return "device_index " + std::to_string(index) + " is also used by " + who +
           ": offline tickets are disabled here (their numbers would collide); give each device its own [sync] device_index";
}

void Replicator::check_index_conflict() {
    const std::string now = describe_index_conflict(config_.device_index, office_.index_conflicts());
    {
        std::lock_guard lock(mutex_);
        if (now == conflict_) return;
        conflict_ = now;
    }
    sync_log(now.empty() ? "device index conflict resolved" : "CONFLICT: " + now);
    notify();
}

bool Replicator::sleep_for(Millis ms) {
    std::unique_lock lock(mutex_);
    wake_cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stopping_.load(); });
    return !stopping_.load();
}

void Replicator::note_own_publish(const std::string& event_id, Millis server_time) {
    std::pair<Millis, Millis> window;
    {
        std::lock_guard lock(mutex_);
        auto it = publish_window_.find(event_id);
        if (it == publish_window_.end()) return;
        window = it->second;
        publish_window_.erase(it);
    }
    if (window.second == 0) window.second = office_.clock().now();  // received before the ack
    // A round trip slower than 2 s says little about the clocks: skip it.
    if (window.second - window.first > 2000) return;
    office_.note_server_time(server_time, window.first + (window.second - window.first) / 2);
}

void Replicator::publish_soon() {
    {
        std::lock_guard lock(mutex_);
        wake_ = true;
    }
    wake_cv_.notify_all();
}

Result<void> Replicator::start() {
    if (started_) return {};
    LanSettings lan;
    lan.device_index = config_.device_index;
    lan.confirm_timeout = config_.confirm_timeout_ms;
    if (auto r = office_.enable_lan(lan, this); !r) return r;
    check_index_conflict();  // known from today's stored stream even before connecting

    nats_ = std::make_unique<Nats>();
    auto check = [](natsStatus s, const char* what) -> Result<void> {
        if (s != NATS_OK) return fail(std::string("sync: ") + what + ": " + status_text(s));
        return {};
    };
    std::vector<const char*> urls;
    for (const auto& s : config_.servers) urls.push_back(s.c_str());
    const std::string name = "csc-" + office_.device();
    if (auto r = check(natsOptions_Create(&nats_->opts), "options"); !r) return r;
    natsOptions* o = nats_->opts;
    if (auto r = check(natsOptions_SetServers(o, urls.data(), static_cast<int>(urls.size())), "servers"); !r) return r;
    (void)natsOptions_SetName(o, name.c_str());
    // The configured list is the office's servers; discovered addresses may not be reachable
    // from the device's network (and would bypass what the operator configured).
    (void)natsOptions_SetIgnoreDiscoveredServers(o, true);
    (void)natsOptions_SetMaxReconnect(o, -1);
    (void)natsOptions_SetCustomReconnectDelay(o, reconnect_delay, nullptr);
    (void)natsOptions_SetTimeout(o, config_.connect_timeout_ms);
    (void)natsOptions_SetErrorHandler(o, &Nats::on_error, nats_.get());
    (void)natsOptions_SetPingInterval(o, 2000);
    (void)natsOptions_SetMaxPingsOut(o, 2);
    if (!config_.user.empty())
        if (auto r = check(natsOptions_SetUserInfo(o, config_.user.c_str(), config_.password.c_str()), "user"); !r) return r;
    if (!config_.nkey.empty())
        if (auto r = check(natsOptions_SetNKeyFromSeed(o, config_.nkey.c_str(), config_.nkey_seed_file.c_str()), "nkey");
            !r)
            return r;
    if (!config_.tls_ca_file.empty()) {
        if (auto r = check(natsOptions_SetSecure(o, true), "tls"); !r) return r;
        if (auto r = check(natsOptions_LoadCATrustedCertificates(o, config_.tls_ca_file.c_str()), "tls_ca_file"); !r)
            return r;
    }
    // The first connection is made by the consumer thread (the C client's own retry-on-failed-
    // connect blocks the caller forever on an authorization error); after it, the client
    // reconnects by itself with the backoff above.
    stopping_ = false;
    started_ = true;
    publisher_ = std::thread([this] { publish_loop(); });
    consumer_ = std::thread([this] { consume_loop(); });
    return {};
}

void Replicator::stop() {
    if (!started_.exchange(false)) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_cv_.notify_all();
    if (publisher_.joinable()) publisher_.join();
    if (consumer_.joinable()) consumer_.join();
    office_.detach_uplink();
    connected_once_ = false;
    connect_failures_ = 0;
    stream_ready_ = false;
    nats_.reset();
    healthy_ = false;
}

bool Replicator::connected() const {
    return connected_once_.load() && natsConnection_Status(nats_->nc) == NATS_CONN_STATUS_CONNECTED;
}

bool Replicator::online() const { return healthy_.load() && started_.load() && connected(); }

bool Replicator::connect_once() {
    natsConnection* nc = nullptr;
    const natsStatus s = natsConnection_Connect(&nc, nats_->opts);
    if (s != NATS_OK) {
        if (nc) natsConnection_Destroy(nc);
        set_healthy(false, "connecting: " + describe_connect_failure(s, config_.connect_timeout_ms));
        ++connect_failures_;
        return false;
    }
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 2000;
    jsCtx* js = nullptr;
    if (natsConnection_JetStream(&js, nc, &jo) != NATS_OK) {
        natsConnection_Destroy(nc);
        return false;
    }
    natsInbox* inbox = nullptr;
    if (natsInbox_Create(&inbox) != NATS_OK) {
        jsCtx_Destroy(js);
        natsConnection_Destroy(nc);
        return false;
    }
    nats_->inbox_prefix = inbox;
    natsInbox_Destroy(inbox);
    // Statuses are a convenience: a subscription that fails is logged, sync goes on without it.
    const std::string presence_all = config_.presence_subject + ".>";
    if (natsConnection_SubscribeSync(&nats_->presence, nc, presence_all.c_str()) != NATS_OK) {
        sync_log("cannot subscribe to " + presence_all + ": devices' statuses are not heard here");
        nats_->presence = nullptr;
    } else {
        (void)natsSubscription_SetPendingLimits(nats_->presence, 1000, 1 << 20);
    }
    nats_->consumer_tag = nats_->inbox_prefix.substr(nats_->inbox_prefix.rfind('.') + 1);
    nats_->nc = nc;
    nats_->js = js;
    connected_once_.store(true);  // publishes nc/js to the other threads
    return true;
}

SyncStatus Replicator::status() const {
    SyncStatus st;
    st.online = online();
    st.applied_seq = office_.applied_stream_seq();
    st.stream_last_seq = stream_last_seq_.load();
    st.unconfirmed = office_.unconfirmed_count();
    st.rejected = rejected_.load();
    const Millis now = clock_.now();
    const bool fresh = now - stream_info_at_.load() < kStaleAfterMs;
    st.stale = !st.online || !fresh || st.applied_seq < st.stream_last_seq;
    if (started_.load() && connected()) {
        char url[256] = {};
        if (natsConnection_GetConnectedUrl(nats_->nc, url, sizeof url) == NATS_OK) st.server = url;
    }
    std::lock_guard lock(mutex_);
    st.last_error = last_error_;
    st.conflict = conflict_;
    return st;
}

bool Replicator::wait_caught_up(Millis timeout_ms, bool give_up_if_unreachable) {
    const Millis deadline = clock_.now() + timeout_ms;
    const Millis asked = clock_.now();
    while (clock_.now() < deadline) {
        // Offline is decided early: a first connection that failed (refused at once, or no
        // answer within connect_timeout_ms) is not waited for.
        if (give_up_if_unreachable && !connected_once_.load() && connect_failures_.load() > 0) return false;
        if (online() && stream_info_at_.load() > asked && office_.applied_stream_seq() >= stream_last_seq_.load() &&
            office_.unconfirmed_count() == 0) {
            // The consumer thread judges the index conflict right after applying a batch, which
            // may be just after the applied position says "caught up": judged here too, so that
            // a one-shot `kiosk status` reports what it has applied (lan_cli saw it missing once).
            check_index_conflict();
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// ---- publisher -------------------------------------------------------------------------------

void Replicator::publish_loop() {
    std::int64_t acked_upto = 0;                     // own device seq acknowledged in this session
    std::map<std::int64_t, std::uint64_t> ack_seq;   // device seq → stream seq it was acked at
    Millis backoff = 0;
    const std::string subject = device_subject(config_.subject, office_.device());
    std::minstd_rand rng{std::random_device{}()};
    while (!stopping_) {
        if (!connected_once_.load()) {
            if (!sleep_for(50)) break;
            continue;
        }
        auto next = office_.next_unconfirmed(acked_upto);
        if (!next) {
            // An acked event the stream applied past without ever delivering it was lost (the
            // stream was reset, e.g. a whole-office power cut with 2.9's lazy fsync): send again.
            if (auto first = office_.next_unconfirmed(0)) {
                auto it = ack_seq.find(first->seq);
                if (it == ack_seq.end()) {
                    // Recorded by another process on this store (same device) and taken in by
                    // Office::refresh(): publish it too (a copy is de-duplicated by its id).
                    acked_upto = first->seq - 1;
                    continue;
                }
                if (it != ack_seq.end() && office_.applied_stream_seq() >= it->second) {
                    sync_log("event " + first->id + " was acknowledged but never delivered: publishing it again");
                    acked_upto = first->seq - 1;
                    ack_seq.clear();
                    continue;
                }
            }
            std::unique_lock lock(mutex_);
            wake_cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return wake_ || stopping_.load(); });
            wake_ = false;
            continue;
        }
        if (ack_seq.count(next->seq)) {  // acked in this session, waiting to come back
            acked_upto = next->seq;
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            wake_ = false;
        }
        const std::string data = encode_event(*next);
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MsgId = next->id.c_str();
        po.ExpectStream = config_.stream.c_str();
        po.MaxWait = 1000;
        jsPubAck* ack = nullptr;
        jsErrCode jerr = static_cast<jsErrCode>(0);
        {
            // The servers stamp the message after this reading of the office clock and before
            // the ack (or the consumer's receipt, whichever comes first): the consumer compares
            // the stamp with that window (Office::note_server_time).
            std::lock_guard lock(mutex_);
            if (publish_window_.size() > 256) publish_window_.clear();
            publish_window_[next->id] = {office_.clock().now(), 0};
        }
        const natsStatus s =
            js_Publish(&ack, nats_->js, subject.c_str(), data.data(), static_cast<int>(data.size()), &po, &jerr);
        if (s == NATS_OK && ack) {
            {
                std::lock_guard lock(mutex_);
                if (auto it = publish_window_.find(next->id); it != publish_window_.end() && it->second.second == 0)
                    it->second.second = office_.clock().now();
            }
            ack_seq[next->seq] = ack->Sequence;
            acked_upto = next->seq;
            jsPubAck_Destroy(ack);
            backoff = 0;
            set_healthy(true);
            continue;
        }
        if (ack) jsPubAck_Destroy(ack);
        // Timeout, no responders, disconnected: the outcome is unknown. The same event is sent
        // again with the same message id (the stream drops the copy inside its duplicate
        // window; after it, every device skips it by event id).
        std::string why = status_text(s, jerr);
        if (const std::string server = nats_->take_async_error(); !server.empty()) {
            if (server.find("Permissions Violation") != std::string::npos)
                why = "permission denied by the server (this device's user may not publish on " + subject + "): " + server;
            else
                why += " (server: " + server + ")";
        }
        set_healthy(false, "publishing " + next->id + ": " + why);
        backoff = backoff == 0 ? 100 : std::min<Millis>(2000, backoff * 2);
        if (!sleep_for(backoff + static_cast<Millis>(rng() % 100))) break;
    }
}

// ---- consumer --------------------------------------------------------------------------------

bool Replicator::ensure_stream() {
    jsStreamInfo* si = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&si, nats_->js, config_.stream.c_str(), nullptr, &jerr);
    if (s == NATS_OK) {
        note_retention_gap(si->State.FirstSeq);
        stream_last_seq_ = si->State.LastSeq;
        stream_info_at_ = clock_.now();
        jsStreamInfo_Destroy(si);
        return true;
    }
    if (s != NATS_NOT_FOUND && jerr != JSStreamNotFoundErr) {
        set_healthy(false, "stream " + config_.stream + ": " + status_text(s, jerr));
        return false;
    }
    const std::string subjects = config_.subject + ".>";
    const char* subj[] = {subjects.c_str()};
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    sc.Name = config_.stream.c_str();
    sc.Subjects = subj;
    sc.SubjectsLen = 1;
    sc.Storage = js_FileStorage;
    sc.Replicas = config_.replicas;
    sc.Duplicates = static_cast<int64_t>(config_.duplicate_window_s) * 1'000'000'000LL;
    sc.MaxAge = static_cast<int64_t>(config_.retention_days) * 86'400LL * 1'000'000'000LL;
    if (config_.max_age_ms_for_tests > 0) {  // a stream that forgets in seconds (tests/lan)
        sc.MaxAge = static_cast<int64_t>(config_.max_age_ms_for_tests) * 1'000'000LL;
        sc.Duplicates = std::min<int64_t>(sc.Duplicates, sc.MaxAge);  // the server refuses a longer window
    }
    sc.MaxMsgSize = static_cast<int32_t>(kMaxEncodedEventSize);
    sc.DenyDelete = true;
    sc.DenyPurge = true;
    s = js_AddStream(&si, nats_->js, &sc, nullptr, &jerr);
    if (s == NATS_OK) {
        sync_log("created stream " + config_.stream + " (replicas " + std::to_string(config_.replicas) + ")");
        stream_last_seq_ = si->State.LastSeq;
        stream_info_at_ = clock_.now();
        jsStreamInfo_Destroy(si);
        return true;
    }
    if (jerr == JSStreamNameExistErr) return true;  // another device created it meanwhile
    set_healthy(false, "creating stream " + config_.stream + ": " + status_text(s, jerr));
    return false;
}

void Replicator::note_retention_gap(std::uint64_t first_seq) {
    // Messages this device never applied are gone from the stream: noted now, not only when
    // the next message comes — a stream whose every message expired delivers none, and an agenda
    // judged without the old bookings must not book meanwhile. (Same consumer thread as the
    // applying: applied_seq does not move under this.)
    const std::uint64_t applied = office_.applied_stream_seq();
    if (first_seq <= applied + 1) return;
    if (auto r = office_.note_stream_gap(applied + 1, first_seq - 1); !r) sync_log("noting the gap: " + r.error().message);
}

void Replicator::refresh_stream_info() {
    jsStreamInfo* si = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    jsOptions o;
    jsOptions_Init(&o);
    o.Wait = 1000;
    const natsStatus s = js_GetStreamInfo(&si, nats_->js, config_.stream.c_str(), &o, &jerr);
    if (s != NATS_OK) {
        set_healthy(false, "stream info: " + status_text(s, jerr));
        return;
    }
    const std::uint64_t last = si->State.LastSeq;
    note_retention_gap(si->State.FirstSeq);
    jsStreamInfo_Destroy(si);
    stream_last_seq_ = last;
    stream_info_at_ = clock_.now();
    if (last < office_.applied_stream_seq())
        sync_log("the stream's last sequence " + std::to_string(last) + " is below the applied " +
                 std::to_string(office_.applied_stream_seq()) + ": was the stream recreated? (see docs/SYNC.md)");
    // Healthy unless a publish is failing right now: publishing is the real test, but a device
    // with nothing to publish learns it is online from here.
    if (office_.unconfirmed_count() == 0) set_healthy(true);
}

void Replicator::abandon_consumer() {
    Nats& n = *nats_;
    if (n.sub) {
        // Out of the connection's table now (no message reaches it any more); the memory stays
        // until release_retired() or the close: the read loop may be delivering to it this instant.
        (void)natsSubscription_Unsubscribe(n.sub);
        n.retired.push_back(n.sub);
        n.sub = nullptr;
    }
    if (!n.consumer.empty() && n.abandoned.size() < kMaxAbandoned) n.abandoned.emplace_back(n.consumer, 0);
    n.consumer.clear();
    n.deliver.clear();
}

void Replicator::release_retired() {
    Nats& n = *nats_;
    if (n.retired.empty()) return;
    // The server answered a PING sent after they were unsubscribed: the read loop (one thread,
    // in order; a reconnect joins the old one first) has finished whatever it was delivering to
    // them, and finds them in the table no more.
    if (natsConnection_FlushTimeout(n.nc, 500) != NATS_OK) return;
    for (natsSubscription* r : n.retired) natsSubscription_Destroy(r);
    n.retired.clear();
}

void Replicator::delete_abandoned_consumer() {
    Nats& n = *nats_;
    if (n.abandoned.empty()) return;
    auto [name, tries] = n.abandoned.front();
    n.abandoned.erase(n.abandoned.begin());
    jsOptions o;
    jsOptions_Init(&o);
    o.Wait = 500;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    const natsStatus s = js_DeleteConsumer(n.js, config_.stream.c_str(), name.c_str(), &o, &jerr);
    // A creation that timed out may never have happened: "not found" is done too. Else later
    // (the server removes it anyway once this connection is gone).
    if (s != NATS_OK && s != NATS_NOT_FOUND && jerr != JSConsumerNotFoundErr && ++tries < kDeleteTries)
        n.abandoned.emplace_back(std::move(name), tries);
}

bool Replicator::open_consumer() {
    Nats& n = *nats_;
    ++n.generation;
    n.consumer = "csc_" + n.consumer_tag + "_" + std::to_string(n.generation);
    n.deliver = n.inbox_prefix + "." + std::to_string(n.generation);
    n.next_cseq = 1;
    n.heard_at = clock_.now();
    if (const natsStatus s = natsConnection_SubscribeSync(&n.sub, n.nc, n.deliver.c_str()); s != NATS_OK) {
        n.sub = nullptr;  // nothing subscribed
        set_healthy(false, "subscribing: " + status_text(s));
        n.consumer.clear();
        n.deliver.clear();
        return false;
    }
    (void)natsSubscription_SetPendingLimits(n.sub, -1, -1);
    // Like libnats' ordered consumer: ephemeral, in memory, one replica, no acks, flow control
    // and heartbeats; but created by name, so one whose creation timed out can be deleted.
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Name = n.consumer.c_str();
    cc.DeliverSubject = n.deliver.c_str();
    cc.DeliverPolicy = js_DeliverByStartSequence;
    cc.OptStartSeq = office_.applied_stream_seq() + 1;
    cc.AckPolicy = js_AckNone;
    cc.FlowControl = true;
    cc.Heartbeat = kHeartbeatMs * 1'000'000LL;  // ns
    cc.MemoryStorage = true;
    cc.Replicas = 1;
    jsConsumerInfo* ci = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    // A timeout here (a leader election) may still create it later: it is deleted by name, and
    // its messages no longer reach this program (its subscription is given up).
    const natsStatus s = js_AddConsumer(&ci, n.js, config_.stream.c_str(), &cc, nullptr, &jerr);
    if (ci) jsConsumerInfo_Destroy(ci);
    if (s != NATS_OK) {
        set_healthy(false, "creating the stream consumer: " + status_text(s, jerr));
        abandon_consumer();
        return false;
    }
    n.heard_at = clock_.now();
    last_progress_at_ = clock_.now();
    return true;
}

void Replicator::consume_loop() {
    Millis backoff = 0;
    Millis next_info = 0;
    bool agenda_complete_seen = office_.agenda_complete();
    std::vector<StreamedEvent> batch;
    batch.reserve(kBatchMax);
    std::uint64_t last_seq = 0;  // of the batch being read
    auto retry_later = [&] {
        backoff = backoff == 0 ? 100 : std::min<Millis>(2000, backoff * 2);
        return sleep_for(backoff);
    };
    // One message of the current consumer: an event (into `batch`), a heartbeat or a flow
    // control request (answered). False: the consumer must be created again (a gap, or the
    // server ended it).
    auto take = [&](natsMsg* m) -> bool {
        Nats& n = *nats_;
        n.heard_at = clock_.now();
        const char* status = nullptr;
        if (natsMsgHeader_Get(m, "Status", &status) == NATS_OK && status) {
            if (std::strcmp(status, "100") != 0) {  // e.g. 409: the consumer was deleted
                const char* what = nullptr;
                (void)natsMsgHeader_Get(m, "Description", &what);
                sync_log(std::string("stream consumer ended (") + status + " " + (what ? what : "") +
                         "): creating it again from " + std::to_string(last_seq + 1));
                return false;
            }
            const char* reply = natsMsg_GetReply(m);  // flow control: an empty reply lets it go on
            if (reply && *reply) (void)natsConnection_Publish(n.nc, reply, nullptr, 0);
            const char* stalled = nullptr;  // a heartbeat naming a flow control reply not seen
            if (natsMsgHeader_Get(m, "Nats-Consumer-Stalled", &stalled) == NATS_OK && stalled && *stalled)
                (void)natsConnection_Publish(n.nc, stalled, nullptr, 0);
            const char* delivered = nullptr;  // a heartbeat says how many events it delivered
            if (natsMsgHeader_Get(m, "Nats-Last-Consumer", &delivered) == NATS_OK && delivered &&
                std::strtoull(delivered, nullptr, 10) + 1 != n.next_cseq) {
                sync_log("stream consumer delivered " + std::string(delivered) + " events, " +
                         std::to_string(n.next_cseq - 1) + " arrived: creating it again from " + std::to_string(last_seq + 1));
                return false;
            }
            return true;
        }
        jsMsgMetaData* meta = nullptr;
        if (natsMsg_GetMetaData(&meta, m) != NATS_OK) return true;  // not from a stream consumer
        const std::uint64_t cseq = meta->Sequence.Consumer;
        const std::uint64_t seq = meta->Sequence.Stream;
        const Millis server_time = static_cast<Millis>(meta->Timestamp / 1'000'000);
        jsMsgMetaData_Destroy(meta);
        if (cseq != n.next_cseq) {
            sync_log("stream consumer skipped from delivery " + std::to_string(n.next_cseq) + " to " +
                     std::to_string(cseq) + ": creating it again from " + std::to_string(last_seq + 1));
            return false;
        }
        ++n.next_cseq;
        if (seq <= last_seq) return true;  // applied already
        if (seq > last_seq + 1) {
            // The stream no longer has the messages in between (DenyDelete: only its retention
            // removes them): what they did to the agenda is missing here until an agenda
            // snapshot (docs/BOOKING.md, "Bookings older than the stream").
            sync_log("stream messages " + std::to_string(last_seq + 1) + "…" + std::to_string(seq - 1) +
                     " are no longer in the stream (older than its retention): this device's agenda misses them "
                     "until it has an agenda snapshot");
            if (auto r = office_.note_stream_gap(last_seq + 1, seq - 1); !r) sync_log("noting the gap: " + r.error().message);
        }
        const std::string_view data(natsMsg_GetData(m), static_cast<std::size_t>(natsMsg_GetDataLength(m)));
        auto e = decode_stream_message(config_.subject, natsMsg_GetSubject(m), data);
        if (e) {
            note_own_publish(e->id, server_time);
            batch.push_back({seq, std::move(*e), server_time, std::string(data)});  // stored as they are
        } else {
            ++rejected_;
            sync_log("stream message " + std::to_string(seq) + " skipped: " + e.error().message);
        }
        last_seq = seq;
        return true;
    };
    while (!stopping_) {
        if (!connected_once_.load()) {
            if (!connect_once() && !retry_later()) break;
            continue;
        }
        if (natsConnection_Status(nats_->nc) != NATS_CONN_STATUS_CONNECTED) {
            set_healthy(false, "not connected to any server");
            if (!sleep_for(100)) break;
            continue;
        }
        if (!stream_ready_) {
            if (!ensure_stream()) {
                if (!retry_later()) break;
                continue;
            }
            stream_ready_ = true;
        }
        if (nats_->consumer.empty() && !open_consumer()) {
            if (!retry_later()) break;
            continue;
        }
        const Millis now = clock_.now();
        if (now >= next_info) {
            // A new day gets its announcement of this device's index (no-op otherwise).
            if (auto a = office_.announce_device(); !a) sync_log("announcing the device index: " + a.error().message);
            // At day open: the agenda snapshot, when this device's turn has come.
            if (auto p = office_.publish_agenda_snapshot_if_due(); !p)
                sync_log("publishing the agenda snapshot: " + p.error().message);
            else if (*p > 0)
                sync_log("published the agenda snapshot (" + std::to_string(*p) + (*p == 1 ? " part)" : " parts)"));
            if (const bool complete = office_.agenda_complete(); complete != agenda_complete_seen) {
                if (complete)
                    sync_log("agenda complete: taken from the snapshot after stream message " +
                             std::to_string(office_.agenda_snapshot_base()));
                else
                    sync_log("agenda INCOMPLETE: bookings older than the stream are missing; booking is refused here until "
                             "an agenda snapshot arrives (one is published when a day opens)");
                agenda_complete_seen = complete;
            }
            // What other processes on this store wrote (own events they did not publish).
            if (auto r = office_.refresh(); !r) sync_log("reading the store: " + r.error().message);
            check_index_conflict();
            refresh_stream_info();
            next_info = now + kInfoEveryMs;
            int pending = 0, bytes = 0;
            const bool queued = natsSubscription_GetPending(nats_->sub, &pending, &bytes) == NATS_OK && pending > 0;
            if (office_.applied_stream_seq() < stream_last_seq_.load() && now - last_progress_at_.load() > kStuckAfterMs) {
                sync_log("consumer made no progress for 3 s while behind the stream: creating it again");
                abandon_consumer();
                continue;
            }
            if (!queued && clock_.now() - nats_->heard_at > kSilentAfterMs) {
                // Its server died or lost it (an in-memory consumer of one replica).
                sync_log("no heartbeat from the stream consumer for 3 s: creating it again from " +
                         std::to_string(office_.applied_stream_seq() + 1));
                abandon_consumer();
                continue;
            }
            // The consumer is alive, so the server answers: tidy up behind the ones given up.
            release_retired();
            delete_abandoned_consumer();
        }
        exchange_presence();
        natsMsg* msg = nullptr;
        natsStatus s = natsSubscription_NextMsg(&msg, nats_->sub, 100);
        if (s == NATS_TIMEOUT) continue;
        if (s != NATS_OK) {
            sync_log("subscription: " + status_text(s) + "; reading again from " + std::to_string(office_.applied_stream_seq() + 1));
            abandon_consumer();
            if (!retry_later()) break;
            continue;
        }
        backoff = 0;
        batch.clear();
        last_seq = office_.applied_stream_seq();
        bool again = false;
        while (msg) {
            again = !take(msg);
            natsMsg_Destroy(msg);
            msg = nullptr;
            if (again) break;
            int pending = 0, bytes = 0;
            if (static_cast<int>(batch.size()) < kBatchMax && natsSubscription_GetPending(nats_->sub, &pending, &bytes) == NATS_OK &&
                pending > 0)
                if (natsSubscription_NextMsg(&msg, nats_->sub, 10) != NATS_OK) msg = nullptr;
        }
        if (again) abandon_consumer();  // the batch read so far is still applied
        if (last_seq == office_.applied_stream_seq()) continue;
        if (auto r = office_.apply_stream(batch, last_seq); !r) {
            // The store refused (disk full, busy): nothing was applied; read these again later.
            set_healthy(false, r.error().message);
            abandon_consumer();
            if (!retry_later()) break;
            continue;
        }
        last_progress_at_ = clock_.now();
        if (last_seq > stream_last_seq_.load()) stream_last_seq_ = last_seq;
        check_index_conflict();
        notify();
    }
    // The subscriptions are left to ~Nats, which frees them only after closing the connection.
}

}  // namespace csc::sync
