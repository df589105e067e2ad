#include "runners/devnet/devnet_store.h"

#include <array>

#include "runners/chainapi/lotus_json.h"
#include "runners/store/migrations.h"

namespace minerx::devnet {
namespace {

using rpc::Json;

constexpr std::array<store::Migration, 1> kMigrations = {{
    {1, "devnet schema", R"sql(
        CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE member_blocks(height INTEGER NOT NULL, miner INTEGER NOT NULL,
                                   published_ms INTEGER NOT NULL, body TEXT NOT NULL,
                                   PRIMARY KEY(height, miner));
    )sql"},
}};

Json to_json(const BlockTemplate& block) {
    return Json{{"parents", chainapi::tipset_key_json(block.parents)},
                {"ticket", chainapi::to_base64(block.ticket_proof)},
                {"win_count", block.win_count},
                {"election", chainapi::to_base64(block.election_proof)},
                {"beacon", chainapi::to_base64(block.beacon_data)},
                {"post", chainapi::to_base64(block.post_proof)},
                {"post_type", block.post_proof_type}};
}

std::vector<std::uint8_t> bytes_of(const Json& body, const char* key) {
    auto bytes = chainapi::from_base64(body.at(key).get<std::string>());
    if (!bytes) throw store::StoreError(std::string("devnet database: malformed ") + key);
    return *bytes;
}

}  // namespace

DevnetStore::DevnetStore(const std::string& path) : db_(store::Database::open(path)) {
    store::apply_migrations(db_, kMigrations);
}

std::optional<std::int64_t> DevnetStore::meta_int(const std::string& key) {
    store::Statement statement = db_.prepare("SELECT value FROM meta WHERE key = ?");
    statement.bind(1, key);
    if (!statement.step()) return std::nullopt;
    return statement.column_int64(0);
}

void DevnetStore::set_meta_int(const std::string& key, std::int64_t value) {
    db_.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)").bind(1, key).bind(2, value).run();
}

void DevnetStore::add_member_block(const BlockTemplate& block, std::int64_t published_unix_ms) {
    db_.prepare("INSERT OR IGNORE INTO member_blocks(height, miner, published_ms, body) VALUES(?, ?, ?, ?)")
        .bind(1, block.epoch)
        .bind(2, static_cast<std::int64_t>(block.miner))
        .bind(3, published_unix_ms)
        .bind(4, rpc::to_text(to_json(block)))
        .run();
}

std::vector<StoredMemberBlock> DevnetStore::member_blocks() {
    std::vector<StoredMemberBlock> out;
    store::Statement statement =
        db_.prepare("SELECT height, miner, published_ms, body FROM member_blocks ORDER BY height, miner");
    while (statement.step()) {
        const Json body = Json::parse(statement.column_text(3), nullptr, false);
        if (!body.is_object()) throw store::StoreError("devnet database: malformed block");
        StoredMemberBlock stored;
        stored.block.epoch = statement.column_int64(0);
        stored.block.miner = static_cast<chain::ActorId>(statement.column_int64(1));
        stored.published_unix_ms = statement.column_int64(2);
        auto parents = chainapi::tipset_key_from_json(body.at("parents"));
        if (!parents) throw store::StoreError("devnet database: malformed parents");
        stored.block.parents = *parents;
        stored.block.ticket_proof = bytes_of(body, "ticket");
        stored.block.win_count = body.at("win_count").get<std::int64_t>();
        stored.block.election_proof = bytes_of(body, "election");
        stored.block.beacon_data = bytes_of(body, "beacon");
        stored.block.post_proof = bytes_of(body, "post");
        stored.block.post_proof_type = body.at("post_type").get<std::int64_t>();
        out.push_back(std::move(stored));
    }
    return out;
}

chain::ChainEpoch replay_devnet(DevnetChain& chain, const std::vector<StoredMemberBlock>& blocks,
                                std::int64_t now_unix_ms) {
    chain::ChainEpoch round = 1;
    auto next = blocks.begin();
    for (; chain.cutoff_ms(round) <= now_unix_ms; ++round) {
        chain.run_round(round);
        for (; next != blocks.end() && next->block.epoch <= round; ++next) {
            if (next->block.epoch != round) continue;
            DevnetChain::Created created = chain.create_block(next->block, next->published_unix_ms);
            if (created.block) chain.submit_block(*created.block, next->published_unix_ms);
        }
    }
    return round;
}

}  // namespace minerx::devnet
