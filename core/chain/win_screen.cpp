#include "core/chain/win_screen.h"

#include <cmath>

#include "core/util/assert.h"

namespace minerx::chain {
namespace {

// Relative to 1.0 (= 2^256 in Q.256): 200x Lotus' documented worst error of e^-x on [0, 5).
constexpr double kMargin = 1e-12;
constexpr double kTwoTo64 = 18446744073709551616.0;

}  // namespace

NoWinScreen::NoWinScreen(StoragePower miner_power, StoragePower network_power) {
    MINERX_ASSERT(network_power > 0);
    if (miner_power == 0 || miner_power > network_power) return;  // declines: decide exactly
    const double lambda = static_cast<double>(kExpectedLeadersPerEpoch) *
                          (static_cast<double>(miner_power) / static_cast<double>(network_power));
    const double win_probability = -std::expm1(-lambda);
    const double bound = std::ceil((win_probability + kMargin) * kTwoTo64);
    if (!(bound < kTwoTo64)) return;  // the bound would cover every ticket
    bound_ = static_cast<std::uint64_t>(bound);
}

}  // namespace minerx::chain
