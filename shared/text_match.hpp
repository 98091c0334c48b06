// text_match.hpp — "did you mean …?" for names typed by people (config keys, profiles, CLI).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace csc {

/// Levenshtein edit distance (case-insensitive).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);
/// Up to `limit` names from `candidates` closest to `word`, nearest first; only names within
/// a plausible distance (about a third of the word) are returned.
[[nodiscard]] std::vector<std::string> closest_names(std::string_view word, const std::vector<std::string>& candidates,
                                                     std::size_t limit = 3);

}  // namespace csc
