// content_folder.hpp — content items from files people drop in a folder: one item per TOML
// file (the format is in docs/CONTENT.md); issue 13 point 2, the folder source.
//
// Contents: parse_content_item(), RejectedFile, ContentFolder, load_content_folder().
// Contract: a file that is not a valid item is rejected with "FILE:LINE:COL: what" and the
// others still load: one bad file never hides the rest, and never stops the program. Files are
// read in name order (a stable playlist), at most kMaxContentFiles, each at most
// kMaxTomlFileSize; a name that is not `[a-z0-9_-]+.toml` is ignored (editors' backups, hidden files).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "shared/content/content_item.hpp"
#include "shared/result.hpp"

namespace csc::content {

/// Most item files read from one folder (the rest are rejected as such).
inline constexpr std::size_t kMaxContentFiles = 500;

/// One item from the text of a file named `name` (its id is `id`); `languages` are the office's.
[[nodiscard]] Result<ContentItem> parse_content_item(std::string_view text, const std::string& name, const std::string& id,
                                                     const std::vector<std::string>& languages);

/// A file that was not loaded, and why.
struct RejectedFile {
    std::filesystem::path file;
    std::string reason;  ///< "FILE:LINE:COL: …" or what else is wrong
};

/// What a content folder holds.
struct ContentFolder {
    std::vector<ContentItem> items;      ///< in file-name order
    std::vector<RejectedFile> rejected;  ///< with the reason, for the log and the service menu
};

/// Every item file in `dir` (a missing folder holds nothing; an unreadable one is one rejection).
[[nodiscard]] ContentFolder load_content_folder(const std::filesystem::path& dir, const std::vector<std::string>& languages);

}  // namespace csc::content
