#include "shared/presence/presence_board.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>

namespace csc::presence {

namespace {
constexpr Millis kForgetAfterMs = 24LL * 3600 * 1000;
}

std::filesystem::path presence_dir(const std::filesystem::path& data_dir) { return data_dir / "presence"; }

Result<void> put_status(const std::filesystem::path& data_dir, const DeviceStatus& s, Millis received) {
    const auto dir = presence_dir(data_dir);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const auto file = dir / (presence_key(s) + ".json");
    const auto tmp = dir / ("." + presence_key(s) + "." + std::to_string(::getpid()) + ".tmp");
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << received << '\n' << write_device_status(s) << '\n';
        out.flush();
        if (!out) {
            std::filesystem::remove(tmp, ec);
            return fail("cannot write " + tmp.string() + " (device status): the folder is not writable or the disk is full");
        }
    }
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return fail("cannot rename " + tmp.string() + " to " + file.string() + ": " + ec.message());
    }
    return {};
}

Board read_board(const std::filesystem::path& data_dir, Millis now) {
    Board board;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(presence_dir(data_dir), ec)) {
        const auto& path = entry.path();
        if (path.extension() != ".json" || path.filename().string().starts_with(".")) continue;
        const std::string name = "presence/" + path.filename().string();
        std::ifstream in(path);
        std::string first, json;
        std::getline(in, first);
        std::getline(in, json);
        Millis received = 0;
        const auto [end, err] = std::from_chars(first.data(), first.data() + first.size(), received);
        if (err != std::errc{} || end != first.data() + first.size()) {
            board.problems.push_back(name + ": the first line is not the time it was received");
            continue;
        }
        auto status = read_device_status(json);
        if (!status) {
            board.problems.push_back(name + ": " + status.error().message);
            continue;
        }
        if (now - received > kForgetAfterMs) {
            std::filesystem::remove(path, ec);
            continue;
        }
        board.statuses.push_back({std::move(*status), received});
    }
    std::sort(board.statuses.begin(), board.statuses.end(), [](const HeardStatus& a, const HeardStatus& b) {
        return presence_key(a.status) < presence_key(b.status);
    });
    return board;
}

}  // namespace csc::presence
