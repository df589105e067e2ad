#pragma once

// Smoothed, FPPS-like ("full pay per share": pay each unit of work its expected value; Rosenfeld
// 2011, arXiv:1112.4980 §2.2 describes PPS): the pool pays every eligible member, every epoch,
// the expected reward of its power less the fee, out of a reserve that takes every block the pool
// wins and so absorbs the variance.
//   credit_i(e) = floor((10^6 - fee_ppm) * ThisEpochReward(e) * p_i / (10^6 * P(e)))
// since a miner's expected WinCount per epoch is 5 p/P and each WinCount earns ThisEpochReward/5.
// Eligible members' blocks go 100% to the reserve; a block of a member that does not share is its
// own less floor(award * fee_ppm / 10^6) (reward_policy.h). Tips are not in the credit: they stay
// in the reserve as margin.
//
// Credits are paid from the reserve's vested balance. What it cannot cover becomes the member's
// arrears, repaid oldest first as the reserve vests (SettlementLedger). With a reserve cap,
// vested reserve above the cap is swept to the operator after each epoch's credits. The operator
// may fund the reserve up front (PoolAccounting::reserve_deposited). The operator's risk of ruin
// is observed by the ledger (ReserveRisk: max arrears, epochs in arrears, minimum reserve).

#include <memory>
#include <string_view>
#include <vector>

#include "core/pool/reward_policy.h"

namespace minerx::pool {

class SmoothedPolicy final : public RewardPolicy {
public:
    explicit SmoothedPolicy(SmoothedConfig config);

    std::unique_ptr<RewardPolicy> clone() const override;
    std::string_view name() const override { return "smoothed"; }
    EpochPolicyActions close_epoch(const EpochInput& epoch) override;
    std::vector<Allocation> allocate_block_reward(const BlockInput& block) const override;

    // credit_i for one member (the formula above). REQUIRES: this_epoch_reward >= 0.
    chain::AttoFil expected_credit(chain::AttoFil this_epoch_reward, chain::StoragePower power,
                                   chain::StoragePower network_power) const;

private:
    SmoothedConfig config_;
};

}  // namespace minerx::pool
