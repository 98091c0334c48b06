// identity_document.hpp — an identity document shown at a desk (the CRS PIN release): its type
// from a known list, its number's shape, its expiry against the office's day.
//
// Contents: DocumentKind, kDocumentKinds, find_document_kind(), IdentityDocument,
//           check_identity_document().
// Contract: pure (today is given: the office's day from the injected clock, never the wall
// clock). A document that does not pass is an Error with code "input.document.<why>" (type,
// number, expiry, expired) and arguments for its translation; the number itself never appears
// in an Error. What the register keeps of a document is its type and the last 3 characters of
// its number (IdentityDocument::tail), never the whole number.
#pragma once

#include <array>
#include <vector>
#include <string>
#include <string_view>

#include "shared/office_time.hpp"
#include "shared/result.hpp"

namespace csc {

/// A kind of identity document the desk accepts, and the shape of its number.
struct DocumentKind {
    std::string_view id;       ///< stable id in configuration, events and the CLI
    std::string_view name_key; ///< catalogue key of its name ("document.cie")
    std::string_view shape;    ///< the number's shape, for messages ("2 letters, 5 digits, 2 letters")
};

/// Every kind known to the program: carta d'identità (paper), CIE, passport, driving licence.
/// `[crs_pin] documents` in the site configuration chooses which of them a desk accepts.
inline constexpr std::array<DocumentKind, 4> kDocumentKinds{{
    {"carta-identita", "document.carta-identita", "2 letters and 7 digits (AB1234567)"},
    {"cie", "document.cie", "2 letters, 5 digits, 2 letters (CA12345AB)"},
    {"passaporto", "document.passaporto", "6 to 9 letters and digits, at least 1 digit (YA1234567)"},
    {"patente", "document.patente", "10 letters and digits, a letter first and last (U1AB23456C)"},
}};

/// The kind with this id, or nullptr.
[[nodiscard]] const DocumentKind* find_document_kind(std::string_view id);

/// A document that passed the check.
struct IdentityDocument {
    std::string type;    ///< a DocumentKind id
    std::string number;  ///< normalised: upper case, no spaces
    Date expiry;
    /// The last 3 characters of the number: what the register keeps.
    [[nodiscard]] std::string tail() const { return number.size() <= 3 ? number : number.substr(number.size() - 3); }
};

/// Checks a document: `type` one of `accepted` ids (each a kDocumentKinds id), the number's shape
/// for that type (spaces and lower case accepted), `expiry` "YYYY-MM-DD" not before `today`
/// (a document is valid through its expiry day). Errors: "input.document.type" {type, known},
/// "input.document.number" {type}, "input.document.expiry" (not a date), "input.document.expired" {date}.
[[nodiscard]] Result<IdentityDocument> check_identity_document(std::string_view type, std::string_view number,
                                                               std::string_view expiry, const Date& today,
                                                               const std::vector<std::string>& accepted);

}  // namespace csc
