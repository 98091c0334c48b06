// monthly_report.hpp — the printable monthly report (PDF) an office publishes with its Carta
// dei servizi: the month's figures and charts, and the year-to-date average time per service.
//
// Contents: ReportData, build_report_data(), render_monthly_report(), write_monthly_report().
// Contract: the figures come from shared/stats (the same tables as `kiosk stats`); drawing is
// cairo's PDF surface (libcairo2), every text through the translation layer. The file is
// written whole or not at all (a temporary file, then renamed). Reading only: the store is
// opened read-only.
#pragma once

#include <filesystem>
#include <string>

#include "kiosk/app/context.hpp"
#include "shared/office_time.hpp"
#include "shared/stats/stats_log.hpp"
#include "shared/stats/stats_table.hpp"

namespace csc::app {

/// Everything the report shows, computed before anything is drawn.
struct ReportData {
    Date month;                          ///< its first day
    stats::StatsTable by_hour, by_day, by_sector;  ///< the month
    stats::StatsTable by_service_year;  ///< 1 January to the month's last day
};

/// The month's tables (and the year's per service) from one statistics log covering 1 January
/// to the month's end.
[[nodiscard]] ReportData build_report_data(const stats::StatsLog& log, const SiteConfig& config, Date month);
/// Draws the report into a PDF at `file` (the caller renames it into place).
[[nodiscard]] Result<void> render_monthly_report(const Context& ctx, const ReportData& data, const std::string& lang,
                                                 const std::filesystem::path& file);
/// Reads the store, builds the data and writes the PDF of the month starting at `month` to `output`.
[[nodiscard]] Result<void> write_monthly_report(const Context& ctx, Date month, const std::string& lang,
                                                const std::filesystem::path& output);

}  // namespace csc::app
