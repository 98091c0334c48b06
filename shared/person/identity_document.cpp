#include "shared/person/identity_document.hpp"

#include <algorithm>

namespace csc {

namespace {
bool letter(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// "LLDDDDDDD"-style pattern: L a letter, D a digit, X either.
bool matches(std::string_view n, std::string_view pattern) {
    if (n.size() != pattern.size()) return false;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const char p = pattern[i];
        if ((p == 'L' && !letter(n[i])) || (p == 'D' && !digit(n[i])) || (p == 'X' && !letter(n[i]) && !digit(n[i])))
            return false;
    }
    return true;
}

bool number_fits(std::string_view type, std::string_view n) {
    if (type == "carta-identita") return matches(n, "LLDDDDDDD");
    if (type == "cie") return matches(n, "LLDDDDDLL");
    if (type == "passaporto")  // Italian ones are LLDDDDDDD; foreign ones vary (ICAO 9303: up to 9)
        return n.size() >= 6 && n.size() <= 9 && std::all_of(n.begin(), n.end(), [](char c) { return letter(c) || digit(c); }) &&
               std::any_of(n.begin(), n.end(), digit);
    if (type == "patente") return matches(n, "LXXXXXXXXL");
    return false;
}
}  // namespace

const DocumentKind* find_document_kind(std::string_view id) {
    for (const auto& k : kDocumentKinds)
        if (k.id == id) return &k;
    return nullptr;
}

Result<IdentityDocument> check_identity_document(std::string_view type, std::string_view number, std::string_view expiry,
                                                 const Date& today, const std::vector<std::string>& accepted) {
    std::string known;
    for (const auto& a : accepted) known += (known.empty() ? "" : ", ") + a;
    const DocumentKind* kind = find_document_kind(type);
    if (!kind || std::find(accepted.begin(), accepted.end(), type) == accepted.end())
        return fail_as("input.document.type", "the document type must be one of: " + known,
                       {{"type", std::string(type.substr(0, 40))}, {"known", known}});
    IdentityDocument doc;
    doc.type = std::string(type);
    for (char c : number) {
        if (c == ' ' || c == '-') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (doc.number.size() > 32) break;
        doc.number += c;
    }
    if (!number_fits(doc.type, doc.number))
        return fail_as("input.document.number",
                       "this is not the number of a " + std::string(kind->id) + " (" + std::string(kind->shape) + ")",
                       {{"type", doc.type}});
    auto date = Date::parse(expiry);
    if (!date) return fail_as("input.document.expiry", "the expiry date must be written YYYY-MM-DD");
    doc.expiry = *date;
    if (doc.expiry < today)
        return fail_as("input.document.expired", "the document expired on " + doc.expiry.iso() + ": ask for a valid one",
                       {{"date", doc.expiry.iso()}});
    return doc;
}

}  // namespace csc
