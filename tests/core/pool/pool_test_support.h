#pragma once

// Helpers shared by the pool accounting tests: the five policies, Lotus-exact election draws for
// simulated members, and the checks every ledger must pass.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/reward.h"
#include "core/chain/win_thresholds.h"
#include "core/math/uint256.h"
#include "core/pool/pool_accounting.h"
#include "core/util/random.h"

namespace minerx::pool::testing {

struct NamedPolicy {
    std::string name;
    RewardPolicyConfig config;
    bool shares = false;  // power_proportional, pplns, smoothed
};

inline std::vector<NamedPolicy> every_policy(PartsPerMillion fee_ppm,
                                             std::int64_t pplns_window_tib_epochs,
                                             BelowMinimumRule rule = BelowMinimumRule::exclude) {
    return {
        {"solo", SoloConfig{}, false},
        {"winner_takes_all", WinnerTakesAllConfig{.fee_ppm = fee_ppm}, false},
        {"power_proportional", PowerProportionalConfig{.fee_ppm = fee_ppm, .below_minimum = rule},
         true},
        {"pplns",
         PplnsConfig{.fee_ppm = fee_ppm, .below_minimum = rule,
                     .window_tib_epochs = pplns_window_tib_epochs},
         true},
        {"smoothed",
         SmoothedConfig{.fee_ppm = fee_ppm, .below_minimum = rule, .reserve_cap = std::nullopt},
         true},
    };
}

inline math::Uint256 random_ticket(util::Random& random) {
    math::Uint256 ticket;
    for (auto& word : ticket.words) word = random.next_u64();
    return ticket;
}

// A member whose wins are drawn with the chain's own election (WinThresholds is bit-exact with
// Lotus' ComputeWinCount) on uniformly random tickets.
struct ElectedMember {
    MemberId member = 0;
    chain::StoragePower power = 0;
    chain::WinThresholds thresholds;

    ElectedMember(MemberId id, chain::StoragePower member_power, chain::StoragePower network_power)
        : member(id), power(member_power), thresholds(member_power, network_power) {}

    std::int64_t draw_win_count(util::Random& random) const {
        return thresholds.win_count(random_ticket(random));
    }
};

// The invariant and the per-account sanity every ledger state must satisfy.
inline void expect_sound(const PoolAccounting& pool, const std::string& where) {
    const LedgerInvariant invariant = pool.ledger().check_invariant();
    ASSERT_TRUE(invariant.accounts_consistent) << where;
    ASSERT_EQ(invariant.money_held, invariant.money_received) << where;
}

}  // namespace minerx::pool::testing
