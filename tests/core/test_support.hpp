// Helpers shared by the core tests: a site config open around the clock, temp directories.
#pragma once

#include <filesystem>
#include <random>
#include <string>

#include <unistd.h>

#include "shared/config.hpp"
#include "shared/office.hpp"
#include "shared/office_time.hpp"

namespace csc::test {

/// An empty directory path under the temp directory, unique to this process ("csc-<prefix>-<name>-<pid>").
inline std::filesystem::path fresh_dir(const std::string& prefix, const char* name) {
    auto dir = std::filesystem::temp_directory_path() / ("csc-" + prefix + "-" + std::string(name) + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    return dir;
}

/// Two sectors (one with services), open every day all day, Europe/Rome.
inline SiteConfig always_open_config() {
    static const char* text = R"(
[office]
name = "CSC test"
[hours]
monday = ["00:00-24:00"]
tuesday = ["00:00-24:00"]
wednesday = ["00:00-24:00"]
thursday = ["00:00-24:00"]
friday = ["00:00-24:00"]
saturday = ["00:00-24:00"]
sunday = ["00:00-24:00"]
national_holidays = false
[[sector]]
id = "anagrafe"
letter = "A"
colour = "#1F5FAD"
name = { it = "Anagrafe", en = "Registry" }
  [[sector.service]]
  id = "carta-identita"
  name = "Carta d'identità"
  [[sector.service]]
  id = "certificati"
  name = "Certificati"
[[sector]]
id = "protocollo"
letter = "C"
colour = "#2C6E31"
name = "Protocollo"
[[counter]]
number = 1
sectors = ["anagrafe", "protocollo"]
)";
    auto cfg = parse_site_config(text, "test.toml");
    if (!cfg) throw std::runtime_error(cfg.error().message);
    return *cfg;
}

/// An ordinary ticket request as the CLI makes it (channel "cli").
inline IssueRequest issue_request(const std::string& sector, const std::string& service = {}) {
    IssueRequest r;
    r.sector = sector;
    r.service = service;
    r.channel = "cli";
    return r;
}

/// UTC ms of a local time in Rome.
inline Millis rome(int y, int m, int d, int hour, int minute = 0) {
    return OfficeTimeZone().from_local(Date{y, m, d}, hour * 60 + minute);
}

/// A fresh directory removed at scope exit.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("csc-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace csc::test
