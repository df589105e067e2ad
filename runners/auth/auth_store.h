#pragma once

// The auth service's persistent state, in SQLite (runners/store): users (enabled or disabled),
// miners bound 1:1 to users (a user may own several miners; a miner belongs to at most one user,
// as in sophon-auth, research/venus.md §3), the tokens issued (for audit: who, which permission,
// when), and the HS256 signing secret. Every mutating call is one transaction that has committed
// (and, with synchronous=FULL, reached the disk) when it returns.

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "runners/rpc/permission.h"
#include "runners/store/migrations.h"
#include "runners/store/sqlite_database.h"

namespace minerx::auth {

struct User {
    std::int64_t id = 0;
    std::string name;
    std::string comment;
    bool enabled = true;
    std::int64_t created_at = 0;
    std::vector<std::string> miners;  // sorted
};

// A request the store refuses for a reason the caller can fix (no such user, miner bound to
// someone else, bad name). Storage failures are store::StoreError.
class AuthError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// User names: 1-64 characters from [A-Za-z0-9_.-].
bool is_valid_user_name(std::string_view name);
// Miner actor ID addresses: f0<digits> (mainnet) or t0<digits> (test networks), at most 20 digits.
bool is_valid_miner_address(std::string_view address);

class AuthStore {
public:
    // Applies the schema migrations (throws store::SchemaTooNew for a newer database).
    explicit AuthStore(store::Database& db);

    static std::span<const store::Migration> migrations();

    User add_user(std::string_view name, std::string_view comment, std::int64_t now);
    // Returns the updated user; throws AuthError if there is no such user.
    User set_user_enabled(std::string_view name, bool enabled);
    std::optional<User> find_user(std::string_view name);
    // Whether the user exists and is enabled: the per-request check of token verification, one
    // indexed lookup on a statement prepared once.
    bool is_user_enabled(std::string_view name);
    std::vector<User> list_users();

    // Binds a miner to a user. Binding a miner to the user it already belongs to is a no-op;
    // to another user, an AuthError naming the owner.
    void bind_miner(std::string_view user, std::string_view miner);
    // Returns whether the miner was bound.
    bool unbind_miner(std::string_view miner);
    std::optional<User> user_by_miner(std::string_view miner);

    // Records an issued token and returns its number (the jti claim).
    std::int64_t record_token(std::string_view user, rpc::Permission permission,
                              std::int64_t issued_at, std::optional<std::int64_t> expires_at);

    // The signing secret, created (32 bytes from libsodium's CSPRNG) if absent. `created` tells
    // whether this call made it.
    std::string signing_secret(bool* created = nullptr);

private:
    std::vector<std::string> miners_of(std::int64_t user_id);
    std::int64_t require_user_id(std::string_view name);

    store::Database& db_;
    std::optional<store::Statement> enabled_query_;
};

}  // namespace minerx::auth
