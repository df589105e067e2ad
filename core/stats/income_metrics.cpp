#include "core/stats/income_metrics.h"

#include <cmath>

#include "core/util/assert.h"

namespace minerx::stats {
namespace {

constexpr std::int64_t kDaysPerWeek = 7;
constexpr std::int64_t kDaysPerMonth = 30;

std::int64_t day_of(chain::ChainEpoch epoch, chain::ChainEpoch start_epoch) {
    return (epoch - start_epoch) / chain::kEpochsPerDay;
}

}  // namespace

DailyIncomeSeries::DailyIncomeSeries(chain::ChainEpoch start_epoch) : start_epoch_(start_epoch) {}

void DailyIncomeSeries::add_income(chain::ChainEpoch epoch, chain::AttoFil amount) {
    MINERX_ASSERT(epoch >= start_epoch_);
    MINERX_ASSERT(amount >= 0);
    MINERX_ASSERT(amount <= chain::kTotalFilSupply);
    const auto day = static_cast<std::size_t>(day_of(epoch, start_epoch_));
    if (day >= days_.size()) days_.resize(day + 1, 0);
    days_[day] += amount;
    total_ += amount;
    if (amount > 0 && (!first_reward_epoch_ || epoch < *first_reward_epoch_)) {
        first_reward_epoch_ = epoch;
    }
}

std::vector<chain::AttoFil> DailyIncomeSeries::complete_days(chain::ChainEpoch end_epoch) const {
    MINERX_ASSERT(end_epoch >= start_epoch_);
    const auto count = static_cast<std::size_t>(day_of(end_epoch, start_epoch_));
    std::vector<chain::AttoFil> days(count, 0);
    for (std::size_t d = 0; d < count && d < days_.size(); ++d) days[d] = days_[d];
    return days;
}

std::optional<std::int64_t> DailyIncomeSeries::epochs_to_first_reward() const {
    if (!first_reward_epoch_) return std::nullopt;
    return *first_reward_epoch_ - start_epoch_ + 1;
}

double mean_attofil(std::span<const chain::AttoFil> values) {
    MINERX_ASSERT(!values.empty());
    // Summed exactly in attoFIL, converted once.
    chain::AttoFil sum = 0;
    for (chain::AttoFil value : values) sum += value;
    return static_cast<double>(sum) / static_cast<double>(values.size());
}

std::optional<double> coefficient_of_variation(std::span<const chain::AttoFil> values) {
    if (values.size() < 2) return std::nullopt;
    const double mean = mean_attofil(values);
    if (mean == 0) return std::nullopt;
    double squares = 0;
    for (chain::AttoFil value : values) {
        const double deviation = static_cast<double>(value) - mean;
        squares += deviation * deviation;
    }
    const double variance = squares / static_cast<double>(values.size() - 1);
    return std::sqrt(variance) / mean;
}

std::optional<double> zero_income_window_fraction(std::span<const chain::AttoFil> daily_income,
                                                  std::int64_t window_days,
                                                  WindowPlacement placement) {
    MINERX_ASSERT(window_days >= 1);
    const auto length = static_cast<std::size_t>(window_days);
    if (daily_income.size() < length) return std::nullopt;
    // A window has zero income iff it holds no positive day; count positive days by prefix sums.
    std::vector<std::int64_t> positive_before(daily_income.size() + 1, 0);
    for (std::size_t d = 0; d < daily_income.size(); ++d) {
        MINERX_ASSERT(daily_income[d] >= 0);
        positive_before[d + 1] = positive_before[d] + (daily_income[d] > 0 ? 1 : 0);
    }
    const std::size_t step = placement == WindowPlacement::disjoint ? length : 1;
    std::int64_t windows = 0;
    std::int64_t zero_windows = 0;
    for (std::size_t first = 0; first + length <= daily_income.size(); first += step) {
        ++windows;
        if (positive_before[first + length] == positive_before[first]) ++zero_windows;
    }
    return static_cast<double>(zero_windows) / static_cast<double>(windows);
}

double fil_per_tib_day(chain::AttoFil income, chain::StoragePower power_bytes, double days) {
    MINERX_ASSERT(power_bytes > 0);
    MINERX_ASSERT(days > 0);
    const double fil = static_cast<double>(income) / static_cast<double>(chain::kAttoFilPerFil);
    const double tib = std::ldexp(static_cast<double>(power_bytes), -40);
    return fil / tib / days;
}

IncomeSummary summarize_income(const DailyIncomeSeries& series, chain::ChainEpoch end_epoch) {
    const std::vector<chain::AttoFil> days = series.complete_days(end_epoch);
    IncomeSummary summary;
    summary.days = static_cast<std::int64_t>(days.size());
    for (chain::AttoFil day : days) summary.total += day;
    if (!days.empty()) summary.mean_daily_attofil = mean_attofil(days);
    summary.daily_cv = coefficient_of_variation(days);
    summary.zero_week_fraction =
        zero_income_window_fraction(days, kDaysPerWeek, WindowPlacement::sliding);
    summary.zero_month_fraction =
        zero_income_window_fraction(days, kDaysPerMonth, WindowPlacement::sliding);
    // Only a reward credited before end_epoch counts, like the days.
    const std::optional<std::int64_t> first = series.epochs_to_first_reward();
    if (first && *first <= end_epoch - series.start_epoch()) summary.epochs_to_first_reward = first;
    return summary;
}

}  // namespace minerx::stats
