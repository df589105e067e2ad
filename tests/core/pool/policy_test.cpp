// Each reward policy's formula on small hand-computed cases: fee floors, remainders, who is
// eligible (membership, the consensus minimum both ways), PPLNS window edges, smoothed credits.

#include <memory>
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

MemberStanding sharing(MemberId member, StoragePower power, bool meets_minimum = true) {
    return {.member = member, .power = power, .meets_consensus_minimum = meets_minimum,
            .sharing = true};
}
MemberStanding not_sharing(MemberId member, StoragePower power) {
    return {.member = member, .power = power, .meets_consensus_minimum = true, .sharing = false};
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
    EXPECT_TRUE(reward_policy_config_error(PplnsConfig{.window_epochs = 0}).has_value());
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

// Window N = 3. A accrues 10 per epoch from epoch 1, B 20 at epoch 3 only.
TEST(PolicyPplns, SplitsByPowerTimeInsideTheWindow) {
    PplnsPolicy policy({.fee_ppm = 0, .window_epochs = 3});
    close(policy, 1, {sharing(kA, 10)});
    close(policy, 2, {sharing(kA, 10), not_sharing(kB, 20)});
    close(policy, 3, {sharing(kA, 10), sharing(kB, 20)});
    EXPECT_EQ(policy.window_shares(kA), 30);
    EXPECT_EQ(policy.window_shares(kB), 20);
    const std::vector<MemberStanding> at_three = {sharing(kA, 10), sharing(kB, 20)};
    EXPECT_EQ(allocate(policy, kA, 500, at_three, 3),
              (std::vector<Allocation>{to(kA, 300), to(kB, 200)}));
    // Epoch 4: window [2, 4]; B no longer accrues but keeps its epoch-3 shares.
    const std::vector<MemberStanding> at_four = {sharing(kA, 10), not_sharing(kB, 20)};
    close(policy, 4, at_four);
    EXPECT_EQ(policy.window_shares(kA), 30);
    EXPECT_EQ(policy.window_shares(kB), 20);
    EXPECT_EQ(allocate(policy, kA, 500, at_four, 4),
              (std::vector<Allocation>{to(kA, 300), to(kB, 200)}));
    close(policy, 5, at_four);
    EXPECT_EQ(policy.window_shares(kB), 20);  // window [3, 5] still holds epoch 3
    close(policy, 6, at_four);
    EXPECT_EQ(policy.window_shares(kB), 0);   // epoch 3 left with the close of epoch 6
    EXPECT_EQ(allocate(policy, kA, 500, at_four, 6), (std::vector<Allocation>{to(kA, 500)}));
}

TEST(PolicyPplns, PowerChangesAreWeightedByTheEpochsAtEachPower) {
    PplnsPolicy policy({.fee_ppm = 200'000, .window_epochs = 4});
    close(policy, 10, {sharing(kA, 5), sharing(kB, 1)});
    close(policy, 11, {sharing(kA, 5), sharing(kB, 1)});
    close(policy, 12, {sharing(kA, 1), sharing(kB, 1)});
    close(policy, 13, {sharing(kA, 1), sharing(kB, 9)});
    EXPECT_EQ(policy.window_shares(kA), 12);
    EXPECT_EQ(policy.window_shares(kB), 12);
    close(policy, 14, {sharing(kA, 1), sharing(kB, 9)});  // epoch 10 leaves: A -5 +1, B -1 +9
    EXPECT_EQ(policy.window_shares(kA), 8);
    EXPECT_EQ(policy.window_shares(kB), 20);
    // 1000, fee 200, net 800 over 8:20 -> 228.57, 571.43 -> 229 (larger remainder), 571.
    const std::vector<MemberStanding> members = {sharing(kA, 1), sharing(kB, 9)};
    EXPECT_EQ(allocate(policy, kB, 1000, members, 14),
              (std::vector<Allocation>{to(kA, 229), to(kB, 571), {kOperator, 200}}));
}

TEST(PolicyPplns, BelowMinimumPowerAccruesOnlyWhenIncluded) {
    const std::vector<MemberStanding> members = {sharing(kA, 10), sharing(kB, 4, false)};
    PplnsPolicy excluding({.window_epochs = 10});
    PplnsPolicy including({.below_minimum = BelowMinimumRule::include, .window_epochs = 10});
    for (ChainEpoch epoch = 0; epoch < 3; ++epoch) {
        close(excluding, epoch, members);
        close(including, epoch, members);
    }
    EXPECT_EQ(excluding.window_shares(kB), 0);
    EXPECT_EQ(including.window_shares(kB), 12);
    EXPECT_EQ(allocate(excluding, kA, 700, members, 2), (std::vector<Allocation>{to(kA, 700)}));
    EXPECT_EQ(allocate(including, kA, 700, members, 2),
              (std::vector<Allocation>{to(kA, 500), to(kB, 200)}));
}

TEST(PolicyPplns, ForgettingAMemberDropsItsShares) {
    PplnsPolicy policy({.window_epochs = 10});
    close(policy, 0, {sharing(kA, 10), sharing(kB, 10)});
    policy.forget_member(kB);
    EXPECT_EQ(policy.window_shares(kB), 0);
    EXPECT_EQ(allocate(policy, kA, 10, {sharing(kA, 10)}, 0),
              (std::vector<Allocation>{to(kA, 10)}));
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

TEST(PolicyClone, CopiesTheStateNotASharedReference) {
    PplnsPolicy policy({.window_epochs = 10});
    close(policy, 0, {sharing(kA, 10)});
    std::unique_ptr<RewardPolicy> copy = policy.clone();
    close(policy, 1, {sharing(kA, 10)});
    close(*copy, 1, {sharing(kA, 99)});
    EXPECT_EQ(policy.window_shares(kA), 20);
    EXPECT_EQ(dynamic_cast<const PplnsPolicy&>(*copy).window_shares(kA), 109);
}

}  // namespace
}  // namespace minerx::pool
