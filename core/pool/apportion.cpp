#include "core/pool/apportion.h"

#include <algorithm>
#include <cstddef>
#include <limits>

#include "core/math/mul_div.h"
#include "core/util/assert.h"

namespace minerx::pool {

namespace {

using math::Uint128;

Uint128 checked_total(std::span<const Uint128> weights) {
    Uint128 total = 0;
    for (Uint128 weight : weights) {
        MINERX_ASSERT(weight <= std::numeric_limits<Uint128>::max() - total);
        total += weight;
    }
    return total;
}

Uint128 as_unsigned_amount(chain::AttoFil amount) {
    MINERX_ASSERT(amount >= 0);
    return static_cast<Uint128>(amount);
}

}  // namespace

chain::AttoFil proportional_part(chain::AttoFil amount, Uint128 weight, Uint128 total_weight) {
    MINERX_ASSERT(total_weight > 0);
    const Uint128 part = math::mul_div(as_unsigned_amount(amount), weight, total_weight);
    MINERX_ASSERT(part <= static_cast<Uint128>(std::numeric_limits<chain::AttoFil>::max()));
    return static_cast<chain::AttoFil>(part);
}

std::vector<chain::AttoFil> apportion(chain::AttoFil amount, std::span<const Uint128> weights) {
    MINERX_ASSERT(!weights.empty());
    const Uint128 amount_unsigned = as_unsigned_amount(amount);
    const Uint128 total = checked_total(weights);
    MINERX_ASSERT(total > 0);

    std::vector<chain::AttoFil> parts(weights.size(), 0);
    std::vector<Uint128> remainders(weights.size(), 0);
    Uint128 handed_out = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        // weights[i] <= total, so the quota is at most the amount and fits.
        const math::MulDivResult quota = math::mul_div_rem(amount_unsigned, weights[i], total);
        MINERX_ASSERT(quota.quotient <= amount_unsigned);
        parts[i] = static_cast<chain::AttoFil>(quota.quotient);
        remainders[i] = quota.remainder;
        handed_out += quota.quotient;
    }
    MINERX_ASSERT(handed_out <= amount_unsigned);
    // Σ remainders == leftover * total with every remainder < total, so at least `leftover`
    // entries have a non-zero remainder, and each of them is rounded up at most once.
    const Uint128 leftover = amount_unsigned - handed_out;
    MINERX_ASSERT(leftover < weights.size());
    if (leftover == 0) return parts;

    std::vector<std::size_t> order(weights.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto rounded_up_first = [&](std::size_t a, std::size_t b) {
        if (remainders[a] != remainders[b]) return remainders[a] > remainders[b];
        return a < b;
    };
    const auto boundary = order.begin() + static_cast<std::ptrdiff_t>(leftover);
    std::nth_element(order.begin(), boundary - 1, order.end(), rounded_up_first);
    for (auto it = order.begin(); it != boundary; ++it) {
        MINERX_ASSERT(remainders[*it] > 0);
        parts[*it] += 1;
    }
    return parts;
}

std::vector<chain::AttoFil> apportion_by_member(chain::AttoFil amount,
                                                std::span<const MemberWeight> weights) {
    std::vector<Uint128> plain(weights.size());
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (i > 0) MINERX_ASSERT(weights[i - 1].member < weights[i].member);
        plain[i] = weights[i].weight;
    }
    return apportion(amount, plain);
}

}  // namespace minerx::pool
