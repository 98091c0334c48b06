// stats_export.cpp — CSV and JSON of a statistics table (see stats_export.hpp).
#include "shared/stats/stats_export.hpp"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace csc::stats {

std::string csv_cell(const std::string& text, char separator) {
    std::string t = text;
    // A spreadsheet runs a cell starting with these as a formula (CSV injection).
    if (!t.empty() && (t[0] == '=' || t[0] == '+' || t[0] == '-' || t[0] == '@' || t[0] == '\t' || t[0] == '\r'))
        t.insert(t.begin(), '\'');
    if (t.find_first_of(std::string{separator, '"', '\n', '\r'}) == std::string::npos) return t;
    std::string out = "\"";
    for (char c : t) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

namespace {

std::string number_text(const StatsCell& c, char separator) {
    if (!c.number || std::isnan(*c.number)) return "";
    char buf[48];
    if (c.whole) std::snprintf(buf, sizeof buf, "%.0f", *c.number);
    else std::snprintf(buf, sizeof buf, "%.2f", *c.number);
    std::string s = buf;
    if (separator == ';')
        for (char& ch : s)
            if (ch == '.') ch = ',';
    return s;
}

std::string day_text(int day) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
    return buf;
}

nlohmann::json row_json(const StatsRow& row, const std::string& name) {
    nlohmann::json j = nlohmann::json::object();
    for (std::string_view key : kStatsColumns) {
        const StatsCell c = stats_cell(row, key);
        if (key == "key") {
            j["key"] = row.key;
            j["name"] = name;
        } else if (!c.number || std::isnan(*c.number)) {
            j[std::string(key)] = nullptr;
        } else if (c.whole) {
            j[std::string(key)] = static_cast<long long>(std::llround(*c.number));
        } else {
            j[std::string(key)] = std::round(*c.number * 1000.0) / 1000.0;
        }
    }
    return j;
}

}  // namespace

std::string stats_csv(const StatsTable& table, const std::vector<std::string>& headers,
                      const std::vector<std::string>& names, const CsvOptions& options) {
    const char sep = options.separator;
    std::string out = options.bom ? "\xEF\xBB\xBF" : "";
    for (std::size_t i = 0; i < headers.size(); ++i) out += (i ? std::string(1, sep) : "") + csv_cell(headers[i], sep);
    out += "\r\n";
    auto line = [&](const StatsRow& row, const std::string& name) {
        bool first = true;
        for (std::string_view key : kStatsColumns) {
            if (!first) out += sep;
            first = false;
            const StatsCell c = stats_cell(row, key);
            if (key == "key") out += csv_cell(row.key, sep) + sep + csv_cell(name, sep);
            else out += number_text(c, sep);
        }
        out += "\r\n";
    };
    for (std::size_t i = 0; i < table.rows.size(); ++i) line(table.rows[i], i < names.size() ? names[i] : table.rows[i].key);
    line(table.total, names.size() > table.rows.size() ? names.back() : std::string());
    return out;
}

std::string stats_json(const StatsTable& table, const std::vector<std::string>& names) {
    nlohmann::json j;
    j["from"] = day_text(table.from_day);
    j["to"] = day_text(table.to_day);
    j["by"] = std::string(to_string(table.grouping));
    j["target_share"] = table.target_share / 100.0;
    j["rows"] = nlohmann::json::array();
    for (std::size_t i = 0; i < table.rows.size(); ++i)
        j["rows"].push_back(row_json(table.rows[i], i < names.size() ? names[i] : table.rows[i].key));
    j["total"] = row_json(table.total, names.size() > table.rows.size() ? names.back() : std::string());
    j["pause_reasons"] = nlohmann::json::array();
    for (const auto& r : table.pause_reasons)
        j["pause_reasons"].push_back({{"reason", r.reason}, {"pauses", r.pauses}, {"minutes", std::round(r.minutes * 1000.0) / 1000.0}});
    return j.dump(2) + "\n";
}

}  // namespace csc::stats
