#pragma once

// The devnet's chain: a local chain node for testbeds. It drives the chain core exactly as the
// simulator's NetworkChain does (sim/engine/network_chain.cpp: PowerTable, RewardState,
// ElectionRoster, ChainTracker), with real time instead of simulated time and no propagation
// delay (everything is on one host):
//   - the scenario's solo miners are background miners: the devnet elects them itself and adds
//     their blocks at each round's cutoff;
//   - the scenario's pool members are miners whose blocks arrive only through SyncSubmitBlock
//     (the pool daemon mines for them); the devnet still runs their elections with the same
//     VRF stand-in, and records every member win, so a testbed can check that each one became a
//     block or a recorded miss;
//   - powers are the scenario's initial powers, fixed for the run (no growth, joins at genesis);
//   - height h closes at cutoff(h + 1) = T(h) + Δ, where T(h) = genesis + h · epoch and Δ is the
//     scenario's propagation delay scaled to the epoch (Δ · epoch / 30 s). A submitted block
//     counts if it arrives before its height closes.
//
// It checks what the testbed schemes can check (proof_backends.h): the VRF proofs, the
// WinCount against its own election, the parents against its head, and the WinningPoSt proof
// against the challenge seed drawn from its beacon. It does not verify real Filecoin proofs or
// signatures. Sans-I/O: the daemon passes wall-clock milliseconds in.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/chain/chain_tracker.h"
#include "core/chain/election_roster.h"
#include "core/chain/power_table.h"
#include "core/chain/reward.h"
#include "core/chain/ticket_stream.h"
#include "runners/chainapi/proof_backends.h"
#include "sim/network/network_plan.h"
#include "sim/scenario/scenario.h"

namespace minerx::devnet {

struct DevnetTiming {
    std::int64_t genesis_unix_ms = 0;  // T(0), a whole second (Lotus timestamps are seconds)
    std::int64_t epoch_ms = 30'000;
    std::int64_t propagation_delay_ms = 6'000;  // real milliseconds (already scaled)
};

// One block as the chain keeps it: the core's header and what Lotus' header carries besides.
struct StoredBlock {
    chain::BlockHeader header;
    std::vector<std::uint8_t> ticket_proof;
    std::vector<std::uint8_t> election_proof;
    std::vector<std::uint8_t> beacon_data;
    std::vector<std::uint8_t> post_proof;
    std::int64_t post_proof_type = 0;
    std::int64_t published_unix_ms = 0;
    bool from_member = false;
};

struct MemberWin {
    chain::ActorId miner = 0;
    chain::ChainEpoch epoch = 0;
    std::int64_t win_count = 0;
};

// What MinerGetBaseInfo reports (the lookback state of the round).
struct BaseInfo {
    chain::StoragePower miner_power = 0;
    chain::StoragePower network_power = 0;
    bool eligible = false;
    std::vector<std::uint8_t> beacon_data;  // the round's beacon entry
    std::vector<std::uint8_t> previous_beacon_data;
};

// A block a member's producer asks the node to create (Lotus BlockTemplate, minus messages).
struct BlockTemplate {
    chain::ActorId miner = 0;
    chain::TipsetKey parents;
    std::vector<std::uint8_t> ticket_proof;
    std::int64_t win_count = 0;
    std::vector<std::uint8_t> election_proof;
    std::vector<std::uint8_t> beacon_data;
    chain::ChainEpoch epoch = 0;
    std::vector<std::uint8_t> post_proof;
    std::int64_t post_proof_type = 0;
};

struct DevnetTotals {
    std::int64_t rounds = 0;
    std::int64_t null_rounds = 0;
    std::int64_t solo_blocks = 0;
    std::int64_t member_blocks_accepted = 0;
    std::int64_t member_blocks_refused = 0;
    std::int64_t member_wins = 0;
};

class DevnetChain {
public:
    DevnetChain(const sim::Scenario& scenario, const sim::NetworkPlan& plan, DevnetTiming timing,
                const chainapi::VrfBackend& vrf, const chainapi::WinningPoStBackend& post);

    const DevnetTiming& timing() const { return timing_; }
    std::int64_t block_time_ms(chain::ChainEpoch height) const {
        return timing_.genesis_unix_ms + height * timing_.epoch_ms;
    }
    // When height round - 1 closes and round opens.
    std::int64_t cutoff_ms(chain::ChainEpoch round) const {
        return block_time_ms(round - 1) + timing_.propagation_delay_ms;
    }

    // At cutoff(round): closes round - 1, advances the reward, elects the solo miners of round
    // (their blocks are in) and records the members' wins. Rounds in order from 1.
    void run_round(chain::ChainEpoch round);
    chain::ChainEpoch open_height() const { return tracker_.open_height(); }

    // ---- the Lotus API's view ----
    const chain::Tipset& head() const { return tracker_.head(); }
    // The canonical tipset at `height`, or the latest before it (Lotus ChainGetTipSetByHeight).
    // REQUIRES: 0 <= height.
    const chain::Tipset& tipset_at_or_before(chain::ChainEpoch height) const;
    // A closed canonical tipset by key.
    const chain::Tipset* tipset_by_key(const chain::TipsetKey& key) const;
    const StoredBlock* block(const chain::BlockId& id) const;
    bool is_miner(chain::ActorId miner) const;
    bool is_member(chain::ActorId miner) const;
    // MinerGetBaseInfo for a round up to the open one. REQUIRES: 1 <= round <= open_height().
    BaseInfo base_info(chain::ActorId miner, chain::ChainEpoch round) const;
    chain::PowerClaim claim_at(chain::ActorId miner, chain::ChainEpoch height) const;
    chain::PowerTotals totals_at(chain::ChainEpoch height) const;
    bool has_min_power_at(chain::ActorId miner, chain::ChainEpoch height) const;
    // ThisEpochReward in the parent state of height-`height` blocks: what each of them earns.
    chain::AttoFil this_epoch_reward(chain::ChainEpoch height) const;
    std::vector<std::uint8_t> beacon(chain::ChainEpoch round) const;

    // MinerCreateBlock: validates the template and returns the block (not yet submitted), or
    // the reason it is refused.
    struct Created {
        std::optional<StoredBlock> block;
        std::string error;
    };
    Created create_block(const BlockTemplate& tmpl, std::int64_t now_unix_ms) const;
    // SyncSubmitBlock: adds a created block to the open height. Error text if refused (invalid,
    // a duplicate, or too late: its height closed).
    std::optional<std::string> submit_block(const StoredBlock& block, std::int64_t now_unix_ms);

    // Every member win the devnet's own elections saw in rounds [from, to].
    std::vector<MemberWin> member_wins(chain::ChainEpoch from, chain::ChainEpoch to) const;
    const DevnetTotals& totals() const { return totals_; }

private:
    void close_previous_height();
    void elect_solo_miners(chain::ChainEpoch round);
    chain::BlockId member_block_id(const BlockTemplate& tmpl) const;

    DevnetTiming timing_;
    const chainapi::VrfBackend& vrf_;
    const chainapi::WinningPoStBackend& post_;
    chain::TicketStream tickets_;
    chain::PowerTable table_;
    std::optional<chain::RewardState> reward_state_;
    std::vector<chain::AttoFil> rewards_;  // ThisEpochReward by height
    chain::ElectionRoster solo_roster_;
    chain::ElectionRoster member_roster_;
    chain::ChainTracker tracker_;
    std::map<chain::ChainEpoch, chain::Tipset> canonical_;  // non-null closed heights
    std::map<chain::BlockId, StoredBlock> blocks_;
    std::map<chain::ActorId, bool> miners_;  // actor -> is a member
    std::vector<MemberWin> member_wins_;      // by epoch
    std::vector<chain::RosterWin> winners_;
    DevnetTotals totals_;
};

}  // namespace minerx::devnet
