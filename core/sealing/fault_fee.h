#pragma once

// The continued-fault fee of a faulty sector, as an input to WindowPoStSchedule.
//
// specs-actors v5 actors/builtin/miner/monies.go: at each deadline close, the sectors of that
// deadline that were already faulty pay PledgePenaltyForContinuedFault = BR(t, 3.51 days) =
// ExpectedRewardForPower(reward estimate, network QA power estimate, faulty QA power,
// ContinuedFaultProjectionPeriod = 2880 * 351 / 100 = 10108 epochs). The estimates are the reward
// and power actors' alpha-beta filters (position and velocity); BR integrates their ratio over the
// projection period. With steady estimates (velocity 0) this reduces to
//     fee = floor(epoch_reward * qa_power * 10108 / network_qa_power),
// which this function computes exactly. It is an estimate of the actors' value: they use the
// smoothed (not the current) reward and power, Q.128 fixed point, and the deadline's total faulty
// power rather than a per-sector amount (a per-sector fee times the sector count can differ by
// less than one attoFIL per sector).

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"

namespace minerx::sealing {

inline constexpr chain::ChainEpoch kContinuedFaultProjectionPeriod =
    chain::kEpochsPerDay * 351 / 100;
static_assert(kContinuedFaultProjectionPeriod == 10108);

// REQUIRES: epoch_reward >= 0; the result fits in AttoFil (asserted). A zero network power
// returns epoch_reward, as ExpectedRewardForPower does.
chain::AttoFil continued_fault_fee_estimate(chain::AttoFil epoch_reward,
                                            chain::StoragePower network_qa_power,
                                            chain::StoragePower qa_power);

}  // namespace minerx::sealing
