#pragma once

// The theory beside the simulation: for each reward policy, the mean and variance of a member's
// income over a window, the probability of a window without income, the time to the first
// reward, and for the smoothed policy the operator's reserve (ruin and vesting liquidity). The
// derivations and the assumptions are in docs/theory.md; tests check simulated numbers against
// these functions, and the reports draw them as the "theory" line.
//
// Model (research/election.md §1, §5.7; research/sim.md §4-5). Per epoch a miner of power share s
// wins WinCount ~ Poisson(5 s), independently of every other miner and epoch; Lotus computes it
// with a Q.256 Poisson inverse CDF capped at 15 wins, whose deviation from Poisson is far below any
// simulation's resolution (P(cap binds) ~ (5s)^16 / 16!). A WinCount earns R / 5 attoFIL with R the
// epoch's ThisEpochReward (the floor in floor(R · W / 5) is ignored). A fraction ℓ of the wins
// is lost (orphaned block, WinningPoSt timeout): modelled as independent thinning of the WinCount,
// exact for blocks of WinCount 1, which is every block up to O(5 s).
//
// Every value is a double in attoFIL (squared for variances): statistics, not money.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace minerx::stats {

enum class RewardPolicyModel : std::uint8_t {
    solo,                // no pool: the member's own blocks, no fee
    winner_takes_all,    // in the pool, but each block's reward goes to the member that won it
    power_proportional,  // each pool block split by the members' sharing weight at that epoch
    pplns,               // each pool block split by the last W units of power-time
    smoothed,            // FPPS-like: (1 − f) s R paid every epoch from a reserve
};
inline constexpr std::array<RewardPolicyModel, 5> kRewardPolicyModels{
    RewardPolicyModel::solo, RewardPolicyModel::winner_takes_all,
    RewardPolicyModel::power_proportional, RewardPolicyModel::pplns, RewardPolicyModel::smoothed};

std::string_view policy_model_name(RewardPolicyModel policy);

struct TheoryParams {
    // s: the member's power that can win (eligible, quality-adjusted, at the lookback) over the
    // network's. A member below the 10 TiB consensus minimum cannot win: s = 0, and under solo
    // and winner-takes-all it earns nothing. REQUIRES: 0 <= s <= 1.
    double member_share = 0;
    // S: the pool's winning power over the network's. Ignored by solo and winner-takes-all.
    // REQUIRES for pooled policies: 0 < S <= 1.
    double pool_share = 0;
    // q: the member's fraction of the pool's sharing weight. Defaults to s / S. Set it when the
    // pool's weights differ from winning power, e.g. a pool that lets members below the minimum
    // share: their s is 0 but their q is not (the other members' q shrink accordingly).
    std::optional<double> member_pool_fraction = std::nullopt;
    // f: the pool's fee, a fraction of every reward it distributes. Ignored by solo.
    double fee = 0;
    // R: ThisEpochReward in attoFIL (5 expected WinCounts earn R). REQUIRES: R > 0.
    double reward_per_epoch_attofil = 0;
    // ℓ: the fraction of won WinCount that earns nothing. REQUIRES: 0 <= ℓ < 1.
    double loss_rate = 0;
};

struct IncomeMoments {
    double mean_attofil = 0;
    double variance_attofil2 = 0;

    // Standard deviation over mean; nullopt when the mean is 0.
    std::optional<double> cv() const;
};

// The member's income over `epochs` epochs (n). With λ = 5 s (1 − ℓ), Λ = 5 S (1 − ℓ):
//   solo               mean n s (1−ℓ) R             variance n s (1−ℓ) R² / 5
//   winner_takes_all   (1 − f) × solo's mean        (1 − f)² × solo's variance
//   power_proportional mean n (1−f) q S (1−ℓ) R     variance n (1−f)² q² S (1−ℓ) R² / 5
//   pplns              as power_proportional (constant membership; see pooled_income_moments)
//   smoothed           mean n (1−f) q S R           variance 0 (while the reserve pays)
// REQUIRES: epochs >= 0; params valid for the policy.
IncomeMoments income_moments(RewardPolicyModel policy, const TheoryParams& params, double epochs);

// The probability that one epoch credits the member anything: 1 − e^(−λ) for solo and
// winner-takes-all, 1 − e^(−Λ) for the sharing policies (the member is paid whenever the pool
// wins; 0 if q = 0), 1 for smoothed (q > 0).
double reward_probability_per_epoch(RewardPolicyModel policy, const TheoryParams& params);

// P(no income in `epochs` epochs) = (1 − p1)^n with p1 as above: e^(−5 s (1−ℓ) n) solo.
double zero_income_probability(RewardPolicyModel policy, const TheoryParams& params,
                               double epochs);

// The same for a solo miner from Lotus' exact per-epoch win probability q
// (chain::WinThresholds(p, P).win_probability()): (1 − q (1 − ℓ))^n.
// REQUIRES: 0 <= q <= 1; 0 <= loss_rate < 1; epochs >= 0.
double lotus_solo_zero_income_probability(double win_probability, double loss_rate,
                                          double epochs);

// The number of epochs until the first credit, counting that epoch, is geometric on {1, 2, ...}
// with success probability p1: mean 1 / p1 (infinite if p1 = 0), variance (1 − p1) / p1².
double mean_epochs_to_first_reward(RewardPolicyModel policy, const TheoryParams& params);
double variance_epochs_to_first_reward(RewardPolicyModel policy, const TheoryParams& params);

// --- Pools whose shares change: PPLNS with churn, or any sharing policy with varying weights. ---

// A member's PPLNS weight at each epoch t (core/pool/policies/pplns.h): its units among the last
// W units of the pool's power-time up to and including epoch t, divided by W. The oldest epoch
// reaching into the window counts for the part inside it, shared pro rata by power. While the
// pool holds fewer than W units the weights sum to less than 1 (the pool pays the rest to its
// reserve). Epochs before the series are taken as empty. Units are those of the series (e.g.
// TiB per epoch, then W in TiB-epochs). REQUIRES: same lengths; window_units > 0;
// 0 <= p(u) <= P(u).
std::vector<double> pplns_weights(std::span<const double> member_power_by_epoch,
                                  std::span<const double> pool_power_by_epoch,
                                  double window_units);

// Income moments when the member's weight w(t) and the pool's winning share S(t) vary by epoch:
//   mean (1 − f)(1 − ℓ) R Σ_t S(t) w(t),   variance (1 − f)² (1 − ℓ) (R² / 5) Σ_t S(t) w(t)².
// With constant S and w = s / S this is power_proportional over n epochs.
// REQUIRES: same lengths; every S(t), w(t) in [0, 1]; fee, R, ℓ as in TheoryParams.
IncomeMoments pooled_income_moments(std::span<const double> pool_share_by_epoch,
                                    std::span<const double> member_weight_by_epoch,
                                    double fee, double reward_per_epoch_attofil,
                                    double loss_rate);

// --- The smoothed (FPPS-like) policy: the operator's reserve. ---
// The reserve U receives the pool's block rewards and pays members (1 − f) S R per epoch (the fee
// stays in the reserve): per epoch D = (R/5) K − (1 − f) S R with K ~ Poisson(Λ).

struct ReserveStep {
    double drift_attofil = 0;     // E[D] = (f − ℓ) S R
    double variance_attofil2 = 0; // Var[D] = (1 − ℓ) S R² / 5
    double payout_attofil = 0;    // (1 − f) S R, the most the reserve can fall in one epoch
};
ReserveStep smoothed_reserve_step(const TheoryParams& params);

// Brownian approximation of ruin (the reserve ever below 0) from reserve x:
// exp(−2 E[D] x / Var[D]) = exp(−10 (f − ℓ) x / ((1 − ℓ) R)); 1 when f <= ℓ.
double smoothed_ruin_probability_diffusion(const TheoryParams& params, double reserve_attofil);

// The Lundberg (adjustment) coefficient κ > 0 with E[exp(−κ D)] = 1; with y = κ R / 5 it solves
// (1 − f) y = (1 − ℓ)(1 − e^(−y)), independent of S. 0 when f <= ℓ (ruin is certain).
double smoothed_lundberg_exponent_per_attofil(const TheoryParams& params);

// exp(−κ x) >= P(ruin | x) >= exp(−κ (x + payout)): optional stopping of the martingale
// exp(−κ U_t); the reserve falls by at most one epoch's payout, so it is ruined at a level in
// [−payout, 0). Exact in the continuous-time limit. Both 1 when f <= ℓ.
double smoothed_ruin_probability_upper(const TheoryParams& params, double reserve_attofil);
double smoothed_ruin_probability_lower(const TheoryParams& params, double reserve_attofil);

// The initial reserve for which the upper bound equals `ruin_probability`: ln(1/δ) / κ.
// REQUIRES: 0 < ruin_probability < 1; f > ℓ.
double smoothed_reserve_for_ruin_probability(const TheoryParams& params,
                                             double ruin_probability);

// Vesting (FIP-0004): of each reward the pool receives, 25 % is liquid at once and 75 % vests
// linearly over V = 180 days. Payouts must be liquid, so a new pool must pre-fund the gap between
// what it pays and what has vested. Along the expected path, with a = (1 − ℓ) S R (inflow) and
// b = (1 − f) S R (payout) per epoch, the gap peaks at t* = (b − a/4) V / (3a/4) with
//   gap* = (b − a/4)² V / (3a/2)            (0 when b <= a/4; infinite when b >= a).
// For ℓ = 0 that is S R V (3/4 − f)² / 1.5: about 59 days of the pool's expected reward at f = 5 %.
double smoothed_expected_liquidity_gap_attofil(const TheoryParams& params);

// The expected gap plus z standard deviations of the vested inflow, maximised over time (numeric,
// on a grid of 0.1 day, coarser only past 10^5 points). A pointwise margin, not a first-passage probability: the probability of
// ever running dry with this pre-funding is larger than the normal tail at z. z = 0 reproduces
// smoothed_expected_liquidity_gap_attofil up to the grid. REQUIRES: z >= 0; f > ℓ.
double smoothed_liquidity_gap_attofil(const TheoryParams& params, double z);

// --- Luck (luck.h) of a miner with constant share s over n epochs, all its wins counted. ---

// Explorer luck W / (5 s n), W ~ Poisson(5 s n): mean 1, variance 1 / (5 s n).
double explorer_luck_variance(double share, double epochs);
// Filscan luck W / (s N) with N the network's WinCount: given N, W ~ Binomial(N, s), so luck has
// mean 1 and variance (1 − s) / (s N); with N ≈ 5 n, (1 − s) / (5 s n). It is smaller than the
// explorer's because the miner's own wins are part of the normaliser.
double filscan_luck_variance(double share, double epochs);

// --- Fairness ---

// The Gini coefficient of n equal members' incomes when each is normal with coefficient of
// variation c: E|X − Y| = 2σ/√π gives G = c / √π. An approximation for Poisson incomes with a mean
// count above ~30 (it ignores skew). Under every policy here the EXPECTED incomes are proportional
// to counted power, so their Gini is the Gini of counted power (docs/theory.md).
double gini_of_equal_members_normal(double cv);

}  // namespace minerx::stats
