// bench_printer — printer driver figures (issue 3). Prints median and p99 of each measure.
//   bench_printer [iterations]      (default 300)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "drivers/printer/emulated_printer.hpp"
#include "drivers/printer/escpos_encoder.hpp"
#include "drivers/printer/mono_image.hpp"

using namespace csc::printer;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
    double median, p99;
};

Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, std::size_t(std::ceil(q * double(v.size())) - 1))]; };
    return {at(0.5), at(0.99)};
}

template <class F>
Stats measure(int n, F&& f) {
    std::vector<double> ms;
    ms.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        auto t0 = Clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    return stats(std::move(ms));
}

// A 384x128 municipal-style logo: a shaded emblem and bars, so dithering has work to do.
std::filesystem::path make_logo(const std::filesystem::path& dir) {
    int w = 384, h = 128;
    std::vector<std::uint8_t> grey(std::size_t(w) * h, 255);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            double dx = x - 64, dy = y - 64, r = std::sqrt(dx * dx + dy * dy);
            if (r < 60) grey[std::size_t(y) * w + x] = std::uint8_t(40 + r * 3);
            else if (x > 140 && (y / 16) % 2 == 0) grey[std::size_t(y) * w + x] = std::uint8_t(x * 255 / w);
        }
    auto path = dir / "bench-logo.png";
    if (auto r = write_grey_png(path, grey, w, h); !r) {
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
        std::exit(1);
    }
    return path;
}

Receipt ticket(const LogoElement& logo) {
    Receipt r;
    if (logo.image) r.logo(logo.image);
    else r.logo(logo.png);
    r.text("Comune di Esempio — Servizi al cittadino", {1, 1, true, false, false, Align::Center});
    r.text("Anagrafe: carta d'identità", {1, 1, false, false, false, Align::Center});
    r.text("A123", {5, 5, true, false, false, Align::Center});
    r.text("Persone prima di lei: 7 — attesa stimata 18 min", {1, 1, false, false, false, Align::Center});
    r.text("Emesso il 26/11/2026 alle 09:41", {1, 1, false, false, false, Align::Center});
    r.rule();
    r.qr("https://example.invalid/csc/t/A123?d=20261126&s=anagrafe", 6);
    r.text("Inquadra il QR per seguire la coda", {1, 1, false, false, false, Align::Center});
    r.feed(2);
    r.cut();
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    int n = argc > 1 ? std::max(10, std::atoi(argv[1])) : 300;
    auto dir = std::filesystem::temp_directory_path() / "csc-bench-printer";
    std::filesystem::create_directories(dir);
    auto png = make_logo(dir);
    auto profile = *find_profile("epson-tm-t20iii");
    EscposEncoder enc(profile);
    auto preloaded = load_logo(png, profile.dots_per_line);
    if (!preloaded) {
        std::fprintf(stderr, "%s\n", preloaded.error().message.c_str());
        return 1;
    }
    LogoElement by_path{png, nullptr, Align::Center, 0};
    LogoElement by_image{{}, std::make_shared<MonoImage>(*preloaded), Align::Center, 0};

    std::printf("bench_printer: %d iterations, profile %s\n", n, profile.id.c_str());
    auto s1 = measure(n, [&] { (void)enc.encode(ticket(by_path)); });
    std::printf("encode full ticket, logo PNG decoded+dithered each time: median %.3f ms  p99 %.3f ms\n", s1.median, s1.p99);
    auto s2 = measure(n, [&] { (void)enc.encode(ticket(by_image)); });
    std::printf("encode full ticket, logo pre-loaded (load_logo once):    median %.3f ms  p99 %.3f ms\n", s2.median, s2.p99);

    std::printf("bytes per full ticket:");
    for (const auto& p : active_profiles().profiles()) {
        auto b = EscposEncoder(p).encode(ticket(by_image));
        std::printf("  %s %zu", p.id.c_str(), b ? b->size() : 0);
    }
    std::printf("\n");

    auto job = *enc.encode(ticket(by_image));
    EmulatedTransport emu(profile, dir / "last-ticket.png");
    auto s3 = measure(n / 3 + 1, [&] {
        PrintJob pj(job);
        if (!pj.send_via(emu).printed) std::abort();
    });
    std::printf("job to confirmed, emulated printer (interpret + render + PNG): median %.3f ms  p99 %.3f ms\n", s3.median, s3.p99);
    MemoryTransport mem;
    auto s4 = measure(n, [&] {
        PrintJob pj(job);
        if (!pj.send_via(mem).printed) std::abort();
        mem.clear();
    });
    std::printf("job to confirmed, memory transport (driver overhead only):   median %.1f us  p99 %.1f us\n", s4.median * 1000, s4.p99 * 1000);
    EmulatedPrinter printer(profile);
    auto s5 = measure(n, [&] {
        printer.clear_paper();
        printer.feed(job);
    });
    std::printf("emulated printer interpret+render only (no PNG):             median %.3f ms  p99 %.3f ms\n", s5.median, s5.p99);
    return 0;
}
