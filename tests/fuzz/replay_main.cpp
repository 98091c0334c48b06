// Runs the fuzz target over every file of the corpus folders given (no libFuzzer needed), so the
// corpus is a regression test in every build, gcc included. An input that aborts or crashes the
// target is named on stderr before the process dies, so the failing ctest says which file it was.
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {
std::string current;  // the input being replayed, for the crash message

extern "C" void name_the_input(int sig) {
    static const char head[] = "replay: this input crashed the target: ";
    (void)!write(2, head, sizeof head - 1);
    (void)!write(2, current.data(), current.size());
    (void)!write(2, "\n", 1);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}
}  // namespace

int main(int argc, char** argv) {
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, name_the_input);
    int files = 0;
    for (int i = 1; i < argc; ++i)
        for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[i])) {
            if (!entry.is_regular_file()) continue;
            std::ifstream in(entry.path(), std::ios::binary);
            std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            current = entry.path().string();
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
            ++files;
        }
    std::printf("%d corpus files replayed\n", files);
    return files > 0 ? 0 : 1;
}
