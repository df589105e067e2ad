#include "core/stats/inequality.h"

#include <algorithm>
#include <cmath>

#include "core/util/assert.h"

namespace minerx::stats {
namespace {

void require_nonnegative_finite(std::span<const double> values) {
    MINERX_ASSERT(!values.empty());
    for (double value : values) {
        MINERX_ASSERT(std::isfinite(value));
        MINERX_ASSERT(value >= 0);
    }
}

double gini_of_sorted(std::span<const double> sorted) {
    const auto n = static_cast<double>(sorted.size());
    double sum = 0;
    double weighted = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const double rank = static_cast<double>(i + 1);
        sum += sorted[i];
        weighted += (2 * rank - n - 1) * sorted[i];
    }
    if (sum == 0) return 0;
    return weighted / (n * sum);
}

}  // namespace

double gini(std::span<const double> values) {
    require_nonnegative_finite(values);
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    return gini_of_sorted(sorted);
}

double quantile_of_sorted(std::span<const double> sorted, double fraction) {
    MINERX_ASSERT(!sorted.empty());
    MINERX_ASSERT(fraction >= 0 && fraction <= 1);
    const double position = fraction * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double weight = position - static_cast<double>(below);
    return sorted[below] + weight * (sorted[above] - sorted[below]);
}

Dispersion dispersion(std::span<const double> values) {
    require_nonnegative_finite(values);
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());

    Dispersion result;
    result.count = sorted.size();
    double sum = 0;
    for (double value : sorted) sum += value;
    result.mean = sum / static_cast<double>(sorted.size());
    if (sorted.size() > 1) {
        double squares = 0;
        for (double value : sorted) squares += (value - result.mean) * (value - result.mean);
        result.standard_deviation = std::sqrt(squares / static_cast<double>(sorted.size() - 1));
    }
    if (result.mean > 0) result.cv = result.standard_deviation / result.mean;
    result.min = sorted.front();
    result.p10 = quantile_of_sorted(sorted, 0.10);
    result.p50 = quantile_of_sorted(sorted, 0.50);
    result.p90 = quantile_of_sorted(sorted, 0.90);
    result.max = sorted.back();
    result.gini = gini_of_sorted(sorted);
    return result;
}

std::vector<double> fil_per_tib(std::span<const chain::AttoFil> incomes,
                                std::span<const chain::StoragePower> powers_bytes) {
    MINERX_ASSERT(incomes.size() == powers_bytes.size());
    std::vector<double> ratios;
    ratios.reserve(incomes.size());
    for (std::size_t i = 0; i < incomes.size(); ++i) {
        MINERX_ASSERT(incomes[i] >= 0);
        MINERX_ASSERT(powers_bytes[i] > 0);
        const double fil =
            static_cast<double>(incomes[i]) / static_cast<double>(chain::kAttoFilPerFil);
        ratios.push_back(fil / std::ldexp(static_cast<double>(powers_bytes[i]), -40));
    }
    return ratios;
}

}  // namespace minerx::stats
