#include "kiosk/cli/operators.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include <nlohmann/json.hpp>

namespace csc::app {

namespace {

constexpr const char* kFileName = "operators.json";

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

Result<void> sodium_ready() {
    if (sodium_init() < 0) return fail("libsodium could not start");
    return {};
}

}  // namespace

Result<void> check_pin_format(std::string_view pin) {
    if (pin.size() < 4 || pin.size() > 12 ||
        !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return fail("a PIN is 4 to 12 digits");
    return {};
}

Result<std::string> hash_pin(std::string_view pin) {
    if (auto r = sodium_ready(); !r) return r.error();
    if (auto r = check_pin_format(pin); !r) return r.error();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return fail("cannot hash the PIN (out of memory?)");
    return std::string(out);
}

bool verify_pin(const std::string& hash, std::string_view pin) {
    if (!sodium_ready() || hash.empty()) return false;
    return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

Result<OperatorRegistry> OperatorRegistry::load(const std::filesystem::path& data_dir) {
    OperatorRegistry reg;
    reg.file_ = data_dir / kFileName;
    std::error_code ec;
    if (!std::filesystem::exists(reg.file_, ec)) return reg;
    std::ifstream in(reg.file_);
    if (!in) return fail(reg.file_.string() + ": cannot read");
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("operators") || !j["operators"].is_array())
        return fail(reg.file_.string() + ": not an operators file (expected {\"operators\": [...]})");
    for (const auto& o : j["operators"]) {
        if (!o.is_object() || !o.contains("name") || !o["name"].is_string() || !o.contains("pin_hash") ||
            !o["pin_hash"].is_string())
            return fail(reg.file_.string() + ": every operator needs a \"name\" and a \"pin_hash\"");
        const std::string hash = o["pin_hash"];
        if (hash.rfind("$argon2", 0) != 0)
            return fail(reg.file_.string() + ": operator \"" + o["name"].get<std::string>() +
                        "\" has no argon2 PIN hash (a PIN is never stored in clear)");
        reg.operators_.push_back({o["name"], hash});
    }
    return reg;
}

const Operator* OperatorRegistry::find(std::string_view name) const {
    for (const auto& o : operators_)
        if (same_name(o.name, name)) return &o;
    return nullptr;
}

Result<void> OperatorRegistry::add(const std::string& name, std::string_view pin, bool replace) {
    if (name.empty() || name.size() > 60) return fail("an operator name is 1 to 60 characters");
    if (std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20; }))
        return fail("an operator name cannot contain control characters");
    const Operator* existing = find(name);
    if (existing && !replace) return fail("operator \"" + name + "\" already exists (use --replace to change the PIN)");
    auto hash = hash_pin(pin);
    if (!hash) return hash.error();
    if (existing) {
        for (auto& o : operators_)
            if (same_name(o.name, name)) o.pin_hash = *hash;
    } else {
        operators_.push_back({name, *hash});
    }
    return save();
}

Result<void> OperatorRegistry::remove(std::string_view name) {
    const auto before = operators_.size();
    std::erase_if(operators_, [&](const Operator& o) { return same_name(o.name, name); });
    if (operators_.size() == before) return fail("no operator named \"" + std::string(name) + "\"");
    return save();
}

Result<void> OperatorRegistry::save() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& o : operators_) list.push_back({{"name", o.name}, {"pin_hash", o.pin_hash}});
    const nlohmann::json j{{"version", 1}, {"operators", list}};
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    const auto tmp = file_.string() + ".tmp";
    {
        const mode_t old = umask(077);  // the hashes are still secrets worth guarding
        std::ofstream out(tmp, std::ios::trunc);
        umask(old);
        if (!out) return fail(tmp + ": cannot write");
        out << j.dump(1) << '\n';
        if (!out.flush()) {
            out.close();
            std::filesystem::remove(tmp, ec);  // never leave a temporary file behind (disk full)
            return fail(tmp + ": write failed");
        }
    }
    ::chmod(tmp.c_str(), 0600);
    std::filesystem::rename(tmp, file_, ec);
    if (ec) {
        const std::string why = ec.message();
        std::filesystem::remove(tmp, ec);
        return fail(file_.string() + ": " + why);
    }
    return {};
}

}  // namespace csc::app
