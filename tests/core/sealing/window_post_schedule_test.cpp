// WindowPoSt: the deadline arithmetic, sector assignment, and the fault cycle of the miner actor
// (missed proof -> faulty, power removed; fees at later closes; recovery; termination), plus
// random event streams checked against the schedule's bookkeeping invariants and a PowerTable.

#include "core/sealing/window_post_schedule.h"

#include <limits>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/power_table.h"
#include "core/sealing/fault_fee.h"
#include "core/util/limits.h"
#include "core/util/random.h"

namespace minerx::sealing {
namespace {

using chain::ChainEpoch;

constexpr chain::AttoFil kFee = 1'000'000;
constexpr math::Int128 kSector = static_cast<math::Int128>(kSectorSizeBytes);

template <class Event>
std::vector<Event> events_of(const std::vector<WindowPoStEvent>& events) {
    std::vector<Event> selected;
    for (const WindowPoStEvent& event : events) {
        if (const auto* typed = std::get_if<Event>(&event)) selected.push_back(*typed);
    }
    return selected;
}

WindowPoStSchedule make_schedule(ChainEpoch offset = 0) {
    return WindowPoStSchedule(WindowPoStConfig{.proving_period_offset = offset,
                                               .fault_fee_per_sector = kFee},
                              0);
}

TEST(WindowPostDeadlines, FortyEightDeadlinesOfSixtyEpochsADay) {
    const ChainEpoch offset = 1234;
    const ChainEpoch period_start = offset + 3 * kWPoStProvingPeriod;
    std::set<std::int64_t> indices;
    for (ChainEpoch epoch = period_start; epoch < period_start + kWPoStProvingPeriod; ++epoch) {
        const DeadlineInfo dl = current_deadline(epoch, offset);
        ASSERT_EQ(dl.period_start, period_start);
        ASSERT_TRUE(dl.is_open(epoch));
        ASSERT_EQ(dl.open, period_start + 60 * dl.index);
        ASSERT_EQ(dl.close, dl.open + 60);
        ASSERT_EQ(dl.last(), dl.close - 1);
        ASSERT_EQ(dl.challenge, dl.open - 20);
        ASSERT_EQ(dl.fault_cutoff, dl.open - 70);
        indices.insert(dl.index);
    }
    EXPECT_EQ(indices.size(), 48u);
    EXPECT_EQ(*indices.begin(), 0);
    EXPECT_EQ(*indices.rbegin(), 47);
}

TEST(WindowPostDeadlines, PeriodStartsFollowTheOffset) {
    EXPECT_EQ(current_period_start(100, 100), 100);
    EXPECT_EQ(current_period_start(2979, 100), 100);
    EXPECT_EQ(current_period_start(2980, 100), 2980);
    EXPECT_EQ(current_period_start(50, 100), 100 - 2880);  // before the first offset epoch
    EXPECT_EQ(current_period_start(0, 0), 0);
    EXPECT_EQ(current_deadline(50, 100), deadline_info(-2780, 47));
}

TEST(WindowPostDeadlines, NextNotElapsedAndMutability) {
    const ChainEpoch offset = 0;
    const ChainEpoch epoch = 5 * 60 + 10;  // inside deadline 5 of the first period
    EXPECT_EQ(next_deadline_not_elapsed(epoch, offset, 5), deadline_info(0, 5));
    EXPECT_EQ(next_deadline_not_elapsed(epoch, offset, 6), deadline_info(0, 6));
    EXPECT_EQ(next_deadline_not_elapsed(epoch, offset, 4), deadline_info(2880, 4));
    // Neither the current deadline nor the next may take new sectors; the others may.
    EXPECT_FALSE(deadline_is_mutable(epoch, offset, 5));
    EXPECT_FALSE(deadline_is_mutable(epoch, offset, 6));
    EXPECT_TRUE(deadline_is_mutable(epoch, offset, 7));
    EXPECT_TRUE(deadline_is_mutable(epoch, offset, 4));
    // Deadline 6 stays mutable until one window before it opens.
    EXPECT_TRUE(deadline_is_mutable(5 * 60 - 1, offset, 6));
    EXPECT_FALSE(deadline_is_mutable(5 * 60, offset, 6));
}

TEST(WindowPostAssignment, FillsAPartitionThenOpensOneInTheNextFreeDeadline) {
    WindowPoStSchedule schedule = make_schedule();
    // At epoch 1, deadline 0 is open and deadline 1 is next: the first mutable one is 2.
    EXPECT_EQ(schedule.add_sectors(1, 1, SectorActivation::kUnproven),
              (std::vector<SectorAssignment>{{{2, 0}, 1}}));
    EXPECT_EQ(schedule.add_sectors(2348, 2, SectorActivation::kUnproven),
              (std::vector<SectorAssignment>{{{2, 0}, 2348}}));
    // Partition (2, 0) is full (2349): a new partition goes to the deadline with the fewest.
    EXPECT_EQ(schedule.add_sectors(1, 3, SectorActivation::kUnproven),
              (std::vector<SectorAssignment>{{{3, 0}, 1}}));
    // Then that open partition is filled first, and the rest spread over fresh deadlines.
    EXPECT_EQ(schedule.add_sectors(2 * 2349, 4, SectorActivation::kUnproven),
              (std::vector<SectorAssignment>{{{3, 0}, 2348}, {{4, 0}, 2349}, {{5, 0}, 1}}));
    EXPECT_EQ(schedule.partition_count(2), 1);
    EXPECT_EQ(schedule.sectors_added(), 3 * 2349 + 1);
    EXPECT_EQ(schedule.unproven_sectors(), 3 * 2349 + 1);
    EXPECT_EQ(schedule.active_power_bytes(), 0u);
}

TEST(WindowPostAssignment, AvoidsTheOpenAndNextDeadlines) {
    WindowPoStSchedule schedule(
        WindowPoStConfig{.proving_period_offset = 0, .partition_sectors = 1}, 0);
    const ChainEpoch epoch = 10 * 60 + 30;  // deadline 10 is open
    std::set<std::int64_t> used;
    for (const SectorAssignment& a : schedule.add_sectors(46, epoch, SectorActivation::kUnproven)) {
        used.insert(a.partition.deadline);
    }
    EXPECT_EQ(used.size(), 46u);
    EXPECT_FALSE(used.contains(10));
    EXPECT_FALSE(used.contains(11));
}

// Ten sectors land at epoch 1 (deadline 2: open 120, close 180) and are proven at epoch 125.
struct ProvenPartition {
    WindowPoStSchedule schedule = make_schedule();
    PartitionRef partition{2, 0};

    ProvenPartition() {
        schedule.add_sectors(10, 1, SectorActivation::kUnproven);
        schedule.advance_to(119);
        EXPECT_TRUE(schedule.take_events().empty());
        EXPECT_EQ(schedule.partitions_due(120), (std::vector<PartitionRef>{partition}));
        EXPECT_EQ(schedule.submit_proof(partition, 125), ProofResult::kAccepted);
        schedule.advance_to(179);
    }
};

constexpr ChainEpoch kLast0 = 179;  // last epoch of deadline 2, day 0

TEST(WindowPostFaults, FirstProofActivatesTheNewSectorsPower) {
    ProvenPartition fixture;
    const std::vector<WindowPoStEvent> events = fixture.schedule.take_events();
    EXPECT_EQ(events_of<PartitionProven>(events),
              (std::vector<PartitionProven>{{125, {2, 0}, 10, 0}}));
    EXPECT_EQ(events_of<PowerChange>(events),
              (std::vector<PowerChange>{{125, 10 * kSector, 10 * kSector}}));
    EXPECT_EQ(fixture.schedule.active_sectors(), 10);
    EXPECT_EQ(fixture.schedule.submit_proof({2, 0}, 2880 + 121), ProofResult::kAccepted);
    EXPECT_EQ(fixture.schedule.submit_proof({2, 0}, 2880 + 122), ProofResult::kAlreadyProven);
}

TEST(WindowPostFaults, AMissedProofRemovesThePowerAndLaterClosesChargeFees) {
    ProvenPartition fixture;
    WindowPoStSchedule& schedule = fixture.schedule;
    chain::PowerTable table;
    const chain::ActorId miner = 1000;
    auto apply = [&](const std::vector<WindowPoStEvent>& events) {
        for (const PowerChange& change : events_of<PowerChange>(events)) {
            table.add_to_claim(miner, change.epoch, change.raw_byte_delta,
                               change.quality_adj_delta);
        }
    };
    apply(schedule.take_events());

    // Day 1: no proof. At the close the partition is faulty and its power is gone at once; newly
    // detected faults pay no fee.
    const ChainEpoch last1 = kLast0 + kWPoStProvingPeriod;
    schedule.advance_to(last1);
    std::vector<WindowPoStEvent> events = schedule.take_events();
    EXPECT_EQ(events_of<PartitionFaulted>(events),
              (std::vector<PartitionFaulted>{{last1, {2, 0}, 10}}));
    EXPECT_EQ(events_of<PowerChange>(events),
              (std::vector<PowerChange>{{last1, -10 * kSector, -10 * kSector}}));
    EXPECT_TRUE(events_of<FaultFeeCharged>(events).empty());
    apply(events);
    EXPECT_EQ(schedule.faulty_sectors(), 10);
    EXPECT_EQ(schedule.active_power_bytes(), 0u);
    // Elections read the lookback state: they still see the power for 900 epochs.
    EXPECT_EQ(table.claim_at(miner, last1 - 1).raw_byte_power, 10 * kSectorSizeBytes);
    EXPECT_EQ(table.claim_at(miner, last1).raw_byte_power, 0u);
    EXPECT_EQ(table.lookback_power(miner, last1 + 900 - 1).miner_power, 10 * kSectorSizeBytes);
    EXPECT_EQ(table.lookback_power(miner, last1 + 900).miner_power, 0u);
    EXPECT_EQ(table.lookback_power(miner, 125 + 900).miner_power, 10 * kSectorSizeBytes);
    EXPECT_EQ(table.lookback_power(miner, 125 + 899).miner_power, 0u);

    // Days 2 and 3: still faulty, each close of the deadline charges the fee per faulty sector.
    for (int day = 2; day <= 3; ++day) {
        const ChainEpoch last = kLast0 + day * kWPoStProvingPeriod;
        schedule.advance_to(last - 1);
        EXPECT_TRUE(schedule.take_events().empty());
        schedule.advance_to(last);
        events = schedule.take_events();
        EXPECT_EQ(events, (std::vector<WindowPoStEvent>{FaultFeeCharged{last, 2, 10, 10 * kFee}}));
    }
    EXPECT_EQ(schedule.fees_charged(), 20 * kFee);
}

// A partition faulty since the close of day 1 (epoch 3059).
struct FaultyPartition : ProvenPartition {
    FaultyPartition() {
        schedule.advance_to(kLast0 + kWPoStProvingPeriod);
        schedule.take_events();
    }
};

TEST(WindowPostFaults, RecoveryDeclaredBeforeTheCutoffAndProvenRestoresPower) {
    FaultyPartition fixture;
    WindowPoStSchedule& schedule = fixture.schedule;
    const DeadlineInfo day2 = schedule.deadline(2, 3100);
    ASSERT_EQ(day2.open, 120 + 2 * kWPoStProvingPeriod);
    EXPECT_EQ(schedule.declare_recovery({2, 0}, day2.fault_cutoff - 1), RecoveryResult::kDeclared);
    EXPECT_EQ(schedule.recovering_sectors(), 10);
    EXPECT_EQ(schedule.declare_recovery({2, 0}, day2.fault_cutoff - 1),
              RecoveryResult::kNothingToRecover);
    schedule.advance_to(day2.open - 1);
    EXPECT_EQ(schedule.partitions_due(day2.open), (std::vector<PartitionRef>{{2, 0}}));
    EXPECT_EQ(schedule.submit_proof({2, 0}, day2.open + 3), ProofResult::kAccepted);
    schedule.advance_to(day2.last());
    const std::vector<WindowPoStEvent> events = schedule.take_events();
    EXPECT_EQ(events, (std::vector<WindowPoStEvent>{
                          PartitionProven{day2.open + 3, {2, 0}, 0, 10},
                          PowerChange{day2.open + 3, 10 * kSector, 10 * kSector}}));
    EXPECT_EQ(schedule.faulty_sectors(), 0);
    EXPECT_EQ(schedule.active_sectors(), 10);
    EXPECT_EQ(schedule.fees_charged(), 0);  // recovered before any later close
}

TEST(WindowPostFaults, RecoveryAfterTheCutoffIsRejected) {
    FaultyPartition fixture;
    const DeadlineInfo day2 = fixture.schedule.deadline(2, 3100);
    EXPECT_EQ(fixture.schedule.declare_recovery({2, 0}, day2.fault_cutoff),
              RecoveryResult::kFaultCutoffPassed);
    EXPECT_EQ(fixture.schedule.declare_recovery({2, 0}, day2.open + 1),
              RecoveryResult::kFaultCutoffPassed);
    EXPECT_EQ(fixture.schedule.declare_recovery({7, 0}, day2.open + 2),
              RecoveryResult::kNoSuchPartition);
    // After the window closes, the declaration targets the next day's window.
    EXPECT_EQ(fixture.schedule.declare_recovery({2, 0}, day2.close), RecoveryResult::kDeclared);
    EXPECT_EQ(fixture.schedule.fees_charged(), 10 * kFee);  // day 2's close found it faulty
}

TEST(WindowPostFaults, ADeclaredRecoveryWithoutAProofStaysFaultyAndPays) {
    FaultyPartition fixture;
    WindowPoStSchedule& schedule = fixture.schedule;
    const DeadlineInfo day2 = schedule.deadline(2, 3100);
    ASSERT_EQ(schedule.declare_recovery({2, 0}, day2.fault_cutoff - 10), RecoveryResult::kDeclared);
    schedule.advance_to(day2.last());
    EXPECT_EQ(schedule.take_events(),
              (std::vector<WindowPoStEvent>{FaultFeeCharged{day2.last(), 2, 10, 10 * kFee}}));
    EXPECT_EQ(schedule.recovering_sectors(), 0);
    EXPECT_EQ(schedule.faulty_sectors(), 10);
}

TEST(WindowPostFaults, SectorsFaultyForFourteenDaysAreTerminated) {
    FaultyPartition fixture;
    WindowPoStSchedule& schedule = fixture.schedule;
    const ChainEpoch faulted_at = kLast0 + kWPoStProvingPeriod;
    schedule.advance_to(faulted_at + 20 * kWPoStProvingPeriod);
    const std::vector<WindowPoStEvent> events = schedule.take_events();
    const std::vector<FaultFeeCharged> fees = events_of<FaultFeeCharged>(events);
    ASSERT_EQ(fees.size(), 14u);  // one per later close, the 14th being the terminating one
    for (std::size_t k = 0; k < fees.size(); ++k) {
        EXPECT_EQ(fees[k], (FaultFeeCharged{faulted_at + static_cast<ChainEpoch>(k + 1) * 2880, 2,
                                            10, 10 * kFee}));
    }
    EXPECT_EQ(events_of<SectorsTerminated>(events),
              (std::vector<SectorsTerminated>{{faulted_at + kFaultMaxAge2021, {2, 0}, 10}}));
    EXPECT_EQ(schedule.live_sectors(), 0);
    EXPECT_EQ(schedule.terminated_sectors(), 10);
    EXPECT_EQ(schedule.fees_charged(), 14 * 10 * kFee);
    const ChainEpoch later_open = 120 + 22 * kWPoStProvingPeriod;
    schedule.advance_to(later_open - 1);
    EXPECT_TRUE(schedule.take_events().empty());
    EXPECT_TRUE(schedule.partitions_due(later_open).empty());
}

TEST(WindowPostFaults, FaultMaxAgeIsAParameter) {
    WindowPoStSchedule schedule(WindowPoStConfig{.proving_period_offset = 0,
                                                 .fault_max_age_epochs = kFaultMaxAgeFromV7,
                                                 .fault_fee_per_sector = kFee},
                                0);
    schedule.add_sectors(3, 1, SectorActivation::kUnproven);
    schedule.advance_to(kLast0 + 60 * kWPoStProvingPeriod);
    const std::vector<WindowPoStEvent> events = schedule.take_events();
    EXPECT_EQ(events_of<FaultFeeCharged>(events).size(), 42u);
    EXPECT_EQ(events_of<SectorsTerminated>(events),
              (std::vector<SectorsTerminated>{{kLast0 + kFaultMaxAgeFromV7, {2, 0}, 3}}));
}

// A fault max age near 2^63 used to wrap when added to the deadline's epoch and terminate the
// sectors at once; it is now refused, and the longest allowed age (100 years) never wraps.
TEST(WindowPostFaults, FaultMaxAgeIsBoundedAndNeverWraps) {
    WindowPoStConfig config{.proving_period_offset = 0,
                            .fault_max_age_epochs = std::numeric_limits<ChainEpoch>::max() - 100,
                            .fault_fee_per_sector = kFee};
    const auto error = window_post_config_error(config);
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("fault_max_age_epochs"), std::string::npos);
    config.fault_max_age_epochs = util::kMaxConfiguredEpochs;
    ASSERT_EQ(window_post_config_error(config), std::nullopt);
    WindowPoStSchedule schedule(config, 0);
    schedule.add_sectors(10, 1, SectorActivation::kActive);
    schedule.advance_to(3 * kWPoStProvingPeriod);  // no proofs: faulty from the first close
    EXPECT_EQ(schedule.faulty_sectors(), 10);
    EXPECT_EQ(schedule.terminated_sectors(), 0);
}

TEST(WindowPostFaults, UnprovenSectorsMissingTheirFirstProofNeverHadPower) {
    WindowPoStSchedule schedule = make_schedule();
    schedule.add_sectors(10, 1, SectorActivation::kUnproven);
    schedule.advance_to(kLast0);
    EXPECT_EQ(schedule.take_events(),
              (std::vector<WindowPoStEvent>{PartitionFaulted{kLast0, {2, 0}, 10}}));
    schedule.advance_to(kLast0 + kWPoStProvingPeriod);
    EXPECT_EQ(schedule.take_events(), (std::vector<WindowPoStEvent>{FaultFeeCharged{
                                          kLast0 + kWPoStProvingPeriod, 2, 10, 10 * kFee}}));
}

TEST(WindowPostFaults, SectorsPresentAtTheStartCountAtOnceAndMustBeProven) {
    WindowPoStSchedule schedule = make_schedule();
    schedule.add_sectors(5, 1, SectorActivation::kActive);
    EXPECT_EQ(schedule.take_events(),
              (std::vector<WindowPoStEvent>{PowerChange{1, 5 * kSector, 5 * kSector}}));
    schedule.advance_to(kLast0);
    EXPECT_EQ(events_of<PowerChange>(schedule.take_events()),
              (std::vector<PowerChange>{{kLast0, -5 * kSector, -5 * kSector}}));
}

TEST(WindowPostProofs, ProofsOnlyLandInTheirOpenWindow) {
    WindowPoStSchedule schedule = make_schedule();
    schedule.add_sectors(1, 1, SectorActivation::kUnproven);
    EXPECT_EQ(schedule.submit_proof({2, 0}, 119), ProofResult::kDeadlineNotOpen);
    EXPECT_EQ(schedule.submit_proof({2, 1}, 120), ProofResult::kNoSuchPartition);
    EXPECT_EQ(schedule.submit_proof({48, 0}, 120), ProofResult::kNoSuchPartition);
    EXPECT_EQ(schedule.submit_proof({2, 0}, 180), ProofResult::kDeadlineNotOpen);
    // The window had no proof: the sector is faulty.
    EXPECT_EQ(schedule.faulty_sectors(), 1);
    EXPECT_EQ(schedule.submit_proof({2, 0}, 180 + kWPoStProvingPeriod - 60),
              ProofResult::kAccepted);
    EXPECT_EQ(schedule.faulty_sectors(), 1);  // a proof without a declared recovery skips it
}

TEST(WindowPostInvariants, RandomEventStreamsKeepTheBooks) {
    util::Random random(7);
    for (int run = 0; run < 12; ++run) {
        const ChainEpoch offset = static_cast<ChainEpoch>(random.below(2880));
        const chain::AttoFil fee = static_cast<chain::AttoFil>(random.below(1'000'000'000));
        const double prove_probability = random.uniform(0.5, 1.0);
        WindowPoStSchedule schedule(WindowPoStConfig{.proving_period_offset = offset,
                                                     .partition_sectors = 7,
                                                     .fault_fee_per_sector = fee},
                                    1);
        chain::PowerTable table;
        math::Int128 power_sum = 0;
        chain::AttoFil fee_sum = 0;
        for (ChainEpoch epoch = 1; epoch <= 25 * kWPoStProvingPeriod; ++epoch) {
            if (random.bernoulli(0.004)) {
                schedule.add_sectors(1 + static_cast<std::int64_t>(random.below(15)), epoch,
                                     SectorActivation::kUnproven);
            }
            if (current_deadline(epoch, offset).open == epoch) {
                for (PartitionRef due : schedule.partitions_due(epoch)) {
                    if (random.bernoulli(prove_probability)) {
                        ASSERT_EQ(schedule.submit_proof(due, epoch), ProofResult::kAccepted);
                    }
                }
            }
            if (random.bernoulli(0.002)) {
                const auto deadline = static_cast<std::int64_t>(random.below(48));
                if (schedule.partition_count(deadline) > 0) {
                    schedule.declare_recovery({deadline, 0}, epoch);
                }
            }
            schedule.advance_to(epoch);
            for (const WindowPoStEvent& event : schedule.take_events()) {
                if (const auto* change = std::get_if<PowerChange>(&event)) {
                    ASSERT_LE(change->epoch, epoch);
                    power_sum += change->raw_byte_delta;
                    table.add_to_claim(1, change->epoch, change->raw_byte_delta,
                                       change->quality_adj_delta);
                } else if (const auto* charged = std::get_if<FaultFeeCharged>(&event)) {
                    ASSERT_EQ(charged->amount, charged->faulty_sectors * fee);
                    fee_sum += charged->amount;
                }
            }
            ASSERT_EQ(power_sum, static_cast<math::Int128>(schedule.active_power_bytes()));
            ASSERT_EQ(fee_sum, schedule.fees_charged());
            ASSERT_EQ(schedule.live_sectors() + schedule.terminated_sectors(),
                      schedule.sectors_added());
            ASSERT_EQ(schedule.active_sectors() + schedule.unproven_sectors() +
                          schedule.faulty_sectors(),
                      schedule.live_sectors());
            ASSERT_LE(schedule.recovering_sectors(), schedule.faulty_sectors());
        }
        EXPECT_EQ(table.claim_at(1, table.latest_epoch()).raw_byte_power,
                  schedule.active_power_bytes());
        EXPECT_GT(schedule.sectors_added(), 0);
    }
}

TEST(WindowPostFaultFee, SteadyStateEstimateOfBrForThreePointFiveOneDays) {
    const chain::AttoFil reward = 100 * chain::kAttoFilPerFil;  // ThisEpochReward, all 5 blocks
    const chain::StoragePower network = chain::StoragePower{1} << 62;  // 4 EiB
    // A 32 GiB sector's share: 2^35 / 2^62 = 2^-27 of 10108 epochs' reward.
    EXPECT_EQ(continued_fault_fee_estimate(reward, network, kSectorSizeBytes),
              reward * 10108 / (chain::AttoFil{1} << 27));
    EXPECT_EQ(continued_fault_fee_estimate(reward, 0, kSectorSizeBytes), reward);
    // Products beyond 128 bits stay exact: the whole supply, 1 PiB of 1 PiB.
    const chain::StoragePower pib = chain::StoragePower{1} << 50;
    EXPECT_EQ(continued_fault_fee_estimate(chain::kTotalFilSupply, pib, pib),
              chain::kTotalFilSupply * 10108);
    EXPECT_EQ(continued_fault_fee_estimate(7, 3, 1), 7 * 10108 / 3);  // floored
}

}  // namespace
}  // namespace minerx::sealing
