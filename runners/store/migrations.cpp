#include "runners/store/migrations.h"

#include <ctime>
#include <stdexcept>

namespace minerx::store {
namespace {

void ensure_version_table(Database& db) {
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY,"
        " description TEXT NOT NULL,"
        " applied_at INTEGER NOT NULL)");
}

}  // namespace

int schema_version(Database& db) {
    ensure_version_table(db);
    Statement statement = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    statement.step();
    return static_cast<int>(statement.column_int64(0));
}

int apply_migrations(Database& db, std::span<const Migration> migrations) {
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        if (migrations[i].version != static_cast<int>(i) + 1) {
            throw std::logic_error("migrations must be numbered 1..N in order");
        }
    }
    const int latest = static_cast<int>(migrations.size());
    const int current = schema_version(db);
    if (current > latest) {
        throw SchemaTooNew("database " + db.path() + " has schema version " +
                           std::to_string(current) + ", newer than this binary supports (" +
                           std::to_string(latest) + "); use a newer minerx");
    }
    for (const Migration& migration : migrations.subspan(static_cast<std::size_t>(current))) {
        Transaction transaction(db);
        try {
            db.exec(migration.sql);
        } catch (const StoreError& error) {
            throw StoreError("migration " + std::to_string(migration.version) + " (" +
                             std::string(migration.description) + ") failed: " + error.what());
        }
        db.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")
            .bind(1, std::int64_t{migration.version})
            .bind(2, migration.description)
            .bind(3, static_cast<std::int64_t>(std::time(nullptr)))
            .run();
        transaction.commit();
    }
    return latest;
}

}  // namespace minerx::store
