#pragma once

// A thin RAII layer over SQLite (one connection per Database, used from one thread).
//
// Durability contract: open() sets journal_mode=WAL and synchronous=FULL, so a transaction whose
// commit() has returned is on disk (the WAL is fsynced at every commit) and survives kill -9 or a
// power cut; a daemon acknowledges a write only after commit() returns. foreign_keys is on.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace minerx::store {

// Any SQLite failure, with SQLite's message and the statement or file it concerns.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A prepared statement. Bind indices start at 1, column indices at 0 (SQLite's convention).
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bind_blob(int index, const void* data, std::size_t size);
    Statement& bind_null(int index);

    // Advances: true while a row is available, false when done. Throws on constraint violations
    // and other errors.
    bool step();
    // Runs a statement that returns no rows.
    void run();
    // Clears bindings and rewinds, for reuse.
    void reset();

    std::int64_t column_int64(int index) const;
    std::string column_text(int index) const;
    std::string column_blob(int index) const;
    bool column_is_null(int index) const;

private:
    sqlite3* db_;
    sqlite3_stmt* statement_;
};

class Database {
public:
    // Opens (creating if absent) the database file. The file is created with mode 0600: it holds
    // secrets. Throws StoreError if it cannot be opened or is not a database.
    static Database open(const std::string& path);
    // A private in-memory database (tests).
    static Database open_in_memory();

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&& other) noexcept;
    Database& operator=(Database&&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    std::int64_t last_insert_rowid() const;
    int changes() const;
    // The value of a single-value query such as "PRAGMA journal_mode"; nullopt if no row.
    std::optional<std::string> query_text(std::string_view sql);

    const std::string& path() const { return path_; }

private:
    Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    sqlite3* db_;
    std::string path_;
};

// BEGIN IMMEDIATE on construction (takes the write lock at once, so two writers cannot deadlock
// upgrading), ROLLBACK on destruction unless commit() ran.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace minerx::store
