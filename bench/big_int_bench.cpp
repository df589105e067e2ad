// The full election path, ComputeWinCount, on each big-integer backend, and its parts:
//
//   ComputeWinCount/<backend>/<miner>  BLAKE2b-256 of a 96-byte VRF proof, λ, e^-λ, Poisson loop
//   Blake2b256/96B                     the hash alone (libsodium, after sodium_init())
//   ElectionLambda/<backend>/<miner>   λ = ((5·p) << 256) / P alone
//   ExpNeg/<backend>/<miner>           the Q.256 e^-λ alone (the bulk of the arithmetic)
//   WinThresholds/<miner>, WinThresholds/seed_network
//                                      the fast path's precomputation (GMP; one per power pair)
//
// Backends: gmp (mpz_class, production), boost_cpp_int (dynamic, heap-allocating),
// boost_int1024 (fixed 1024-bit, no allocation). Miners: small_miner = 10 TiB of 8 EiB (wins about
// once in 150,000 epochs), lambda_1 = a fifth of a 5.4 EiB network (λ ≈ 1, wins in 63 % of epochs,
// so the Poisson loop runs). items_per_second = elections (or hashes, or constructions) per second.
//
// Before any timing, main() checks that the three backends and WinThresholds agree on thousands of
// tickets for both miners, and aborts otherwise. docs/benchmarks.md has the numbers.

#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <sodium.h>

#include "bench/bench_common.h"
#include "core/chain/blake2b.h"
#include "core/chain/election.h"
#include "core/chain/win_thresholds.h"
#include "core/math/big_int.h"
#include "core/math/big_int_boost.h"

namespace minerx::bench {
namespace {

using chain::Digest;
using chain::StoragePower;

struct PowerCase {
    const char* name;
    StoragePower miner;
    StoragePower network;
};
constexpr std::array<PowerCase, 2> kPowerCases = {{
    {"small_miner", 10 * kTiB, 8 * kEiB},
    {"lambda_1", kNetwork2021 / 5, kNetwork2021},
}};

using VrfProof = std::array<std::uint8_t, 96>;  // a BLS signature, as WinningPoSt's VRF output

VrfProof random_proof(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    VrfProof proof{};
    for (std::size_t i = 0; i < proof.size(); i += 8) {
        const std::uint64_t word = rng();
        std::memcpy(proof.data() + i, &word, sizeof(word));
    }
    return proof;
}

// A different proof every call (a counter in the first 8 bytes), as every epoch has its own.
void next_proof(VrfProof& proof, std::uint64_t& counter) {
    ++counter;
    std::memcpy(proof.data(), &counter, sizeof(counter));
}

template <class Int>
void BM_ComputeWinCount(benchmark::State& state, StoragePower miner, StoragePower network) {
    VrfProof proof = random_proof(1);
    std::uint64_t counter = 0;
    std::int64_t wins = 0;
    for (auto _ : state) {
        next_proof(proof, counter);
        const Digest digest = chain::blake2b_256(proof);
        wins += chain::win_count_for_digest<Int>(digest, miner, network);
    }
    benchmark::DoNotOptimize(wins);
    state.SetItemsProcessed(state.iterations());
    state.counters["wins_per_call"] = benchmark::Counter(
        static_cast<double>(wins) / static_cast<double>(state.iterations()));
}

void BM_Blake2b256(benchmark::State& state) {
    VrfProof proof = random_proof(2);
    std::uint64_t counter = 0;
    for (auto _ : state) {
        next_proof(proof, counter);
        Digest digest = chain::blake2b_256(proof);
        benchmark::DoNotOptimize(digest);
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(VrfProof{}.size()));
}

template <class Int>
void BM_ElectionLambda(benchmark::State& state, StoragePower miner, StoragePower network) {
    const Int miner_int = math::make_int<Int>(miner);
    const Int network_int = math::make_int<Int>(network);
    for (auto _ : state) {
        benchmark::DoNotOptimize(miner_int);
        Int lambda = chain::election_lambda(miner_int, network_int);
        benchmark::DoNotOptimize(lambda);
    }
    state.SetItemsProcessed(state.iterations());
}

template <class Int>
void BM_ExpNeg(benchmark::State& state, StoragePower miner, StoragePower network) {
    const Int lambda = chain::election_lambda(math::make_int<Int>(miner), math::make_int<Int>(network));
    const math::ExpNeg<Int>& expneg = chain::election_expneg<Int>();
    for (auto _ : state) {
        benchmark::DoNotOptimize(lambda);
        Int result = expneg(lambda);
        benchmark::DoNotOptimize(result);
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_WinThresholds(benchmark::State& state, StoragePower miner, StoragePower network) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(miner);
        chain::WinThresholds thresholds(miner, network);
        benchmark::DoNotOptimize(thresholds);
    }
    state.SetItemsProcessed(state.iterations());
}

// All 2400 seed-network miners' thresholds: what a simulator pays each time powers change.
void BM_WinThresholdsSeedNetwork(benchmark::State& state) {
    const std::vector<StoragePower> powers = seed_network_powers();
    StoragePower network = 0;
    for (StoragePower power : powers) network += power;
    for (auto _ : state) {
        for (StoragePower power : powers) {
            chain::WinThresholds thresholds(power, network);
            benchmark::DoNotOptimize(thresholds);
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(powers.size()));
}

// The guard: every backend, the production function and the fast path give the same WinCount.
void verify_backends_agree() {
    std::mt19937_64 rng(20210601);
    int checked = 0;
    for (const PowerCase& power : kPowerCases) {
        const chain::WinThresholds fast(power.miner, power.network);
        checked += verify_fast_path(fast, power.miner, power.network, rng, 1000, chain::kMaxWinCount);
        for (int i = 0; i < 1000; ++i) {
            const VrfProof proof = random_proof(rng());
            const Digest digest = chain::blake2b_256(proof);
            const std::int64_t gmp = chain::compute_win_count(proof, power.miner, power.network);
            check(gmp == chain::win_count_for_digest<math::BigInt>(digest, power.miner, power.network),
                  "compute_win_count differs from win_count_for_digest<BigInt>");
            check(gmp == chain::win_count_for_digest<math::BoostBigInt>(digest, power.miner,
                                                                        power.network),
                  "GMP and Boost cpp_int disagree");
            check(gmp == chain::win_count_for_digest<math::BoostInt1024>(digest, power.miner,
                                                                         power.network),
                  "GMP and Boost int1024 disagree");
            check(gmp == fast.win_count(digest), "full path and WinThresholds disagree");
            ++checked;
        }
    }
    std::fprintf(stderr, "self-check: backends and fast path agree on %d tickets\n", checked);
}

template <class Int>
void register_backend(const std::string& backend) {
    for (const PowerCase& power : kPowerCases) {
        const std::string suffix = backend + "/" + power.name;
        benchmark::RegisterBenchmark(("ComputeWinCount/" + suffix).c_str(), BM_ComputeWinCount<Int>,
                                     power.miner, power.network);
        benchmark::RegisterBenchmark(("ElectionLambda/" + suffix).c_str(), BM_ElectionLambda<Int>,
                                     power.miner, power.network);
        benchmark::RegisterBenchmark(("ExpNeg/" + suffix).c_str(), BM_ExpNeg<Int>, power.miner,
                                     power.network);
    }
}

}  // namespace
}  // namespace minerx::bench

int main(int argc, char** argv) {
    using namespace minerx;
    using namespace minerx::bench;
    // As a daemon or the simulator would: lets libsodium pick its fastest BLAKE2b implementation.
    check(sodium_init() >= 0, "sodium_init");
    verify_backends_agree();

    benchmark::RegisterBenchmark("Blake2b256/96B", BM_Blake2b256);
    register_backend<math::BigInt>("gmp");
    register_backend<math::BoostBigInt>("boost_cpp_int");
    register_backend<math::BoostInt1024>("boost_int1024");
    for (const PowerCase& power : kPowerCases) {
        benchmark::RegisterBenchmark((std::string("WinThresholds/") + power.name).c_str(),
                                     BM_WinThresholds, power.miner, power.network);
    }
    benchmark::RegisterBenchmark("WinThresholds/seed_network", BM_WinThresholdsSeedNetwork);

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
