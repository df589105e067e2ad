#pragma once

// Exact proportional division of attoFIL. Every split in the pool (a block reward over members, a
// reward's locked part over its beneficiaries, a reserve too small for its arrears) goes through
// here, so that no split ever creates or loses an attoFIL.
//
// The method is largest remainder (Hamilton's method): each entry first gets the floor of its
// exact quota amount * w_i / W; the attoFIL left over (fewer than the number of entries) go one
// each to the entries with the largest remainders amount * w_i mod W, equal remainders to the
// lower index. So Σ parts == amount, and every part is the floor or the ceiling of its quota.
//
// Weights are unsigned 128-bit (power in bytes, or power x epochs); products amount * w_i can
// reach 2^219, so quotas are computed with math::mul_div_rem (core/math/mul_div.h), which forms
// the product exactly in 256 bits when it does not fit 128, without allocating.
//
// Zero total weight is a caller error (asserted): the caller decides where unweighted money goes.
// The pool's reward policies send it to the reserve (core/pool/reward_policy.h).

#include <span>
#include <vector>

#include "core/chain/token_amount.h"
#include "core/math/int128.h"
#include "core/pool/pool_types.h"

namespace minerx::pool {

// floor(amount * weight / total_weight), exact for any operands.
// REQUIRES: amount >= 0; total_weight > 0; the result fits AttoFil (true whenever weight <=
// total_weight).
chain::AttoFil proportional_part(chain::AttoFil amount, math::Uint128 weight,
                                 math::Uint128 total_weight);

// Largest-remainder split of amount by weights; parts[i] belongs to weights[i].
// Guarantees: Σ parts == amount; floor(quota_i) <= parts[i] <= ceil(quota_i), so parts[i] == 0
// where weights[i] == 0 and parts[i] <= amount; of two entries with equal remainders the lower
// index is rounded up first.
// REQUIRES: amount >= 0; weights not empty; Σ weights > 0 and fits 128 bits.
std::vector<chain::AttoFil> apportion(chain::AttoFil amount,
                                      std::span<const math::Uint128> weights);

struct MemberWeight {
    MemberId member = 0;
    math::Uint128 weight = 0;
};

// apportion() over members, so that equal remainders favour the lower MemberId.
// REQUIRES: as apportion(); members strictly ascending.
std::vector<chain::AttoFil> apportion_by_member(chain::AttoFil amount,
                                                std::span<const MemberWeight> weights);

}  // namespace minerx::pool
