#include "runners/store/sqlite_database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace minerx::store {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    throw StoreError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

int to_int(std::size_t size) {
    if (size > 0x7fffffff) throw StoreError("value too large for SQLite");
    return static_cast<int>(size);
}

// SQLite creates files with 0644 (less the umask); the auth database holds the signing secret, so
// it is created here first with 0600. SQLite gives its -wal and -shm files the same mode.
void create_private_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw StoreError("cannot open " + path + ": " + std::strerror(errno));
    ::close(fd);
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), statement_(nullptr) {
    if (sqlite3_prepare_v2(db, sql.data(), to_int(sql.size()), &statement_, nullptr) != SQLITE_OK) {
        fail(db, "cannot prepare \"" + std::string(sql) + "\"");
    }
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), statement_(std::exchange(other.statement_, nullptr)) {}

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) fail(db_, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    if (sqlite3_bind_text(statement_, index, text.data(), to_int(text.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK) {
        fail(db_, "bind");
    }
    return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
    if (sqlite3_bind_blob(statement_, index, data, to_int(size), SQLITE_TRANSIENT) != SQLITE_OK) {
        fail(db_, "bind");
    }
    return *this;
}

Statement& Statement::bind_null(int index) {
    if (sqlite3_bind_null(statement_, index) != SQLITE_OK) fail(db_, "bind");
    return *this;
}

bool Statement::step() {
    const int status = sqlite3_step(statement_);
    if (status == SQLITE_ROW) return true;
    if (status == SQLITE_DONE) return false;
    const std::string sql = sqlite3_sql(statement_) ? sqlite3_sql(statement_) : "";
    sqlite3_reset(statement_);
    fail(db_, "cannot run \"" + sql + "\"");
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

std::int64_t Statement::column_int64(int index) const {
    return sqlite3_column_int64(statement_, index);
}

std::string Statement::column_text(int index) const {
    const auto* text = sqlite3_column_text(statement_, index);
    const int size = sqlite3_column_bytes(statement_, index);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::string Statement::column_blob(int index) const {
    const void* data = sqlite3_column_blob(statement_, index);
    const int size = sqlite3_column_bytes(statement_, index);
    if (data == nullptr) return {};
    return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

bool Statement::column_is_null(int index) const {
    return sqlite3_column_type(statement_, index) == SQLITE_NULL;
}

Database Database::open(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) create_private_file(path);
    sqlite3* db = nullptr;
    const int status = sqlite3_open_v2(path.c_str(), &db,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                       nullptr);
    if (status != SQLITE_OK) {
        const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw StoreError("cannot open database " + path + ": " + message);
    }
    Database database(db, path);
    // WAL + FULL: every commit fsyncs the WAL, so an acknowledged write survives kill -9 and power
    // loss (https://www.sqlite.org/pragma.html#pragma_synchronous). The first statement also
    // detects a file that is not a database.
    try {
        database.exec("PRAGMA busy_timeout = 5000");
        const auto mode = database.query_text("PRAGMA journal_mode = WAL");
        if (mode != "wal") throw StoreError("cannot switch " + path + " to WAL journal mode");
        database.exec("PRAGMA synchronous = FULL");
        database.exec("PRAGMA foreign_keys = ON");
    } catch (const StoreError& error) {
        throw StoreError("cannot open database " + path + ": " + error.what());
    }
    return database;
}

Database Database::open_in_memory() {
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        sqlite3_close(db);
        throw StoreError("cannot open an in-memory database");
    }
    Database database(db, ":memory:");
    database.exec("PRAGMA foreign_keys = ON");
    return database;
}

Database::~Database() { sqlite3_close(db_); }

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

void Database::exec(std::string_view sql) {
    const std::string text(sql);
    char* message = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string reason = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        throw StoreError("cannot run \"" + text + "\": " + reason);
    }
}

Statement Database::prepare(std::string_view sql) { return Statement(db_, sql); }

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

std::optional<std::string> Database::query_text(std::string_view sql) {
    Statement statement = prepare(sql);
    if (!statement.step()) return std::nullopt;
    return statement.column_text(0);
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (done_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (const StoreError&) {
        // The connection already rolled back (e.g. after SQLITE_FULL); nothing left to undo.
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace minerx::store
