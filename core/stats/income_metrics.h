#pragma once

// A member's income as the reports measure it: a daily series in attoFIL, its mean and
// coefficient of variation, the probability of a week or month without income, the time to the
// first reward, and income per unit of power. Theory for each of these, per reward policy, is in
// core/stats/policy_theory.h and docs/theory.md.
//
// Income here is what a policy credits to the member (block rewards or settlement credits), in
// integer attoFIL and never negative; fees and penalties are costs, accounted elsewhere. Whether a
// credit is liquid or still vesting is the ledger's business, not this series'.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"

namespace minerx::stats {

// Income per day, counted from the member's own start epoch: day d is
// [start + d · 2880, start + (d + 1) · 2880). O(1) per credit; memory one AttoFil per day.
class DailyIncomeSeries {
public:
    explicit DailyIncomeSeries(chain::ChainEpoch start_epoch);

    // REQUIRES: epoch >= start_epoch; amount >= 0.
    void add_income(chain::ChainEpoch epoch, chain::AttoFil amount);

    // The days that ended at or before end_epoch, zero where nothing was credited; credits in a
    // day that is not complete yet are left out. REQUIRES: end_epoch >= start_epoch.
    std::vector<chain::AttoFil> complete_days(chain::ChainEpoch end_epoch) const;

    // Epochs until the first positive credit, counting the credited epoch: a credit in the start
    // epoch gives 1. This matches a geometric law on {1, 2, ...} (policy_theory.h).
    // nullopt while nothing positive has been credited.
    std::optional<std::int64_t> epochs_to_first_reward() const;

    chain::ChainEpoch start_epoch() const { return start_epoch_; }
    chain::AttoFil total() const { return total_; }

private:
    chain::ChainEpoch start_epoch_;
    std::vector<chain::AttoFil> days_;  // up to the last day with a credit
    std::optional<chain::ChainEpoch> first_reward_epoch_;
    chain::AttoFil total_ = 0;
};

// Arithmetic mean in attoFIL (double: statistics, not money). REQUIRES: values not empty.
double mean_attofil(std::span<const chain::AttoFil> values);

// Sample standard deviation (divisor n − 1, unbiased variance) over the mean.
// nullopt if fewer than 2 values or the mean is 0.
std::optional<double> coefficient_of_variation(std::span<const chain::AttoFil> values);

// How zero-income windows are counted. Both estimate the same probability P(no income in a
// window of k days) without bias when income is stationary:
//   disjoint: windows [0,k), [k,2k), ... — independent samples for a solo miner with constant
//             power, so a binomial confidence interval applies (the tests use this);
//   sliding:  windows starting on every day — the average of k shifted disjoint estimates, so its
//             variance is never larger; it also gives an estimate from runs shorter than 2k days.
//             The reports use it, and state that its samples are correlated.
enum class WindowPlacement : std::uint8_t { disjoint, sliding };

// The fraction of k-day windows whose income is 0. nullopt when there are fewer than k days.
// REQUIRES: window_days >= 1; every value >= 0.
std::optional<double> zero_income_window_fraction(std::span<const chain::AttoFil> daily_income,
                                                  std::int64_t window_days,
                                                  WindowPlacement placement);

// Income per unit of power: FIL per TiB of power per day (the unit miners quote).
// REQUIRES: power_bytes > 0; days > 0.
double fil_per_tib_day(chain::AttoFil income, chain::StoragePower power_bytes, double days);

// What a report prints for one member.
struct IncomeSummary {
    std::int64_t days = 0;                             // complete days observed
    chain::AttoFil total = 0;                          // over those days
    double mean_daily_attofil = 0;                     // 0 when days == 0
    std::optional<double> daily_cv;                    // see coefficient_of_variation
    std::optional<double> zero_week_fraction;          // sliding 7-day windows
    std::optional<double> zero_month_fraction;         // sliding 30-day windows
    std::optional<std::int64_t> epochs_to_first_reward;
};

IncomeSummary summarize_income(const DailyIncomeSeries& series, chain::ChainEpoch end_epoch);

}  // namespace minerx::stats
