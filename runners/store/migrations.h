#pragma once

// Versioned schema migrations. A database records its schema version in `schema_version` (one
// row per applied migration). Migrations are numbered 1, 2, 3, ... and each runs inside its own
// transaction together with the row recording it, so a crash leaves the database at a whole
// version. A database whose version is newer than the binary knows is refused (SchemaTooNew):
// an old binary must not write to a schema it does not understand.

#include <span>
#include <string>
#include <string_view>

#include "runners/store/sqlite_database.h"

namespace minerx::store {

struct Migration {
    int version;
    std::string_view description;
    std::string_view sql;  // one or more statements
};

class SchemaTooNew : public StoreError {
public:
    using StoreError::StoreError;
};

// The recorded version (0 for a fresh database).
int schema_version(Database& db);

// Brings the database to the last migration's version and returns it. Throws std::logic_error if
// the migrations are not numbered 1..N in order, SchemaTooNew if the database is ahead of them,
// StoreError if a migration fails (that migration is rolled back; earlier ones stay).
int apply_migrations(Database& db, std::span<const Migration> migrations);

}  // namespace minerx::store
