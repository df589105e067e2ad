// SQLite store: versioned migrations (fresh, upgrade, refusal of a newer database, rollback of a
// failed migration), the durability pragmas, transactions.

#include <gtest/gtest.h>

#include <array>
#include <filesystem>

#include <unistd.h>

#include "runners/store/migrations.h"

namespace minerx::store {
namespace {

constexpr std::array kV1 = {Migration{1, "t", "CREATE TABLE t (x INTEGER);"}};
constexpr std::array kV2 = {Migration{1, "t", "CREATE TABLE t (x INTEGER);"},
                            Migration{2, "t.y", "ALTER TABLE t ADD COLUMN y TEXT DEFAULT 'new';"}};

class TempDir {
public:
    TempDir() {
        path_ = std::filesystem::temp_directory_path() /
                ("minerx-store-test-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

TEST(Migrations, FreshDatabaseGetsEveryMigration) {
    Database db = Database::open_in_memory();
    EXPECT_EQ(schema_version(db), 0);
    EXPECT_EQ(apply_migrations(db, kV2), 2);
    EXPECT_EQ(schema_version(db), 2);
    db.exec("INSERT INTO t (x) VALUES (1)");
    EXPECT_EQ(db.query_text("SELECT y FROM t"), "new");
}

TEST(Migrations, UpgradeAppliesOnlyTheNewOnesAndKeepsData) {
    Database db = Database::open_in_memory();
    apply_migrations(db, kV1);
    db.exec("INSERT INTO t (x) VALUES (42)");
    EXPECT_EQ(apply_migrations(db, kV2), 2);
    EXPECT_EQ(db.query_text("SELECT x || ',' || y FROM t"), "42,new");
    EXPECT_EQ(db.query_text("SELECT COUNT(*) FROM schema_version"), "2");
    EXPECT_EQ(apply_migrations(db, kV2), 2);  // idempotent
    EXPECT_EQ(db.query_text("SELECT COUNT(*) FROM schema_version"), "2");
}

TEST(Migrations, RefusesADatabaseNewerThanTheBinary) {
    Database db = Database::open_in_memory();
    apply_migrations(db, kV2);
    try {
        apply_migrations(db, kV1);
        FAIL() << "a v2 database was accepted by a v1 binary";
    } catch (const SchemaTooNew& error) {
        EXPECT_NE(std::string(error.what()).find("schema version 2, newer than this binary supports (1)"),
                  std::string::npos)
            << error.what();
    }
}

TEST(Migrations, AFailedMigrationRollsBackAndKeepsTheEarlierVersion) {
    constexpr std::array broken = {Migration{1, "t", "CREATE TABLE t (x INTEGER);"},
                                   Migration{2, "bad", "CREATE TABLE u (x INTEGER); SELECT * FROM missing;"}};
    Database db = Database::open_in_memory();
    EXPECT_THROW(apply_migrations(db, broken), StoreError);
    EXPECT_EQ(schema_version(db), 1);
    EXPECT_EQ(db.query_text("SELECT COUNT(*) FROM sqlite_master WHERE name = 'u'"), "0");
}

TEST(Migrations, MustBeNumberedInOrder) {
    constexpr std::array gap = {Migration{1, "a", "SELECT 1;"}, Migration{3, "c", "SELECT 1;"}};
    Database db = Database::open_in_memory();
    EXPECT_THROW(apply_migrations(db, gap), std::logic_error);
}

TEST(Database, FileIsWalWithFullSyncAndPrivate) {
    TempDir dir;
    Database db = Database::open(dir.file("a.db"));
    EXPECT_EQ(db.query_text("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(db.query_text("PRAGMA synchronous"), "2");  // FULL
    EXPECT_EQ(db.query_text("PRAGMA foreign_keys"), "1");
    const auto perms = std::filesystem::status(dir.file("a.db")).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(Database, CommittedDataSurvivesReopen) {
    TempDir dir;
    {
        Database db = Database::open(dir.file("a.db"));
        apply_migrations(db, kV1);
        Transaction transaction(db);
        db.prepare("INSERT INTO t (x) VALUES (?)").bind(1, std::int64_t{5}).run();
        transaction.commit();
    }
    Database db = Database::open(dir.file("a.db"));
    EXPECT_EQ(db.query_text("SELECT x FROM t"), "5");
}

TEST(Database, AnUncommittedTransactionRollsBack) {
    Database db = Database::open_in_memory();
    apply_migrations(db, kV1);
    {
        Transaction transaction(db);
        db.exec("INSERT INTO t (x) VALUES (1)");
    }
    EXPECT_EQ(db.query_text("SELECT COUNT(*) FROM t"), "0");
}

TEST(Database, RefusesAFileThatIsNotADatabase) {
    TempDir dir;
    {
        std::FILE* file = std::fopen(dir.file("junk.db").c_str(), "w");
        std::fputs("this is not an SQLite database, just some text long enough to have a header....", file);
        std::fclose(file);
    }
    EXPECT_THROW(Database::open(dir.file("junk.db")), StoreError);
}

TEST(Statement, BindsAndReadsTextBlobAndNull) {
    Database db = Database::open_in_memory();
    db.exec("CREATE TABLE v (a TEXT, b BLOB, c INTEGER)");
    const std::string blob("\x00\x01\x02", 3);
    db.prepare("INSERT INTO v VALUES (?, ?, ?)").bind(1, "it's").bind_blob(2, blob.data(), blob.size()).bind_null(3).run();
    Statement select = db.prepare("SELECT a, b, c FROM v");
    ASSERT_TRUE(select.step());
    EXPECT_EQ(select.column_text(0), "it's");
    EXPECT_EQ(select.column_blob(1), blob);
    EXPECT_TRUE(select.column_is_null(2));
    EXPECT_FALSE(select.step());
}

}  // namespace
}  // namespace minerx::store
