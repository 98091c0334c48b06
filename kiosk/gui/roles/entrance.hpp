// entrance.hpp — the entrance-kiosk role: home → (services) → confirmation.
//
// Contents: EntranceRole.
// Contract: the UI thread only reads the office (under its lock, briefly) and queues requests;
// recording a ticket (an fsync with synchronous=FULL) runs on the role's worker thread and
// printing on the PrintSpooler's, and both post their results back. A ticket is on disk
// before anything is printed; a failed print leaves it issued and shown on screen with its QR.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "kiosk/gui/roles/role.hpp"
#include "kiosk/gui/screens/entrance_screens.hpp"
#include "kiosk/app/printing/ticket_printer.hpp"

namespace csc::gui {

class EntranceRole final : public Role, public EntranceIntents {
public:
    /// Starts the worker and the print spooler; the office must be open in env.ctx.
    explicit EntranceRole(RoleEnv& env);
    ~EntranceRole() override;

    // Role
    void update(SteadyTime now) override;
    [[nodiscard]] Screen& screen() override;
    [[nodiscard]] const std::string& lang() const override { return lang_; }
    [[nodiscard]] std::optional<SteadyTime> next_deadline(SteadyTime now) const override;
    [[nodiscard]] std::string state_key() const override;
    [[nodiscard]] nlohmann::json describe() const override;

    // EntranceIntents
    void choose_sector(const std::string& sector) override;
    void choose_service(const std::string& sector, const std::string& service) override;
    void choose_language(const std::string& lang) override;
    void go_home() override;

    enum class Page { Home, Services, Confirm };
    [[nodiscard]] Page page() const { return page_; }
    [[nodiscard]] const EntranceView& view() const { return view_; }
    /// Milliseconds from the tap to the print report of the last ticket (the last byte was
    /// handed to the transport and its status read), if it was printed.
    [[nodiscard]] std::optional<double> last_tap_to_print_ms() const { return last_tap_to_print_ms_; }

private:
    struct IssueJob {
        int job = 0;
        IssueRequest request;
        SteadyTime tapped;
    };
    struct Issued {
        int job = 0;
        IssuedTicket ticket;
        std::string qr_data;
    };
    struct NotIssued {
        int job = 0;
        std::string message;
    };
    struct Printed {
        app::PrintReport report;
        SteadyTime at;
    };
    using Posted = std::variant<Issued, NotIssued, Printed>;

    void issue(const std::string& sector, const std::string& service);
    void worker_loop();
    void post(Posted p);
    void refresh_view(SteadyTime now);
    void refresh_sectors();
    [[nodiscard]] int sector_index(const std::string& id) const;

    RoleEnv& env_;
    Office& office_;
    const SiteConfig& config_;
    std::string default_lang_, lang_;
    Page page_ = Page::Home;
    EntranceView view_;
    EntranceHome home_{view_, *this};
    EntranceServices services_{view_, *this};
    EntranceConfirm confirm_{view_, *this};

    // Controller state (UI thread).
    std::uint64_t seen_version_ = ~std::uint64_t{0};
    std::string sectors_lang_;
    int next_job_ = 0, current_job_ = 0;
    std::string current_ticket_id_;
    SteadyTime current_tap_{};
    std::optional<SteadyTime> confirm_deadline_, services_deadline_;
    int confirm_total_s_ = 8;
    std::optional<double> last_tap_to_print_ms_;
    int last_minute_ = -1;

    // Worker and results (shared with the worker and the spooler's thread).
    std::mutex mutex_;
    std::condition_variable wake_worker_;
    std::deque<IssueJob> jobs_;
    std::deque<Posted> inbox_;
    bool stop_ = false;
    std::unique_ptr<app::PrintSpooler> spooler_;
    std::thread worker_;
};

}  // namespace csc::gui
