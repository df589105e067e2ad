// The election's fast path (core/chain/win_thresholds.h): decisions per second.
//
//   FastPath/single_miner/tickets:N   one 10 TiB miner in a 5.4 EiB network deciding N tickets
//                                     already in memory (N = 2^16: 2 MiB, from L3; N = 2^12: L1/L2)
//   FastPath/seed_network             the simulator's inner loop: the 2400-miner 2021 network
//                                     (bench_common.h), one WinThresholds per miner, one ticket per
//                                     miner per epoch, tickets from a 2^16 array in memory
//   FastPath/*_prng                   the same, drawing each ticket (4 × 64 bits) from an inline
//                                     xoshiro256**: the end-to-end cost of one decision
//   FastPath/seed_network_prng_lazy   the same, drawing a ticket's lower 3 words only when its top
//                                     word does not decide it (a proposal for the simulator)
//   Prng/xoshiro256ss_ticket          the ticket draw alone
//
// items_per_second = decisions per second. The simulator needs 2400 × 1,051,200 ≈ 2.5e9 decisions
// per simulated year; the target is 100 M/s. Before timing, each fixture checks the fast path
// against the full ComputeWinCount (GMP) on thousands of tickets and aborts on any difference.
// docs/benchmarks.md has the numbers.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/bench_common.h"
#include "core/chain/win_screen.h"
#include "core/chain/win_thresholds.h"
#include "core/math/uint256.h"

namespace minerx::bench {
namespace {

using chain::StoragePower;
using chain::WinThresholds;
using math::Uint256;

constexpr std::size_t kTicketArray = std::size_t{1} << 16;
constexpr StoragePower kSmallMiner = 10 * kTiB;

struct SingleMiner {
    WinThresholds fast{kSmallMiner, kNetwork2021};
    std::vector<Uint256> tickets = random_tickets(kTicketArray, 1);

    SingleMiner() {
        std::mt19937_64 rng(11);
        verify_fast_path(fast, kSmallMiner, kNetwork2021, rng, 2000, chain::kMaxWinCount);
        // The benchmark's own tickets too, all of them.
        for (std::size_t i = 0; i < tickets.size(); ++i) {
            check(fast.win_count(tickets[i]) == chain::compute_win_count_for_digest(
                                                    tickets[i].to_big_endian(), kSmallMiner,
                                                    kNetwork2021),
                  "single miner: fast path disagrees on the benchmark's tickets");
        }
    }
};

const SingleMiner& single_miner() {
    static const SingleMiner fixture;
    return fixture;
}

struct SeedNetwork {
    std::vector<StoragePower> powers = seed_network_powers();
    StoragePower network = 0;
    std::vector<WinThresholds> miners;
    std::vector<Uint256> tickets = random_tickets(kTicketArray, 2);

    SeedNetwork() {
        for (StoragePower power : powers) network += power;
        miners.reserve(powers.size());
        for (StoragePower power : powers) miners.emplace_back(power, network);
        std::mt19937_64 rng(12);
        for (std::size_t m = 0; m < miners.size(); ++m) {
            verify_fast_path(miners[m], powers[m], network, rng, 1, 1);
        }
        // The lazy draw's shortcut: a top word above threshold 0's top word never wins.
        for (const WinThresholds& miner : miners) {
            Uint256 ticket = random_ticket(rng);
            ticket.words[0] = miner.threshold(0).words[0] + 1;
            if (ticket.words[0] != 0) check(miner.win_count(ticket) == 0, "lazy draw shortcut");
        }
        for (std::size_t k = 0; k < 5; ++k) {  // deeper boundaries for the largest miners
            const std::size_t m = miners.size() - 1 - k;
            verify_fast_path(miners[m], powers[m], network, rng, 100, chain::kMaxWinCount);
        }
    }

    std::string label() const {
        return std::to_string(miners.size()) + " miners, " + format_eib(network);
    }
    static std::string format_eib(StoragePower power) {
        const double eib = static_cast<double>(power) / 0x1.0p60;
        return std::to_string(eib).substr(0, 4) + " EiB";
    }
};

const SeedNetwork& seed_network() {
    static const SeedNetwork fixture;
    return fixture;
}

// Items = miner decisions; also the realised WinCount per epoch (≈ 5 for the whole network).
void report_network_run(benchmark::State& state, const SeedNetwork& fixture, std::int64_t wins,
                        std::int64_t epochs) {
    state.SetItemsProcessed(epochs * static_cast<std::int64_t>(fixture.miners.size()));
    state.counters["wins_per_epoch"] =
        benchmark::Counter(static_cast<double>(wins) / static_cast<double>(epochs));
    state.SetLabel(fixture.label());
}


void BM_SingleMiner(benchmark::State& state) {
    const SingleMiner& fixture = single_miner();
    const auto count = static_cast<std::size_t>(state.range(0));
    const Uint256* tickets = fixture.tickets.data();
    std::int64_t wins = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(tickets);  // the tickets may have changed: decide them again
        benchmark::ClobberMemory();
        for (std::size_t i = 0; i < count; ++i) wins += fixture.fast.win_count(tickets[i]);
        benchmark::DoNotOptimize(wins);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
}

void BM_SingleMinerPrng(benchmark::State& state) {
    const SingleMiner& fixture = single_miner();
    Xoshiro256StarStar rng(3);
    std::int64_t wins = 0;
    constexpr int kBatch = 1024;
    for (auto _ : state) {
        for (int i = 0; i < kBatch; ++i) wins += fixture.fast.win_count(rng.ticket());
        benchmark::DoNotOptimize(wins);
    }
    state.SetItemsProcessed(state.iterations() * kBatch);
}

// One pass = as many whole epochs as the ticket array covers (27 epochs of 2400 decisions); the
// ticket cursor carries over between passes so miners see different tickets each pass.
void BM_SeedNetwork(benchmark::State& state) {
    const SeedNetwork& fixture = seed_network();
    const std::size_t epochs_per_pass = kTicketArray / fixture.miners.size();
    const Uint256* tickets = fixture.tickets.data();
    std::size_t cursor = 0;
    std::int64_t wins = 0;
    std::int64_t epochs = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(tickets);
        benchmark::ClobberMemory();
        for (std::size_t epoch = 0; epoch < epochs_per_pass; ++epoch) {
            for (const WinThresholds& miner : fixture.miners) {
                wins += miner.win_count(tickets[cursor]);
                cursor = (cursor + 1) & (kTicketArray - 1);
            }
        }
        benchmark::DoNotOptimize(wins);
        epochs += static_cast<std::int64_t>(epochs_per_pass);
    }
    report_network_run(state, fixture, wins, epochs);
}

void BM_SeedNetworkPrng(benchmark::State& state) {
    const SeedNetwork& fixture = seed_network();
    Xoshiro256StarStar rng(4);
    std::int64_t wins = 0;
    std::int64_t epochs = 0;
    for (auto _ : state) {
        for (const WinThresholds& miner : fixture.miners) wins += miner.win_count(rng.ticket());
        benchmark::DoNotOptimize(wins);
        ++epochs;
    }
    report_network_run(state, fixture, wins, epochs);
}

// As above, but a ticket's lower three words are drawn only when its top word does not already
// decide it (top word above threshold 0's top word: no win, whatever the rest). Every decision is
// still exact for the ticket it makes; only the mapping from the PRNG stream to tickets differs
// from the eager variant, which a simulator may choose as long as it is fixed (determinism).
void BM_SeedNetworkPrngLazy(benchmark::State& state) {
    const SeedNetwork& fixture = seed_network();
    Xoshiro256StarStar rng(4);
    std::int64_t wins = 0;
    std::int64_t epochs = 0;
    for (auto _ : state) {
        for (const WinThresholds& miner : fixture.miners) {
            Uint256 ticket;
            ticket.words[0] = rng();
            if (ticket.words[0] > miner.threshold(0).words[0]) [[likely]] continue;
            for (std::size_t i = 1; i < 4; ++i) ticket.words[i] = rng();
            wins += miner.win_count(ticket);
        }
        benchmark::DoNotOptimize(wins);
        ++epochs;
    }
    report_network_run(state, fixture, wins, epochs);
}

// Power that moves every epoch: the network total grows by ~40 PiB a day (seed document), so every
// miner's thresholds change every epoch. Each miner rebuilds only its floating-point NoWinScreen
// per epoch and decides exactly (full thresholds, built on demand) when the screen cannot prove a
// no-win. Compare with rebuilding WinThresholds for every miner (WinThresholds/seed_network in
// big_int_bench: ~9 ms per epoch).
void BM_SeedNetworkPowerMovesScreened(benchmark::State& state) {
    const SeedNetwork& fixture = seed_network();
    Xoshiro256StarStar rng(6);
    const StoragePower growth_per_epoch = (StoragePower{40} << 50) / chain::kEpochsPerDay;
    StoragePower network = fixture.network;
    std::int64_t wins = 0;
    std::int64_t exact_decisions = 0;
    std::int64_t epochs = 0;
    for (auto _ : state) {
        network += growth_per_epoch;
        for (StoragePower power : fixture.powers) {
            const chain::NoWinScreen screen(power, network);
            Uint256 ticket;
            ticket.words[0] = rng();
            if (screen.proves_no_win(ticket)) [[likely]] continue;
            for (std::size_t i = 1; i < 4; ++i) ticket.words[i] = rng();
            ++exact_decisions;
            wins += WinThresholds(power, network).win_count(ticket);
        }
        benchmark::DoNotOptimize(wins);
        ++epochs;
    }
    state.SetItemsProcessed(epochs * static_cast<std::int64_t>(fixture.powers.size()));
    state.counters["wins_per_epoch"] =
        benchmark::Counter(static_cast<double>(wins) / static_cast<double>(epochs));
    state.counters["exact_per_epoch"] =
        benchmark::Counter(static_cast<double>(exact_decisions) / static_cast<double>(epochs));
    state.SetLabel(fixture.label());
}

void BM_PrngTicket(benchmark::State& state) {
    Xoshiro256StarStar rng(5);
    constexpr int kBatch = 1024;
    for (auto _ : state) {
        for (int i = 0; i < kBatch; ++i) {
            Uint256 ticket = rng.ticket();
            benchmark::DoNotOptimize(ticket);
        }
    }
    state.SetItemsProcessed(state.iterations() * kBatch);
}

BENCHMARK(BM_SingleMiner)->Name("FastPath/single_miner")->ArgName("tickets")->Arg(1 << 12)->Arg(1 << 16);
BENCHMARK(BM_SingleMinerPrng)->Name("FastPath/single_miner_prng");
BENCHMARK(BM_SeedNetwork)->Name("FastPath/seed_network");
BENCHMARK(BM_SeedNetworkPrng)->Name("FastPath/seed_network_prng");
BENCHMARK(BM_SeedNetworkPrngLazy)->Name("FastPath/seed_network_prng_lazy");
BENCHMARK(BM_SeedNetworkPowerMovesScreened)->Name("FastPath/seed_network_power_moves_screened");
BENCHMARK(BM_PrngTicket)->Name("Prng/xoshiro256ss_ticket");

}  // namespace
}  // namespace minerx::bench

int main(int argc, char** argv) {
    // Build and check the fixtures before any timing (they are also built lazily, but a failure
    // should abort before the first number is printed).
    minerx::bench::single_miner();
    minerx::bench::seed_network();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
