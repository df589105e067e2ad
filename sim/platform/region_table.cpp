#include "sim/platform/region_table.h"

#include <cmath>
#include <cstddef>

#include "core/util/assert.h"

namespace minerx::sim {
namespace {

// ---- SimBlock 2019 (dsg-titech/simblock @5fc7f9f, NetworkConfiguration.java) ----------------
// Region order as in SimBlock's REGION_LIST.
enum SimBlockRegion : std::size_t { kNA, kEU, kSA, kAP, kJP, kAU, kSimBlockRegions };

// LATENCY_2019, ms.
constexpr std::array<std::array<double, kSimBlockRegions>, kSimBlockRegions> kSimBlockLatency2019 =
    {{
        {32, 124, 184, 198, 151, 189},
        {124, 11, 227, 237, 252, 294},
        {184, 227, 88, 325, 301, 322},
        {198, 237, 325, 85, 58, 198},
        {151, 252, 301, 58, 12, 126},
        {189, 294, 322, 198, 126, 16},
    }};
// UPLOAD_BANDWIDTH_2019 and DOWNLOAD_BANDWIDTH_2019, bit/s (the 7th "inter-regional" entry is
// never read by SimBlock and not used here either).
constexpr std::array<double, kSimBlockRegions> kSimBlockUpload2019 = {
    19'200'000, 20'700'000, 5'800'000, 15'700'000, 10'200'000, 11'300'000};
constexpr std::array<double, kSimBlockRegions> kSimBlockDownload2019 = {
    52'000'000, 40'000'000, 18'000'000, 22'800'000, 22'800'000, 29'900'000};

// ---- libp2p test-plans (@00f6cbd, gossipsub-interop/network_graph.py) ------------------------
enum Libp2pLocation : std::size_t {
    kAustralia,
    kEastAsia,
    kEurope,
    kNaWest,
    kNaEast,
    kSouthAmerica,
    kSouthAfrica,
    kWestAsia,
    kLibp2pLocations
};
// One-way latency, ms, from row to column (directed: south_africa -> south_america is 190,
// the reverse 195).
constexpr std::array<std::array<double, kLibp2pLocations>, kLibp2pLocations> kLibp2pLatency = {{
    {2, 110, 165, 110, 150, 190, 220, 180},
    {110, 4, 125, 100, 140, 175, 175, 110},
    {165, 125, 2, 110, 70, 140, 95, 60},
    {110, 100, 110, 2, 60, 100, 160, 150},
    {150, 140, 70, 60, 2, 100, 130, 110},
    {190, 175, 140, 100, 100, 7, 195, 145},
    {220, 175, 95, 160, 130, 190, 7, 110},
    {180, 110, 60, 150, 110, 145, 110, 5},
}};

// Our continents in SimBlock's regions (Africa has none).
constexpr std::array<std::size_t, kContinentCount> kSimBlockOf = {
    kAP, kSimBlockRegions, kAU, kEU, kSA, kNA};

double bytes_per_s(double bits_per_s) { return bits_per_s / 8.0; }

// libp2p's symmetrised latency between two locations.
double libp2p_latency(std::size_t a, std::size_t b) {
    return (kLibp2pLatency[a][b] + kLibp2pLatency[b][a]) / 2.0;
}

// libp2p's latency between a location and one of our continents. North America is the plain
// mean of na_west and na_east (the table splits it in two).
double libp2p_latency_to(std::size_t location, Continent continent) {
    switch (continent) {
        case Continent::asia: return libp2p_latency(location, kEastAsia);
        case Continent::africa: return libp2p_latency(location, kSouthAfrica);
        case Continent::oceania: return libp2p_latency(location, kAustralia);
        case Continent::europe: return libp2p_latency(location, kEurope);
        case Continent::south_america: return libp2p_latency(location, kSouthAmerica);
        case Continent::north_america:
            return (libp2p_latency(location, kNaWest) + libp2p_latency(location, kNaEast)) / 2.0;
    }
    MINERX_ASSERT(false);
}

std::size_t libp2p_location_of(Continent continent) {
    switch (continent) {
        case Continent::asia: return kEastAsia;
        case Continent::africa: return kSouthAfrica;
        case Continent::oceania: return kAustralia;
        case Continent::europe: return kEurope;
        case Continent::south_america: return kSouthAmerica;
        case Continent::north_america: break;  // two locations; never asked for here
    }
    MINERX_ASSERT(false);
}

// How much larger SimBlock's inter-continent latencies are than libp2p's: the ratio of their
// sums over the ten pairs of the five continents both tables cover (about 1.71; SimBlock's
// figures are closer to round-trip-like path delays, libp2p's are idealised one-way edges).
double inter_continent_scale() {
    double simblock = 0;
    double libp2p = 0;
    for (std::size_t i = 0; i < kContinentCount; ++i) {
        for (std::size_t j = i + 1; j < kContinentCount; ++j) {
            if (kContinents[i] == Continent::africa || kContinents[j] == Continent::africa) continue;
            simblock += kSimBlockLatency2019[kSimBlockOf[i]][kSimBlockOf[j]];
            if (kContinents[i] == Continent::north_america) {
                libp2p += libp2p_latency_to(libp2p_location_of(kContinents[j]), kContinents[i]);
            } else {
                libp2p += libp2p_latency_to(libp2p_location_of(kContinents[i]), kContinents[j]);
            }
        }
    }
    return simblock / libp2p;
}

// The same ratio for latencies inside a continent, over the four continents that map to one
// libp2p location each (north_america is two locations 60 ms apart, so it is left out).
double intra_continent_scale() {
    double simblock = 0;
    double libp2p = 0;
    for (Continent continent : kContinents) {
        if (continent == Continent::africa || continent == Continent::north_america) continue;
        const std::size_t region = kSimBlockOf[index_of(continent)];
        const std::size_t location = libp2p_location_of(continent);
        simblock += kSimBlockLatency2019[region][region];
        libp2p += kLibp2pLatency[location][location];
    }
    return simblock / libp2p;
}

bool positive_finite(double value) { return std::isfinite(value) && value > 0; }

}  // namespace

double RegionTable::wan_latency_ms(Continent a, Continent b) const {
    MINERX_ASSERT(a != b);
    return latency(a, b) - (latency(a, a) + latency(b, b)) / 2.0;
}

std::optional<std::string> RegionTable::validate() const {
    for (Continent a : kContinents) {
        const std::string name(to_string(a));
        if (!positive_finite(upload(a))) return "upload bandwidth of " + name + " must be > 0";
        if (!positive_finite(download(a))) return "download bandwidth of " + name + " must be > 0";
        for (Continent b : kContinents) {
            const std::string pair = name + "-" + std::string(to_string(b));
            if (!positive_finite(latency(a, b))) return "latency " + pair + " must be > 0";
            if (latency(a, b) != latency(b, a)) return "latency " + pair + " is not symmetric";
            if (a != b && !(wan_latency_ms(a, b) > 0)) {
                return "latency " + pair +
                       " must exceed the mean of the two intra-continent latencies";
            }
        }
    }
    return std::nullopt;
}

RegionTable RegionTable::measured_2019() {
    RegionTable table;
    const double inter_scale = inter_continent_scale();
    const double intra_scale = intra_continent_scale();
    const std::size_t south_africa = kSouthAfrica;
    for (Continent a : kContinents) {
        const std::size_t i = index_of(a);
        // Africa's access bandwidth: South America's (assumption, see the header).
        const std::size_t bandwidth_region = a == Continent::africa ? kSA : kSimBlockOf[i];
        table.upload_bytes_per_s[i] = bytes_per_s(kSimBlockUpload2019[bandwidth_region]);
        table.download_bytes_per_s[i] = bytes_per_s(kSimBlockDownload2019[bandwidth_region]);
        for (Continent b : kContinents) {
            const std::size_t j = index_of(b);
            if (a == Continent::africa && b == Continent::africa) {
                table.latency_ms[i][j] = kLibp2pLatency[south_africa][south_africa] * intra_scale;
            } else if (a == Continent::africa) {
                table.latency_ms[i][j] = libp2p_latency_to(south_africa, b) * inter_scale;
            } else if (b == Continent::africa) {
                table.latency_ms[i][j] = libp2p_latency_to(south_africa, a) * inter_scale;
            } else {
                table.latency_ms[i][j] = kSimBlockLatency2019[kSimBlockOf[i]][kSimBlockOf[j]];
            }
        }
    }
    MINERX_ASSERT(!table.validate().has_value());
    return table;
}

}  // namespace minerx::sim
