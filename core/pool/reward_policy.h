#pragma once

// How a pool shares what its members win: the interface every reward policy implements, each
// policy's configuration, and the rules they share. Formulas, eligibility and the reasons behind
// them: docs/reward-policies.md.
//
// A policy is driven by PoolAccounting once per closed epoch:
//   1. close_epoch(epoch): the policy sees every member's standing at that epoch (lookback power,
//      mining eligibility, whether membership lets it share) and may accrue state (PPLNS shares)
//      or return credits the reserve owes (smoothed);
//   2. allocate_block_reward(block), for each block the pool won in that epoch: who gets which
//      attoFIL of the award. The allocations sum exactly to the award, are listed in Beneficiary
//      order and go to the settlement ledger, which applies the chain's vesting to them.
//
// Rules every policy follows:
//   - Fee: floor(award * fee_ppm / 10^6) attoFIL to the operator (solo has none). The smoothed
//     policy takes its fee on credits instead.
//   - A member shares (is eligible) at an epoch when membership says so (warmed up, no leave
//     requested) and it can mine: Lotus' EligibleForMining holds at the lookback. A member that
//     cannot mine only because its power is under the consensus minimum (10 TiB raw) still shares
//     under BelowMinimumRule::include (the pool subsidises it: its power, which can win nothing
//     on chain, still earns a share). Any other ineligibility (fee debt, a consensus-fault
//     ineligibility period, no claim) never shares.
//   - A block won by a member that does not share (warming up, cooling down) is the winner's,
//     less the fee, as under winner-takes-all: such a member's power is outside the pool in both
//     directions, so joining and leaving neither take from nor give to the others.
//   - Money with no eligible weight to go to (every sharing member has zero power, or the PPLNS
//     window is not full) goes to the reserve.
//
// Interface choice: a small virtual interface rather than a std::variant. Each policy is a state
// machine with its own state (a share window, nothing at all), called a few times per epoch, so
// dispatch cost is nil; one header per policy stays self-contained (a variant of the policies here
// would need every policy header, which need this one); and a designer adds a policy without
// editing a central list. Configurations, which scenarios name, are a closed std::variant.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"
#include "core/pool/apportion.h"
#include "core/pool/pool_types.h"
#include "core/pool/settlement_ledger.h"
#include "core/util/limits.h"

namespace minerx::pool {

enum class BelowMinimumRule : std::uint8_t {
    exclude,  // default: power under the consensus minimum does not share
    include,  // the pool subsidises it: it shares like any other power
};

// A member's mining eligibility at the lookback, as Lotus' MinerEligibleToMine decides it
// (lotus:chain/stmgr/actors.go; research/election.md §3.5): `eligible` is Lotus'
// EligibleForMining; the other two say why not, since only the consensus minimum is the pool's
// choice (BelowMinimumRule).
enum class MiningEligibility : std::uint8_t {
    ineligible,     // fee debt, a consensus-fault ineligibility period, no claim (slashed), ...;
                    // also the value when several reasons apply
    below_minimum,  // eligible but for its power under the consensus minimum
    eligible,       // EligibleForMining: it can win
};

// PPLNS share units are power x time: one TiB of eligible power for one epoch is one TiB-epoch.
// The default window is one day of a 10 PiB pool (the incubator's scale): 10,240 TiB x 2,880
// epochs. At the mid-2021 network power of 5.4 EiB a TiB-epoch wins 5 / (5.4 x 2^20) WinCount,
// so about 26 blocks' worth of shares fit in the window, whatever the pool's size; a pool of
// P TiB fills it in 29,491,200 / P epochs.
inline constexpr std::int64_t kDefaultPplnsWindowTibEpochs = 10'240 * chain::kEpochsPerDay;
// 100 years of a 1 ZiB pool: 2^30 TiB x util::kMaxConfiguredEpochs, about 2^56.7. The window in
// byte-epochs (x 2^40) then stays below 2^97, so share sums fit 128 bits with a wide margin.
inline constexpr std::int64_t kMaxPplnsWindowTibEpochs =
    (std::int64_t{1} << 30) * util::kMaxConfiguredEpochs;

struct SoloConfig {};
struct WinnerTakesAllConfig {
    PartsPerMillion fee_ppm = 0;
};
struct PowerProportionalConfig {
    PartsPerMillion fee_ppm = 0;
    BelowMinimumRule below_minimum = BelowMinimumRule::exclude;
};
struct PplnsConfig {
    PartsPerMillion fee_ppm = 0;
    BelowMinimumRule below_minimum = BelowMinimumRule::exclude;
    // W: the last W TiB-epochs of shares are paid by each block. [1, kMaxPplnsWindowTibEpochs].
    std::int64_t window_tib_epochs = kDefaultPplnsWindowTibEpochs;
};
struct SmoothedConfig {
    PartsPerMillion fee_ppm = 0;
    BelowMinimumRule below_minimum = BelowMinimumRule::exclude;
    std::optional<chain::AttoFil> reserve_cap;  // vested reserve above it goes to the operator
};

using RewardPolicyConfig = std::variant<SoloConfig, WinnerTakesAllConfig, PowerProportionalConfig,
                                        PplnsConfig, SmoothedConfig>;

// A member's standing at one epoch, as PoolAccounting assembles it.
struct MemberStanding {
    MemberId member = 0;
    chain::StoragePower power = 0;  // the member's lookback (quality-adjusted) power
    MiningEligibility eligibility = MiningEligibility::ineligible;  // at the lookback
    bool sharing = false;           // membership: warmed up and not leaving
};

struct EpochInput {
    chain::ChainEpoch epoch = 0;
    std::span<const MemberStanding> members;  // every member (not departed), ascending
    chain::StoragePower network_power = 0;    // the election's network power at the lookback
    chain::AttoFil this_epoch_reward = 0;     // the reward actor's ThisEpochReward
};

struct BlockInput {
    chain::ChainEpoch epoch = 0;
    MemberId winner = 0;
    chain::AttoFil award = 0;  // block reward + tips, what the winner's miner actor received
    std::span<const MemberStanding> members;  // as in the same epoch's EpochInput
};

// What the ledger must do for the policy at the end of an epoch.
struct EpochPolicyActions {
    std::vector<MemberCredit> credits_from_reserve;        // ascending members
    // How the credits were formed: credits_from_reserve[i].amount ==
    // floor(credit_rate.numerator * credit_weights[i] / credit_rate.denominator). Weights (the
    // smoothed policy's powers) change rarely while amounts change every epoch, so the ledger
    // keeps unfunded credits as weights (SettlementLedger). Empty: the amounts are the weights.
    CreditRate credit_rate;
    std::vector<math::Uint128> credit_weights;
    std::optional<chain::AttoFil> sweep_reserve_above;     // after the credits
};

class RewardPolicy {
public:
    virtual ~RewardPolicy() = default;

    virtual std::unique_ptr<RewardPolicy> clone() const = 0;
    virtual std::string_view name() const = 0;

    // Once per epoch, epochs consecutive, before that epoch's blocks are allocated.
    virtual EpochPolicyActions close_epoch(const EpochInput& epoch) = 0;

    // Allocations of one block award: ascending Beneficiary, amounts >= 0, sum == award.
    // REQUIRES: block.epoch is the epoch last passed to close_epoch; award >= 0.
    virtual std::vector<Allocation> allocate_block_reward(const BlockInput& block) const = 0;

    // Whether the policy still holds unpaid claims of the member that later blocks will pay
    // (PPLNS shares inside the window). PoolAccounting settles a leaver's account only once this
    // is false, so that settlement never drops shares still to be paid.
    virtual bool holds_shares(MemberId member) const {
        static_cast<void>(member);
        return false;
    }

    // The member's account has settled (it departed): drop any state kept for it.
    virtual void forget_member(MemberId member) { static_cast<void>(member); }

protected:
    RewardPolicy() = default;
    RewardPolicy(const RewardPolicy&) = default;
    RewardPolicy& operator=(const RewardPolicy&) = default;
};

// A description of what is wrong with the configuration, or nullopt if it is usable.
std::optional<std::string> reward_policy_config_error(const RewardPolicyConfig& config);

// REQUIRES: reward_policy_config_error(config) is nullopt.
std::unique_ptr<RewardPolicy> make_reward_policy(const RewardPolicyConfig& config);

// --- Rules shared by the policies ---

struct FeeSplit {
    chain::AttoFil fee = 0;  // floor(award * fee_ppm / 10^6)
    chain::AttoFil net = 0;  // award - fee
};
// REQUIRES: 0 <= award <= total supply; 0 <= fee_ppm <= 10^6.
FeeSplit take_fee(chain::AttoFil award, PartsPerMillion fee_ppm);

// Whether the standing's power shares under the rule: sharing (membership), and eligible for
// mining, or ineligible only by the consensus minimum under BelowMinimumRule::include.
bool is_eligible(const MemberStanding& standing, BelowMinimumRule rule);

// The standing of `member`, or nullptr. REQUIRES: members ascending.
const MemberStanding* find_standing(std::span<const MemberStanding> members, MemberId member);

// [winner: award - fee, operator: fee], zero amounts left out.
std::vector<Allocation> allocate_to_winner(MemberId winner, chain::AttoFil award,
                                           PartsPerMillion fee_ppm);

// [members: apportion(net, weights) ..., operator: fee]; the net goes to the reserve instead when
// the weights sum to zero. Zero amounts left out. REQUIRES: weights strictly ascending members.
std::vector<Allocation> allocate_by_weight(std::span<const MemberWeight> weights,
                                           const FeeSplit& split);

}  // namespace minerx::pool
