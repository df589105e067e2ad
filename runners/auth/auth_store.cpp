#include "runners/auth/auth_store.h"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace minerx::auth {
namespace {

constexpr std::array kMigrations = {
    store::Migration{1, "users, miners, tokens, settings",
                     "CREATE TABLE users ("
                     " id INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL UNIQUE,"
                     " comment TEXT NOT NULL DEFAULT '',"
                     " enabled INTEGER NOT NULL DEFAULT 1,"
                     " created_at INTEGER NOT NULL);"
                     "CREATE TABLE miners ("
                     " miner TEXT PRIMARY KEY,"
                     " user_id INTEGER NOT NULL REFERENCES users(id));"
                     "CREATE INDEX miners_by_user ON miners(user_id);"
                     "CREATE TABLE tokens ("
                     " id INTEGER PRIMARY KEY,"
                     " user_id INTEGER NOT NULL REFERENCES users(id),"
                     " perm TEXT NOT NULL,"
                     " issued_at INTEGER NOT NULL,"
                     " expires_at INTEGER);"
                     "CREATE TABLE settings ("
                     " key TEXT PRIMARY KEY,"
                     " value BLOB NOT NULL);"},
};

constexpr std::size_t kSecretBytes = 32;

User read_user(const store::Statement& row) {
    User user;
    user.id = row.column_int64(0);
    user.name = row.column_text(1);
    user.comment = row.column_text(2);
    user.enabled = row.column_int64(3) != 0;
    user.created_at = row.column_int64(4);
    return user;
}

constexpr std::string_view kUserColumns = "SELECT id, name, comment, enabled, created_at FROM users";

}  // namespace

bool is_valid_user_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == '-';
    });
}

bool is_valid_miner_address(std::string_view address) {
    if (address.size() < 3 || address.size() > 22) return false;
    if ((address[0] != 'f' && address[0] != 't') || address[1] != '0') return false;
    return std::all_of(address.begin() + 2, address.end(), [](char c) { return c >= '0' && c <= '9'; });
}

AuthStore::AuthStore(store::Database& db) : db_(db) { store::apply_migrations(db_, migrations()); }

std::span<const store::Migration> AuthStore::migrations() { return kMigrations; }

User AuthStore::add_user(std::string_view name, std::string_view comment, std::int64_t now) {
    if (!is_valid_user_name(name)) {
        throw AuthError("invalid user name \"" + std::string(name) +
                        "\": use 1-64 characters from A-Z a-z 0-9 _ . -");
    }
    if (comment.size() > 1024) throw AuthError("comment longer than 1024 bytes");
    store::Transaction transaction(db_);
    if (find_user(name)) throw AuthError("user " + std::string(name) + " already exists");
    db_.prepare("INSERT INTO users (name, comment, enabled, created_at) VALUES (?, ?, 1, ?)")
        .bind(1, name)
        .bind(2, comment)
        .bind(3, now)
        .run();
    transaction.commit();
    return *find_user(name);
}

User AuthStore::set_user_enabled(std::string_view name, bool enabled) {
    store::Transaction transaction(db_);
    db_.prepare("UPDATE users SET enabled = ? WHERE name = ?")
        .bind(1, std::int64_t{enabled ? 1 : 0})
        .bind(2, name)
        .run();
    if (db_.changes() == 0) throw AuthError("no such user: " + std::string(name));
    transaction.commit();
    return *find_user(name);
}

std::optional<User> AuthStore::find_user(std::string_view name) {
    store::Statement statement = db_.prepare(std::string(kUserColumns) + " WHERE name = ?");
    statement.bind(1, name);
    if (!statement.step()) return std::nullopt;
    User user = read_user(statement);
    user.miners = miners_of(user.id);
    return user;
}

bool AuthStore::is_user_enabled(std::string_view name) {
    if (!enabled_query_) enabled_query_.emplace(db_.prepare("SELECT enabled FROM users WHERE name = ?"));
    store::Statement& query = *enabled_query_;
    query.reset();
    query.bind(1, name);
    const bool enabled = query.step() && query.column_int64(0) != 0;
    query.reset();
    return enabled;
}

std::vector<User> AuthStore::list_users() {
    std::vector<User> users;
    store::Statement statement = db_.prepare(std::string(kUserColumns) + " ORDER BY name");
    while (statement.step()) users.push_back(read_user(statement));
    for (User& user : users) user.miners = miners_of(user.id);
    return users;
}

void AuthStore::bind_miner(std::string_view user, std::string_view miner) {
    if (!is_valid_miner_address(miner)) {
        throw AuthError("invalid miner address \"" + std::string(miner) +
                        "\": expected an actor ID such as f01234");
    }
    store::Transaction transaction(db_);
    const std::int64_t user_id = require_user_id(user);
    if (auto owner = user_by_miner(miner)) {
        if (owner->id == user_id) return;  // already bound here; the transaction rolls back
        throw AuthError("miner " + std::string(miner) + " is already bound to user " + owner->name);
    }
    db_.prepare("INSERT INTO miners (miner, user_id) VALUES (?, ?)").bind(1, miner).bind(2, user_id).run();
    transaction.commit();
}

bool AuthStore::unbind_miner(std::string_view miner) {
    store::Transaction transaction(db_);
    db_.prepare("DELETE FROM miners WHERE miner = ?").bind(1, miner).run();
    const bool removed = db_.changes() > 0;
    transaction.commit();
    return removed;
}

std::optional<User> AuthStore::user_by_miner(std::string_view miner) {
    store::Statement statement = db_.prepare(
        "SELECT u.id, u.name, u.comment, u.enabled, u.created_at FROM users u"
        " JOIN miners m ON m.user_id = u.id WHERE m.miner = ?");
    statement.bind(1, miner);
    if (!statement.step()) return std::nullopt;
    User user = read_user(statement);
    user.miners = miners_of(user.id);
    return user;
}

std::int64_t AuthStore::record_token(std::string_view user, rpc::Permission permission,
                                     std::int64_t issued_at, std::optional<std::int64_t> expires_at) {
    store::Transaction transaction(db_);
    const std::int64_t user_id = require_user_id(user);
    store::Statement insert =
        db_.prepare("INSERT INTO tokens (user_id, perm, issued_at, expires_at) VALUES (?, ?, ?, ?)");
    insert.bind(1, user_id).bind(2, rpc::permission_name(permission)).bind(3, issued_at);
    if (expires_at) {
        insert.bind(4, *expires_at);
    } else {
        insert.bind_null(4);
    }
    insert.run();
    const std::int64_t id = db_.last_insert_rowid();
    transaction.commit();
    return id;
}

std::string AuthStore::signing_secret(bool* created) {
    if (created) *created = false;
    store::Statement select = db_.prepare("SELECT value FROM settings WHERE key = 'jwt_secret'");
    if (select.step()) return select.column_blob(0);
    std::string secret(kSecretBytes, '\0');
    randombytes_buf(secret.data(), secret.size());
    store::Transaction transaction(db_);
    db_.prepare("INSERT INTO settings (key, value) VALUES ('jwt_secret', ?)")
        .bind_blob(1, secret.data(), secret.size())
        .run();
    transaction.commit();
    if (created) *created = true;
    return secret;
}

std::vector<std::string> AuthStore::miners_of(std::int64_t user_id) {
    std::vector<std::string> miners;
    store::Statement statement = db_.prepare("SELECT miner FROM miners WHERE user_id = ? ORDER BY miner");
    statement.bind(1, user_id);
    while (statement.step()) miners.push_back(statement.column_text(0));
    return miners;
}

std::int64_t AuthStore::require_user_id(std::string_view name) {
    store::Statement statement = db_.prepare("SELECT id FROM users WHERE name = ?");
    statement.bind(1, name);
    if (!statement.step()) throw AuthError("no such user: " + std::string(name));
    return statement.column_int64(0);
}

}  // namespace minerx::auth
