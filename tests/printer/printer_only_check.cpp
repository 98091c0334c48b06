// printer_only_check — a program that links csc_printer and nothing else of the project: the
// proof that the driver stands without the core (no SQLite, no NATS). Run by the ctest
// printer_links_without_core (check_printer_links.cmake), which also reads its link line.
// Usage: printer_only_check ASSETS — reads ASSETS/printer/profiles.toml and encodes a ticket.
#include <cstdio>

#include "drivers/printer/escpos_encoder.hpp"
#include "drivers/printer/profile.hpp"

int main(int argc, char** argv) {
    using namespace csc::printer;
    if (argc != 2) return std::fprintf(stderr, "usage: printer_only_check ASSETS\n"), 2;
    auto catalog = load_profile_catalog({installed_profiles_file(argv[1])});
    if (!catalog) return std::fprintf(stderr, "%s\n", catalog.error().message.c_str()), 1;
    use_profile_catalog(*catalog);
    auto profile = find_profile("generic-80");
    if (!profile) return std::fprintf(stderr, "%s\n", profile.error().message.c_str()), 1;
    Receipt receipt;
    receipt.text("A 042").cut();
    auto bytes = EscposEncoder(*profile).encode(receipt);
    if (!bytes || bytes->empty()) return std::fprintf(stderr, "encoding failed\n"), 1;
    std::printf("%zu profiles, %zu bytes for a ticket on %s\n", catalog->profiles().size(), bytes->size(),
                profile->id.c_str());
    return 0;
}
