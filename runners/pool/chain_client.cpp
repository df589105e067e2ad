#include "runners/pool/chain_client.h"

#include "runners/chainapi/lotus_json.h"

namespace minerx::pool_daemon {
namespace {

const Json& member(const Json& object, const char* name, const char* what) {
    if (!object.is_object() || !object.contains(name)) {
        throw ChainError(std::string("chain node: ") + what + " without " + name);
    }
    return object[name];
}

}  // namespace

TipsetView ChainClient::parse_tipset(const Json& value) {
    TipsetView view;
    const Json& height = member(value, "Height", "tipset");
    if (!height.is_number_integer()) throw ChainError("chain node: tipset Height is not an integer");
    view.height = height.get<chain::ChainEpoch>();
    auto key = chainapi::tipset_key_from_json(member(value, "Cids", "tipset"));
    if (!key) throw ChainError("chain node: tipset Cids malformed");
    view.key = std::move(*key);
    const Json& blocks = member(value, "Blocks", "tipset");
    if (!blocks.is_array() || blocks.empty()) throw ChainError("chain node: tipset without blocks");
    for (const Json& block : blocks) {
        auto miner = chainapi::address_from_json(member(block, "Miner", "block"));
        if (!miner) throw ChainError("chain node: block Miner is not an ID address");
        view.miners.push_back(*miner);
    }
    auto parents = chainapi::tipset_key_from_json(member(blocks[0], "Parents", "block"));
    if (!parents) throw ChainError("chain node: block Parents malformed");
    view.parents = std::move(*parents);
    auto weight = chainapi::power_from_json(member(blocks[0], "ParentWeight", "block"));
    if (!weight) throw ChainError("chain node: block ParentWeight malformed");
    view.parent_weight = *weight;
    const Json& timestamp = member(blocks[0], "Timestamp", "block");
    view.timestamp_s = timestamp.is_number_integer() ? timestamp.get<std::int64_t>() : 0;
    return view;
}

TipsetView ChainClient::head() { return parse_tipset(transport_("Filecoin.ChainHead", Json::array())); }

TipsetView ChainClient::tipset_by_height(chain::ChainEpoch height) {
    return parse_tipset(transport_("Filecoin.ChainGetTipSetByHeight", Json::array({height, Json::array()})));
}

std::optional<MinerBase> ChainClient::base_info(chain::ActorId miner, chain::ChainEpoch round,
                                                const chain::TipsetKey& base) {
    const Json value = transport_("Filecoin.MinerGetBaseInfo",
                                  Json::array({chainapi::address(miner), round, chainapi::tipset_key_json(base)}));
    if (value.is_null()) return std::nullopt;
    MinerBase info;
    auto miner_power = chainapi::power_from_json(member(value, "MinerPower", "base info"));
    auto network_power = chainapi::power_from_json(member(value, "NetworkPower", "base info"));
    const Json& eligible = member(value, "EligibleForMining", "base info");
    if (!miner_power || !network_power || !eligible.is_boolean()) throw ChainError("chain node: base info malformed");
    info.miner_power = *miner_power;
    info.network_power = *network_power;
    info.eligible = eligible.get<bool>();
    const Json& entries = member(value, "BeaconEntries", "base info");
    const Json& entry = entries.is_array() && !entries.empty() ? entries.back() : member(value, "PrevBeaconEntry", "base info");
    auto data = entry.is_object() && entry.contains("Data") && entry["Data"].is_string()
                    ? chainapi::from_base64(entry["Data"].get<std::string>())
                    : std::nullopt;
    if (!data) throw ChainError("chain node: beacon entry malformed");
    info.beacon_data = std::move(*data);
    info.beacon_round = entry.value("Round", std::int64_t{0});
    return info;
}

chain::AttoFil ChainClient::this_epoch_reward(const chain::TipsetKey& at) {
    const Json value = transport_("Filecoin.StateReadState", Json::array({"f02", chainapi::tipset_key_json(at)}));
    auto reward = chainapi::attofil_from_json(member(member(value, "State", "reward actor"), "ThisEpochReward", "reward state"));
    if (!reward) throw ChainError("chain node: ThisEpochReward malformed");
    return *reward;
}

void ChainClient::create_and_submit(const Json& block_template) {
    const Json block = transport_("Filecoin.MinerCreateBlock", Json::array({block_template}));
    transport_("Filecoin.SyncSubmitBlock", Json::array({block}));
}

}  // namespace minerx::pool_daemon
