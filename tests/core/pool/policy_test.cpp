// Each reward policy's formula on small hand-computed cases: fee floors, remainders, who is
// eligible (membership, the consensus minimum both ways, other ineligibility never), the PPLNS
// window of share units and its boundary, smoothed credits.

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/pool/policies/power_proportional.h"
#include "core/pool/policies/pplns.h"
#include "core/pool/policies/smoothed.h"
#include "core/pool/policies/solo.h"
#include "core/pool/policies/winner_takes_all.h"
#include "core/pool/reward_policy.h"

namespace minerx::pool {
namespace {

using chain::AttoFil;
using chain::ChainEpoch;
using chain::StoragePower;

constexpr MemberId kA = 1;
constexpr MemberId kB = 2;
constexpr MemberId kC = 3;
constexpr Beneficiary kOperator = Beneficiary::pool_operator();
constexpr Beneficiary kReserve = Beneficiary::reserve();
constexpr StoragePower kTiB = StoragePower{1} << 40;

MemberStanding sharing(MemberId member, StoragePower power, bool meets_minimum = true) {
    return {.member = member,
            .power = power,
            .eligibility = meets_minimum ? MiningEligibility::eligible
                                         : MiningEligibility::below_minimum,
            .sharing = true};
}
MemberStanding not_sharing(MemberId member, StoragePower power) {
    return {.member = member,
            .power = power,
            .eligibility = MiningEligibility::eligible,
            .sharing = false};
}
// Sharing by membership, but unable to mine for a reason other than the minimum (fee debt, a
// consensus-fault ineligibility period).
MemberStanding ineligible(MemberId member, StoragePower power) {
    return {.member = member,
            .power = power,
            .eligibility = MiningEligibility::ineligible,
            .sharing = true};
}
Allocation to(MemberId member, AttoFil amount) {
    return {.beneficiary = Beneficiary::of_member(member), .amount = amount};
}

std::vector<Allocation> allocate(const RewardPolicy& policy, MemberId winner, AttoFil award,
                                 const std::vector<MemberStanding>& members,
                                 ChainEpoch epoch = 0) {
    return policy.allocate_block_reward(
        {.epoch = epoch, .winner = winner, .award = award, .members = members});
}

EpochPolicyActions close(RewardPolicy& policy, ChainEpoch epoch,
                         const std::vector<MemberStanding>& members,
                         StoragePower network_power = 0, AttoFil this_epoch_reward = 0) {
    return policy.close_epoch({.epoch = epoch,
                               .members = members,
                               .network_power = network_power,
                               .this_epoch_reward = this_epoch_reward});
}

TEST(PolicyFee, IsTheFloorOfTheAwardTimesTheRate) {
    EXPECT_EQ(take_fee(1'000'003, 50'000).fee, 50'000);  // 5% of 1000003 = 50000.15
    EXPECT_EQ(take_fee(1'000'003, 50'000).net, 950'003);
    EXPECT_EQ(take_fee(19, 100'000).fee, 1);             // 1.9
    EXPECT_EQ(take_fee(9, 100'000).fee, 0);              // 0.9
    EXPECT_EQ(take_fee(777, kOneMillion).fee, 777);
    EXPECT_EQ(take_fee(777, 0).fee, 0);
    EXPECT_EQ(take_fee(chain::kTotalFilSupply, 999'999).net, chain::kTotalFilSupply / kOneMillion);
}

TEST(PolicyConfig, RejectsOutOfRangeSettingsWithAReason) {
    EXPECT_FALSE(reward_policy_config_error(SoloConfig{}).has_value());
    EXPECT_FALSE(reward_policy_config_error(PplnsConfig{}).has_value());
    EXPECT_TRUE(reward_policy_config_error(WinnerTakesAllConfig{.fee_ppm = -1}).has_value());
    const auto too_high = reward_policy_config_error(PowerProportionalConfig{.fee_ppm = 1'000'001});
    ASSERT_TRUE(too_high.has_value());
    EXPECT_NE(too_high->find("1000001"), std::string::npos);
    EXPECT_TRUE(reward_policy_config_error(PplnsConfig{.window_tib_epochs = 0}).has_value());
    EXPECT_FALSE(
        reward_policy_config_error(PplnsConfig{.window_tib_epochs = kMaxPplnsWindowTibEpochs})
            .has_value());
    const auto huge = reward_policy_config_error(
        PplnsConfig{.window_tib_epochs = std::numeric_limits<std::int64_t>::max()});
    ASSERT_TRUE(huge.has_value());
    EXPECT_NE(huge->find("window_tib_epochs"), std::string::npos);
    EXPECT_TRUE(reward_policy_config_error(SmoothedConfig{.reserve_cap = -5}).has_value());
    EXPECT_EQ(make_reward_policy(SmoothedConfig{})->name(), "smoothed");
    EXPECT_EQ(make_reward_policy(PplnsConfig{})->name(), "pplns");
}

TEST(PolicySolo, TheWinnerTakesEverythingWithoutAFee) {
    SoloPolicy policy;
    const std::vector<MemberStanding> members = {sharing(kA, 10), not_sharing(kB, 20)};
    EXPECT_EQ(allocate(policy, kB, 1001, members), (std::vector<Allocation>{to(kB, 1001)}));
    EXPECT_EQ(allocate(policy, kA, 1001, members), (std::vector<Allocation>{to(kA, 1001)}));
    EXPECT_TRUE(close(policy, 0, members, 100, 1000).credits_from_reserve.empty());
}

TEST(PolicyWinnerTakesAll, TheWinnerGetsTheAwardLessTheFlooredFee) {
    WinnerTakesAllPolicy policy({.fee_ppm = 50'000});
    const std::vector<MemberStanding> members = {sharing(kA, 10), sharing(kB, 20)};
    EXPECT_EQ(allocate(policy, kA, 1'000'003, members),
              (std::vector<Allocation>{to(kA, 950'003), {kOperator, 50'000}}));
    // Under 20 attoFIL the 5% fee floors to zero and no operator allocation is listed.
    EXPECT_EQ(allocate(policy, kB, 19, members), (std::vector<Allocation>{to(kB, 19)}));
}

// Powers 3:2:1, award 1000, fee 10%: fee 100, net 900 -> 450, 300, 150.
TEST(PolicyPowerProportional, SplitsTheNetByEligiblePower) {
    PowerProportionalPolicy policy({.fee_ppm = 100'000});
    const std::vector<MemberStanding> members = {sharing(kA, 30), sharing(kB, 20),
                                                 sharing(kC, 10)};
    EXPECT_EQ(allocate(policy, kC, 1000, members),
              (std::vector<Allocation>{to(kA, 450), to(kB, 300), to(kC, 150), {kOperator, 100}}));
}

// 1001 over three equal powers: 333 each and two leftover attoFIL to the lowest ids.
TEST(PolicyPowerProportional, RemaindersGoByLargestRemainderThenLowestId) {
    PowerProportionalPolicy policy({});
    const std::vector<MemberStanding> members = {sharing(kA, 7), sharing(kB, 7), sharing(kC, 7)};
    EXPECT_EQ(allocate(policy, kB, 1001, members),
              (std::vector<Allocation>{to(kA, 334), to(kB, 334), to(kC, 333)}));
}

// C is under the consensus minimum. Excluded (default): 900 splits 3:2 -> 540, 360. Included: the
// pool subsidises C's power, 450, 300, 150.
TEST(PolicyPowerProportional, BelowMinimumRuleBothWays) {
    const std::vector<MemberStanding> members = {sharing(kA, 30), sharing(kB, 20),
                                                 sharing(kC, 10, /*meets_minimum=*/false)};
    PowerProportionalPolicy excluding({.fee_ppm = 100'000});
    EXPECT_EQ(allocate(excluding, kA, 1000, members),
              (std::vector<Allocation>{to(kA, 540), to(kB, 360), {kOperator, 100}}));
    PowerProportionalPolicy including(
        {.fee_ppm = 100'000, .below_minimum = BelowMinimumRule::include});
    EXPECT_EQ(allocate(including, kA, 1000, members),
              (std::vector<Allocation>{to(kA, 450), to(kB, 300), to(kC, 150), {kOperator, 100}}));
}

// Fee debt or a consensus fault is not the pool's choice: such a member shares under neither rule.
TEST(PolicyPowerProportional, OtherIneligibilityNeverShares) {
    const std::vector<MemberStanding> members = {sharing(kA, 30), sharing(kB, 20),
                                                 ineligible(kC, 10)};
    for (BelowMinimumRule rule : {BelowMinimumRule::exclude, BelowMinimumRule::include}) {
        PowerProportionalPolicy policy({.fee_ppm = 100'000, .below_minimum = rule});
        EXPECT_EQ(allocate(policy, kA, 1000, members),
                  (std::vector<Allocation>{to(kA, 540), to(kB, 360), {kOperator, 100}}));
    }
}

TEST(PolicyPowerProportional, NonSharingMembersNeitherGiveNorTake) {
    PowerProportionalPolicy policy({.fee_ppm = 100'000});
    const std::vector<MemberStanding> members = {sharing(kA, 30), not_sharing(kB, 20),
                                                 sharing(kC, 10)};
    // B (warming up or leaving) gets no part of A's block ...
    EXPECT_EQ(allocate(policy, kA, 1000, members),
              (std::vector<Allocation>{to(kA, 675), to(kC, 225), {kOperator, 100}}));
    // ... and keeps its own, less the fee.
    EXPECT_EQ(allocate(policy, kB, 1000, members),
              (std::vector<Allocation>{to(kB, 900), {kOperator, 100}}));
}

TEST(PolicyPowerProportional, NetWithoutEligibleWeightGoesToTheReserve) {
    PowerProportionalPolicy policy(
        {.fee_ppm = 100'000, .below_minimum = BelowMinimumRule::include});
    const std::vector<MemberStanding> members = {sharing(kA, 0, false), not_sharing(kB, 20)};
    EXPECT_EQ(allocate(policy, kA, 1000, members),
              (std::vector<Allocation>{{kOperator, 100}, {kReserve, 900}}));
}

// Window W = 50 TiB-epochs. A accrues 10 TiB per epoch from epoch 1, B 20 TiB at epoch 3 only.
// The window holds the last 50 units of shares, whatever the epochs: at epoch 3 it is exactly
// full (A 30, B 20); at epoch 4 epoch 1 leaves (A 30, B 20 again); at epoch 5 epoch 2; at epoch 6
// the last 50 units reach 20 of epoch 3's 30 units, so A and B keep 2/3 of their epoch-3 shares:
// A 30 + 10 * 2/3, B 20 * 2/3. Epoch 3 leaves completely at epoch 8.
TEST(PolicyPplns, PaysTheLastWUnitsOfPowerTimeTheOldestEpochPartly) {
    PplnsPolicy policy({.fee_ppm = 0, .window_tib_epochs = 50});
    close(policy, 1, {sharing(kA, 10 * kTiB)});
    close(policy, 2, {sharing(kA, 10 * kTiB), not_sharing(kB, 20 * kTiB)});
    close(policy, 3, {sharing(kA, 10 * kTiB), sharing(kB, 20 * kTiB)});
    EXPECT_EQ(policy.window_share_units(kA), 30 * kTiB);
    EXPECT_EQ(policy.window_share_units(kB), 20 * kTiB);
    const std::vector<MemberStanding> at_three = {sharing(kA, 10 * kTiB), sharing(kB, 20 * kTiB)};
    EXPECT_EQ(allocate(policy, kA, 500, at_three, 3),
              (std::vector<Allocation>{to(kA, 300), to(kB, 200)}));
    // B no longer accrues but keeps its epoch-3 shares.
    const std::vector<MemberStanding> later = {sharing(kA, 10 * kTiB), not_sharing(kB, 20 * kTiB)};
    close(policy, 4, later);
    EXPECT_EQ(policy.window_share_units(kA), 30 * kTiB);
    EXPECT_EQ(policy.window_share_units(kB), 20 * kTiB);
    EXPECT_EQ(allocate(policy, kA, 500, later, 4),
              (std::vector<Allocation>{to(kA, 300), to(kB, 200)}));
    close(policy, 5, later);
    EXPECT_EQ(policy.window_share_units(kB), 20 * kTiB);
    close(policy, 6, later);
    EXPECT_EQ(policy.held_units(), 60 * kTiB);  // epochs 3-6; the window reaches into epoch 3
    EXPECT_EQ(policy.window_share_units(kA), 30 * kTiB + 10 * kTiB * 20 / 30);
    EXPECT_EQ(policy.window_share_units(kB), 20 * kTiB * 20 / 30);
    // 500 x (36.67, 13.33) / 50: 366.67 and 133.33; the byte-epoch lost to the floors (weight 1
    // of 50 x 2^40) goes to the reserve, which gets nothing of 500.
    EXPECT_EQ(allocate(policy, kA, 500, later, 6),
              (std::vector<Allocation>{to(kA, 367), to(kB, 133)}));
    close(policy, 7, later);
    EXPECT_EQ(policy.window_share_units(kB), 20 * kTiB * 10 / 30);
    EXPECT_TRUE(policy.holds_shares(kB));
    close(policy, 8, later);
    EXPECT_EQ(policy.window_share_units(kB), 0);
    EXPECT_FALSE(policy.holds_shares(kB));
    EXPECT_EQ(allocate(policy, kA, 500, later, 8), (std::vector<Allocation>{to(kA, 500)}));
}

// Until the pool has contributed W units, each block pays only the units there are, per W; the
// rest goes to the reserve (those shares would have been paid by earlier blocks).
TEST(PolicyPplns, AWindowNotYetFullPaysTheReserveTheRest) {
    PplnsPolicy policy({.fee_ppm = 100'000, .window_tib_epochs = 100});
    close(policy, 0, {sharing(kA, 10 * kTiB), sharing(kB, 30 * kTiB)});
    // net 900: A 900 x 10/100 = 90, B 270, reserve 540.
    EXPECT_EQ(allocate(policy, kB, 1000, {sharing(kA, 10 * kTiB), sharing(kB, 30 * kTiB)}, 0),
              (std::vector<Allocation>{to(kA, 90), to(kB, 270), {kOperator, 100},
                                       {kReserve, 540}}));
}

// W = 24 TiB-epochs. Epochs 10-13: A 5, 5, 1, 1 and B 1, 1, 1, 9 TiB: exactly 24 units, A 12,
// B 12. Epoch 14 (A 1, B 9) adds 10: epoch 10 (6 units) leaves and 2 of epoch 11's 6 units stay
// inside, shared by power 5:1: A 3 + 5 x 2/6 = 4.67, B 19 + 1 x 2/6 = 19.33.
TEST(PolicyPplns, PowerChangesAreWeightedByTheUnitsAtEachPower) {
    PplnsPolicy policy({.fee_ppm = 200'000, .window_tib_epochs = 24});
    close(policy, 10, {sharing(kA, 5 * kTiB), sharing(kB, 1 * kTiB)});
    close(policy, 11, {sharing(kA, 5 * kTiB), sharing(kB, 1 * kTiB)});
    close(policy, 12, {sharing(kA, 1 * kTiB), sharing(kB, 1 * kTiB)});
    close(policy, 13, {sharing(kA, 1 * kTiB), sharing(kB, 9 * kTiB)});
    EXPECT_EQ(policy.window_share_units(kA), 12 * kTiB);
    EXPECT_EQ(policy.window_share_units(kB), 12 * kTiB);
    close(policy, 14, {sharing(kA, 1 * kTiB), sharing(kB, 9 * kTiB)});
    EXPECT_EQ(policy.window_share_units(kA), 3 * kTiB + 5 * kTiB * 2 / 6);
    EXPECT_EQ(policy.window_share_units(kB), 19 * kTiB + 1 * kTiB * 2 / 6);
    // 1000, fee 200, net 800 over 4.67:19.33 of 24 -> 155.56, 644.44 -> 156 (larger remainder),
    // 644.
    const std::vector<MemberStanding> members = {sharing(kA, 1 * kTiB), sharing(kB, 9 * kTiB)};
    EXPECT_EQ(allocate(policy, kB, 1000, members, 14),
              (std::vector<Allocation>{to(kA, 156), to(kB, 644), {kOperator, 200}}));
}

// W = 30 TiB-epochs, three epochs of A 10 TiB and B 4 TiB under the minimum. Excluded, A's 30
// units fill the window alone. Included, 42 units: epoch 0 keeps 2 of its 14, so A has
// 20 + 10/7 and B 8 + 4/7 of 30: 700 splits 500 / 200.
TEST(PolicyPplns, BelowMinimumPowerAccruesOnlyWhenIncluded) {
    const std::vector<MemberStanding> members = {sharing(kA, 10 * kTiB),
                                                 sharing(kB, 4 * kTiB, false)};
    PplnsPolicy excluding({.window_tib_epochs = 30});
    PplnsPolicy including({.below_minimum = BelowMinimumRule::include, .window_tib_epochs = 30});
    for (ChainEpoch epoch = 0; epoch < 3; ++epoch) {
        close(excluding, epoch, members);
        close(including, epoch, members);
    }
    EXPECT_EQ(excluding.window_share_units(kB), 0);
    EXPECT_EQ(including.window_share_units(kB), 8 * kTiB + 4 * kTiB * 2 / 14);
    EXPECT_EQ(allocate(excluding, kA, 700, members, 2), (std::vector<Allocation>{to(kA, 700)}));
    EXPECT_EQ(allocate(including, kA, 700, members, 2),
              (std::vector<Allocation>{to(kA, 500), to(kB, 200)}));
}

TEST(PolicyPplns, OtherIneligibilityNeverAccrues) {
    PplnsPolicy policy({.below_minimum = BelowMinimumRule::include, .window_tib_epochs = 20});
    close(policy, 0, {sharing(kA, 10 * kTiB), ineligible(kB, 10 * kTiB)});
    EXPECT_FALSE(policy.holds_shares(kB));
    close(policy, 1, {sharing(kA, 10 * kTiB), ineligible(kB, 10 * kTiB)});
    // B cannot win, so it does not share even its own block: it is the winner's less the fee.
    EXPECT_EQ(allocate(policy, kB, 100, {sharing(kA, 10 * kTiB), ineligible(kB, 10 * kTiB)}, 1),
              (std::vector<Allocation>{to(kB, 100)}));
}

// A member that stops sharing keeps its shares until they leave the window (holds_shares), which
// is when PoolAccounting settles it. Forgetting a member anyway sends its part to the reserve: its
// units stay in the window, so nobody else's part grows.
TEST(PolicyPplns, SharesAreHeldUntilTheyLeaveAndForgettingPaysTheirPartToTheReserve) {
    PplnsPolicy policy({.window_tib_epochs = 20});
    close(policy, 0, {sharing(kA, 10 * kTiB), sharing(kB, 10 * kTiB)});
    EXPECT_TRUE(policy.holds_shares(kB));
    policy.forget_member(kB);
    EXPECT_FALSE(policy.holds_shares(kB));
    EXPECT_EQ(policy.window_share_units(kB), 0);
    EXPECT_EQ(allocate(policy, kA, 10, {sharing(kA, 10 * kTiB)}, 0),
              (std::vector<Allocation>{to(kA, 5), {kReserve, 5}}));
    EXPECT_DEATH(close(policy, 2, {}), "last_closed_epoch_ \\+ 1");
}

// credit = floor((10^6 - fee) * reward * p / (10^6 * P)): 7 * 1/3 -> 2; at 50% fee 7/6 -> 1.
TEST(PolicySmoothed, CreditIsTheFlooredExpectedRewardLessTheFee) {
    SmoothedPolicy no_fee({});
    EXPECT_EQ(no_fee.expected_credit(7, 1, 3), 2);
    EXPECT_EQ(no_fee.expected_credit(9, 1, 3), 3);
    EXPECT_EQ(no_fee.expected_credit(9, 0, 3), 0);
    EXPECT_EQ(no_fee.expected_credit(9, 1, 0), 0);
    SmoothedPolicy half_fee({.fee_ppm = 500'000, .reserve_cap = std::nullopt});
    EXPECT_EQ(half_fee.expected_credit(7, 1, 3), 1);
    // Realistic sizes: 100 FIL per epoch, 1 PiB of 10 EiB, 5% fee: 0.95 * 100 FIL / 10240.
    SmoothedPolicy realistic({.fee_ppm = 50'000, .reserve_cap = std::nullopt});
    const AttoFil reward = 100 * chain::kAttoFilPerFil;
    EXPECT_EQ(realistic.expected_credit(reward, StoragePower{1} << 50, StoragePower{10} << 60),
              AttoFil{95} * chain::kAttoFilPerFil / 10240);
}

TEST(PolicySmoothed, CreditsEligibleMembersAndSendsTheirBlocksToTheReserve) {
    SmoothedPolicy policy({.fee_ppm = 100'000, .reserve_cap = 5000});
    const std::vector<MemberStanding> members = {sharing(kA, 30), not_sharing(kB, 20),
                                                 sharing(kC, 10, false)};
    const EpochPolicyActions actions = close(policy, 7, members, 100, 1000);
    ASSERT_EQ(actions.credits_from_reserve.size(), 1u);
    EXPECT_EQ(actions.credits_from_reserve[0].member, kA);
    EXPECT_EQ(actions.credits_from_reserve[0].amount, 270);  // 0.9 * 1000 * 30 / 100
    EXPECT_EQ(actions.sweep_reserve_above, 5000);
    EXPECT_EQ(allocate(policy, kA, 1234, members, 7), (std::vector<Allocation>{{kReserve, 1234}}));
    // B does not share: its block is its own less the fee.
    EXPECT_EQ(allocate(policy, kB, 1000, members, 7),
              (std::vector<Allocation>{to(kB, 900), {kOperator, 100}}));
    SmoothedPolicy including({.fee_ppm = 100'000,
                              .below_minimum = BelowMinimumRule::include,
                              .reserve_cap = std::nullopt});
    const EpochPolicyActions subsidised = close(including, 7, members, 100, 1000);
    ASSERT_EQ(subsidised.credits_from_reserve.size(), 2u);
    EXPECT_EQ(subsidised.credits_from_reserve[1].member, kC);
    EXPECT_EQ(subsidised.credits_from_reserve[1].amount, 90);
    EXPECT_EQ(subsidised.sweep_reserve_above, std::nullopt);
}

TEST(PolicySmoothed, OtherIneligibilityIsNeverCredited) {
    SmoothedPolicy policy({.fee_ppm = 0,
                           .below_minimum = BelowMinimumRule::include,
                           .reserve_cap = std::nullopt});
    const EpochPolicyActions actions =
        close(policy, 7, {sharing(kA, 30), ineligible(kB, 30)}, 100, 1000);
    ASSERT_EQ(actions.credits_from_reserve.size(), 1u);
    EXPECT_EQ(actions.credits_from_reserve[0].member, kA);
    // The credits come with the rate they were formed by: 300 = floor(10^6 x 1000 x 30 / 10^8).
    ASSERT_EQ(actions.credit_weights, (std::vector<math::Uint128>{30}));
    EXPECT_EQ(actions.credit_rate.numerator, 1'000'000 * 1000);
    EXPECT_EQ(actions.credit_rate.denominator, math::Uint128{1'000'000} * 100);
    EXPECT_EQ(actions.credits_from_reserve[0].amount, 300);
}

TEST(PolicyClone, CopiesTheStateNotASharedReference) {
    PplnsPolicy policy({.window_tib_epochs = 1000});
    close(policy, 0, {sharing(kA, 10 * kTiB)});
    std::unique_ptr<RewardPolicy> copy = policy.clone();
    close(policy, 1, {sharing(kA, 10 * kTiB)});
    close(*copy, 1, {sharing(kA, 99 * kTiB)});
    EXPECT_EQ(policy.window_share_units(kA), 20 * kTiB);
    EXPECT_EQ(dynamic_cast<const PplnsPolicy&>(*copy).window_share_units(kA), 109 * kTiB);
}

}  // namespace
}  // namespace minerx::pool
