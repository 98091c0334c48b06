// usb_export.cpp — see usb_export.hpp.
#include "kiosk/app/usb_export.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "kiosk/app/monthly_report.hpp"
#include "shared/stats/stats_export.hpp"
#include "shared/stats/stats_table.hpp"

namespace csc::app {

namespace fs = std::filesystem;

namespace {

std::string read_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.erase(line.begin());
    return line;
}

std::uint64_t sectors_bytes(const fs::path& dir) {
    const std::string s = read_line(dir / "size");
    std::uint64_t sectors = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return 0;
        sectors = sectors * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return sectors * 512;  // sysfs counts 512-byte sectors whatever the medium's own
}

std::string errno_text(int e) { return std::strerror(e); }

// Writes `content` to a new file and makes it reach the disk before returning.
Result<void> write_synced(const fs::path& file, const std::string& content) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return fail("cannot create " + file.string() + ": " + errno_text(errno));
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int e = errno;
            ::close(fd);
            return fail("cannot write " + file.string() + ": " + (e == ENOSPC ? "the stick is full" : errno_text(e)));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int e = errno;
        ::close(fd);
        return fail("cannot write " + file.string() + " to the disk: " + errno_text(e));
    }
    ::close(fd);
    return {};
}

std::string hhmm(const SiteConfig& config, Millis t) {
    if (t <= 0) return {};
    const LocalTime l = config.timezone.to_local(t);
    return two_digits(l.hour) + ":" + two_digits(l.minute);
}

std::string minutes(Millis from, Millis to) {
    if (from <= 0 || to <= 0 || to < from) return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(to - from) / 60'000.0);
    std::string s = buf;
    std::replace(s.begin(), s.end(), '.', ',');  // the decimal comma of ';' files
    return s;
}

// The visits of one day: times and waits, the sector, service, counter and staff; never a name.
std::string visits_csv(const Context& ctx, const stats::StatsLog& log, const Date& day) {
    std::string out = "\xEF\xBB\xBF";  // BOM: spreadsheets read it as UTF-8
    out += "hour;sector;service;priority;booking;counter;staff;issued;first_called;started;ended;wait_min;service_min;outcome\r\n";
    std::vector<const stats::VisitRecord*> visits;
    for (const stats::VisitRecord& v : log.visits)
        if (v.day == day.key()) visits.push_back(&v);
    std::sort(visits.begin(), visits.end(), [](auto* a, auto* b) { return a->issued_at < b->issued_at; });
    auto cell = [](const std::string& s) { return stats::csv_cell(s, ';'); };  // RFC 4180, and never a formula
    for (const stats::VisitRecord* v : visits) {
        const Millis called = v->first_called_at;
        out += two_digits(v->hour) + ";" + cell(v->sector) + ";" + cell(v->service) + ";" + (v->priority ? "1" : "0") + ";" +
               (v->booking ? "1" : "0") + ";" + (v->counter > 0 ? std::to_string(v->counter) : "") + ";" + cell(v->staff) + ";" +
               hhmm(ctx.config, v->issued_at) + ";" + hhmm(ctx.config, called) + ";" + hhmm(ctx.config, v->started_at) + ";" +
               hhmm(ctx.config, v->ended_at) + ";" + minutes(v->issued_at, called) + ";" +
               minutes(v->started_at, v->finished_at) + ";" + std::string(stats::to_string(v->outcome)) + "\r\n";
    }
    return out;
}

// Each mount of a mount table (/proc/self/mountinfo): source device → mount point.
std::vector<std::pair<std::string, std::string>> mounts(const fs::path& mountinfo) {
    std::vector<std::pair<std::string, std::string>> out;
    std::ifstream in(mountinfo);
    std::string line;
    while (std::getline(in, line)) {
        // id parent major:minor root mountpoint options [optional…] - fstype source superoptions
        std::istringstream fields(line);
        std::string f, mountpoint;
        for (int i = 0; i < 5 && fields >> f; ++i)
            if (i == 4) mountpoint = f;
        while (fields >> f && f != "-") {}
        std::string fstype, source;
        fields >> fstype >> source;
        if (!source.empty()) out.emplace_back(source, mountpoint);
    }
    return out;
}

// Where `device` is mounted now ("" = nowhere), from this process's mount table.
std::string mounted_at(const std::string& device) {
    std::error_code ec;
    const fs::path real = fs::weakly_canonical(device, ec);
    for (const auto& [source, mountpoint] : mounts("/proc/self/mountinfo"))
        if (source == device || (!ec && source == real.string())) return mountpoint;
    return {};
}

// The filesystems a stick is tried with, those of this kernel among a short list: a stranger's
// stick is parsed by the kernel as root, so only the common, well-worn drivers get it (FAT and
// exFAT as sticks come; NTFS; ext4 for sticks formatted on Linux).
std::vector<std::string> stick_filesystems() {
    std::vector<std::string> known;
    std::ifstream in("/proc/filesystems");
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("nodev")) continue;
        std::string name = line;
        name.erase(0, name.find_first_not_of(" \t"));
        if (!name.empty()) known.push_back(name);
    }
    std::vector<std::string> tried;
    for (const char* fs : {"vfat", "exfat", "ntfs3", "ext4"})
        if (std::find(known.begin(), known.end(), fs) != known.end()) tried.emplace_back(fs);
    return tried;
}

// A mounted stick that unmounts itself however the export ends.
class Mounted {
public:
    /// As root: `device` mounted on a fresh folder under /run (nosuid, nodev, noexec, nosymfollow).
    static Result<std::unique_ptr<Mounted>> mount(const std::string& device) {
        auto m = std::unique_ptr<Mounted>(new Mounted());
        m->device_ = device;
        char tmpl[] = "/run/csc-kiosk-export.XXXXXX";
        if (!::mkdtemp(tmpl)) return fail(std::string("cannot make the folder to mount the stick on in /run: ") + errno_text(errno));
        m->dir_ = tmpl;
        std::string tried, last;
        for (const std::string& type : stick_filesystems()) {
            const char* options = type == "vfat" ? "utf8,shortname=mixed" : nullptr;
            if (::mount(device.c_str(), m->dir_.c_str(), type.c_str(), MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOSYMFOLLOW, options) == 0) {
                m->mounted_ = true;
                return m;
            }
            const int e = errno;
            if (e == EACCES || e == EROFS) return fail("the stick " + device + " is write-protected: " + errno_text(e));
            if (e == ENOENT || e == ENXIO || e == ENOMEDIUM) return fail("the stick " + device + " is gone: " + errno_text(e));
            tried += (tried.empty() ? "" : ", ") + type;
            last = errno_text(e);
        }
        return fail("cannot mount " + device + ": no filesystem of this machine reads it (tried " +
                    (tried.empty() ? std::string("none: this kernel has none of vfat, exfat, ntfs3, ext4") : tried + "; " + last) +
                    "): format the stick as FAT32 or exFAT");
    }
    const fs::path& dir() const { return dir_; }
    /// Flushes and unmounts (once: a second call does nothing); an Error says the stick must not
    /// be pulled out yet.
    Result<void> unmount() {
        if (!mounted_ || tried_) return {};
        tried_ = true;
        std::string flushed;
        const int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || ::syncfs(fd) != 0) flushed = errno_text(errno);
        if (fd >= 0) ::close(fd);
        if (!flushed.empty()) return fail("the stick " + device_ + " could not be flushed (" + flushed + "): do not pull it out yet");
        std::string why;
        for (int attempt = 0; attempt < 10; ++attempt) {
            if (::umount2(dir_.c_str(), 0) == 0) {
                mounted_ = false;
                ::rmdir(dir_.c_str());
                return {};
            }
            why = errno_text(errno);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        return fail("the stick " + device_ + " could not be unmounted (" + why + "): do not pull it out yet");
    }
    ~Mounted() {
        (void)unmount();
        if (!mounted_ && !dir_.empty()) ::rmdir(dir_.c_str());
    }

private:
    Mounted() = default;
    std::string device_;
    fs::path dir_;
    bool mounted_ = false, tried_ = false;
};

}  // namespace

std::vector<ExportVolume> find_export_volumes(const fs::path& sys_class_block, const std::vector<std::string>& configured,
                                              const fs::path& mountinfo) {
    std::vector<ExportVolume> found;
    std::error_code ec;
    std::set<std::string> mounted;
    for (const auto& [source, mountpoint] : mounts(mountinfo)) mounted.insert(source);
    for (const auto& entry : fs::directory_iterator(sys_class_block, ec)) {
        const std::string name = entry.path().filename().string();
        std::error_code e2;
        const fs::path real = fs::canonical(entry.path(), e2);
        if (e2) continue;
        const bool partition = fs::exists(real / "partition");
        const fs::path disk = partition ? real.parent_path() : real;
        if (read_line(disk / "removable") != "1" || real.string().find("/usb") == std::string::npos) continue;
        // A disk with anything of it mounted — the system's own, when it boots from USB — is never
        // offered; a whole disk only when it has no partitions.
        bool in_use = mounted.count("/dev/" + disk.filename().string()) > 0, has_partitions = false;
        for (const auto& child : fs::directory_iterator(disk, e2))
            if (fs::exists(child.path() / "partition")) {
                has_partitions = true;
                if (mounted.count("/dev/" + child.path().filename().string())) in_use = true;
            }
        if (in_use || (!partition && has_partitions)) continue;
        const std::uint64_t bytes = sectors_bytes(real);
        if (bytes == 0) continue;  // a card reader with no card
        std::string label = read_line(disk / "device" / "vendor");
        const std::string model = read_line(disk / "device" / "model");
        if (!model.empty()) label += (label.empty() ? "" : " ") + model;
        found.push_back({"/dev/" + name, (label.empty() ? "USB" : label) + " (" + name + ")", bytes, false});
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.device < b.device; });
    for (const std::string& device : configured) {
        if (device.empty() || std::any_of(found.begin(), found.end(), [&](const auto& v) { return v.device == device; })) continue;
        struct stat st{};
        if (::stat(device.c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) continue;
        found.push_back({device, device, sectors_bytes(sys_class_block / fs::path(device).filename()), true});
    }
    return found;
}

std::string export_folder_name(const Context& ctx, Millis now) {
    const LocalTime l = ctx.config.timezone.to_local(now);
    return "csc-export-" + l.date.iso() + "-" + two_digits(l.hour) + two_digits(l.minute);
}

namespace {
Result<void> write_export_files(const Context& ctx, const fs::path& folder, const StatsRange& range, ExportResult& result);
}  // namespace

Result<ExportResult> write_export(const Context& ctx, const fs::path& dir, const StatsRange& range) {
    ExportResult result;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return fail("cannot export into " + dir.string() + ": not a folder");
    // A new folder every time: an earlier export on the same stick is never overwritten.
    const std::string base = export_folder_name(ctx, ctx.clock.now());
    fs::path folder = dir / base;
    for (int n = 2; fs::exists(folder, ec); ++n) folder = dir / (base + "-" + std::to_string(n));
    // Written under a ".partial" name and renamed at the end: a folder with the export's name is
    // always a whole export; a failed one is removed.
    const fs::path partial = folder.string() + ".partial";
    fs::remove_all(partial, ec);
    if (!fs::create_directory(partial, ec) || ec)
        return fail("cannot make the folder " + partial.string() + ": " + (ec ? ec.message() : "it exists"));
    result.folder = folder.filename().string();
    auto written = write_export_files(ctx, partial, range, result);
    if (!written) {
        fs::remove_all(partial, ec);
        return written.error();
    }
    fs::rename(partial, folder, ec);
    if (ec) {
        fs::remove_all(partial, ec);
        return fail("cannot name the export " + folder.string() + ": " + ec.message());
    }
    // The rename reaches the stick before the caller unmounts it (the folder's own entry).
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return result;
}

namespace {

// The export's files into `folder`, each flushed to the disk; `result` gets their names and size.
Result<void> write_export_files(const Context& ctx, const fs::path& folder, const StatsRange& range, ExportResult& result) {
    std::error_code ec;
    auto log = office_stats_log(ctx, range);
    if (!log) return log.error();
    const std::string lang = ctx.config.languages.front();
    auto add = [&](const std::string& name, const std::string& content) -> Result<void> {
        if (auto w = write_synced(folder / name, content); !w) return w;
        result.files.push_back(name);
        result.bytes += content.size();
        return {};
    };
    nlohmann::json all = {{"from", range.from.iso()}, {"to", range.to.iso()}, {"office", ctx.config.office_name}, {"tables", nlohmann::json::object()}};
    for (const stats::Grouping by : {stats::Grouping::Day, stats::Grouping::Hour, stats::Grouping::Sector, stats::Grouping::Service,
                                     stats::Grouping::Counter, stats::Grouping::Operator}) {
        const stats::StatsTable table = stats::compute_stats(*log, ctx.config, by, range.from.key(), range.to.key());
        const auto names = stats_row_names(ctx, lang, table);
        const std::string key(stats::to_string(by));
        if (auto w = add("stats-by-" + key + ".csv", stats::stats_csv(table, stats_headers(ctx, lang, by), names, {';', true})); !w)
            return w.error();
        all["tables"][key] = nlohmann::json::parse(stats::stats_json(table, names));
    }
    if (auto w = add("stats.json", all.dump(2) + "\n"); !w) return w.error();
    if (auto w = add("visits-" + range.to.iso() + ".csv", visits_csv(ctx, *log, range.to)); !w) return w.error();
    // The monthly report of the range's last month (up to its last day), drawn into the folder
    // itself (a temporary name there, renamed: write_monthly_report), then flushed.
    const Date month{range.to.year, range.to.month, 1};
    const std::string report = "report-" + month.iso().substr(0, 7) + ".pdf";
    if (auto r = write_monthly_report(ctx, month, lang, folder / report); !r) return r.error();
    const int pdf = ::open((folder / report).c_str(), O_RDONLY | O_CLOEXEC);
    if (pdf < 0 || ::fsync(pdf) != 0) {
        if (pdf >= 0) ::close(pdf);
        return fail("cannot write " + (folder / report).string() + " to the disk: " + errno_text(errno));
    }
    ::close(pdf);
    result.files.push_back(report);
    result.bytes += fs::file_size(folder / report, ec);
    return {};
}

}  // namespace

Result<ExportResult> export_to_device_as_root(const Context& ctx, const std::string& device, const StatsRange& range) {
    if (::geteuid() != 0) return fail("mounting " + device + " needs root (the export helper, csc-kiosk-export.socket, runs as root)");
    struct stat st{};
    if (::stat(device.c_str(), &st) != 0) return fail("the stick " + device + " is not there: " + errno_text(errno));
    if (!S_ISBLK(st.st_mode)) return fail(device + " is not a disk (a block device): give a stick's partition, e.g. /dev/sdb1");
    if (std::string where = mounted_at(device); !where.empty()) {
        // Left mounted on a folder of ours by an export that could not unmount it: unmounted now.
        if (where.starts_with("/run/csc-kiosk-export.") && ::umount2(where.c_str(), 0) == 0) {
            ::rmdir(where.c_str());
            where.clear();
        }
        if (!where.empty())
            return fail(device + " is already mounted at " + where + ": export into that folder (kiosk export " + where + ")");
    }
    auto mounted = Mounted::mount(device);
    if (!mounted) return mounted.error();
    auto written = write_export(ctx, (*mounted)->dir(), range);
    auto unmounted = (*mounted)->unmount();
    if (!written) return Error{written.error().message + (unmounted ? " (the stick is unmounted)" : "; " + unmounted.error().message)};
    if (!unmounted) return unmounted.error();
    written->device = device;
    return written;
}

std::filesystem::path export_helper_socket() {
    const char* path = std::getenv("CSC_EXPORT_SOCKET");
    return path && *path ? std::filesystem::path(path) : std::filesystem::path(kExportHelperSocket);
}

Result<ExportResult> export_through_helper(const std::filesystem::path& socket_path, const std::string& device, const StatsRange& range) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(std::string("cannot reach the export helper: ") + errno_text(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socket_path.string().size() >= sizeof addr.sun_path) return fail("the export helper's socket path is too long: " + socket_path.string());
    std::strncpy(addr.sun_path, socket_path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        return fail("the export helper is not running (" + socket_path.string() + ": " + errno_text(errno) +
                    "): systemctl enable --now csc-kiosk-export.socket");
    timeval limit{300, 0};  // a year's export onto a slow stick
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    const std::string request =
        nlohmann::json{{"device", device}, {"from", range.from.iso()}, {"to", range.to.iso()}}.dump() + "\n";
    for (std::size_t done = 0; done < request.size();) {
        const ssize_t n = ::send(fd, request.data() + done, request.size() - done, MSG_NOSIGNAL);
        if (n <= 0) return fail(std::string("cannot talk to the export helper: ") + errno_text(errno));
        done += static_cast<std::size_t>(n);
    }
    std::string reply;
    char buf[4096];
    while (reply.find('\n') == std::string::npos && reply.size() < 1'000'000) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(std::string("the export helper did not answer: ") + errno_text(errno) + " (the stick may still be in use)");
        if (n == 0) break;
        reply.append(buf, static_cast<std::size_t>(n));
    }
    const auto j = nlohmann::json::parse(reply.substr(0, reply.find('\n')), nullptr, false);
    if (!j.is_object() || !j.contains("ok")) return fail("the export helper gave no answer (it may have crashed: journalctl -u 'csc-kiosk-export@*')");
    if (!j.value("ok", false)) return fail(j.value("error", std::string("the export helper refused without a reason")));
    ExportResult r;
    r.device = j.value("device", device);
    r.folder = j.value("folder", std::string());
    r.bytes = j.value("bytes", std::uint64_t{0});
    if (j.contains("files") && j["files"].is_array())
        for (const auto& f : j["files"])
            if (f.is_string()) r.files.push_back(f.get<std::string>());
    return r;
}

Result<ExportResult> export_to_device(const Context& ctx, const std::string& device, const StatsRange& range) {
    // The packaged screen runs as csc-kiosk, which may not mount: the root helper does it.
    const char* socket_path = std::getenv("CSC_EXPORT_SOCKET");
    if (::geteuid() != 0 || (socket_path && *socket_path)) return export_through_helper(export_helper_socket(), device, range);
    return export_to_device_as_root(ctx, device, range);
}

}  // namespace csc::app
