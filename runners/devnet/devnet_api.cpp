#include "runners/devnet/devnet_api.h"

#include <string>

#include "core/chain/blake2b.h"
#include "core/math/int128.h"
#include "runners/chainapi/lotus_json.h"

namespace minerx::devnet {
namespace {

using chainapi::Json;
using rpc::Caller;
using rpc::Permission;
using rpc::RpcError;

constexpr chain::ActorId kRewardActor = 2;

[[noreturn]] void bad_param(int position, const std::string& what) {
    throw RpcError(rpc::error_code::kInvalidParams, "param " + std::to_string(position) + ": " + what);
}

chain::ActorId miner_param(const Json& value, int position) {
    auto id = chainapi::address_from_json(value);
    if (!id) bad_param(position, "expected an ID address such as \"f01000\"");
    return *id;
}

// A placeholder CID for what the devnet does not compute (state roots, receipts, message
// lists): BLAKE2b-256 of a label and the height.
Json placeholder_cid(std::string_view label, chain::ChainEpoch height) {
    std::vector<std::uint8_t> input(label.begin(), label.end());
    for (int i = 0; i < 8; ++i) input.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(height) >> (8 * i)));
    return chainapi::cid_json(chain::blake2b_256(input));
}

Json beacon_entry(chain::ChainEpoch round, const std::vector<std::uint8_t>& data) {
    return Json{{"Round", round}, {"Data", chainapi::to_base64(data)}};
}

// The tipset a tipset-key param names: the head for [] / null, else a closed canonical tipset.
const chain::Tipset& tipset_param(const DevnetChain& chain, const Json& value, int position) {
    auto key = chainapi::tipset_key_from_json(value);
    if (!key) bad_param(position, "expected a tipset key (an array of CIDs)");
    if (key->empty()) return chain.head();
    const chain::Tipset* tipset = chain.tipset_by_key(*key);
    if (tipset == nullptr) throw RpcError(rpc::error_code::kRequestFailed, "tipset not found");
    return *tipset;
}

std::vector<std::uint8_t> bytes_field(const Json& object, const char* name, const std::string& where) {
    if (!object.is_object() || !object.contains(name) || !object[name].is_string()) {
        throw RpcError(rpc::error_code::kInvalidParams, where + "." + name + ": expected base64 bytes");
    }
    auto bytes = chainapi::from_base64(object[name].get<std::string>());
    if (!bytes) throw RpcError(rpc::error_code::kInvalidParams, where + "." + name + ": invalid base64");
    return *bytes;
}

const Json& field(const Json& object, const char* name, const std::string& where) {
    if (!object.is_object() || !object.contains(name)) {
        throw RpcError(rpc::error_code::kInvalidParams, where + ": missing " + name);
    }
    return object[name];
}

std::int64_t int_field(const Json& object, const char* name, const std::string& where) {
    const Json& value = field(object, name, where);
    if (!value.is_number_integer()) {
        throw RpcError(rpc::error_code::kInvalidParams, where + "." + name + ": expected an integer");
    }
    return value.get<std::int64_t>();
}

// The last beacon entry's data (what the round draws from).
std::vector<std::uint8_t> last_beacon(const Json& entries, const std::string& where) {
    if (!entries.is_array() || entries.empty()) {
        throw RpcError(rpc::error_code::kInvalidParams, where + ": expected at least one beacon entry");
    }
    return bytes_field(entries.back(), "Data", where);
}

std::pair<std::int64_t, std::vector<std::uint8_t>> post_proof(const Json& proofs, const std::string& where) {
    if (!proofs.is_array() || proofs.size() != 1) {
        throw RpcError(rpc::error_code::kInvalidParams, where + ": expected one WinningPoSt proof");
    }
    return {int_field(proofs[0], "PoStProof", where), bytes_field(proofs[0], "ProofBytes", where)};
}

// Lotus names the same block fields differently in a BlockTemplate (MinerCreateBlock) and in a
// BlockHeader (SyncSubmitBlock).
struct BlockFieldNames {
    const char* election_proof;
    const char* beacons;
    const char* epoch;
    const char* post_proof;
};
constexpr BlockFieldNames kTemplateNames{"Eproof", "BeaconValues", "Epoch", "WinningPoStProof"};
constexpr BlockFieldNames kHeaderNames{"ElectionProof", "BeaconEntries", "Height", "WinPoStProof"};

// The fields both shapes carry, read from `object` (named `where` in errors).
BlockTemplate block_fields_from_json(const Json& object, const std::string& where,
                                     const BlockFieldNames& names) {
    BlockTemplate tmpl;
    auto miner = chainapi::address_from_json(field(object, "Miner", where));
    if (!miner) throw RpcError(rpc::error_code::kInvalidParams, where + ".Miner: expected an ID address");
    tmpl.miner = *miner;
    auto parents = chainapi::tipset_key_from_json(field(object, "Parents", where));
    if (!parents || parents->empty()) throw RpcError(rpc::error_code::kInvalidParams, where + ".Parents: expected CIDs");
    tmpl.parents = *parents;
    tmpl.ticket_proof = bytes_field(field(object, "Ticket", where), "VRFProof", where + ".Ticket");
    const std::string eproof_where = where + "." + names.election_proof;
    const Json& eproof = field(object, names.election_proof, where);
    tmpl.win_count = int_field(eproof, "WinCount", eproof_where);
    tmpl.election_proof = bytes_field(eproof, "VRFProof", eproof_where);
    tmpl.beacon_data = last_beacon(field(object, names.beacons, where), where + "." + names.beacons);
    tmpl.epoch = int_field(object, names.epoch, where);
    auto [type, bytes] = post_proof(field(object, names.post_proof, where), where + "." + names.post_proof);
    tmpl.post_proof_type = type;
    tmpl.post_proof = std::move(bytes);
    return tmpl;
}

BlockTemplate template_from_json(const Json& value) {
    const std::string where = "param 0";
    if (!value.is_object()) bad_param(0, "expected a BlockTemplate object");
    BlockTemplate tmpl = block_fields_from_json(value, where, kTemplateNames);
    const Json& messages = field(value, "Messages", where);
    if (!messages.is_null() && !(messages.is_array() && messages.empty())) {
        throw RpcError(rpc::error_code::kRequestFailed, "the devnet has no message pool: Messages must be empty");
    }
    return tmpl;
}

}  // namespace

Json header_json(const DevnetChain& chain, const StoredBlock& block) {
    const chain::BlockHeader& header = block.header;
    Json post = Json::array();
    if (!block.post_proof.empty() || block.post_proof_type != 0) {
        post.push_back({{"PoStProof", block.post_proof_type}, {"ProofBytes", chainapi::to_base64(block.post_proof)}});
    }
    return Json{
        {"Miner", chainapi::address(header.miner)},
        {"Ticket", {{"VRFProof", chainapi::to_base64(block.ticket_proof)}}},
        {"ElectionProof", {{"WinCount", header.win_count}, {"VRFProof", chainapi::to_base64(block.election_proof)}}},
        {"BeaconEntries", Json::array({beacon_entry(header.height, block.beacon_data)})},
        {"WinPoStProof", post},
        {"Parents", chainapi::tipset_key_json(header.parents)},
        {"ParentWeight", math::to_string(header.parent_weight)},
        {"Height", header.height},
        {"ParentStateRoot", placeholder_cid("minerx-devnet-state", header.height)},
        {"ParentMessageReceipts", placeholder_cid("minerx-devnet-receipts", header.height)},
        {"Messages", placeholder_cid("minerx-devnet-messages", header.height)},
        {"BLSAggregate", {{"Type", 2}, {"Data", ""}}},
        {"Timestamp", chain.block_time_ms(header.height) / 1000},
        {"BlockSig", {{"Type", 2}, {"Data", ""}}},
        {"ForkSignaling", 0},
        {"ParentBaseFee", "100"},
    };
}

Json tipset_json(const DevnetChain& chain, const chain::Tipset& tipset) {
    Json blocks = Json::array();
    for (const chain::BlockHeader& header : tipset.blocks()) {
        const StoredBlock* stored = chain.block(header.id);
        if (stored != nullptr) {
            blocks.push_back(header_json(chain, *stored));
        } else {  // genesis
            StoredBlock genesis;
            genesis.header = header;
            blocks.push_back(header_json(chain, genesis));
        }
    }
    return Json{{"Cids", chainapi::tipset_key_json(tipset.key())}, {"Blocks", blocks}, {"Height", tipset.height()}};
}

void register_devnet_methods(rpc::MethodRegistry& registry, DevnetChain& chain, UnixMillisClock clock,
                             AcceptedBlockHook on_accepted) {
    registry.add_typed("Filecoin.ChainHead", Permission::read,
                       [&chain](const Caller&) { return tipset_json(chain, chain.head()); });

    registry.add_typed("Filecoin.ChainGetTipSetByHeight", Permission::read,
                       [&chain](const Caller&, std::int64_t height, std::optional<Json> key) {
                           const chain::Tipset& from = tipset_param(chain, key.value_or(Json()), 1);
                           if (height < 0) bad_param(0, "expected a non-negative height");
                           if (height > from.height()) {
                               throw RpcError(rpc::error_code::kRequestFailed,
                                              "looking for tipset with height greater than start point");
                           }
                           return tipset_json(chain, chain.tipset_at_or_before(height));
                       });

    registry.add_typed("Filecoin.MinerGetBaseInfo", Permission::read,
                       [&chain](const Caller&, const Json& miner_value, std::int64_t round, std::optional<Json> key) {
                           const chain::ActorId miner = miner_param(miner_value, 0);
                           static_cast<void>(tipset_param(chain, key.value_or(Json()), 2));
                           if (round < 1 || round > chain.open_height()) {
                               throw RpcError(rpc::error_code::kRequestFailed,
                                              "round " + std::to_string(round) + " is not open yet (open height " +
                                                  std::to_string(chain.open_height()) + ")");
                           }
                           if (!chain.is_miner(miner)) return Json();  // Lotus: null for a miner without power
                           const BaseInfo info = chain.base_info(miner, round);
                           return Json{
                               {"MinerPower", math::to_string(info.miner_power)},
                               {"NetworkPower", math::to_string(info.network_power)},
                               {"Sectors", Json::array()},
                               {"WorkerKey", chainapi::address(miner)},
                               {"SectorSize", std::int64_t{34359738368}},
                               {"PrevBeaconEntry", beacon_entry(round - 1, info.previous_beacon_data)},
                               {"BeaconEntries", Json::array({beacon_entry(round, info.beacon_data)})},
                               {"EligibleForMining", info.eligible},
                           };
                       });

    registry.add_typed("Filecoin.MinerCreateBlock", Permission::write, [&chain, clock](const Caller&, const Json& value) {
        const BlockTemplate tmpl = template_from_json(value);
        DevnetChain::Created created = chain.create_block(tmpl, clock());
        if (!created.block) throw RpcError(rpc::error_code::kRequestFailed, created.error);
        return Json{{"Header", header_json(chain, *created.block)},
                    {"BlsMessages", Json::array()},
                    {"SecpkMessages", Json::array()}};
    });

    registry.add_typed("Filecoin.SyncSubmitBlock", Permission::write, [&chain, clock, on_accepted](const Caller&, const Json& value) {
        // The header is rebuilt from its fields with the same checks as MinerCreateBlock, so a
        // block edited between the two calls is refused.
        if (!value.is_object()) bad_param(0, "expected a BlockMsg object");
        const Json& header = field(value, "Header", "param 0");
        BlockTemplate tmpl = block_fields_from_json(header, "param 0.Header", kHeaderNames);
        const std::int64_t now = clock();
        DevnetChain::Created created = chain.create_block(tmpl, now);
        if (!created.block) throw RpcError(rpc::error_code::kRequestFailed, created.error);
        if (auto refused = chain.submit_block(*created.block, now)) {
            throw RpcError(rpc::error_code::kRequestFailed, *refused);
        }
        if (on_accepted) on_accepted(tmpl, now);
        return Json::object();
    });

    registry.add_typed("Filecoin.StateMinerPower", Permission::read,
                       [&chain](const Caller&, const Json& miner_value, std::optional<Json> key) {
                           const chain::ActorId miner = miner_param(miner_value, 0);
                           const chain::Tipset& at = tipset_param(chain, key.value_or(Json()), 1);
                           if (!chain.is_miner(miner)) throw RpcError(rpc::error_code::kRequestFailed, "actor not found");
                           const chain::PowerClaim claim = chain.claim_at(miner, at.height());
                           const chain::PowerTotals totals = chain.totals_at(at.height());
                           return Json{
                               {"MinerPower",
                                {{"RawBytePower", math::to_string(claim.raw_byte_power)},
                                 {"QualityAdjPower", math::to_string(claim.quality_adj_power)}}},
                               {"TotalPower",
                                {{"RawBytePower", math::to_string(totals.raw_byte_power)},
                                 {"QualityAdjPower", math::to_string(totals.quality_adj_power)}}},
                               {"HasMinPower", chain.has_min_power_at(miner, at.height())},
                           };
                       });

    registry.add_typed("Filecoin.StateReadState", Permission::read,
                       [&chain](const Caller&, const Json& actor_value, std::optional<Json> key) {
                           const chain::ActorId actor = miner_param(actor_value, 0);
                           const chain::Tipset& at = tipset_param(chain, key.value_or(Json()), 1);
                           if (actor != kRewardActor) {
                               throw RpcError(rpc::error_code::kRequestFailed,
                                              "the devnet serves StateReadState for the reward actor f02 only");
                           }
                           return Json{{"Balance", "0"},
                                       {"Code", placeholder_cid("minerx-devnet-reward-actor", 0)},
                                       {"State", {{"ThisEpochReward", math::to_string(chain.this_epoch_reward(at.height()))}}}};
                       });

    registry.add_typed("Devnet.Info", Permission::none, [&chain](const Caller&) {
        return Json{{"GenesisTimestampMs", chain.timing().genesis_unix_ms},
                    {"EpochMs", chain.timing().epoch_ms},
                    {"PropagationDelayMs", chain.timing().propagation_delay_ms},
                    {"OpenHeight", chain.open_height()},
                    {"Testbed", "minerx devnet: testbed VRF and WinningPoSt stand-ins; no real Filecoin proofs are verified"}};
    });

    registry.add_typed("Devnet.MemberWins", Permission::read, [&chain](const Caller&, std::int64_t from, std::int64_t to) {
        Json out = Json::array();
        for (const MemberWin& win : chain.member_wins(from, to)) {
            out.push_back({{"Miner", chainapi::address(win.miner)}, {"Epoch", win.epoch}, {"WinCount", win.win_count}});
        }
        return out;
    });
}

}  // namespace minerx::devnet
