#pragma once

// A thin RAII layer over SQLite for the results database: one connection, prepared statements
// with typed binds, errors as exceptions naming the statement.

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace minerx::sim {

class SqliteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, std::string_view sql);
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    ~SqliteStatement();

    // Binds are 1-based, as in SQLite.
    SqliteStatement& bind(int index, std::int64_t value);
    SqliteStatement& bind(int index, double value);
    SqliteStatement& bind(int index, std::string_view value);
    SqliteStatement& bind_null(int index);
    // Runs an INSERT/UPDATE to completion and resets the statement for the next row.
    void execute();
    // Steps a SELECT: true while a row is available.
    bool step();
    std::int64_t column_int(int index) const;
    double column_double(int index) const;
    std::string column_text(int index) const;
    void reset();

private:
    void check(int code, const char* what) const;

    sqlite3* db_ = nullptr;
    sqlite3_stmt* statement_ = nullptr;
    std::string sql_;
};

class SqliteDb {
public:
    // Opens (creating) the database file; throws SqliteError naming the path.
    explicit SqliteDb(const std::filesystem::path& path);
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;
    ~SqliteDb();

    void exec(std::string_view sql);
    SqliteStatement prepare(std::string_view sql);
    sqlite3* handle() { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
};

}  // namespace minerx::sim
