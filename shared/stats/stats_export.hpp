// stats_export.hpp — a statistics table as CSV (for spreadsheets) or JSON (for programs).
//
// Contents: CsvOptions, csv_cell(), stats_csv(), stats_json().
// Contract: pure text building; the caller gives the translated headers and the names shown
// beside each row's key. CSV: one header row, UTF-8 (optionally with a BOM, which spreadsheet
// programs take as "this is UTF-8"), RFC 4180 quoting; with ';' numbers use a decimal comma
// (Italian spreadsheets read "12,5"), with ',' a decimal point. A cell with no data is empty; a
// text cell that a spreadsheet would run as a formula (= + - @) is prefixed with '. JSON: stable
// machine keys (kStatsColumns), no data = null, shares as fractions 0…1.
#pragma once

#include <string>
#include <vector>

#include "shared/stats/stats_table.hpp"

namespace csc::stats {

/// How a CSV is written.
struct CsvOptions {
    char separator = ';';  ///< ';' (Italian spreadsheets) or ','
    bool bom = false;      ///< start with the UTF-8 byte order mark
};

/// One CSV cell: quoted (RFC 4180) when it holds `separator`, a quote or a line break; a text a
/// spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading '.
[[nodiscard]] std::string csv_cell(const std::string& text, char separator);
/// The table as CSV: header row `headers` (kStatsColumns.size() + 1: key, name, then the
/// figures), one line per row and a last one for the total; `names` = rows.size() + 1 names
/// (the total's last).
[[nodiscard]] std::string stats_csv(const StatsTable& table, const std::vector<std::string>& headers,
                                    const std::vector<std::string>& names, const CsvOptions& options);
/// The table as one JSON document: from, to, by, target_share, rows (each with "name"), total,
/// pause_reasons.
[[nodiscard]] std::string stats_json(const StatsTable& table, const std::vector<std::string>& names);

}  // namespace csc::stats
