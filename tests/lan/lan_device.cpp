#include "tests/lan/lan_device.hpp"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace csc::testing {

TempDir::TempDir(const std::string& prefix) {
    std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
    path = mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

SyncConfig sync_for(const std::string& tag, int index, std::vector<std::string> servers, char prefix) {
    SyncConfig s;
    s.servers = std::move(servers);
    s.device_index = index;
    s.stream = std::string(1, prefix) + "_" + tag;
    s.subject = std::string(1, static_cast<char>(std::tolower(static_cast<unsigned char>(prefix)))) + "." + tag;
    return s;
}

const SiteConfig& sample_site() {
    static const SiteConfig cfg = [] {
        auto c = load_site_config(std::filesystem::path(CSC_SOURCE_ASSETS) / "site/office.toml");
        if (!c) throw std::runtime_error(c.error().message);
        // Open all day, every day: the tests issue tickets whenever they run.
        for (auto& day : c->hours.weekly) day = {TimeRange{0, 24 * 60}};
        c->hours.closed_days.clear();
        c->hours.national_holidays = false;
        return std::move(*c);
    }();
    return cfg;
}

LanDevice::LanDevice(std::string n, SyncConfig s, const std::filesystem::path& root)
    : name(std::move(n)), sync(std::move(s)), dir(root / name) {
    std::filesystem::remove_all(dir);
}

LanDevice::~LanDevice() { close(); }

void LanDevice::open() {
    auto o = Office::open(sample_site(), dir, clock, name);
    if (!o) throw std::runtime_error(name + ": " + o.error().message);
    office = std::move(*o);
    auto r = sync::Replicator::create(*office, sync);
    if (!r) throw std::runtime_error(name + ": " + r.error().message);
    replicator = std::move(*r);
    if (auto st = replicator->start(); !st) throw std::runtime_error(name + ": " + st.error().message);
}

void LanDevice::close() {
    if (replicator) replicator->stop();
    replicator.reset();
    office.reset();
}

Result<IssuedTicket> LanDevice::issue(const std::string& sector, const std::string& service) {
    IssueRequest req;
    req.sector = sector;
    req.service = service;
    return office->issue(req);
}

bool LanDevice::catch_up(int timeout_ms) { return replicator->wait_caught_up(timeout_ms); }

}  // namespace csc::testing
