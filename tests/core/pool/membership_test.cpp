// Membership time gating: warm-up before sharing, cool-down before settlement, refusals, rejoin,
// joins and leaves dated in the future, epochs near the end of time, configuration bounds.

#include "core/pool/membership.h"

#include <limits>

#include <gtest/gtest.h>

#include "core/util/limits.h"

namespace minerx::pool {
namespace {

constexpr MembershipConfig kConfig{.warm_up_epochs = 10, .cool_down_epochs = 5};

TEST(Membership, PowerSharesOnlyAfterTheWarmUp) {
    Membership membership(kConfig);
    EXPECT_EQ(membership.join(7, 100), JoinOutcome::joined);
    EXPECT_TRUE(membership.is_member(7));
    EXPECT_FALSE(membership.is_sharing(7, 99));
    EXPECT_FALSE(membership.is_sharing(7, 100));
    EXPECT_FALSE(membership.is_sharing(7, 109));
    EXPECT_TRUE(membership.is_sharing(7, 110));
    EXPECT_FALSE(membership.is_sharing(8, 110));  // never joined
    EXPECT_EQ(membership.next_transition_epoch(100), 110);
    EXPECT_EQ(membership.next_transition_epoch(110), std::nullopt);
}

TEST(Membership, ZeroWarmUpSharesFromTheJoiningEpoch) {
    Membership membership({.warm_up_epochs = 0, .cool_down_epochs = 0});
    membership.join(1, 50);
    EXPECT_TRUE(membership.is_sharing(1, 50));
    EXPECT_FALSE(membership.is_sharing(1, 49));
    membership.request_leave(1, 60);
    EXPECT_FALSE(membership.is_sharing(1, 60));
    EXPECT_EQ(membership.settle_due(60), (std::vector<MemberId>{1}));
}

TEST(Membership, LeavingStopsSharingAtOnceAndSettlesAfterTheCoolDown) {
    Membership membership(kConfig);
    membership.join(7, 100);
    EXPECT_EQ(membership.request_leave(7, 200), LeaveOutcome::leaving);
    EXPECT_TRUE(membership.is_sharing(7, 199));
    EXPECT_FALSE(membership.is_sharing(7, 200));
    EXPECT_TRUE(membership.is_member(7));  // its rewards are still booked while cooling down
    EXPECT_EQ(membership.find(7)->status, MemberStatus::cooling_down);
    EXPECT_EQ(membership.next_transition_epoch(200), 205);
    EXPECT_TRUE(membership.settle_due(204).empty());
    EXPECT_EQ(membership.settle_due(205), (std::vector<MemberId>{7}));
    EXPECT_EQ(membership.find(7)->status, MemberStatus::departed);
    EXPECT_FALSE(membership.is_member(7));
    EXPECT_TRUE(membership.settle_due(206).empty());  // settles once
}

TEST(Membership, RefusesDuplicateJoinsAndLeaves) {
    Membership membership(kConfig);
    EXPECT_EQ(membership.request_leave(3, 10), LeaveOutcome::not_a_member);
    membership.join(3, 10);
    EXPECT_EQ(membership.join(3, 11), JoinOutcome::already_member);
    membership.request_leave(3, 12);
    EXPECT_EQ(membership.request_leave(3, 13), LeaveOutcome::already_leaving);
    EXPECT_EQ(membership.join(3, 14), JoinOutcome::cooling_down);
    membership.settle_due(17);
    EXPECT_EQ(membership.request_leave(3, 18), LeaveOutcome::not_a_member);
}

TEST(Membership, LeavingDuringTheWarmUpNeverShares) {
    Membership membership(kConfig);
    membership.join(4, 0);
    membership.request_leave(4, 5);
    for (chain::ChainEpoch epoch = 0; epoch < 30; ++epoch) {
        EXPECT_FALSE(membership.is_sharing(4, epoch));
    }
}

TEST(Membership, RejoiningRestartsTheWarmUp) {
    Membership membership(kConfig);
    membership.join(9, 0);
    membership.request_leave(9, 20);
    membership.settle_due(25);
    EXPECT_EQ(membership.join(9, 30), JoinOutcome::joined);
    EXPECT_FALSE(membership.is_sharing(9, 39));
    EXPECT_TRUE(membership.is_sharing(9, 40));
    EXPECT_EQ(membership.find(9)->joined_epoch, 30);
}

TEST(Membership, SettlesSeveralMembersInAscendingOrder) {
    Membership membership(kConfig);
    for (MemberId member : {30u, 10u, 20u}) membership.join(member, 0);
    membership.request_leave(30, 1);
    membership.request_leave(10, 3);
    membership.request_leave(20, 2);
    EXPECT_EQ(membership.settle_due(7), (std::vector<MemberId>{20, 30}));
    EXPECT_EQ(membership.settle_due(8), (std::vector<MemberId>{10}));
}

TEST(Membership, RefusesALeaveBeforeTheJoinAndARejoinBeforeTheSettlement) {
    Membership membership(kConfig);
    membership.join(5, 100);  // dated in the future
    EXPECT_TRUE(membership.is_member(5));
    EXPECT_FALSE(membership.is_member(5, 99));
    EXPECT_TRUE(membership.is_member(5, 100));
    EXPECT_EQ(membership.request_leave(5, 99), LeaveOutcome::leave_before_join);
    EXPECT_EQ(membership.find(5)->status, MemberStatus::active);
    EXPECT_EQ(membership.request_leave(5, 120), LeaveOutcome::leaving);  // settles at 125
    membership.settle(5);
    EXPECT_EQ(membership.find(5)->status, MemberStatus::departed);
    EXPECT_EQ(membership.join(5, 124), JoinOutcome::epoch_in_past);
    EXPECT_EQ(membership.join(5, 125), JoinOutcome::joined);
}

// The next transition includes a leave dated in the future (sharing stops then), not one that
// comes before sharing would have started.
TEST(Membership, TheNextTransitionIncludesALeaveDatedInTheFuture) {
    Membership membership(kConfig);
    membership.join(1, 0);  // shares from 10
    membership.request_leave(1, 50);
    EXPECT_EQ(membership.next_transition_epoch(0), 10);
    EXPECT_EQ(membership.next_transition_epoch(10), 50);
    EXPECT_EQ(membership.next_transition_epoch(50), 55);
    membership.join(2, 0);
    membership.request_leave(2, 5);  // before its warm-up ends: it never shares
    EXPECT_EQ(membership.next_transition_epoch(0), 10);  // member 1's warm-up, not 2's leave
    EXPECT_EQ(membership.next_transition_epoch(5), 10);
}

TEST(Membership, EpochsNearTheEndOfTimeSaturateInsteadOfWrapping) {
    constexpr chain::ChainEpoch kEnd = std::numeric_limits<chain::ChainEpoch>::max();
    Membership membership({.warm_up_epochs = util::kMaxConfiguredEpochs,
                           .cool_down_epochs = util::kMaxConfiguredEpochs});
    membership.join(1, kEnd - 10);
    EXPECT_EQ(membership.find(1)->sharing_from_epoch, kEnd);
    EXPECT_FALSE(membership.is_sharing(1, kEnd - 1));
    membership.request_leave(1, kEnd - 1);
    EXPECT_EQ(membership.find(1)->settles_epoch, kEnd);
    EXPECT_TRUE(membership.settle_due(kEnd - 1).empty());
}

TEST(Membership, ConfigurationBoundsNameTheField) {
    EXPECT_FALSE(membership_config_error({}).has_value());
    const auto negative = membership_config_error({.warm_up_epochs = -1});
    ASSERT_TRUE(negative.has_value());
    EXPECT_NE(negative->find("warm_up_epochs"), std::string::npos);
    const auto huge = membership_config_error(
        {.warm_up_epochs = 0, .cool_down_epochs = std::numeric_limits<chain::ChainEpoch>::max()});
    ASSERT_TRUE(huge.has_value());
    EXPECT_NE(huge->find("cool_down_epochs"), std::string::npos);
    EXPECT_NE(huge->find("100 years"), std::string::npos);
}

}  // namespace
}  // namespace minerx::pool
