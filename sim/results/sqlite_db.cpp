#include "sim/results/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace minerx::sim {

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql) : db_(db), sql_(sql) {
    const int code = sqlite3_prepare_v2(db_, sql_.c_str(), static_cast<int>(sql_.size()),
                                        &statement_, nullptr);
    check(code, "prepare");
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), statement_(std::exchange(other.statement_, nullptr)),
      sql_(std::move(other.sql_)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(statement_);
        db_ = other.db_;
        statement_ = std::exchange(other.statement_, nullptr);
        sql_ = std::move(other.sql_);
    }
    return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

void SqliteStatement::check(int code, const char* what) const {
    if (code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE) return;
    throw SqliteError(std::string("sqlite ") + what + " failed (" + sqlite3_errmsg(db_) +
                      ") in: " + sql_);
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(statement_, index, value), "bind");
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
    check(sqlite3_bind_double(statement_, index, value), "bind");
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view value) {
    check(sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT),
          "bind");
    return *this;
}

SqliteStatement& SqliteStatement::bind_null(int index) {
    check(sqlite3_bind_null(statement_, index), "bind");
    return *this;
}

void SqliteStatement::execute() {
    check(sqlite3_step(statement_), "step");
    reset();
}

bool SqliteStatement::step() {
    const int code = sqlite3_step(statement_);
    check(code, "step");
    return code == SQLITE_ROW;
}

std::int64_t SqliteStatement::column_int(int index) const {
    return sqlite3_column_int64(statement_, index);
}

double SqliteStatement::column_double(int index) const {
    return sqlite3_column_double(statement_, index);
}

std::string SqliteStatement::column_text(int index) const {
    const unsigned char* text = sqlite3_column_text(statement_, index);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
}

void SqliteStatement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

SqliteDb::SqliteDb(const std::filesystem::path& path) : path_(path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw SqliteError("cannot open database " + path.string() + ": " + message);
    }
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

void SqliteDb::exec(std::string_view sql) {
    std::string text(sql);
    char* error = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw SqliteError("sqlite error (" + message + ") in " + path_.string() + ": " + text);
    }
}

SqliteStatement SqliteDb::prepare(std::string_view sql) { return SqliteStatement(db_, sql); }

}  // namespace minerx::sim
