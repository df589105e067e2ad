#include "sim/network/network_plan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "core/chain/power_units.h"
#include "core/sealing/hardware_profile.h"
#include "core/sealing/sealing_types.h"
#include "core/sealing/throughput_estimate.h"
#include "core/util/random.h"

namespace minerx::sim {
namespace {

using chain::StoragePower;
using Sectors = math::Uint128;  // a power as a count of 32 GiB sectors

constexpr StoragePower kSector = sealing::kSectorSizeBytes;
// The open last bin is drawn on [min, kOpenBinSpan x min) before it absorbs the rest.
constexpr double kOpenBinSpan = 2.0;
// Tilts beyond this put every draw within 0.4 % of its bin's min (u < 1 - 2^-53), so a larger
// one could not lower the total further.
constexpr double kMaxTilt = 1e4;
constexpr int kTiltBisectionSteps = 80;
// A bound far above mainnet (a few thousand miners in 2021), so that a typo in a bin count is
// refused instead of exhausting memory.
constexpr std::int64_t kMaxSoloMiners = 10'000'000;

std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

// Independent streams per purpose, so that one part of the network does not shift another's draws.
util::Random solo_stream(std::uint64_t seed) { return util::Random(seed ^ fnv1a("solo miners")); }
util::Random pool_stream(std::uint64_t seed, const std::string& pool) {
    return util::Random(seed ^ fnv1a("pool:" + pool));
}

double to_double(math::Uint128 value) { return static_cast<double>(value); }

Sectors from_double(double value) { return value <= 0.0 ? 0 : static_cast<Sectors>(value); }

Sectors ceil_sectors(StoragePower power) { return (power + kSector - 1) / kSector; }

// The whole sectors a miner of the bin may hold: [low, high], power in [min, max). The open bin
// gets its nominal range [min, kOpenBinSpan x min).
struct SectorRange {
    Sectors low = 0;
    Sectors high = 0;
    bool open = false;
};

SectorRange sector_range(const PowerBin& bin, StoragePower smallest_miner_power) {
    const StoragePower min = bin.min_power == 0 ? smallest_miner_power : bin.min_power;
    SectorRange range;
    range.low = std::max<Sectors>(1, ceil_sectors(min));
    if (bin.max_power) {
        range.high = *bin.max_power == 0 ? 0 : (*bin.max_power - 1) / kSector;
    } else {
        range.open = true;
        range.high = from_double(to_double(range.low) * kOpenBinSpan) - 1;
    }
    return range;
}

// The u-quantile of p(x) ~ x^-(1+tilt) on [low, high + 1), floored to whole sectors. Tilt 0 is
// the log-uniform distribution; larger tilts push the mass towards low.
Sectors tilted_draw(const SectorRange& range, double u, double tilt) {
    const double low = to_double(range.low);
    const double ratio = (to_double(range.high) + 1.0) / low;
    const double x = tilt == 0.0
                         ? low * std::pow(ratio, u)
                         : low * std::pow(1.0 - u * (1.0 - std::pow(ratio, -tilt)), -1.0 / tilt);
    return std::clamp(from_double(std::floor(x)), range.low, range.high);
}

struct SoloDraw {
    std::size_t bin = 0;
    Continent continent = Continent::asia;
    double u = 0.0;
};

Continent draw_continent(util::Random& random, const PerContinent<double>& weights) {
    double total = 0.0;
    for (double weight : weights) total += weight;
    const double target = random.uniform() * total;
    double cumulative = 0.0;
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < kContinentCount; ++i) {
        if (weights[i] <= 0.0) continue;
        chosen = i;
        cumulative += weights[i];
        if (target < cumulative) break;
    }
    return kContinents[chosen];
}

Sectors total_sectors(const std::vector<SoloDraw>& draws, const std::vector<SectorRange>& ranges,
                      double tilt) {
    Sectors total = 0;
    for (const SoloDraw& draw : draws) total += tilted_draw(ranges[draw.bin], draw.u, tilt);
    return total;
}

// The smallest tilt whose total does not exceed target (or kMaxTilt).
double fit_tilt(const std::vector<SoloDraw>& draws, const std::vector<SectorRange>& ranges,
                Sectors target) {
    if (total_sectors(draws, ranges, 0.0) <= target) return 0.0;
    double low = 0.0;
    double high = 1.0;
    while (high < kMaxTilt && total_sectors(draws, ranges, high) > target) high *= 2.0;
    high = std::min(high, kMaxTilt);
    for (int step = 0; step < kTiltBisectionSteps; ++step) {
        const double middle = 0.5 * (low + high);
        if (total_sectors(draws, ranges, middle) > target) {
            low = middle;
        } else {
            high = middle;
        }
    }
    return high;
}

// Spreads `extra` sectors over the open bin's miners in proportion to their power; the last one
// takes the rounding remainder.
void absorb_into_open_bin(std::vector<Sectors>& sectors,
                          const std::vector<std::size_t>& open_miners, Sectors extra) {
    if (open_miners.empty() || extra == 0) return;
    Sectors open_total = 0;
    for (std::size_t i : open_miners) open_total += sectors[i];
    Sectors remaining = extra;
    for (std::size_t k = 0; k + 1 < open_miners.size(); ++k) {
        const std::size_t i = open_miners[k];
        const Sectors share =
            std::min(remaining, from_double(std::floor(to_double(extra) * to_double(sectors[i]) /
                                                       to_double(open_total))));
        sectors[i] += share;
        remaining -= share;
    }
    sectors[open_miners.back()] += remaining;
}

StoragePower tolerance_of(const NetworkSpec& network) {
    return network.total_power * static_cast<StoragePower>(network.total_power_tolerance_ppm) /
           StoragePower{1'000'000};
}

std::string bin_label(const PowerBin& bin) {
    return "[" + chain::format_storage_power(bin.min_power) + ", " +
           (bin.max_power ? chain::format_storage_power(*bin.max_power) : std::string("open")) +
           ")";
}

void plan_solo_miners(const NetworkSpec& network, std::uint64_t seed, NetworkPlan& plan) {
    std::vector<SectorRange> ranges;
    for (const PowerBin& bin : network.bins) {
        ranges.push_back(sector_range(bin, network.smallest_miner_power));
    }
    util::Random random = solo_stream(seed);
    std::vector<SoloDraw> draws;
    std::vector<std::size_t> open_miners;
    for (std::size_t b = 0; b < network.bins.size(); ++b) {
        for (std::int64_t m = 0; m < network.bins[b].miners; ++m) {
            SoloDraw draw;
            draw.bin = b;
            draw.continent = draw_continent(random, network.continent_weights);
            draw.u = random.uniform();
            if (ranges[b].open) open_miners.push_back(draws.size());
            draws.push_back(draw);
        }
    }
    const Sectors target = network.total_power / kSector;
    plan.bin_tilt = fit_tilt(draws, ranges, target);
    std::vector<Sectors> sectors;
    Sectors total = 0;
    for (const SoloDraw& draw : draws) {
        sectors.push_back(tilted_draw(ranges[draw.bin], draw.u, plan.bin_tilt));
        total += sectors.back();
    }
    if (total < target) absorb_into_open_bin(sectors, open_miners, target - total);

    for (std::size_t i = 0; i < draws.size(); ++i) {
        MinerPlan miner;
        miner.index = static_cast<std::uint32_t>(plan.miners.size());
        miner.actor_id = kFirstMinerActorId + miner.index;
        miner.host_name = "miner-" + std::to_string(miner.index);
        miner.continent = draws[i].continent;
        miner.initial_power = sectors[i] * kSector;
        miner.bin = static_cast<std::int32_t>(draws[i].bin);
        plan.solo_power += miner.initial_power;
        plan.miners.push_back(std::move(miner));
    }
    plan.solo_count = draws.size();

    const StoragePower difference = plan.solo_power > network.total_power
                                        ? plan.solo_power - network.total_power
                                        : network.total_power - plan.solo_power;
    if (difference > tolerance_of(network)) {
        throw std::runtime_error("cannot generate the network: the bins give " +
                                 chain::format_storage_power(plan.solo_power) +
                                 " in all, total_power is " +
                                 chain::format_storage_power(network.total_power));
    }
}

void plan_pool_members(const PoolSpec& pool, std::size_t pool_index, std::uint64_t seed,
                       NetworkPlan& plan) {
    const MemberSpec& spec = pool.members;
    const SectorRange range{.low = std::max<Sectors>(1, ceil_sectors(spec.initial_power_min)),
                            .high = spec.initial_power_max / kSector,
                            .open = false};
    const std::optional<sealing::HardwareProfile> profile =
        sealing::preset_profile(spec.sealing_profile);
    if (!profile || range.high < range.low) {
        throw std::runtime_error("pool " + pool.name + ": invalid member spec (not validated?)");
    }
    const double sectors_per_day = sealing::estimate_throughput(*profile).proven_sectors_per_day;
    const StoragePower daily_sealing = from_double(std::floor(sectors_per_day)) * kSector;
    util::Random random = pool_stream(seed, pool.name);
    std::size_t k = 0;
    for (Continent continent : kContinents) {
        for (std::int64_t m = 0; m < spec.per_continent[index_of(continent)]; ++m, ++k) {
            MinerPlan miner;
            miner.index = static_cast<std::uint32_t>(plan.miners.size());
            miner.actor_id = kFirstMinerActorId + miner.index;
            miner.host_name = pool.name + ".member-" + std::to_string(k);
            miner.continent = continent;
            miner.initial_power = tilted_draw(range, random.uniform(), 0.0) * kSector;
            miner.pool = pool_index;
            const auto span =
                static_cast<std::uint64_t>(spec.join_until_epoch - spec.join_from_epoch);
            miner.join_epoch =
                spec.join_from_epoch + static_cast<chain::ChainEpoch>(random.below(span + 1));
            miner.max_power = spec.max_power;
            miner.daily_sealing = daily_sealing;
            plan.member_power += miner.initial_power;
            plan.miners.push_back(std::move(miner));
        }
    }
    plan.member_count += k;
}

std::string format_decimal(double value, const char* format) {
    std::array<char, 64> buffer{};
    std::snprintf(buffer.data(), buffer.size(), format, value);
    return buffer.data();
}

std::string pib_text(StoragePower power) {
    return format_decimal(to_double(power) / to_double(StoragePower{1} << 50), "%.6g");
}

}  // namespace

std::optional<std::string> network_spec_error(const NetworkSpec& network) {
    if (network.bins.empty()) return "the network has no bins";
    std::int64_t miner_count = 0;
    for (const PowerBin& bin : network.bins) miner_count += bin.miners;
    if (miner_count > kMaxSoloMiners) {
        return "the bins hold " + std::to_string(miner_count) + " miners, more than the " +
               std::to_string(kMaxSoloMiners) + " a network may have";
    }
    if (network.bins.front().min_power == 0 && network.bins.front().max_power &&
        network.smallest_miner_power >= *network.bins.front().max_power) {
        return "smallest_miner_power (" +
               chain::format_storage_power(network.smallest_miner_power) +
               ") must be below the first bin's max";
    }
    StoragePower minimum = 0;
    StoragePower maximum = 0;
    bool open = false;
    for (const PowerBin& bin : network.bins) {
        const SectorRange range = sector_range(bin, network.smallest_miner_power);
        if (range.high < range.low)
            return "bin " + bin_label(bin) + " holds no whole 32 GiB sector";
        const auto miners = static_cast<StoragePower>(bin.miners);
        minimum += miners * range.low * kSector;
        maximum += miners * range.high * kSector;
        open = open || (range.open && bin.miners > 0);
    }
    const StoragePower tolerance = tolerance_of(network);
    if (minimum > network.total_power + tolerance) {
        return "the bins' minimum powers add up to " + chain::format_storage_power(minimum) +
               ", more than total_power (" + chain::format_storage_power(network.total_power) +
               ") allows";
    }
    if (!open && maximum + tolerance < network.total_power) {
        return "the bins can hold at most " + chain::format_storage_power(maximum) +
               ", less than total_power (" + chain::format_storage_power(network.total_power) +
               "); add an open last bin (no max) or lower total_power";
    }
    return std::nullopt;
}

NetworkPlan plan_network(const Scenario& scenario, std::uint64_t seed) {
    if (const auto error = network_spec_error(scenario.network)) {
        throw std::runtime_error("cannot generate the network: " + *error);
    }
    std::int64_t count = 0;
    for (const PowerBin& bin : scenario.network.bins) count += bin.miners;
    for (const PoolSpec& pool : scenario.pools) {
        for (std::int64_t members : pool.members.per_continent) count += members;
    }
    if (count > std::numeric_limits<std::int32_t>::max()) {
        throw std::runtime_error("cannot generate the network: more than 2^31 miners");
    }
    NetworkPlan plan;
    plan.miners.reserve(static_cast<std::size_t>(count));
    plan_solo_miners(scenario.network, seed, plan);
    for (std::size_t p = 0; p < scenario.pools.size(); ++p) {
        plan_pool_members(scenario.pools[p], p, seed, plan);
    }
    return plan;
}

void write_network_csv(std::ostream& out, const Scenario& scenario, const NetworkPlan& plan) {
    out << "miner,actor_id,host,continent,power_bytes,power_tib,bin_min_pib,bin_max_pib,role,pool,"
           "join_epoch,daily_sealing_bytes\n";
    const double tib = to_double(StoragePower{1} << 40);
    for (const MinerPlan& miner : plan.miners) {
        out << miner.index << ',' << miner.actor_id << ',' << miner.host_name << ','
            << to_string(miner.continent) << ',' << math::to_string(miner.initial_power) << ','
            << format_decimal(to_double(miner.initial_power) / tib, "%.3f") << ',';
        if (miner.bin >= 0) {
            const PowerBin& bin = scenario.network.bins[static_cast<std::size_t>(miner.bin)];
            out << pib_text(bin.min_power) << ','
                << (bin.max_power ? pib_text(*bin.max_power) : std::string()) << ",solo,,";
        } else {
            out << ",,member," << scenario.pools[*miner.pool].name << ',';
        }
        out << miner.join_epoch << ',' << math::to_string(miner.daily_sealing) << '\n';
    }
}

std::vector<chain::ActorId> actor_ids(const NetworkPlan& plan, std::size_t from, std::size_t to) {
    std::vector<chain::ActorId> ids;
    for (std::size_t i = from; i < to; ++i) ids.push_back(plan.miners[i].actor_id);
    return ids;
}

}  // namespace minerx::sim
