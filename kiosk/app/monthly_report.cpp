// monthly_report.cpp — the monthly report drawn with cairo's PDF surface (see monthly_report.hpp).
#include "kiosk/app/monthly_report.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <system_error>
#include <vector>

#include "kiosk/app/statistics.hpp"
#include "shared/text_check.hpp"

namespace csc::app {

namespace {

constexpr double kPageW = 595.0, kPageH = 842.0;  // A4 in points
constexpr double kMargin = 48.0;
const char* const kFont = "DejaVu Sans";

// The decimal mark of the report being drawn (set at the start of each render, per thread): a
// comma in Italian (and most of Europe), a point in English.
thread_local char g_decimal_mark = ',';

std::string figure(double v, int decimals = 1) {
    if (std::isnan(v)) return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    for (char& c : s)
        if (c == '.') c = g_decimal_mark;
    return s;
}
std::string percent(double share) { return std::isnan(share) ? "—" : figure(share * 100.0, 0) + "%"; }

// The top of an axis with 4 steps of a "round" size (1, 2, 2.5, 5 × 10^k) holding v.
double axis_top(double v) {
    if (!(v > 0)) return 4.0;
    const double step = v / 4.0;
    const double e = std::pow(10.0, std::floor(std::log10(step)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * e >= step - 1e-12) return 4.0 * m * e;
    return 40.0 * e;
}

class Page {
public:
    explicit Page(cairo_t* cr) : cr_(cr) {}
    void text(double x, double y, const std::string& s, double size, bool bold = false, double r = 0.1, double g = 0.1, double b = 0.1) {
        cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr_, size);
        cairo_set_source_rgb(cr_, r, g, b);
        cairo_move_to(cr_, x, y);
        cairo_show_text(cr_, s.c_str());
    }
    double width_of(const std::string& s, double size) {
        cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr_, size);
        cairo_text_extents_t ext;
        cairo_text_extents(cr_, s.c_str(), &ext);
        return ext.x_advance;
    }
    void text_right(double x, double y, const std::string& s, double size) { text(x - width_of(s, size), y, s, size); }
    void text_centre(double x, double y, const std::string& s, double size) { text(x - width_of(s, size) / 2, y, s, size); }

    // Axes with 4 steps up to `top`; returns nothing, draws the frame of a chart.
    void axes(double x, double y, double w, double h, double top) {
        cairo_set_line_width(cr_, 0.5);
        for (int i = 0; i <= 4; ++i) {
            const double yy = y + h - h * i / 4.0;
            cairo_set_source_rgb(cr_, 0.85, 0.85, 0.85);
            cairo_move_to(cr_, x, yy);
            cairo_line_to(cr_, x + w, yy);
            cairo_stroke(cr_);
            const double tick = top * i / 4.0;
            text_right(x - 4, yy + 3, figure(tick, std::abs(tick - std::round(tick)) < 1e-9 ? 0 : 1), 7);
        }
        cairo_set_source_rgb(cr_, 0.3, 0.3, 0.3);
        cairo_move_to(cr_, x, y);
        cairo_line_to(cr_, x, y + h);
        cairo_line_to(cr_, x + w, y + h);
        cairo_stroke(cr_);
    }

    // Bars: one series or two side by side (second may be empty).
    void bars(double x, double y, double w, double h, const std::string& title, const std::vector<std::string>& labels,
              const std::vector<double>& a, const std::vector<double>& b, const std::string& legend_a, const std::string& legend_b) {
        text(x, y - 8, title, 10, true);
        double top = 0;
        for (double v : a) if (!std::isnan(v)) top = std::max(top, v);
        for (double v : b) if (!std::isnan(v)) top = std::max(top, v);
        top = axis_top(top);
        axes(x, y, w, h, top);
        const std::size_t n = std::max<std::size_t>(labels.size(), 1);
        const double slot = w / static_cast<double>(n);
        const bool two = !b.empty();
        const double bar = slot * (two ? 0.38 : 0.7);
        for (std::size_t i = 0; i < labels.size(); ++i) {
            const double x0 = x + slot * static_cast<double>(i) + slot * (two ? 0.1 : 0.15);
            auto draw = [&](double v, double xx, double r, double g, double bl) {
                if (std::isnan(v) || v <= 0) return;
                const double hh = h * v / top;
                cairo_set_source_rgb(cr_, r, g, bl);
                cairo_rectangle(cr_, xx, y + h - hh, bar, hh);
                cairo_fill(cr_);
            };
            draw(a[i], x0, 0.16, 0.40, 0.70);
            if (two) draw(b[i], x0 + bar, 0.93, 0.55, 0.18);
            const std::string& l = labels[i];
            const double size = slot < 22 ? 6 : 7;
            text_centre(x + slot * (static_cast<double>(i) + 0.5), y + h + 10, utf8_length(l) > 14 ? utf8_prefix(l, 13) + "…" : l, size);
        }
        legend(x + w, y - 8, legend_a, 0.16, 0.40, 0.70, two ? legend_b : std::string());
    }

    void line(double x, double y, double w, double h, const std::string& title, const std::vector<std::string>& labels,
              const std::vector<double>& values) {
        text(x, y - 8, title, 10, true);
        double top = 0;
        for (double v : values) if (!std::isnan(v)) top = std::max(top, v);
        top = axis_top(top);
        axes(x, y, w, h, top);
        const std::size_t n = values.size();
        if (n == 0) return;
        auto px = [&](std::size_t i) { return n == 1 ? x + w / 2 : x + w * static_cast<double>(i) / static_cast<double>(n - 1); };
        cairo_set_source_rgb(cr_, 0.16, 0.40, 0.70);
        cairo_set_line_width(cr_, 1.5);
        bool started = false;
        for (std::size_t i = 0; i < n; ++i) {
            const double v = std::isnan(values[i]) ? 0 : values[i];
            const double yy = y + h - h * v / top;
            if (!started) cairo_move_to(cr_, px(i), yy), started = true;
            else cairo_line_to(cr_, px(i), yy);
        }
        cairo_stroke(cr_);
        for (std::size_t i = 0; i < n; ++i) {
            const double v = std::isnan(values[i]) ? 0 : values[i];
            cairo_new_sub_path(cr_);  // no line from the previous point to the dot
            cairo_arc(cr_, px(i), y + h - h * v / top, 1.8, 0, 2 * M_PI);
            cairo_fill(cr_);
            if (n <= 16 || i % 5 == 0 || i + 1 == n) text_centre(px(i), y + h + 10, labels[i], 6.5);
        }
    }

    void legend(double right, double y, const std::string& a, double r, double g, double b, const std::string& second) {
        double x = right - width_of(a, 7.5) - 12;
        if (!second.empty()) x -= width_of(second, 7.5) + 24;
        cairo_set_source_rgb(cr_, r, g, b);
        cairo_rectangle(cr_, x, y - 7, 8, 8);
        cairo_fill(cr_);
        text(x + 11, y, a, 7.5);
        if (!second.empty()) {
            x += width_of(a, 7.5) + 24;
            cairo_set_source_rgb(cr_, 0.93, 0.55, 0.18);
            cairo_rectangle(cr_, x, y - 7, 8, 8);
            cairo_fill(cr_);
            text(x + 11, y, second, 7.5);
        }
    }

private:
    cairo_t* cr_;
};

}  // namespace

ReportData build_report_data(const stats::StatsLog& log, const SiteConfig& config, Date month) {
    ReportData d;
    d.month = month;
    const Date next = month.month == 12 ? Date{month.year + 1, 1, 1} : Date{month.year, month.month + 1, 1};
    const int last = civil_from_days(days_from_civil(next.year, next.month, next.day) - 1).key();
    d.by_hour = stats::compute_stats(log, config, stats::Grouping::Hour, month.key(), last);
    d.by_day = stats::compute_stats(log, config, stats::Grouping::Day, month.key(), last);
    d.by_sector = stats::compute_stats(log, config, stats::Grouping::Sector, month.key(), last);
    d.by_service_year = stats::compute_stats(log, config, stats::Grouping::Service, Date{month.year, 1, 1}.key(), last);
    return d;
}

Result<void> render_monthly_report(const Context& ctx, const ReportData& data, const std::string& lang,
                                   const std::filesystem::path& file) {
    const Translator& t = ctx.translator;
    g_decimal_mark = lang == "en" ? '.' : ',';
    cairo_surface_t* surface = cairo_pdf_surface_create(file.c_str(), kPageW, kPageH);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        const std::string why = cairo_status_to_string(cairo_surface_status(surface));
        cairo_surface_destroy(surface);
        return fail("cannot create " + file.string() + ": " + why);
    }
    const std::string month_text = t.tr(lang, "month." + std::to_string(data.month.month)) + " " + std::to_string(data.month.year);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   (t.tr(lang, "report.title") + " — " + month_text).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "csc-kiosk");
    cairo_t* cr = cairo_create(surface);
    Page page(cr);
    const stats::StatsRow& m = data.by_day.total;

    // Page 1: the month in figures, waits by hour, tickets per day.
    double y = kMargin + 10;
    page.text(kMargin, y, t.tr(lang, "report.title") + " — " + month_text, 18, true);
    y += 18;
    const std::string office = ctx.config.office_name + (ctx.config.town.empty() ? "" : " · " + ctx.config.town);
    page.text(kMargin, y, office, 10);
    y += 26;
    const std::vector<std::pair<std::string, std::string>> summary{
        {t.tr(lang, "stats.column.issued"), std::to_string(m.issued)},
        {t.tr(lang, "stats.column.served"), std::to_string(m.served)},
        {t.tr(lang, "stats.column.wait_mean_min"), figure(m.wait_mean_min)},
        {t.tr(lang, "stats.column.wait_p90_min"), figure(m.wait_p90_min)},
        {t.tr(lang, "stats.column.service_mean_min"), figure(m.service_mean_min)},
        {t.tr(lang, "report.within_target",
              {{"share", std::to_string(data.by_day.target_share) + "%"}}),
         percent(m.within_target_share)},
        {t.tr(lang, "stats.column.left_before_call"), std::to_string(m.left_before_call)},
        {t.tr(lang, "stats.column.called_absent"), std::to_string(m.called_absent)},
        {t.tr(lang, "stats.column.booking_no_shows"), std::to_string(m.booking_no_shows) + " / " + std::to_string(m.bookings)},
        {t.tr(lang, "stats.column.forecast_inside_share"), percent(m.forecast_inside_share)},
        // Satisfaction ("Mettiamoci la faccia"): how many ratings, and how they split.
        {t.tr(lang, "stats.column.feedback"), std::to_string(m.feedback)},
        {t.tr(lang, "feedback.rating.good") + " / " + t.tr(lang, "feedback.rating.so_so") + " / " + t.tr(lang, "feedback.rating.bad"),
         std::to_string(m.feedback_good) + " / " + std::to_string(m.feedback_so_so) + " / " + std::to_string(m.feedback_bad)},
    };
    for (std::size_t i = 0; i < summary.size(); ++i) {
        const double x = kMargin + (i % 2) * (kPageW - 2 * kMargin) / 2;
        const double yy = y + static_cast<double>(i / 2) * 15;
        page.text(x, yy, summary[i].first, 8.5);
        page.text_right(x + (kPageW - 2 * kMargin) / 2 - 16, yy, summary[i].second, 8.5);
    }
    y += static_cast<double>((summary.size() + 1) / 2) * 15 + 40;

    std::vector<std::string> labels;
    std::vector<double> waits, p90;
    for (const auto& r : data.by_hour.rows) {
        labels.push_back(r.key);
        waits.push_back(r.wait_mean_min);
        p90.push_back(r.wait_p90_min);
    }
    page.bars(kMargin + 24, y, kPageW - 2 * kMargin - 24, 190, t.tr(lang, "report.chart.wait_by_hour"), labels, waits, p90,
              t.tr(lang, "stats.column.wait_mean_min"), t.tr(lang, "stats.column.wait_p90_min"));
    y += 190 + 56;
    // Every day of the month, a day without tickets at 0.
    labels.clear();
    std::vector<double> issued;
    const long first_day = days_from_civil(data.month.year, data.month.month, 1);
    for (long d = first_day; civil_from_days(d).month == data.month.month; ++d) {
        const Date date = civil_from_days(d);
        labels.push_back(two_digits(date.day));
        double n = 0;
        for (const auto& r : data.by_day.rows)
            if (r.key == date.iso()) n = r.issued;
        issued.push_back(n);
    }
    page.line(kMargin + 24, y, kPageW - 2 * kMargin - 24, 170, t.tr(lang, "report.chart.tickets_per_day"), labels, issued);
    cairo_show_page(cr);

    // Page 2: sectors side by side; the year's average times per service (Carta dei servizi).
    y = kMargin + 30;
    labels.clear();
    std::vector<double> s_issued, s_served;
    for (const auto& r : data.by_sector.rows) {
        const Sector* s = ctx.config.find_sector(r.key);
        labels.push_back(s ? s->name.get(lang) : r.key);
        s_issued.push_back(r.wait_mean_min);
        s_served.push_back(r.service_mean_min);
    }
    page.bars(kMargin + 24, y, kPageW - 2 * kMargin - 24, 180, t.tr(lang, "report.chart.sectors"), labels, s_issued, s_served,
              t.tr(lang, "stats.column.wait_mean_min"), t.tr(lang, "stats.column.service_mean_min"));
    y += 180 + 52;
    page.text(kMargin, y, t.tr(lang, "report.year_by_service", {{"year", std::to_string(data.month.year)}}), 11, true);
    y += 18;
    // Right edges of the number columns.
    const double c1 = kMargin, c2 = kPageW - kMargin - 270, c3 = kPageW - kMargin - 190, c4 = kPageW - kMargin - 100,
                 c5 = kPageW - kMargin;
    page.text(c1, y, t.tr(lang, "stats.by.service"), 8, true);
    page.text_right(c2, y, t.tr(lang, "report.column.served"), 8);
    page.text_right(c3, y, t.tr(lang, "report.column.wait"), 8);
    page.text_right(c4, y, t.tr(lang, "report.column.service"), 8);
    page.text_right(c5, y, t.tr(lang, "report.column.within"), 8);
    y += 14;
    for (const auto& r : data.by_service_year.rows) {
        if (y > kPageH - kMargin) break;
        page.text(c1, y, stats_service_name(ctx.config, r.key, lang), 8.5);
        page.text_right(c2, y, std::to_string(r.served), 8.5);
        page.text_right(c3, y, figure(r.wait_mean_min), 8.5);
        page.text_right(c4, y, figure(r.service_mean_min), 8.5);
        page.text_right(c5, y, percent(r.within_target_share), 8.5);
        y += 13;
    }
    y += 10;
    page.text(kMargin, std::min(y, kPageH - kMargin + 14), t.tr(lang, "report.definitions"), 7);
    cairo_show_page(cr);

    // A drawing error (text cairo refused) leaves the context failed and every later call a
    // no-op: the surface alone would report a truncated PDF as written.
    const cairo_status_t drawing = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const cairo_status_t status = drawing != CAIRO_STATUS_SUCCESS ? drawing : cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) return fail("cannot write " + file.string() + ": " + cairo_status_to_string(status));
    return {};
}

Result<void> write_monthly_report(const Context& ctx, Date month, const std::string& lang, const std::filesystem::path& output) {
    const Date next = month.month == 12 ? Date{month.year + 1, 1, 1} : Date{month.year, month.month + 1, 1};
    const StatsRange year{Date{month.year, 1, 1}, civil_from_days(days_from_civil(next.year, next.month, next.day) - 1)};
    auto log = office_stats_log(ctx, year);
    if (!log) return log.error();
    const ReportData data = build_report_data(*log, ctx.config, month);
    std::error_code ec;
    const auto folder = output.parent_path().empty() ? std::filesystem::path(".") : output.parent_path();
    if (!std::filesystem::is_directory(folder, ec))
        return fail_as("input", "cannot write " + output.string() + ": the folder " + folder.string() + " does not exist");
    const std::filesystem::path tmp = output.string() + ".tmp";
    if (auto r = render_monthly_report(ctx, data, lang, tmp); !r) {
        std::filesystem::remove(tmp, ec);
        return r;
    }
    std::filesystem::rename(tmp, output, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return fail("cannot write " + output.string() + ": " + ec.message());
    }
    return {};
}

}  // namespace csc::app
