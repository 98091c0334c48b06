// store_sql.hpp — the one prepared-statement wrapper of the store's own files (store*.cpp).
// Internal to the store: nothing outside shared/store*.cpp includes it (all SQL lives there).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/events.hpp"
#include "shared/store.hpp"

namespace csc::sql {

/// A prepared statement that finalizes itself, or — made from a Store — one of the store's
/// compiled statements, given back when done (`sql` must then be a string literal).
class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
    Stmt(const Store& store, const char* sql) : store_(&store), sql_(sql) { s_ = store.lease_statement(sql, rc_); }
    ~Stmt() {
        if (store_)
            store_->give_back_statement(sql_, s_);
        else
            sqlite3_finalize(s_);
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    /// The statement compiled.
    [[nodiscard]] bool ok() const { return rc_ == SQLITE_OK; }
    [[nodiscard]] sqlite3_stmt* get() const { return s_; }
    void bind(int i, std::string_view v) { sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); }
    void bind(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); }
    void bind(int i, double v) { sqlite3_bind_double(s_, i, v); }
    /// sqlite3_step: SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(s_); }
    [[nodiscard]] std::int64_t int64(int col) const { return sqlite3_column_int64(s_, col); }
    [[nodiscard]] double real(int col) const { return sqlite3_column_double(s_, col); }
    [[nodiscard]] std::string text(int col) const {
        const auto* p = sqlite3_column_text(s_, col);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
                 : std::string();
    }

private:
    sqlite3_stmt* s_ = nullptr;
    int rc_ = SQLITE_ERROR;
    const Store* store_ = nullptr;  // leased from it
    const char* sql_ = nullptr;
};

/// Binds an event's row — id, device, device_seq, time, type, `encoded` (its text, which it was
/// decoded from) — to parameters 1…6 of an INSERT INTO events(id, device, device_seq, time, type, encoded, …).
inline void bind_event_row(Stmt& st, const Event& e, std::string_view encoded) {
    st.bind(1, e.id);
    st.bind(2, e.device);
    st.bind(3, e.seq);
    st.bind(4, e.time);
    st.bind(5, event_type(e.body));
    st.bind(6, encoded);
}
/// The same, with the event encoded here.
inline void bind_event_row(Stmt& st, const Event& e) { bind_event_row(st, e, encode_event(e)); }

}  // namespace csc::sql
