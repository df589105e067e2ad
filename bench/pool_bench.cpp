// Benchmarks of the pool's accounting (issue: "splitting one block reward over 10,000 members; one
// settlement day for 1,000 members under each policy"). Numbers: docs/benchmarks.md.
//
//   Pool/apportion_block/10000       one block reward split exactly over 10,000 power weights
//   Pool/book_block/10000            the same split booked into the ledger, vesting included
//   Pool/settlement_day/<policy>     2,880 epochs of PoolAccounting with 1,000 members: every
//                                    epoch closed with all members' powers, the day's pool blocks
//                                    booked (drawn once by the chain's election, seeded)
//   Pool/settlement_day_after_180_days/power_proportional
//                                    the same day with 180 days of vesting history

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/chain/win_thresholds.h"
#include "core/pool/apportion.h"
#include "core/pool/pool_accounting.h"
#include "core/pool/settlement_ledger.h"
#include "core/util/random.h"

namespace {

using namespace minerx;
using chain::AttoFil;
using chain::StoragePower;

constexpr AttoFil kThisEpochReward = AttoFil{100} * chain::kAttoFilPerFil;  // ~mid-2021 scale
constexpr StoragePower kNetworkPower = (StoragePower{54} << 60) / 10;       // 5.4 EiB

// Member powers between 10 TiB and 1 PiB (the incubator's range), log-uniform, seeded.
std::vector<StoragePower> member_powers(std::size_t count, std::uint64_t seed) {
    util::Random random(seed);
    std::vector<StoragePower> powers;
    powers.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const double tib = std::exp(random.uniform(std::log(10.0), std::log(1024.0)));
        powers.push_back(static_cast<StoragePower>(tib * 1024.0) << 30);
    }
    return powers;
}

void BM_ApportionBlock(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    std::vector<StoragePower> weights = member_powers(count, 1);
    const AttoFil reward = kThisEpochReward / 5 + 12'345'678'901;  // one WinCount plus tips
    for (auto _ : state) {
        auto parts = pool::apportion(reward, weights);
        benchmark::DoNotOptimize(parts.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
    state.SetLabel("items = members");
}
BENCHMARK(BM_ApportionBlock)->Name("Pool/apportion_block")->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_BookBlock(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    std::vector<StoragePower> weights = member_powers(count, 2);
    const AttoFil reward = kThisEpochReward / 5;
    std::vector<pool::Allocation> allocations;
    std::vector<AttoFil> parts = pool::apportion(reward, weights);
    for (std::size_t i = 0; i < count; ++i) {
        allocations.push_back({pool::Beneficiary::of_member(1000 + i), parts[i]});
    }
    chain::ChainEpoch epoch = 1'000'000;
    pool::SettlementLedger ledger;
    for (auto _ : state) {
        ledger.receive_reward(epoch, 17, reward, allocations);
        epoch += 1;  // a fresh epoch each time: the ledger's schedules grow as in a real run
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
    state.SetLabel("items = member allocations");
}
BENCHMARK(BM_BookBlock)->Name("Pool/book_block")->Arg(10000)->Unit(benchmark::kMillisecond);

struct DayFixture {
    std::vector<pool::MemberPowerReport> powers;
    std::vector<std::vector<std::pair<pool::MemberId, AttoFil>>> blocks_by_epoch;
};

// 1,000 members and the blocks they win in one day, drawn once with the chain's fast path.
DayFixture make_day(std::size_t member_count) {
    DayFixture day;
    std::vector<StoragePower> powers = member_powers(member_count, 3);
    std::vector<chain::WinThresholds> thresholds;
    for (std::size_t i = 0; i < member_count; ++i) {
        day.powers.push_back({static_cast<pool::MemberId>(1000 + i), powers[i],
                              pool::MiningEligibility::eligible});
        thresholds.emplace_back(powers[i], kNetworkPower);
    }
    util::Random random(4);
    day.blocks_by_epoch.resize(chain::kEpochsPerDay);
    for (auto& blocks : day.blocks_by_epoch) {
        for (std::size_t i = 0; i < member_count; ++i) {
            math::Uint256 ticket;
            for (auto& word : ticket.words) word = random.next_u64();
            const std::int64_t wins = thresholds[i].win_count(ticket);
            if (wins > 0) blocks.push_back({day.powers[i].member, kThisEpochReward * wins / 5});
        }
    }
    return day;
}

// A pool whose members joined a day ago and have warmed up, at the start of the measured day.
pool::PoolAccounting warmed_up_pool(const pool::RewardPolicyConfig& policy, const DayFixture& day,
                                    chain::ChainEpoch first_epoch) {
    pool::PoolAccountingConfig config;
    config.policy = policy;
    config.membership.warm_up_epochs = 10;
    pool::PoolAccounting accounting(config, first_epoch);
    for (const auto& member : day.powers) {
        accounting.member_joined(member.member, first_epoch, static_cast<chain::ChainEpoch>(member.member % 2880));
    }
    if (std::holds_alternative<pool::SmoothedConfig>(policy)) {
        accounting.reserve_deposited(AttoFil{10'000'000} * chain::kAttoFilPerFil);
    }
    for (chain::ChainEpoch e = first_epoch; e < first_epoch + 10; ++e) {
        accounting.epoch_closed({e, day.powers, kNetworkPower, kThisEpochReward});
    }
    return accounting;
}

void run_day(pool::PoolAccounting& accounting, const DayFixture& day, chain::ChainEpoch first) {
    for (chain::ChainEpoch offset = 0; offset < chain::kEpochsPerDay; ++offset) {
        const chain::ChainEpoch epoch = first + offset;
        for (const auto& [member, award] : day.blocks_by_epoch[static_cast<std::size_t>(offset)]) {
            accounting.block_rewarded(epoch, member, award);
        }
        auto actions = accounting.epoch_closed({epoch, day.powers, kNetworkPower, kThisEpochReward});
        benchmark::DoNotOptimize(actions.payments.data());
    }
}

template <class PolicyConfig>
void BM_SettlementDay(benchmark::State& state, PolicyConfig policy) {
    static const DayFixture day = make_day(1000);
    const chain::ChainEpoch first_epoch = 1'000'000;
    const pool::PoolAccounting start = warmed_up_pool(policy, day, first_epoch);
    std::size_t blocks = 0;
    for (const auto& epoch_blocks : day.blocks_by_epoch) blocks += epoch_blocks.size();
    for (auto _ : state) {
        state.PauseTiming();
        pool::PoolAccounting accounting = start;
        state.ResumeTiming();
        run_day(accounting, day, first_epoch + 10);
        MINERX_ASSERT(accounting.ledger().check_invariant().holds());
    }
    state.counters["blocks_per_day"] = static_cast<double>(blocks);
    state.SetLabel("1 iteration = 1 day, 1000 members");
}
BENCHMARK_CAPTURE(BM_SettlementDay, solo, pool::SoloConfig{})
    ->Name("Pool/settlement_day/solo")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SettlementDay, winner_takes_all, pool::WinnerTakesAllConfig{.fee_ppm = 50'000})
    ->Name("Pool/settlement_day/winner_takes_all")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SettlementDay, power_proportional, pool::PowerProportionalConfig{.fee_ppm = 50'000, .below_minimum = {}})
    ->Name("Pool/settlement_day/power_proportional")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SettlementDay, pplns, pool::PplnsConfig{.fee_ppm = 50'000, .below_minimum = {}, .window_tib_epochs = pool::kDefaultPplnsWindowTibEpochs})
    ->Name("Pool/settlement_day/pplns")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SettlementDay, smoothed, pool::SmoothedConfig{.fee_ppm = 50'000, .below_minimum = {}, .reserve_cap = {}})
    ->Name("Pool/settlement_day/smoothed")->Unit(benchmark::kMillisecond);

// The same day after 180 days of history: every member's vesting holds its full ~360 buckets and
// steps vest during the day (the empty-books day above sees none). Setup runs 180 days once.
void BM_SettlementDaySteady(benchmark::State& state) {
    static const DayFixture day = make_day(1000);
    const chain::ChainEpoch first_epoch = 1'000'000;
    static const pool::PoolAccounting start = [&] {
        pool::PowerProportionalConfig policy{.fee_ppm = 50'000, .below_minimum = {}};
        pool::PoolAccounting accounting = warmed_up_pool(policy, day, first_epoch);
        for (chain::ChainEpoch d = 0; d < 180; ++d) {
            run_day(accounting, day, first_epoch + 10 + d * chain::kEpochsPerDay);
        }
        return accounting;
    }();
    const chain::ChainEpoch measured_day = first_epoch + 10 + 180 * chain::kEpochsPerDay;
    for (auto _ : state) {
        state.PauseTiming();
        pool::PoolAccounting accounting = start;
        state.ResumeTiming();
        run_day(accounting, day, measured_day);
        MINERX_ASSERT(accounting.ledger().check_invariant().holds());
    }
    state.SetLabel("1 iteration = day 181, 1000 members, full vesting books");
}
BENCHMARK(BM_SettlementDaySteady)
    ->Name("Pool/settlement_day_after_180_days/power_proportional")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
