// printer_care.hpp — what maintenance keeps about a program's printer between runs (issue 14,
// point 2): the paper counter (tickets and slips printed today and since the paper was last
// changed) and the printer profile chosen in the service menu; and the preview of a job (the
// bytes that were sent, printed again on the emulated printer).
//
// Contents: PaperCount, PaperCounter, printer_care_file(), read_chosen_profile(), write_chosen_profile(),
//           PaperImage, render_paper().
// Contract: files under DATA/printer/, one pair per role ("entrance.paper", "entrance.profile"),
// replaced whole (written beside and renamed), so a crash leaves the old or the new one, never
// half. A missing file is a fresh count or no choice; an unreadable one is said on stderr once
// and counted from zero again, never a crash. Nothing here prints or talks to a printer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/printer/profile.hpp"
#include "shared/clock.hpp"
#include "shared/result.hpp"

namespace csc::app {

/// A printer's paper, counted.
struct PaperCount {
    int day = 0;             ///< the office day of `today` (YYYYMMDD)
    int today = 0;           ///< jobs that came out on that day
    int since_change = 0;    ///< jobs that came out since the paper was last changed
    Millis changed_at = 0;   ///< when the paper was last changed (0 = never said)
};

/// The paper count of one program's printer, kept in a file across restarts.
class PaperCounter {
public:
    /// Reads `file` now (missing: zeros; unreadable: zeros, said on stderr).
    explicit PaperCounter(std::filesystem::path file);
    /// The count as of office day `day` (today's figure is 0 when the file's day is another).
    [[nodiscard]] PaperCount read(int day) const;
    /// One job came out on office day `day`: +1 today and since the change, written at once.
    void printed(int day);
    /// The paper was changed at `now`: the count since the change starts again from 0.
    void paper_changed(Millis now, int day);

private:
    void save_locked();
    mutable std::mutex mutex_;
    std::filesystem::path file_;
    PaperCount count_;
};

/// DATA/printer/<role>.<kind> (kind: "paper" or "profile").
[[nodiscard]] std::filesystem::path printer_care_file(const std::filesystem::path& data_dir, std::string_view role,
                                                      std::string_view kind);
/// The profile id chosen in the service menu for this role's printer ("" = none chosen, or unreadable).
[[nodiscard]] std::string read_chosen_profile(const std::filesystem::path& file);
/// Remembers `profile` (a known profile id) for this role's printer.
[[nodiscard]] Result<void> write_chosen_profile(const std::filesystem::path& file, const std::string& profile);

/// A job's paper as grey dots (0 black … 255 white), row-major.
struct PaperImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> grey;
};
/// `bytes` printed on the emulated printer of `profile`, then reduced to at most `max_width`
/// dots across (each output dot the mean of the dots it covers).
[[nodiscard]] PaperImage render_paper(const std::vector<std::uint8_t>& bytes, const printer::Profile& profile, int max_width);

}  // namespace csc::app
