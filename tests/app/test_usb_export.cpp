// The service menu's Export (kiosk/app/usb_export.hpp, issue 14): which disks are offered as
// USB sticks, read from a sysfs tree laid out as the kernel lays it out (links from
// class/block into devices/…/usbN/…/block/sdX) and a mount table, and what an export writes
// into a folder. The
// mount and unmount of a real disk: tests/cli/test_stats_cli.py on a loop device.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "kiosk/app/usb_export.hpp"
#include "test_files.hpp"
#include "test_support.hpp"

using namespace csc;
namespace fs = std::filesystem;

namespace usb_export_test {

void put(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text << '\n';
}

// A disk `name` under `device_dir` (devices/…), linked from class/block, with partitions.
void disk(const fs::path& sys, const std::string& device_dir, const std::string& name, bool removable, long sectors,
          const std::vector<std::pair<std::string, long>>& partitions, const std::string& vendor = "", const std::string& model = "") {
    const fs::path d = sys / "devices" / device_dir / "block" / name;
    put(d / "removable", removable ? "1" : "0");
    put(d / "size", std::to_string(sectors));
    if (!vendor.empty()) put(d / "device" / "vendor", vendor + "  ");  // sysfs pads them
    if (!model.empty()) put(d / "device" / "model", model + "    ");
    fs::create_directories(sys / "class" / "block");
    fs::create_directory_symlink(d, sys / "class" / "block" / name);
    for (const auto& [part, size] : partitions) {
        put(d / part / "partition", "1");
        put(d / part / "size", std::to_string(size));
        fs::create_directory_symlink(d / part, sys / "class" / "block" / part);
    }
}

}  // namespace usb_export_test

using namespace usb_export_test;

TEST_CASE("export: only partitions of removable disks on USB are offered, with their maker, model and size") {
    test::TempDir tmp;
    const fs::path sys = tmp.path();
    const std::string usb = "pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/host6/target6:0:0/6:0:0:0";
    disk(sys, usb, "sdb", true, 15'633'408, {{"sdb1", 15'631'360}}, "SanDisk", "Cruzer Blade");
    // The system disk (SATA, fixed), a removable SATA bay, a USB card reader with no card, a
    // USB stick with no partition table, a loop device: only the two sticks.
    disk(sys, "pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0", "sda", false, 500'118'192, {{"sda1", 1'048'576}, {"sda2", 499'000'000}});
    disk(sys, "pci0000:00/0000:00:17.0/ata2/host1/target1:0:0/1:0:0:0", "sdc", true, 1'000'000, {{"sdc1", 999'000}});
    disk(sys, "pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/host7/target7:0:0/7:0:0:0", "sdd", true, 0, {}, "Generic", "SD Reader");
    disk(sys, "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host8/target8:0:0/8:0:0:0", "sde", true, 2'000'000, {}, "", "");
    disk(sys, "virtual", "loop0", false, 65'536, {});
    // The machine booted from a USB disk: one of its partitions is mounted, so none is offered.
    disk(sys, "pci0000:00/0000:00:14.0/usb2/2-2/2-2:1.0/host9/target9:0:0/9:0:0:0", "sdf", true, 60'000'000,
         {{"sdf1", 1'000'000}, {"sdf2", 58'000'000}}, "Samsung", "FIT");
    const fs::path mountinfo = sys / "mountinfo";
    put(mountinfo, "22 1 8:82 / / rw,relatime shared:1 - ext4 /dev/sdf2 rw\n"
                   "25 22 0:5 / /dev rw,nosuid shared:2 - devtmpfs udev rw,size=1000k");

    const auto found = app::find_export_volumes(sys / "class" / "block", {}, mountinfo);
    REQUIRE(found.size() == 2);
    CHECK(found[0].device == "/dev/sdb1");
    CHECK(found[0].name == "SanDisk Cruzer Blade (sdb1)");
    CHECK(found[0].bytes == 15'631'360ULL * 512);
    CHECK_FALSE(found[0].configured);
    CHECK(found[1].device == "/dev/sde");
    CHECK(found[1].name == "USB (sde)");

    // A configured device is offered when it exists as a block device (/dev/loop-control is a
    // character device: not offered), never twice.
    CHECK(app::find_export_volumes(sys / "class" / "block", {"/dev/loop-control", "/dev/nonexistent", "/dev/sdb1"}, mountinfo).size() == 2);
    CHECK(app::find_export_volumes(sys / "nothing-here", {}, mountinfo).empty());
    // Without the mount table's word, the boot disk's partitions would be offered.
    CHECK(app::find_export_volumes(sys / "class" / "block", {}, sys / "no-mountinfo").size() == 4);
}

TEST_CASE("export: into a folder, a new folder each time with every table, the report and the day's visits") {
    test::TempDir tmp;
    app::GlobalOptions o;
    o.assets = CSC_SOURCE_ASSETS;
    o.data = (tmp.path() / "data").string();
    auto ctx = app::open_context(o);
    REQUIRE(ctx.ok());
    (*ctx)->clock.start_at(test::rome(2026, 11, 26, 10, 0));  // both exports within the same minute
    const Date today = (*ctx)->config.timezone.to_local((*ctx)->clock.now()).date;
    const fs::path stick = tmp.path() / "stick";
    fs::create_directories(stick);
    auto first = app::write_export(**ctx, stick, {today, today});
    REQUIRE_MESSAGE(first.ok(), (first.ok() ? "" : first.error().message));
    CHECK(first->folder == app::export_folder_name(**ctx, (*ctx)->clock.now()));
    const std::vector<std::string> want{"stats-by-day.csv", "stats-by-hour.csv", "stats-by-sector.csv", "stats-by-service.csv",
                                        "stats-by-counter.csv", "stats-by-operator.csv", "stats.json", "visits-" + today.iso() + ".csv",
                                        "report-" + today.iso().substr(0, 7) + ".pdf"};
    CHECK(first->files == want);
    std::uintmax_t total = 0;
    for (const auto& f : want) total += fs::file_size(stick / first->folder / f);
    CHECK(first->bytes == total);
    CHECK(test::file_text(stick / first->folder / want.back()).starts_with("%PDF"));
    CHECK(test::file_text(stick / first->folder / "stats-by-sector.csv").starts_with("\xEF\xBB\xBF"));
    // The same minute again: a folder of its own, the first left as it was.
    auto second = app::write_export(**ctx, stick, {today, today});
    REQUIRE(second.ok());
    CHECK(second->folder == first->folder + "-2");
    CHECK(fs::file_size(stick / first->folder / "stats.json") == fs::file_size(stick / second->folder / "stats.json"));
    // Not a folder: said so.
    auto bad = app::write_export(**ctx, stick / first->folder / "stats.json", {today, today});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("not a folder") != std::string::npos);
}

TEST_CASE("export: a path that is not a disk is refused with what it is") {
    test::TempDir tmp;
    app::GlobalOptions o;
    o.assets = CSC_SOURCE_ASSETS;
    o.data = (tmp.path() / "data").string();
    auto ctx = app::load_context(o);
    REQUIRE(ctx.ok());
    const Date d{2026, 11, 26};
    auto missing = app::export_to_device(**ctx, "/dev/csc-no-such-stick", {d, d});
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("is not there") != std::string::npos);
    auto file = app::export_to_device(**ctx, "/dev/null", {d, d});
    REQUIRE_FALSE(file.ok());
    CHECK(file.error().message.find("not a disk") != std::string::npos);
}
