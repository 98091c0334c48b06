// admin_pages.hpp — the IT dashboard on the LAN (/admin, docs/WEB.md "/admin"): staff with the
// maintenance role sign in with their name and PIN and see every device, today's figures and
// the warnings. Read-only: nothing in the office can be changed from the browser.
//
// Contents: kAdminCookie, kAdminPostPaths, same_origin(), AdminPages.
// Contract: the sign-in is app::sign_in() with the role "maintenance", as the service menu's
// (audited as staff.sign_in at "web ADDRESS"; 5 wrong PINs lock the name LAN-wide and across
// restarts); other staff are refused with a clear answer, an unknown name and a wrong PIN get
// the same answer. At most two PIN checks run at once (each costs 64 MB: 503 beyond). A
// session (AdminSessions: memory of this process only) travels in an HttpOnly, SameSite=Strict
// cookie scoped to /admin, Secure when the server runs HTTPS. The only POSTs are
// kAdminPostPaths, same-origin only (checked by the server before routing), with a body of at
// most 1 KB, form-encoded, never in the URL. Pages and JSON are never cached.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "kiosk/app/context.hpp"
#include "kiosk/web/admin_sessions.hpp"
#include "kiosk/web/admin_views.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace csc::web {

/// The session cookie's name.
inline constexpr std::string_view kAdminCookie = "csc_admin";
/// The dashboard's POST routes (sign in, sign out): nothing else is ever posted to it.
inline constexpr std::array<std::string_view, 2> kAdminPostPaths{"/admin/sign-in", "/admin/sign-out"};

/// Whether the request's Origin is this server's own: the scheme it serves and the Host asked
/// for, or the origin of `public_url`. A request without Origin is not.
[[nodiscard]] bool same_origin(const httplib::Request& req, bool https, const std::string& public_url);

/// The dashboard's routes and sessions.
class AdminPages {
public:
    /// Makes a page from assets/web/`file` in `lang` into the response (the server's templating).
    using PageMaker = std::function<void(httplib::Response&, const std::string& file, const std::string& lang)>;
    /// The language of a request (the server's choice: ?lang, Accept-Language, the office's).
    using LangPicker = std::function<std::string(const httplib::Request&)>;

    /// Serves `ctx`'s office (the context must outlive the pages).
    AdminPages(app::Context& ctx, PageMaker page, LangPicker lang);
    /// Adds GET /admin, GET /admin/sign-in, GET /admin/api/dashboard and the POSTs to `server`.
    void add_routes(httplib::Server& server);
    /// The dashboard's data now, for `signed_in`, in `lang` (the JSON of /admin/api/dashboard).
    [[nodiscard]] nlohmann::json dashboard(const std::string& lang, const std::string& signed_in);

private:
    /// The request's session; `active`: the request is a person's doing (not a page's timer).
    [[nodiscard]] std::optional<AdminSession> session_of(const httplib::Request& req, bool active);
    void sign_in(const httplib::Request& req, httplib::Response& res);
    void sign_out(const httplib::Request& req, httplib::Response& res);
    [[nodiscard]] std::string cookie(const std::string& value, bool clear) const;

    app::Context& ctx_;
    PageMaker page_;
    LangPicker lang_;
    AdminSessions sessions_;
    std::atomic<int> pin_checks_{0};
};

}  // namespace csc::web
